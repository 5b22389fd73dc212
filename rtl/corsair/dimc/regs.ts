// The DIMC matrix unit's command/status register map (word addresses on its CSR port) and field encodings,
// declared once: the hardware decodes them, the testbenches and the SV package read the same numbers.
import { In, Out, constants, type BundleSpec } from '../../core/index.ts';

/** Register word addresses. */
export const DIMC_REG = constants('dimc_reg', {
  /** RW. bit 0 MODE: 0 = INT8 (rows x cols), 1 = INT4 (rows x 2*cols). */
  CTRL: 0,
  /**
   * RW. Input vectors summed into one result (0 and 1 both mean one); 16 bits. Read per vector: the vector that
   * brings the group count to ACC_LEN closes the group. Sums stay exact while ACC_LEN * 2^20 (INT8) fits the
   * accumulator (accWidth 32: up to 1023 vectors).
   */
  ACC_LEN: 1,
  /**
   * W. bit 0 SWAP: the shadow bank becomes the active one for vectors accepted after this edge (a vector accepted
   * at the same edge, and a weight row written at the same edge, still see the old banks); bit 1 RESTART: the
   * next vector accepted after this edge opens a new group (a partial sum is dropped).
   */
  CMD: 2,
  /** R. bit 0 BUSY, bit 1 ACTIVE_BANK, bit 2 GROUP_OPEN, bits 23:16 results waiting in the output FIFO. */
  STATUS: 3,
  /** R. Input vectors accepted (wraps at 2^32). */
  VECTORS: 4,
  /** R. Results delivered on the output stream (wraps at 2^32). */
  RESULTS: 5,
  /** R. Parameters: bits 7:0 rows, 15:8 cols (INT8), 23:16 tree stages, 31:24 latency in cycles. */
  CONFIG: 6,
}, { doc: 'DIMC matrix unit CSR word addresses' });

/** Field bits. */
export const DIMC_BIT = constants('dimc_bit', {
  CTRL_INT4: 1 << 0,
  CMD_SWAP: 1 << 0,
  CMD_RESTART: 1 << 1,
  STATUS_BUSY: 1 << 0,
  STATUS_BANK: 1 << 1,
  STATUS_GROUP_OPEN: 1 << 2,
  STATUS_PENDING_SHIFT: 16,
}, { doc: 'DIMC matrix unit CSR fields' });

export { CsrBus } from '../../lib/csr-bus.ts';

/** Weight-row write port, from the loader's side: one row of the shadow bank per transfer; always ready. */
export const WeightPort = (rowWidth: number, dataWidth: number) =>
  ({
    valid: Out(1, { doc: 'write `data` to row `row` of the shadow bank at this edge' }),
    ready: In(1, { doc: 'always 1: a row write takes one cycle' }),
    row: Out(rowWidth, { doc: 'row index (rows at or above the array size are ignored)' }),
    data: Out(dataWidth, { doc: 'the row: byte j (bits 8j+7..8j) is column j (INT8), or columns 2j (low nibble) and 2j+1 (INT4)' }),
  }) satisfies BundleSpec;
