// Reference model of the DIMC matrix unit's arithmetic, in plain TypeScript with BigInt: matrix-vector products
// of INT8 or INT4 operands, exact sums, accumulation over groups of vectors, and the bit packing of rows, vectors
// and results on the unit's ports. Nothing here knows about the hardware's pipeline.

export type DimcMode = 'int8' | 'int4';

/** Element bits of a mode. */
export const elemBits = (mode: DimcMode): number => (mode === 'int8' ? 8 : 4);

/** Columns of a row in a mode: cols bytes hold cols INT8 or 2*cols INT4 elements. */
export const modeCols = (cols: number, mode: DimcMode): number => (mode === 'int8' ? cols : 2 * cols);

/** Pack signed elements, element i at bits [b*i+b-1 : b*i] (two's complement), into an unsigned bigint. */
export function packElems(elems: readonly number[], bits: number): bigint {
  let v = 0n;
  const lim = 1 << (bits - 1);
  for (let i = elems.length - 1; i >= 0; i--) {
    const e = elems[i]!;
    if (!Number.isInteger(e) || e < -lim || e >= lim) throw new Error(`packElems: element ${i} = ${e} is not a ${bits}-bit signed integer`);
    v = (v << BigInt(bits)) | BigInt.asUintN(bits, BigInt(e));
  }
  return v;
}

/** The inverse of packElems: n signed elements of `bits` bits. */
export function unpackElems(v: bigint, n: number, bits: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number(BigInt.asIntN(bits, v >> BigInt(bits * i))));
  return out;
}

/** y = W x exactly: W is rows x n, x has n elements. */
export function matVec(w: readonly (readonly number[])[], x: readonly number[]): bigint[] {
  return w.map((row) => {
    if (row.length !== x.length) throw new Error(`matVec: row has ${row.length} elements, vector ${x.length}`);
    let s = 0n;
    for (let i = 0; i < row.length; i++) s += BigInt(row[i]!) * BigInt(x[i]!);
    return s;
  });
}

/** Sum of products of a group of vectors with their own weight matrices (a tiled product K > cols). */
export function groupSum(terms: ReadonlyArray<{ w: readonly (readonly number[])[]; x: readonly number[] }>): bigint[] {
  let acc: bigint[] | undefined;
  for (const t of terms) {
    const y = matVec(t.w, t.x);
    acc = acc ? acc.map((a, i) => a + y[i]!) : y;
  }
  return acc ?? [];
}

/** A result word on `out.data`: lane r (signed, accWidth bits) at bits [(r+1)*accWidth-1 : r*accWidth]. */
export function packResult(y: readonly bigint[], accWidth: number): bigint {
  let v = 0n;
  for (let i = y.length - 1; i >= 0; i--) {
    const e = y[i]!;
    if (e < -(1n << BigInt(accWidth - 1)) || e >= 1n << BigInt(accWidth - 1)) throw new Error(`packResult: lane ${i} = ${e} overflows ${accWidth} bits`);
    v = (v << BigInt(accWidth)) | BigInt.asUintN(accWidth, e);
  }
  return v;
}

/** Lanes of a result word. */
export function unpackResult(v: bigint, rows: number, accWidth: number): bigint[] {
  const out: bigint[] = [];
  for (let r = 0; r < rows; r++) out.push(BigInt.asIntN(accWidth, v >> BigInt(accWidth * r)));
  return out;
}

/** Largest |row sum| of n products of b-bit elements, and the signed width that holds every sum exactly. */
export function exactSumWidth(n: number, bits: number, allowMostNegative: boolean): number {
  const m = allowMostNegative ? 2n ** BigInt(bits - 1) : 2n ** BigInt(bits - 1) - 1n;
  const max = BigInt(n) * m * m; // (-m)(-m) is the largest product; sums lie in [-n*m*(m-1 or m), n*m*m]
  let w = 1;
  while (max > (1n << BigInt(w - 1)) - 1n) w++;
  return w;
}
