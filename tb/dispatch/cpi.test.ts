// Performance of the dispatch core: straight-line ALU code (dependent chains included, through the forwarding
// path) and load-use pairs retire one instruction per cycle, measured by the program itself with mcycle and
// minstret; the benchmark program (integer, memory and branch heavy) passes its own checks and its CPI is logged
// for the default core and for a slower multiplier/divider configuration; simulated cycles per second are logged.
import { describe, expect, it } from 'vitest';
import { outcome, program, run } from './harness.ts';
import { benchmarkSource } from './benchmark.ts';
import { DispatchCore } from '../../rtl/corsair/dispatch/core.ts';

describe('throughput', () => {
  it('straight-line ALU code and load-use pairs run at exactly 1 IPC (mcycle delta == minstret delta)', () => {
    let alu = '';
    const ops = ['add', 'sub', 'xor', 'or', 'and', 'sll', 'srl', 'sra', 'slt', 'sltu', 'mul'];
    for (let i = 0; i < 200; i++) {
      const op = ops[i % ops.length];
      alu += `  ${op} a${i % 6}, a${(i + 5) % 6}, a${(i + 4) % 6}\n  addi a${(i + 1) % 6}, a${i % 6}, ${i}\n`;
    }
    for (let i = 0; i < 50; i++) alu += `  lw a${i % 6}, ${4 * (i % 8)}(s0)\n  add a${(i + 1) % 6}, a${i % 6}, a${i % 6}\n  sw a${(i + 1) % 6}, ${4 * (i % 8)}(s1)\n`;
    const body = `
  li gp, 1
  la s0, buf
  la s1, buf2
  csrr s2, mcycle
  csrr s3, minstret
${alu}
  csrr s4, mcycle
  csrr s5, minstret
  sub s4, s4, s2
  sub s5, s5, s3
  beq s4, s5, 1f
  j fail
1:
`;
    expect(outcome(run(program(body, 'buf: .word 1, 2, 3, 4, 5, 6, 7, 8\nbuf2: .space 32')).result)).toBe('pass');
  });

  it.each([
    [{}, 'default: mulLatency 1, divBitsPerCycle 4'],
    [{ mulLatency: 3, divBitsPerCycle: 1 }, 'mulLatency 3, divBitsPerCycle 1'],
  ])('benchmark program passes its checks; CPI logged (%#: %s)', (core, label) => {
    const r = run(benchmarkSource(), { core, maxCycles: 2_000_000 });
    expect(outcome(r.result)).toBe('pass');
    const { cycles, instret, cpi, seconds } = r.result;
    const rate = (cycles / seconds / 1e6).toFixed(2);
    console.log(`dispatch benchmark [${label}]: ${cycles} cycles, ${instret} instructions, CPI ${cpi.toFixed(3)}, ${rate} M cycles/s simulated`);
    expect(cpi).toBeGreaterThan(1);
    expect(cpi).toBeLessThan(1.6);
  });
});

describe('construction and reset', () => {
  it('rejects parameters it cannot build, saying which', () => {
    expect(() => new DispatchCore({ itcmBytes: 3000 })).toThrow(/itcmBytes must be a power of two from 1 KiB to 64 KiB, got 3000/);
    expect(() => new DispatchCore({ dtcmBytes: 1 << 17 })).toThrow(/dtcmBytes must be a power of two/);
    expect(() => new DispatchCore({ mulLatency: 0 })).toThrow(/mulLatency must be 1..64/);
    expect(() => new DispatchCore({ divBitsPerCycle: 3 })).toThrow(/bitsPerCycle must be 1, 2, 4, 8, 16 or 32, got 3/);
    expect(() => new DispatchCore({ itcmBytes: 1024, itcmInit: new Array(300).fill(0) })).toThrow(/itcmInit has 300 words, the memory 256/);
  });


  it('runs the benchmark identically from a random initial state (x-initial): everything that matters is reset', () => {
    const a = run(benchmarkSource(), { maxCycles: 2_000_000 });
    const b = run(benchmarkSource(), { maxCycles: 2_000_000, sim: { randomInit: 1234 } });
    expect(outcome(b.result)).toBe('pass');
    expect([b.result.cycles, b.result.instret]).toEqual([a.result.cycles, a.result.instret]);
  });
});
