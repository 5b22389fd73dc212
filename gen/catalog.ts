// The designs `npm run gen` writes and the generator tests check: every module of the project at a
// representative parameterisation. New blocks add an entry here.
import type { Module } from '../rtl/core/index.ts';
import { ClockDomain } from '../rtl/core/index.ts';
import { PulseCounter } from '../rtl/examples/pulse-counter.ts';
import {
  AsyncFifo, Counter, Crc32, Fifo, FixedPriorityArbiter, RoundRobinArbiter, SkidBuffer, StreamReg, Sync2, UpDownCounter,
} from '../rtl/lib/index.ts';
import { MediumBench, SmallBench } from '../bench/designs.ts';
import { DispatchCore } from '../rtl/corsair/dispatch/index.ts';
import { BfpQuantizer, DimcBfpUnit, DimcCluster, DimcMatrixUnit, IntToFp32, MX_FP } from '../rtl/corsair/dimc/index.ts';

export interface CatalogEntry {
  /** Name on the command line and of the output folder. */
  readonly name: string;
  readonly make: () => Module;
  /** Also run Yosys `synth` on it in the tests (false for designs whose synthesis takes minutes). */
  readonly synth?: boolean;
  /** Yosys takes over a minute even to check it: the tests leave it to Verilator and Icarus (a smaller instance of
   * the same class gets the Yosys check). */
  readonly heavy?: boolean;
}

const wr = new ClockDomain('wr', { periodPs: 1000 });
const rd = new ClockDomain('rd', { periodPs: 2560 });

export const catalog: readonly CatalogEntry[] = [
  { name: 'PulseCounter', make: () => new PulseCounter(5) },
  { name: 'StreamReg', make: () => new StreamReg(32) },
  { name: 'SkidBuffer', make: () => new SkidBuffer(32) },
  { name: 'Fifo', make: () => new Fifo(32, 16) },
  { name: 'AsyncFifo', make: () => new AsyncFifo(32, 4, wr, rd) },
  { name: 'Sync2', make: () => new Sync2(4) },
  { name: 'FixedPriorityArbiter', make: () => new FixedPriorityArbiter(8) },
  { name: 'RoundRobinArbiter', make: () => new RoundRobinArbiter(8) },
  { name: 'Counter', make: () => new Counter(16) },
  { name: 'UpDownCounter', make: () => new UpDownCounter(16) },
  { name: 'Crc32', make: () => new Crc32(8) },
  { name: 'SmallBench', make: () => new SmallBench() },
  { name: 'MediumBench', make: () => new MediumBench(), synth: false },
  { name: 'DispatchCore', make: () => new DispatchCore(), synth: false },
  { name: 'DimcMatrixUnit', make: () => new DimcMatrixUnit({ rows: 64, cols: 64, treeStages: 2 }), synth: false, heavy: true },
  { name: 'DimcMatrixUnit8x16', make: () => new DimcMatrixUnit({ rows: 8, cols: 16, treeStages: 2 }), synth: false },
  { name: 'BfpQuantizerMxInt8', make: () => new BfpQuantizer({ k: 32, bits: 8 }), synth: false },
  { name: 'BfpQuantizerMxFp8', make: () => new BfpQuantizer({ k: 32, fp: MX_FP.E4M3 }), synth: false },
  { name: 'IntToFp32', make: () => new IntToFp32({ lanes: 4 }) },
  { name: 'DimcBfpUnit', make: () => new DimcBfpUnit({ rows: 8, cols: 16, format: 'int8' }), synth: false },
  { name: 'DimcCluster', make: () => new DimcCluster({ units: 2, rows: 4, cols: 8, split: 'k' }), synth: false },
];
