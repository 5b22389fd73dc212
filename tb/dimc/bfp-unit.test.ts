// The BFP matrix unit end to end (FP32 vectors in, FP32 results out) against blockMatVec(): both array formats,
// weight banks swapped under load, NaN blocks on either side, random back-pressure on both streams, and the
// full-rate latency.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIMC_BIT, DIMC_REG, DimcBfpUnit } from '../../rtl/corsair/dimc/index.ts';
import { Scoreboard, StreamDriver, StreamMonitor, simulate, type Testbench } from '../runtime/index.ts';
import { INT4, INT8, blockMatVec, f32Bits, quantizeBlock, type Block, type BlockFormat } from './bfp-ref.ts';
import { packWords } from './bfp-flow.ts';

type Tb = Testbench<DimcBfpUnit>;

async function csrWrite(tb: Tb, addr: number, data: number): Promise<void> {
  const { dut } = tb;
  dut.csr.en.value = 1;
  dut.csr.we.value = 1;
  dut.csr.addr.value = addr;
  dut.csr.wdata.value = data;
  await tb.rising();
  dut.csr.en.value = 0;
  dut.csr.we.value = 0;
}

async function loadRows(tb: Tb, rows: readonly Block[], bits: number): Promise<void> {
  const { dut } = tb;
  for (let r = 0; r < rows.length; r++) {
    dut.wr.valid.value = 1;
    dut.wr.row.value = r;
    dut.wr.data.big = (BigInt(rows[r]!.scale) << BigInt(rows[r]!.codes.length * bits)) | packWords(rows[r]!.codes, bits);
    await tb.rising();
  }
  dut.wr.valid.value = 0;
}

/** FP32 rows/vectors with a random magnitude each; now and then a NaN or an infinity. */
const vecArb = (k: number) =>
  fc.tuple(fc.integer({ min: -30, max: 30 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: k, maxLength: k }), fc.integer({ min: 0, max: 15 }))
    .map(([e, vs, special]) => {
      const out = vs.map((v) => Math.fround(v * 2 ** e));
      if (special === 0) out[k - 1] = NaN;
      if (special === 1) out[0] = -Infinity;
      return out;
    });

describe('DimcBfpUnit: FP32 in, FP32 out', () => {
  for (const [format, rows, cols, seed] of [['int8', 3, 4, 1], ['int4', 4, 3, 2], ['int8', 5, 8, 3]] as const) {
    it(`${format}, ${rows}x${cols} bytes: two weight sets swapped under load, NaN blocks, back-pressure`, async () => {
      const bits = format === 'int8' ? 8 : 4;
      const k = (cols * 8) / bits;
      const fmt: BlockFormat = { name: `BFP_${k}`, elem: format === 'int8' ? INT8 : INT4, k };
      const top = new DimcBfpUnit({ rows, cols, format, treeStages: 1 });
      const [wa, wb] = [seed * 10, seed * 10 + 1].map((s) => fc.sample(vecArb(k), { numRuns: rows, seed: s }).map((r) => quantizeBlock(fmt, r)));
      const xs = fc.sample(vecArb(k), { numRuns: 40, seed: seed * 10 + 2 });
      await simulate(top, async (tb) => {
        const { dut } = tb;
        dut.in.valid.value = 0;
        dut.wr.valid.value = 0;
        dut.csr.en.value = 0;
        await tb.reset();
        if (format === 'int4') await csrWrite(tb, DIMC_REG.CTRL, DIMC_BIT.CTRL_INT4);
        await loadRows(tb, wa!, bits);
        await csrWrite(tb, DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);
        const board = new Scoreboard(tb, 'bfp results');
        for (const [i, x] of xs.entries()) board.expect(packWords(blockMatVec(fmt, i < 20 ? wa! : wb!, quantizeBlock(fmt, x)).bits, 32));
        const mon = new StreamMonitor(tb, dut.out, { idle: 0.3, seed });
        mon.onItem = (v) => board.got(v);
        mon.start();
        // the first 20 vectors run on A while B loads into the shadow bank; then SWAP; the rest run on B
        const drv = new StreamDriver(tb, dut.in, { idle: 0.2, seed: seed + 7 });
        const loader = tb.fork(() => loadRows(tb, wb!, bits));
        await drv.send(xs.slice(0, 20).map((x) => packWords(x.map(f32Bits), 32)));
        await tb.join(loader);
        // SWAP only after vector 19 has been taken by the array (it is in the quantizer for two cycles)
        await tb.cycles(3);
        await csrWrite(tb, DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);
        await drv.send(xs.slice(20).map((x) => packWords(x.map(f32Bits), 32)));
        await mon.waitFor(xs.length, 3000);
        board.done();
      });
    });
  }

  it('full rate: one FP32 result per cycle after quantizer + array + converter latency', async () => {
    const top = new DimcBfpUnit({ rows: 4, cols: 8, format: 'int8', treeStages: 2 });
    expect(top.latency).toBe(2 + 4 + 1);
    await simulate(top, async (tb) => {
      const { dut } = tb;
      dut.in.valid.value = 0;
      dut.wr.valid.value = 0;
      dut.csr.en.value = 0;
      dut.out.ready.value = 1;
      await tb.reset();
      const fmt: BlockFormat = { name: 'BFP_8', elem: INT8, k: 8 };
      const w = fc.sample(vecArb(8), { numRuns: 4, seed: 9 }).map((r) => quantizeBlock(fmt, r));
      await loadRows(tb, w, 8);
      await csrWrite(tb, DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);
      const xs = fc.sample(vecArb(8), { numRuns: 30, seed: 10 });
      const got: bigint[] = [];
      const valid: number[] = [];
      dut.in.valid.value = 1;
      for (let t = 0; t < xs.length + top.latency; t++) {
        if (t < xs.length) dut.in.data.big = packWords(xs[t]!.map(f32Bits), 32);
        else dut.in.valid.value = 0;
        await tb.falling();
        if (t < xs.length) tb.check(dut.in.ready.value === 1, 'in.ready dropped');
        valid.push(dut.out.valid.value);
        if (dut.out.valid.value) got.push(dut.out.data.big);
        await tb.rising();
      }
      expect(valid.indexOf(1)).toBe(top.latency);
      expect(got).toEqual(xs.map((x) => packWords(blockMatVec(fmt, w, quantizeBlock(fmt, x)).bits, 32)));
    }, { vcd: 'dimc-bfp-unit' });
  });

  it('full size: 64 rows of BFP12_128 on the 64x128 INT4 array', async () => {
    const fmt: BlockFormat = { name: 'BFP12_128', elem: INT4, k: 128 };
    const top = new DimcBfpUnit({ rows: 64, cols: 64, format: 'int4' });
    const w = fc.sample(vecArb(128), { numRuns: 64, seed: 51 }).map((r) => quantizeBlock(fmt, r));
    const xs = fc.sample(vecArb(128), { numRuns: 8, seed: 52 });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      dut.in.valid.value = 0;
      dut.wr.valid.value = 0;
      dut.csr.en.value = 0;
      await tb.reset();
      await csrWrite(tb, DIMC_REG.CTRL, DIMC_BIT.CTRL_INT4);
      await loadRows(tb, w, 4);
      await csrWrite(tb, DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);
      const mon = new StreamMonitor(tb, dut.out, { idle: 0.5, seed: 53 }).start();
      await new StreamDriver(tb, dut.in).send(xs.map((x) => packWords(x.map(f32Bits), 32)));
      const got = await mon.waitFor(xs.length, 200);
      expect(got).toEqual(xs.map((x) => packWords(blockMatVec(fmt, w, quantizeBlock(fmt, x)).bits, 32)));
    });
  });
});
