// The small neural network the pipeline scenario runs, and its plain TypeScript reference. Each layer is a 64x64
// INT8 matrix in block floating point (d-Matrix BFP16_64 shape: one shared 8-bit exponent a row of 64 INT8
// significands), applied to a batch of INT8 activation vectors:
//   acc_i = sum_j w_ij * x_j                       (exact: the DIMC adder tree)
//   y_i   = clamp(round(acc_i * 2^(e_i - 133)), -127, 127), ReLU on every layer but the last
// where round is half-up, i.e. (acc + 2^(s-1)) >> s with s = 133 - e_i. With activations and significands both
// scaled by 2^-6 (the MXINT8 convention), 2^(e_i - 127) is the row's shared scale and y_i is again in units of 2^-6.
// The firmware on the dispatch engines computes the same on the hardware; this file is the independent reference.

export const VEC = 64;
/** Shared exponents are kept in [EXP_MIN, EXP_MAX] so the shift s = 133 - e is 1..16. */
export const EXP_BIAS_SHIFT = 133;
export const EXP_MIN = EXP_BIAS_SHIFT - 16;
export const EXP_MAX = EXP_BIAS_SHIFT - 1;

export interface Layer {
  /** Significands, row-major: w[i * 64 + j] is row i (output i), column j (input j). */
  readonly w: Int8Array;
  /** Shared exponent of each row (E8M0 style, bias 127). */
  readonly e: Uint8Array;
  readonly relu: boolean;
}

/** A deterministic generator (xorshift32) so every run of the scenario builds the same network. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * `layers` random layers. Exponents are chosen so the outputs use the INT8 range without saturating everything:
 * with |w|, |x| up to ~64, acc has a spread of about 64 * 32 * 32 / sqrt(3), so s around 10 keeps y in range.
 */
export function makeNetwork(layers: number, seed = 1): Layer[] {
  const r = rng(seed);
  const net: Layer[] = [];
  for (let l = 0; l < layers; l++) {
    const w = new Int8Array(VEC * VEC);
    for (let k = 0; k < w.length; k++) w[k] = (r() % 127) - 63;
    const e = new Uint8Array(VEC);
    for (let i = 0; i < VEC; i++) e[i] = EXP_BIAS_SHIFT - (9 + (r() % 3));
    net.push({ w, e, relu: l < layers - 1 });
  }
  return net;
}

/** A batch of random INT8 input vectors, each VEC bytes. */
export function makeInput(batch: number, seed = 2): Int8Array[] {
  const r = rng(seed);
  return Array.from({ length: batch }, () => Int8Array.from({ length: VEC }, () => (r() % 255) - 127));
}

/** One layer on one vector, exactly as specified above. */
export function layerForward(layer: Layer, x: Int8Array): Int8Array {
  const y = new Int8Array(VEC);
  for (let i = 0; i < VEC; i++) {
    let acc = 0;
    for (let j = 0; j < VEC; j++) acc += layer.w[i * VEC + j]! * x[j]!;
    const s = EXP_BIAS_SHIFT - layer.e[i]!;
    if (s < 1 || s > 16) throw new Error(`layer exponent ${layer.e[i]} of row ${i} gives shift ${s}, outside 1..16`);
    let v = Math.floor((acc + 2 ** (s - 1)) / 2 ** s);
    if (layer.relu && v < 0) v = 0;
    y[i] = Math.max(-127, Math.min(127, v));
  }
  return y;
}

/** The whole network on a batch: what the last server must hold when the pipeline finishes. */
export function networkForward(net: readonly Layer[], xs: readonly Int8Array[]): Int8Array[] {
  return xs.map((x) => net.reduce((v, layer) => layerForward(layer, v), x));
}

/** Which layers server s of n runs: contiguous slices, as even as possible, every server at least one. */
export function layerSlices(layers: number, servers: number): Array<{ first: number; count: number }> {
  if (layers < servers) throw new Error(`${layers} layers cannot be split over ${servers} servers (each needs at least one)`);
  const out: Array<{ first: number; count: number }> = [];
  let first = 0;
  for (let s = 0; s < servers; s++) {
    const count = Math.floor(layers / servers) + (s < layers % servers ? 1 : 0);
    out.push({ first, count });
    first += count;
  }
  return out;
}
