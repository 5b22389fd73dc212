// One benchmark design: how to build it and how long to run it in each simulator. The table in run.ts holds the
// core designs; each Corsair block adds its own rows from a file in bench/blocks/ that exports `plans`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Module } from '../rtl/core/index.ts';

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
