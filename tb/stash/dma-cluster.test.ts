// The DMA engine loading a real two-unit DimcCluster from the stash: random INT8 weight rows (packed at an
// unaligned stash address) go to both units through the cluster's WeightPort, the banks are swapped, then input
// vectors (a 2-D tile with gaps between rows) stream into the cluster; every result lane must equal the plain
// integer dot product of the weight row and the vector.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { STASH_DMA_BIT as B, STASH_DMA_REG as R } from '../../rtl/corsair/stash/dma.ts';
import { DIMC_BIT, DIMC_REG } from '../../rtl/corsair/dimc/regs.ts';
import { simulate, type Testbench } from '../runtime/index.ts';
import { DmaCluster } from './dma-cluster.ts';
import { propTimeout, runs } from './cosim-runs.ts';

const UNITS = 2;
const ROWS = 4;
const COLS = 16;

type Tb = Testbench<DmaCluster>;

async function write(tb: Tb, bus: 'csr' | 'mucsr', addr: number, data: number): Promise<void> {
  const c = tb.dut[bus];
  c.en.value = 1;
  c.we.value = 1;
  c.addr.value = addr;
  c.wdata.value = data >>> 0;
  await tb.rising();
  c.en.value = 0;
  c.we.value = 0;
}

async function dmaRun(tb: Tb, src: number, dst: number, len: number, rows: number, srcStride: number, dstStride: number, dstKind: number): Promise<void> {
  for (const [a, v] of [[R.SRC, src], [R.DST, dst], [R.LEN, len], [R.ROWS, rows], [R.SRC_STRIDE, srcStride], [R.DST_STRIDE, dstStride]] as const) await write(tb, 'csr', a, v);
  await write(tb, 'csr', R.CTRL, B.CTRL_START | (B.KIND_STASH << B.CTRL_SRC_SHIFT) | (dstKind << B.CTRL_DST_SHIFT) | B.CTRL_IRQ_EN);
  await tb.until(() => tb.dut.irq.value === 1, { timeoutCycles: 2000 });
  await write(tb, 'csr', R.STATUS, B.STATUS_DONE);
}

it('feeds a two-unit DimcCluster weights and vectors from the stash', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: -128, max: 127 }), { minLength: UNITS * ROWS * COLS, maxLength: UNITS * ROWS * COLS }),
      fc.array(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: COLS, maxLength: COLS }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 100 }),
      async (w, xs, wAt) => {
        const image = new Uint8Array(2048);
        w.forEach((v, i) => (image[wAt + i] = v & 0xff)); // row k (unit k / ROWS, row k % ROWS) at wAt + k * COLS
        const xAt = 0x403;
        const xPitch = COLS + 5;
        xs.forEach((x, n) => x.forEach((v, c) => (image[xAt + n * xPitch + c] = v & 0xff)));
        await simulate(new DmaCluster(UNITS, ROWS, COLS), async (tb) => {
          const { dut } = tb;
          await tb.reset();
          // fill the stash through its pcieIn port
          for (let a = 0; a < 2048; a += COLS) {
            let v = 0n;
            for (let b = COLS - 1; b >= 0; b--) v = (v << 8n) | BigInt(image[a + b]!);
            dut.fill.req.valid.value = 1;
            dut.fill.req.we.value = 1;
            dut.fill.req.addr.value = a;
            dut.fill.req.wdata.big = v;
            dut.fill.req.be.big = (1n << BigInt(COLS)) - 1n;
            await tb.falling();
            const took = dut.fill.req.ready.value;
            await tb.rising();
            if (!took) a -= COLS;
          }
          dut.fill.req.valid.value = 0;
          // weights: all rows of both units in one transfer (row index = unit * ROWS + row), then swap banks
          await dmaRun(tb, wAt, 0, UNITS * ROWS * COLS, 1, 0, 0, B.KIND_MU_WEIGHT);
          await write(tb, 'mucsr', DIMC_REG.CMD, DIMC_BIT.CMD_SWAP);
          // vectors: a 2-D tile, one vector a row
          dut.out.ready.value = 1;
          const results: bigint[] = [];
          const collect = tb.fork(async () => {
            while (results.length < xs.length) {
              await tb.falling();
              if (dut.out.valid.value) results.push(dut.out.data.big);
              await tb.rising();
            }
          });
          await dmaRun(tb, xAt, 0, COLS, xs.length, xPitch, COLS, B.KIND_MU_INPUT);
          await tb.join(collect);
          xs.forEach((x, n) => {
            for (let u = 0; u < UNITS; u++) {
              for (let r = 0; r < ROWS; r++) {
                const k = u * ROWS + r;
                const want = x.reduce((s, v, c) => s + v * w[k * COLS + c]!, 0);
                const lane = BigInt.asIntN(32, results[n]! >> BigInt(32 * k));
                expect(Number(lane), `vector ${n}, unit ${u}, row ${r}`).toBe(want);
              }
            }
          });
        });
      },
    ),
    { numRuns: runs(6, 2), seed: 0xc105 },
  );
}, propTimeout);
