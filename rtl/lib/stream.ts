// Valid/ready streams: the bundle spec (a word moves at a clock edge where valid and ready are both high), and the
// two pipeline stages used to cut long paths on a stream: a register slice (StreamReg) that registers valid and
// data, and a skid buffer (SkidBuffer) that registers ready as well. Both sustain one word per cycle.
import { Module, In, Out, flip, when, type Flip, type HwBundle, type Sig } from '../core/index.ts';

/** A valid/ready stream of `width`-bit words, from the producer's side (flip() it for the consumer's ports). */
export function Stream<W extends number>(width: W) {
  return {
    valid: Out(1, { doc: 'data holds a word; it stays there, unchanged, until ready takes it' }),
    ready: In(1, { doc: 'the consumer takes the word at the next clock edge if valid is high' }),
    data: Out(width, { doc: 'the word' }),
  };
}
export type Stream<W extends number = number> = ReturnType<typeof Stream<W>>;

/** 1 in a cycle where a word moves (valid and ready both high). */
export function fire(s: { readonly valid: Sig; readonly ready: Sig }): Sig {
  return s.valid.and(s.ready);
}

/**
 * Register slice: one register stage on valid and data (the forward path is cut; in.ready is a function of
 * out.ready and the stage's own valid, so the backward path is not). Full throughput, one cycle of latency.
 */
export class StreamReg<W extends number = number> extends Module {
  readonly in: HwBundle<Flip<Stream<W>>>;
  readonly out: HwBundle<Stream<W>>;

  constructor(readonly width: W) {
    super();
    this.in = this.port(flip(Stream(width)));
    this.out = this.port(Stream(width));
    const full = this.reg(1);
    const word = this.reg(width);
    // the stage takes a new word when it is empty or its word leaves in this cycle
    const take = full.not().or(this.out.ready);
    this.in.ready.assign(take);
    when(take, () => full.set(this.in.valid));
    when(fire(this.in), () => word.set(this.in.data));
    this.out.valid.assign(full);
    this.out.data.assign(word);
  }
}

/**
 * Skid buffer: a register slice whose in.ready is a register too, so both the forward and the backward paths are
 * cut. A second entry (the skid register) catches the word accepted in the cycle out.ready falls. Full throughput,
 * one cycle of latency, two entries.
 */
export class SkidBuffer<W extends number = number> extends Module {
  readonly in: HwBundle<Flip<Stream<W>>>;
  readonly out: HwBundle<Stream<W>>;

  constructor(readonly width: W) {
    super();
    this.in = this.port(flip(Stream(width)));
    this.out = this.port(Stream(width));
    const outFull = this.reg(1);
    const outWord = this.reg(width);
    const skidFull = this.reg(1);
    const skidWord = this.reg(width);
    // in.ready comes straight from a register: accept whenever the skid register is free
    this.in.ready.assign(skidFull.not());
    const outMoves = outFull.not().or(this.out.ready);
    when(outMoves, () => {
      // the output register refills: from the skid register first (older), else from the input
      when(skidFull, () => {
        outWord.set(skidWord);
        outFull.set(1);
        skidFull.set(0);
      }).otherwise(() => {
        outFull.set(this.in.valid);
        when(this.in.valid, () => outWord.set(this.in.data));
      });
    }).otherwise(() => {
      // the output is stalled: a word accepted now goes to the skid register
      when(fire(this.in), () => {
        skidWord.set(this.in.data);
        skidFull.set(1);
      });
    });
    this.out.valid.assign(outFull);
    this.out.data.assign(outWord);
  }
}
