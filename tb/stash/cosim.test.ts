// The emitted SystemVerilog of the stash blocks, Verilated, against our simulator: random inputs on every port
// (requests, addresses, data, byte enables, register writes, reset pulses) for a few thousand clock events; every
// output must agree at every event. Also the DMA system (DMA + stash + two LPDDR channels) and the stash with the
// dispatch core, and a lint of the SV of each block by Verilator, Icarus and Yosys.
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../rtl/core/index.ts';
import { Stash } from '../../rtl/corsair/stash/stash.ts';
import { StashDma } from '../../rtl/corsair/stash/dma.ts';
import { LpddrChannel } from '../../rtl/corsair/stash/lpddr.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../gen/sv/verilator.ts';
import { lintEmitted } from '../../gen/sv/lint-tools.ts';
import { itWithTools } from '../tools.ts';
import { DmaSystem } from './dma-system.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['Stash 4 banks x 8 B, latency 2, 2 mu ports, priority dma', () => new Stash({ sizeBytes: 512, banks: 4, wordBytes: 8, readLatency: 2, muPorts: 2, priority: 'dma' })],
  ['Stash 2 banks x 16 B, latency 1, 1 mu port, 384 B (not a power of two)', () => new Stash({ sizeBytes: 384, banks: 2, wordBytes: 16, readLatency: 1, muPorts: 1 })],
  ['LpddrChannel latency 5, 4 B/cycle', () => new LpddrChannel({ sizeBytes: 256, wordBytes: 16, latency: 5, bytesPerCycle: 4 })],
  ['StashDma 8-byte words, FIFO 3', () => new StashDma({ wordBytes: 8, stashAddrBits: 9, lpddrAddrBits: 8, weightRowBits: 4, fifoDepth: 3 })],
  ['DmaSystem (DMA, stash, 2 LPDDR channels)', () => new DmaSystem({ stash: { sizeBytes: 512, banks: 2, wordBytes: 8 }, lpddr: { sizeBytes: 256, latency: 3, bytesPerCycle: 4 } })],
];

describe('stash blocks in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x57a + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    });
  }
});

describe('stash blocks lint clean', () => {
  const lint: Array<[string, () => Module]> = [
    ['Stash', () => new Stash({ sizeBytes: 1024, banks: 4, wordBytes: 16, muPorts: 2, priority: 'mu1' })],
    ['StashDma', () => new StashDma({ wordBytes: 16 })],
    ['LpddrChannel', () => new LpddrChannel({ sizeBytes: 1024, wordBytes: 16, latency: 4, bytesPerCycle: 8 })],
  ];
  for (const [top, make] of lint) {
    itWithTools(['verilator', 'iverilog', 'yosys'], `${top}: verilator -Wall, iverilog -Wall and yosys check say nothing`, () => {
      expect(lintEmitted(make, top)).toEqual(['', '', '']);
    });
  }
});
