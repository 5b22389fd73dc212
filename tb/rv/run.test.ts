// The ELF loader and `npm run rv`: ELF validation with clear messages (exit 2), the tohost convention (pass 0,
// fail 1 with the test number, timeout 2), --max-cycles, --vcd, --sim verilator (not available yet: exit 2),
// usage errors, and one real process to check the exit code reaches the shell.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assemble } from './asm.ts';
import { ElfError, parseElf, writeElf } from './elf.ts';
import { itWithTools } from '../tools.ts';
import { runRv } from './run.ts';
import { asMain } from './as.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rv-run-'));

function elfOf(body: string, name: string): string {
  const src = `
  .text
_start:
${body}
1: j 1b
  .data
tohost: .word 0
buf: .word 0
`;
  const f = path.join(dir, `${name}.elf`);
  fs.writeFileSync(f, writeElf(assemble(src)));
  return f;
}

const report = (n: number) => `  li t0, ${n}\n  la t1, tohost\n  sw t0, 0(t1)\n`;

describe('ELF loader', () => {
  it('round-trips an assembled program: segments, entry, symbols', () => {
    const p = assemble('  .text\n_start: nop\n  .data\ntohost: .word 0\nx: .word 5\n  .bss\nb: .space 8\n');
    const img = parseElf(writeElf(p));
    expect(img.entry).toBe(0x80000000);
    expect(img.segments.map((s) => [s.addr, s.data.length, s.memsz])).toEqual([[0x80000000, 4, 4], [0x80010000, 8, 8], [0x80010008, 0, 8]]);
    expect(img.symbols.get('tohost')).toBe(0x80010000);
    expect(img.symbols.get('b')).toBe(0x80010008);
  });

  const good = writeElf(assemble('_start: nop\n  .data\ntohost: .word 0\n'));
  const mutate = (f: (b: Uint8Array, dv: DataView) => void) => {
    const b = good.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  it.each([
    ['not an ELF', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]), /not an ELF file/],
    ['a 64-bit ELF', mutate((b) => (b[4] = 2)), /64-bit ELF; the dispatch engine is RV32/],
    ['big-endian', mutate((b) => (b[5] = 2)), /big-endian/],
    ['another machine (x86-64)', mutate((_, dv) => dv.setUint16(18, 62, true)), /not a RISC-V ELF \(e_machine 62/],
    ['a relocatable object', mutate((_, dv) => dv.setUint16(16, 1, true)), /relocatable object/],
    ['truncated', good.slice(0, 60), /truncated ELF/],
  ])('rejects %s with a clear message', (_, bytes, msg) => {
    expect(() => parseElf(bytes as Uint8Array, 'x.elf')).toThrow(ElfError);
    expect(() => parseElf(bytes as Uint8Array, 'x.elf')).toThrow(msg);
  });
});

describe('npm run rv', () => {
  it('exit 0 on tohost = 1, printing cycles, instructions retired and CPI', () => {
    const out = runRv([elfOf(`  li a0, 3\n  addi a0, a0, 4\n${report(1)}`, 'pass')]);
    expect(out.exitCode).toBe(0);
    expect(out.lines[0]).toMatch(/^rv: PASS/);
    expect(out.lines[1]).toMatch(/^cycles \d+, instructions retired \d+, CPI \d+\.\d{3}/);
    expect(out.result!.instret).toBe(6);
  });

  it('exit 1 on an odd tohost, naming the failed test (v >> 1)', () => {
    const out = runRv([elfOf(report((7 << 1) | 1), 'fail7')]);
    expect(out.exitCode).toBe(1);
    expect(out.lines[0]).toMatch(/FAIL .*fail7\.elf: test 7 failed \(tohost = 15\)/);
  });

  it('exit 2 when --max-cycles pass without a store to tohost, and on an even (syscall) tohost value', () => {
    const loop = runRv([elfOf('  nop', 'loop'), '--max-cycles', '500']);
    expect(loop.exitCode).toBe(2);
    expect(loop.lines[0]).toMatch(/TIMEOUT .*--max-cycles 500/);
    expect(loop.result!.cycles).toBe(500);
    const even = runRv([elfOf(report(8), 'even')]);
    expect(even.exitCode).toBe(2);
    expect(even.lines[0]).toMatch(/unsupported tohost value 8/);
  });

  it('exit 2 on bad ELFs, a missing tohost symbol, a program outside the memories, a missing file', () => {
    const bad = path.join(dir, 'bad.elf');
    fs.writeFileSync(bad, 'hello');
    expect(runRv([bad])).toMatchObject({ exitCode: 2, lines: [expect.stringMatching(/not an ELF file/)] });
    const noTohost = path.join(dir, 'nt.elf');
    fs.writeFileSync(noTohost, writeElf(assemble('_start: nop\n')));
    expect(runRv([noTohost]).lines[0]).toMatch(/no 'tohost' symbol/);
    const outside = path.join(dir, 'out.elf');
    fs.writeFileSync(outside, writeElf(assemble('_start: nop\n  .data\ntohost: .word 0\n', { textBase: 0x1000 })));
    expect(runRv([outside])).toMatchObject({ exitCode: 2, lines: [expect.stringMatching(/segment 0x1000\.\.0x1004 does not fit/)] });
    expect(runRv([path.join(dir, 'missing.elf')]).lines[0]).toMatch(/cannot read .*ENOENT/);
  });

  it('usage errors are exit 2 with a message', () => {
    expect(runRv([]).lines[0]).toMatch(/no ELF file given/);
    expect(runRv(['a.elf', '--max-cycles', 'x']).lines[0]).toMatch(/--max-cycles: 'x' is not a positive integer/);
    expect(runRv(['a.elf', '--frob']).lines[0]).toMatch(/unknown option --frob/);
    expect(runRv(['a.elf', '--sim', 'icarus']).lines[0]).toMatch(/--sim: 'icarus' is not one of ts, verilator/);
    const v = runRv([elfOf(report(1), 'v'), '--sim', 'verilator', '--vcd', path.join(dir, 'x.vcd')]);
    expect(v.exitCode).toBe(2);
    expect(v.lines[0]).toMatch(/--vcd and --trace need --sim ts/);
  });

  itWithTools(['verilator'], '--sim verilator runs the program on the emitted SV: the same exit codes and instruction count as ours', () => {
    const body = `  li t2, 0\n  li t3, 20\n2: addi t2, t2, 3\n  addi t3, t3, -1\n  bnez t3, 2b\n  li t4, 60\n  bne t2, t4, 3f\n${report(1)}3:\n${report(7)}`;
    const pass = elfOf(body, 'vpass');
    const ours = runRv([pass]);
    const ver = runRv([pass, '--sim', 'verilator']);
    expect(ours.exitCode).toBe(0);
    expect(ver.exitCode, ver.lines.join('\n')).toBe(0);
    expect(ver.lines.join('\n')).toMatch(/simulator: Verilator/);
    expect(ver.result!.instret).toBe(ours.result!.instret);
    const fail = runRv([elfOf(report(7), 'vfail'), '--sim', 'verilator']);
    expect(fail.exitCode).toBe(1);
    expect(fail.lines[0]).toMatch(/test 3 failed \(tohost = 7\)/);
    const hang = runRv([elfOf('', 'vhang'), '--sim', 'verilator', '--max-cycles', '500']);
    expect(hang.exitCode).toBe(2);
    expect(hang.lines[0]).toMatch(/TIMEOUT/);
  }, 180_000);

  it('--vcd writes a waveform of the run', () => {
    const vcd = path.join(dir, 'run.vcd');
    const out = runRv([elfOf(report(1), 'waves'), '--vcd', vcd]);
    expect(out.exitCode).toBe(0);
    const text = fs.readFileSync(vcd, 'utf8');
    expect(text).toMatch(/\$scope module dispatchCore \$end/);
    expect(text).toMatch(/ trace_pc /);
  });

  it('--trace writes one line per instruction: cycle, pc, instruction, register write, store', () => {
    const t = path.join(dir, 'trace.txt');
    const out = runRv([elfOf(`  li a0, 5\n  ecall\n${report(1)}`, 'traced'), '--trace', t, '--max-cycles', '100']);
    expect(out.exitCode).toBe(2); // ecall with mtvec = 0: traps to 0x0, outside the ITCM, and faults forever
    const lines = fs.readFileSync(t, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ 80000000 00500513 x10=00000005$/);
    expect(lines[1]).toMatch(/^\d+ 80000004 00000073 trap mcause=0000000b$/);
    expect(lines[2]).toMatch(/^\d+ 00000000 00000000 trap mcause=00000001$/);
  });

  it('as.ts assembles a file into an ELF the runner runs', () => {
    const s = path.join(dir, 'p.S');
    fs.writeFileSync(s, `_start:\n${report(1)}1: j 1b\n  .data\ntohost: .word 0\n`);
    const a = asMain([s, '-t']);
    expect(a.exitCode).toBe(0);
    expect(a.lines).toContain('80010000 tohost');
    expect(runRv([path.join(dir, 'p.elf')]).exitCode).toBe(0);
    fs.writeFileSync(s, 'nop\n  bogus a0\n');
    expect(asMain([s])).toEqual({ exitCode: 1, lines: [`as: ${s}: line 2: unknown instruction 'bogus'`] });
  });

  it('is a command: the exit code reaches the shell', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'run.ts'), elfOf(report(5), 'cmd')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/test 2 failed/);
  });
});
