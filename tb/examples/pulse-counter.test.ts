import { expect, it } from 'vitest';
import { simulate } from '../runtime/index.ts';
import { PulseCounter } from '../../rtl/examples/pulse-counter.ts';

it('counts pulses up to the limit', async () => {
  await simulate(new PulseCounter(5), async (tb) => {
    const { dut } = tb;
    await tb.reset();
    for (let i = 0; i < 7; i++) {
      dut.pulse.value = i % 2;   // a pulse every other cycle
      await tb.rising();
    }
    expect(dut.count.value).toBe(3);
    dut.pulse.value = 1;
    await tb.until(() => dut.full.value === 1, { timeoutCycles: 10 });
    expect(dut.count.value).toBe(5);
  }, { vcd: 'pulse-counter' });  // writes waves/pulse-counter.vcd and .gtkw
});
