// The three tools' checks of emitted SystemVerilog, as used by the tests: Verilator lint with every warning on,
// Icarus compile, Yosys structural check and synthesis. Each returns the tool's output ('' when clean).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { elaborate, type Module } from '../../rtl/core/index.ts';
import { emitDesign } from './emit.ts';
import { writeDesign } from './write.ts';

export interface ToolResult {
  status: number | null;
  /** Everything the tool printed, with the folder appended when non-empty. */
  out: string;
}

function run(cmd: string, args: string[], cwd: string): ToolResult {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return { status: r.status, out: out && `${out}\n(files in ${cwd})` };
}

export const verilatorLint = (dir: string, top: string, files: string[]) =>
  run('verilator', ['--lint-only', '-Wall', '--top-module', top, ...files], dir);

export const iverilogCompile = (dir: string, files: string[]) => run('iverilog', ['-g2012', '-Wall', '-o', '/dev/null', ...files], dir);

export const yosysCheck = (dir: string, top: string, files: string[]) =>
  run('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; hierarchy -check -top ${top}; proc; opt; check -assert`], dir);

export const yosysSynth = (dir: string, top: string, files: string[]) =>
  run('yosys', ['-q', '-p', `read_verilog -sv ${files.join(' ')}; synth -top ${top}; check -assert`], dir);

/**
 * Emit `make()`'s design into a scratch folder and run Verilator -Wall lint, Icarus and the Yosys check on it; the
 * outputs of the three, in that order ('' for each tool that is clean).
 */
export function lintEmitted(make: () => Module, top: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lint-${top}-`));
  try {
    const design = emitDesign(elaborate(make()));
    writeDesign(design, dir);
    const files = design.fileList;
    const show = (r: ToolResult) => (r.status === 0 ? r.out : `exit ${r.status}\n${r.out}`);
    return [show(verilatorLint(dir, top, files)), show(iverilogCompile(dir, files)), show(yosysCheck(dir, top, files))];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
