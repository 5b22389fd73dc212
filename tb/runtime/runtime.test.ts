// The testbench runtime: triggers, fork/join, failure propagation with simulated time, timeouts, and the typed
// port view (reading, driving, range checks).
import { describe, expect, it } from 'vitest';
import { ClockDomain, Module, S, when, withDomain } from '../../rtl/core/index.ts';
import { simulate, Testbench, TimeoutError } from './index.ts';

class Acc extends Module {
  en = this.input(1);
  x = this.input(8, { signed: true });
  big = this.input(100);
  sum = this.output(16, { signed: true });
  bigOut = this.output(100);
  constructor() {
    super();
    const s = this.reg(16, { signed: true });
    when(this.en, () => s.set(s.add(this.x.sext(16))));
    this.sum.assign(s);
    this.bigOut.assign(this.big.not());
  }
}

describe('testbench runtime', () => {
  it('drives and reads signed and wide ports', async () => {
    await simulate(new Acc(), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      dut.en.value = 1;
      dut.x.value = -3;
      await tb.cycles(5);
      expect(dut.sum.value).toBe(-15);
      expect(dut.sum.sbig).toBe(-15n);
      expect(dut.sum.big).toBe(65536n - 15n);
      dut.big.big = (1n << 99n) | 5n;
      expect(dut.bigOut.big).toBe(((1n << 100n) - 1n) ^ ((1n << 99n) | 5n));
      expect(() => dut.bigOut.value).toThrow(/100 bits wide: read it as a bigint/);
    });
  });

  it('refuses values that do not fit a port, naming it', async () => {
    await simulate(new Acc(), async ({ dut }) => {
      expect(() => (dut.x.value = 128)).toThrow(/acc\.x: 128 does not fit signed 8 bits \(-128\.\.127\)/);
      expect(() => (dut.en.value = 2)).toThrow(/acc\.en: 2 does not fit unsigned 1 bits/);
      expect(() => (dut.en.value = 0.5)).toThrow(/not an integer/);
    });
  });

  it('fails the test with the simulated time when a forked task fails, and cancels the others', async () => {
    let otherRan = 0;
    const run = simulate(new Acc(), async (tb) => {
      tb.fork(async () => {
        await tb.cycles(7);
        tb.check(false, 'the monitor saw something wrong');
      });
      tb.fork(async () => {
        for (;;) {
          await tb.rising();
          otherRan++;
        }
      });
      await tb.cycles(1000);
    });
    await expect(run).rejects.toThrow(/check failed: the monitor saw something wrong\n\s+at t=7000 ps \(cycle 7 of sys\)/);
    expect(otherRan).toBeLessThanOrEqual(7);
  });

  it('annotates a plain assertion failure in the main task with the time', async () => {
    const run = simulate(new Acc(), async (tb) => {
      await tb.cycles(3);
      expect(1).toBe(2);
    });
    await expect(run).rejects.toThrow(/at t=3000 ps \(cycle 3 of sys\)/);
  });

  it('until() times out with a TimeoutError that says when', async () => {
    const run = simulate(new Acc(), async (tb) => {
      await tb.until(() => tb.dut.sum.value === 1, { timeoutCycles: 20 });
    });
    await expect(run).rejects.toBeInstanceOf(TimeoutError);
    await expect(
      simulate(new Acc(), async (tb) => tb.until(() => false, { timeoutCycles: 20 })),
    ).rejects.toThrow(/timed out after 20 cycles waiting for condition[\s\S]*t=20000 ps/);
  });

  it('join waits for tasks; delays stop between edges; falling edges are half a period after rising', async () => {
    await simulate(new Acc(), async (tb) => {
      const order: string[] = [];
      const a = tb.fork(async () => {
        await tb.cycles(3);
        order.push(`a@${tb.time}`);
      });
      const b = tb.fork(async () => {
        await tb.delay(1234);
        order.push(`b@${tb.time}`);
        await tb.falling();
        order.push(`b@${tb.time}`);
      });
      await tb.join(a, b);
      expect(order).toEqual(['b@1234', 'b@1500', 'a@3000']);
    });
  });

  it('waits on edges of a second clock domain', async () => {
    const mac = new ClockDomain('mac', { periodPs: 2560 });
    class Two extends Module {
      o = this.output(4);
      constructor() {
        super();
        const r = withDomain(mac, () => new Cnt());
        this.o.assign(r.q);
      }
    }
    class Cnt extends Module {
      q = this.output(4);
      constructor() {
        super();
        const r = this.reg(4);
        r.set(r.add(1));
        this.q.assign(r);
      }
    }
    const tb = new Testbench(new Two());
    await tb.run(async () => {
      await tb.cycles(3, mac);
      expect(tb.time).toBe(3 * 2560);
      expect(tb.dut.o.value).toBe(3);
      expect(tb.cycle(mac)).toBe(3);
    });
  });

  it('runs a million cycles quickly through the compiled fast path', async () => {
    await simulate(new Acc(), async (tb) => {
      tb.dut.en.value = 1;
      tb.dut.x.value = 1;
      await tb.reset();
      await tb.cycles(1_000_000);
      expect(tb.dut.sum.value).toBe(((1_000_000 + 32768) % 65536) - 32768);
      expect(tb.time).toBe(1_000_002 * 1000);
    });
  });

  it('S() constants are signed', () => {
    expect(S(-1, 4).value).toBe(15n);
    expect(S(-1, 4).signed).toBe(true);
  });
});
