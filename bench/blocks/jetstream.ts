// Benchmark row of JetStream: two engines (512-bit, 1 GHz) joined by a cut-through leaf switch, carrying 128-byte
// Memory Writes at full rate from an LFSR source (tb/jetstream/engine/bench.ts). The note gives the payload rate
// it sustained (GB/s at 1 GHz, against the 50 GB/s of 400G Ethernet) and the go writes delivered.
import { JetStreamBench } from '../../tb/jetstream/engine/bench.ts';
import { runBlock, type Plan } from '../plan.ts';

function note(): string {
  const cycles = 20_000;
  const { top, sim, buildMs: elabMs } = runBlock(() => new JetStreamBench(), cycles);
  const writes = Number(sim.peek(top.delivered));
  const gos = Number(sim.peek(top.goWrites));
  return `jetstream: 128-byte writes node 0 -> leaf switch -> node 1 (512-bit, 1 GHz): ${writes} writes in ${cycles} cycles ` +
    `(${((writes * 128) / cycles).toFixed(1)} GB/s of payload; 400G Ethernet carries 50 GB/s), ${gos} go writes delivered; construction + elaboration ${elabMs.toFixed(0)} ms`;
}

export const plans: Record<string, Plan> = {
  jetstream: { make: () => new JetStreamBench(), cycles: 100_000, vcdCycles: 2_000, icarusCycles: 200, ones: false, note },
};
