// Clock domains: a clock with its period and a reset input. Every register and memory port belongs to one.
// The simulator schedules the edges of all domains on one time axis in picoseconds; the SV emitter turns each
// domain into a clock port and a reset port.
export type ResetKind = 'sync' | 'async' | 'none';

export interface ClockDomainOptions {
  /** Clock period in picoseconds (1 GHz = 1000). */
  periodPs?: number;
  /** Reset style of this domain's registers unless a register says otherwise. */
  reset?: ResetKind;
  /** Name of the clock port; default `<name>_clk`. */
  clockName?: string;
  /** Name of the reset port (active high); default `<name>_rst`. */
  resetName?: string;
}

export class ClockDomain {
  readonly periodPs: number;
  readonly reset: ResetKind;
  readonly clockName: string;
  readonly resetName: string;
  constructor(readonly name: string, opts: ClockDomainOptions = {}) {
    this.periodPs = opts.periodPs ?? 1000;
    if (!Number.isInteger(this.periodPs) || this.periodPs < 2) {
      throw new Error(`clock domain '${name}': periodPs must be an integer number of picoseconds >= 2, got ${opts.periodPs}`);
    }
    this.reset = opts.reset ?? 'sync';
    this.clockName = opts.clockName ?? `${name}_clk`;
    this.resetName = opts.resetName ?? `${name}_rst`;
  }
  /** Frequency in MHz, for reports. */
  get mhz(): number {
    return 1e6 / this.periodPs;
  }
}

/** The domain a module uses unless it says otherwise: ports `clk` and `rst`, 1 GHz. */
export const sysDomain = new ClockDomain('sys', { periodPs: 1000, clockName: 'clk', resetName: 'rst' });
