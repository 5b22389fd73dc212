// The emitted SystemVerilog of the DIMC blocks, Verilated, against our simulator: random inputs on every port
// (CSR writes, weight rows, vectors, back-pressure, reset pulses) for a few thousand clock events; every output
// must agree at every event. Builds are cached under .cache/verilator/, so only a changed design costs a compile.
// The SV also passes `verilator --lint-only -Wall`, `iverilog -g2012 -Wall` and yosys `check -assert` silently.
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../rtl/core/index.ts';
import { BfpQuantizer, DimcBfpUnit, DimcCluster, DimcMatrixUnit, IntToFp32, MX_FP } from '../../rtl/corsair/dimc/index.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../gen/sv/verilator.ts';
import { lintEmitted } from '../../gen/sv/lint-tools.ts';
import { itWithTools } from '../tools.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['DimcMatrixUnit 3x5, 2 tree stages', () => new DimcMatrixUnit({ rows: 3, cols: 5, treeStages: 2 })],
  ['BfpQuantizer MXFP8 E4M3, k = 4', () => new BfpQuantizer({ k: 4, fp: MX_FP.E4M3 })],
  ['BfpQuantizer BF16 -> INT4, k = 4, ties away', () => new BfpQuantizer({ k: 4, bits: 4, tie: 'away', input: 'bf16' })],
  ['IntToFp32, 2 lanes FP32', () => new IntToFp32({ lanes: 2 })],
  ['IntToFp32, 2 lanes BF16, 20-bit sums', () => new IntToFp32({ lanes: 2, out: 'bf16', intWidth: 20 })],
  ['DimcBfpUnit 2x4 INT8', () => new DimcBfpUnit({ rows: 2, cols: 4, format: 'int8', treeStages: 1 })],
  ['DimcCluster 3 units K-split', () => new DimcCluster({ units: 3, rows: 2, cols: 2, split: 'k', treeStages: 0 })],
];

describe('DIMC blocks in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0xd1c + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    });
  }
});

describe('DIMC blocks lint clean', () => {
  const lint: Array<[string, () => Module]> = [
    ['DimcBfpUnit', () => new DimcBfpUnit({ rows: 2, cols: 4, format: 'int8' })],
    ['DimcCluster', () => new DimcCluster({ units: 3, rows: 2, cols: 2, split: 'k' })],
    ['BfpQuantizer', () => new BfpQuantizer({ k: 4, fp: MX_FP.E5M2, input: 'bf16' })],
  ];
  for (const [top, make] of lint) {
    itWithTools(['verilator', 'iverilog', 'yosys'], `${top}: verilator -Wall, iverilog -Wall and yosys check say nothing`, () => {
      expect(lintEmitted(make, top)).toEqual(['', '', '']);
    });
  }
});
