// Synchronous FIFO on a RAM: valid/ready stream in and out, first-word-fall-through (out.valid rises the cycle
// after a word is pushed into an empty FIFO), one push and one pop per cycle, and the number of words held.
import { Module, U, bitsFor, clog2, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../core/index.ts';
import { Stream, fire } from './stream.ts';

/**
 * `depth` words of `width` bits (any depth >= 1). The RAM's registered read port is the output register: it is
 * refilled from the RAM whenever it is empty or its word leaves, so a word pushed into an empty FIFO reaches out
 * one cycle later (the RAM is write-first, 'new' read-during-write, which lets that word bypass through it).
 *
 * Corners: in.ready is low exactly when `count == depth` (it does not look at out.ready, so there is no
 * combinational path from out to in); a pop when full is always taken and the freed slot can be pushed the next
 * cycle. When empty, a push is taken and out.valid rises the next cycle (no combinational path from in to out).
 * Pushing and popping in the same cycle keeps `count`.
 */
export class Fifo<W extends number = number> extends Module {
  readonly in: HwBundle<Flip<Stream<W>>>;
  readonly out: HwBundle<Stream<W>>;
  /** Words held, including the one on out (0..depth). */
  readonly count: Output;

  constructor(readonly width: W, readonly depth: number) {
    super();
    if (!Number.isInteger(depth) || depth < 1) throw new Error(`Fifo: depth must be an integer >= 1, got ${depth}`);
    this.in = this.port(flip(Stream(width)));
    this.out = this.port(Stream(width));
    this.count = this.output(bitsFor(depth), { doc: 'words held, including the one on out' });

    const aw = clog2(depth);
    const next = (p: Sig): Sig => (depth === 1 << aw ? p.add(1) : mux(p.eq(depth - 1), U(0, aw), p.add(1)));
    const ram = this.memory({ depth, width, readDuringWrite: 'new' });
    const wrPtr = this.reg(aw);
    const rdPtr = this.reg(aw);
    const used = this.reg(bitsFor(depth));
    const outFull = this.reg(1);

    const push = fire(this.in);
    const pop = fire(this.out);
    this.in.ready.assign(used.ne(depth));

    // words in the RAM (not yet in the output register), counting the one being written now
    const inRam = used.ne(outFull.zext(used.width)).or(push);
    const refill = inRam.and(outFull.not().or(this.out.ready));
    ram.write(wrPtr, this.in.data, { en: push });
    const head = ram.read(rdPtr, { en: refill });
    when(push, () => wrPtr.set(next(wrPtr)));
    when(refill, () => rdPtr.set(next(rdPtr)));
    when(refill, () => outFull.set(1)).elsewhen(pop, () => outFull.set(0));
    when(push.and(pop.not()), () => used.set(used.add(1))).elsewhen(pop.and(push.not()), () => used.set(used.sub(1)));

    this.out.valid.assign(outFull);
    this.out.data.assign(head);
    this.count.assign(used);
  }
}
