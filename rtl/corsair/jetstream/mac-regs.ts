// The MAC's statistics register map (word addresses on its CsrBus(4) port), declared once: the hardware decodes
// it, the testbenches and the SV package read the same numbers.
import { constants } from '../../core/index.ts';

/** Register word addresses. Counters are 32 bits, wrap, and are cleared by writing any value to them. */
export const MAC_REG = constants('mac_reg', {
  /** Frames sent (padding and FCS added). */
  TX_FRAMES: 0,
  /** Bytes of the frames sent, DA to FCS. */
  TX_BYTES: 1,
  /** Frames cut short by a client underrun (sent with /E/). */
  TX_UNDERRUN: 2,
  /** Good frames received and delivered. */
  RX_FRAMES: 3,
  /** Bytes of the good frames, DA to FCS. */
  RX_BYTES: 4,
  /** Frames dropped for a wrong FCS. */
  RX_BAD_FCS: 5,
  /** Frames dropped as shorter than 64 bytes. */
  RX_RUNT: 6,
  /** Frames dropped as longer than maxFrame. */
  RX_OVERSIZE: 7,
  /** Frames ended by a control character other than terminate (an /E/, a start, an idle). */
  RX_TRUNCATED: 8,
  /** Good frames lost for lack of buffer space (or client ready in cut-through mode). */
  RX_DROPPED: 9,
  /** R. bits 15:0 maxFrame, bits 23:16 datapath bytes per beat, bit 24 cut-through. */
  CONFIG: 10,
}, { doc: 'Ethernet MAC CSR word addresses' });
