// The peer-to-peer engine's TLPs, byte for byte, against the reference encoder: random source offsets,
// destinations (below and above 4 GB), lengths and MPS, under random back-pressure; the flag write comes last
// with RO off; bad MPS and an unaligned flag address fail START with ERROR.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../runtime/index.ts';
import { P2P_BIT, P2P_REG } from '../../rtl/corsair/pcie/regs.ts';
import { encodeMemWrite, splitTransfer } from './tlp-ref.ts';
import { EngineTop, collectPackets, csrRead, csrWrite, randomBytes, startP2p, type P2pJob } from './harness.ts';

/** The TLPs the reference says the engine must send for a job. */
function expectedTlps(job: P2pJob, src: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let tag = 0;
  let off = job.src;
  for (const p of splitTransfer(job.dst, job.len, job.mps)) {
    out.push(encodeMemWrite({ addr: p.addr, data: src.slice(off, off + p.length), requesterId: job.requesterId, tag: tag++ & 0xff, ro: !!job.roData }));
    off += p.length;
  }
  const v = job.flagValue >>> 0;
  out.push(encodeMemWrite({ addr: job.flag, data: Uint8Array.of(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24), requesterId: job.requesterId, tag: tag & 0xff }));
  return out;
}

async function runEngine(width: number, job: P2pJob, src: Uint8Array, idle: number, seed: number): Promise<Uint8Array[]> {
  let pkts: Uint8Array[] = [];
  await simulate(new EngineTop({ width, addrBits: 16, src }), async (tb) => {
    const { dut } = tb;
    await tb.reset();
    pkts = collectPackets(tb, dut.tlp, width, { idle, seed });
    await startP2p(tb, dut.csr, job);
    await tb.until(() => dut.irq.value === 1, { timeoutCycles: 50_000 });
    await tb.cycles(2);
    expect(csrRead(dut.csr, P2P_REG.STATUS)).toBe(P2P_BIT.STATUS_DONE);
    await csrWrite(tb, dut.csr, P2P_REG.CMD, P2P_BIT.CMD_ACK);
    expect(dut.irq.value).toBe(0);
  });
  return pkts;
}

describe('P2pEngine TLPs match the reference encoder byte for byte', () => {
  const src = randomBytes(1 << 16, 11);
  for (const width of [128, 512]) {
    it(`width ${width}: random jobs under back-pressure`, async () => {
      await fc.assert(fc.asyncProperty(
        fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 6000 }),
        fc.oneof(fc.bigInt({ min: 0n, max: 0xffff_ffffn }), fc.bigInt({ min: 1n << 32n, max: (1n << 48n) })),
        fc.constantFrom(128, 256, 512, 4096), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.boolean(), fc.constantFrom(0, 0.3), fc.integer(),
        async (s, len, dst, mps, rid, fv, ro, idle, seed) => {
          const job: P2pJob = { src: s, dst, len, flag: 0x10_007f_f000n, flagValue: fv, mps, requesterId: rid, roData: ro };
          const got = await runEngine(width, job, src, idle, seed);
          const want = expectedTlps(job, src);
          expect(got.length).toBe(want.length);
          got.forEach((g, i) => expect(Buffer.from(g).toString('hex'), `TLP ${i}`).toBe(Buffer.from(want[i]!).toString('hex')));
        }), { numRuns: width === 128 ? 12 : 8 });
    });
  }

  it('bad MPS and an unaligned flag address fail with ERROR and send nothing', async () => {
    for (const bad of [{ mps: 100 }, { mps: 8192 }, { mps: 256, flag: 0x1000_0002n }]) {
      await simulate(new EngineTop({ width: 128, addrBits: 16, src: new Uint8Array(64) }), async (tb) => {
        const { dut } = tb;
        await tb.reset();
        const pkts = collectPackets(tb, dut.tlp, 128);
        await startP2p(tb, dut.csr, { src: 0, dst: 0x1000n, len: 64, flag: bad.flag ?? 0x2000n, flagValue: 1, mps: bad.mps, requesterId: 0 });
        await tb.cycles(50);
        expect(csrRead(dut.csr, P2P_REG.STATUS)).toBe(P2P_BIT.STATUS_DONE | P2P_BIT.STATUS_ERROR);
        expect(pkts.length).toBe(0);
      });
    }
  });
});
