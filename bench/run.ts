// `npm run bench`: every benchmark design on our simulator (and, where installed, Verilator and Icarus running
// the SystemVerilog we emit for the same design), printed as a table of rates and ratios; --json FILE writes the
// figures. Figures are measurements of this machine at this moment: compare ratios, not absolute numbers.
import * as fs from 'node:fs';
import { benchDesigns } from './designs.ts';
import { measureOurs } from './ours.ts';

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
const plan: Record<string, { cycles: number; vcdCycles: number }> = {
  small: { cycles: 20_000_000, vcdCycles: 1_000_000 },
  medium: { cycles: 1_000_000, vcdCycles: 100_000 },
};
for (const n of args.only ?? []) if (!(n in benchDesigns)) fail(`unknown design '${n}' (designs: ${Object.keys(benchDesigns).join(', ')})`);

const rows: Row[] = [];
for (const [name, make] of Object.entries(benchDesigns)) {
  if (args.only && !args.only.includes(name)) continue;
  const p = plan[name]!;
  const o = measureOurs(make, p.cycles, p.vcdCycles);
  rows.push({
    design: name,
    cycles: p.cycles,
    ours_cps: o.cyclesPerSec,
    verilator_cps: null,
    icarus_cps: null,
    ours_start_ms: o.firstCycleMs,
    verilator_build_s: null,
    ours_vcd_cps: o.vcdCyclesPerSec,
    register_bits: o.registerBits,
  });
}

console.log(`Benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rows.length} designs`);
console.log('');
console.log('| design | reg bits | ours cycles/s | first cycle | VCD all signals | VCD cost | Verilator cycles/s | ours/Verilator | Icarus cycles/s | ours/Icarus |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.design} | ${r.register_bits} | ${fmt(r.ours_cps)} | ${r.ours_start_ms.toFixed(1)} ms | ${fmt(r.ours_vcd_cps)} | ${(r.ours_cps / r.ours_vcd_cps).toFixed(2)}x | ${fmt(r.verilator_cps)} | ${ratio(r.ours_cps, r.verilator_cps)} | ${fmt(r.icarus_cps)} | ${ratio(r.ours_cps, r.icarus_cps)} |`);
}
if (args.json) {
  fs.writeFileSync(args.json, JSON.stringify(rows, null, 2) + '\n');
  console.log(`\nwrote ${args.json}`);
}
