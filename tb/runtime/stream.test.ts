// Stream driver, monitor and scoreboard against a small pipeline register written in the language; the scoreboard
// must also catch a design that drops or corrupts items.
import { describe, expect, it } from 'vitest';
import { In, Module, Out, flip, mux, when } from '../../rtl/core/index.ts';
import { Scoreboard, StreamDriver, StreamMonitor, simulate } from './index.ts';

const Stream = (w: number) => ({ valid: Out(1), ready: In(1), data: Out(w) });

/** A one-entry pipeline stage; `bug` corrupts every 37th item to prove the checks can fail. */
class Stage extends Module {
  in = this.port(flip(Stream(16)));
  out = this.port(Stream(16));
  constructor(bug = false) {
    super();
    const full = this.reg(1);
    const data = this.reg(16);
    const count = this.reg(16);
    const take = this.in.valid.and(this.in.ready);
    this.in.ready.assign(full.not().or(this.out.ready));
    when(take, () => {
      data.set(bug ? mux(count.eq(36), this.in.data.xor(1), this.in.data) : this.in.data);
      count.set(count.add(1));
    });
    when(take, () => full.set(1)).elsewhen(this.out.ready, () => full.set(0));
    this.out.valid.assign(full);
    this.out.data.assign(data);
  }
}

async function run(bug: boolean, idle: number) {
  const items = Array.from({ length: 300 }, (_, i) => (i * 7919) & 0xffff);
  return simulate(new Stage(bug), async (tb) => {
    await tb.reset();
    const sb = new Scoreboard(tb);
    items.forEach((x) => sb.expect(x));
    const mon = new StreamMonitor(tb, tb.dut.out, { idle, seed: 3 }).start();
    mon.onItem = (v) => sb.got(v);
    const start = tb.cycle();
    await new StreamDriver(tb, tb.dut.in, { idle, seed: 4 }).send(items);
    await mon.waitFor(items.length);
    sb.done();
    if (idle === 0) expect(tb.cycle() - start).toBeLessThanOrEqual(items.length + 3);
  });
}

describe('stream driver, monitor, scoreboard', () => {
  it('passes every item in order at full rate', () => run(false, 0));
  it('passes every item in order under random stalls on both sides', () => run(false, 0.4));
  it('catches a corrupted item and says which', async () => {
    await expect(run(true, 0.2)).rejects.toThrow(/item #36: expected \d+, got \d+/);
  });
});
