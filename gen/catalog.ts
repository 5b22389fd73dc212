// The designs `npm run gen` writes and the generator tests check: every module of the project at a
// representative parameterisation. New blocks add an entry here.
import type { Module } from '../rtl/core/index.ts';
import { ClockDomain } from '../rtl/core/index.ts';
import { PulseCounter } from '../rtl/examples/pulse-counter.ts';
import {
  AsyncFifo, Counter, Crc32, Fifo, FixedPriorityArbiter, RoundRobinArbiter, SkidBuffer, StreamReg, Sync2, UpDownCounter,
} from '../rtl/lib/index.ts';
import { MediumBench, SmallBench } from '../bench/designs.ts';

export interface CatalogEntry {
  /** Name on the command line and of the output folder. */
  readonly name: string;
  readonly make: () => Module;
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
  { name: 'MediumBench', make: () => new MediumBench() },
];
