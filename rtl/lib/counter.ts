// Counters: a free-running or modulo counter with enable, synchronous clear and load, and its terminal count; and
// an up/down counter. Priority at each edge: clear, then load, then counting.
import { Module, mux, when, type Input, type Output } from '../core/index.ts';

export interface CounterOptions {
  /** Last value before wrapping to 0 (a modulo max+1 counter); default 2^width - 1. */
  max?: number | bigint;
}

/** Counts 0, 1, ..., max, 0, ... on cycles with `en` (a value loaded above max counts on to all ones, then 0). */
export class Counter extends Module {
  readonly en: Input;
  readonly clear: Input;
  readonly load: Input;
  readonly loadValue: Input;
  readonly count: Output;
  /** Terminal count: count == max. */
  readonly tc: Output;
  /** The counter wraps to 0 at this edge: en and tc, with no clear or load. */
  readonly wrap: Output;

  constructor(readonly width: number, opts: CounterOptions = {}) {
    super();
    const top = (1n << BigInt(width)) - 1n;
    const max = BigInt(opts.max ?? top);
    if (max < 0n || max > top) throw new Error(`Counter: max ${max} does not fit in ${width} bits`);
    this.en = this.input(1, { doc: 'count this cycle' });
    this.clear = this.input(1, { doc: 'synchronous clear to 0 (wins over load and en)' });
    this.load = this.input(1, { doc: 'load loadValue (wins over en)' });
    this.loadValue = this.input(width, { doc: 'value for load' });
    this.count = this.output(width, { doc: 'the count' });
    this.tc = this.output(1, { doc: 'terminal count: count is at max' });
    this.wrap = this.output(1, { doc: 'the count wraps to 0 at this edge' });
    const value = this.reg(width);
    const tc = value.eq(max);
    const step = max === top ? value.add(1) : mux(tc, 0, value.add(1));
    when(this.clear, () => value.set(0))
      .elsewhen(this.load, () => value.set(this.loadValue))
      .elsewhen(this.en, () => value.set(step));
    this.count.assign(value);
    this.tc.assign(tc);
    this.wrap.assign(this.en.and(tc).and(this.clear.or(this.load).not()));
  }
}

/** Counts up or down by one on cycles with `en`, wrapping around at both ends. */
export class UpDownCounter extends Module {
  readonly en: Input;
  readonly up: Input;
  readonly clear: Input;
  readonly load: Input;
  readonly loadValue: Input;
  readonly count: Output;
  /** The counter wraps at this edge (up from all ones to 0, or down from 0 to all ones). */
  readonly wrap: Output;

  constructor(readonly width: number) {
    super();
    this.en = this.input(1, { doc: 'count this cycle' });
    this.up = this.input(1, { doc: '1 counts up, 0 counts down' });
    this.clear = this.input(1, { doc: 'synchronous clear to 0 (wins over load and en)' });
    this.load = this.input(1, { doc: 'load loadValue (wins over en)' });
    this.loadValue = this.input(width, { doc: 'value for load' });
    this.count = this.output(width, { doc: 'the count' });
    this.wrap = this.output(1, { doc: 'the count wraps around at this edge' });
    const value = this.reg(width);
    when(this.clear, () => value.set(0))
      .elsewhen(this.load, () => value.set(this.loadValue))
      .elsewhen(this.en, () => value.set(mux(this.up, value.add(1), value.sub(1))));
    const atEnd = mux(this.up, value.andR(), value.orR().not());
    this.count.assign(value);
    this.wrap.assign(this.en.and(atEnd).and(this.clear.or(this.load).not()));
  }
}
