// Arithmetic on values wider than 32 bits, held as little-endian 32-bit limbs in the simulator's Int32Array state
// (limb 0 = bits 31..0; bits above the width in the top limb are always zero). The generated code calls these
// for what codegen-wide.ts does not unroll (values over 1024 bits, multiplies over 256 bits, shifts by a signal).

export type State = Int32Array;

export const nlimbs = (w: number): number => (w + 31) >>> 5;
/** Mask of the valid bits in the top limb of a w-bit value, as int32. */
export const topMask = (w: number): number => ((w & 31) === 0 ? -1 : ((1 << (w & 31)) - 1) | 0);

/** Limb i of operand (off, w) extended without limit (sign-extended when signed). */
export function limb(S: State, off: number, w: number, signed: boolean, i: number): number {
  const n = (w + 31) >>> 5;
  if (i < n - 1) return S[off + i]!;
  const r = w & 31;
  if (i === n - 1) {
    const v = S[off + i]!;
    return signed && r !== 0 ? (v << (32 - r)) >> (32 - r) : v;
  }
  if (!signed) return 0;
  return (r === 0 ? S[off + n - 1]! : S[off + n - 1]! << (32 - r)) >> 31;
}

function clearTop(S: State, d: number, w: number): void {
  const n = (w + 31) >>> 5;
  S[d + n - 1] = S[d + n - 1]! & topMask(w);
}

/** d = a extended (zero or sign) or truncated to w bits. Also a plain copy. */
export function ext(S: State, d: number, w: number, a: number, aw: number, signed: boolean): void {
  const n = (w + 31) >>> 5;
  for (let i = 0; i < n; i++) S[d + i] = limb(S, a, aw, signed, i);
  clearTop(S, d, w);
}

export function copy(S: State, d: number, a: number, n: number): void {
  for (let i = 0; i < n; i++) S[d + i] = S[a + i]!;
}

export function add(S: State, d: number, w: number, a: number, b: number): void {
  const n = (w + 31) >>> 5;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const s = (S[a + i]! >>> 0) + (S[b + i]! >>> 0) + c;
    S[d + i] = s | 0;
    c = s > 0xffffffff ? 1 : 0;
  }
  clearTop(S, d, w);
}

export function sub(S: State, d: number, w: number, a: number, b: number): void {
  const n = (w + 31) >>> 5;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const s = (S[a + i]! >>> 0) - (S[b + i]! >>> 0) - br;
    S[d + i] = s | 0;
    br = s < 0 ? 1 : 0;
  }
  clearTop(S, d, w);
}

export function and(S: State, d: number, w: number, a: number, b: number): void {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) S[d + i] = S[a + i]! & S[b + i]!;
}
export function or(S: State, d: number, w: number, a: number, b: number): void {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) S[d + i] = S[a + i]! | S[b + i]!;
}
export function xor(S: State, d: number, w: number, a: number, b: number): void {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) S[d + i] = S[a + i]! ^ S[b + i]!;
}
export function not(S: State, d: number, w: number, a: number): void {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) S[d + i] = ~S[a + i]!;
  clearTop(S, d, w);
}

let scratch = new Float64Array(64);

/** 16-bit digit i of operand (off, w) extended to any length (sign-extended when signed). */
function digit(S: State, off: number, w: number, signed: boolean, i: number, n: number, fill: number): number {
  const k = i >>> 1;
  const v = k < n - 1 ? S[off + k]! : k === n - 1 ? (signed ? limb(S, off, w, true, k) : S[off + k]!) : fill;
  return (i & 1 ? v >>> 16 : v) & 0xffff;
}

/**
 * d (w bits) = a * b, each operand extended to w bits first (signed or not): the low w bits of the product.
 * Schoolbook over 16-bit digits accumulated in doubles (exact below 2^53); an unsigned operand contributes only
 * its own digits, a signed one its sign-extension too.
 */
export function mul(S: State, d: number, w: number, a: number, aw: number, as: boolean, b: number, bw: number, bs: boolean): void {
  const nd = (w + 15) >>> 4;
  const nla = (aw + 31) >>> 5;
  const nlb = (bw + 31) >>> 5;
  const fa = as ? limb(S, a, aw, true, nla) : 0;
  const fb = bs ? limb(S, b, bw, true, nlb) : 0;
  const na = Math.min(nd, as && fa !== 0 ? nd : (aw + 15) >>> 4);
  const nb = Math.min(nd, bs && fb !== 0 ? nd : (bw + 15) >>> 4);
  if (scratch.length < na + nb + nd) scratch = new Float64Array(2 * (na + nb + nd));
  const x = scratch;
  const yo = na;
  const acc = na + nb;
  for (let i = 0; i < na; i++) x[i] = digit(S, a, aw, as, i, nla, fa);
  for (let j = 0; j < nb; j++) x[yo + j] = digit(S, b, bw, bs, j, nlb, fb);
  for (let k = 0; k < nd; k++) x[acc + k] = 0;
  for (let i = 0; i < na; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const lim = Math.min(nb, nd - i);
    for (let j = 0; j < lim; j++) x[acc + i + j] += xi * x[yo + j]!;
  }
  let carry = 0;
  const n = (w + 31) >>> 5;
  for (let i = 0; i < n; i++) S[d + i] = 0;
  for (let k = 0; k < nd; k++) {
    const t = x[acc + k]! + carry;
    const dg = t % 65536;
    carry = (t - dg) / 65536;
    S[d + (k >>> 1)] = S[d + (k >>> 1)]! | (k & 1 ? dg << 16 : dg);
  }
  clearTop(S, d, w);
}

/** A shift amount held in (off, w) as a number, saturated at 2^31. */
export function amount(S: State, off: number, w: number): number {
  const n = (w + 31) >>> 5;
  for (let i = 1; i < n; i++) if (S[off + i] !== 0) return 0x7fffffff;
  const v = S[off]! >>> 0;
  return v > 0x7fffffff ? 0x7fffffff : v;
}

/** d (w bits) = a (w bits) << s. */
export function shl(S: State, d: number, w: number, a: number, s: number): void {
  const n = (w + 31) >>> 5;
  const q = s >>> 5;
  const r = s & 31;
  for (let i = n - 1; i >= 0; i--) {
    const j = i - q;
    const hi = j >= 0 && j < n ? S[a + j]! : 0;
    const lo = j - 1 >= 0 && j - 1 < n ? S[a + j - 1]! : 0;
    S[d + i] = s >= w ? 0 : r === 0 ? hi : (hi << r) | (lo >>> (32 - r));
  }
  clearTop(S, d, w);
}

/** d (w bits) = a (w bits) >> s, logical or arithmetic. Safe when d === a. */
export function shr(S: State, d: number, w: number, a: number, s: number, arith: boolean): void {
  const n = (w + 31) >>> 5;
  if (s > w) s = w;
  const q = s >>> 5;
  const r = s & 31;
  for (let i = 0; i < n; i++) {
    const j = i + q;
    const lo = limb(S, a, w, arith, j);
    const hi = limb(S, a, w, arith, j + 1);
    S[d + i] = r === 0 ? lo : (lo >>> r) | (hi << (32 - r));
  }
  clearTop(S, d, w);
}

/** Compare a and b (both w bits): -1, 0 or 1. */
export function cmp(S: State, a: number, b: number, w: number, signed: boolean): number {
  const n = (w + 31) >>> 5;
  for (let i = n - 1; i >= 0; i--) {
    let x = limb(S, a, w, signed, i);
    let y = limb(S, b, w, signed, i);
    if (x === y) continue;
    if (!(signed && i === n - 1)) {
      // lower limbs (and all limbs of unsigned values) compare as unsigned; limb() sign-extended the top one
      x >>>= 0;
      y >>>= 0;
    }
    return x < y ? -1 : 1;
  }
  return 0;
}

export function eq(S: State, a: number, b: number, w: number): number {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) if (S[a + i] !== S[b + i]) return 0;
  return 1;
}

/** Bits [lo + w - 1 : lo] of a (aw bits) into d. */
export function slice(S: State, d: number, w: number, a: number, aw: number, lo: number): void {
  const n = (w + 31) >>> 5;
  const q = lo >>> 5;
  const r = lo & 31;
  for (let i = 0; i < n; i++) {
    const x = limb(S, a, aw, false, q + i);
    const y = limb(S, a, aw, false, q + i + 1);
    S[d + i] = r === 0 ? x : (x >>> r) | (y << (32 - r));
  }
  clearTop(S, d, w);
}

/** Up to 32 bits from a (aw bits) starting at bit lo, as int32. */
export function bits32(S: State, a: number, aw: number, lo: number, w: number): number {
  const q = lo >>> 5;
  const r = lo & 31;
  const x = limb(S, a, aw, false, q);
  const v = r === 0 ? x : (x >>> r) | (limb(S, a, aw, false, q + 1) << (32 - r));
  return w === 32 ? v : v & ((1 << w) - 1);
}

/** OR the value a (aw bits) into d at bit position pos (d must be cleared first). */
export function insert(S: State, d: number, pos: number, a: number, aw: number): void {
  const n = (aw + 31) >>> 5;
  const q = pos >>> 5;
  const r = pos & 31;
  for (let i = 0; i < n; i++) {
    const v = S[a + i]!;
    S[d + q + i] = S[d + q + i]! | (v << r);
    if (r !== 0) {
      const spill = v >>> (32 - r);
      if (spill !== 0) S[d + q + i + 1] = S[d + q + i + 1]! | spill;
    }
  }
}

export function clear(S: State, d: number, n: number): void {
  for (let i = 0; i < n; i++) S[d + i] = 0;
}

export function redor(S: State, a: number, w: number): number {
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) if (S[a + i] !== 0) return 1;
  return 0;
}

export function redand(S: State, a: number, w: number): number {
  const n = (w + 31) >>> 5;
  for (let i = 0; i < n - 1; i++) if (S[a + i] !== -1) return 0;
  return S[a + n - 1] === topMask(w) ? 1 : 0;
}

export function parity32(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

export function redxor(S: State, a: number, w: number): number {
  let v = 0;
  for (let i = 0, n = (w + 31) >>> 5; i < n; i++) v ^= S[a + i]!;
  return parity32(v);
}

/** Expansion of 4 byte enables to a 32-bit mask. */
export const byteMask4 = new Int32Array(16).map((_, be) =>
  (be & 1 ? 0xff : 0) | (be & 2 ? 0xff00 : 0) | (be & 4 ? 0xff0000 : 0) | (be & 8 ? 0xff000000 : 0),
);

/** Mask limb i of a write mask held in (m, mw): byte enables when byteEn, else bits. */
export function maskLimb(S: State, m: number, mw: number, byteEn: boolean, i: number): number {
  if (!byteEn) return limb(S, m, mw, false, i);
  return byteMask4[bits32(S, m, mw, 4 * i, Math.min(4, mw - 4 * i))]!;
}

/** Write a wide word (n limbs) from d into memory M at word a, under an optional mask. */
export function memWrite(M: Int32Array, a: number, n: number, S: State, d: number, m: number, mw: number, byteEn: boolean): void {
  const base = a * n;
  if (m < 0) {
    for (let i = 0; i < n; i++) M[base + i] = S[d + i]!;
    return;
  }
  for (let i = 0; i < n; i++) {
    const k = maskLimb(S, m, mw, byteEn, i);
    M[base + i] = (M[base + i]! & ~k) | (S[d + i]! & k);
  }
}

/** Value of (off, w) as an unsigned bigint. */
export function toBigInt(S: State, off: number, w: number): bigint {
  const n = (w + 31) >>> 5;
  if (n === 1) return BigInt(S[off]! >>> 0);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 32n) | BigInt(S[off + i]! >>> 0);
  return v;
}

/** Store an unsigned bigint (already range-checked) into (off, w). */
export function fromBigInt(S: State, off: number, w: number, v: bigint): void {
  const n = (w + 31) >>> 5;
  for (let i = 0; i < n; i++) {
    S[off + i] = Number(BigInt.asIntN(32, v));
    v >>= 32n;
  }
}

/** Read word a of a wide memory (n limbs a word) into d; out-of-range addresses read 0. */
export function memRead(S: State, d: number, n: number, M: Int32Array, a: number, depth: number): void {
  if (a < depth) for (let i = 0, base = a * n; i < n; i++) S[d + i] = M[base + i]!;
  else for (let i = 0; i < n; i++) S[d + i] = 0;
}
