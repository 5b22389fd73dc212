// FP32 -> block integer format quantizer at stream rate (one block a cycle): the shared exponent from the block
// maximum, every element rounded to nearest (ties to even, or away from zero) at that scale, clamped to
// +-(2^(bits-1)-1) keeping the sign; a NaN or infinity anywhere makes the block NaN (scale 0xFF, codes 0).
// With bits = 8 this is MXINT8 (k = 32) or the 64-element BFP16_64 that feeds the INT8 array; with bits = 4
// and k = 128 it is BFP12_128 for the INT4 array. Element values are code * 2^-(bits-2) * 2^(scale-127).
// With `fp` it quantizes to the MX minifloat elements instead (FP8 E4M3/E5M2, FP6 E2M3/E3M2, FP4 E2M1): the
// shared exponent is floor(log2 max) - emax_elem, each element gets its own exponent (subnormal below emin),
// rounds to nearest at its mantissa width and saturates to the largest normal keeping its sign.
//
// Two register stages with a valid/ready handshake (a stalled stage holds; nothing is lost):
//   stage 1: the block and its maximum exponent field (and the NaN/Inf flag)
//   stage 2: the scale and the element codes
import { Module, U, cat, flip, mux, when, type Sig, type HwBundle, type Flip } from '../../core/index.ts';
import { Stream, fire } from '../../lib/stream.ts';
import { leadingOne } from './int-to-fp32.ts';

export type TieRule = 'even' | 'away';

/** An MX minifloat element format: 1 sign, ebits exponent (bias 2^(ebits-1)-1), mbits mantissa bits. */
export interface MiniFloat {
  ebits: number;
  mbits: number;
  /** Use of the all-ones exponent: 'none' (normal numbers), 'nan-max' (E4M3: only S.1111.111 is NaN), 'ieee' (E5M2). */
  special: 'none' | 'nan-max' | 'ieee';
}

export const MX_FP = {
  E4M3: { ebits: 4, mbits: 3, special: 'nan-max' },
  E5M2: { ebits: 5, mbits: 2, special: 'ieee' },
  E2M3: { ebits: 2, mbits: 3, special: 'none' },
  E3M2: { ebits: 3, mbits: 2, special: 'none' },
  E2M1: { ebits: 2, mbits: 1, special: 'none' },
} as const satisfies Record<string, MiniFloat>;

export interface BfpQuantizerParams {
  /** Elements per block (32 for MX, 64 / 128 for the array formats). */
  k: number;
  /** Integer element bits, 2..8 (two's complement, value = code * 2^-(bits-2)); ignored with `fp`. */
  bits?: number;
  /** Minifloat elements instead of integers. */
  fp?: MiniFloat;
  /** Tie rule of the rounding; default 'even'. */
  tie?: TieRule;
  /** Input elements: 'fp32' (default) or 'bf16' (16 bits each, the top half of an FP32). */
  input?: 'fp32' | 'bf16';
}

/** Largest finite magnitude code (sign bit clear) and floor(log2) of the largest value, of a minifloat. */
export function miniFloatLimits(f: MiniFloat): { maxCode: number; emax: number; bias: number } {
  const bias = 2 ** (f.ebits - 1) - 1;
  const topE = 2 ** f.ebits - 1;
  const maxE = f.special === 'ieee' ? topE - 1 : topE;
  const maxM = f.special === 'nan-max' ? 2 ** f.mbits - 2 : 2 ** f.mbits - 1;
  return { maxCode: maxE * 2 ** f.mbits + maxM, emax: maxE - bias, bias };
}

/** Largest of two unsigned values. */
function umax(a: Sig, b: Sig): Sig {
  return mux(a.gt(b), a, b);
}

export class BfpQuantizer extends Module {
  /** k FP32 values, element i at bits [32i+31 : 32i] (BF16: [16i+15 : 16i]). */
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  /** Element codes (element i at bits [bits*i+bits-1 : bits*i]) with the E8M0 scale above them, at [k*bits+7 : k*bits]. */
  readonly out: HwBundle<ReturnType<typeof Stream<number>>>;
  readonly latency = 2;

  constructor(readonly p: BfpQuantizerParams) {
    super();
    const { k, fp } = p;
    const bits = fp ? 1 + fp.ebits + fp.mbits : (p.bits ?? 8);
    const tie = p.tie ?? 'even';
    if (!Number.isInteger(k) || k < 1) throw new Error(`BfpQuantizer: k must be a positive integer, got ${k}`);
    if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new Error(`BfpQuantizer: bits must be 2..8, got ${bits}`);
    if (fp && (fp.mbits < 1 || fp.mbits > 3 || fp.ebits < 2 || fp.ebits > 5)) throw new Error('BfpQuantizer: minifloat must have 2..5 exponent and 1..3 mantissa bits');
    const frac = bits - 2;
    const lim = 2 ** (bits - 1) - 1;
    const emaxElem = fp ? miniFloatLimits(fp).emax : 0;
    const iw = p.input === 'bf16' ? 16 : 32;
    this.in = this.port(flip(Stream(iw * k)));
    this.out = this.port(Stream(k * bits + 8));

    // handshake: each stage holds its word until the next one takes it
    const v1 = this.reg(1, { name: 's1_valid' });
    const v2 = this.reg(1, { name: 's2_valid' });
    const adv2 = v2.not().or(this.out.ready);
    const adv1 = v1.not().or(adv2);
    this.in.ready.assign(adv1);
    when(adv1, () => v1.set(this.in.valid));
    when(adv2, () => v2.set(v1));
    const take1 = fire(this.in).and(adv1);

    // ---- stage 1: the block, the largest exponent field, NaN/Inf anywhere
    const xs: Sig[] = [];
    const exps: Sig[] = [];
    const specials: Sig[] = [];
    for (let i = 0; i < k; i++) {
      const raw = this.in.data.slice(iw * i + iw - 1, iw * i);
      const x = iw === 32 ? raw : cat(raw, U(0, 16)); // a BF16 is exactly the FP32 with 16 zero bits below
      const e = x.slice(30, 23);
      exps.push(e);
      specials.push(e.eq(255));
      const r = this.reg(iw, { name: `s1_x_${i}`, en: take1, reset: 'none' });
      r.set(raw);
      xs.push(iw === 32 ? r : cat(r, U(0, 16)));
    }
    let level = exps;
    while (level.length > 1) {
      const next: Sig[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? umax(level[i]!, level[i + 1]!) : level[i]!);
      level = next;
    }
    let special = specials[0]!;
    for (const s of specials.slice(1)) special = special.or(s);
    const emax1 = this.reg(8, { name: 's1_emax', en: take1, reset: 'none' });
    emax1.set(level[0]!);
    const nan1 = this.reg(1, { name: 's1_nan', en: take1, reset: 'none' });
    nan1.set(special);

    // ---- stage 2: scale = max(emax field - emax_elem, 0) (floor(log2 max) - emax_elem, clamped at 2^-127)
    const take2 = v1.and(adv2);
    const scaleVal = emaxElem === 0 ? emax1 : mux(emax1.gt(emaxElem), emax1.sub(emaxElem), U(0, 8));
    const codes: Sig[] = [];
    for (let i = 0; i < k; i++) {
      const x = xs[i]!;
      const e = x.slice(30, 23);
      const sub = e.eq(0);
      const sig = cat(sub.not(), x.slice(22, 0)); // 24 bits with the hidden bit
      const eEff = mux(sub, U(1, 8), e);
      const code = fp ? this.fpElement(fp, tie, x, sig, eEff, scaleVal, i) : intElement(sig, eEff, scaleVal, x.bit(31), frac, lim, bits, tie);
      codes.push(mux(nan1, U(0, bits), code).named(`code_${i}`));
    }
    const scale = this.reg(8, { name: 's2_scale', en: take2, reset: 'none' });
    scale.set(mux(nan1, U(255, 8), scaleVal));
    const codeRegs = codes.map((c, i) => {
      const r = this.reg(bits, { name: `s2_code_${i}`, en: take2, reset: 'none' });
      r.set(c);
      return r;
    });
    this.out.valid.assign(v2);
    this.out.data.assign(cat(scale, ...codeRegs.slice().reverse()));
  }

  /**
   * A minifloat element. The value a = v / 2^shared = sig * 2^(eEff - S - 23) (S the biased scale); its own
   * exponent pe = max(floor(log2 a), emin) sets the step 2^(pe - mbits); q = round(a / step) steps. The code
   * magnitude ((pe - emin) << mbits) + q is the packed exponent and mantissa (a carry out of the mantissa bumps
   * the exponent, a subnormal that rounds up becomes the smallest normal), saturated to the largest normal.
   */
  private fpElement(f: MiniFloat, tie: TieRule, x: Sig, sig: Sig, eEff: Sig, scale: Sig, i: number): Sig {
    const { maxCode, bias } = miniFloatLimits(f);
    const emin = 1 - bias;
    const magBits = f.ebits + f.mbits;
    const s12 = (v: number) => U(v < 0 ? v + 4096 : v, 12).asSigned();
    const p24 = leadingOne(sig.zext(32)).pos; // 23 unless the input is subnormal
    const fl = p24.zext(12).asSigned().add(eEff.zext(12).asSigned()).sub(scale.zext(12).asSigned()).sub(s12(23));
    const pe = mux(fl.lt(s12(emin)), s12(emin), fl).named(`pe_${i}`);
    // right shift of sig * 2^3 that leaves q: r' = 23 + S + pe - mbits - eEff + 3 >= 0
    const r = scale.zext(12).asSigned().add(pe).sub(eEff.zext(12).asSigned()).add(s12(26 - f.mbits));
    const rc = mux(r.gt(s12(31)), U(31, 5), r.trunc(5).asUnsigned());
    const sigX = sig.zext(32).shl(3);
    const q = sigX.shr(rc);
    const roundBit = mux(rc.eq(0), U(0, 1), sigX.shr(rc.sub(1)).bit(0));
    const sticky = mux(rc.eq(0), U(0, 1), sigX.and(U(0xffffffff, 32).shl(rc.sub(1)).not()).ne(0));
    const inc = tie === 'even' ? roundBit.and(sticky.or(q.bit(0))) : roundBit;
    const qr = q.trunc(f.mbits + 2).add(inc.zext(f.mbits + 2)); // <= 2^(mbits+1)
    const w = magBits + 2;
    const mag = pe.sub(s12(emin)).trunc(f.ebits + 1).asUnsigned().zext(w).shl(f.mbits).add(qr.zext(w));
    const sat = mux(mag.gt(maxCode), U(maxCode, w), mag).trunc(magBits);
    return cat(x.bit(31), sat);
  }
}

/** An integer element: |code| = sig * 2^(eEff - 127 - 23 + frac - (S - 127)) = sig >> r, r = (23 - frac + S) - eEff. */
function intElement(sig: Sig, eEff: Sig, scale: Sig, sign: Sig, frac: number, lim: number, bits: number, tie: TieRule): Sig {
  const r = scale.zext(10).add(23 - frac).sub(eEff.zext(10)); // 10 bits, never negative (>= 22 - frac)
  const rc = mux(r.gt(31), U(31, 5), r.trunc(5)); // beyond 31 everything is below the round bit
  const q = sig.zext(32).shr(rc);
  const roundBit = sig.zext(32).shr(rc.sub(1)).bit(0);
  const sticky = sig.zext(32).and(U(0xffffffff, 32).shl(rc.sub(1)).not()).ne(0);
  const inc = tie === 'even' ? roundBit.and(sticky.or(q.bit(0))) : roundBit;
  const qr = q.trunc(bits + 1).add(inc.zext(bits + 1)); // at most 2^(bits-1) before the clamp
  const mag = mux(qr.gt(lim), U(lim, bits + 1), qr).trunc(bits);
  return mux(sign, mag.neg(), mag);
}
