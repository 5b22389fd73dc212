// The wire between two XGMII ports: a pure delay line (cable length as a latency in ns, converted to clocks of
// the MAC's clock) that carries every beat unchanged. Reset fills it with idles.
import { Module, U, flip, type Flip, type HwBundle, type Sig } from '../../core/index.ts';
import { Xgmii, XGMII, laneBytes } from './xgmii.ts';

export interface EthLinkOptions {
  /** Datapath width in bits (multiple of 64). */
  width?: number;
  /** One-way latency in ns (cable about 5 ns/m plus PHY/SerDes). */
  latencyNs?: number;
  /** Clock period of the MAC's domain in ps (the 64-bit MAC at 10G: 6400; 400G at 1024 bits: 2560). */
  periodPs?: number;
}

/** Latency in clocks: ceil(latencyNs / period), at least 1. */
export function linkCycles(latencyNs: number, periodPs: number): number {
  return Math.max(1, Math.ceil((latencyNs * 1000) / periodPs));
}

export class EthLink extends Module {
  readonly a: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  readonly b: HwBundle<ReturnType<typeof Xgmii>>;
  readonly cycles: number;

  constructor(opts: EthLinkOptions = {}) {
    super();
    const width = opts.width ?? 64;
    const latencyNs = opts.latencyNs ?? 10;
    const periodPs = opts.periodPs ?? 6400;
    if (!Number.isInteger(width) || width < 64 || width % 64 !== 0) throw new Error(`EthLink: width must be a multiple of 64, got ${width}`);
    if (!(latencyNs >= 0) || !Number.isFinite(latencyNs)) throw new Error(`EthLink: latencyNs must be >= 0, got ${latencyNs}`);
    if (!Number.isInteger(periodPs) || periodPs <= 0) throw new Error(`EthLink: periodPs must be a positive integer, got ${periodPs}`);
    const n = (this.cycles = linkCycles(latencyNs, periodPs));
    if (n > 4096) throw new Error(`EthLink: latency of ${n} clocks is more than 4096 (latencyNs ${latencyNs})`);
    this.a = this.port(flip(Xgmii(width)));
    this.b = this.port(Xgmii(width));
    const idle = laneBytes(Array(width / 8).fill(XGMII.IDLE));
    let d: Sig = this.a.data;
    let c: Sig = this.a.ctrl;
    for (let i = 0; i < n; i++) {
      const rd = this.reg(width, { init: idle, name: `d${i}` });
      const rc = this.reg(width / 8, { init: (1n << BigInt(width / 8)) - 1n, name: `c${i}` });
      rd.set(d);
      rc.set(c);
      d = rd;
      c = rc;
    }
    this.b.data.assign(d);
    this.b.ctrl.assign(c);
    void U;
  }
}
