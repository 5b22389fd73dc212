// Interrupts, the peripheral bus and fence.i on the dispatch core: the CLINT timer, the software interrupt, the
// external interrupt and the local irq lines (direct and vectored mtvec), priorities, wfi with and without MIE,
// bus reads and writes with wait states, and self-modifying code made visible to fetch by fence.i.
import { describe, expect, it } from 'vitest';
import { outcome, program, run, lockstep } from './harness.ts';
import { DEV, TestDevice } from './device.ts';

const is = (reg: string, v: number | string) => `  li t6, ${v}\n  beq ${reg}, t6, 9f\n  j fail\n9:\n`;

describe('peripheral bus', () => {
  it.each([0, 3])('reads and writes device registers with %i wait states, byte lanes included', (waits) => {
    const dev = new TestDevice(waits);
    const body = `
  li gp, 1
  li s0, ${DEV.SCRATCH}
  li a1, 0x12345678
  sw a1, 0(s0)
  lw a2, 0(s0)
${is('a2', 0x12345678)}
  li gp, 2
  li a1, 0xab
  sb a1, 2(s0)
  lw a2, 0(s0)
${is('a2', 0x12ab5678)}
  lbu a2, 2(s0)
${is('a2', 0xab)}
  lh a2, 2(s0)
${is('a2', 0x12ab)}
  li gp, 3
  lw a2, 0x14(s0)
${is('a2', 6)}
`;
    const r = run(program(body), { device: dev, cosimDevice: () => new TestDevice(waits) });
    expect(outcome(r.result)).toBe('pass');
    expect(dev.log.map((l) => [l.we, l.addr - DEV.SCRATCH, l.be])).toEqual([
      [true, 0, 0xf], [false, 0, 0xf], [true, 2, 0x4], [false, 0, 0xf], [false, 2, 0x4], [false, 2, 0xc], [false, 0x14, 0xf],
    ]);
    expect(dev.log[2]!.wdata >>> 16 & 0xff).toBe(0xab);
  });
});

/** Handler prologue/epilogue that checks mcause and counts into s11. */
describe('interrupts', () => {
  it('timer interrupt from the CLINT: taken between instructions, mepc = the interrupted instruction, mret resumes', () => {
    const body = `
  la t0, th
  csrw mtvec, t0
  li gp, 1
  li s11, 0
  li s0, 0x02000000
  li t1, 0x0200bff8
  lw t0, 0(t1)
  addi t0, t0, 60
  li t1, 0x02004000
  sw zero, 4(t1)
  sw t0, 0(t1)
  li t0, 0x80
  csrw mie, t0
  csrsi mstatus, 8
  li a0, 0
1:
  addi a0, a0, 1
  beqz s11, 1b
  li gp, 2
  csrr t0, mip
  andi t0, t0, 0x80
  bnez t0, fail
  li gp, 3
  li t6, 10
  blt a0, t6, fail
  j pass
th:
  csrr t0, mcause
  li t1, 0x80000007
  bne t0, t1, fail
  csrr t0, mepc
  la t1, 1b
  blt t0, t1, fail
  addi t1, t1, 8
  bgt t0, t1, fail
  li t1, 0x02004000
  li t0, -1
  sw t0, 4(t1)
  li s11, 1
  mret
`;
    const r = run(program(body));
    expect(outcome(r.result)).toBe('pass');
  });

  it('software interrupt (msip), external interrupt (meip) and local irq lines, vectored: each at BASE + 4 * cause, with priority MEI > MSI > MTI > local', () => {
    const dev = new TestDevice(1);
    const cosimDevice = () => new TestDevice(1);
    const body = `
  la t0, vec
  ori t0, t0, 1
  csrw mtvec, t0
  li s10, 0
  li t0, -1
  csrw mie, t0
  csrsi mstatus, 8
  li gp, 1
  li s0, 0x02000000
  li t0, 1
  sw t0, 0(s0)
  nop
${is('s10', 3)}
  li gp, 2
  li s1, ${DEV.SCRATCH}
  li t0, 1
  sw t0, 0xc(s1)
  nop
  nop
  nop
${is('s10', 11)}
  li gp, 3
  li t0, 0x0024
  sw t0, 4(s1)
  nop
  nop
  nop
  nop
  nop
${is('s10', 18)}
  li gp, 4
  csrci mstatus, 8
  li t0, 1
  sw t0, 0(s0)
  sw t0, 0xc(s1)
  li t0, 0x8000
  sw t0, 4(s1)
  nop
  nop
  nop
  li s9, 0
  csrsi mstatus, 8
  nop
  nop
  nop
  nop
  nop
  nop
  nop
${is('s9', 0xb31)}
  li gp, 5
  li t0, 0x02000000
  sw zero, 0(t0)
  sw zero, 0xc(s1)
  li t0, -1
  sw t0, 8(s1)
  li t0, 30
  sw t0, 0x10(s1)
  li s10, 0
1:
  beqz s10, 1b
${is('s10', 16)}
  j pass

exc:
  j fail
msi:
  li s10, 3
  slli s9, s9, 4
  ori s9, s9, 3
  li t0, 0x02000000
  sw zero, 0(t0)
  mret
mei:
  li s10, 11
  slli s9, s9, 4
  ori s9, s9, 11
  li t0, ${DEV.MEIP}
  sw zero, 0(t0)
  mret
local:
  csrr s10, mcause
  slli s10, s10, 1
  srli s10, s10, 1
  slli s9, s9, 4
  ori s9, s9, 1
  li t0, ${DEV.IRQ_CLEAR}
  li t1, -1
  sw t1, 0(t0)
  mret
  .align 2
vec:
  j exc
  j fail
  j fail
  j msi
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j mei
  j fail
  j fail
  j fail
  j fail
  j local
  j fail
  j local
  j fail
  j local
  j local
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j fail
  j local
`;
    const r = run(program(body), { device: dev, cosimDevice });
    expect(outcome(r.result)).toBe('pass');
  });

  it('wfi waits for a pending interrupt: without MIE it just continues; with MIE the trap is taken with mepc = the next instruction', () => {
    const dev = new TestDevice();
    const body = `
  la t0, h
  csrw mtvec, t0
  li gp, 1
  li t0, 0x10000
  csrw mie, t0
  li s1, ${DEV.SCRATCH}
  li t0, 200
  sw t0, 0x10(s1)
  csrr s2, mcycle
  wfi
  csrr s3, mcycle
  sub s3, s3, s2
  li t6, 150
  blt s3, t6, fail
  csrr t0, mip
  srli t0, t0, 16
${is('t0', 1)}
  li gp, 2
  li t0, -1
  sw t0, 8(s1)
  li t0, 100
  sw t0, 0x10(s1)
  li s5, 0
  csrsi mstatus, 8
  wfi
after:
  beqz s5, fail
  j pass
h:
  csrr t0, mepc
  la t1, after
  bne t0, t1, fail
  li t0, -1
  sw t0, 8(s1)
  li s5, 1
  mret
`;
    const r = run(program(body), { device: dev, cosimDevice: () => new TestDevice() });
    expect(outcome(r.result)).toBe('pass');
  });

  it('an interrupt storm during multi-cycle instructions and bus waits matches the reference model instruction by instruction', () => {
    const dev = new TestDevice(2);
    let body = `
  la t0, h
  csrw mtvec, t0
  li t0, 0x10000
  csrw mie, t0
  csrsi mstatus, 8
  li s1, ${DEV.SCRATCH}
  li a1, 1000
  li a2, 7
`;
    for (let i = 0; i < 40; i++) body += `  li t0, ${3 + (i * 7) % 11}\n  sw t0, 0x10(s1)\n  div a3, a1, a2\n  mul a4, a3, a2\n  lw a5, 0(s1)\n  addi a1, a1, 13\n  rem a6, a1, a2\n`;
    body += `  j pass
h:
  addi s7, s7, 1
  li t0, 1
  sw t0, 8(s1)
  mret
`;
    const { compared, interrupts, result } = lockstep(program(body), { device: dev, core: { mulLatency: 3, divBitsPerCycle: 2 } });
    expect(outcome(result)).toBe('pass');
    expect(compared).toBeGreaterThan(300);
    expect(interrupts).toBeGreaterThan(20);
  });
});

describe('fence.i', () => {
  it('documents the window fence.i closes: without it, the instruction right behind a store to it is fetched stale', () => {
    const body = `
  li gp, 1
  la s0, patch
  li t0, 0x02a00513
  sw t0, 0(s0)
patch:
  li a0, 1
${is('a0', 1)}
  li gp, 2
  lw t1, 0(s0)
${is('t1', 0x02a00513)}
`;
    expect(outcome(run(program(body)).result)).toBe('pass');
  });

  it('self-modifying code: stores into the ITCM become visible to fetch after fence.i', () => {
    const body = `
  li gp, 1
  la s0, patch
  li t0, 0x02a00513
  sw t0, 0(s0)
  fence.i
patch:
  li a0, 1
${is('a0', 42)}
  li gp, 2
  li t0, 0x00700513
  sw t0, 0(s0)
  fence.i
  jal patch2
${is('a0', 7)}
  j pass
patch2:
  j patch
`;
    // patch2 jumps back to patch, which now loads 7, then falls into the check for 42: restructure as a call
    const src = program(body.replace(`  jal patch2\n${is('a0', 7)}\n  j pass\npatch2:\n  j patch\n`, `  li t0, 0x00008067\n  sw t0, 4(s0)\n  fence.i\n  jalr ra, 0(s0)\n${is('a0', 7)}\n`));
    expect(outcome(run(src).result)).toBe('pass');
  });
});
