// Several matrix units tied together: a K-split (inputs sliced from one broadcast bus, partial sums added) and an
// M-split (the same vector to every unit, results side by side), against the BigInt reference, both modes,
// random output back-pressure.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DIMC_BIT, DIMC_REG, DimcCluster } from '../../rtl/corsair/dimc/index.ts';
import { StreamDriver, StreamMonitor, simulate } from '../runtime/index.ts';
import { matVec, packElems, packResult } from './matrix-ref.ts';
import { elemArb } from './matrix-harness.ts';

async function run(split: 'k' | 'm', units: number, rows: number, cols: number, mode: 'int8' | 'int4', seed: number, fixed?: { W: number[][]; xs: number[][] }) {
  const top = new DimcCluster({ units, rows, cols, split, treeStages: 1 });
  const b = mode === 'int8' ? 8 : 4;
  const n = (cols * 8) / b; // elements per unit row
  const K = split === 'k' ? units * n : n;
  const M = split === 'k' ? rows : units * rows;
  const W = fixed?.W ?? fc.sample(fc.array(elemArb(b), { minLength: K, maxLength: K }), { numRuns: M, seed });
  const xs = fixed?.xs ?? fc.sample(fc.array(elemArb(b), { minLength: K, maxLength: K }), { numRuns: 25, seed: seed + 1 });
  const rowSlot = 1 << Math.max(1, Math.ceil(Math.log2(rows)));
  await simulate(top, async (tb) => {
    const { dut } = tb;
    dut.in.valid.value = 0;
    dut.wr.valid.value = 0;
    dut.csr.en.value = 0;
    await tb.reset();
    // unit u, row r: split 'k' -> W[r][u*n .. (u+1)*n); split 'm' -> W[u*rows + r]
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) {
        dut.wr.valid.value = 1;
        dut.wr.row.value = u * rowSlot + r;
        dut.wr.data.big = packElems(split === 'k' ? W[r]!.slice(u * n, (u + 1) * n) : W[u * rows + r]!, b);
        await tb.rising();
      }
    }
    dut.wr.valid.value = 0;
    for (const [addr, data] of [[DIMC_REG.CMD, DIMC_BIT.CMD_SWAP], [DIMC_REG.CTRL, mode === 'int4' ? 1 : 0]]) {
      dut.csr.en.value = 1;
      dut.csr.we.value = 1;
      dut.csr.addr.value = addr!;
      dut.csr.wdata.value = data!;
      await tb.rising();
    }
    dut.csr.en.value = 0;
    const mon = new StreamMonitor(tb, dut.out, { idle: 0.4, seed }).start();
    await new StreamDriver(tb, dut.in, { idle: 0.1, seed }).send(xs.map((x) => packElems(x, b)));
    const got = await mon.waitFor(xs.length, 500);
    expect(got).toEqual(xs.map((x) => packResult(matVec(W, x), 32)));
    if (fixed) expect(got[0]).toBe(packResult([1n << 23n], 32));
  });
}

describe('DIMC cluster', () => {
  it('K-split over 4 units, INT8: partial sums added', () => run('k', 4, 3, 4, 'int8', 1));
  it('K-split over 8 units, INT4 (the Corsair count)', () => run('k', 8, 2, 2, 'int4', 2));
  it('M-split over 3 units, INT8: results side by side', () => run('m', 3, 2, 5, 'int8', 3));
  it('a -128 corner: 8 units of 64 x (-128)^2 sum exactly to 2^23', async () => {
    // per unit 2^20 (22 bits); the sum of 8 needs 25 bits, within the 32-bit lane (units use 29-bit lanes)
    expect(new DimcCluster({ units: 8, rows: 1, cols: 64, split: 'k' }).unitAccWidth).toBe(29);
    const all = (v: number) => Array(8 * 64).fill(v);
    await run('k', 8, 1, 64, 'int8', 4, { W: [all(-128)], xs: [all(-128), all(127)] });
  });
});
