// Everything `npm run gen` writes passes the three tools: the full RTL of every catalog design (Verilator lint
// with all warnings, Icarus, Yosys check, and Yosys synthesis where they take seconds rather than minutes), and the
// skeletons with the constants package (Verilator lint, Icarus, Yosys check).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { elaborate } from '../rtl/core/index.ts';
import { itWithTools } from '../tb/tools.ts';
import { catalog } from './catalog.ts';
import { emitDesign, type SvDesign } from './sv/emit.ts';
import { writeDesign } from './sv/write.ts';
import { writeSkeletons } from './skeleton/skeleton.ts';
import { iverilogCompile, verilatorLint, yosysCheck, yosysSynth, type ToolResult } from './sv/lint-tools.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-catalog-'));
let failed = false;
afterAll(() => {
  if (!failed) fs.rmSync(root, { recursive: true, force: true });
});

function clean(r: ToolResult): void {
  if (r.out !== '' || r.status !== 0) failed = true;
  expect(r.out, r.out).toBe('');
  expect(r.status).toBe(0);
}

const rtl = new Map<string, { dir: string; design: SvDesign }>();
const skeletons = new Map<string, { dir: string; files: string[]; top: string }>();

function full(name: string) {
  let w = rtl.get(name);
  if (!w) {
    const design = emitDesign(elaborate(catalog.find((c) => c.name === name)!.make()));
    const dir = path.join(root, name);
    writeDesign(design, dir);
    rtl.set(name, (w = { dir, design }));
  }
  return w;
}

function skeleton(name: string) {
  let w = skeletons.get(name);
  if (!w) {
    const nl = elaborate(catalog.find((c) => c.name === name)!.make());
    const dir = path.join(root, 'skeleton', name);
    const written = writeSkeletons(nl, dir).map((f) => path.basename(f));
    // the package first, then the modules
    const files = [...written.filter((f) => f.endsWith('_pkg.sv')), ...written.filter((f) => !f.endsWith('_pkg.sv'))];
    w = { dir, files, top: nl.top.className };
    skeletons.set(name, w);
  }
  return w;
}

describe.each(catalog.map((c) => c.name))('%s', (name) => {
  const entry = catalog.find((c) => c.name === name)!;
  itWithTools(['verilator'], 'RTL: verilator --lint-only -Wall', () => {
    const { dir, design } = full(name);
    clean(verilatorLint(dir, design.top, design.fileList));
  });
  itWithTools(['iverilog'], 'RTL: iverilog -g2012 -Wall', () => {
    const { dir, design } = full(name);
    clean(iverilogCompile(dir, design.fileList));
  });
  if (!entry.heavy) {
    itWithTools(['yosys'], 'RTL: yosys check', () => {
      const { dir, design } = full(name);
      clean(yosysCheck(dir, design.top, design.fileList));
    });
  }
  if (entry.synth !== false && !entry.heavy) {
    itWithTools(['yosys'], 'RTL: yosys synth', () => {
      const { dir, design } = full(name);
      clean(yosysSynth(dir, design.top, design.fileList));
    });
  }
  itWithTools(['verilator', 'iverilog', 'yosys'], 'skeletons: lint clean in all three tools', () => {
    const { dir, files, top } = skeleton(name);
    clean(verilatorLint(dir, top, files));
    clean(iverilogCompile(dir, files));
    clean(yosysCheck(dir, top, files));
  });
});
