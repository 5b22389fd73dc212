// The JetStream streaming engine's register map (word addresses on its CsrBus(4) port) and field bits, declared
// once: the engine decodes them, the testbenches and the SV package read the same numbers.
import { constants } from '../../core/index.ts';

/** Register word addresses. Counters are 32 bits, wrap, and are cleared by writing any value to them. */
export const JS_REG = constants('js_reg', {
  /** RW. bits 7:0 this server's node number (reset: the nodeId parameter). Frames carry it as SRC_NODE. */
  NODE_ID: 0,
  /** RW. bit 0 IRQ_ERR: raise the rx interrupt on STATUS error bits; bit 1 IRQ_GO: ... on STATUS.GO_RX. */
  CTRL: 1,
  /** R/W1C. bit 0 GAP, 1 LATE, 2 DROP, 3 GO_RX, 4 GO_SUPPRESSED (sticky; write 1 to clear); 8 TX_BUSY, 9 RX_BUSY. */
  STATUS: 2,
  /** Frames sent. */
  TX_FRAMES: 3,
  /** Frames received and delivered as Memory Writes. */
  RX_FRAMES: 4,
  /** Sequence gaps: frames that arrived with a sequence number past the expected one. */
  SEQ_GAPS: 5,
  /** Frames missing in those gaps (the sum of the gap sizes). */
  LOST_FRAMES: 6,
  /** Frames with a sequence number before the expected one (reordered or duplicate): dropped. */
  LATE_FRAMES: 7,
  /** Frames dropped as malformed: EtherType, version, node, length, err from the MAC, or larger than the buffer. */
  DROPPED: 8,
  /** TLPs from PCIe not carried: not a 4DW Memory Write into the remote window of a known node. */
  TX_DROPPED: 9,
  /** "go" writes withheld because frames of their flow were lost since the previous go. */
  GO_SUPPRESSED: 10,
  /** "go" writes delivered. */
  RX_GO: 11,
  /** RW. bits 15:0 the requester ID of the Memory Writes the engine issues (reset: the requesterId parameter). */
  REQUESTER_ID: 12,
  /** R. bits 7:0 nodes supported, 15:8 TLP beat bytes, 23:16 rx buffer depth log2, 31:24 version. */
  CONFIG: 13,
}, { doc: 'JetStream engine CSR word addresses' });

/** Field bits. */
export const JS_BIT = constants('js_bit', {
  CTRL_IRQ_ERR: 1 << 0,
  CTRL_IRQ_GO: 1 << 1,
  STATUS_GAP: 1 << 0,
  STATUS_LATE: 1 << 1,
  STATUS_DROP: 1 << 2,
  STATUS_GO_RX: 1 << 3,
  STATUS_GO_SUPPRESSED: 1 << 4,
  STATUS_TX_BUSY: 1 << 8,
  STATUS_RX_BUSY: 1 << 9,
  /** STATUS bits that raise the interrupt under CTRL_IRQ_ERR. */
  STATUS_ERR_MASK: 0x17,
}, { doc: 'JetStream engine CSR fields' });
