// The stash DMA engine: the dispatch core programs a transfer through registers (source, destination, row length
// in bytes, row count and strides for 2-D tiles, the source and destination kinds) and starts it; the engine moves
// the bytes between the stash, the two LPDDR channels and the matrix units (weight rows, input vectors), at byte
// granularity, and raises its completion interrupt (DISPATCH_IRQ.STASH_DMA_DONE on the chiplet).
//
// Datapath: a reader walks the source words of each row (the word-aligned span the row's bytes need, plus one) and
// pushes the responses into a FIFO (reads are issued only while the FIFO has room for every read in flight); a
// writer pairs each FIFO word with the one before it and shifts the pair right by (src - dst) mod wordBytes bytes,
// which lines the source bytes up with the destination word, then writes it under byte enables that cut the row's
// first and last words. Reader and writer walk the rows independently.
import { Module, U, cat, clog2, constants, flip, mux, when, type HwBundle, type Sig } from '../../core/index.ts';
import { MemPort } from '../../lib/mem-port.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { Fifo } from '../../lib/fifo.ts';
import { Stream } from '../../lib/stream.ts';
import { WeightPort } from '../dimc/regs.ts';

/** Register word addresses on the DMA's CsrBus. */
export const STASH_DMA_REG = constants('stash_dma_reg', {
  /** RW. Source byte address of the first row (in the source's address space). */
  SRC: 0,
  /** RW. Destination byte address of the first row. MU_WEIGHT: the weight row index times wordBytes (unit bits above the row bits). */
  DST: 1,
  /** RW. Bytes a row (0 = nothing to move; the transfer completes at once). Up to 2^24 - 1. */
  LEN: 2,
  /** RW. Rows (bits 15:0; 0 and 1 both mean one). */
  ROWS: 3,
  /** RW. Bytes from one source row's start to the next. */
  SRC_STRIDE: 4,
  /** RW. Bytes from one destination row's start to the next. */
  DST_STRIDE: 5,
  /** RW. bit 0 START (write 1 to start; reads 0), bits 6:4 SRC_KIND, bits 10:8 DST_KIND, bit 16 IRQ_EN. */
  CTRL: 6,
  /** R, W1C. bit 0 BUSY, bit 1 DONE (sticky; write 1 to clear, cleared by START too), bit 2 ERROR (bad kind). */
  STATUS: 7,
  /** R. Rows written by the current (or last) transfer. */
  ROWS_DONE: 8,
  /** R. Parameters: bits 7:0 log2(wordBytes), 15:8 FIFO depth. */
  CONFIG: 9,
}, { doc: 'Stash DMA engine register word addresses' });

/** CTRL and STATUS fields, and the source/destination kinds. */
export const STASH_DMA_BIT = constants('stash_dma_bit', {
  CTRL_START: 1 << 0,
  CTRL_SRC_SHIFT: 4,
  CTRL_DST_SHIFT: 8,
  CTRL_IRQ_EN: 1 << 16,
  STATUS_BUSY: 1 << 0,
  STATUS_DONE: 1 << 1,
  STATUS_ERROR: 1 << 2,
  /** Kinds (SRC_KIND: STASH, LPDDR0, LPDDR1; DST_KIND: all five). */
  KIND_STASH: 0,
  KIND_LPDDR0: 1,
  KIND_LPDDR1: 2,
  KIND_MU_WEIGHT: 3,
  KIND_MU_INPUT: 4,
}, { doc: 'Stash DMA engine register fields and transfer kinds' });

export interface StashDmaOptions {
  /** Bytes a word on every port (power of two 4..256, default 64). */
  wordBytes?: number;
  /** Address bits of the stash port (default 23: 8 MiB window). */
  stashAddrBits?: number;
  /** Address bits of each LPDDR port (default 28). */
  lpddrAddrBits?: number;
  /** Row bits of the weight port: unit bits above the array's row bits (default 9: 8 units of 64 rows). */
  weightRowBits?: number;
  /** Words of read data buffered (2..255, default 16): reads in flight are limited to it. */
  fifoDepth?: number;
}

type Master = HwBundle<ReturnType<typeof MemPort>>;

export class StashDma extends Module {
  /** Registers, from the dispatch engine. */
  readonly csr: HwBundle<ReturnType<typeof flip<ReturnType<typeof CsrBus>>>>;
  /** Completion interrupt: DONE and IRQ_EN (a level, until STATUS.DONE is cleared or a new transfer starts). */
  readonly irq = this.output(1, { doc: 'completion interrupt (level): STATUS.DONE and CTRL.IRQ_EN' });
  /** To the stash's `dma` port. */
  readonly stash: Master;
  /** To LPDDR channels 0 and 1. */
  readonly lpddr: Master[];
  /** Weight rows to the matrix units (DimcCluster's `wr`: unit bits above the row bits). Partial rows are zero-filled. */
  readonly weights: HwBundle<ReturnType<typeof WeightPort>>;
  /** Input vectors to the matrix units (their `in` stream). Partial words are zero-filled. */
  readonly vectors: HwBundle<ReturnType<typeof Stream>>;
  readonly options: Required<StashDmaOptions>;

  constructor(opts: StashDmaOptions = {}) {
    super();
    const o: Required<StashDmaOptions> = {
      wordBytes: opts.wordBytes ?? 64,
      stashAddrBits: opts.stashAddrBits ?? 23,
      lpddrAddrBits: opts.lpddrAddrBits ?? 28,
      weightRowBits: opts.weightRowBits ?? 9,
      fifoDepth: opts.fifoDepth ?? 16,
    };
    const wb = o.wordBytes;
    if (!Number.isInteger(wb) || wb < 4 || wb > 256 || (wb & (wb - 1)) !== 0) throw new Error(`StashDma: wordBytes must be a power of two 4..256, got ${wb}`);
    const lw = Math.log2(wb);
    for (const k of ['stashAddrBits', 'lpddrAddrBits'] as const) {
      if (!Number.isInteger(o[k]) || o[k] <= lw || o[k] > 32) throw new Error(`StashDma: ${k} must be an integer ${lw + 1}..32, got ${o[k]}`);
    }
    if (!Number.isInteger(o.weightRowBits) || o.weightRowBits < 1 || o.weightRowBits > 16) throw new Error(`StashDma: weightRowBits must be an integer 1..16, got ${o.weightRowBits}`);
    if (!Number.isInteger(o.fifoDepth) || o.fifoDepth < 2 || o.fifoDepth > 255) throw new Error(`StashDma: fifoDepth must be an integer 2..255, got ${o.fifoDepth}`);
    this.options = o;
    const W = wb * 8;
    const R = STASH_DMA_REG;
    const B = STASH_DMA_BIT;

    this.csr = this.port(flip(CsrBus(4)));
    this.stash = this.port(MemPort(o.stashAddrBits, W));
    this.lpddr = [0, 1].map(() => this.port(MemPort(o.lpddrAddrBits, W)));
    this.weights = this.port(WeightPort(o.weightRowBits, W));
    this.vectors = this.port(Stream(W));
    const masters = [this.stash, ...this.lpddr];

    // ---- registers
    const src = this.reg(32);
    const dst = this.reg(32);
    const len = this.reg(24);
    const rows = this.reg(16);
    const srcStride = this.reg(32);
    const dstStride = this.reg(32);
    const srcKind = this.reg(3);
    const dstKind = this.reg(3);
    const irqEn = this.reg(1);
    const busy = this.reg(1);
    const done = this.reg(1);
    const error = this.reg(1);
    const rowsDone = this.reg(16);
    const wr = this.csr.en.and(this.csr.we);
    const at = (a: number) => wr.and(this.csr.addr.eq(a));
    const wd = this.csr.wdata;
    const idle = busy.not();
    when(at(R.SRC).and(idle), () => src.set(wd));
    when(at(R.DST).and(idle), () => dst.set(wd));
    when(at(R.LEN).and(idle), () => len.set(wd.slice(23, 0)));
    when(at(R.ROWS).and(idle), () => rows.set(wd.slice(15, 0)));
    when(at(R.SRC_STRIDE).and(idle), () => srcStride.set(wd));
    when(at(R.DST_STRIDE).and(idle), () => dstStride.set(wd));
    const ctrlWrite = at(R.CTRL).and(idle);
    const newSrcKind = wd.slice(B.CTRL_SRC_SHIFT + 2, B.CTRL_SRC_SHIFT);
    const newDstKind = wd.slice(B.CTRL_DST_SHIFT + 2, B.CTRL_DST_SHIFT);
    when(ctrlWrite, () => {
      srcKind.set(newSrcKind);
      dstKind.set(newDstKind);
      irqEn.set(wd.bit(16));
    });
    const start = ctrlWrite.and(wd.bit(0));
    const badKind = newSrcKind.gt(B.KIND_LPDDR1).or(newDstKind.gt(B.KIND_MU_INPUT));
    const nothing = len.eq(0);
    const rowCount = mux(rows.eq(0), U(1, 16), rows);

    // ---- the reader: source words of each row, into the FIFO
    const depth = o.fifoDepth;
    const fifo = new Fifo(W, depth);
    const cntW = clog2(depth + 1) + 1;
    const inFlight = this.reg(cntW);
    const rdOn = this.reg(1);
    const rdRows = this.reg(16);
    const rdSrc = this.reg(32);
    const rdDst = this.reg(32);
    const rdK = this.reg(25);
    const lowOf = (a: Sig) => a.slice(lw - 1, 0);
    /** destination words a row touches: ceil((dst mod W + len) / W) */
    const wordsOf = (d: Sig) => lowOf(d).zext(26).add(len.zext(26)).add(wb - 1).shr(lw).slice(24, 0);
    const rdWords = wordsOf(rdDst).add(1); // one more source word than destination words
    const q0 = rdSrc.sub(lowOf(rdDst).zext(32)).and(U(0xffff_ffff - (wb - 1), 32));
    const rdAddr = q0.add(rdK.zext(32).shl(lw));
    const room = inFlight.zext(cntW + 1).add(fifo.count.zext(cntW + 1)).lt(depth);

    // ---- the writer: pairs of FIFO words, shifted and masked, to the destination
    const wrOn = this.reg(1);
    const wrRows = this.reg(16);
    const wrSrc = this.reg(32);
    const wrDst = this.reg(32);
    const wrK = this.reg(25); // 0: take the row's first source word; j + 1: write destination word j
    const prev = this.reg(W, { reset: 'none' });
    const nd = wordsOf(wrDst);
    const shift = lowOf(wrSrc.sub(wrDst));
    const pair = cat(fifo.out.data, prev);
    const aligned = pair.shr(cat(shift, U(0, 3))).slice(W - 1, 0);
    const j = wrK.sub(1);
    const ones = U((1n << BigInt(wb)) - 1n, wb);
    const endOff = lowOf(wrDst.add(len.zext(32)));
    const firstMask = ones.shl(lowOf(wrDst));
    const lastMask = mux(endOff.eq(0), ones, ones.shl(endOff).not());
    const be = mux(j.eq(0), firstMask, ones).and(mux(j.eq(nd.sub(1)), lastMask, ones));
    const dstAddr = wrDst.and(U(0xffff_ffff - (wb - 1), 32)).add(j.zext(32).shl(lw));
    const priming = wrOn.and(wrK.eq(0));
    const writing = wrOn.and(wrK.ne(0)).and(fifo.out.valid);
    const bitMask = cat(...Array.from({ length: wb }, (_, i) => be.bit(wb - 1 - i).rep(8)));
    const zeroFilled = aligned.and(bitMask);

    // destination handshakes
    const toMaster = (k: number) => writing.and(dstKind.eq(k));
    const dstReady = [
      masters[0]!.req.ready, masters[1]!.req.ready, masters[2]!.req.ready, this.weights.ready, this.vectors.ready,
    ];
    const wrFire = writing.and(mux(dstKind.eq(B.KIND_MU_INPUT), dstReady[4]!, mux(dstKind.eq(B.KIND_MU_WEIGHT), dstReady[3]!,
      mux(dstKind.eq(B.KIND_LPDDR1), dstReady[2]!, mux(dstKind.eq(B.KIND_LPDDR0), dstReady[1]!, dstReady[0]!)))));
    this.weights.valid.assign(toMaster(B.KIND_MU_WEIGHT));
    this.weights.row.assign(dstAddr.shr(lw).slice(o.weightRowBits - 1, 0));
    this.weights.data.assign(zeroFilled);
    this.vectors.valid.assign(toMaster(B.KIND_MU_INPUT));
    this.vectors.data.assign(zeroFilled);

    // each master: the writer first (it frees FIFO room), else the reader
    const rdWants = rdOn.and(room);
    const rdGo: Sig[] = [];
    masters.forEach((m, k) => {
      const w = toMaster(k);
      const r = rdWants.and(srcKind.eq(k)).and(w.not());
      rdGo.push(r.and(m.req.ready));
      const ab = m.req.addr.width;
      m.req.valid.assign(w.or(r));
      m.req.we.assign(w);
      m.req.addr.assign(mux(w, dstAddr.slice(ab - 1, 0), rdAddr.slice(ab - 1, 0)));
      m.req.wdata.assign(aligned);
      m.req.be.assign(mux(w, be, ones));
    });
    const rdFire = rdGo.reduce((a, b) => a.or(b));
    const rspValid = mux(srcKind.eq(B.KIND_LPDDR1), masters[2]!.rsp.valid, mux(srcKind.eq(B.KIND_LPDDR0), masters[1]!.rsp.valid, masters[0]!.rsp.valid));
    const rspData = mux(srcKind.eq(B.KIND_LPDDR1), masters[2]!.rsp.data, mux(srcKind.eq(B.KIND_LPDDR0), masters[1]!.rsp.data, masters[0]!.rsp.data));
    fifo.in.valid.assign(rspValid.and(busy));
    fifo.in.data.assign(rspData);
    inFlight.set(inFlight.add(rdFire.zext(cntW)).sub(rspValid.and(busy).zext(cntW)));
    const pop = priming.and(fifo.out.valid).or(wrFire);
    fifo.out.ready.assign(pop);
    when(pop, () => prev.set(fifo.out.data));

    // ---- reader and writer row walks
    const rdLastWord = rdK.eq(rdWords.sub(1));
    when(rdFire, () => {
      when(rdLastWord, () => {
        rdK.set(0);
        rdSrc.set(rdSrc.add(srcStride));
        rdDst.set(rdDst.add(dstStride));
        rdRows.set(rdRows.sub(1));
        when(rdRows.eq(1), () => rdOn.set(0));
      }).otherwise(() => rdK.set(rdK.add(1)));
    });
    const rowWritten = wrFire.and(wrK.eq(nd));
    when(priming.and(fifo.out.valid), () => wrK.set(1));
    when(wrFire, () => {
      when(rowWritten, () => {
        wrK.set(0);
        wrSrc.set(wrSrc.add(srcStride));
        wrDst.set(wrDst.add(dstStride));
        wrRows.set(wrRows.sub(1));
        rowsDone.set(rowsDone.add(1));
      }).otherwise(() => wrK.set(wrK.add(1)));
    });
    const finished = rowWritten.and(wrRows.eq(1));

    // ---- start, completion, status
    const clearDone = at(R.STATUS).and(wd.bit(1));
    when(start, () => {
      rowsDone.set(0);
      when(badKind.or(nothing), () => {
        done.set(1);
        error.set(badKind);
      }).otherwise(() => {
        busy.set(1);
        done.set(0);
        error.set(0);
        rdOn.set(1);
        wrOn.set(1);
        rdRows.set(rowCount);
        wrRows.set(rowCount);
        rdSrc.set(src);
        rdDst.set(dst);
        wrSrc.set(src);
        wrDst.set(dst);
        rdK.set(0);
        wrK.set(0);
      });
    }).elsewhen(finished, () => {
      busy.set(0);
      wrOn.set(0);
      done.set(1);
    }).elsewhen(clearDone, () => done.set(0));
    this.irq.assign(done.and(irqEn));

    const status = cat(U(0, 29), error, done, busy);
    const config = cat(U(0, 16), U(depth & 0xff, 8), U(lw, 8));
    const regs: Array<[number, Sig]> = [
      [R.SRC, src], [R.DST, dst], [R.LEN, len.zext(32)], [R.ROWS, rows.zext(32)], [R.SRC_STRIDE, srcStride],
      [R.DST_STRIDE, dstStride], [R.CTRL, cat(U(0, 15), irqEn, U(0, 5), dstKind, U(0, 1), srcKind, U(0, 4))],
      [R.STATUS, status], [R.ROWS_DONE, rowsDone.zext(32)], [R.CONFIG, config],
    ];
    this.csr.rdata.assign(regs.reduce((acc, [a, v]) => mux(this.csr.addr.eq(a), v, acc), U(0, 32)));
  }
}
