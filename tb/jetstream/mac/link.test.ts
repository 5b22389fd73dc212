// EthLink: the wire is a pure delay of ceil(latencyNs / period) clocks (at least 1) carrying every beat unchanged,
// idle after reset; bad parameters are refused with their value in the message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EthLink, linkCycles } from '../../../rtl/corsair/jetstream/link.ts';
import { simulate } from '../../runtime/index.ts';

describe('EthLink', () => {
  it('delays random beats by the latency in clocks, unchanged, idles at reset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 255 })), { minLength: 20, maxLength: 40 }), async (ns, beats) => {
        const n = linkCycles(ns, 6400);
        expect(n).toBe(Math.max(1, Math.ceil((ns * 1000) / 6400)));
        await simulate(new EthLink({ latencyNs: ns, periodPs: 6400 }), async (tb) => {
          const { dut } = tb;
          await tb.reset();
          expect(dut.b.data.big).toBe(0x0707070707070707n);
          expect(dut.b.ctrl.value).toBe(0xff);
          const seen: [bigint, number][] = [];
          for (let i = 0; i < beats.length + n; i++) {
            const [d, c] = beats[Math.min(i, beats.length - 1)]!;
            dut.a.data.big = d;
            dut.a.ctrl.value = c;
            await tb.rising();
            seen.push([dut.b.data.big, dut.b.ctrl.value]);
          }
          // the beat driven before edge i appears after edge i + n - 1
          for (let i = 0; i < beats.length; i++) expect(seen[i + n - 1]).toEqual(beats[i]);
        });
      }),
      { numRuns: 10 },
    );
  });

  it('refuses bad parameters', () => {
    expect(() => new EthLink({ width: 60 })).toThrow(/width.*60/);
    expect(() => new EthLink({ latencyNs: -1 })).toThrow(/latencyNs.*-1/);
    expect(() => new EthLink({ periodPs: 0 })).toThrow(/periodPs.*0/);
  });
});
