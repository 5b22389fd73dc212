// Random instruction streams (fast-check) run on the dispatch core and on the reference model in lockstep,
// compared instruction by instruction: retired pc and instruction, register writes, stores, and every trap
// (ecall, ebreak, illegal words, misaligned loads/stores, misaligned jumps). Streams mix ALU and M operations,
// loads and stores to both TCMs, forward branches and jumps, CSR accesses and fence.i, with dependencies dense
// enough to exercise every forwarding path and stall. Three core configurations (multiplier and divider latency).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine } from '../rv/machine.ts';
import { lockstep } from './harness.ts';

// x30 (t5) points at a buffer in the DTCM, x29 (t4) at one in the ITCM, x31 (t6) belongs to the trap handler
const POOL = [1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const reg = fc.constantFrom(...POOL).map((r) => `x${r}`);
const src = fc.constantFrom(...POOL, 0, 29, 30).map((r) => `x${r}`);
const imm12 = fc.oneof(fc.integer({ min: -2048, max: 2047 }), fc.constantFrom(0, 1, -1, 2047, -2048));
const value = fc.oneof(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.constantFrom(0, 1, -1, 0x7fffffff, -0x80000000, 7, -7));

type Gen = (i: number, n: number) => fc.Arbitrary<string>;
const rr = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const ri = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
const gens: Array<[number, Gen]> = [
  [30, () => fc.tuple(fc.constantFrom(...rr), reg, src, src).map(([op, d, a, b]) => `${op} ${d}, ${a}, ${b}`)],
  [15, () => fc.tuple(fc.constantFrom(...ri), reg, src, imm12).map(([op, d, a, i]) => `${op} ${d}, ${a}, ${i}`)],
  [6, () => fc.tuple(fc.constantFrom('slli', 'srli', 'srai'), reg, src, fc.integer({ min: 0, max: 31 })).map(([op, d, a, i]) => `${op} ${d}, ${a}, ${i}`)],
  [4, () => fc.tuple(fc.constantFrom('lui', 'auipc'), reg, fc.integer({ min: 0, max: 0xfffff })).map(([op, d, i]) => `${op} ${d}, ${i}`)],
  [10, () => fc.tuple(fc.constantFrom('lw', 'lh', 'lhu', 'lb', 'lbu'), reg, fc.integer({ min: 0, max: 60 }), fc.constantFrom('x30', 'x29'), fc.integer({ min: 0, max: 20 }))
    .map(([op, d, off, base, mis]) => `${op} ${d}, ${mis === 0 ? off : align(op, off)}(${base})`)],
  [10, () => fc.tuple(fc.constantFrom('sw', 'sh', 'sb'), src, fc.integer({ min: 0, max: 60 }), fc.constantFrom('x30', 'x30', 'x29'), fc.integer({ min: 0, max: 20 }))
    .map(([op, v, off, base, mis]) => `${op} ${v}, ${mis === 0 ? off : align(op, off)}(${base})`)],
  [8, (i, n) => fc.tuple(fc.constantFrom('beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'), src, src, fc.integer({ min: 1, max: 3 }))
    .map(([op, a, b, k]) => `${op} ${a}, ${b}, L${Math.min(n, i + 1 + k)}`)],
  [3, (i, n) => fc.tuple(reg, fc.integer({ min: 1, max: 3 })).map(([d, k]) => `jal ${d}, L${Math.min(n, i + 1 + k)}`)],
  [2, (i, n) => fc.tuple(reg, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0, 0, 2)).map(([d, k, mis]) => `la x28, L${Math.min(n, i + 1 + k)}\n  jalr ${d}, ${mis}(x28)`)],
  [4, () => fc.tuple(fc.constantFrom('csrrw', 'csrrs', 'csrrc'), reg, fc.constantFrom('mscratch', 'mtval', 'mcause', 'mie', 'misa', 'mhartid', 'minstret', 'mstatus'), src)
    .map(([op, d, c, s]) => (c === 'mstatus' ? `${op} ${d}, ${c}, x0` : `${op} ${d}, ${c}, ${s}`))],
  [2, () => fc.tuple(fc.constantFrom('csrrwi', 'csrrsi', 'csrrci'), reg, fc.constantFrom('mscratch', 'mtval', 'mepc'), fc.integer({ min: 0, max: 31 })).map(([op, d, c, i]) => `${op} ${d}, ${c}, ${i}`)],
  [2, () => fc.constantFrom('ecall', 'ebreak', '.word 0xffffffff', '.word 0x00000000', 'fence', 'fence.i', 'csrr x5, satp', 'csrw mhartid, x0')],
];

function align(op: string, off: number): number {
  const size = op.endsWith('w') ? 4 : op.includes('h') ? 2 : 1;
  return off - (off % size);
}

const stream = (n: number) =>
  fc.tuple(
    fc.array(value, { minLength: 16, maxLength: 16 }),
    fc.tuple(...Array.from({ length: n }, (_, i) => fc.oneof(...gens.map(([weight, g]) => ({ weight, arbitrary: g(i, n) }))))),
  );

function programOf([init, ops]: [number[], string[]]): string {
  return `
  .text
_start:
  la t0, handler
  csrw mtvec, t0
  la x30, dbuf
  la x29, ibuf
${POOL.map((r, i) => `  li x${r}, ${init[i]}`).join('\n')}
${ops.map((o, i) => `L${i}:\n  ${o}`).join('\n')}
L${ops.length}:
  li t6, 1
  la x28, tohost
  sw t6, 0(x28)
1: j 1b
handler:
  csrr t6, mepc
  addi t6, t6, 4
  csrw mepc, t6
  mret
  .align 4
ibuf: .space 64
  .data
tohost: .word 0
  .align 4
dbuf: .word 0x01234567, 0x89abcdef, 0xdeadbeef, 0x55aa55aa, -1, 0, 0x80000000, 0x7fffffff
  .space 32
`;
}

describe('random instruction streams against the reference model', () => {
  const configs = [
    { mulLatency: 1, divBitsPerCycle: 4 },
    { mulLatency: 3, divBitsPerCycle: 1 },
    { mulLatency: 2, divBitsPerCycle: 32 },
  ];
  it.each(configs)('core with mulLatency $mulLatency, divBitsPerCycle $divBitsPerCycle', (core) => {
    const machine = new Machine({ core });
    let compared = 0;
    let traps = 0;
    fc.assert(
      fc.property(stream(120), (p) => {
        const r = lockstep(programOf(p), { machine, maxCycles: 20_000 });
        expect(r.result.status).toBe('pass');
        compared += r.compared;
        traps += r.traps;
      }),
      { numRuns: 40, seed: 4242 + core.mulLatency },
    );
    expect(compared).toBeGreaterThan(40 * 100);
    expect(traps).toBeGreaterThan(10);
  });
});
