// Detection of the real external tools (gtkwave, xvfb-run, verilator, iverilog, yosys, tshark, riscv gcc) for
// tests: a test that needs a missing tool is visibly skipped with the reason, or fails when tools are required (CI).
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/** Debian package that provides each tool (for the skip message). */
const APT_PACKAGE: Record<string, string> = {
  gtkwave: 'gtkwave',
  'xvfb-run': 'xvfb',
  verilator: 'verilator',
  iverilog: 'iverilog',
  yosys: 'yosys',
  tshark: 'tshark',
  'riscv64-unknown-elf-gcc': 'gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf',
};

const cache = new Map<string, boolean>();

/** True when `cmd` is on PATH (`command -v`, cached per process). */
export function hasTool(cmd: string): boolean {
  let found = cache.get(cmd);
  if (found === undefined) {
    const r = spawnSync('sh', ['-c', 'command -v -- "$1" >/dev/null 2>&1', 'sh', cmd], { stdio: 'ignore' });
    found = r.status === 0;
    cache.set(cmd, found);
  }
  return found;
}

/** Missing tools fail instead of skipping when CI=true or REQUIRE_TOOLS=1. */
export const toolsRequired: boolean = process.env['CI'] === 'true' || process.env['REQUIRE_TOOLS'] === '1';

function aptHint(missing: string[]): string {
  const pkgs = [...new Set(missing.map((t) => APT_PACKAGE[t] ?? t))];
  return `apt-get install ${pkgs.join(' ')}`;
}

/** run: every tool is present; reason: which are missing and how to install them ('' when run). */
export function withTools(tools: string[]): { run: boolean; reason: string } {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return { run: true, reason: '' };
  return { run: false, reason: `needs ${missing.join(', ')} (${aptHint(missing)})` };
}

/**
 * A vitest `it` that needs external tools. All present: an ordinary test. Some missing: a visible skip naming
 * them, or, when toolsRequired, a test that fails with the same message.
 */
export function itWithTools(
  tools: string[],
  name: string,
  fn: () => unknown | Promise<unknown>,
  timeoutMs?: number,
): void {
  const { run, reason } = withTools(tools);
  if (run) {
    it(name, fn, timeoutMs);
  } else if (toolsRequired) {
    it(name, () => {
      throw new Error(`${name}: ${reason}; tools are required here (CI=true or REQUIRE_TOOLS=1) and CI installs them in .ci/run`);
    });
  } else {
    it.skip(`${name} [skipped: ${reason}]`, fn);
  }
}
