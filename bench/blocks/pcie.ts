// Benchmark row of the PCIe peer-to-peer path: a 1 MB transfer from card 0's engine through a link (115 ns) and a
// PCIe switch (650 ns) into card 1's chiplet stash, then the go flag, repeated (tb/pcie/bench.ts). The note gives
// the bandwidth achieved in simulated GB/s against the link's limit, the latency from the first byte sent to the
// flag seen, and the latency of the first byte.
import { elaborate } from '../../rtl/core/index.ts';
import { Simulator } from '../../tb/sim/simulator.ts';
import { P2pBench } from '../../tb/pcie/bench.ts';
import type { Plan } from '../plan.ts';

function note(): string {
  const lines: string[] = [];
  for (const mps of [512, 4096]) {
    const top = new P2pBench({ mps });
    const sim = new Simulator(elaborate(top));
    for (const r of sim.netlist.resets.values()) sim.poke(r, 1);
    sim.runCycles(2);
    for (const r of sim.netlist.resets.values()) sim.poke(r, 0);
    const t0 = performance.now();
    let n = 0;
    while (Number(sim.peek(top.transfers)) < 1 && n < 400_000) { sim.runCycles(1000); n += 1000; }
    const secs = (performance.now() - t0) / 1000;
    const total = Number(sim.peek(top.totalCycles));
    const lat = Number(sim.peek(top.latencyCycles));
    const first = Number(sim.peek(top.firstByteCycles));
    const bytes = top.opts.bytes;
    // link limit: 63 GB/s less 8 B framing + 16 B header a TLP; the 64-byte datapath carries ceil((16 + MPS) / 64) beats a TLP
    const linkGBs = (63 * mps) / (mps + 24);
    const beatGBs = mps / Math.ceil((16 + mps) / 64);
    lines.push(`pcie: 1 MB peer-to-peer, MPS ${mps}, 512-bit datapath at 1 GHz, link 115 ns + switch 650 ns: ` +
      `${(bytes / lat).toFixed(1)} GB/s first-byte-to-flag (${(bytes / total).toFixed(1)} GB/s from START), ` +
      `link limit ${linkGBs.toFixed(1)} GB/s, datapath limit ${beatGBs.toFixed(1)} GB/s; first byte to flag seen ${lat} ns, ` +
      `first byte to the far endpoint ${first} ns; our simulator ${(n / secs / 1e3).toFixed(0)} k cycles/s on this path`);
  }
  return lines.join('\n');
}

export const plans: Record<string, Plan> = {
  pcie: { make: () => new P2pBench(), cycles: 100_000, vcdCycles: 3_000, icarusCycles: 300, ones: false, note },
};
