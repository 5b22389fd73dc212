// The block floating-point matrix-vector flow through the hardware, stage by stage: FP32 rows and vectors are
// quantized by the BfpQuantizer, the element codes multiplied by the DIMC matrix unit (exact integer sums), and
// the sums times the product of the scales converted to FP32 by IntToFp32. Each stage is its own simulation fed
// with the previous stage's outputs; the reference for the whole flow is blockMatVec() in bfp-ref.ts.
import { BfpQuantizer, DIMC_BIT, DIMC_REG, DimcMatrixUnit, IntToFp32 } from '../../rtl/corsair/dimc/index.ts';
import { StreamDriver, StreamMonitor, simulate } from '../runtime/index.ts';
import type { Block } from './bfp-ref.ts';
import { idleInputs, loadOps, runScript } from './matrix-harness.ts';
import { unpackResult } from './matrix-ref.ts';

export const packWords = (xs: readonly (number | bigint)[], w: number): bigint =>
  xs.reduceRight<bigint>((v, x) => (v << BigInt(w)) | BigInt(x), 0n);

const mask = (w: number) => (1n << BigInt(w)) - 1n;

/** A quantizer output word as a block (codes at the bottom, scale above). */
export function unpackBlock(word: bigint, k: number, bits: number): Block {
  const codes: number[] = [];
  for (let i = 0; i < k; i++) codes.push(Number((word >> BigInt(bits * i)) & mask(bits)));
  return { scale: Number(word >> BigInt(k * bits)), codes };
}

/** Quantize blocks of FP32 bit patterns in hardware. */
export async function quantizeHw(k: number, bits: number, blocks: readonly (readonly number[])[]): Promise<Block[]> {
  let out: Block[] = [];
  await simulate(new BfpQuantizer({ k, bits }), async (tb) => {
    tb.dut.in.valid.value = 0;
    await tb.reset();
    const mon = new StreamMonitor(tb, tb.dut.out).start();
    await new StreamDriver(tb, tb.dut.in).send(blocks.map((b) => packWords(b, 32)));
    out = (await mon.waitFor(blocks.length, 100)).map((w) => unpackBlock(w, k, bits));
  });
  return out;
}

/** Exact row sums of the DIMC unit (rows = weight blocks, one product per vector block). */
export async function dimcHw(mode: 'int8' | 'int4', w: readonly Block[], xs: readonly Block[], bits: number, treeStages = 2): Promise<bigint[][]> {
  const rows = w.length;
  const cols = (w[0]!.codes.length * bits) / 8;
  let sums: bigint[][] = [];
  const top = new DimcMatrixUnit({ rows, cols, treeStages });
  await simulate(top, async (tb) => {
    idleInputs(tb);
    tb.dut.out.ready.value = 1;
    await tb.reset();
    const mon = new StreamMonitor(tb, tb.dut.out).start();
    await runScript(tb, [
      ...loadOps(w.map((b) => packWords(b.codes, bits))),
      { kind: 'csr', addr: DIMC_REG.CMD, data: DIMC_BIT.CMD_SWAP },
      { kind: 'csr', addr: DIMC_REG.CTRL, data: mode === 'int4' ? DIMC_BIT.CTRL_INT4 : 0 },
      ...xs.map((x) => ({ kind: 'vec' as const, x: packWords(x.codes, bits) })),
    ]);
    sums = (await mon.waitFor(xs.length, 100)).map((r) => unpackResult(r, rows, top.accWidth));
  });
  return sums;
}

/** s * 2^k to FP32 bits in hardware, one word of lanes per item. */
export async function toFp32Hw(items: readonly (readonly (readonly [bigint, number])[])[]): Promise<number[][]> {
  const lanes = items[0]!.length;
  const top = new IntToFp32({ lanes });
  let out: number[][] = [];
  await simulate(top, async (tb) => {
    tb.dut.in.valid.value = 0;
    await tb.reset();
    const mon = new StreamMonitor(tb, tb.dut.out).start();
    const words = items.map((lane) => packWords(lane.map(([s, k]) => (BigInt.asUintN(10, BigInt(k)) << 32n) | BigInt.asUintN(32, s)), 42));
    await new StreamDriver(tb, tb.dut.in).send(words);
    out = (await mon.waitFor(items.length, 100)).map((w) => Array.from({ length: lanes }, (_, i) => Number((w >> BigInt(32 * i)) & 0xffffffffn)));
  });
  return out;
}

export interface FlowResult {
  w: Block[];
  x: Block[];
  sums: bigint[][];
  exps: number[][];
  fp32: number[][];
}

/**
 * The whole flow in hardware: W (rows of k FP32 bit patterns, one block each) times vectors xs (one block each),
 * with `bits`-bit integer elements (8: the INT8 array; 4: the INT4 array).
 */
export async function blockProductHw(bits: 8 | 4, w: readonly (readonly number[])[], xs: readonly (readonly number[])[]): Promise<FlowResult> {
  const k = w[0]!.length;
  const wb = await quantizeHw(k, bits, w);
  const xb = await quantizeHw(k, bits, xs);
  const sums = await dimcHw(bits === 8 ? 'int8' : 'int4', wb, xb, bits);
  const frac = bits - 2;
  const exps = xb.map((x) => wb.map((r) => r.scale + x.scale - 254 - 2 * frac));
  const fp32 = await toFp32Hw(sums.map((ys, j) => ys.map((s, r) => [s, exps[j]![r]!] as const)));
  return { w: wb, x: xb, sums, exps, fp32 };
}
