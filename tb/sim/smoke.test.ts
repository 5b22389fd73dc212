import { describe, expect, it } from 'vitest';
import { Module, when, U } from '../../rtl/core/index.ts';
import { simulate } from '../runtime/index.ts';

class Counter extends Module {
  en = this.input(1);
  count = this.output(8);
  wide = this.output(70);
  constructor() {
    super();
    const c = this.reg(8);
    when(this.en, () => c.set(c.add(1)));
    this.count.assign(c);
    const w = this.reg(70, { init: 5n });
    w.set(w.add(U(1n << 40n, 70)));
    this.wide.assign(w);
  }
}

describe('smoke', () => {
  it('counts', async () => {
    await simulate(new Counter(), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      expect(dut.wide.big).toBe(5n);
      dut.en.value = 1;
      await tb.cycles(10);
      expect(dut.count.value).toBe(10);
      const t = tb.fork(async () => { await tb.cycles(3); });
      await tb.join(t);
      expect(dut.count.value).toBe(13);
      await tb.until(() => dut.count.value === 200);
      expect(tb.cycle()).toBe(202);
    }, { vcd: 'smoke' });
  });
});
