// The dispatch core's emitted SystemVerilog, simulated by Verilator, against our simulator at every clock event:
// self-checking programs (loads/stores/branches, CSRs and traps, the bus and interrupts) and a random instruction
// stream, each compared output by output (bus port and retirement trace) at every edge.
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { itWithTools } from '../tools.ts';
import { image, program } from './harness.ts';
import { cosimVerilator } from './cosim.ts';
import { TestDevice, DEV } from './device.ts';

const tools = ['verilator', 'make', 'g++'];

describe('Verilator co-simulation of the dispatch core', () => {
  itWithTools(tools, 'ALU, M, loads/stores, branches, jumps, CSRs and traps: every output at every edge matches', () => {
    const body = `
  li gp, 1
  la s0, buf
  li a0, 0
  li a1, 40
1:
  add a0, a0, a1
  mul a2, a0, a1
  mulh a3, a2, a0
  divu a4, a2, a1
  rem a5, a2, a0
  sw a2, 0(s0)
  sh a3, 4(s0)
  sb a4, 7(s0)
  lw t0, 4(s0)
  lb t1, 7(s0)
  lhu t2, 0(s0)
  add a0, a0, t0
  xor a0, a0, t1
  sub a0, a0, t2
  addi a1, a1, -1
  bnez a1, 1b
  li gp, 2
  csrw mscratch, a0
  csrrs t0, mscratch, a1
  bne t0, a0, fail
  la t0, h
  csrw mtvec, t0
  ecall
  lw t1, 1(s0)
  .word 0
  j 2f
h:
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
2:
`;
    const r = cosimVerilator(image(program(body, 'buf: .space 16')));
    expect(r.tohost).toBe(1);
    expect(r.message).toMatch(/^OK \d+ events/);
    expect(r.ok).toBe(true);
  }, 180_000);

  itWithTools(tools, 'the bus with wait states and vectored interrupts from the irq lines: every output at every edge matches', () => {
    const body = `
  la t0, vec
  ori t0, t0, 1
  csrw mtvec, t0
  li t0, -1
  csrw mie, t0
  csrsi mstatus, 8
  li s1, ${DEV.SCRATCH}
  li s2, 0
  li s3, 6
1:
  li t0, 9
  sw t0, 0x10(s1)
  lw t1, 0(s1)
  addi t1, t1, 3
  sw t1, 0(s1)
  div t2, t1, s3
  beqz s2, 1b
  li s2, 0
  addi s3, s3, -1
  bnez s3, 1b
  j pass
local:
  li s2, 1
  li t0, -1
  sw t0, 8(s1)
  mret
  .align 2
vec:
${Array.from({ length: 32 }, (_, i) => (i === 16 ? '  j local' : '  j fail')).join('\n')}
`;
    const r = cosimVerilator(image(program(body)), { device: new TestDevice(2), core: { mulLatency: 2, divBitsPerCycle: 2 } });
    expect(r.tohost).toBe(1);
    expect(r.ok, r.message).toBe(true);
  }, 180_000);

  itWithTools(tools, 'a random instruction stream: every output at every edge matches', () => {
    const ops = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
    const regs = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
    const reg = fc.constantFrom(...regs);
    const insn = fc.tuple(fc.constantFrom(...ops), reg, reg, reg, fc.integer({ min: -2048, max: 2047 }));
    const [lines] = fc.sample(fc.array(insn, { minLength: 300, maxLength: 300 }), { numRuns: 1, seed: 99 });
    let body = regs.map((r, i) => `  li ${r}, ${(i * 0x9e3779b9) | 0}`).join('\n') + '\n  la s0, buf\n';
    lines!.forEach(([op, d, a, b, imm], i) => {
      body += `  ${op} ${d}, ${a}, ${b}\n`;
      if (i % 5 === 0) body += `  addi ${d}, ${d}, ${imm}\n  sw ${d}, ${4 * (i % 8)}(s0)\n`;
      if (i % 7 === 0) body += `  lw ${a}, ${4 * (i % 8)}(s0)\n  bltu ${a}, ${b}, 1f\n  xor ${a}, ${a}, ${b}\n1:\n`;
    });
    const r = cosimVerilator(image(program(body, 'buf: .space 32')));
    expect(r.tohost).toBe(1);
    expect(r.ok, r.message).toBe(true);
  }, 180_000);
});
