// Measures our simulator on one design: time to the first cycle (elaborate + compile + one cycle), simulated cycles
// per second on the compiled fast path, and the same run while dumping every signal to a VCD.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { elaborate, type Module, type Sig } from '../rtl/core/index.ts';
import { Simulator } from '../tb/sim/simulator.ts';
import { attachWaves } from '../tb/runtime/waves.ts';

export interface OursResult {
  registerBits: number;
  elaborateMs: number;
  compileMs: number;
  firstCycleMs: number;
  cyclesPerSec: number;
  vcdCyclesPerSec: number;
  vcdBytes: number;
}

function now(): number {
  return performance.now();
}

export function measureOurs(make: () => Module, cycles: number, vcdCycles: number, ones = true): OursResult {
  const t0 = now();
  const top = make();
  const nl = elaborate(top);
  const t1 = now();
  const sim = new Simulator(nl);
  const t2 = now();
  for (const r of nl.resets.values()) sim.poke(r, 1);
  sim.runCycles(1);
  const t3 = now();
  for (const r of nl.resets.values()) sim.poke(r, 0);
  const resets = new Set<Sig>(nl.resets.values());
  if (ones) for (const i of nl.inputs) if (!resets.has(i) && i.width === 1) sim.poke(i, 1);
  // warm up the JIT, then measure the best of three runs
  sim.runCycles(Math.min(cycles, 200_000));
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const s = now();
    sim.runCycles(cycles);
    best = Math.min(best, now() - s);
  }
  // the same design with every signal dumped
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vcd-'));
  const sim2 = new Simulator(elaborate(make()));
  const waves = attachWaves(sim2, { file: path.join(dir, 'bench.vcd') });
  const resets2 = new Set<Sig>(sim2.netlist.resets.values());
  for (const r of resets2) sim2.poke(r, 1);
  sim2.runCycles(2);
  for (const r of resets2) sim2.poke(r, 0);
  if (ones) for (const i of sim2.netlist.inputs) if (!resets2.has(i) && i.width === 1) sim2.poke(i, 1);
  const s = now();
  sim2.runCycles(vcdCycles);
  const vcdMs = now() - s;
  waves.close(sim2.time);
  const vcdBytes = fs.statSync(waves.vcdPath).size;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    registerBits: nl.regs.reduce((n, r) => n + r.width, 0),
    elaborateMs: t1 - t0,
    compileMs: t2 - t1,
    firstCycleMs: t3 - t0,
    cyclesPerSec: cycles / (best / 1000),
    vcdCyclesPerSec: vcdCycles / (vcdMs / 1000),
    vcdBytes,
  };
}

/**
 * Final output values (hex) after the benchmark stimulus: reset 2 cycles, then n cycles with 1-bit inputs at 1
 * (or 0 when `ones` is false) and wider inputs at 0.
 */
export function oursOutputs(make: () => Module, cycles: number, ones = true): Record<string, string> {
  const nl = elaborate(make());
  const sim = new Simulator(nl);
  const resets = new Set<Sig>(nl.resets.values());
  for (const i of nl.inputs) sim.poke(i, resets.has(i) ? 1 : i.width === 1 && ones ? 1 : 0);
  sim.runCycles(2);
  for (const r of nl.resets.values()) sim.poke(r, 0);
  sim.runCycles(cycles);
  const out: Record<string, string> = {};
  for (const o of nl.outputs) out[o.name!] = sim.peek(o).toString(16);
  return out;
}
