// Counters against a model, cycle by cycle, under random enable, clear and load: count, terminal count and wrap.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Counter, UpDownCounter } from '../../rtl/lib/index.ts';
import { simulate } from '../runtime/index.ts';
import { uniform } from './stream-bfm.ts';

describe('Counter', () => {
  it('matches a model under random en/clear/load, for free-running and modulo counters', async () => {
    let wraps = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }).chain((width) =>
          fc.tuple(fc.constant(width), fc.option(fc.integer({ min: 0, max: 2 ** width - 1 }), { nil: undefined })),
        ),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async ([width, max], enPct, seed) => {
          const top = max ?? 2 ** width - 1;
          await simulate(
            new Counter(width, { max }),
            async (tb) => {
              const { dut } = tb;
              await tb.reset();
              const rand = uniform(seed);
              let count = 0;
              for (let i = 0; i < 500; i++) {
                const en = rand() * 100 < enPct;
                const clear = rand() < 0.02;
                const load = rand() < 0.03;
                // loads stay within 0..max, as a modulo counter expects
                const loadValue = Math.floor(rand() * (top + 1));
                dut.en.value = en ? 1 : 0;
                dut.clear.value = clear ? 1 : 0;
                dut.load.value = load ? 1 : 0;
                dut.loadValue.value = loadValue;
                await tb.falling();
                const wrap = en && !clear && !load && count === top;
                tb.expectEqual(dut.count.value, count, 'count');
                tb.expectEqual(dut.tc.value, count === top ? 1 : 0, 'tc');
                tb.expectEqual(dut.wrap.value, wrap ? 1 : 0, 'wrap');
                if (wrap) wraps++;
                await tb.rising();
                if (clear) count = 0;
                else if (load) count = loadValue;
                else if (en) count = count === top ? 0 : count + 1;
              }
            },
            { randomInit: seed },
          );
        },
      ),
      { numRuns: 60 },
    );
    expect(wraps).toBeGreaterThan(20);
  });

  it('counts 0..9 and wraps as a decade counter', async () => {
    await simulate(
      new Counter(4, { max: 9 }),
      async (tb) => {
        await tb.reset();
        tb.dut.en.value = 1;
        const seen: number[] = [];
        const wrapAt: number[] = [];
        for (let i = 0; i < 25; i++) {
          seen.push(tb.dut.count.value);
          if (tb.dut.wrap.value) wrapAt.push(i);
          await tb.rising();
        }
        expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i % 10));
        expect(wrapAt).toEqual([9, 19]);
      },
      { vcd: 'lib_counter' },
    );
  });
});

describe('UpDownCounter', () => {
  it('matches a model under random en/up/clear/load', async () => {
    let wraps = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (width, upPct, seed) => {
        const mod = 2 ** width;
        await simulate(
          new UpDownCounter(width),
          async (tb) => {
            const { dut } = tb;
            await tb.reset();
            const rand = uniform(seed);
            let count = 0;
            for (let i = 0; i < 500; i++) {
              const en = rand() < 0.8;
              const up = rand() * 100 < upPct;
              const clear = rand() < 0.02;
              const load = rand() < 0.03;
              const loadValue = Math.floor(rand() * mod);
              dut.en.value = en ? 1 : 0;
              dut.up.value = up ? 1 : 0;
              dut.clear.value = clear ? 1 : 0;
              dut.load.value = load ? 1 : 0;
              dut.loadValue.value = loadValue;
              await tb.falling();
              const wrap = en && !clear && !load && (up ? count === mod - 1 : count === 0);
              tb.expectEqual(dut.count.value, count, 'count');
              tb.expectEqual(dut.wrap.value, wrap ? 1 : 0, 'wrap');
              if (wrap) wraps++;
              await tb.rising();
              if (clear) count = 0;
              else if (load) count = loadValue;
              else if (en) count = (count + (up ? 1 : mod - 1)) % mod;
            }
          },
          { randomInit: seed },
        );
      }),
      { numRuns: 60 },
    );
    expect(wraps).toBeGreaterThan(20);
  });
});
