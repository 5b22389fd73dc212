// Quick-start example: counts input pulses and raises `full` when the count reaches a limit.
import { Module, when } from '../core/index.ts';

export class PulseCounter extends Module {
  /** One cycle high per pulse to count. */
  pulse = this.input(1);
  /** Clears the count. */
  clear = this.input(1);
  count = this.output(8);
  full = this.output(1);

  constructor(readonly limit: number) {
    super();
    const n = this.reg(8);
    when(this.clear, () => n.set(0))
      .elsewhen(this.pulse.and(n.ne(limit)), () => n.set(n.add(1)));
    this.count.assign(n);
    this.full.assign(n.eq(limit));
  }
}
