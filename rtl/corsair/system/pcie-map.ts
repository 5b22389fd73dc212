// The PCIe memory map of a server, shared by the peer-to-peer engine (which writes to it), the PCIe switch (whose
// windows route it), the cards' endpoints (which decode their BAR) and JetStream (which carries writes addressed to
// its remote window to another server and re-issues them there).
import { constants } from '../../core/index.ts';

/**
 * | window | address | what |
 * |---|---|---|
 * | card c's BAR | CARD_BAR_BASE + c * CARD_BAR_SIZE | chiplet k at + k * CHIPLET_WINDOW: stash bytes from offset 0, the doorbell page at DOORBELL_OFFSET |
 * | JetStream's BAR | REMOTE_BASE + (node << 32) + (card << 28) + offset | card `card` of server `node`, at `offset` inside that card's BAR |
 *
 * A write to a chiplet's doorbell page is the "go" flag: the endpoint latches its value and raises DISPATCH_IRQ.P2P_GO.
 * Both windows are above 4 GB, so writes to them use 4DW headers.
 */
export const PCIE_MAP = constants('pcie_map', {
  CARD_BAR_BASE: 0x10_0000_0000,
  CARD_BAR_SIZE: 0x1000_0000,
  CHIPLET_WINDOW: 0x80_0000,
  DOORBELL_OFFSET: 0x7f_f000,
  REMOTE_BASE: 0x80_0000_0000,
  /** addr bits 39:32 of a remote write: the destination server (node). */
  REMOTE_NODE_SHIFT: 32,
  /** addr bits 31:28: the destination card inside that server. */
  REMOTE_CARD_SHIFT: 28,
}, { width: 64, doc: 'PCIe memory map of a server (card BARs, doorbells, the JetStream remote window)' });
