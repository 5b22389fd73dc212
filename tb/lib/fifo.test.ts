// Synchronous FIFO against a JavaScript queue, cycle by cycle: ready, valid, data and count under random push/pop,
// with the full and empty corners (pop when full, push when empty, push and pop together) counted and required.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Fifo } from '../../rtl/lib/index.ts';
import { simulate, type Testbench } from '../runtime/index.ts';
import { randomBits, receive, send, uniform, words, type Transfer } from './stream-bfm.ts';

/** The FIFO as the testbench expects it: a queue of at most `depth` words; a pushed word is visible next cycle. */
class FifoModel {
  readonly q: bigint[] = [];
  constructor(readonly depth: number) {}
  get ready(): boolean {
    return this.q.length < this.depth;
  }
}

interface Corners {
  popWhenFull: number;
  pushWhenEmpty: number;
  pushAndPop: number;
  refusedWhenFull: number;
}

/** Random push/pop for `cycles` cycles, checking every output against the model at mid-cycle. */
async function randomTraffic(tb: Testbench<Fifo>, depth: number, cycles: number, pushPct: number, popPct: number, seed: number, corners: Corners): Promise<void> {
  const { dut } = tb;
  const rand = uniform(seed);
  const m = new FifoModel(depth);
  for (let i = 0; i < cycles; i++) {
    const valid = rand() * 100 < pushPct;
    const ready = rand() * 100 < popPct;
    const word = randomBits(rand, dut.in.data.width);
    dut.in.valid.value = valid ? 1 : 0;
    dut.in.data.big = word;
    dut.out.ready.value = ready ? 1 : 0;
    await tb.falling();
    tb.expectEqual(dut.count.value, m.q.length, 'count');
    tb.expectEqual(dut.in.ready.value, m.ready ? 1 : 0, 'in.ready');
    tb.expectEqual(dut.out.valid.value, m.q.length > 0 ? 1 : 0, 'out.valid');
    if (m.q.length > 0) tb.expectEqual(dut.out.data.big, m.q[0]!, 'out.data');
    const push = valid && m.ready;
    const pop = ready && m.q.length > 0;
    if (pop && m.q.length === depth) corners.popWhenFull++;
    if (push && m.q.length === 0) corners.pushWhenEmpty++;
    if (push && pop) corners.pushAndPop++;
    if (valid && !m.ready) corners.refusedWhenFull++;
    await tb.rising();
    if (pop) m.q.shift();
    if (push) m.q.push(word);
  }
}

describe('Fifo', () => {
  it('matches a queue model under random push/pop, full and empty corners included', async () => {
    const corners: Corners = { popWhenFull: 0, pushWhenEmpty: 0, pushAndPop: 0, refusedWhenFull: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 16),
        fc.constantFrom(8, 16, 37),
        fc.integer({ min: 10, max: 95 }),
        fc.integer({ min: 10, max: 95 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (depth, width, pushPct, popPct, seed) => {
          await simulate(new Fifo(width, depth), async (tb) => {
            await tb.reset();
            await randomTraffic(tb, depth, 600, pushPct, popPct, seed, corners);
          }, { randomInit: seed });
        },
      ),
      { numRuns: 60 },
    );
    expect(corners.popWhenFull).toBeGreaterThan(50);
    expect(corners.pushWhenEmpty).toBeGreaterThan(50);
    expect(corners.pushAndPop).toBeGreaterThan(50);
    expect(corners.refusedWhenFull).toBeGreaterThan(50);
  });

  it('fills, refuses when full, pops when full, drains and goes empty (directed)', async () => {
    const depth = 4;
    await simulate(new Fifo(8, depth), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      expect(dut.out.valid.value).toBe(0);
      expect(dut.count.value).toBe(0);
      // push into empty: out.valid the next cycle, first word falls through
      dut.in.valid.value = 1;
      dut.in.data.value = 0xa0;
      expect(dut.out.valid.value).toBe(0); // no combinational path from in to out
      await tb.rising();
      expect(dut.out.valid.value).toBe(1);
      expect(dut.out.data.value).toBe(0xa0);
      for (let i = 1; i < depth; i++) {
        dut.in.data.value = 0xa0 + i;
        await tb.rising();
      }
      expect(dut.count.value).toBe(depth);
      expect(dut.in.ready.value).toBe(0);
      // full: a push is refused even while popping (in.ready does not look at out.ready)
      dut.in.data.value = 0xff;
      dut.out.ready.value = 1;
      expect(dut.in.ready.value).toBe(0);
      await tb.rising();
      expect(dut.count.value).toBe(depth - 1);
      expect(dut.out.data.value).toBe(0xa1);
      // the freed slot takes a push the next cycle, while popping: count stays
      dut.in.data.value = 0xa4;
      expect(dut.in.ready.value).toBe(1);
      await tb.rising();
      expect(dut.count.value).toBe(depth - 1);
      dut.in.valid.value = 0;
      const rest: number[] = [];
      while (dut.out.valid.value === 1) {
        rest.push(dut.out.data.value);
        await tb.rising();
      }
      expect(rest).toEqual([0xa2, 0xa3, 0xa4]);
      expect(dut.count.value).toBe(0);
      expect(dut.in.ready.value).toBe(1);
    }, { vcd: 'lib_fifo' });
  });

  it('streams one word per cycle through an empty FIFO and through a full one', async () => {
    for (const prefill of [0, 8]) {
      await simulate(new Fifo(16, 8), async (tb) => {
        await tb.reset();
        const data = Array.from({ length: 100 }, (_, i) => BigInt(i * 7 + 1));
        let sent: Transfer[] = [];
        const src = tb.fork(async () => {
          sent = await send(tb, tb.dut.in, data);
        });
        tb.dut.out.ready.value = 0;
        await tb.cycles(prefill + 2);
        const got = await receive(tb, tb.dut.out, data.length);
        await tb.join(src);
        expect(words(got)).toEqual(data);
        const t0 = got[0]!.cycle;
        expect(got.map((t) => t.cycle - t0)).toEqual(data.map((_, i) => i));
        const s0 = sent[0]!.cycle;
        if (prefill === 0) {
          expect(sent.map((t) => t.cycle - s0)).toEqual(data.map((_, i) => i));
        } else {
          // full: the source waits; the slot freed by the first pop takes a word the next cycle, then one a cycle
          expect(sent.slice(0, 8).map((t) => t.cycle - s0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
          expect(sent.slice(8).map((t) => t.cycle - t0)).toEqual(data.slice(8).map((_, i) => i + 1));
        }
      });
    }
  });
});
