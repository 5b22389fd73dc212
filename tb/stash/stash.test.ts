// The stash against a plain reference memory (tb/stash/stash-ref.ts): random traffic on every port at once with
// random offers and bank-conflict back-pressure (fast-check over sizes, banks, word widths, latencies, port counts
// and the priority port); full throughput (banks x word bytes a cycle) when the ports never share a bank; the
// priority port winning its bank; option validation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Stash, stashPortNames, type StashOptions } from '../../rtl/corsair/stash/stash.ts';
import { simulate } from '../runtime/index.ts';
import { allPortTraffic, readBack } from './traffic.ts';
import { cosimMode, propTimeout, runs } from './cosim-runs.ts';

describe('Stash', () => {
  it('matches the reference memory under random traffic on all ports at once', async () => {
    const seen = { stalls: 0, cpuReads: 0, cpuWrites: 0, runs: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          banks: fc.constantFrom(1, 2, 4, 8),
          wordBytes: fc.constantFrom(4, 8, 16),
          rows: fc.integer({ min: 1, max: 6 }),
          readLatency: fc.integer({ min: 1, max: 3 }),
          muPorts: fc.integer({ min: 0, max: 2 }),
          prio: fc.integer({ min: -1, max: 5 }),
        }),
        fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        async (c, offer, seed) => {
          const names = stashPortNames(c.muPorts);
          const opts: StashOptions = {
            sizeBytes: c.banks * c.wordBytes * c.rows, banks: c.banks, wordBytes: c.wordBytes, readLatency: c.readLatency,
            muPorts: c.muPorts, priority: c.prio < 0 || c.prio >= names.length ? undefined : names[c.prio],
          };
          await simulate(new Stash(opts), async (tb) => {
            await tb.reset();
            const s = await allPortTraffic(tb, { cycles: 250, seed, offer });
            await readBack(tb, s.ref);
            seen.stalls += s.stalls.reduce((a, b) => a + b, 0);
            seen.cpuReads += s.cpuReads;
            seen.cpuWrites += s.cpuWrites;
            // every port got served
            for (let i = 0; i < names.length; i++) expect(s.handshakes[i], names[i]).toBeGreaterThan(0);
          });
          seen.runs++;
        },
      ),
      { numRuns: runs(14), seed: 0x57a5 },
    );
    // the runs did exercise back-pressure and both kinds of cpu access
    const k = cosimMode ? 4 : 1; // fewer cases under COSIM
    expect(seen.stalls).toBeGreaterThan(100 / k);
    expect(seen.cpuReads).toBeGreaterThan(50 / k);
    expect(seen.cpuWrites).toBeGreaterThan(50 / k);
  }, propTimeout);

  it('moves banks x wordBytes bytes a cycle when the ports never share a bank', async () => {
    for (const [banks, muPorts] of [[4, 1], [8, 5]] as const) {
      const wordBytes = 16;
      const st = new Stash({ sizeBytes: banks * wordBytes * 16, banks, wordBytes, muPorts, readLatency: 2 });
      await simulate(st, async (tb) => {
        const { dut } = tb;
        await tb.reset();
        const wide = [dut.dma, dut.pcieIn, dut.pcieOut, ...(dut.mu ?? [])];
        expect(wide.length).toBe(banks);
        const cycles = 64;
        let moved = 0;
        let responses = 0;
        // port k streams through consecutive words starting at word k: in every cycle all ports hit different banks
        const pos = wide.map((_, k) => k);
        for (let c = 0; c < cycles; c++) {
          wide.forEach((p, k) => {
            p.req.valid.value = 1;
            p.req.we.value = k < 3 && (c & 1) ? 1 : 0;
            p.req.be.big = (1n << BigInt(wordBytes)) - 1n;
            p.req.addr.value = (pos[k]! % (banks * 16)) * wordBytes;
          });
          await tb.falling();
          wide.forEach((p, k) => {
            if (p.req.ready.value) {
              moved += wordBytes;
              pos[k]!++;
            }
            responses += p.rsp.valid.value;
          });
          await tb.rising();
        }
        expect(moved / cycles).toBe(banks * wordBytes);
        expect(responses).toBeGreaterThan(0);
      });
    }
  });

  it('grants the priority port its bank over round robin', async () => {
    await simulate(new Stash({ sizeBytes: 256, banks: 2, wordBytes: 8, muPorts: 1, priority: 'mu0' }), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      // everybody asks for bank 0 every cycle: mu0 always wins, the others wait
      for (const p of [dut.dma, dut.pcieIn, dut.pcieOut, ...(dut.mu ?? [])]) {
        p.req.valid.value = 1;
        p.req.we.value = 0;
        p.req.addr.value = 16;
      }
      for (let c = 0; c < 10; c++) {
        await tb.falling();
        expect([dut.dma, dut.pcieIn, dut.pcieOut, dut.mu[0]!].map((p) => p.req.ready.value)).toEqual([0, 0, 0, 1]);
        await tb.rising();
      }
      // without mu0 the others take turns
      dut.mu[0]!.req.valid.value = 0;
      const order: number[] = [];
      for (let c = 0; c < 6; c++) {
        await tb.falling();
        const r = [dut.dma, dut.pcieIn, dut.pcieOut].map((p) => p.req.ready.value);
        expect(r.reduce((a, b) => a + b, 0)).toBe(1);
        order.push(r.indexOf(1));
        await tb.rising();
      }
      expect(new Set(order.slice(0, 3)).size).toBe(3);
    });
  });

  it('validates its options', () => {
    expect(() => new Stash({ banks: 3 })).toThrow(/banks must be a power of two.*got 3/);
    expect(() => new Stash({ wordBytes: 48 })).toThrow(/wordBytes .* got 48/);
    expect(() => new Stash({ readLatency: 0 })).toThrow(/readLatency .* got 0/);
    expect(() => new Stash({ sizeBytes: 1000 })).toThrow(/sizeBytes .* got 1000/);
    expect(() => new Stash({ muPorts: -1 })).toThrow(/muPorts .* got -1/);
    expect(() => new Stash({ priority: 'mu2' })).toThrow(/priority must be one of cpu, dma, pcieIn, pcieOut, mu0, mu1, got 'mu2'/);
  });
});
