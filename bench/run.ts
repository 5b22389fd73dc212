// `npm run bench`: every benchmark design on our simulator (and, where installed, Verilator and Icarus running
// the SystemVerilog we emit for the same design), printed as a table of rates and ratios; --json FILE writes the
// figures. Figures are measurements of this machine at this moment: compare ratios, not absolute numbers.
import * as fs from 'node:fs';
import { benchDesigns } from './designs.ts';
import { benchmarkCore, measureDispatch } from '../tb/dispatch/bench.ts';
import { measureOurs, oursOutputs } from './ours.ts';
import { runIcarus, runVerilator, type ToolRun } from './tools.ts';
import { elaborate } from '../rtl/core/index.ts';
import { hasTool } from '../tb/tools.ts';
import { DimcMatrixUnit } from '../rtl/corsair/dimc/index.ts';
import { blockPlans, type Plan } from './plan.ts';

interface Row {
  design: string;
  cycles: number;
  ours_cps: number;
  verilator_cps: number | null;
  icarus_cps: number | null;
  ours_start_ms: number;
  verilator_build_s: number | null;
  ours_vcd_cps: number;
  register_bits: number;
  agree_verilator: string;
  agree_icarus: string;
}

function parseArgs(argv: string[]): { json?: string; only?: string[] } {
  const out: { json?: string; only?: string[] } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') {
      const f = argv[++i];
      if (!f) fail('--json needs a file name');
      out.json = f;
    } else if (a.startsWith('-')) fail(`unknown option ${a} (options: --json FILE, design names)`);
    else (out.only ??= []).push(a);
  }
  return out;
}

function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const fmt = (x: number | null, d = 2) => (x === null ? '-' : x >= 1e6 ? `${(x / 1e6).toFixed(d)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(d)} k` : x.toFixed(d));
const ratio = (a: number, b: number | null) => (b === null ? '-' : `${(a / b).toFixed(2)}x`);

const args = parseArgs(process.argv.slice(2));
const plan: Record<string, Plan> = {
  small: { make: benchDesigns.small, cycles: 20_000_000, vcdCycles: 1_000_000, icarusCycles: 200_000, ones: true },
  medium: { make: benchDesigns.medium, cycles: 2_000_000, vcdCycles: 100_000, icarusCycles: 5_000, ones: true },
  // 1-bit inputs at 1 keep in.valid/out.ready high (and rewrite CTRL and weight row 0 with zeros: harmless)
  dimc64: {
    make: () => new DimcMatrixUnit({ rows: 64, cols: 64, treeStages: 2 }),
    cycles: 50_000,
    vcdCycles: 2_000,
    icarusCycles: 20,
    ones: true,
    note: () => 'dimc64: the DIMC 64x64 INT8 matrix unit at full rate: one matrix-vector product (4096 MACs) per cycle',
  },
  dispatch: {
    make: () => benchmarkCore(),
    cycles: 200_000,
    vcdCycles: 50_000,
    icarusCycles: 20_000,
    ones: false,
    note: () => {
      const d = measureDispatch();
      return `dispatch: the RISC-V core running its benchmark program (tb/dispatch/benchmark.ts): ${d.cycles} cycles, ${d.instret} instructions, CPI ${d.cpi.toFixed(3)}; with the runner's per-cycle tohost check ${fmt(d.cyclesPerSec)} cycles/s`;
    },
  },
};

Object.assign(plan, await blockPlans());

/** Run a tool if installed; a failure is reported, not hidden. */
function tool(name: string, f: () => ToolRun): ToolRun | null {
  if (!hasTool(name)) {
    console.error(`bench: ${name} not installed: its column is empty (apt-get install ${name})`);
    return null;
  }
  try {
    return f();
  } catch (e) {
    console.error(`bench: ${name} failed: ${(e as Error).message}`);
    return null;
  }
}

/** Do the final outputs of a tool's run equal ours after the same stimulus? */
function agrees(make: Plan['make'], cycles: number, r: ToolRun | null, ones: boolean): string {
  if (!r) return '-';
  const ours = oursOutputs(make, cycles, ones);
  const bad = Object.keys(ours).filter((k) => ours[k] !== r.outputs[k]);
  return bad.length ? `DIFFER (${bad.map((k) => `${k}: ours ${ours[k]} vs ${r.outputs[k]}`).join('; ')})` : 'yes';
}
for (const n of args.only ?? []) if (!(n in plan)) fail(`unknown design '${n}' (designs: ${Object.keys(plan).join(', ')})`);
const notes: string[] = [];

const rows: Row[] = [];
for (const [name, p] of Object.entries(plan)) {
  if (args.only && !args.only.includes(name)) continue;
  const make = p.make;
  const o = measureOurs(make, p.cycles, p.vcdCycles, p.ones);
  const v = tool('verilator', () => runVerilator(elaborate(make()), p.cycles, p.ones));
  const i = tool('iverilog', () => runIcarus(elaborate(make()), p.icarusCycles, p.ones));
  if (p.note) notes.push(p.note());
  rows.push({
    design: name,
    cycles: p.cycles,
    ours_cps: o.cyclesPerSec,
    verilator_cps: v?.cyclesPerSec ?? null,
    icarus_cps: i?.cyclesPerSec ?? null,
    ours_start_ms: o.firstCycleMs,
    verilator_build_s: v ? v.buildSeconds : null,
    ours_vcd_cps: o.vcdCyclesPerSec,
    register_bits: o.registerBits,
    agree_verilator: agrees(make, p.cycles, v, p.ones),
    agree_icarus: agrees(make, p.icarusCycles, i, p.ones),
  });
}

console.log(`Benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rows.length} designs`);
console.log('');
console.log('| design | reg bits | ours cycles/s | ours first cycle | ours with VCD of all signals | VCD cost | Verilator cycles/s | Verilator build | ours/Verilator | Icarus cycles/s | ours/Icarus | outputs agree (Verilator, Icarus) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const build = r.verilator_build_s === null ? '-' : r.verilator_build_s === 0 ? 'cached' : `${r.verilator_build_s.toFixed(1)} s`;
  console.log(`| ${r.design} | ${r.register_bits} | ${fmt(r.ours_cps)} | ${r.ours_start_ms.toFixed(1)} ms | ${fmt(r.ours_vcd_cps)} | ${(r.ours_cps / r.ours_vcd_cps).toFixed(2)}x | ${fmt(r.verilator_cps)} | ${build} | ${ratio(r.ours_cps, r.verilator_cps)} | ${fmt(r.icarus_cps)} | ${ratio(r.ours_cps, r.icarus_cps)} | ${r.agree_verilator}, ${r.agree_icarus} |`);
}
for (const n of notes) console.log(`\n${n}`);
if (args.json) {
  fs.writeFileSync(args.json, JSON.stringify(rows, null, 2) + '\n');
  console.log(`\nwrote ${args.json}`);
}
