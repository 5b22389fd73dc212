// The emitted SystemVerilog of the JetStream engine, its packet buffer and the leaf switch, Verilated, against our
// simulator: random inputs on every port (TLP and frame beats, back-pressure, register accesses, reset pulses) for
// a few thousand clock events; every output must agree at every event. Builds are cached under .cache/verilator/.
// The engine's SV also passes `verilator --lint-only -Wall`, `iverilog -g2012 -Wall` and yosys `check -assert`.
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../../rtl/core/index.ts';
import { JetStreamEngine } from '../../../rtl/corsair/jetstream/engine-top.ts';
import { PacketBuffer } from '../../../rtl/corsair/jetstream/engine-packet-buffer.ts';
import { LeafSwitch } from '../../../rtl/corsair/jetstream/leaf-switch.ts';
import { emitDesign } from '../../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../../gen/sv/verilator.ts';
import { lintEmitted } from '../../../gen/sv/lint-tools.ts';
import { itWithTools } from '../../tools.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['JetStreamEngine 256-bit, 4 nodes', () => new JetStreamEngine({ width: 256, nodes: 4, nodeId: 1 })],
  ['PacketBuffer cut-through, latency 5', () => new PacketBuffer({ width: 64, depthLog2: 3, mode: 'cut-through', latencyCycles: 5 })],
  ['PacketBuffer store-and-forward, latency 4', () => new PacketBuffer({ width: 64, depthLog2: 3, mode: 'store-and-forward', latencyCycles: 4, maxFrames: 2 })],
  ['LeafSwitch 3 ports cut-through', () => new LeafSwitch({ ports: 3, width: 64, portMacs: [0n, 1n, 2n], mode: 'cut-through', queueDepthLog2: 3 })],
  ['LeafSwitch 3 ports store-and-forward', () => new LeafSwitch({ ports: 3, width: 64, portMacs: [0n, 1n, 2n], mode: 'store-and-forward', latencyNs: 10, queueDepthLog2: 3 })],
];

describe('JetStream blocks in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x15 + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    }, 240_000);
  }
});

describe('JetStream blocks lint clean', () => {
  const lint: Array<[string, () => Module]> = [
    ['JetStreamEngine', () => new JetStreamEngine({ width: 256, nodes: 4 })],
    ['LeafSwitch', () => new LeafSwitch({ ports: 2, width: 64, portMacs: [0n, 1n], mode: 'store-and-forward', latencyNs: 10, queueDepthLog2: 3 })],
  ];
  for (const [top, make] of lint) {
    itWithTools(['verilator', 'iverilog', 'yosys'], `${top}: verilator -Wall, iverilog -Wall and yosys check say nothing`, () => {
      expect(lintEmitted(make, top)).toEqual(['', '', '']);
    }, 240_000);
  }
});
