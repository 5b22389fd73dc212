// Packet width converters and the dual-clock packet FIFO: random packets (random lengths, random err bits) go in
// under random valid and ready and must come out byte for byte, with their boundaries and err bits, at every width
// pair 64<->512, 128<->1024, 512<->1024. The reference is the packet list itself (the BFMs slice and reassemble
// beats independently of the design). Throughput: the narrow side moves one beat a cycle with nothing stalling.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClockDomain, elaborate } from '../../rtl/core/index.ts';
import { PacketAsyncFifo, PacketDownsizer, PacketUpsizer, packetWidthConverter } from '../../rtl/lib/index.ts';
import { simulate } from '../runtime/index.ts';
import { uniform } from './stream-bfm.ts';
import { receivePackets, sendPackets, type Packet } from '../jetstream/engine/packet-bfm.ts';

const packetArb = (maxLen: number) =>
  fc.record({
    len: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: maxLen })),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    err: fc.boolean(),
  });

function makePacket(p: { len: number; seed: number; err: boolean }, withErr: boolean): Packet {
  const r = uniform(p.seed);
  return { bytes: Uint8Array.from({ length: p.len }, () => Math.floor(r() * 256)), err: withErr && p.err };
}

const PAIRS: Array<[number, number]> = [
  [512, 64], [64, 512], [1024, 128], [128, 1024], [1024, 512], [512, 1024],
];

describe('PacketDownsizer / PacketUpsizer', () => {
  for (const [inW, outW] of PAIRS) {
    it(`${inW} -> ${outW} bits: random packets under random back-pressure arrive byte for byte with err`, async () => {
      let packetsChecked = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(packetArb(300), { minLength: 1, maxLength: 12 }),
          fc.boolean(),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (specs, withErr, pIn, pOut, seed) => {
            const packets = specs.map((s) => makePacket(s, withErr));
            const dut = packetWidthConverter({ inWidth: inW, outWidth: outW, err: withErr });
            expect(dut).toBeInstanceOf(inW > outW ? PacketDownsizer : PacketUpsizer);
            await simulate(dut, async (tb) => {
              await tb.reset();
              const [, got] = await Promise.all([
                sendPackets(tb, tb.dut.in, packets, { prob: pIn, rand: uniform(seed) }),
                receivePackets(tb, tb.dut.out, packets.length, { prob: pOut, rand: uniform(seed + 1) }),
              ]);
              expect(got.length).toBe(packets.length);
              got.forEach((g, i) => {
                expect(Buffer.from(g.bytes).toString('hex'), `packet ${i}`).toBe(Buffer.from(packets[i]!.bytes).toString('hex'));
                expect(g.err, `err of packet ${i}`).toBe(packets[i]!.err);
              });
              packetsChecked += got.length;
              // nothing more comes out
              for (let c = 0; c < 4; c++) {
                await tb.falling();
                expect(tb.dut.out.valid.value).toBe(0);
                await tb.rising();
              }
            });
          },
        ),
        { numRuns: 8 },
      );
      expect(packetsChecked).toBeGreaterThan(8);
    });
  }

  for (const [inW, outW] of PAIRS) {
    it(`${inW} -> ${outW} bits: the narrow side moves one beat every cycle when nothing stalls`, async () => {
      const lens = [1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 200, 300, 17];
      const packets = lens.map((len, i) => makePacket({ len, seed: i + 1, err: i % 2 === 0 }, true));
      const narrow = Math.min(inW, outW) / 8;
      const narrowBeats = lens.reduce((a, n) => a + Math.ceil(n / narrow), 0);
      await simulate(packetWidthConverter({ inWidth: inW, outWidth: outW, err: true }), async (tb) => {
        await tb.reset();
        const beatCycles: number[] = [];
        const side = inW > outW ? tb.dut.out : tb.dut.in;
        const watch = tb.fork(async () => {
          for (;;) {
            await tb.falling();
            const moved = side.valid.value === 1 && side.ready.value === 1;
            await tb.rising();
            if (moved) beatCycles.push(tb.cycle());
          }
        });
        const [, got] = await Promise.all([
          sendPackets(tb, tb.dut.in, packets),
          receivePackets(tb, tb.dut.out, packets.length),
        ]);
        void watch;
        expect(got.map((g) => g.bytes.length)).toEqual(lens);
        expect(got.map((g) => g.err)).toEqual(packets.map((p) => p.err));
        expect(beatCycles.length).toBe(narrowBeats);
        expect(beatCycles[beatCycles.length - 1]! - beatCycles[0]!).toBe(narrowBeats - 1);
      });
    });
  }

  it('rejects widths that are not multiples of each other, naming them', () => {
    expect(() => packetWidthConverter({ inWidth: 192, outWidth: 128 })).toThrow(/inWidth 192 and outWidth 128/);
    expect(() => new PacketUpsizer({ inWidth: 12, outWidth: 64 })).toThrow(/inWidth must be a positive multiple of 8, got 12/);
    expect(() => new PacketDownsizer({ inWidth: 64, outWidth: 512 })).toThrow(/inWidth 64 must be a multiple of outWidth 512/);
    expect(() => elaborate(new PacketUpsizer({ inWidth: 64, outWidth: 64 }))).not.toThrow();
  });
});

describe('PacketAsyncFifo', () => {
  for (const [wrPs, rdPs] of [[1000, 2560], [2560, 1000]] as const) {
    it(`random packets with err cross from a ${wrPs} ps clock to a ${rdPs} ps clock byte for byte`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(packetArb(200), { minLength: 1, maxLength: 10 }),
          fc.integer({ min: 1, max: 4 }),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (specs, depthLog2, pIn, pOut, seed) => {
            const wr = new ClockDomain('wr', { periodPs: wrPs });
            const rd = new ClockDomain('rd', { periodPs: rdPs });
            const packets = specs.map((s) => makePacket(s, true));
            const dut = new PacketAsyncFifo({ width: 64, depthLog2, err: true, wrDomain: wr, rdDomain: rd });
            expect(elaborate(dut).warnings.filter((w) => w.rule === 'cdc')).toEqual([]);
            await simulate(new PacketAsyncFifo({ width: 64, depthLog2, err: true, wrDomain: wr, rdDomain: rd }), async (tb) => {
              await tb.reset();
              const [, got] = await Promise.all([
                sendPackets(tb, tb.dut.in, packets, { domain: wr, prob: pIn, rand: uniform(seed) }),
                receivePackets(tb, tb.dut.out, packets.length, { domain: rd, prob: pOut, rand: uniform(seed + 1) }),
              ]);
              got.forEach((g, i) => {
                expect(Buffer.from(g.bytes).equals(Buffer.from(packets[i]!.bytes)), `packet ${i}`).toBe(true);
                expect(g.err, `err of packet ${i}`).toBe(packets[i]!.err);
              });
            });
          },
        ),
        { numRuns: 5 },
      );
    });
  }
});
