// Dual-clock FIFO: thousands of random words between two clocks of unrelated periods (both ways round) arrive
// complete and in order under random valid/ready; the design elaborates with no clock-crossing warning; the
// capacity and the synchronizer's latency are as documented.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClockDomain, Module, elaborate, type Output } from '../../rtl/core/index.ts';
import { AsyncFifo, Sync2 } from '../../rtl/lib/index.ts';
import { simulate } from '../runtime/index.ts';
import { expectIdle, randomBits, receive, send, uniform, words, type Transfer } from './stream-bfm.ts';

const clocks = (wrPs: number, rdPs: number) => ({
  wr: new ClockDomain('wr', { periodPs: wrPs }),
  rd: new ClockDomain('rd', { periodPs: rdPs }),
});

describe('AsyncFifo', () => {
  for (const [wrPs, rdPs] of [
    [1000, 2560],
    [2560, 1000],
    [1000, 1031],
  ] as const) {
    it(`moves random words with nothing lost or reordered: write clock ${wrPs} ps, read clock ${rdPs} ps`, async () => {
      let total = 0;
      let fullSeen = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 20, max: 100 }),
          fc.integer({ min: 20, max: 100 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (depthLog2, validPct, readyPct, seed) => {
            const { wr, rd } = clocks(wrPs, rdPs);
            const rand = uniform(seed);
            const data = Array.from({ length: 1500 }, () => randomBits(rand, 24));
            await simulate(
              new AsyncFifo(24, depthLog2, wr, rd),
              async (tb) => {
                await tb.reset();
                let done = false;
                const src = tb.fork(async () => {
                  await send(tb, tb.dut.in, data, { domain: wr, prob: validPct / 100, rand: uniform(seed + 1) });
                  done = true;
                });
                tb.fork(async () => {
                  while (!done) {
                    await tb.falling(wr);
                    if (tb.dut.in.valid.value === 1 && tb.dut.in.ready.value === 0) fullSeen++;
                  }
                });
                const got = await receive(tb, tb.dut.out, data.length, { domain: rd, prob: readyPct / 100, rand: uniform(seed + 2) });
                await tb.join(src);
                expect(words(got)).toEqual(data);
                await expectIdle(tb, tb.dut.out, 8, rd);
                total += got.length;
              },
              { randomInit: seed },
            );
          },
        ),
        // the first run (an example) has a reader that takes a word in 1 of 5 read cycles: the FIFO fills
        { numRuns: 5, examples: [[2, 100, 20, 12345]] },
      );
      expect(total).toBe(5 * 1500);
      expect(fullSeen).toBeGreaterThan(0);
    });
  }

  it('moves one word per cycle of the slower clock when nothing stalls', async () => {
    for (const [wrPs, rdPs] of [
      [1000, 2560],
      [2560, 1000],
    ] as const) {
      const { wr, rd } = clocks(wrPs, rdPs);
      const data = Array.from({ length: 200 }, (_, i) => BigInt(i));
      await simulate(new AsyncFifo(8, 3, wr, rd), async (tb) => {
        await tb.reset();
        let sent: Transfer[] = [];
        const src = tb.fork(async () => {
          sent = await send(tb, tb.dut.in, data, { domain: wr });
        });
        const got = await receive(tb, tb.dut.out, data.length, { domain: rd });
        await tb.join(src);
        expect(words(got)).toEqual(data);
        // the slow side never waits: consecutive cycles of its clock
        const slow = wrPs > rdPs ? sent : got;
        const t0 = slow[0]!.cycle;
        expect(slow.map((t) => t.cycle - t0)).toEqual(data.map((_, i) => i));
      });
    }
  });

  it('crosses pointers in gray code: at most one bit of a synchronizer input changes per source-clock edge', async () => {
    // a two-state simulation cannot show metastability, so check the property that makes the crossing safe
    const { wr, rd } = clocks(1000, 2560);
    const fifo = new AsyncFifo(8, 3, wr, rd);
    const data = Array.from({ length: 600 }, (_, i) => BigInt(i & 0xff));
    const popcount = (v: bigint): number => v.toString(2).replace(/0/g, '').length;
    await simulate(fifo, async (tb) => {
      await tb.reset();
      const changes = { wr: 0, rd: 0 };
      const watch = (side: 'wr' | 'rd') => async () => {
        const sig = side === 'wr' ? fifo.wrPtrSync.d : fifo.rdPtrSync.d;
        let prev = tb.peek(sig);
        for (;;) {
          await tb.rising(side === 'wr' ? wr : rd);
          const now = tb.peek(sig);
          tb.check(popcount(prev ^ now) <= 1, `${side} pointer went ${prev} -> ${now} in one edge`);
          if (now !== prev) changes[side]++;
          prev = now;
        }
      };
      tb.fork(watch('wr'));
      tb.fork(watch('rd'));
      const src = tb.fork(() => send(tb, tb.dut.in, data, { domain: wr, prob: 0.8, rand: uniform(3) }));
      const got = await receive(tb, tb.dut.out, data.length, { domain: rd, prob: 0.7, rand: uniform(4) });
      await tb.join(src);
      expect(words(got)).toEqual(data);
      expect(changes).toEqual({ wr: data.length, rd: data.length });
    });
  });

  it('elaborates with no clock-crossing warning (and the check does catch a bare crossing)', () => {
    const { wr, rd } = clocks(1000, 2560);
    const nl = elaborate(new AsyncFifo(32, 4, wr, rd));
    expect(nl.warnings.filter((w) => w.rule === 'cdc')).toEqual([]);
    expect(nl.domains).toEqual([wr, rd]);

    class BareCrossing extends Module {
      readonly q: Output;
      constructor(a: ClockDomain, b: ClockDomain) {
        super();
        this.q = this.output(1);
        const toggle = this.reg(1, { domain: a });
        toggle.set(toggle.not());
        const caught = this.reg(1, { domain: b });
        caught.set(toggle);
        this.q.assign(caught);
      }
    }
    expect(elaborate(new BareCrossing(wr, rd)).warnings.filter((w) => w.rule === 'cdc')).toHaveLength(1);
  });

  it('holds 2^depthLog2 words in the RAM plus one in the output register, then drains them in order', async () => {
    const { wr, rd } = clocks(1000, 2560);
    const depthLog2 = 3;
    const data = Array.from({ length: 20 }, (_, i) => BigInt(0x100 + i));
    await simulate(
      new AsyncFifo(16, depthLog2, wr, rd),
      async (tb) => {
        await tb.reset();
        tb.dut.out.ready.value = 0;
        let accepted = 0;
        const src = tb.fork(async () => {
          const sent = await send(tb, tb.dut.in, data, { domain: wr });
          expect(sent).toHaveLength(data.length);
        });
        tb.fork(async () => {
          for (;;) {
            await tb.falling(wr);
            if (tb.dut.in.valid.value === 1 && tb.dut.in.ready.value === 1) accepted++;
          }
        });
        await tb.cycles(40, rd);
        expect(accepted).toBe((1 << depthLog2) + 1);
        const got = await receive(tb, tb.dut.out, data.length, { domain: rd });
        await tb.join(src);
        expect(words(got)).toEqual(data);
      },
      { vcd: 'lib_async_fifo' },
    );
  });

  it('shows a word pushed into an empty FIFO 3 read-clock edges later', async () => {
    for (const [wrPs, rdPs] of [
      [1000, 2560],
      [2560, 1000],
    ] as const) {
      const { wr, rd } = clocks(wrPs, rdPs);
      await simulate(new AsyncFifo(8, 2, wr, rd), async (tb) => {
        await tb.reset();
        await tb.cycles(3, wr);
        tb.dut.in.valid.value = 1;
        tb.dut.in.data.value = 0x5a;
        await tb.rising(wr);
        tb.dut.in.valid.value = 0;
        const pushed = tb.cycle(rd);
        let edges = 0;
        while (tb.dut.out.valid.value === 0) {
          await tb.rising(rd);
          edges++;
          expect(edges).toBeLessThan(10);
        }
        expect(tb.dut.out.data.value).toBe(0x5a);
        expect(tb.cycle(rd) - pushed).toBe(3);
      });
    }
  });
});

describe('Sync2', () => {
  it('delivers its input two clock edges later', async () => {
    await simulate(new Sync2(8), async (tb) => {
      await tb.reset();
      const rand = uniform(5);
      const history: number[] = [];
      for (let i = 0; i < 50; i++) {
        const v = Math.floor(rand() * 256);
        tb.dut.d.value = v;
        history.push(v);
        await tb.rising();
        if (i >= 1) tb.expectEqual(tb.dut.q.value, history[i - 1]!, 'q');
      }
    });
  });
});
