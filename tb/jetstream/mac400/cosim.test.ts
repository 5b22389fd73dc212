// The wide MAC's emitted SystemVerilog, Verilated, against our simulator: random inputs on every port (client beats,
// CSR reads and writes, back-pressure, reset pulses) for a few thousand clock events, every output compared at
// every event; and Mac400Rx alone on a random wire (random control lanes make starts, terminates and errors rare,
// so it mostly checks the idle paths and the parser on garbage).
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../../rtl/core/index.ts';
import { Mac400Rx } from '../../../rtl/corsair/jetstream/mac400-rx.ts';
import { emitDesign } from '../../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../../gen/sv/verilator.ts';
import { itWithTools } from '../../tools.ts';
import { Mac400Loopback } from './loopback.ts';

const EVENTS = 2000;
const designs: Array<[string, () => Module]> = [
  ['Mac400 loopback, 1024 bits', () => new Mac400Loopback({ bufferGroups: 512 })],
  ['Mac400Rx alone, random wire', () => new Mac400Rx({ maxFrame: 200, bufferGroups: 64 })],
];

describe('Mac400 in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x400 + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    }, 300_000);
  }
});
