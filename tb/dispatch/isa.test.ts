// Self-checking programs for every RV32IM instruction on the dispatch core: register-register and immediate ALU
// operations, shifts, LUI/AUIPC, every load and store width to both TCMs, every branch taken and not taken,
// JAL/JALR link values, and the M extension with its corners (x/0, -2^31/-1). Expected values come from plain
// arithmetic in this file; each case is a numbered test, so a failure names the case.
import { describe, expect, it } from 'vitest';
import { outcome, program, run } from './harness.ts';

const u = (v: number) => v >>> 0;
const s = (v: number) => v | 0;
const big = (v: number, signed: boolean) => (signed ? BigInt(s(v)) : BigInt(u(v)));

const RR: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, sll: (a, b) => a << (b & 31), slt: (a, b) => (s(a) < s(b) ? 1 : 0),
  sltu: (a, b) => (u(a) < u(b) ? 1 : 0), xor: (a, b) => a ^ b, srl: (a, b) => u(a) >>> (b & 31), sra: (a, b) => s(a) >> (b & 31),
  or: (a, b) => a | b, and: (a, b) => a & b,
  mul: (a, b) => Math.imul(a, b),
  mulh: (a, b) => Number(BigInt.asUintN(32, (big(a, true) * big(b, true)) >> 32n)),
  mulhsu: (a, b) => Number(BigInt.asUintN(32, (big(a, true) * big(b, false)) >> 32n)),
  mulhu: (a, b) => Number(BigInt.asUintN(32, (big(a, false) * big(b, false)) >> 32n)),
  div: (a, b) => (b === 0 ? -1 : s(a) === -0x80000000 && s(b) === -1 ? a : Math.trunc(s(a) / s(b))),
  divu: (a, b) => (b === 0 ? 0xffffffff : Math.floor(u(a) / u(b))),
  rem: (a, b) => (b === 0 ? a : s(a) === -0x80000000 && s(b) === -1 ? 0 : s(a) % s(b)),
  remu: (a, b) => (b === 0 ? a : u(a) % u(b)),
};
const RI: Record<string, (a: number, i: number) => number> = {
  addi: (a, i) => a + i, slti: (a, i) => (s(a) < i ? 1 : 0), sltiu: (a, i) => (u(a) < u(i) ? 1 : 0),
  xori: (a, i) => a ^ i, ori: (a, i) => a | i, andi: (a, i) => a & i,
  slli: (a, i) => a << i, srli: (a, i) => u(a) >>> i, srai: (a, i) => s(a) >> i,
};

const values = [0, 1, -1, 2, 7, -7, 0x7fffffff, -0x80000000, 0x12345678, -0x2468ace, 0xffff, 0x8000, 31, 32, 33];
const imms = [0, 1, -1, 5, -2048, 2047, 0x555, -0x2aa];
const shamts = [0, 1, 4, 15, 31];

let n = 0;
function caseRR(op: string, a: number, b: number): string {
  const e = u(RR[op]!(a, b));
  return `  li gp, ${++n}\n  li a1, ${s(a)}\n  li a2, ${s(b)}\n  ${op} a3, a1, a2\n  li t6, ${s(e)}\n  beq a3, t6, 9f\n  j fail\n9:\n`;
}
function caseRI(op: string, a: number, i: number): string {
  const e = u(RI[op]!(a, i));
  return `  li gp, ${++n}\n  li a1, ${s(a)}\n  ${op} a3, a1, ${i}\n  li t6, ${s(e)}\n  beq a3, t6, 9f\n  j fail\n9:\n`;
}

describe('RV32I and M instructions, self-checking', () => {
  const groups = [['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and'], ['mul', 'mulh', 'mulhsu', 'mulhu'], ['div', 'divu', 'rem', 'remu']];
  it.each(groups)('register-register operations %s ... (M: with the x/0 and overflow corners), rd = rs forwarding', (...ops: string[]) => {
    n = 0;
    let body = '';
    for (const op of ops) for (const a of values) for (const b of [0, 1, -1, 3, -0x80000000, 0x7fffffff, 0x10001, -5]) body += caseRR(op, a, b);
    // back-to-back dependencies through the forwarding path, and rd = rs1 = rs2
    body += `  li gp, ${++n}\n  li a1, 3\n  add a1, a1, a1\n  add a1, a1, a1\n  mul a1, a1, a1\n  div a1, a1, a1\n  li t6, 1\n  bne a1, t6, fail\n`;
    const r = run(program(body), { maxCycles: 400_000 });
    expect(outcome(r.result)).toBe('pass');
  });

  it('immediate ALU operations and shifts; LUI, AUIPC; writes to x0 are dropped', () => {
    n = 0;
    let body = '';
    for (const op of ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi']) for (const a of values) for (const i of imms) body += caseRI(op, a, i);
    for (const op of ['slli', 'srli', 'srai']) for (const a of values) for (const i of shamts) body += caseRI(op, a, i);
    body += `
  li gp, ${++n}
  lui a1, 0xfffff
  li t6, 0xfffff000
  bne a1, t6, fail
  li gp, ${++n}
here:
  auipc a1, 0x1
  la t6, here
  li t5, 0x1000
  add t6, t6, t5
  bne a1, t6, fail
  li gp, ${++n}
  addi x0, x0, 5
  lui x0, 1
  bnez x0, fail
  mv a1, x0
  bnez a1, fail
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('loads and stores of every width and signedness, to the DTCM and to the ITCM', () => {
    n = 0;
    let body = '';
    for (const base of ['dbuf', 'ibuf']) {
      body += `
  li gp, ${++n}
  la a0, ${base}
  li a1, 0x89abcdef
  sw a1, 0(a0)
  lw a2, 0(a0)
  bne a2, a1, fail
  li gp, ${++n}
  lb a2, 0(a0)
  li t6, -17
  bne a2, t6, fail
  lbu a2, 3(a0)
  li t6, 0x89
  bne a2, t6, fail
  lb a2, 3(a0)
  li t6, -119
  bne a2, t6, fail
  li gp, ${++n}
  lh a2, 2(a0)
  li t6, 0xffff89ab
  bne a2, t6, fail
  lhu a2, 2(a0)
  li t6, 0x89ab
  bne a2, t6, fail
  lhu a2, 0(a0)
  li t6, 0xcdef
  bne a2, t6, fail
  li gp, ${++n}
  li a1, 0x11
  sb a1, 1(a0)
  li a1, 0x2233
  sh a1, 2(a0)
  lw a2, 0(a0)
  li t6, 0x223311ef
  bne a2, t6, fail
  li gp, ${++n}
  sw zero, 4(a0)
  li a1, 0x7f
  sb a1, 7(a0)
  lw a2, 4(a0)
  li t6, 0x7f000000
  bne a2, t6, fail
  li gp, ${++n}
  li a1, 0x5a5a
  sh a1, -2(a0)
  lhu a2, -2(a0)
  bne a2, a1, fail
  li gp, ${++n}
  lw a3, 0(a0)
  sw a3, 12(a0)
  lw a4, 12(a0)
  add a5, zero, a4
  bne a5, a3, fail
  li gp, ${++n}
  lw a3, 0(a0)
  addi a3, a3, 1
  sw a3, 8(a0)
  lw a4, 8(a0)
  addi a4, a4, 1
  li t6, 0x223311f1
  bne a4, t6, fail
`;
    }
    const src = program(body, '  .word 0\ndbuf: .space 16').replace('trap_handler:', 'trap_handler:') + '\n  .text\n  .align 2\n  .word 0\nibuf: .space 16\n';
    expect(outcome(run(src).result)).toBe('pass');
  });

  it('every branch, taken and not taken, forward and backward; JAL and JALR link and target', () => {
    n = 0;
    let body = '';
    const br: Record<string, (a: number, b: number) => boolean> = {
      beq: (a, b) => a === b, bne: (a, b) => a !== b, blt: (a, b) => s(a) < s(b), bge: (a, b) => s(a) >= s(b),
      bltu: (a, b) => u(a) < u(b), bgeu: (a, b) => u(a) >= u(b),
    };
    for (const [op, f] of Object.entries(br)) {
      for (const [a, b] of [[1, 1], [1, 2], [2, 1], [-1, 1], [1, -1], [-0x80000000, 0x7fffffff], [0, 0]] as const) {
        const k = ++n;
        body += `  li gp, ${k}\n  li a1, ${a}\n  li a2, ${b}\n`;
        if (f(a, b)) body += `  ${op} a1, a2, 2f\n  j fail\n2:\n`;
        else body += `  ${op} a1, a2, fail\n`;
        // backward form: loop twice through a backward branch
        body += `  li a4, 0\n3: addi a4, a4, 1\n  li a5, 2\n  blt a4, a5, 3b\n  bne a4, a5, fail\n`;
      }
    }
    body += `
  li gp, ${++n}
  jal ra, 4f
back:
  j 5f
4:
  la t6, back
  bne ra, t6, fail
  jalr zero, 0(ra)
5:
  li gp, ${++n}
  la a1, 6f
  jalr a2, 1(a1)
  j fail
6:
  la t6, 6b
  addi t6, t6, -4
  bne a2, t6, fail
  li gp, ${++n}
  la a1, 7f
  addi a1, a1, -8
  jalr a1, 8(a1)
7:
  la t6, 7b
  bne a1, t6, fail
  li gp, ${++n}
  call sub1
  li t6, 42
  bne a0, t6, fail
  j 8f
sub1:
  li a0, 42
  ret
8:
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('fence and fence.i are accepted; nop, not, neg, seqz, snez, sltz, sgtz pseudo-instructions', () => {
    const body = `
  li gp, 1
  fence
  fence rw, rw
  fence.i
  nop
  li a1, 5
  not a2, a1
  li t6, -6
  bne a2, t6, fail
  neg a2, a1
  li t6, -5
  bne a2, t6, fail
  li gp, 2
  seqz a2, zero
  snez a3, a1
  sltz a4, t6
  sgtz a5, a1
  add a2, a2, a3
  add a2, a2, a4
  add a2, a2, a5
  li t6, 4
  bne a2, t6, fail
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });
});
