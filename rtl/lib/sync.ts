// Two-flop synchronizer: brings a signal into this module's clock domain. The first flop may go metastable (it is
// marked as the intended crossing), the second gives it a cycle to settle. Use it on single bits or on gray-coded
// values, where at most one bit changes at a time; build it in the receiving domain with withDomain().
import { Module, type Input, type Output } from '../core/index.ts';

export class Sync2 extends Module {
  /** The signal from the other clock domain (it must come straight from a register there). */
  readonly d: Input;
  /** d, two clock edges of this domain later. */
  readonly q: Output;

  constructor(readonly width: number) {
    super();
    this.d = this.input(width, { doc: 'signal from another clock domain, driven by a register there' });
    this.q = this.output(width, { doc: 'd synchronized to this domain (two cycles later)' });
    const meta = this.reg(width, { cdc: true });
    meta.set(this.d);
    const sync = this.reg(width);
    sync.set(meta);
    this.q.assign(sync);
  }
}
