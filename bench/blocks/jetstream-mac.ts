// Benchmark rows of the 802.3 MAC (tb/jetstream/mac/bench.ts, tb/jetstream/mac400/bench.ts): the 64-bit MAC and the
// 1024-bit 400G MAC looped back through a link, fed
// back-to-back frames by an LFSR source. The note gives the line rate it sustained: wire bytes (frame + preamble +
// 12-byte average gap) per clock against the 8 a 64-bit XGMII carries, and the Gb/s that is at a given clock.
import { MacBench } from '../../tb/jetstream/mac/bench.ts';
import { Mac400Bench } from '../../tb/jetstream/mac400/bench.ts';
import { runBlock, type Plan } from '../plan.ts';

function measure(minFrames: boolean): string {
  const cycles = 200_000;
  const { top, sim, runSeconds: s } = runBlock(() => new MacBench(minFrames), cycles);
  const frames = Number(sim.peek(top.rxFrames));
  const bytes = Number(sim.peek(top.rxBytes));
  const bad = Number(sim.peek(top.bad));
  // on the wire each frame also carries its FCS (4), preamble/SFD (8) and the 12-byte average gap
  const wire = bytes + frames * (4 + 8 + 12);
  const frac = wire / (8 * cycles);
  return `${minFrames ? 'minimum frames' : 'LFSR lengths 60..1083 B'}: ${frames} good frames (${bad} bad) in ${cycles} cycles, ` +
    `${(frac * 100).toFixed(1)}% of line rate (${(frac * 64 * 0.15625).toFixed(2)} Gb/s at 156.25 MHz = 10G), ${(cycles / s / 1e6).toFixed(2)} M cycles/s`;
}

function note(): string {
  return `jetstream-mac (64-bit, loopback): ${measure(true)}; ${measure(false)}.`;
}

/** The 1024-bit MAC at 390.625 MHz (period 2560 ps): achieved Gb/s against 400 on the wire, and simulation speed. */
function note400(): string {
  const cycles = 20_000;
  const { top, sim, runSeconds: s } = runBlock(() => new Mac400Bench(), cycles);
  const frames = Number(sim.peek(top.rxFrames));
  const bytes = Number(sim.peek(top.rxBytes));
  const bad = Number(sim.peek(top.bad));
  const wire = bytes + frames * (4 + 8 + 12);
  const gbps = (wire * 8) / (cycles * 2.56);
  return `jetstream-mac-400g (1024-bit, 390.625 MHz, loopback, LFSR frames 1136..5119 B): ${frames} good frames (${bad} bad) in ${cycles} cycles, ` +
    `${gbps.toFixed(1)} Gb/s of 400 (${(gbps / 4).toFixed(1)}% of line rate, counting the frames delivered by then), ours ${(cycles / s / 1e3).toFixed(1)} k cycles/s`;
}

export const plans: Record<string, Plan> = {
  'jetstream-mac': { make: () => new MacBench(true), cycles: 200_000, vcdCycles: 2_000, icarusCycles: 500, ones: false, note },
  'jetstream-mac-400g': { make: () => new Mac400Bench(), cycles: 20_000, vcdCycles: 500, icarusCycles: 100, ones: false, note: note400 },
};
