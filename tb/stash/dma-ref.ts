// Reference model of a DMA transfer, byte by byte: row i copies len bytes from src + i*srcStride to
// dst + i*dstStride. For a destination that takes words (the matrix units' weight rows and input vectors), the
// words the engine must deliver: every word-aligned destination word the row touches, in order, with the bytes
// outside the row zero.
export interface Transfer {
  src: number;
  dst: number;
  len: number;
  rows: number;
  srcStride: number;
  dstStride: number;
}

/** Copy the transfer's bytes from `from` to `to` (byte arrays indexed by address). */
export function copyBytes(t: Transfer, from: Uint8Array, to: Uint8Array): void {
  for (let i = 0; i < Math.max(1, t.rows); i++) {
    for (let b = 0; b < t.len; b++) to[(t.dst + i * t.dstStride + b) >>> 0] = from[(t.src + i * t.srcStride + b) >>> 0]!;
  }
}

export interface WordOut {
  /** Word-aligned destination byte address. */
  addr: number;
  data: bigint;
}

/** The destination words of the transfer, zero-filled outside the row's bytes. */
export function wordsOut(t: Transfer, from: Uint8Array, wordBytes: number): WordOut[] {
  const out: WordOut[] = [];
  for (let i = 0; i < Math.max(1, t.rows); i++) {
    const d0 = t.dst + i * t.dstStride;
    const s0 = t.src + i * t.srcStride;
    if (t.len === 0) continue;
    for (let a = d0 - (d0 % wordBytes); a < d0 + t.len; a += wordBytes) {
      let v = 0n;
      for (let b = wordBytes - 1; b >= 0; b--) {
        const x = a + b >= d0 && a + b < d0 + t.len ? from[s0 + (a + b - d0)]! : 0;
        v = (v << 8n) | BigInt(x);
      }
      out.push({ addr: a, data: v });
    }
  }
  return out;
}
