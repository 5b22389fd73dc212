// CSRs and traps on the dispatch core: every implemented CSR (values, writable bits, read-only ones), the Zicsr
// rules for x0 operands, the counters, and each trap path (ecall, ebreak, illegal instruction and illegal CSR,
// misaligned fetch/load/store, access faults) with mcause, mepc and mtval, and mret. Self-checking programs.
import { describe, expect, it } from 'vitest';
import { outcome, program, run } from './harness.ts';

/** `expect rd == value` as assembly, with a far jump to fail. */
const is = (reg: string, v: number | string) => `  li t6, ${v}\n  beq ${reg}, t6, 9f\n  j fail\n9:\n`;

describe('CSRs', () => {
  it('reads the identification CSRs, misa and mstatus.MPP; writes are masked to the implemented bits', () => {
    const body = `
  li gp, 1
  csrr a0, mhartid
${is('a0', 0)}
  csrr a0, mvendorid
${is('a0', 0)}
  csrr a0, marchid
${is('a0', 0)}
  csrr a0, mimpid
${is('a0', 0)}
  li gp, 2
  csrr a0, misa
${is('a0', 0x40001100)}
  csrw misa, zero
  csrr a0, misa
${is('a0', 0x40001100)}
  li gp, 3
  csrr a0, mstatus
${is('a0', 0x1800)}
  li a1, -1
  csrw mstatus, a1
  csrr a0, mstatus
${is('a0', 0x1888)}
  csrw mstatus, zero
  li gp, 4
  csrw mie, a1
  csrr a0, mie
${is('a0', 0xffff0888)}
  csrw mie, zero
  li gp, 5
  csrr s0, mtvec
  li a2, 0x80000103
  csrw mtvec, a2
  csrr a0, mtvec
${is('a0', 0x80000101)}
  csrw mtvec, s0
  li gp, 6
  csrw mepc, a1
  csrr a0, mepc
${is('a0', 0xfffffffc)}
  li gp, 7
  csrw mscratch, a1
  csrr a0, mscratch
${is('a0', -1)}
  csrw mcause, a2
  csrr a0, mcause
${is('a0', 0x80000103)}
  csrw mtval, a2
  csrr a0, mtval
${is('a0', 0x80000103)}
  li gp, 8
  csrr a0, mip
${is('a0', 0)}
  csrw mip, a1
  csrr a0, mip
${is('a0', 0)}
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('Zicsr: RW/RS/RC and the immediate forms; rs1 = x0 / zimm = 0 never write; old values are returned', () => {
    const body = `
  li gp, 1
  li a1, 0xf0
  csrrw a0, mscratch, a1
  csrrs a0, mscratch, zero
${is('a0', 0xf0)}
  li a2, 0x0f
  csrrs a0, mscratch, a2
${is('a0', 0xf0)}
  csrrc a0, mscratch, a1
${is('a0', 0xff)}
  csrr a0, mscratch
${is('a0', 0x0f)}
  li gp, 2
  csrrwi a0, mscratch, 31
${is('a0', 0x0f)}
  csrrsi a0, mscratch, 0
${is('a0', 31)}
  csrrci a0, mscratch, 3
${is('a0', 31)}
  csrrsi a0, mscratch, 0x10
${is('a0', 28)}
  csrr a0, mscratch
${is('a0', 28)}
  li gp, 3
  csrrw zero, mscratch, a1
  csrr a0, mscratch
${is('a0', 0xf0)}
  csrrs a0, mhartid, zero
  csrrc a0, cycle, zero
  csrrsi a0, instret, 0
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('counters: minstret counts retired instructions exactly, mcycle and time advance, the user views and high halves agree; counters are writable', () => {
    const body = `
  li gp, 1
  csrr a0, minstret
  nop
  nop
  nop
  csrr a1, minstret
  sub a2, a1, a0
${is('a2', 4)}
  csrr a3, instret
  sub a2, a3, a1
${is('a2', 4)}
  li gp, 2
  csrr a0, mcycle
  csrr a1, cycle
  csrr a2, time
  sub a3, a1, a0
${is('a3', 1)}
  bgeu a0, a2, fail
  li gp, 3
  li a0, -3
  csrw mcycle, a0
  csrw mcycleh, zero
  nop
  nop
  nop
  csrr a1, mcycle
  csrr a2, mcycleh
${is('a2', 1)}
  li gp, 4
  li a0, -2
  csrw minstret, a0
  csrw minstreth, zero
  nop
  nop
  csrr a1, minstreth
${is('a1', 1)}
  csrr a1, instreth
${is('a1', 1)}
  csrr a1, cycleh
${is('a1', 1)}
  csrr a1, timeh
${is('a1', 0)}
`;
    const r = run(program(body));
    expect(outcome(r.result)).toBe('pass');
  });
});

/** A trap test: installs `handler` (checks mcause/mepc/mtval, then skips the faulting instruction). */
function trapProgram(cases: Array<{ code: string; cause: number; tval?: string; skip?: number }>): string {
  let body = `
  la t0, handler
  csrw mtvec, t0
`;
  cases.forEach((c, i) => {
    body += `
  li gp, ${i + 1}
  li s1, ${c.cause}
  la s2, 1f
  li s4, ${c.skip ?? 4}
  li s5, 0
${c.tval !== undefined ? `  ${c.tval}\n` : '  li s3, -1\n'}1:
${c.code}
  beqz s5, fail
`;
  });
  body += `
  j pass
handler:
  csrr t0, mcause
  bne t0, s1, fail
  csrr t0, mepc
  bne t0, s2, fail
  li t1, -1
  beq s3, t1, 2f
  csrr t0, mtval
  bne t0, s3, fail
2:
  csrr t0, mstatus
  li t1, 0x1880
  and t0, t0, t1
  li t1, 0x1800
  bne t0, t1, fail
  li s5, 1
  csrr t0, mepc
  add t0, t0, s4
  csrw mepc, t0
  mret
`;
  return program(body);
}

describe('traps', () => {
  it('ecall (11), ebreak (3, mtval = pc), illegal instructions (2, mtval = the instruction), mret returns past them', () => {
    const src = trapProgram([
      { code: '  ecall', cause: 11, tval: 'li s3, 0' },
      { code: '  ebreak', cause: 3, tval: 'la s3, 1f' },
      { code: '  .word 0x00000000', cause: 2, tval: 'li s3, 0' },
      { code: '  .word 0xffffffff', cause: 2, tval: 'li s3, -1' },
      { code: '  .word 0x0000707f', cause: 2, tval: 'li s3, 0x707f' },
      { code: '  .word 0x40001033', cause: 2 },
      { code: '  .word 0x04000033', cause: 2 },
      { code: '  .word 0x40001013', cause: 2 },
      { code: '  .word 0x0000200f', cause: 2 },
      { code: '  .word 0x00004073', cause: 2 },
      { code: '  .word 0x00103073', cause: 2 },
      { code: '  .word 0x10200073', cause: 2 },
      { code: '  .word 0x00303023', cause: 2 },
      { code: '  .word 0x00003003', cause: 2 },
      { code: '  .word 0x00002063', cause: 2 },
      { code: '  .word 0x00001067', cause: 2 },
    ]);
    expect(outcome(run(src).result)).toBe('pass');
  });

  it('illegal CSR accesses: unknown CSRs (satp, pmpcfg0, medeleg, mcounteren) and writes to read-only ones', () => {
    const src = trapProgram([
      { code: '  csrr a0, satp', cause: 2 },
      { code: '  csrw pmpcfg0, zero', cause: 2 },
      { code: '  csrr a0, medeleg', cause: 2 },
      { code: '  csrwi mcounteren, 0', cause: 2 },
      { code: '  csrw mhartid, zero', cause: 2 },
      { code: '  li a0, 1\n  csrs cycle, a0', cause: 2, skip: 4 },
      { code: '  csrrwi zero, time, 0', cause: 2 },
      { code: '  csrr a0, 0x7c0', cause: 2, tval: 'li s3, 0x7c002573' },
    ].map((c) => (c.code.includes('li a0, 1') ? { ...c, code: '  csrs cycle, a0' } : c)));
    expect(outcome(run(src).result)).toBe('pass');
  });

  it('misaligned loads and stores trap (4 / 6, mtval = the address) and write nothing; access faults (5 / 7) outside the map', () => {
    const src = trapProgram([
      { code: '  lw a0, 1(s6)', cause: 4, tval: 'la s6, buf\n  addi s3, s6, 1' },
      { code: '  lw a0, 2(s6)', cause: 4, tval: 'addi s3, s6, 2' },
      { code: '  lh a0, 3(s6)', cause: 4, tval: 'addi s3, s6, 3' },
      { code: '  lhu a0, 1(s6)', cause: 4, tval: 'addi s3, s6, 1' },
      { code: '  sw a0, 3(s6)', cause: 6, tval: 'addi s3, s6, 3' },
      { code: '  sh a0, 1(s6)', cause: 6, tval: 'addi s3, s6, 1' },
      { code: '  lw a0, 0(s7)', cause: 5, tval: 'li s7, 0x10000000\n  mv s3, s7' },
      { code: '  sb a0, 0(s7)', cause: 7, tval: 'li s7, 0x90000000\n  mv s3, s7' },
      { code: '  lw a0, 0(s7)', cause: 5, tval: 'li s7, 0x80020000\n  mv s3, s7' },
    ]) + '\n  .data\n  .align 2\nbuf: .word 0x11223344\n';
    const extra = `
  li gp, 50
  la s6, buf
  lw a0, 0(s6)
  li t6, 0x11223344
  bne a0, t6, fail
`;
    expect(outcome(run(src.replace('  j pass\nhandler:', `${extra}  j pass\nhandler:`)).result)).toBe('pass');
  });

  it('misaligned jump targets trap on the jump (0, mtval = target) without writing the link register; fetch outside the ITCM faults (1)', () => {
    const body = `
  la t0, handler
  csrw mtvec, t0
  li gp, 1
  la s1, 1f
  li ra, 7
1:
  jalr ra, 2(s1)
  j fail
  li gp, 2
  li s1, 0x80010000
  jr s1
  j fail
handler:
  li t1, 1
  beq gp, t1, h1
  csrr t0, mcause
  li t1, 1
  bne t0, t1, fail
  csrr t0, mepc
  bne t0, s1, fail
  csrr t0, mtval
  bne t0, s1, fail
  j pass
h1:
  csrr t0, mcause
  bnez t0, fail
  csrr t0, mepc
  bne t0, s1, fail
  csrr t0, mtval
  addi t1, s1, 2
  bne t0, t1, fail
  li t1, 7
  bne ra, t1, fail
  addi t0, s1, 8
  csrw mepc, t0
  mret
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('mret restores MIE from MPIE and sets MPIE; a trap saves MIE into MPIE and clears MIE', () => {
    const body = `
  li gp, 1
  la t0, h
  csrw mtvec, t0
  li t0, 0x80
  csrw mstatus, t0
  la t0, 1f
  csrw mepc, t0
  mret
1:
  csrr a0, mstatus
${is('a0', 0x1888)}
  li gp, 2
  ecall
  csrr a0, mstatus
${is('a0', 0x1888)}
  j pass
h:
  csrr a0, mstatus
  li t6, 0x1880
  bne a0, t6, fail
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });
});
