// Benchmark row of the JetStream NIC: two NICs (512-bit engine at 1 GHz, 1024-bit MAC at 390.625 MHz, clock crossing
// and gearboxes between) back to back over a 10 ns link, carrying 128-byte Memory Writes offered at full rate by an
// LFSR source (tb/jetstream/nic/bench.ts). The timed row runs the MAC clock at 1 GHz like the PCIe clock (the
// Verilator and Icarus harnesses toggle every clock together, so only equal periods compare). The note runs the
// real 2560 ps MAC clock and gives the payload rate sustained with 1024-bit and 64-bit MACs.
import { JetStreamNicBench } from '../../tb/jetstream/nic/bench.ts';
import { runBlock, type Plan } from '../plan.ts';

function run(macWidth: number): string {
  const cycles = 20_000;
  const { top, sim, buildMs: elabMs } = runBlock(() => new JetStreamNicBench(macWidth), cycles, 4);
  const writes = Number(sim.peek(top.delivered));
  const gos = Number(sim.peek(top.goWrites));
  const gbps = (writes * 128 * 8) / cycles; // Gb/s of payload at 1 GHz
  const line = macWidth * 0.390625;
  return `${macWidth}-bit MAC (${line.toFixed(0)} Gb/s line): ${writes} writes, ${gos} go in ${cycles} cycles of the 1 GHz clock = ` +
    `${gbps.toFixed(1)} Gb/s of payload (construction + elaboration ${elabMs.toFixed(0)} ms)`;
}

function note(): string {
  return `jetstream-nic: 128-byte writes NIC 0 -> 10 ns link -> NIC 1: ${run(1024)}; ${run(64)}`;
}

export const plans: Record<string, Plan> = {
  'jetstream-nic': { make: () => new JetStreamNicBench(1024, 1000), cycles: 2_000, vcdCycles: 200, icarusCycles: 20, ones: false, note },
  'jetstream-nic64': { make: () => new JetStreamNicBench(64, 1000), cycles: 50_000, vcdCycles: 2_000, icarusCycles: 200, ones: false },
};
