// Register maps of the PCIe blocks a chiplet's dispatch engine sees on its CsrBus: the peer-to-peer write engine
// (P2P_REG) and the inbound endpoint (PCIE_EP_REG), declared once so the hardware, the testbenches and the SV
// package share the numbers.
import { constants } from '../../core/index.ts';

/** Peer-to-peer write engine: word addresses on its CsrBus(4). */
export const P2P_REG = constants('p2p_reg', {
  /** RW. Source byte offset in the stash (the MemPort address of the first byte). */
  SRC: 0,
  /** RW. Destination PCIe address, bits 31:0 and 63:32. */
  DST_LO: 1,
  DST_HI: 2,
  /** RW. Bytes to transfer (0 = only the flag). */
  LEN: 3,
  /** RW. Flag ("go") PCIe address, bits 31:0 (DW-aligned) and 63:32. */
  FLAG_LO: 4,
  FLAG_HI: 5,
  /** RW. The 32-bit flag value, written little-endian at the flag address. */
  FLAG_VALUE: 6,
  /** RW. Max Payload Size in bytes: a power of two, 128..4096 (anything else fails START with ERROR). */
  MPS: 7,
  /** RW. bits 15:0 Requester ID (bus:dev.fn). */
  REQ_ID: 8,
  /** RW. bit 0 RO_DATA: data TLPs carry Relaxed Ordering (the flag never does). */
  CTRL: 9,
  /** W. bit 0 START (ignored while BUSY), bit 1 ACK: clears DONE and ERROR (and the done interrupt). */
  CMD: 10,
  /** R. bit 0 BUSY, bit 1 DONE (the done interrupt), bit 2 ERROR (bad MPS or unaligned flag address). */
  STATUS: 11,
  /** R. TLPs sent since reset (data and flag). */
  TLPS: 12,
  /** R. Bytes of the current transfer not yet handed to a TLP. */
  LEFT: 13,
}, { doc: 'PCIe peer-to-peer write engine CSR word addresses' });

export const P2P_BIT = constants('p2p_bit', {
  CTRL_RO_DATA: 1 << 0,
  CMD_START: 1 << 0,
  CMD_ACK: 1 << 1,
  STATUS_BUSY: 1 << 0,
  STATUS_DONE: 1 << 1,
  STATUS_ERROR: 1 << 2,
}, { doc: 'PCIe peer-to-peer write engine CSR fields' });

/** Inbound endpoint (one chiplet's window of the card BAR): word addresses on its CsrBus(4). */
export const PCIE_EP_REG = constants('pcie_ep_reg', {
  /** R/W1C. bit 0 GO: a flag write landed (the go interrupt); write 1 to clear. */
  STATUS: 0,
  /** R. The last flag value written to the doorbell page. */
  FLAG: 1,
  /** R. Memory Write TLPs accepted and written (doorbell writes included). */
  WRITES: 2,
  /** R. Bytes written into the stash. */
  BYTES: 3,
  /** R. Malformed TLPs dropped: Length disagreeing with the payload, 4 KB crossing, over MPS, bad byte enables, TD/EP set, 4DW header below 4 GB. */
  MALFORMED: 4,
  /** R. Well-formed TLPs dropped: not a Memory Write, outside the chiplet's window or stash, or a doorbell write longer than 1 DW. */
  UNSUPPORTED: 5,
}, { doc: 'PCIe inbound endpoint CSR word addresses' });
