// Benchmark rows of the stash: the full 6 MB chiplet stash (8 banks of 64-byte words, 2 matrix-unit ports) under
// random traffic on every port at once (tb/stash/bench.ts). The note gives the traffic it carried (requests a
// cycle, GB/s at 1 GHz), elaboration time and our memory: heap and array-buffer growth for the design, peak RSS.
import { StashBench } from '../../tb/stash/bench.ts';
import { runBlock, type Plan } from '../plan.ts';

const MB = 2 ** 20;

function note(): string {
  const m0 = process.memoryUsage();
  const cycles = 50_000;
  const { top, sim, buildMs: elabMs } = runBlock(() => new StashBench(), cycles);
  const m1 = process.memoryUsage();
  const taken = top.taken.map((o) => Number(sim.peek(o)));
  const wb = top.stash.options.wordBytes;
  const words = taken.slice(1).reduce((a, b) => a + b, 0);
  const bytes = words * wb + taken[0]! * 4;
  const peak = process.resourceUsage().maxRSS * 1024;
  return `stash: the 6 MB stash (8 banks x 64 B, read latency 2, 2 matrix-unit ports) under random traffic on all 6 ports: ` +
    `${(taken.reduce((a, b) => a + b, 0) / cycles).toFixed(2)} requests a cycle, ${(bytes / cycles).toFixed(0)} B/cycle = ${(bytes / cycles).toFixed(1)} GB/s at 1 GHz ` +
    `(peak ${8 * wb} B/cycle without bank conflicts); construction + elaboration ${elabMs.toFixed(0)} ms; our memory for it: heap +${((m1.heapUsed - m0.heapUsed) / MB).toFixed(1)} MB, ` +
    `typed arrays +${((m1.arrayBuffers - m0.arrayBuffers) / MB).toFixed(1)} MB (6 MB of data); process peak RSS ${(peak / MB).toFixed(0)} MB`;
}

export const plans: Record<string, Plan> = {
  stash: { make: () => new StashBench(), cycles: 200_000, vcdCycles: 5_000, icarusCycles: 200, ones: false, note },
};
