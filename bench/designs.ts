// Benchmark designs, written in the language: a small one (32-bit counter, LFSR, accumulator) and a medium one
// (about 5,000 register bits: a 150-stage 32-bit mixing pipeline, two 64-bit LFSRs and a 64x64-bit
// multiply-accumulate into 128 bits). Both have outputs so no logic is dead.
import { Module, U, cat } from '../rtl/core/index.ts';
import type { Sig } from '../rtl/core/index.ts';

/** Galois LFSR step: shift right, XOR the taps in when the low bit was 1. */
function lfsrNext(r: Sig, taps: bigint): Sig {
  const w = r.width;
  const shifted = r.shr(1);
  const mask = r.bit(0).rep(w);
  return shifted.xor(mask.and(U(taps, w)));
}

export class SmallBench extends Module {
  en = this.input(1);
  count = this.output(32);
  lfsr = this.output(32);
  acc = this.output(32);
  constructor() {
    super();
    const count = this.reg(32);
    const lfsr = this.reg(32, { init: 1 });
    const acc = this.reg(32);
    count.set(count.add(this.en.zext(32)));
    lfsr.set(lfsrNext(lfsr, 0x80200003n));
    acc.set(acc.add(lfsr).xor(count));
    this.count.assign(count);
    this.lfsr.assign(lfsr);
    this.acc.assign(acc);
  }
}

export class MediumBench extends Module {
  seed = this.input(32);
  digest = this.output(32);
  mac = this.output(128);
  constructor(stages = 150) {
    super();
    const a = this.reg(64, { init: 1 });
    const b = this.reg(64, { init: 0x1234_5678n });
    a.set(lfsrNext(a, 0xd800000000000000n));
    b.set(lfsrNext(b, 0xd800000000000000n));
    const acc = this.reg(128);
    acc.set(acc.add(a.mul(b)));
    this.mac.assign(acc);
    const pipe: Sig[] = [];
    let prev: Sig = this.seed.xor(a.trunc(32));
    for (let i = 0; i < stages; i++) {
      const r = this.reg(32, { name: `p${i}` });
      const rot = cat(prev.slice(24, 0), prev.slice(31, 25));
      r.set(rot.add(U((i * 0x9e3779b9) >>> 0, 32)).xor(prev.shr(3)));
      pipe.push(r);
      prev = r;
    }
    let d: Sig = pipe[0]!;
    for (let i = 1; i < pipe.length; i += 8) d = d.xor(pipe[i]!);
    this.digest.assign(d);
  }
}

export const benchDesigns = {
  small: () => new SmallBench(),
  medium: () => new MediumBench(),
};
