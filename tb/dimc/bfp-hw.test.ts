// The block floating-point converters in hardware against the reference, bit-exactly, under random
// back-pressure on both streams: the FP32 -> MXINT8 / BFP16_64 / BFP12_128 quantizer (both tie rules) and the
// exact integer sum -> FP32 converter (RNE, subnormals, overflow).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BfpQuantizer, IntToFp32, MX_FP, type MiniFloat } from '../../rtl/corsair/dimc/index.ts';
import { Scoreboard, StreamDriver, StreamMonitor, simulate } from '../runtime/index.ts';
import { BFP12_128, BFP16_64, MXFP4_E2M1, MXFP6_E2M3, MXFP6_E3M2, MXFP8_E4M3, MXFP8_E5M2, MXINT8, f32FromBits, intToF32Bits, intToFloatBits, quantizeBlock, type BlockFormat, type Tie } from './bfp-ref.ts';

/** FP32 bits from fields. */
const fp32 = (sign: boolean, e: number, m: number) => ((sign ? 0x80000000 : 0) | (e << 23) | m) >>> 0;

/**
 * A block of FP32 bit patterns: elements near a common exponent (some far below it, zeros, subnormals, values
 * whose low mantissa bits are 100..0 so that some round as ties), and now and then a NaN or an infinity.
 */
function blockArb(k: number): fc.Arbitrary<number[]> {
  const elem = (base: number) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: -10, max: 0 }), fc.integer({ min: 0, max: 0x7fffff })).map(([s, d, m]) => fp32(s, Math.max(0, base + d), m)) },
      { weight: 3, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: -3, max: 0 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 23 })).map(([s, d, m, t]) => fp32(s, Math.max(0, base + d), ((m << t) | (1 << (t - 1))) & 0x7fffff)) },
      { weight: 1, arbitrary: fc.constantFrom(0, 0x80000000, 1, 0x807fffff) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }).map((b) => ((b & 0x7f800000) === 0x7f800000 ? b & 0xbfffffff : b) >>> 0) },
    );
  return fc.tuple(fc.integer({ min: 0, max: 254 }), fc.integer({ min: 0, max: 40 })).chain(([base, special]) =>
    fc.array(elem(base), { minLength: k, maxLength: k }).map((xs) => {
      if (special === 0) xs[base % k] = 0x7fc00000; // NaN
      if (special === 1) xs[(base * 7) % k] = 0xff800000; // -Inf
      if (special === 2) xs.fill(0);
      if (special === 3) xs[0] = fp32(base & 1 ? true : false, 254, 0x7fffff); // one huge element
      return xs;
    }),
  );
}

const packBits = (xs: readonly number[], w: number) => xs.reduceRight((v, x) => (v << BigInt(w)) | BigInt(x), 0n);

async function quantizerRun(f: BlockFormat, tie: Tie, blocks: number, seed: number, fp?: MiniFloat, bf16 = false): Promise<void> {
  const bits = f.elem.bits;
  const top = new BfpQuantizer({ k: f.k, bits, tie, fp, input: bf16 ? 'bf16' : 'fp32' });
  let data = fc.sample(blockArb(f.k), { numRuns: blocks, seed });
  // plus the fixed hard cases: all zero, an exact tie at the block scale, saturation, subnormals only
  const tieBlock = Array(f.k).fill(0);
  tieBlock[0] = fp32(false, 127, 0); // 1.0: scale 2^0
  tieBlock[1] = fp32(true, 127 - (bits - 2) - 1, 0); // -0.5 step: a tie between 0 and -1 step
  tieBlock[2] = fp32(false, 127 - (bits - 2), 0x400000); // 1.5 steps: a tie between 1 and 2 steps
  const sat = Array(f.k).fill(0);
  sat[0] = fp32(true, 130, 0x7fffff); // -1.99999 * 2^3: rounds to -2^(bits-1), clamps to -(2^(bits-1)-1)
  const subs = Array.from({ length: f.k }, (_, i) => fp32(i % 2 === 1, 0, (i * 0x1234567) & 0x7fffff));
  data.unshift(Array(f.k).fill(0), tieBlock, sat, subs);
  // BF16 inputs: the top half of each FP32 (NaNs keep a mantissa bit there)
  if (bf16) data = data.map((xs) => xs.map((x) => ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0 ? 0x7fc00000 : x & 0xffff0000) >>> 0));
  await simulate(top, async (tb) => {
    const { dut } = tb;
    dut.in.valid.value = 0;
    await tb.reset();
    const board = new Scoreboard(tb, `${f.name} quantizer`);
    for (const xs of data) {
      const q = quantizeBlock(f, xs.map(f32FromBits), tie);
      board.expect((BigInt(q.scale) << BigInt(f.k * bits)) | packBits(q.codes, bits));
    }
    const mon = new StreamMonitor(tb, dut.out, { idle: 0.3, seed });
    mon.onItem = (v) => board.got(v);
    mon.start();
    await new StreamDriver(tb, dut.in, { idle: 0.2, seed: seed + 1 }).send(data.map((xs) => (bf16 ? packBits(xs.map((x) => x >>> 16), 16) : packBits(xs, 32))));
    await mon.waitFor(data.length, 2000);
    board.done();
  });
}

describe('FP32 -> block integer quantizer (hardware)', () => {
  it('MXINT8 (32 x INT8), ties to even', () => quantizerRun(MXINT8, 'even', 150, 1));
  it('MXINT8 (32 x INT8), ties away from zero', () => quantizerRun(MXINT8, 'away', 80, 2));
  it('BFP16_64 (64 x INT8): the INT8 array format', () => quantizerRun(BFP16_64, 'even', 100, 3));
  it('BFP12_128 (128 x INT4): the INT4 array format', () => quantizerRun(BFP12_128, 'even', 60, 4));

  it('MXFP8 E4M3, ties to even', () => quantizerRun(MXFP8_E4M3, 'even', 80, 11, MX_FP.E4M3));
  it('MXFP8 E5M2, ties to even', () => quantizerRun(MXFP8_E5M2, 'even', 80, 12, MX_FP.E5M2));
  it('MXFP6 E2M3, ties to even', () => quantizerRun(MXFP6_E2M3, 'even', 60, 13, MX_FP.E2M3));
  it('MXFP6 E3M2, ties to even', () => quantizerRun(MXFP6_E3M2, 'even', 60, 14, MX_FP.E3M2));
  it('MXFP4 E2M1, ties to even and away', async () => {
    await quantizerRun(MXFP4_E2M1, 'even', 60, 15, MX_FP.E2M1);
    await quantizerRun(MXFP4_E2M1, 'away', 40, 16, MX_FP.E2M1);
  });

  it('BF16 inputs: MXINT8, BFP12_128 and MXFP8 E4M3', async () => {
    await quantizerRun(MXINT8, 'even', 60, 21, undefined, true);
    await quantizerRun(BFP12_128, 'even', 30, 22, undefined, true);
    await quantizerRun(MXFP8_E4M3, 'even', 60, 23, MX_FP.E4M3, true);
  });

  it('sustains one block per cycle', async () => {
    const top = new BfpQuantizer({ k: 32, bits: 8 });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      await tb.reset();
      dut.out.ready.value = 1;
      dut.in.valid.value = 1;
      let outs = 0;
      for (let t = 0; t < 20; t++) {
        dut.in.data.big = BigInt(t + 1) << 23n;
        await tb.falling();
        expect(dut.in.ready.value).toBe(1);
        outs += dut.out.valid.value;
        await tb.rising();
      }
      expect(outs).toBe(20 - top.latency);
    });
  });
});

describe('exact integer sum -> FP32 (hardware)', () => {
  for (const out of ['fp32', 'bf16'] as const) it(`${out}: agrees with the reference on random and corner lanes under back-pressure`, async () => {
    const lanes = 4;
    const ow = out === 'fp32' ? 32 : 16;
    const top = new IntToFp32({ lanes, out });
    const intArb = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.integer({ min: -70000, max: 70000 }),
      fc.constantFrom(0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 24 + 1, 2 ** 24 + 3, -(2 ** 24) - 1, 0x7fffff, 2 ** 25 - 1),
    );
    const expArb = fc.oneof(fc.integer({ min: -512, max: 511 }), fc.integer({ min: -180, max: 120 }), fc.constantFrom(-149, -150, -172, -126, 96, 97, 127, 0));
    const items = fc.sample(fc.array(fc.tuple(intArb, expArb), { minLength: lanes, maxLength: lanes }), { numRuns: 400, seed: 9 });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      dut.in.valid.value = 0;
      await tb.reset();
      const board = new Scoreboard(tb, 'int->fp32');
      const words: bigint[] = [];
      for (const lane of items) {
        board.expect(packBits(lane.map(([s, k]) => (out === 'fp32' ? intToF32Bits(BigInt(s), k) : intToFloatBits(BigInt(s), k, 7))), ow));
        words.push(packBits(lane.map(([s, k]) => Number((BigInt.asUintN(10, BigInt(k)) << 32n) | BigInt.asUintN(32, BigInt(s)))), 42));
      }
      const mon = new StreamMonitor(tb, dut.out, { idle: 0.4, seed: 5 });
      mon.onItem = (v) => board.got(v);
      mon.start();
      await new StreamDriver(tb, dut.in, { idle: 0.3, seed: 6 }).send(words);
      await mon.waitFor(items.length, 3000);
      board.done();
    });
  });
});
