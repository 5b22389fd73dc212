// Reference model of the block floating-point formats around the DIMC array, in float64 and BigInt:
// OCP Microscaling (MX) v1.0 element formats (FP8 E4M3/E5M2, FP6 E2M3/E3M2, FP4 E2M1, INT8) under an E8M0 scale
// over 32 elements, and the d-Matrix-style block formats that match the array shapes: 64 x INT8 and 128 x INT4
// under one 8-bit shared exponent (BFP16_64, BFP12_128). Quantization follows OCP MX v1.0 section 6.3:
// shared_exp = floor(log2(max |v|)) - emax_elem, clamped to the E8M0 range; elements v / 2^shared_exp rounded to
// nearest (ties to even, or away from zero as a parameter) and clamped to +-max normal keeping the sign; a NaN or
// Inf anywhere in a block makes the whole block NaN (scale 0xFF). An all-zero block takes the smallest scale
// (log2(0) = -inf, clamped), code 0x00.

export type Tie = 'even' | 'away';

export interface ElemFormat {
  readonly name: string;
  readonly bits: number;
  readonly kind: 'fp' | 'int';
  /** fp: exponent and mantissa field widths and the exponent bias. */
  readonly ebits: number;
  readonly mbits: number;
  readonly bias: number;
  /** int: value = code * 2^-fracBits. */
  readonly fracBits: number;
  /** Largest finite magnitude, and floor(log2) of it (the `emax_elem` of the shared-exponent rule). */
  readonly maxNorm: number;
  readonly emax: number;
  /** fp: how the all-ones exponent is used: 'none' (a normal binade), 'nan-max' (only S.1111.111 is NaN), 'ieee'. */
  readonly special: 'none' | 'nan-max' | 'ieee';
  /** int: quantization clamps to +-(2^(bits-1)-1) (the most negative code still decodes). */
  readonly symmetric: boolean;
}

function fpFormat(name: string, ebits: number, mbits: number, special: ElemFormat['special']): ElemFormat {
  const bias = 2 ** (ebits - 1) - 1;
  const topE = 2 ** ebits - 1;
  // largest finite: the top binade unless it is reserved; in E4M3 only mantissa all-ones is NaN
  const maxE = special === 'ieee' ? topE - 1 : topE;
  const maxM = special === 'nan-max' ? 2 ** mbits - 2 : 2 ** mbits - 1;
  const maxNorm = 2 ** (maxE - bias) * (1 + maxM / 2 ** mbits);
  return { name, bits: 1 + ebits + mbits, kind: 'fp', ebits, mbits, bias, fracBits: 0, maxNorm, emax: maxE - bias, special, symmetric: true };
}

function intFormat(name: string, bits: number): ElemFormat {
  const fracBits = bits - 2;
  return { name, bits, kind: 'int', ebits: 0, mbits: bits - 1, bias: 0, fracBits, maxNorm: (2 ** (bits - 1) - 1) / 2 ** fracBits, emax: 0, special: 'none', symmetric: true };
}

export const E4M3 = fpFormat('E4M3', 4, 3, 'nan-max');
export const E5M2 = fpFormat('E5M2', 5, 2, 'ieee');
export const E2M3 = fpFormat('E2M3', 2, 3, 'none');
export const E3M2 = fpFormat('E3M2', 3, 2, 'none');
export const E2M1 = fpFormat('E2M1', 2, 1, 'none');
/** MXINT8 elements: two's complement, value = code / 64. */
export const INT8 = intFormat('INT8', 8);
/** The 4-bit integer elements of BFP12_128: value = code / 4. */
export const INT4 = intFormat('INT4', 4);

export const elemFormats = { E4M3, E5M2, E2M3, E3M2, E2M1, INT8, INT4 } as const;

export interface BlockFormat {
  readonly name: string;
  readonly elem: ElemFormat;
  /** Elements per shared scale. */
  readonly k: number;
}

export const MXFP8_E4M3: BlockFormat = { name: 'MXFP8_E4M3', elem: E4M3, k: 32 };
export const MXFP8_E5M2: BlockFormat = { name: 'MXFP8_E5M2', elem: E5M2, k: 32 };
export const MXFP6_E2M3: BlockFormat = { name: 'MXFP6_E2M3', elem: E2M3, k: 32 };
export const MXFP6_E3M2: BlockFormat = { name: 'MXFP6_E3M2', elem: E3M2, k: 32 };
export const MXFP4_E2M1: BlockFormat = { name: 'MXFP4_E2M1', elem: E2M1, k: 32 };
export const MXINT8: BlockFormat = { name: 'MXINT8', elem: INT8, k: 32 };
/** 64 INT8 elements under one 8-bit exponent: a row of the 64x64 INT8 array. */
export const BFP16_64: BlockFormat = { name: 'BFP16_64', elem: INT8, k: 64 };
/** 128 INT4 elements under one 8-bit exponent: a row of the 64x128 INT4 array. */
export const BFP12_128: BlockFormat = { name: 'BFP12_128', elem: INT4, k: 128 };

export const blockFormats = { MXFP8_E4M3, MXFP8_E5M2, MXFP6_E2M3, MXFP6_E3M2, MXFP4_E2M1, MXINT8, BFP16_64, BFP12_128 } as const;

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/** E8M0 scale: 2^(code-127); 0xFF is NaN. */
export function decodeE8M0(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`E8M0 code ${code} out of range`);
  return code === 255 ? NaN : 2 ** (code - 127);
}

/** The value of an element code (NaN for NaN codes). */
export function decodeElem(f: ElemFormat, code: number): number {
  if (!Number.isInteger(code) || code < 0 || code >= 2 ** f.bits) throw new Error(`${f.name}: code ${code} out of range`);
  if (f.kind === 'int') return (code >= 2 ** (f.bits - 1) ? code - 2 ** f.bits : code) / 2 ** f.fracBits;
  const sign = code >> (f.bits - 1) ? -1 : 1;
  const e = (code >> f.mbits) & (2 ** f.ebits - 1);
  const m = code & (2 ** f.mbits - 1);
  const topE = 2 ** f.ebits - 1;
  if (f.special === 'ieee' && e === topE) return m === 0 ? sign * Infinity : NaN;
  if (f.special === 'nan-max' && e === topE && m === 2 ** f.mbits - 1) return NaN;
  if (e === 0) return sign * 2 ** (1 - f.bias) * (m / 2 ** f.mbits);
  return sign * 2 ** (e - f.bias) * (1 + m / 2 ** f.mbits);
}

/** floor(log2(x)) exactly, for finite x > 0 (from the float64 bits). */
export function floorLog2(x: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const e = (hi >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  // float64 subnormal (never from float32 inputs, kept for completeness)
  return floorLog2(x * 2 ** 64) - 64;
}

/** Round x >= 0 to an integer: to nearest, ties to even or away from zero. */
export function roundInt(x: number, tie: Tie): number {
  const fl = Math.floor(x);
  const frac = x - fl;
  if (frac > 0.5) return fl + 1;
  if (frac < 0.5) return fl;
  return tie === 'away' || fl % 2 === 1 ? fl + 1 : fl;
}

/**
 * The element code for a value already divided by the block scale: round to nearest (tie rule), clamp to
 * +-maxNorm keeping the sign. `a` must not be NaN or infinite (the block rule handles those).
 */
export function quantizeElem(f: ElemFormat, a: number, tie: Tie = 'even'): number {
  if (!Number.isFinite(a)) throw new Error(`quantizeElem(${f.name}, ${a}): not finite`);
  const neg = a < 0 || Object.is(a, -0);
  const mag = Math.abs(a);
  if (f.kind === 'int') {
    const lim = 2 ** (f.bits - 1) - 1;
    const q = Math.min(roundInt(mag * 2 ** f.fracBits, tie), lim);
    return neg && q !== 0 ? 2 ** f.bits - q : q;
  }
  const emin = 1 - f.bias;
  let q: number;
  if (mag === 0) q = 0;
  else {
    const pe = Math.max(floorLog2(mag), emin);
    const step = 2 ** (pe - f.mbits);
    q = Math.min(roundInt(mag / step, tie) * step, f.maxNorm);
  }
  return (neg ? 2 ** (f.bits - 1) : 0) | encodeMagnitude(f, q);
}

/** The code (without sign) of a representable magnitude. */
function encodeMagnitude(f: ElemFormat, q: number): number {
  if (q === 0) return 0;
  const emin = 1 - f.bias;
  const e = floorLog2(q);
  if (e < emin) return q / 2 ** (emin - f.mbits); // subnormal: exponent field 0
  const m = (q / 2 ** e - 1) * 2 ** f.mbits;
  if (!Number.isInteger(m)) throw new Error(`internal: ${q} is not representable in ${f.name}`);
  return ((e + f.bias) << f.mbits) | m;
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

export interface Block {
  /** E8M0 scale code (0xFF = NaN). */
  scale: number;
  /** Element codes. */
  codes: number[];
}

/** The shared exponent (unbiased) of a block of finite values: floor(log2 max|v|) - emax, clamped to [-127, 127]. */
export function sharedExponent(f: BlockFormat, values: readonly number[]): number {
  let amax = 0;
  for (const v of values) amax = Math.max(amax, Math.abs(v));
  if (amax === 0) return -127;
  return Math.min(Math.max(floorLog2(amax) - f.elem.emax, -127), 127);
}

/** Quantize one block of values (float32 values given as numbers). */
export function quantizeBlock(f: BlockFormat, values: readonly number[], tie: Tie = 'even'): Block {
  if (values.length !== f.k) throw new Error(`${f.name}: a block has ${f.k} elements, got ${values.length}`);
  if (values.some((v) => !Number.isFinite(v))) return { scale: 255, codes: values.map(() => 0) };
  const se = sharedExponent(f, values);
  return { scale: se + 127, codes: values.map((v) => quantizeElem(f.elem, v / 2 ** se, tie)) };
}

/** The values a block stands for (exact in float64). */
export function decodeBlock(f: BlockFormat, b: Block): number[] {
  const s = decodeE8M0(b.scale);
  return b.codes.map((c) => decodeElem(f.elem, c) * s);
}

/** Element codes of an integer format as signed integers (what the DIMC array multiplies). */
export function intCodes(f: ElemFormat, codes: readonly number[]): number[] {
  if (f.kind !== 'int') throw new Error(`${f.name} is not an integer format`);
  return codes.map((c) => (c >= 2 ** (f.bits - 1) ? c - 2 ** f.bits : c));
}

// ---------------------------------------------------------------------------------------------------------------
// FP32

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

export function f32FromBits(b: number): number {
  u32[0] = b >>> 0;
  return f32[0]!;
}

/** s * 2^k rounded to FP32 (round to nearest even, overflow to infinity, gradual underflow), as bits. */
export function intToF32Bits(s: bigint, k: number): number {
  if (s === 0n) return 0;
  // |s| < 2^53 keeps Number(s) * 2^k exact in float64 for the exponents used here; fround then rounds once (RNE)
  if (s >= 1n << 53n || s <= -(1n << 53n)) throw new Error('intToF32Bits: |s| must be below 2^53');
  if (k < -900 || k > 900) throw new Error('intToF32Bits: k out of range');
  return f32Bits(Number(s) * 2 ** k);
}

/**
 * s * 2^k rounded to nearest even into a float with FP32's 8-bit exponent (bias 127) and `mbits` mantissa bits
 * (23: FP32, 7: BF16), with gradual underflow and overflow to infinity, as bits. BigInt only: no float
 * arithmetic, so it checks intToF32Bits independently and serves as the BF16 reference.
 */
export function intToFloatBits(s: bigint, k: number, mbits: number): number {
  if (s === 0n) return 0;
  const sign = s < 0n ? 2 ** (8 + mbits) : 0;
  const m = s < 0n ? -s : s;
  const p = m.toString(2).length - 1; // floor(log2 m)
  const E = p + k; // unbiased exponent of the value
  const qmin = -126 - mbits;
  const q = Math.max(E - mbits, qmin); // weight of the result's LSB
  const sh = q - k;
  let sig: bigint;
  if (sh <= 0) sig = m << BigInt(-sh);
  else {
    sig = m >> BigInt(sh);
    const rem = m - (sig << BigInt(sh));
    const half = 1n << BigInt(sh - 1);
    if (rem > half || (rem === half && (sig & 1n) === 1n)) sig += 1n;
  }
  const one = 1n << BigInt(mbits);
  let bits: number;
  if (q === qmin && sig < one) bits = Number(sig); // subnormal (or zero)
  else {
    let e = q + mbits + 127;
    if (sig === one << 1n) {
      sig >>= 1n;
      e++;
    }
    bits = e >= 255 ? 255 * 2 ** mbits : e * 2 ** mbits + Number(sig - one);
  }
  return sign + bits;
}

/** BF16 bits of a number that is exactly a BF16 value (the top half of its FP32 bits). */
export function bf16FromBits(b: number): number {
  return f32FromBits((b & 0xffff) * 0x10000);
}

/**
 * The product of two block-format operands: y_r = sum_i w[r][i] * x[i] exactly as integers (what the array
 * computes), times 2^(scale_w[r] + scale_x - 254 - 2 * fracBits), converted to FP32 with RNE. Rows are blocks.
 */
export function blockMatVec(f: BlockFormat, w: readonly Block[], x: Block): { sums: bigint[]; exps: number[]; bits: number[] } {
  const xi = intCodes(f.elem, x.codes);
  const sums: bigint[] = [];
  const exps: number[] = [];
  const bits: number[] = [];
  for (const row of w) {
    const wi = intCodes(f.elem, row.codes);
    let s = 0n;
    for (let i = 0; i < xi.length; i++) s += BigInt(wi[i]!) * BigInt(xi[i]!);
    const k = row.scale + x.scale - 254 - 2 * f.elem.fracBits;
    sums.push(s);
    exps.push(k);
    bits.push(row.scale === 255 || x.scale === 255 ? 0x7fc00000 : intToF32Bits(s, k));
  }
  return { sums, exps, bits };
}
