// The emitted SystemVerilog of the NIC's new blocks, Verilated, against our simulator: random inputs on every port
// (random beats, back-pressure, CSR accesses, reset pulses) for a few thousand clock events of every domain; every
// output must agree at every event. Covers both gearboxes, the dual-clock packet FIFO and the whole NIC (two
// clock domains, the engine, the MAC).
import { describe, expect } from 'vitest';
import { ClockDomain, elaborate, type Module } from '../../../rtl/core/index.ts';
import { PacketAsyncFifo, PacketDownsizer, PacketUpsizer } from '../../../rtl/lib/index.ts';
import { JetStreamNic } from '../../../rtl/corsair/jetstream/nic.ts';
import { emitDesign } from '../../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../../gen/sv/verilator.ts';
import { itWithTools } from '../../tools.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['PacketDownsizer 512 -> 64 with err', () => new PacketDownsizer({ inWidth: 512, outWidth: 64, err: true })],
  ['PacketUpsizer 128 -> 1024 with err', () => new PacketUpsizer({ inWidth: 128, outWidth: 1024, err: true })],
  ['PacketAsyncFifo 1000 ps -> 2560 ps', () => new PacketAsyncFifo({
    width: 64, depthLog2: 3, err: true, wrDomain: new ClockDomain('wr', { periodPs: 1000 }), rdDomain: new ClockDomain('rd', { periodPs: 2560 }),
  })],
  ['JetStreamNic (256-bit engine, 64-bit MAC)', () => new JetStreamNic({ engineWidth: 256, macWidth: 64, nodes: 2, txBufferDepthLog2: 8 })],
];

describe('JetStream NIC blocks in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x51c + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    }, 400_000);
  }
});
