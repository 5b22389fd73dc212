// The DIMC matrix unit against the BigInt reference: random small arrays and scripts (fast-check) with random
// back-pressure, the -128 / -8 corner codes on the full 64x64 array in both modes, full-rate throughput,
// double buffering under load, accumulation of a tiled product, the register map and the stream contract.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clog2 } from '../../rtl/core/index.ts';
import { DimcMatrixUnit, DIMC_BIT, DIMC_REG, rowSumWidth } from '../../rtl/corsair/dimc/index.ts';
import { Scoreboard, StreamMonitor, simulate } from '../runtime/index.ts';
import { exactSumWidth, matVec, packElems, packResult, unpackResult } from './matrix-ref.ts';
import { DimcModel, bytesArb, csrRead, elemArb, idleInputs, loadOps, runScript, type DimcOp } from './matrix-harness.ts';

const csr = (addr: number, data: number): DimcOp => ({ kind: 'csr', addr, data });
const SWAP = csr(DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);

describe('DIMC matrix unit: widths and registers', () => {
  it('sizes the adder tree exactly as the references say (22 bits INT8, 15 bits INT4 with -128 / -8)', () => {
    expect(exactSumWidth(64, 8, false)).toBe(21);
    expect(exactSumWidth(64, 8, true)).toBe(22);
    expect(exactSumWidth(128, 4, false)).toBe(14);
    expect(exactSumWidth(128, 4, true)).toBe(15);
    expect(rowSumWidth(64)).toBe(22);
  });

  it('reads back CTRL, ACC_LEN, CONFIG; SWAP toggles the bank; counters count', async () => {
    const top = new DimcMatrixUnit({ rows: 3, cols: 5, treeStages: 1 });
    await simulate(top, async (tb) => {
      idleInputs(tb);
      tb.dut.out.ready.value = 1;
      await tb.reset();
      expect(csrRead(tb, DIMC_REG.CONFIG)).toBe((3 << 24) | (1 << 16) | (5 << 8) | 3);
      expect(top.latency).toBe(3);
      await runScript(tb, [csr(DIMC_REG.CTRL, 1), csr(DIMC_REG.ACC_LEN, 0x12345)]);
      expect(csrRead(tb, DIMC_REG.CTRL)).toBe(1);
      expect(csrRead(tb, DIMC_REG.ACC_LEN)).toBe(0x2345);
      expect(csrRead(tb, DIMC_REG.STATUS)).toBe(0);
      await runScript(tb, [SWAP]);
      expect(csrRead(tb, DIMC_REG.STATUS)).toBe(DIMC_BIT.STATUS_BANK);
      await runScript(tb, [csr(DIMC_REG.ACC_LEN, 2), { kind: 'vec', x: 0n }]);
      // one vector of a group of two: in flight, group open
      expect(csrRead(tb, DIMC_REG.STATUS) & (DIMC_BIT.STATUS_BUSY | DIMC_BIT.STATUS_GROUP_OPEN)).toBe(DIMC_BIT.STATUS_BUSY | DIMC_BIT.STATUS_GROUP_OPEN);
      await runScript(tb, [{ kind: 'vec', x: 0n }, { kind: 'idle', cycles: 6 }]);
      expect(csrRead(tb, DIMC_REG.STATUS)).toBe(DIMC_BIT.STATUS_BANK);
      expect(csrRead(tb, DIMC_REG.VECTORS)).toBe(2);
      expect(csrRead(tb, DIMC_REG.RESULTS)).toBe(1);
      expect(csrRead(tb, 15)).toBe(0);
    });
  });
});

describe('DIMC matrix unit: random arrays and scripts (fast-check)', () => {
  // a script: load a matrix, swap, then random operations (vectors mostly; weight rows into the shadow bank, swaps,
  // mode and group-length changes, restarts and idle cycles in between), with random output back-pressure
  const scenario = fc
    .record({
      rows: fc.integer({ min: 1, max: 5 }),
      cols: fc.integer({ min: 1, max: 6 }),
      stagesFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      fifoExtra: fc.integer({ min: 0, max: 2 }),
      outIdle: fc.constantFrom(0, 0.3, 0.8),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    })
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        init: fc.array(bytesArb(c.cols), { minLength: c.rows, maxLength: c.rows }),
        ops: fc.array(
          fc.oneof(
            { weight: 8, arbitrary: bytesArb(c.cols).map((x): DimcOp => ({ kind: 'vec', x })) },
            { weight: 2, arbitrary: fc.record({ row: fc.integer({ min: 0, max: (1 << clog2(c.rows)) - 1 }), data: bytesArb(c.cols) }).map((w): DimcOp => ({ kind: 'wr', ...w })) },
            { weight: 1, arbitrary: fc.constant(SWAP) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }).map((m) => csr(DIMC_REG.CTRL, m)) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((n) => csr(DIMC_REG.ACC_LEN, n)) },
            { weight: 1, arbitrary: fc.constant(csr(DIMC_REG.CMD, DIMC_BIT.CMD_RESTART)) },
            { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((n): DimcOp => ({ kind: 'idle', cycles: n })) },
          ),
          { minLength: 1, maxLength: 40 },
        ),
      }),
    );

  it('agrees bit-exactly with the reference, losing nothing under back-pressure', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ c, init, ops }) => {
        const levels = c.cols <= 1 ? 0 : Math.ceil(Math.log2(c.cols));
        const treeStages = Math.round(c.stagesFrac * (levels + 1));
        const top = new DimcMatrixUnit({ rows: c.rows, cols: c.cols, treeStages, fifoDepth: treeStages + 3 + c.fifoExtra });
        const model = new DimcModel(c.rows, c.cols, 32);
        await simulate(top, async (tb) => {
          idleInputs(tb);
          await tb.reset();
          const board = new Scoreboard(tb, 'dimc results');
          const mon = new StreamMonitor(tb, tb.dut.out, { idle: c.outIdle, seed: c.seed });
          mon.onItem = (v) => board.got(v);
          mon.start();
          let expected = 0;
          const script = [...loadOps(init), SWAP, ...ops, csr(DIMC_REG.ACC_LEN, 1), csr(DIMC_REG.CMD, DIMC_BIT.CMD_RESTART)];
          for (const op of script) {
            await runScript(tb, [op], model);
            while (expected < model.results.length) board.expect(model.results[expected++]!);
          }
          await mon.waitFor(model.results.length, 2000);
          await tb.cycles(top.latency + 3);
          board.done();
          expect(mon.received.length).toBe(model.results.length);
          expect(csrRead(tb, DIMC_REG.VECTORS)).toBe(model.vectors);
          expect(csrRead(tb, DIMC_REG.RESULTS)).toBe(model.results.length);
          expect(csrRead(tb, DIMC_REG.STATUS) & DIMC_BIT.STATUS_BUSY).toBe(0);
        });
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});

/** The full array with every weight and input at the most negative code, and mixtures of the corners. */
describe('DIMC matrix unit: full 64x64 array', () => {
  it('-128 x -128 (INT8) and -8 x -8 (INT4) everywhere, and corner mixtures, are exact at full rate', async () => {
    const top = new DimcMatrixUnit({ rows: 64, cols: 64, treeStages: 2 });
    expect(top.latency).toBe(4);
    await simulate(top, async (tb) => {
      idleInputs(tb);
      tb.dut.out.ready.value = 1;
      await tb.reset();
      const rnd = fc.sample(fc.array(elemArb(8), { minLength: 64, maxLength: 64 }), { numRuns: 66, seed: 11 });
      const w8 = [Array(64).fill(-128), Array(64).fill(127), ...rnd.slice(0, 62)];
      const w4 = w8.map((row, r) => [...row, ...row].map((v, i) => (r === 0 ? -8 : ((v >> 4) + i) % 8)));
      const x8 = [Array(64).fill(-128), Array(64).fill(127), Array(64).fill(-127), rnd[64]!, rnd[65]!];
      const x4 = [Array(128).fill(-8), Array(128).fill(7), Array(128).fill(-7), x8[3]!.flatMap((v) => [v >> 4, v % 8])];
      const model = new DimcModel(64, 64, 32);
      await runScript(tb, [...loadOps(w8.map((r) => packElems(r, 8))), SWAP], model);
      // INT4 weights go into the shadow bank while the INT8 vectors stream
      const mon = new StreamMonitor(tb, tb.dut.out).start();
      const loader = tb.fork(() => runScriptW(tb, loadOps(w4.map((r) => packElems(r, 4)))));
      const start = tb.cycle();
      await runScript(tb, x8.map((x) => ({ kind: 'vec', x: packElems(x, 8) })), model);
      expect(tb.cycle() - start).toBe(x8.length); // one vector per cycle
      await tb.join(loader);
      for (const op of loadOps(w4.map((r) => packElems(r, 4)))) model.apply(op);
      await runScript(tb, [SWAP, csr(DIMC_REG.CTRL, DIMC_BIT.CTRL_INT4), ...x4.map((x): DimcOp => ({ kind: 'vec', x: packElems(x, 4) }))], model);
      const got = await mon.waitFor(model.results.length, 100);
      expect(got).toEqual(model.results);
      // the corners by hand: 64 x (-128)^2 = 2^20 needs 22 bits; 128 x (-8)^2 = 2^13 needs 15
      expect(unpackResult(got[0]!, 64, 32)[0]).toBe(1n << 20n);
      expect(unpackResult(got[1]!, 64, 32).slice(0, 2)).toEqual([-64n * 128n * 127n, 64n * 127n * 127n]);
      expect(unpackResult(got[x8.length]!, 64, 32)[0]).toBe(1n << 13n);
      expect(unpackResult(got[x8.length + 1]!, 64, 32)[0]).toBe(-128n * 8n * 7n);
    });
  });
});

/** Weight rows from a second task, concurrently with vectors (the loader only touches wr.*). */
async function runScriptW(tb: Parameters<typeof runScript>[0], ops: DimcOp[]): Promise<void> {
  for (const op of ops) {
    if (op.kind !== 'wr') throw new Error('runScriptW: weight rows only');
    tb.dut.wr.valid.value = 1;
    tb.dut.wr.row.value = op.row;
    tb.dut.wr.data.big = op.data;
    await tb.rising();
  }
  tb.dut.wr.valid.value = 0;
}

describe('DIMC matrix unit: streams, throughput, double buffering, accumulation', () => {
  it('sustains one product per cycle: out.valid every cycle after the latency, in.ready never drops', async () => {
    const top = new DimcMatrixUnit({ rows: 8, cols: 16, treeStages: 3 });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      idleInputs(tb);
      dut.out.ready.value = 1;
      await tb.reset();
      const w = fc.sample(fc.array(elemArb(8), { minLength: 16, maxLength: 16 }), { numRuns: 8, seed: 3 });
      const xs = fc.sample(fc.array(elemArb(8), { minLength: 16, maxLength: 16 }), { numRuns: 50, seed: 4 });
      await runScript(tb, [...loadOps(w.map((r) => packElems(r, 8))), SWAP]);
      const valids: number[] = [];
      const readies: number[] = [];
      const got: bigint[] = [];
      dut.in.valid.value = 1;
      for (let t = 0; t < xs.length + top.latency; t++) {
        if (t < xs.length) dut.in.data.big = packElems(xs[t]!, 8);
        else dut.in.valid.value = 0;
        await tb.falling();
        if (t < xs.length) readies.push(dut.in.ready.value);
        valids.push(dut.out.valid.value);
        if (dut.out.valid.value) got.push(dut.out.data.big);
        await tb.rising();
      }
      expect(readies.every((r) => r === 1)).toBe(true);
      expect(valids.indexOf(1)).toBe(top.latency);
      expect(valids.slice(top.latency).every((v) => v === 1)).toBe(true);
      expect(got).toEqual(xs.map((x) => packResult(matVec(w, x), 32)));
    }, { vcd: 'dimc-throughput' });
  });

  it('stalls the input, never the datapath, when the output is blocked; nothing is lost or duplicated', async () => {
    const top = new DimcMatrixUnit({ rows: 2, cols: 3, treeStages: 2 });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      idleInputs(tb);
      await tb.reset();
      const w = [[1, 2, 3], [-128, 127, -1]];
      await runScript(tb, [...loadOps(w.map((r) => packElems(r, 8))), SWAP]);
      const xs = Array.from({ length: 30 }, (_, i) => [i, -i, 100 - 7 * i]);
      const board = new Scoreboard(tb);
      for (const x of xs) board.expect(packResult(matVec(w, x), 32));
      // the output is blocked for 20 cycles, then open every third cycle
      const mon = tb.fork(async () => {
        for (let t = 0; ; t++) {
          dut.out.ready.value = t >= 20 && t % 3 === 0 ? 1 : 0;
          await tb.falling();
          // blocked for 20 cycles: the unit takes exactly as many vectors as its output FIFO holds
          if (t === 19) tb.check(csrRead(tb, DIMC_REG.VECTORS) === top.fifoDepth, `took ${csrRead(tb, DIMC_REG.VECTORS)} vectors while blocked`);
          const pending = csrRead(tb, DIMC_REG.STATUS) >>> DIMC_BIT.STATUS_PENDING_SHIFT;
          tb.check(pending <= top.fifoDepth, `FIFO holds ${pending} > ${top.fifoDepth}`);
          if (dut.out.valid.value && dut.out.ready.value) board.got(dut.out.data.big);
          await tb.rising();
        }
      });
      const t0 = tb.cycle();
      await runScript(tb, xs.map((x) => ({ kind: 'vec', x: packElems(x, 8) })));
      // while the output was blocked the unit took only what its FIFO could hold, so the 30 vectors took longer
      expect(tb.cycle() - t0).toBeGreaterThan(20);
      await tb.until(() => board.matched === xs.length, { timeoutCycles: 200 });
      board.done();
      expect(mon.done).toBe(false); // the monitor runs until the test ends
    });
  });

  it('loads the shadow bank while computing with the active one; SWAP switches between two vectors', async () => {
    const top = new DimcMatrixUnit({ rows: 6, cols: 8, treeStages: 2 });
    await simulate(top, async (tb) => {
      idleInputs(tb);
      tb.dut.out.ready.value = 1;
      await tb.reset();
      const [a, b] = [21, 22].map((seed) => fc.sample(fc.array(elemArb(8), { minLength: 8, maxLength: 8 }), { numRuns: 6, seed }));
      const xs = fc.sample(fc.array(elemArb(8), { minLength: 8, maxLength: 8 }), { numRuns: 20, seed: 23 });
      await runScript(tb, [...loadOps(a!.map((r) => packElems(r, 8))), SWAP]);
      const mon = new StreamMonitor(tb, tb.dut.out).start();
      // vectors 0..9 run on A while B loads (one row per cycle, concurrently); then SWAP; vectors 10..19 run on B
      const loader = tb.fork(() => runScriptW(tb, loadOps(b!.map((r) => packElems(r, 8)))));
      const vec = (x: number[]): DimcOp => ({ kind: 'vec', x: packElems(x, 8) });
      await runScript(tb, xs.slice(0, 10).map(vec));
      await tb.join(loader);
      await runScript(tb, [SWAP, ...xs.slice(10).map(vec)]);
      const got = await mon.waitFor(20, 100);
      expect(got).toEqual([...xs.slice(0, 10).map((x) => matVec(a!, x)), ...xs.slice(10).map((x) => matVec(b!, x))].map((y) => packResult(y, 32)));
    });
  });

  it('accumulates a tiled product (K = 4 x cols) over one group, swapping tiles between vectors', async () => {
    const rows = 4, cols = 8, tiles = 4;
    const top = new DimcMatrixUnit({ rows, cols, treeStages: 1 });
    await simulate(top, async (tb) => {
      idleInputs(tb);
      tb.dut.out.ready.value = 1;
      await tb.reset();
      const W = fc.sample(fc.array(elemArb(4), { minLength: 2 * cols * tiles, maxLength: 2 * cols * tiles }), { numRuns: rows, seed: 31 });
      const xs = fc.sample(fc.array(elemArb(4), { minLength: 2 * cols * tiles, maxLength: 2 * cols * tiles }), { numRuns: 3, seed: 32 });
      const tile = (k: number) => W.map((row) => packElems(row.slice(k * 2 * cols, (k + 1) * 2 * cols), 4));
      const chunk = (x: number[], k: number) => packElems(x.slice(k * 2 * cols, (k + 1) * 2 * cols), 4);
      const mon = new StreamMonitor(tb, tb.dut.out).start();
      await runScript(tb, [csr(DIMC_REG.CTRL, DIMC_BIT.CTRL_INT4), csr(DIMC_REG.ACC_LEN, tiles)]);
      for (const x of xs) {
        for (let k = 0; k < tiles; k++) {
          await runScript(tb, [...loadOps(tile(k)), SWAP, { kind: 'vec', x: chunk(x, k) }]);
        }
      }
      const got = await mon.waitFor(xs.length, 100);
      expect(got).toEqual(xs.map((x) => packResult(matVec(W, x), 32)));
    });
  });
});
