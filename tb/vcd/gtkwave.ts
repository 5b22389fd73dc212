// The real GTKWave, headless under xvfb: what it finds in a dump opened with a save file (every signal of the
// dump, and the traces the save file resolved, in order), and a PNG of the wave window for the README.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function run(args: string[], screen?: string): string {
  const xvfb = screen ? ['-a', '-s', `-screen 0 ${screen}`] : ['-a'];
  const r = spawnSync('xvfb-run', [...xvfb, 'gtkwave', ...args], { encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`gtkwave ${args.join(' ')} exited ${r.status ?? r.signal}:\n${out.slice(-2000)}`);
  return out;
}

function withTcl<T>(tcl: string[], f: (tclPath: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtkwave-'));
  try {
    const p = path.join(dir, 'script.tcl');
    fs.writeFileSync(p, tcl.join('\n') + '\n');
    return f(p);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every signal (facility) of `vcd`, and the traces GTKWave shows after loading `gtkw` (group labels included). */
export function gtkwaveTraces(vcd: string, gtkw: string): { facs: string[]; traces: string[] } {
  const out = withTcl([
    'set n [gtkwave::getNumFacs]',
    'for {set i 0} {$i < $n} {incr i} { puts "FAC [gtkwave::getFacName $i]" }',
    'set t [gtkwave::getTotalNumTraces]',
    'for {set i 0} {$i < $t} {incr i} { puts "TRACE [gtkwave::getTraceNameFromIndex $i]" }',
    'exit 0',
  ], (tcl) => run(['-S', tcl, '-a', gtkw, vcd]));
  const lines = out.split('\n');
  return {
    facs: lines.filter((l) => l.startsWith('FAC ')).map((l) => l.slice(4)),
    traces: lines.filter((l) => l.startsWith('TRACE ')).map((l) => l.slice(6)),
  };
}

/** A PNG of GTKWave's window with `gtkw` applied to `vcd`, zoomed to the whole run. */
export function gtkwaveScreenshot(vcd: string, gtkw: string, png: string, screen = '1600x900x24'): void {
  fs.rmSync(png, { force: true });
  withTcl([
    'gtkwave::/Time/Zoom/Zoom_Full',
    `gtkwave::/File/Grab_To_File ${path.resolve(png)}`,
    'gtkwave::/File/Quit',
  ], (tcl) => run(['-a', gtkw, '-S', tcl, vcd], screen));
  if (!fs.existsSync(png) || fs.statSync(png).size === 0) throw new Error(`gtkwave wrote no screenshot to ${png}`);
}
