// The RISC-V assembler: every instruction form and pseudo-instruction against GNU as (a stored golden, and live
// when the cross toolchain is installed), labels and numeric labels, sections and data directives, expressions
// with %hi/%lo, and error messages that name the line.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AsmError, assemble } from './asm.ts';
import { itWithTools } from '../tools.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = fs.readFileSync(path.join(here, 'corpus.S'), 'utf8');
const words = (b: Uint8Array) => Array.from({ length: b.length / 4 }, (_, i) => Buffer.from(b).readUInt32LE(4 * i).toString(16).padStart(8, '0'));

describe('assembler', () => {
  it('assembles the corpus (all of RV32IM, Zicsr, Zifencei, machine-mode instructions and pseudo-instructions) exactly as GNU as does (stored golden)', () => {
    const golden = fs.readFileSync(path.join(here, 'corpus.gas.hex'), 'utf8').trim().split('\n');
    expect(words(assemble(corpus).sections[0]!.bytes)).toEqual(golden);
  });

  itWithTools(['riscv64-unknown-elf-as', 'riscv64-unknown-elf-ld', 'riscv64-unknown-elf-objcopy'], 'matches GNU as + ld on the corpus, live', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rv-asm-'));
    try {
      const s = path.join(dir, 'c.S');
      fs.writeFileSync(s, corpus);
      execFileSync('riscv64-unknown-elf-as', ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-mno-relax', s, '-o', path.join(dir, 'c.o')]);
      execFileSync('riscv64-unknown-elf-ld', ['-m', 'elf32lriscv', '--no-relax', '-Ttext=0x80000000', path.join(dir, 'c.o'), '-o', path.join(dir, 'c.elf')]);
      execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', '-j', '.text', path.join(dir, 'c.elf'), path.join(dir, 'c.bin')]);
      expect(words(assemble(corpus).sections[0]!.bytes)).toEqual(words(fs.readFileSync(path.join(dir, 'c.bin'))));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places sections, resolves labels (named, numeric 1f/1b, forward and backward) and evaluates data directives', () => {
    const p = assemble(`
  .equ K, 3
  .text
_start:
  j 1f
1: j 1b
1: nop
  la a0, msg
  lui a1, %hi(value)
  addi a1, a1, %lo(value)
  .data
tohost: .word 0
msg: .asciz "hi\\n"
  .align 2
value: .word 0x11223344, msg, K * 2 + 1, -1
half: .half 0xbeef, -2
bytes: .byte 1, 2, 'A'
  .balign 8
tail: .space 3
  .bss
buf: .space 16
`);
    const [text, data, bss] = p.sections;
    expect([text!.base, data!.base].map((x) => x.toString(16))).toEqual(['80000000', '80010000']);
    expect(p.symbols.get('msg')).toBe(0x80010004);
    expect(p.symbols.get('value')).toBe(0x80010008);
    expect(p.symbols.get('tail')).toBe(0x80010020);
    expect(bss!.base).toBe(0x80010024);
    expect(p.symbols.get('buf')).toBe(0x80010024);
    const w = words(text!.bytes);
    expect(w[0]).toBe('0040006f'); // j +4 (to the first 1:)
    expect(w[1]).toBe('0000006f'); // j 1b: itself
    const d = Buffer.from(data!.bytes);
    expect(d.subarray(4, 8).toString('latin1')).toBe('hi\n\0');
    expect([d.readUInt32LE(8), d.readUInt32LE(12), d.readUInt32LE(16), d.readInt32LE(20)]).toEqual([0x11223344, 0x80010004, 7, -1]);
    expect([d.readUInt16LE(24), d.readInt16LE(26), d[28], d[29], d[30]]).toEqual([0xbeef, -2, 1, 2, 65]);
    // lui/addi with %hi/%lo rebuild the address
    const lui = Number.parseInt(w[5]!, 16) >>> 12;
    const addi = Number.parseInt(w[6]!, 16) >> 20;
    expect(((lui << 12) + addi) >>> 0).toBe(0x80010008);
  });

  it.each([
    ['  addi a0, a1, 4096', /line 2: 4096 does not fit the 12-bit signed immediate of 'addi'/],
    ['  frob a0', /line 2: unknown instruction 'frob'/],
    ['  add a0, a1, q7', /line 2: 'q7' is not a register/],
    ['  j nowhere', /line 2: undefined symbol in 'nowhere'/],
    ['  add a0, a1', /line 2: 'add' takes 3 operands, got 2/],
    ['x:\nx:', /line 3: label 'x' defined twice/],
    ['  .frob 1', /line 2: unknown directive '.frob'/],
    ['  .byte 1\n  nop', /line 3: instruction 'nop' at a misaligned offset/],
    ['  lw a0, 4(a1', /line 2: expected offset\(register\)/],
    ['  slli a0, a0, 32', /line 2: 32 does not fit the 5-bit unsigned immediate/],
  ])('reports %j with its line', (src, msg) => {
    expect(() => assemble(`\n${src}\n`)).toThrow(AsmError);
    expect(() => assemble(`\n${src}\n`)).toThrow(msg);
  });

  it('rejects a branch whose target is out of range', () => {
    expect(() => assemble(`  beq a0, a1, far\n  .space 8192\nfar: nop`)).toThrow(/out of range of 'beq'/);
  });
});
