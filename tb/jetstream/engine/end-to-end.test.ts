// End to end, from a PCIe peer-to-peer write on one server to the stash of a card on the other: node 0's engine,
// a leaf switch, node 1's engine (TwoNodes fixture, one 1 GHz clock, 512-bit paths). The Memory Writes node 1
// issues are decoded with tb/pcie/tlp-ref.ts and applied to a byte map of the card BARs: every transfer must land
// byte for byte, each "go" after all the data of its transfer. The hop latency of a 4 KB transfer + go (first TLP
// beat into node 0 to the last beat of the go write out of node 1) is measured and must be under 2 us.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../../runtime/index.ts';
import { uniform } from '../../lib/stream-bfm.ts';
import { decodeTlp, encodeMemWrite, splitTransfer } from '../../pcie/tlp-ref.ts';
import { MAP } from './framing-ref.ts';
import { receivePackets, sendPackets } from './packet-bfm.ts';
import { remoteAddr } from './traffic.ts';
import { TwoNodes } from './two-nodes.ts';

interface Transfer { card: number; chiplet: number; offset: number; length: number; mps: number; seed: number }

function data(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** The TLPs node 0's P2P engine would send for a transfer to node 1, then the go write (4 bytes, the doorbell). */
function transferTlps(t: Transfer, tagBase: number): { tlps: Uint8Array[]; bytes: Uint8Array; stashAddr: bigint; goAddr: bigint } {
  const within = BigInt(t.chiplet) * MAP.CHIPLET_WINDOW + BigInt(t.offset);
  const src = remoteAddr(1, t.card, within);
  const bytes = data(t.seed, t.length);
  let done = 0;
  const tlps = splitTransfer(src, t.length, t.mps).map((p, i) => {
    const tlp = encodeMemWrite({ addr: p.addr, data: bytes.slice(done, done + p.length), requesterId: 0x0300, tag: (tagBase + i) & 0xff });
    done += p.length;
    return tlp;
  });
  const goWithin = BigInt(t.chiplet) * MAP.CHIPLET_WINDOW + MAP.DOORBELL_OFFSET;
  tlps.push(encodeMemWrite({ addr: remoteAddr(1, t.card, goWithin), data: Uint8Array.of(1, 0, 0, 0), requesterId: 0x0300, tag: 0 }));
  const bar = MAP.CARD_BAR_BASE + BigInt(t.card) * MAP.CARD_BAR_SIZE;
  return { tlps, bytes, stashAddr: bar + within, goAddr: bar + goWithin };
}

describe('JetStream end to end (engine, leaf switch, engine)', () => {
  it('random transfers + go land byte for byte in the remote card, each go after its data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
          card: fc.integer({ min: 0, max: 15 }),
          chiplet: fc.integer({ min: 0, max: 7 }),
          offset: fc.integer({ min: 0, max: 0x7f_0000 }),
          length: fc.integer({ min: 1, max: 6000 }),
          mps: fc.constantFrom(128, 256, 512, 4096),
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom<'cut-through' | 'store-and-forward'>('cut-through', 'store-and-forward'),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (transfers, mode, pOut, seed) => {
          const plans = transfers.map((t, i) => transferTlps(t, i * 16));
          const tlps = plans.flatMap((p) => p.tlps);
          await simulate(new TwoNodes({ mode, switchLatencyNs: 20 }), async (tb) => {
            await tb.reset();
            const [, got] = await Promise.all([
              sendPackets(tb, tb.dut.aTx, tlps.map((bytes) => ({ bytes })), { prob: 0.8, rand: uniform(seed) }),
              receivePackets(tb, tb.dut.bRx, tlps.length, { prob: pOut, rand: uniform(seed + 1) }),
            ]);
            // apply the writes to the card BARs, in arrival order
            const mem = new Map<bigint, number>();
            const goSeenAfter: number[] = [];
            got.forEach((g, i) => {
              const t = decodeTlp(g.bytes);
              expect(t.requesterId).toBe(0x0100);
              for (const b of t.bytes) mem.set(b.addr, b.value);
              if (plans.some((p) => p.goAddr === t.addr)) goSeenAfter.push(i);
            });
            let at = 0;
            plans.forEach((p, k) => {
              at += p.tlps.length;
              // the go of transfer k is the write right after its data (the last of its group)
              expect(goSeenAfter[k], `go of transfer ${k}`).toBe(at - 1);
              const landed = Uint8Array.from({ length: p.bytes.length }, (_, i) => mem.get(p.stashAddr + BigInt(i)) ?? -1);
              // a later transfer may overwrite an earlier one's bytes: compare only against the last writer
              const later = plans.slice(k + 1);
              for (let i = 0; i < p.bytes.length; i++) {
                const a = p.stashAddr + BigInt(i);
                if (later.some((q) => a >= q.stashAddr && a < q.stashAddr + BigInt(q.bytes.length))) continue;
                if (landed[i] !== p.bytes[i]) expect.fail(`transfer ${k}: byte ${i} at 0x${a.toString(16)} is ${landed[i]}, expected ${p.bytes[i]}`);
              }
            });
          });
        },
      ),
      { numRuns: 10 },
    );
  });

  it('starts cleanly from a random initial state: the sequence tables (RAMs, no reset) are swept after reset', async () => {
    for (const seed of [1, 2, 3]) {
      const plan = transferTlps({ card: 5, chiplet: 1, offset: 0x2000, length: 3000, mps: 512, seed }, 0);
      await simulate(new TwoNodes(), async (tb) => {
        await tb.reset();
        const [, got] = await Promise.all([
          sendPackets(tb, tb.dut.aTx, plan.tlps.map((bytes) => ({ bytes }))),
          receivePackets(tb, tb.dut.bRx, plan.tlps.length, { maxCycles: 2000 }),
        ]);
        const mem = new Map<bigint, number>();
        for (const g of got) for (const b of decodeTlp(g.bytes).bytes) mem.set(b.addr, b.value);
        const landed = Uint8Array.from({ length: 3000 }, (_, i) => mem.get(plan.stashAddr + BigInt(i)) ?? -1);
        expect(Buffer.from(landed).equals(Buffer.from(plan.bytes))).toBe(true);
        expect(decodeTlp(got[got.length - 1]!.bytes).addr).toBe(plan.goAddr);
        // node 1 saw no gap, no late frame, and withheld no go
        for (const reg of [5, 7, 10]) {
          tb.dut.bCsr.addr.value = reg;
          await tb.falling();
          expect(tb.dut.bCsr.rdata.value, `register ${reg}`).toBe(0);
          await tb.rising();
        }
      }, { randomInit: seed });
    }
  });

  it('a 4 KB transfer + go crosses one hop in well under 2 us (published bound), in both switch modes', async () => {
    const figures: string[] = [];
    for (const mode of ['cut-through', 'store-and-forward'] as const) {
      for (const mps of [256, 512]) {
        const plan = transferTlps({ card: 2, chiplet: 3, offset: 0x1000, length: 4096, mps, seed: 7 }, 0);
        await simulate(new TwoNodes({ mode, switchLatencyNs: 0 }), async (tb) => {
          await tb.reset();
          let firstIn = -1;
          const [, got] = await Promise.all([
            sendPackets(tb, tb.dut.aTx, plan.tlps.map((bytes) => ({ bytes })), { onFirstBeat: (i, c) => { if (i === 0) firstIn = c; } }),
            receivePackets(tb, tb.dut.bRx, plan.tlps.length),
          ]);
          const go = decodeTlp(got[got.length - 1]!.bytes);
          expect(go.addr).toBe(plan.goAddr);
          const cycles = got[got.length - 1]!.lastCycle - firstIn;
          const ns = cycles * 1; // 1 GHz
          figures.push(`${mode}, MPS ${mps}: ${plan.tlps.length} TLPs, ${ns} ns engine + switch (minimum switch latency)`);
          expect(ns).toBeLessThan(2000);
          expect(ns).toBeGreaterThan(4096 / 64); // at least the payload's beats
        });
      }
    }
    console.log(`JetStream hop, 4 KB + go, 512-bit paths at 1 GHz:\n  ${figures.join('\n  ')}`);
  });
});
