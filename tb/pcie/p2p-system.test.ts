// End to end: card 0's engine writes a buffer into card 1's chiplet stash and rings its doorbell, over a direct link
// and through a PCIe switch. Random transfers (any source offset, destination address, length up to megabytes, MPS)
// must land byte-exactly, and when the go interrupt rises every data byte is already in the stash (the flag never
// passes the data). The destination stash stalls at random times, so the credits run out and the sender waits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../runtime/index.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { PCIE_EP_REG, P2P_BIT, P2P_REG } from '../../rtl/corsair/pcie/regs.ts';
import { mulberry32 } from '../sim/random.ts';
import { P2pSystem, csrRead, randomBytes, readRam, startP2p } from './harness.ts';

const ADDR_BITS = 21; // 2 MiB stashes
const SRC = randomBytes(1 << ADDR_BITS, 2026);
const chipletBase = (k: number) => BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.CARD_BAR_SIZE) + BigInt(k) * BigInt(PCIE_MAP.CHIPLET_WINDOW);

interface Job { srcOff: number; dstOff: number; len: number; mps: number; flagValue: number; stallP: number; seed: number }

async function runJob(sys: () => P2pSystem, width: number, j: Job): Promise<{ cycles: number }> {
  let cycles = 0;
  await simulate(sys(), async (tb) => {
    const { dut } = tb;
    await tb.reset();
    const r = mulberry32(j.seed);
    if (dut.stall) tb.fork(async () => {
      for (;;) {
        // random stretches of a stalled stash
        const stop = (r() >>> 0) / 2 ** 32 < j.stallP ? (r() >>> 0) % 300 : 0;
        dut.stall!.value = 1;
        await tb.cycles(stop);
        dut.stall!.value = 0;
        await tb.cycles(1 + ((r() >>> 0) % 50));
      }
    });
    const base = chipletBase(1);
    const start = tb.cycle();
    await startP2p(tb, dut.csrA, {
      src: j.srcOff, dst: base + BigInt(j.dstOff), len: j.len, mps: j.mps, requesterId: 0x0100,
      flag: base + BigInt(PCIE_MAP.DOORBELL_OFFSET), flagValue: j.flagValue,
    });
    await tb.until(() => dut.goB.value === 1, { timeoutCycles: 200_000 + j.len });
    cycles = tb.cycle() - start;
    // the flag is seen: every byte must be there already
    const got = readRam(tb, tb.top.dstRam, 1 << ADDR_BITS);
    const want = new Uint8Array(1 << ADDR_BITS);
    want.set(SRC.subarray(j.srcOff, j.srcOff + j.len), j.dstOff);
    const firstBad = got.findIndex((b, i) => b !== want[i]);
    expect(firstBad, `first wrong byte at stash offset ${firstBad}`).toBe(-1);
    expect(csrRead(dut.csrB, PCIE_EP_REG.FLAG)).toBe(j.flagValue >>> 0);
    expect(csrRead(dut.csrB, PCIE_EP_REG.MALFORMED) + csrRead(dut.csrB, PCIE_EP_REG.UNSUPPORTED)).toBe(0);
    await tb.until(() => dut.doneA.value === 1, { timeoutCycles: 100 });
    expect(csrRead(dut.csrA, P2P_REG.STATUS)).toBe(P2P_BIT.STATUS_DONE);
    expect(dut.unclaimed.value).toBe(0);
  });
  return { cycles };
}

const jobArb = (maxLen: number) => fc.record({
  srcOff: fc.integer({ min: 0, max: (1 << ADDR_BITS) - 1 }),
  dstOff: fc.integer({ min: 0, max: (1 << ADDR_BITS) - 1 }),
  len: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: maxLen })),
  mps: fc.constantFrom(128, 256, 512, 1024, 2048, 4096),
  flagValue: fc.integer({ min: 0, max: 0xffff_ffff }),
  stallP: fc.constantFrom(0, 0.05, 0.3),
  seed: fc.integer(),
}).map((j) => ({ ...j, len: Math.min(j.len, (1 << ADDR_BITS) - j.srcOff, (1 << ADDR_BITS) - j.dstOff) }));

describe('peer-to-peer transfers land byte-exactly, flag last', () => {
  it('direct link, 128-bit datapath, few credits', async () => {
    const sys = () => new P2pSystem({ width: 128, addrBits: ADDR_BITS, src: SRC, path: 'direct', chiplet: 1, linkLatencyNs: 20, phCredits: 2, pdCredits: 256, stall: true });
    await fc.assert(fc.asyncProperty(jobArb(40_000), async (j) => { await runJob(sys, 128, j); }), { numRuns: 6 });
  });

  it('through a switch (650 ns), 512-bit datapath, random transfers up to 100 KB', async () => {
    const sys = () => new P2pSystem({ width: 512, addrBits: ADDR_BITS, src: SRC, path: 'switch', chiplet: 1, linkLatencyNs: 115, stall: true, phCredits: 16, pdCredits: 512 });
    await fc.assert(fc.asyncProperty(jobArb(100_000), async (j) => { await runJob(sys, 512, j); }), { numRuns: 4 });
  });

  it('through a switch: one unaligned 1.5 MB transfer with MPS 512', async () => {
    const sys = () => new P2pSystem({ width: 512, addrBits: ADDR_BITS, src: SRC, path: 'switch', chiplet: 1, linkLatencyNs: 115 });
    const r = await runJob(sys, 512, { srcOff: 12345, dstOff: 4097, len: 1_500_000, mps: 512, flagValue: 0xc0ffee, stallP: 0, seed: 1 });
    // at least one 64-byte beat a cycle for the data, plus 2 x 650 ns + 115 ns of latency
    expect(r.cycles).toBeGreaterThan(1_500_000 / 64 + 1415);
  });
});
