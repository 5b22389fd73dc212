// Verilator builds of emitted SystemVerilog, cached under .cache/verilator/<hash>/ by a hash of every source file
// (the SV and the C++ harness) and the Verilator version: a design whose SV did not change is built once.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../rtl/core/index.ts';

export const cacheRoot = path.join(projectRoot, '.cache', 'verilator');

let version: string | undefined;
function verilatorVersion(): string {
  version ??= execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim();
  return version;
}

export interface VerilatorBuild {
  /** The executable. */
  exe: string;
  dir: string;
  /** Seconds spent building (0 when it came from the cache). */
  buildSeconds: number;
  cached: boolean;
}

/**
 * Build `sources` (SV files and one C++ main) for top module `top` into an executable, or reuse the cached one.
 * `extraArgs` are passed to verilator (e.g. --trace).
 */
export function buildVerilator(
  top: string,
  sources: Record<string, string>,
  extraArgs: string[] = [],
  /** C++ optimisation: 'fast-build' (-O1, for co-simulation) or 'default' (Verilator's own flags, for benchmarks). */
  cxx: 'fast-build' | 'default' = 'fast-build',
): VerilatorBuild {
  const h = createHash('sha256');
  h.update(verilatorVersion());
  h.update(top);
  h.update(extraArgs.join(' ') + cxx);
  for (const name of Object.keys(sources).sort()) {
    h.update(name);
    h.update('\0');
    h.update(sources[name]!);
    h.update('\0');
  }
  const dir = path.join(cacheRoot, h.digest('hex').slice(0, 24));
  const exe = path.join(dir, 'obj', `V${top}_sim`);
  if (fs.existsSync(exe)) return { exe, dir, buildSeconds: 0, cached: true };
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, text] of Object.entries(sources)) {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    files.push(f);
  }
  const sv = files.filter((f) => f.endsWith('.sv') || f.endsWith('.v'));
  const cpp = files.filter((f) => f.endsWith('.cpp'));
  const t0 = performance.now();
  const r = spawnSync(
    'verilator',
    ['--cc', '--exe', '--build', '-j', '2', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--x-initial', '0', ...(cxx === 'fast-build' ? ['-CFLAGS', '-O1'] : []),
      '--top-module', top, '-Mdir', path.join(dir, 'obj'), '-o', `V${top}_sim`, ...extraArgs, ...sv, ...cpp],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0 || !fs.existsSync(exe)) {
    const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => /error|Error/.test(l)).slice(0, 20).join('\n');
    fs.rmSync(path.join(dir, 'obj'), { recursive: true, force: true });
    throw new Error(`verilator build of ${top} failed (sources in ${dir}):\n${log}`);
  }
  return { exe, dir, buildSeconds: (performance.now() - t0) / 1000, cached: false };
}
