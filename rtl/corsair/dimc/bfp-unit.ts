// The DIMC matrix unit with block floating point on both sides: FP32 vectors in, FP32 results out. A vector is
// quantized to the array's block format (BFP16_64 for the INT8 array, BFP12_128 for the INT4 array) by the
// BfpQuantizer; the DimcMatrixUnit sums the integer products exactly; IntToFp32 scales each row sum by the product
// of its weight row's scale and the vector's scale and rounds once to FP32 (RNE). A NaN block (scale 0xFF) on
// either side makes the lane NaN.
//
// Weights arrive already quantized (a row = its E8M0 scale above its element codes, the quantizer's own output
// layout) and are double-buffered like the codes: the row scales live in a small two-bank memory beside the
// array, and the bank is tracked by snooping SWAP on the CSR port. Each accepted vector leaves its scale and bank
// in a side FIFO that is read when its result leaves the array. ACC_LEN must stay 1 here: sums of products with
// different block scales cannot be added as integers (accumulating over equal scales would be a later option).
import { Module, U, cat, clog2, connect, flip, mux, when, type HwBundle, type Flip, type Sig } from '../../core/index.ts';
import { Stream, fire } from '../../lib/stream.ts';
import { BfpQuantizer } from './bfp-quantizer.ts';
import { DimcMatrixUnit } from './matrix-unit.ts';
import { IntToFp32 } from './int-to-fp32.ts';
import { CsrBus, DIMC_BIT, DIMC_REG, WeightPort } from './regs.ts';

export interface DimcBfpParams {
  rows: number;
  cols: number;
  /** 'int8': BFP16-style blocks of cols INT8 elements; 'int4': blocks of 2*cols INT4 elements (set CTRL.MODE = INT4). */
  format: 'int8' | 'int4';
  treeStages?: number;
}

export class DimcBfpUnit extends Module {
  /** FP32 vectors: k = cols (int8) or 2*cols (int4) elements, element i at [32i+31 : 32i]. */
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  /** FP32 results, lane r at [32r+31 : 32r]. */
  readonly out: HwBundle<ReturnType<typeof Stream<number>>>;
  /** Quantized weight rows into the shadow bank: data = scale (8 bits) above the element codes. */
  readonly wr: HwBundle<Flip<ReturnType<typeof WeightPort>>>;
  /** The matrix unit's registers (see regs.ts). */
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly quant: BfpQuantizer;
  readonly array: DimcMatrixUnit;
  readonly conv: IntToFp32;
  /** Cycles from taking a vector to its result on `out` (with nothing stalled). */
  readonly latency: number;

  constructor(p: DimcBfpParams) {
    super();
    const { rows, cols } = p;
    const bits = p.format === 'int8' ? 8 : 4;
    const k = (cols * 8) / bits;
    const codeW = cols * 8;
    const rowBits = clog2(rows);
    this.in = this.port(flip(Stream(32 * k)));
    this.out = this.port(Stream(32 * rows));
    this.wr = this.port(flip(WeightPort(rowBits, codeW + 8)));
    this.csr = this.port(flip(CsrBus(4)));
    this.quant = new BfpQuantizer({ k, bits });
    this.array = new DimcMatrixUnit({ rows, cols, treeStages: p.treeStages });
    this.conv = new IntToFp32({ lanes: rows, intWidth: this.array.accWidth, expWidth: 10 });
    this.latency = this.quant.latency + this.array.latency + this.conv.latency;

    // ---- registers: straight through; the bank is mirrored from SWAP
    connect(this.csr, this.array.csr);
    const bank = this.reg(1, { name: 'active_bank' });
    const swap = this.csr.en.and(this.csr.we).and(this.csr.addr.eq(DIMC_REG.CMD)).and(this.csr.wdata.bit(0));
    if (DIMC_BIT.CMD_SWAP !== 1) throw new Error('internal: SWAP is not bit 0');
    when(swap, () => bank.set(bank.not()));

    // ---- weights: codes into the array, scales into the two-bank scale memory
    this.array.wr.valid.assign(this.wr.valid);
    this.array.wr.row.assign(this.wr.row);
    this.array.wr.data.assign(this.wr.data.slice(codeW - 1, 0));
    this.wr.ready.assign(this.array.wr.ready);
    const aw = clog2(2 * rows);
    const wScales = this.memory({ depth: 2 * rows, width: 8, name: 'w_scale' });
    const rowOk = rows === 1 << rowBits ? U(1, 1) : this.wr.row.lt(rows);
    const shadowAddr = mux(bank, this.wr.row.zext(aw), this.wr.row.zext(aw).add(rows));
    wScales.write(shadowAddr, this.wr.data.slice(codeW + 7, codeW), { en: this.wr.valid.and(rowOk) });

    // ---- vectors: quantizer -> array; the vector's scale and bank wait in a side FIFO
    connect(this.in, this.quant.in);
    this.array.in.valid.assign(this.quant.out.valid);
    this.array.in.data.assign(this.quant.out.data.slice(codeW - 1, 0));
    this.quant.out.ready.assign(this.array.in.ready);
    const depth = this.array.fifoDepth; // the array never holds more vectors than this
    const side = this.memory({ depth, width: 9, name: 'side_fifo' });
    const wp = this.reg(clog2(depth), { name: 'side_wp' });
    const rp = this.reg(clog2(depth), { name: 'side_rp' });
    const next = (q: Sig): Sig => (depth === 1 << q.width ? q.add(1) : mux(q.eq(depth - 1), U(0, q.width), q.add(1)));
    const push = fire(this.array.in);
    side.write(wp, cat(bank, this.quant.out.data.slice(codeW + 7, codeW)), { en: push });
    when(push, () => wp.set(next(wp)));
    const head = side.readAsync(rp);
    const xScale = head.slice(7, 0);
    const vecBank = head.bit(8);
    const pop = fire(this.array.out);
    when(pop, () => rp.set(next(rp)));

    // ---- array -> converter: lane r = (wscale_r + xscale - 254 - 2f, row sum r)
    const accW = this.array.accWidth;
    const frac = bits - 2;
    const lanes: Sig[] = [];
    const nans: Sig[] = [];
    const xNaN = xScale.eq(255);
    for (let r = 0; r < rows; r++) {
      const ws = wScales.readAsync(mux(vecBank, U(rows + r, aw), U(r, aw))).named(`w_scale_${r}`);
      const e = ws.zext(11).add(xScale.zext(11)).sub(254 + 2 * frac).trunc(10);
      lanes.push(cat(e, this.array.out.data.slice(accW * r + accW - 1, accW * r)));
      nans.push(ws.eq(255).or(xNaN));
    }
    this.conv.in.valid.assign(this.array.out.valid);
    this.conv.in.data.assign(cat(...lanes.slice().reverse()));
    this.array.out.ready.assign(this.conv.in.ready);

    // ---- NaN lanes ride beside the converter's output register
    const nanQ = this.reg(rows, { name: 'nan_q', en: fire(this.conv.in), reset: 'none' });
    nanQ.set(cat(...nans.slice().reverse()));
    const outLanes: Sig[] = [];
    for (let r = 0; r < rows; r++) outLanes.push(mux(nanQ.bit(r), U(0x7fc00000, 32), this.conv.out.data.slice(32 * r + 31, 32 * r)));
    this.out.valid.assign(this.conv.out.valid);
    this.conv.out.ready.assign(this.out.ready);
    this.out.data.assign(cat(...outLanes.slice().reverse()));
  }
}
