// The worked example of the README's DIMC section, checked: every number in its JSON block against the reference, the
// same example through the hardware (quantizer, matrix unit, FP32 converter), and the full-size flow with
// BFP16_64 rows on the 64x64 INT8 array and BFP12_128 rows on the 64x128 INT4 array.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { BFP12_128, BFP16_64, INT8, blockMatVec, f32Bits, f32FromBits, intCodes, quantizeBlock, type BlockFormat } from './bfp-ref.ts';
import { blockProductHw } from './bfp-flow.ts';

interface Example {
  blockSize: number;
  elementBits: number;
  W: number[][];
  x: number[];
  wScales: number[];
  wCodes: number[][];
  xScale: number;
  xCodes: number[];
  sums: number[];
  exponents: number[];
  y: number[];
  exact: number[];
}

function readExample(): Example {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const md = fs.readFileSync(path.join(here, '..', '..', 'README.md'), 'utf8');
  const m = /<!-- worked-example -->\s*```json\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error('README.md: no worked-example JSON block');
  return JSON.parse(m[1]!) as Example;
}

describe('the README worked example', () => {
  const ex = readExample();
  const fmt: BlockFormat = { name: 'BFP16_4', elem: INT8, k: ex.blockSize };
  const W = ex.W.map((r) => r.map(Math.fround));
  const x = ex.x.map(Math.fround);

  it('matches the reference: scales, codes, integer sums, exponents, FP32 results', () => {
    expect(ex.elementBits).toBe(8);
    const wb = W.map((r) => quantizeBlock(fmt, r));
    const xb = quantizeBlock(fmt, x);
    expect(wb.map((b) => b.scale)).toEqual(ex.wScales);
    expect(wb.map((b) => intCodes(INT8, b.codes))).toEqual(ex.wCodes);
    expect(xb.scale).toBe(ex.xScale);
    expect(intCodes(INT8, xb.codes)).toEqual(ex.xCodes);
    const p = blockMatVec(fmt, wb, xb);
    expect(p.sums.map(Number)).toEqual(ex.sums);
    expect(p.exps).toEqual(ex.exponents);
    expect(p.bits.map(f32FromBits)).toEqual(ex.y);
    // the exact product of the FP32 inputs, for comparison
    const exact = W.map((r) => r.reduce((s, w, i) => s + w * x[i]!, 0));
    exact.forEach((e, i) => expect(e).toBeCloseTo(ex.exact[i]!, 6));
  });

  it('comes out of the hardware the same, bit for bit', async () => {
    const hw = await blockProductHw(8, W.map((r) => r.map(f32Bits)), [x.map(f32Bits)]);
    expect(hw.w.map((b) => b.scale)).toEqual(ex.wScales);
    expect(hw.w.map((b) => intCodes(INT8, b.codes))).toEqual(ex.wCodes);
    expect(hw.x[0]!.scale).toBe(ex.xScale);
    expect(hw.sums[0]!.map(Number)).toEqual(ex.sums);
    expect(hw.exps[0]).toEqual(ex.exponents);
    expect(hw.fp32[0]!.map(f32FromBits)).toEqual(ex.y);
  });
});

describe('block floating-point product through the hardware at full size', () => {
  const run = (fmt: BlockFormat, bits: 8 | 4, seed: number) => async () => {
    // rows with different magnitudes (different scales per row), a few vectors; FP32 values
    const rowArb = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: fmt.k, maxLength: fmt.k }))
      .map(([e, vs]) => vs.map((v) => Math.fround(v * 2 ** e)));
    const W = fc.sample(rowArb, { numRuns: 64, seed });
    const xs = fc.sample(rowArb, { numRuns: 3, seed: seed + 1 });
    W[5]!.fill(0); // an all-zero row
    W[6]![3] = Math.fround(-3e30); // one huge element
    const hw = await blockProductHw(bits, W.map((r) => r.map(f32Bits)), xs.map((r) => r.map(f32Bits)));
    const wb = W.map((r) => quantizeBlock(fmt, r));
    expect(hw.w).toEqual(wb);
    xs.forEach((x, j) => {
      const xb = quantizeBlock(fmt, x);
      expect(hw.x[j]).toEqual(xb);
      const ref = blockMatVec(fmt, wb, xb);
      expect(hw.sums[j]).toEqual(ref.sums);
      expect(hw.fp32[j]).toEqual(ref.bits);
    });
  };
  it('BFP16_64 on the 64x64 INT8 array', run(BFP16_64, 8, 41));
  it('BFP12_128 on the 64x128 INT4 array', run(BFP12_128, 4, 43));
});
