// The 64-bit MAC against independent references: tb/net's frame builder (padding, FCS by Node's zlib.crc32) and
// byte-level XGMII encoder/decoder. Loopback (MacTx -> EthLink -> MacRx) with random frames and gaps compared byte
// for byte on the wire and at the receiver; back-to-back minimum frames at line rate with the exact DIC wire;
// every bad-frame kind dropped and counted (store-and-forward) or flagged with err (cut-through).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Mac } from '../../../rtl/corsair/jetstream/mac.ts';
import { MAC_REG } from '../../../rtl/corsair/jetstream/mac-regs.ts';
import { simulate, type Testbench } from '../../runtime/index.ts';
import { FCS_RESIDUE, classify, fcsOf, wireFrame } from '../../net/frame.ts';
import { XgmiiTap } from '../../net/tap.ts';
import { encodeXgmii, beatToBits, type Beat } from '../../net/xgmii-ref.ts';
import { MacLoopback } from './loopback.ts';
import { badMix, encodeWithErrors, randomFrame } from './bad-frames.ts';
import { collectFrames, csrRead, sendFrames, xorshift, type RxFrame } from './bfm.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const padded = (b: Uint8Array) => wireFrame(b).subarray(0, Math.max(60, b.length));

/** Loopback run: send frames, return the wire capture, the received frames and the counters. */
async function loopback(frames: { bytes: Uint8Array; idle?: number }[], readyPct: number, seed: number, expectRx = frames.length) {
  let wire: ReturnType<XgmiiTap['frames']['slice']> = [];
  let tapBeats: Beat[] = [];
  const rx: RxFrame[] = [];
  const counters: Record<string, number> = {};
  const top = new MacLoopback({ latencyNs: 30 });
  await simulate(top, async (tb) => {
    const { dut } = tb;
    await tb.reset();
    const tap = new XgmiiTap(tb as unknown as Testbench, top.line, { keepBeats: true });
    tb.fork(() => collectFrames(tb as unknown as Testbench, dut.rxOut, rx, readyPct, xorshift(seed)));
    await sendFrames(tb as unknown as Testbench, dut.txIn, frames);
    await tb.until(() => rx.length === expectRx, { timeoutCycles: 400 + frames.reduce((a, f) => a + f.bytes.length / 2 + (f.idle ?? 0) * 2, 0) });
    await tb.cycles(20);
    for (const [k, a] of Object.entries(MAC_REG)) if (typeof a === 'number') counters[k] = await csrRead(tb as unknown as Testbench, dut.csr, a);
    wire = tap.frames;
    tapBeats = tap.beats;
  });
  return { wire, rx, counters, tapBeats };
}

describe('MAC FCS', () => {
  it('the FCS on the wire is zlib.crc32 of the padded frame, and every frame with its FCS leaves the residue 0x2144DF1C', async () => {
    const rand = xorshift(7);
    const frames = [1, 14, 59, 60, 61, 63, 64, 65, 100, 127, 128, 129, 300].map((n) => ({ bytes: randomFrame(rand, n), idle: 1 }));
    const { wire, counters } = await loopback(frames, 100, 1);
    expect(wire.length).toBe(frames.length);
    wire.forEach((w, i) => {
      const body = w.bytes.subarray(0, w.bytes.length - 4);
      const f = w.bytes.subarray(w.bytes.length - 4);
      expect(hex(body)).toBe(hex(padded(frames[i]!.bytes)));
      expect(Buffer.from(f).readUInt32LE(0)).toBe(fcsOf(body));
      expect(fcsOf(w.bytes)).toBe(FCS_RESIDUE);
    });
    expect(counters.TX_FRAMES).toBe(frames.length);
    expect(counters.RX_FRAMES).toBe(frames.length);
  });
});

describe('MAC loopback', () => {
  it('random frames and gaps, random receive back-pressure: the wire and the receiver match the references byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ len: fc.integer({ min: 1, max: 200 }), idle: fc.integer({ min: 0, max: 6 }), seed: fc.integer({ min: 1, max: 1e9 }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 40, max: 100 }),
        async (spec, readyPct) => {
          const frames = spec.map((s) => ({ bytes: randomFrame(xorshift(s.seed), s.len), idle: s.idle }));
          const { wire, rx, counters } = await loopback(frames, readyPct, spec.length * 31 + readyPct);
          expect(wire.map((w) => hex(w.bytes))).toEqual(frames.map((f) => hex(wireFrame(f.bytes))));
          expect(rx.map((r) => hex(r.bytes))).toEqual(frames.map((f) => hex(padded(f.bytes))));
          expect(rx.every((r) => !r.err)).toBe(true);
          for (let i = 1; i < wire.length; i++) {
            expect(wire[i]!.startPos % 8).toBe(0);
            expect(wire[i]!.startPos - wire[i - 1]!.endPos).toBeGreaterThanOrEqual(5);
          }
          const bytes = frames.reduce((a, f) => a + Math.max(64, f.bytes.length + 4), 0);
          expect(counters).toMatchObject({ TX_FRAMES: frames.length, TX_BYTES: bytes, RX_FRAMES: frames.length, RX_BYTES: bytes, RX_BAD_FCS: 0, RX_RUNT: 0, RX_OVERSIZE: 0, RX_TRUNCATED: 0, RX_DROPPED: 0, TX_UNDERRUN: 0 });
        },
      ),
      { numRuns: 12 },
    );
  });

  for (const [what, lens] of [
    ['minimum frames', Array(40).fill(60)],
    ['random lengths', Array.from({ length: 30 }, (_, i) => 1 + ((i * 37) % 150))],
  ] as const) {
    it(`back to back ${what}: the wire is the reference DIC encoding exactly, 12-byte average gap, line rate`, async () => {
      const rand = xorshift(99);
      const frames = lens.map((n) => ({ bytes: randomFrame(rand, n) }));
      const { tapBeats, rx } = await loopback(frames, 100, 3);
      const first = tapBeats.findIndex((b) => b.ctrl[0] && b.data[0] === 0xfb);
      const ref = encodeXgmii(frames.map((f) => wireFrame(f.bytes)), { tailBeats: 0 });
      const got = tapBeats.slice(first, first + ref.length).map(beatToBits);
      expect(got).toEqual(ref.map(beatToBits));
      expect(rx.length).toBe(frames.length);
      if (what === 'minimum frames') expect(ref.length).toBe(40 * 10.5); // 84 bytes a frame: 64 + 8 preamble + 12 gap
    });
  }
});

/** Send a reference-encoded beat stream into a Mac's receiver; collect the frames and counters. */
async function receive(beats: Beat[], opts: { cutThrough?: boolean; maxFrame?: number }) {
  const rx: RxFrame[] = [];
  const counters: Record<string, number> = {};
  await simulate(new Mac(opts), async (tb) => {
    const { dut } = tb;
    dut.xgmiiRx.data.big = 0x0707070707070707n;
    dut.xgmiiRx.ctrl.value = 0xff;
    await tb.reset();
    tb.fork(() => collectFrames(tb as unknown as Testbench, dut.rxOut, rx, 100));
    for (const b of beats) {
      const { data, ctrl } = beatToBits(b);
      dut.xgmiiRx.data.big = data;
      dut.xgmiiRx.ctrl.value = ctrl;
      await tb.rising();
    }
    dut.xgmiiRx.data.big = 0x0707070707070707n;
    dut.xgmiiRx.ctrl.value = 0xff;
    await tb.cycles(300 + beats.length);
    for (const [k, a] of Object.entries(MAC_REG)) if (typeof a === 'number') counters[k] = await csrRead(tb as unknown as Testbench, dut.csr, a);
  });
  return { rx, counters };
}

describe('MAC receive checks', () => {
  for (const cutThrough of [false, true]) {
    it(`bad FCS, runt, oversize and truncated frames are ${cutThrough ? 'flagged with err (cut-through)' : 'dropped'} and counted`, async () => {
      const { wires, truncateAt } = badMix(cutThrough ? 5 : 4);
      const { rx, counters } = await receive(encodeWithErrors(wires, truncateAt), { cutThrough });
      const verdicts = wires.map((w, i) => (truncateAt[i] !== undefined ? 'truncated' : classify(w)));
      const count = (v: string) => verdicts.filter((x) => x === v).length;
      expect(counters).toMatchObject({ RX_FRAMES: count('good'), RX_BAD_FCS: count('badFcs'), RX_RUNT: count('runt'), RX_OVERSIZE: count('oversize'), RX_TRUNCATED: count('truncated'), RX_DROPPED: 0 });
      expect(count('good')).toBe(6);
      const good = wires.filter((_, i) => verdicts[i] === 'good').map((w) => hex(w.subarray(0, w.length - 4)));
      if (!cutThrough) {
        expect(rx.map((r) => hex(r.bytes))).toEqual(good);
        expect(rx.every((r) => !r.err)).toBe(true);
      } else {
        expect(rx.filter((r) => !r.err).map((r) => hex(r.bytes))).toEqual(good);
        // every frame long enough to have passed a beat on comes out, with err on the bad ones
        expect(rx.filter((r) => r.err).length).toBe(verdicts.filter((v, i) => v !== 'good' && (truncateAt[i] ?? wires[i]!.length) > 8).length);
      }
    });
  }

  it('jumbo frames pass with maxFrame 9018, and a frame over it is dropped as oversize', async () => {
    const rand = xorshift(11);
    const wires = [wireFrame(randomFrame(rand, 9014)), wireFrame(randomFrame(rand, 9015)), wireFrame(randomFrame(rand, 3000))];
    const { rx, counters } = await receive(encodeXgmii(wires), { maxFrame: 9018 });
    expect(rx.map((r) => hex(r.bytes))).toEqual([wires[0]!, wires[2]!].map((w) => hex(w.subarray(0, w.length - 4))));
    expect(counters).toMatchObject({ RX_FRAMES: 2, RX_OVERSIZE: 1 });
  });
});

describe('MAC transmit corner cases', () => {
  it('err on the last beat sends the FCS inverted: the receiver drops and counts the frame', async () => {
    const rand = xorshift(21);
    const frames = [10, 70, 64, 200].map((n, i) => ({ bytes: randomFrame(rand, n), stomp: i % 2 === 0 }));
    const { wire, rx, counters } = await loopback(frames, 100, 5, 2);
    expect(wire.map((w) => hex(w.bytes))).toEqual(frames.map((f) => hex(wireFrame(f.bytes, { stomp: f.stomp }))));
    expect(rx.map((r) => hex(r.bytes))).toEqual(frames.filter((f) => !f.stomp).map((f) => hex(padded(f.bytes))));
    expect(counters).toMatchObject({ TX_FRAMES: 4, RX_FRAMES: 2, RX_BAD_FCS: 2 });
  });

  it('a client underrun ends the frame with /E/: counted on both sides, the next frame is intact', async () => {
    const rand = xorshift(22);
    const a = randomFrame(rand, 100), b = randomFrame(rand, 80);
    const rx: RxFrame[] = [];
    const top = new MacLoopback();
    await simulate(top, async (tb) => {
      const { dut } = tb;
      await tb.reset();
      const t = tb as unknown as Testbench;
      const tap = new XgmiiTap(t, top.line);
      tb.fork(() => collectFrames(t, dut.rxOut, rx));
      // frame a: 3 beats, a 2-cycle hole, then the rest (which the MAC discards)
      await sendFrames(t, dut.txIn, [{ bytes: a.subarray(0, 24), open: true }]);
      await tb.cycles(2);
      await sendFrames(t, dut.txIn, [{ bytes: a.subarray(24) }, { bytes: b }]);
      await tb.cycles(60);
      expect(rx.map((r) => hex(r.bytes))).toEqual([hex(b)]);
      expect(tap.frames.map((f) => f.status)).toEqual(['truncated', 'ok']);
      expect(await csrRead(t, dut.csr, MAC_REG.TX_UNDERRUN)).toBe(1);
      expect(await csrRead(t, dut.csr, MAC_REG.TX_FRAMES)).toBe(1);
      expect(await csrRead(t, dut.csr, MAC_REG.RX_TRUNCATED)).toBe(1);
      expect(await csrRead(t, dut.csr, MAC_REG.RX_FRAMES)).toBe(1);
    });
  });
});

describe('MAC receive buffer', () => {
  it('frames that find the store-and-forward buffer full are dropped and counted; writing a counter clears it', async () => {
    const rand = xorshift(23);
    const frames = Array.from({ length: 5 }, () => ({ bytes: randomFrame(rand, 60) }));
    const rx: RxFrame[] = [];
    await simulate(new MacLoopback({ bufferBeats: 16 }), async (tb) => {
      const { dut } = tb;
      const t = tb as unknown as Testbench;
      dut.rxOut.ready.value = 0;
      await tb.reset();
      await sendFrames(t, dut.txIn, frames);
      await tb.cycles(40);
      tb.fork(() => collectFrames(t, dut.rxOut, rx));
      await tb.cycles(40);
      expect(rx.map((r) => hex(r.bytes))).toEqual(frames.slice(0, 2).map((f) => hex(f.bytes)));
      expect(await csrRead(t, dut.csr, MAC_REG.RX_DROPPED)).toBe(3);
      expect(await csrRead(t, dut.csr, MAC_REG.RX_FRAMES)).toBe(2);
      dut.csr.en.value = 1; dut.csr.we.value = 1; dut.csr.addr.value = MAC_REG.RX_DROPPED;
      await tb.rising();
      dut.csr.we.value = 0;
      expect(await csrRead(t, dut.csr, MAC_REG.RX_DROPPED)).toBe(0);
      expect(await csrRead(t, dut.csr, MAC_REG.CONFIG)).toBe(1518 | (8 << 16));
    });
  });
});

describe('MAC parameters', () => {
  it('refuses bad parameters, naming the value', async () => {
    const { MacTx } = await import('../../../rtl/corsair/jetstream/mac-tx.ts');
    const { MacRx } = await import('../../../rtl/corsair/jetstream/mac-rx.ts');
    expect(() => new MacTx({ width: 1024 })).toThrow(/width.*1024/);
    expect(() => new MacRx({ width: 128 })).toThrow(/width.*128/);
    expect(() => new MacRx({ maxFrame: 63 })).toThrow(/maxFrame.*63/);
    expect(() => new MacRx({ bufferBeats: 100 })).toThrow(/bufferBeats.*100/);
  });
});
