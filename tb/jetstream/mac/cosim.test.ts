// The MAC's emitted SystemVerilog, Verilated, against our simulator: random inputs on every port (frames from
// random client beats, CSR reads and writes, back-pressure, reset pulses) for a few thousand clock events; every
// output must agree at every event. The loopback makes the receiver see real frames from the transmitter.
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../../rtl/core/index.ts';
import { MacRx } from '../../../rtl/corsair/jetstream/mac-rx.ts';
import { emitDesign } from '../../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../../gen/sv/verilator.ts';
import { itWithTools } from '../../tools.ts';
import { MacLoopback } from './loopback.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['MAC loopback (store-and-forward, 32-beat buffer)', () => new MacLoopback({ bufferBeats: 32, latencyNs: 13 })],
  ['MAC loopback (cut-through)', () => new MacLoopback({ cutThrough: true })],
  ['MacRx alone, random wire', () => new MacRx({ maxFrame: 100, bufferBeats: 16 })],
];

describe('MAC in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x3ac + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    }, 240_000);
  }
});
