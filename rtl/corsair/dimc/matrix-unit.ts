// The DIMC matrix unit: a weight array of rows x cols INT8 (or rows x 2*cols INT4) held in the array itself,
// an input vector broadcast to every row each cycle, a multiplier per weight and a pipelined adder tree per row,
// exact accumulation over one or several input vectors, double-buffered weights, valid/ready streams and a
// small CSR port. One matrix-vector product per cycle once the pipeline is full.
//
// Pipeline (a vector accepted at edge t):
//   s0      edge t:   the vector, its bank, mode and group flags are registered
//   tree    cycle t:  every weight cell is read (asynchronously) from the bank the vector was accepted with,
//                     multiplied (INT8: one 8x8 product; INT4: two 4x4 products summed) and the products summed
//                     by a tree of ceil(log2 cols) levels; `treeStages` register stages sit between levels
//   acc     edge t+1+treeStages: the row sums enter the accumulators; the last vector of a group pushes the
//                     exact sums into the output FIFO, which shows them on `out` from the next cycle
// Latency (accept edge to out.valid) = treeStages + 2 cycles.
//
// Back-pressure never stalls the datapath: `in.ready` is high only while the output FIFO has room for every
// vector in flight (credits), so nothing is lost and `in.ready` does not depend on `out.ready` combinationally.
// With the default FIFO depth (treeStages + 3) the unit takes a vector every cycle while `out.ready` is high.
import {
  Module, U, cat, clog2, bitsFor, flip, mux, select, when, type Sig, type Memory, type HwBundle, type Flip,
} from '../../core/index.ts';
import { Stream, fire } from '../../lib/stream.ts';
import { CsrBus, DIMC_BIT, DIMC_REG, WeightPort } from './regs.ts';

export interface DimcParams {
  /** Output lanes (rows of the weight array); 64 on Corsair. */
  rows: number;
  /** INT8 columns (bytes per row; INT4 mode has twice as many columns); 64 on Corsair. */
  cols: number;
  /** Register stages inside the adder tree, 0 .. levels+1 where levels = ceil(log2 cols). Default 2. */
  treeStages?: number;
  /** Width of the accumulators and the output lanes (signed); default 32 (exact for 2^10 INT8 vectors). */
  accWidth?: number;
  /** Output FIFO depth in results; default and minimum for full rate: treeStages + 3. */
  fifoDepth?: number;
}

/** Levels of the adder tree that sums `cols` cell products. */
export function treeLevels(cols: number): number {
  return cols <= 1 ? 0 : clog2(cols);
}

/** Width of a row sum: cell products are 16-bit signed (INT8 8x8, or two INT4 4x4 products summed). */
export function rowSumWidth(cols: number): number {
  return 16 + treeLevels(cols);
}

export class DimcMatrixUnit extends Module {
  /** Input vectors: cols bytes (INT8) or 2*cols nibbles (INT4), element i at bits [8i+7:8i] or [4i+3:4i]. */
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  /** Results: rows lanes of accWidth signed bits, lane r at bits [(r+1)*accWidth-1 : r*accWidth]. */
  readonly out: HwBundle<ReturnType<typeof Stream<number>>>;
  /** Weight rows into the shadow bank. */
  readonly wr: HwBundle<Flip<ReturnType<typeof WeightPort>>>;
  /** Command/status registers (see regs.ts). */
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;

  readonly rows: number;
  readonly cols: number;
  readonly treeStages: number;
  readonly accWidth: number;
  readonly fifoDepth: number;
  /** Cycles from the edge that accepts a vector to the first cycle its result is valid on `out`. */
  readonly latency: number;
  /** The weight array: one memory per INT8 column, word bank*rows + row. */
  readonly weights: Memory[];

  constructor(p: DimcParams) {
    super();
    const { rows, cols } = p;
    if (!Number.isInteger(rows) || rows < 1 || rows > 255) throw new Error(`DimcMatrixUnit: rows must be 1..255, got ${rows}`);
    if (!Number.isInteger(cols) || cols < 1 || cols > 255) throw new Error(`DimcMatrixUnit: cols must be 1..255, got ${cols}`);
    const levels = treeLevels(cols);
    const stages = p.treeStages ?? Math.min(2, levels + 1);
    if (!Number.isInteger(stages) || stages < 0 || stages > levels + 1) {
      throw new Error(`DimcMatrixUnit: treeStages must be 0..${levels + 1} for ${cols} columns, got ${stages}`);
    }
    const sumW = rowSumWidth(cols);
    const accW = p.accWidth ?? 32;
    if (accW < sumW || accW > 32) throw new Error(`DimcMatrixUnit: accWidth must be ${sumW}..32, got ${accW}`);
    const depth = p.fifoDepth ?? stages + 3;
    if (!Number.isInteger(depth) || depth < 1 || depth > 255) throw new Error(`DimcMatrixUnit: fifoDepth must be 1..255, got ${depth}`);
    this.rows = rows;
    this.cols = cols;
    this.treeStages = stages;
    this.accWidth = accW;
    this.fifoDepth = depth;
    this.latency = stages + 2;

    this.in = this.port(flip(Stream(cols * 8)));
    this.out = this.port(Stream(rows * accW));
    const rowBits = clog2(rows);
    this.wr = this.port(flip(WeightPort(rowBits, cols * 8)));
    this.csr = this.port(flip(CsrBus(4)));

    // ---------------------------------------------------------------- control registers
    const modeInt4 = this.reg(1, { name: 'mode_int4' });
    const accLen = this.reg(16, { name: 'acc_len' });
    const activeBank = this.reg(1, { name: 'active_bank' });
    const csrWrite = this.csr.en.and(this.csr.we);
    const wrCtrl = csrWrite.and(this.csr.addr.eq(DIMC_REG.CTRL));
    const wrAccLen = csrWrite.and(this.csr.addr.eq(DIMC_REG.ACC_LEN));
    const wrCmd = csrWrite.and(this.csr.addr.eq(DIMC_REG.CMD));
    const swap = wrCmd.and(this.csr.wdata.bit(0));
    const restart = wrCmd.and(this.csr.wdata.bit(1));
    when(wrCtrl, () => modeInt4.set(this.csr.wdata.bit(0)));
    when(wrAccLen, () => accLen.set(this.csr.wdata.slice(15, 0)));
    when(swap, () => activeBank.set(activeBank.not()));

    // ---------------------------------------------------------------- weight array (double-buffered)
    const aw = clog2(2 * rows);
    const shadowBank = activeBank.not();
    const rowOk = rows === 1 << rowBits ? U(1, 1) : this.wr.row.lt(rows);
    const wrEn = this.wr.valid.and(rowOk);
    const wrAddr = mux(shadowBank, this.wr.row.zext(aw).add(rows), this.wr.row.zext(aw));
    this.wr.ready.assign(U(1, 1));
    this.weights = [];
    for (let j = 0; j < cols; j++) {
      const m = this.memory({ depth: 2 * rows, width: 8, name: `w_col_${j}` });
      m.write(wrAddr, this.wr.data.slice(8 * j + 7, 8 * j), { en: wrEn });
      this.weights.push(m);
    }

    // ---------------------------------------------------------------- credits and input stage s0
    const inflight = this.reg(bitsFor(stages + 1), { name: 'inflight' });
    const fifoCount = this.reg(bitsFor(depth), { name: 'fifo_count' });
    const cw = Math.max(inflight.width, fifoCount.width) + 1;
    const room = inflight.zext(cw).add(fifoCount.zext(cw)).lt(U(depth, cw));
    this.in.ready.assign(room);
    const accept = fire(this.in);

    // accumulation groups: the vector that makes the count reach ACC_LEN closes the group
    const grpCnt = this.reg(16, { name: 'group_count' });
    const groupFirst = grpCnt.eq(0);
    const groupLast = grpCnt.add(1).ge(accLen);
    when(restart, () => grpCnt.set(0)).elsewhen(accept, () => grpCnt.set(mux(groupLast, U(0, 16), grpCnt.add(1))));

    const v0 = this.reg(1, { name: 's0_valid' });
    v0.set(accept);
    const bank0 = this.reg(1, { name: 's0_bank', en: accept });
    bank0.set(activeBank);
    const int4 = this.reg(1, { name: 's0_int4', en: accept });
    int4.set(modeInt4);
    const first0 = this.reg(1, { name: 's0_first', en: accept });
    first0.set(groupFirst);
    const last0 = this.reg(1, { name: 's0_last', en: accept });
    last0.set(groupLast);
    const x: Sig[] = [];
    for (let j = 0; j < cols; j++) {
      const r = this.reg(8, { name: `s0_x_${j}`, en: accept });
      r.set(this.in.data.slice(8 * j + 7, 8 * j));
      x.push(r);
    }

    // ---------------------------------------------------------------- products
    // broadcast operands, shared by every row
    // (INT4 nibbles are sign-extended to 8 bits with shifts, which the simulator inlines: n.shl(4).sra(4) is the
    // low nibble, n.sra(4) the high one)
    const x8 = x.map((b) => b.asSigned());
    const xLo = x8.map((b) => b.shl(4).sra(4));
    const xHi = x8.map((b) => b.sra(4));
    let level: Sig[][] = [];
    for (let r = 0; r < rows; r++) {
      const addr = mux(bank0, U(rows + r, aw), U(r, aw)).named(`w_addr_${r}`);
      const cells: Sig[] = [];
      for (let j = 0; j < cols; j++) {
        const w = this.weights[j]!.readAsync(addr).named(`w_${r}_${j}`).asSigned();
        const p8 = x8[j]!.mul(w);
        // two 4x4 products, each exact in 16 bits, and their sum (|sum| <= 128) too
        const p4 = xLo[j]!.mul(w.shl(4).sra(4)).add(xHi[j]!.mul(w.sra(4)));
        cells.push(mux(int4, p4, p8).named(`p_${r}_${j}`));
      }
      level.push(cells);
    }

    // ---------------------------------------------------------------- adder tree with register stages
    // register boundaries: b = 0 (the products) .. levels (the row sums); `stages` of them, spread evenly
    const boundaries = new Set<number>();
    for (let i = 0; i < stages; i++) boundaries.add(Math.floor(((i + 1) * (levels + 1)) / stages) - 1);
    let v: Sig = v0;
    let first: Sig = first0;
    let last: Sig = last0;
    let stageNo = 0;
    const stage = (b: number) => {
      if (!boundaries.has(b)) return;
      stageNo++;
      const k = stageNo;
      v = this.regNext(v, { name: `t${k}_valid` });
      first = this.regNext(first, { name: `t${k}_first`, reset: 'none' });
      last = this.regNext(last, { name: `t${k}_last`, reset: 'none' });
      level = level.map((cells, r) => cells.map((c, i) => this.regNext(c, { name: `t${k}_${r}_${i}`, reset: 'none' })));
    };
    stage(0);
    for (let b = 1; b <= levels; b++) {
      level = level.map((cells, r) => {
        const next: Sig[] = [];
        for (let i = 0; i < cells.length; i += 2) {
          const a = cells[i]!;
          next.push(i + 1 < cells.length ? a.addc(cells[i + 1]!).named(`sum${b}_${r}_${i >> 1}`) : a.resize(a.width + 1));
        }
        return next;
      });
      stage(b);
    }
    const rowSum = level.map((cells) => cells[0]!);

    // ---------------------------------------------------------------- accumulators and output FIFO
    const wp = this.reg(clog2(depth), { name: 'fifo_wp' });
    const rp = this.reg(clog2(depth), { name: 'fifo_rp' });
    const push = v.and(last);
    const pop = fire(this.out);
    const nextPtr = (q: Sig): Sig => (depth === 1 << q.width ? q.add(1) : mux(q.eq(depth - 1), U(0, q.width), q.add(1)));
    const lanes: Sig[] = [];
    for (let r = 0; r < rows; r++) {
      const acc = this.reg(accW, { name: `acc_${r}`, signed: true, en: v });
      const sum = mux(first, U(0, accW).asSigned(), acc).add(rowSum[r]!.sext(accW));
      acc.set(sum);
      const q = this.memory({ depth, width: accW, name: `out_fifo_${r}` });
      q.write(wp, sum, { en: push });
      lanes.push(q.readAsync(rp).named(`out_lane_${r}`));
    }
    when(push, () => wp.set(nextPtr(wp)));
    when(pop, () => rp.set(nextPtr(rp)));
    when(push.and(pop.not()), () => fifoCount.set(fifoCount.add(1))).elsewhen(pop.and(push.not()), () => fifoCount.set(fifoCount.sub(1)));
    when(accept.and(v.not()), () => inflight.set(inflight.add(1))).elsewhen(v.and(accept.not()), () => inflight.set(inflight.sub(1)));
    this.out.valid.assign(fifoCount.ne(0));
    this.out.data.assign(cat(...lanes.slice().reverse()));

    // ---------------------------------------------------------------- status and read-back
    const vectors = this.reg(32, { name: 'vectors' });
    const results = this.reg(32, { name: 'results' });
    when(accept, () => vectors.set(vectors.add(1)));
    when(pop, () => results.set(results.add(1)));
    const busy = inflight.ne(0).or(fifoCount.ne(0));
    const groupOpen = grpCnt.ne(0);
    const status = cat(U(0, 8), fifoCount.zext(8), U(0, 13), groupOpen, activeBank, busy);
    const config = cat(U(this.latency, 8), U(stages, 8), U(cols, 8), U(rows, 8));
    const regsRead: Sig[] = [
      modeInt4.zext(32), // CTRL
      accLen.zext(32), // ACC_LEN
      U(0, 32), // CMD
      status,
      vectors,
      results,
      config,
    ];
    while (regsRead.length < 16) regsRead.push(U(0, 32));
    if (DIMC_REG.CONFIG !== 6 || DIMC_BIT.STATUS_PENDING_SHIFT !== 16) throw new Error('internal: register map changed');
    this.csr.rdata.assign(select(this.csr.addr, regsRead));
  }
}
