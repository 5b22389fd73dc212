// Iterative radix-2 restoring divider for the M extension (DIV, DIVU, REM, REMU): `bitsPerCycle` quotient bits a
// cycle, so a division takes 32 / bitsPerCycle iteration cycles plus one to load and one to hand over the result.
// Division by zero and the signed overflow give the values the ISA requires without special hardware paths:
// x / 0 -> all ones (DIV -1, DIVU 2^32-1), x % 0 -> x; (-2^31) / (-1) -> -2^31, remainder 0.
import { Module, cat, clog2, mux, when, type Sig } from '../../core/index.ts';

export class Divider extends Module {
  /** Start a division (only taken when `idle`). */
  start = this.input(1);
  /** Operands are signed (DIV, REM). */
  signed = this.input(1);
  /** Return the remainder rather than the quotient. */
  rem = this.input(1);
  a = this.input(32);
  b = this.input(32);
  /** The result is ready; `ack` takes it and returns the divider to idle. */
  done = this.output(1);
  idle = this.output(1);
  ack = this.input(1);
  result = this.output(32);

  constructor(readonly bitsPerCycle: number = 1) {
    super();
    if (![1, 2, 4, 8, 16, 32].includes(bitsPerCycle)) throw new Error(`Divider: bitsPerCycle must be 1, 2, 4, 8, 16 or 32, got ${bitsPerCycle}`);
    const steps = 32 / bitsPerCycle;
    const state = this.fsm(['IDLE', 'BUSY', 'DONE'] as const);
    const remr = this.reg(32);
    const quo = this.reg(32);
    const dvs = this.reg(32);
    const negQ = this.reg(1);
    const negR = this.reg(1);
    const wantRem = this.reg(1);
    const cnt = this.reg(clog2(Math.max(2, steps)));

    const aNeg = this.signed.and(this.a.bit(31));
    const bNeg = this.signed.and(this.b.bit(31));
    const absA = mux(aNeg, this.a.neg(), this.a);
    const absB = mux(bNeg, this.b.neg(), this.b);

    // bitsPerCycle restoring steps: shift the next dividend bit into the partial remainder, subtract if it fits
    let r: Sig = remr;
    let q: Sig = quo;
    for (let i = 0; i < bitsPerCycle; i++) {
      const shifted = cat(r, q.bit(31));
      const diff = shifted.subc(dvs.zext(33));
      const fits = diff.bit(33).not();
      r = mux(fits, diff.slice(31, 0), shifted.slice(31, 0));
      q = cat(q.slice(30, 0), fits);
    }

    state.on({
      IDLE: () =>
        when(this.start, () => {
          remr.set(0);
          quo.set(absA);
          dvs.set(absB);
          negQ.set(aNeg.xor(bNeg).and(this.b.orR()));
          negR.set(aNeg);
          wantRem.set(this.rem);
          cnt.set(0);
          state.goto('BUSY');
        }),
      BUSY: () => {
        remr.set(r);
        quo.set(q);
        cnt.set(cnt.add(1));
        when(cnt.eq(steps - 1), () => state.goto('DONE'));
      },
      DONE: () => when(this.ack, () => state.goto('IDLE')),
    });
    this.done.assign(state.is('DONE'));
    this.idle.assign(state.is('IDLE'));
    const qOut = mux(negQ, quo.neg(), quo);
    const rOut = mux(negR, remr.neg(), remr);
    this.result.assign(mux(wantRem, rOut, qOut));
  }
}
