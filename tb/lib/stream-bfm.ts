// Bus functional models for valid/ready streams: a source that drives words (holding valid and data until they are
// taken), a sink that takes them under random back-pressure and checks that the design holds its own valid and
// data until taken. Both drive right after a rising edge and sample at the falling edge (mid-cycle).
import type { ClockDomain } from '../../rtl/core/index.ts';
import type { InPort, OutPort, Testbench } from '../runtime/index.ts';
import { TestbenchError } from '../runtime/index.ts';
import { mulberry32 } from '../sim/random.ts';

/** The testbench's side of a stream the design consumes (the design's flipped `in` port). */
export interface SourceSide {
  readonly valid: InPort;
  readonly ready: OutPort;
  readonly data: InPort;
}

/** The testbench's side of a stream the design produces (the design's `out` port). */
export interface SinkSide {
  readonly valid: OutPort;
  readonly ready: InPort;
  readonly data: OutPort;
}

/** Uniform numbers in [0, 1) from a seed. */
export function uniform(seed: number): () => number {
  const next = mulberry32(seed);
  return () => (next() >>> 0) / 2 ** 32;
}

/** A random w-bit value. */
export function randomBits(rand: () => number, w: number): bigint {
  let v = 0n;
  for (let i = 0; i < w; i += 16) v = (v << 16n) | BigInt(Math.floor(rand() * 65536));
  return BigInt.asUintN(w, v);
}

export interface BfmOptions {
  domain?: ClockDomain;
  /** Chance that valid (source) or ready (sink) is high in a cycle when free to choose. Default 1. */
  prob?: number;
  rand?: () => number;
  /** Give up (fail) after this many cycles. Default 100,000. */
  maxCycles?: number;
}

/** A transfer seen by a BFM: the word and the rising edge (cycle number of the domain) that moved it. */
export interface Transfer {
  word: bigint;
  cycle: number;
}

/** Drive `words` into the design; resolves once all were taken. Between words, data carries junk. */
export async function send(tb: Testbench, port: SourceSide, words: readonly bigint[], opts: BfmOptions = {}): Promise<Transfer[]> {
  const { domain, prob = 1, rand = Math.random, maxCycles = 100_000 } = opts;
  const w = port.data.width;
  const done: Transfer[] = [];
  let holding = false;
  for (let n = 0; done.length < words.length; n++) {
    if (n > maxCycles) throw new TestbenchError(`source: ${words.length - done.length} words not taken after ${maxCycles} cycles`);
    const valid: boolean = holding || rand() < prob;
    port.valid.value = valid ? 1 : 0;
    port.data.big = valid ? words[done.length]! : randomBits(rand, w);
    await tb.falling(domain);
    const taken: boolean = valid && port.ready.value === 1;
    await tb.rising(domain);
    if (taken) done.push({ word: words[done.length]!, cycle: tb.cycle(domain) });
    holding = valid && !taken;
  }
  port.valid.value = 0;
  return done;
}

/**
 * Take `count` words from the design under random back-pressure; resolves with them. Fails if the design drops
 * valid or changes data while a word waits to be taken.
 */
export async function receive(tb: Testbench, port: SinkSide, count: number, opts: BfmOptions = {}): Promise<Transfer[]> {
  const { domain, prob = 1, rand = Math.random, maxCycles = 100_000 } = opts;
  const got: Transfer[] = [];
  let waiting: bigint | undefined;
  for (let n = 0; got.length < count; n++) {
    if (n > maxCycles) throw new TestbenchError(`sink: got ${got.length} of ${count} words after ${maxCycles} cycles`);
    const ready = rand() < prob;
    port.ready.value = ready ? 1 : 0;
    await tb.falling(domain);
    const valid = port.valid.value === 1;
    const data = port.data.big;
    if (waiting !== undefined) {
      tb.check(valid, `${port.valid.path} dropped while word ${waiting} was waiting to be taken`);
      tb.expectEqual(data, waiting, `${port.data.path} changed while waiting to be taken`);
    }
    await tb.rising(domain);
    if (valid && ready) got.push({ word: data, cycle: tb.cycle(domain) });
    waiting = valid && !ready ? data : undefined;
  }
  port.ready.value = 0;
  return got;
}

/** Check that the design offers nothing more for `cycles` cycles (no duplicated or invented words). */
export async function expectIdle(tb: Testbench, port: SinkSide, cycles: number, domain?: ClockDomain): Promise<void> {
  port.ready.value = 1;
  for (let i = 0; i < cycles; i++) {
    await tb.falling(domain);
    tb.check(port.valid.value === 0, `${port.valid.path} is high after every word was taken`);
    await tb.rising(domain);
  }
  port.ready.value = 0;
}

/** The words of a list of transfers. */
export const words = (ts: readonly Transfer[]): bigint[] => ts.map((t) => t.word);
