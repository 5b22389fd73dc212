// The emitted SystemVerilog of the PCIe blocks, Verilated, against our simulator: random stimulus on every port of
// each block for a few thousand clock events, and a whole peer-to-peer transfer (engine, link, endpoint, RAMs)
// recorded at its ports and replayed; every output must agree at every event.
import { describe, expect } from 'vitest';
import { elaborate, type Module } from '../../rtl/core/index.ts';
import { MemPortRam } from '../../rtl/lib/mem-port-ram.ts';
import { P2pEngine } from '../../rtl/corsair/pcie/p2p-engine.ts';
import { PcieEndpoint } from '../../rtl/corsair/pcie/endpoint.ts';
import { PcieLink } from '../../rtl/corsair/pcie/link.ts';
import { PcieSwitch, cardWindow } from '../../rtl/corsair/pcie/switch.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { PCIE_EP_REG } from '../../rtl/corsair/pcie/regs.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { buildHarness, recordTrace, replay } from '../../gen/sv/verilator.ts';
import { cosimVerilator } from '../../gen/cosim/verilator-cosim.ts';
import { PortRecorder } from '../cosim/recorder.ts';
import { Testbench } from '../runtime/index.ts';
import { itWithTools } from '../tools.ts';
import { P2pSystem, csrRead, randomBytes, startP2p } from './harness.ts';

const EVENTS = 3000;
const designs: Array<[string, () => Module]> = [
  ['MemPortRam 64-bit, latency 3', () => new MemPortRam({ addrBits: 10, dataBits: 64, readLatency: 3, stallInput: true })],
  ['P2pEngine 128-bit', () => new P2pEngine({ width: 128, addrBits: 12 })],
  ['PcieEndpoint 128-bit', () => new PcieEndpoint({ width: 128, addrBits: 12, mps: 128 })],
  ['PcieLink 128-bit, 12 ns', () => new PcieLink({ width: 128, latencyNs: 12, phCredits: 2, pdCredits: 256 })],
  ['PcieSwitch 128-bit, 2 ports', () => new PcieSwitch({ width: 128, downstream: [[cardWindow(0)], [cardWindow(1)]], latencyNs: 6, link: { phCredits: 2, pdCredits: 256 } })],
];

describe('PCIe blocks in Verilator', () => {
  for (const [name, make] of designs) {
    itWithTools(['verilator'], `${name}: the Verilated SV matches the simulator for ${EVENTS} clock events`, () => {
      const nl = elaborate(make());
      const design = emitDesign(nl);
      const trace = recordTrace(nl, design, { events: EVENTS, seed: 0x9c1e + name.length });
      const r = replay(buildHarness(design), trace);
      expect(r.message).toBe(`OK ${EVENTS + 1} events`);
    });
  }

  itWithTools(['verilator'], 'a whole transfer (engine, link, endpoint) replayed on Verilator', async () => {
    const src = randomBytes(1 << 13, 3);
    const tb = new Testbench(new P2pSystem({ width: 128, addrBits: 13, src, path: 'direct', chiplet: 0, linkLatencyNs: 10, phCredits: 2, pdCredits: 256 }));
    const rec = new PortRecorder(tb.sim);
    await tb.run(async () => {
      const { dut } = tb;
      await tb.reset();
      const base = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.CARD_BAR_SIZE);
      await startP2p(tb, dut.csrA, { src: 3, dst: base + 0x101n, len: 2000, mps: 256, requesterId: 0x100, flag: base + BigInt(PCIE_MAP.DOORBELL_OFFSET), flagValue: 0x1234 });
      await tb.until(() => dut.goB.value === 1, { timeoutCycles: 5000 });
      for (const a of [PCIE_EP_REG.WRITES, PCIE_EP_REG.BYTES, PCIE_EP_REG.FLAG]) { csrRead(dut.csrB, a); await tb.rising(); }
      expect(csrRead(dut.csrB, PCIE_EP_REG.FLAG)).toBe(0x1234);
    });
    rec.stop();
    const r = cosimVerilator(tb.netlist, rec);
    expect(r.message).toMatch(/OK/);
    expect(r.ok).toBe(true);
  });
});
