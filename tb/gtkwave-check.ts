// vitest global setup: after the whole run, GTKWave must open every VCD that a test wrote to waves/ during the
// run (`xvfb-run -a gtkwave -x FILE` exits 0 only for a dump it loaded). Skipped, saying so, where GTKWave is not
// installed; a failure under CI=true.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const waves = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'waves');
const required = process.env['CI'] === 'true' || process.env['REQUIRE_TOOLS'] === '1';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd} >/dev/null 2>&1`]).status === 0;
}

export default function setup(): () => void {
  const start = Date.now() - 1000;
  return () => {
    if (!fs.existsSync(waves)) return;
    const dumps = fs
      .readdirSync(waves)
      .filter((f) => f.endsWith('.vcd'))
      .map((f) => path.join(waves, f))
      .filter((f) => fs.statSync(f).mtimeMs >= start);
    if (dumps.length === 0) return;
    if (!has('gtkwave') || !has('xvfb-run')) {
      const msg = `gtkwave check of ${dumps.length} dumps in waves/: skipped (needs gtkwave and xvfb: apt-get install gtkwave xvfb)`;
      if (required) {
        process.exitCode = 1;
        throw new Error(msg.replace('skipped', 'FAILED, tools missing'));
      }
      console.log(msg);
      return;
    }
    const bad: string[] = [];
    for (const f of dumps) {
      try {
        execFileSync('xvfb-run', ['-a', 'gtkwave', '-x', f], { stdio: 'pipe', timeout: 60_000 });
      } catch (e) {
        bad.push(`${path.relative(process.cwd(), f)}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    if (bad.length) {
      // vitest does not fail the run for an error in a global teardown: set the exit code ourselves
      process.exitCode = 1;
      throw new Error(`GTKWave could not open ${bad.length} of ${dumps.length} dumps:\n  ${bad.join('\n  ')}`);
    }
    console.log(`gtkwave opened all ${dumps.length} dumps written to waves/ by this run`);
  };
}
