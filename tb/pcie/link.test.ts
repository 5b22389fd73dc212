// The link model: posted credits under starvation (the receiver stops draining for random stretches: the sender
// stalls, nothing is lost, reordered or duplicated, the buffer never overflows and every credit comes back), the
// rate limit (63 GB/s with 8 bytes of framing a TLP) and the latency in cycles, against numbers computed here.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../runtime/index.ts';
import { PcieLink } from '../../rtl/corsair/pcie/link.ts';
import { mulberry32 } from '../sim/random.ts';
import { encodeMemWrite } from './tlp-ref.ts';
import { sendPackets } from './harness.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function randomTlps(seed: number, n: number, maxLen: number): Uint8Array[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const addr = 0x10_0000_0000n + BigInt((r() >>> 0) & 0xf000) + BigInt((r() >>> 0) & 0x3);
    const len = (r() >>> 0) % (maxLen + 1);
    return encodeMemWrite({ addr, data: Uint8Array.from({ length: len }, () => r() & 0xff), requesterId: 0x100, tag: i & 0xff });
  });
}

describe('PcieLink', () => {
  it('credit starvation at random times loses nothing and returns every credit', async () => {
    // two link configurations (each is its own Verilator build under COSIM): 1 PH credit and 32 PD (512 bytes),
    // or 4 PH and 80 PD with 20 ns of latency
    await fc.assert(fc.asyncProperty(fc.integer(), fc.constantFrom([128, 1, 32, 0] as const, [512, 4, 80, 20] as const),
      async (seed, [width, ph, pd, latencyNs]) => {
        const tlps = randomTlps(seed, 30, 500);
        const W = width / 8;
        await simulate(new PcieLink({ width, phCredits: ph, pdCredits: pd, latencyNs, maxPayload: 512 }), async (tb) => {
          const { dut } = tb;
          await tb.reset();
          const got: Uint8Array[] = [];
          let cur: number[] = [];
          let creditStalls = 0;
          const r = mulberry32(seed ^ 0x5a5a);
          tb.fork(async () => {
            for (;;) {
              // drain for a while, then starve the sender for a random stretch
              const stop = (r() >>> 0) % 3 === 0 ? (r() >>> 0) % 150 : 0;
              dut.out.ready.value = 0;
              for (let i = 0; i < stop; i++) {
                await tb.falling();
                if (dut.in.valid.value && !dut.in.ready.value && dut.phAvail.value === 0) creditStalls++;
                await tb.rising();
              }
              dut.out.ready.value = 1;
              for (let i = 0; i < 1 + ((r() >>> 0) % 20); i++) {
                await tb.falling();
                if (dut.out.valid.value) {
                  const d = dut.out.data.big;
                  const n = dut.out.last.value ? dut.out.bytes.value : W;
                  for (let b = 0; b < n; b++) cur.push(Number((d >> BigInt(8 * b)) & 0xffn));
                  if (dut.out.last.value) { got.push(Uint8Array.from(cur)); cur = []; }
                }
                await tb.rising();
              }
            }
          });
          await sendPackets(tb, dut.in, width, tlps, { seed });
          await tb.until(() => got.length === tlps.length, { timeoutCycles: 100_000 });
          expect(got.map(hex)).toEqual(tlps.map(hex));
          expect(dut.overflow.value).toBe(0);
          await tb.cycles(latencyNs + 5);
          expect(dut.phAvail.value).toBe(ph);
          if (ph === 1) expect(creditStalls).toBeGreaterThan(0);
        });
      }), { numRuns: 10 });
  });

  for (const payload of [256, 4096]) {
    it(`rate with ${payload}-byte writes: 63 GB/s less framing and headers, or one beat a cycle; latency in cycles`, async () => {
      const width = 512;
      const n = payload === 256 ? 200 : 20;
      const tlps = Array.from({ length: n }, (_, i) => encodeMemWrite({ addr: 0x10_0000_0000n + BigInt(payload * i), data: new Uint8Array(payload).fill(i), requesterId: 1, tag: i & 0xff }));
      const beatsPerTlp = Math.ceil((16 + payload) / 64);
      await simulate(new PcieLink({ width, latencyNs: 115 }), async (tb) => {
        const { dut } = tb;
        await tb.reset();
        dut.out.ready.value = 1;
        let first = -1, last = -1, firstOut = -1, beats = 0;
        tb.fork(async () => {
          for (;;) {
            await tb.falling();
            if (dut.in.valid.value && dut.in.ready.value && first < 0) first = tb.cycle();
            if (dut.out.valid.value) { if (firstOut < 0) firstOut = tb.cycle(); beats++; if (beats === n * beatsPerTlp) last = tb.cycle(); }
            await tb.rising();
          }
        });
        await sendPackets(tb, dut.in, width, tlps);
        await tb.until(() => last >= 0, { timeoutCycles: 10_000 });
        // on the wire a TLP is 8 framing + 16 header + payload bytes at 63 bytes a cycle; the 64-byte datapath
        // carries one TLP's beat a cycle, so a TLP also needs ceil((16 + payload) / 64) cycles
        const perTlp = Math.max((8 + 16 + payload) / 63, beatsPerTlp);
        const span = last - firstOut + 1;
        expect(Math.abs(span - n * perTlp) / (n * perTlp)).toBeLessThan(0.02);
        expect(firstOut - first).toBe(115 + 1);
      });
    });
  }
});
