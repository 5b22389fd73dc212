// C on the dispatch engine: a quicksort + checksum program built with Debian's riscv64-unknown-elf-gcc
// (-march=rv32im_zicsr_zifencei -mabi=ilp32 -nostdlib -nostartfiles -T link.ld) runs through `npm run rv` to a
// pass; built with a wrong expected checksum it fails with main()'s return value as the test number.
import { describe, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { itWithTools } from '../tools.ts';
import { runRv } from './run.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cdir = path.join(here, 'c');

/** The checksum sort.c computes, in plain TypeScript. */
function expectedSum(): number {
  const n = 400;
  let s = 12345;
  const d: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    d.push(s % 100000);
  }
  d.sort((a, b) => a - b);
  const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (Math.imul(sum, 31) + Math.floor(d[i]! / primes[i % 12]!) + (d[i]! % primes[(i + 5) % 12]!)) >>> 0;
  return sum;
}

function build(out: string, sum: number, opt = '-O2'): void {
  execFileSync('riscv64-unknown-elf-gcc', [
    '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', opt, '-ffreestanding', '-nostdlib', '-nostartfiles',
    '-T', path.join(cdir, 'link.ld'), `-DEXPECTED_SUM=${sum}u`, path.join(cdir, 'crt0.S'), path.join(cdir, 'sort.c'), '-o', out,
  ]);
}

describe('GCC-built C programs', () => {
  itWithTools(['riscv64-unknown-elf-gcc'], 'quicksort + checksum (-O2 and -Os) passes; a wrong checksum fails with test 3', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rv-gcc-'));
    try {
      for (const opt of ['-O2', '-Os']) {
        const elf = path.join(dir, `sort${opt}.elf`);
        build(elf, expectedSum(), opt);
        const out = runRv([elf, '--max-cycles', '2000000']);
        console.log(`sort.c ${opt}: ${out.lines.join(' | ')}`);
        expect(out.exitCode).toBe(0);
      }
      const bad = path.join(dir, 'bad.elf');
      build(bad, (expectedSum() + 1) >>> 0);
      const out = runRv([bad]);
      expect(out.exitCode).toBe(1);
      expect(out.lines[0]).toMatch(/test 3 failed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
