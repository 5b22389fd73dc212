// Exact integer sums -> FP32 (or BF16) at stream rate: every lane carries a signed integer s (an accumulator of
// the DIMC array) and a signed power-of-two exponent k (the product of the operands' block scales); the lane's
// result is s * 2^k rounded once, to nearest with ties to even, with gradual underflow (subnormals) and overflow
// to infinity. One register stage with a valid/ready handshake. BF16 is FP32's exponent with 7 mantissa bits.
//
// Per lane: sign and magnitude, position p of the leading one (a priority tree), the weight q of the result's LSB
// (max(p + k - 23, -149)), the magnitude shifted to 24 bits (or fewer, subnormal) with round and sticky bits, and
// the result packed as (biased exponent - 1) << 23 plus the significand plus the rounding increment, so a carry
// out of the significand bumps the exponent (and a subnormal that rounds up becomes the smallest normal).
import { Module, U, cat, flip, mux, when, type Sig, type HwBundle, type Flip } from '../../core/index.ts';
import { Stream, fire } from '../../lib/stream.ts';

export interface IntToFp32Params {
  /** Lanes converted each cycle. */
  lanes: number;
  /** Width of each lane's signed integer, 2..32. Default 32. */
  intWidth?: number;
  /** Width of each lane's signed exponent, 2..10. Default 10 (enough for the product of two E8M0 scales). */
  expWidth?: number;
  /** Result format: 'fp32' (default) or 'bf16' (16-bit lanes). */
  out?: 'fp32' | 'bf16';
}

/** Position of the most significant one of x (a power-of-two width >= 2), and whether there is one. */
export function leadingOne(x: Sig): { any: Sig; pos: Sig } {
  if (x.width === 2) return { any: x.orR(), pos: x.bit(1) };
  const h = x.width / 2;
  const hi = leadingOne(x.slice(x.width - 1, h));
  const lo = leadingOne(x.slice(h - 1, 0));
  return { any: hi.any.or(lo.any), pos: cat(hi.any, mux(hi.any, hi.pos, lo.pos)) };
}

/** s * 2^k as FP32 bits (RNE), combinationally. s: signed, up to 32 bits; k: signed, up to 10 bits. */
export function intToFp32(s: Sig, k: Sig): Sig {
  return intToFloat(s, k, 23);
}

/**
 * s * 2^k rounded (RNE) to a float with FP32's 8-bit exponent and `mbits` mantissa bits (23 FP32, 7 BF16):
 * 1 + 8 + mbits result bits.
 */
export function intToFloat(s: Sig, k: Sig, mbits: number): Sig {
  const neg = s.bit(s.width - 1);
  const mag = mux(neg, s.asUnsigned().neg(), s.asUnsigned()).zext(32); // |-2^31| = 2^31 fits 32 unsigned bits
  const { any, pos } = leadingOne(mag); // pos: 5 bits
  const kk = k.sext(12);
  const E = pos.zext(12).asSigned().add(kk); // unbiased exponent of the value
  const q = mux(E.lt(S12(-126)), S12(-126 - mbits), E.sub(mbits)); // weight of the LSB of the result
  const sh = q.sub(kk); // bits of mag below that LSB (>= -mbits)
  const left = sh.lt(S12(0));
  const shl = sh.neg().trunc(5).asUnsigned(); // 0..mbits when left
  const shr = mux(sh.gt(S12(33)), U(33, 6), sh.trunc(6).asUnsigned()); // 0..33 when right
  const sigL = mag.shl(shl);
  const sigR = mag.shr(shr);
  const roundBit = mux(shr.eq(0), U(0, 1), mag.shr(shr.sub(1)).bit(0));
  const sticky = mux(shr.eq(0), U(0, 1), mag.and(U(0xffffffff, 32).shl(shr.sub(1)).not()).ne(0));
  const sig = mux(left, sigL, sigR); // < 2^(mbits+1)
  const inc = mux(left, U(0, 1), roundBit.and(sticky.or(sig.bit(0))));
  const overflow = E.gt(S12(127));
  const base = mux(E.lt(S12(-126)), U(0, 32), E.add(126).trunc(8).asUnsigned().zext(32).shl(mbits));
  const packed = base.add(sig).add(inc.zext(32));
  const infCode = 0xff * 2 ** mbits;
  const inf = overflow.or(packed.ge(infCode));
  const mag31 = mux(inf, U(infCode, 8 + mbits), packed.trunc(8 + mbits));
  return mux(any, cat(neg, mag31), U(0, 9 + mbits));
}

function S12(v: number): Sig {
  return U(v < 0 ? v + 4096 : v, 12).asSigned();
}

export class IntToFp32 extends Module {
  /** Lane i at bits [(i+1)*(intWidth+expWidth)-1 : i*(intWidth+expWidth)]: exponent k above the integer s. */
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  /** FP32 bits, lane i at [32i+31 : 32i] (BF16: [16i+15 : 16i]). */
  readonly out: HwBundle<ReturnType<typeof Stream<number>>>;
  readonly latency = 1;
  readonly intWidth: number;
  readonly expWidth: number;

  constructor(readonly p: IntToFp32Params) {
    super();
    const { lanes } = p;
    const iw = (this.intWidth = p.intWidth ?? 32);
    const ew = (this.expWidth = p.expWidth ?? 10);
    if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`IntToFp32: lanes must be a positive integer, got ${lanes}`);
    if (!Number.isInteger(iw) || iw < 2 || iw > 32) throw new Error(`IntToFp32: intWidth must be 2..32, got ${iw}`);
    if (!Number.isInteger(ew) || ew < 2 || ew > 10) throw new Error(`IntToFp32: expWidth must be 2..10, got ${ew}`);
    const lw = iw + ew;
    this.in = this.port(flip(Stream(lanes * lw)));
    const ow = p.out === 'bf16' ? 16 : 32;
    this.out = this.port(Stream(lanes * ow));

    const v = this.reg(1, { name: 'valid_q' });
    const adv = v.not().or(this.out.ready);
    this.in.ready.assign(adv);
    when(adv, () => v.set(this.in.valid));
    const take = fire(this.in).and(adv);
    const res: Sig[] = [];
    for (let i = 0; i < lanes; i++) {
      const s = this.in.data.slice(i * lw + iw - 1, i * lw).asSigned();
      const k = this.in.data.slice(i * lw + lw - 1, i * lw + iw).asSigned();
      const r = this.reg(ow, { name: `fp_${i}`, en: take, reset: 'none' });
      r.set(intToFloat(s, k, ow === 32 ? 23 : 7));
      res.push(r);
    }
    this.out.valid.assign(v);
    this.out.data.assign(cat(...res.slice().reverse()));
  }
}
