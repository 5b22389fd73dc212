// One benchmark design: how to build it and how long to run it in each simulator. The table in run.ts holds the
// core designs; each Corsair block adds its own rows from a file in bench/blocks/ that exports `plans`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { elaborate, type Module } from '../rtl/core/index.ts';
import { Simulator } from '../tb/sim/simulator.ts';

export interface Plan {
  /** The design: inputs other than clock and reset are held constant, so a block's bench wraps it with its own stimulus. */
  make: () => Module;
  cycles: number;
  vcdCycles: number;
  icarusCycles: number;
  /** Hold 1-bit inputs at 1 (enables) or at 0 (interrupt lines, handshakes). */
  ones: boolean;
  /** A line printed under the table (block figures: bandwidth, latency, memory); run after the measurements. */
  note?: () => string;
}

/** The plans of every file in bench/blocks/ (each exports `plans: Record<string, Plan>`), in file-name order. */
export async function blockPlans(): Promise<Record<string, Plan>> {
  const dir = path.join(import.meta.dirname, 'blocks');
  const out: Record<string, Plan> = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const m = (await import(path.join(dir, f))) as { plans?: Record<string, Plan> };
    if (!m.plans) throw new Error(`bench/blocks/${f} exports no 'plans'`);
    for (const [k, p] of Object.entries(m.plans)) {
      if (k in out) throw new Error(`bench/blocks/${f}: design '${k}' is already defined`);
      out[k] = p;
    }
  }
  return out;
}

/**
 * A block's own figures for its note: build the design, hold reset for `resetCycles`, then run `cycles` cycles.
 * Returns the simulator (to read the design's outputs), the build (construction + elaboration) time and the run time.
 */
export function runBlock<M extends Module>(make: () => M, cycles: number, resetCycles = 2): { top: M; sim: Simulator; buildMs: number; runSeconds: number } {
  const t0 = performance.now();
  const top = make();
  const nl = elaborate(top);
  const buildMs = performance.now() - t0;
  const sim = new Simulator(nl);
  for (const r of nl.resets.values()) sim.poke(r, 1);
  sim.runCycles(resetCycles);
  for (const r of nl.resets.values()) sim.poke(r, 0);
  const t1 = performance.now();
  sim.runCycles(cycles);
  return { top, sim, buildMs, runSeconds: (performance.now() - t1) / 1000 };
}
