// The wide (400G) MAC against independent references: tb/net's frame builder (padding, FCS by Node's zlib.crc32)
// and byte-level XGMII encoder/decoder (starts on any 64-bit group). Loopback Mac400Tx -> EthLink -> Mac400Rx at
// 1024 bits (and 256 bits) with random frames, gaps and back-pressure, compared byte for byte on the wire and at
// the receiver; back-to-back large frames at line rate with the exact DIC wire; bad frames dropped and counted.
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Mac400 } from '../../../rtl/corsair/jetstream/mac400.ts';
import { Mac400Tx } from '../../../rtl/corsair/jetstream/mac400-tx.ts';
import { Mac400Rx } from '../../../rtl/corsair/jetstream/mac400-rx.ts';
import { MAC_REG } from '../../../rtl/corsair/jetstream/mac-regs.ts';
import { simulate, type Testbench } from '../../runtime/index.ts';
import { FCS_RESIDUE, classify, fcsOf, wireFrame } from '../../net/frame.ts';
import { XgmiiTap } from '../../net/tap.ts';
import { encodeXgmii, beatToBits, type Beat } from '../../net/xgmii-ref.ts';
import { badMix, encodeWithErrors, randomFrame } from '../mac/bad-frames.ts';
import { csrRead, xorshift, type RxFrame } from '../mac/bfm.ts';
import { collectWide, sendWide, type WideTxFrame } from './bfm.ts';
import { Mac400Loopback } from './loopback.ts';

// with COSIM=verilator every run is replayed on Verilator, whose build of a 1024-bit design takes minutes here
vi.setConfig({ testTimeout: 900_000 });

/** A beat as bigints (beatToBits packs ctrl into a number, which only holds 32 lanes). */
const beatBits = (b: Beat) => ({ data: beatToBits(b).data, ctrl: b.ctrl.reduce((a, c, l) => a | ((c ? 1n : 0n) << BigInt(l)), 0n) });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const padded = (b: Uint8Array) => wireFrame(b).subarray(0, Math.max(60, b.length));

/**
 * The frames of a captured wire the wide receiver cannot check (its documented limitation): a frame that starts and
 * ends inside one beat in which the frame before it ended. Computed from the reference decoder's positions.
 */
function enclosed(wire: { startPos: number; endPos: number }[], lanes: number): boolean[] {
  const beatOf = (p: number) => Math.floor(p / lanes);
  return wire.map((f, i) => i > 0 && beatOf(f.startPos) === beatOf(f.endPos) && beatOf(wire[i - 1]!.endPos) === beatOf(f.startPos));
}

/** Loopback run: every frame onto the wire, then every frame the receiver can take out of it. */
async function loopback(width: number, frames: WideTxFrame[], readyPct: number, seed: number, maxFrame = 1518) {
  const B = width / 8;
  let wire: XgmiiTap['frames'] = [];
  let tapBeats: Beat[] = [];
  let lost: boolean[] = [];
  const rx: RxFrame[] = [];
  const counters: Record<string, number> = {};
  const top = new Mac400Loopback({ width, latencyNs: 8, maxFrame });
  await simulate(top, async (tb) => {
    const t = tb as unknown as Testbench;
    await tb.reset();
    const tap = new XgmiiTap(t, top.line, { keepBeats: true });
    tb.fork(() => collectWide(t, tb.dut.rxOut, rx, B, readyPct, xorshift(seed)));
    await sendWide(t, tb.dut.txIn, frames, B);
    const budget = 200 + frames.reduce((a, f) => a + (4 * f.bytes.length) / B + (f.idle ?? 0) * 2, 0);
    await tb.until(() => tap.frames.length === frames.length, { timeoutCycles: budget });
    lost = enclosed(tap.frames, B);
    const expectRx = tap.frames.filter((w, i) => w.status === 'ok' && !lost[i] && !frames[i]!.stomp).length;
    await tb.until(() => rx.length === expectRx, { timeoutCycles: budget });
    await tb.cycles(10);
    for (const [k, a] of Object.entries(MAC_REG)) if (typeof a === 'number') counters[k] = await csrRead(t, tb.dut.csr, a);
    wire = tap.frames;
    tapBeats = tap.beats;
  });
  return { wire, rx, counters, tapBeats, lost };
}

describe('Mac400 loopback', () => {
  it('FCS on the wire is zlib.crc32 of the padded frame for lengths around the group, beat and padding edges', async () => {
    const rand = xorshift(7);
    const lens = [1, 59, 60, 61, 63, 64, 120, 124, 125, 127, 128, 129, 131, 135, 136, 255, 256, 257, 300, 1000, 1514];
    const frames = lens.map((n) => ({ bytes: randomFrame(rand, n), idle: 1 }));
    const { wire, rx, counters } = await loopback(1024, frames, 100, 1);
    expect(wire.map((w) => hex(w.bytes))).toEqual(frames.map((f) => hex(wireFrame(f.bytes))));
    wire.forEach((w) => expect(fcsOf(w.bytes)).toBe(FCS_RESIDUE));
    expect(rx.map((r) => hex(r.bytes))).toEqual(frames.map((f) => hex(padded(f.bytes))));
    expect(counters).toMatchObject({ TX_FRAMES: frames.length, RX_FRAMES: frames.length, RX_DROPPED: 0, RX_BAD_FCS: 0 });
  });
});

describe('Mac400 random traffic', () => {
  for (const width of [1024, 512]) {
    it(`${width} bits: random frames, gaps and receive back-pressure match the references byte for byte`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ len: fc.integer({ min: 1, max: 700 }), idle: fc.integer({ min: 0, max: 3 }), seed: fc.integer({ min: 1, max: 1e9 }), stomp: fc.boolean() }), { minLength: 1, maxLength: 10 }),
          fc.integer({ min: 30, max: 100 }),
          async (spec, readyPct) => {
            const frames = spec.map((s) => ({ bytes: randomFrame(xorshift(s.seed), s.len), idle: s.idle, stomp: s.stomp && s.len % 3 === 0 }));
            const { wire, rx, counters, lost } = await loopback(width, frames, readyPct, spec.length * 31 + readyPct);
            const good = frames.filter((f, i) => !f.stomp && !lost[i]);
            expect(wire.map((w) => hex(w.bytes))).toEqual(frames.map((f) => hex(wireFrame(f.bytes, { stomp: f.stomp }))));
            expect(wire.every((w) => w.status === 'ok')).toBe(true);
            expect(rx.map((r) => hex(r.bytes))).toEqual(good.map((f) => hex(padded(f.bytes))));
            for (let i = 1; i < wire.length; i++) {
              expect(wire[i]!.startPos % 8).toBe(0);
              expect(wire[i]!.startPos - wire[i - 1]!.endPos).toBeGreaterThanOrEqual(5);
            }
            const bytes = (fs: typeof frames) => fs.reduce((a, f) => a + Math.max(64, f.bytes.length + 4), 0);
            expect(counters).toMatchObject({ TX_FRAMES: frames.length, TX_BYTES: bytes(frames), RX_FRAMES: good.length, RX_BYTES: bytes(good), RX_BAD_FCS: frames.filter((f, i) => f.stomp && !lost[i]).length, RX_RUNT: 0, RX_OVERSIZE: 0, RX_TRUNCATED: 0, RX_DROPPED: lost.filter((x) => x).length, TX_UNDERRUN: 0 });
          },
        ),
        // the example: a 116-byte frame ends in the first group of a beat in which a 1-byte frame starts and ends
        { numRuns: width === 1024 ? 10 : 6, examples: [[[{ len: 116, idle: 0, seed: 1, stomp: false }, { len: 1, idle: 0, seed: 1, stomp: false }], 30]] },
      );
    }, 60_000);
  }
});

describe('Mac400 line rate', () => {
  for (const [what, lens] of [
    ['4 KB frames (4096 B)', Array(12).fill(4096)],
    ['large lengths that fill their last beat (128 k + 104..128 B)', Array.from({ length: 24 }, (_, i) => 128 * (2 + ((i * 5) % 14)) + 104 + ((i * 37) % 25))],
  ] as const) {
    it(`back to back ${what}: the wire is the reference DIC encoding beat for beat (100% of line rate)`, async () => {
      const rand = xorshift(99);
      const frames = lens.map((n) => ({ bytes: randomFrame(rand, n) }));
      const { tapBeats, rx, counters } = await loopback(1024, frames, 100, 3, 9018);
      const first = tapBeats.findIndex((b) => b.ctrl.some((c, l) => c && b.data[l] === 0xfb));
      const ref = encodeXgmii(frames.map((f) => wireFrame(f.bytes)), { lanes: 128, tailBeats: 0 });
      const got = tapBeats.slice(first, first + ref.length).map(beatBits);
      expect(got).toEqual(ref.map(beatBits));
      expect(rx.length).toBe(frames.length);
      expect(counters.RX_FRAMES).toBe(frames.length);
      // the wire carried frame + FCS + preamble + 12-byte average gap in exactly ref.length beats
      const wireBytes = frames.reduce((a, f) => a + f.bytes.length + 4 + 8 + 12, 0);
      expect(Math.abs(wireBytes - 128 * ref.length)).toBeLessThan(128);
    });
  }
});

describe('Mac400 minimum frames (one frame per client beat)', () => {
  it('back-to-back 60-byte frames leave one a clock: starts exactly one beat apart, 84 of 128 wire bytes used (65.6% of line rate)', async () => {
    const rand = xorshift(5);
    const frames = Array.from({ length: 30 }, () => ({ bytes: randomFrame(rand, 60) }));
    const { wire, rx } = await loopback(1024, frames, 100, 4);
    expect(wire.map((w) => hex(w.bytes))).toEqual(frames.map((f) => hex(wireFrame(f.bytes))));
    expect(wire.slice(1).map((w, i) => w.startBeat - wire[i]!.startBeat)).toEqual(Array(29).fill(1));
    expect(rx.length).toBe(30);
  });
});

/** Frames each encoded alone (start on beat 0 of its own stretch, idle beats after), concatenated. */
function spacedBeats(wires: Uint8Array[], truncateAt: (number | undefined)[], lanes: number): Beat[] {
  const out: Beat[] = [];
  wires.forEach((w, i) => {
    const beats = encodeXgmii([w], { lanes, tailBeats: 1 });
    const t = truncateAt[i];
    if (t !== undefined) {
      const pos = 8 + t;
      beats[Math.floor(pos / lanes)]!.data[pos % lanes] = 0xfe;
      beats[Math.floor(pos / lanes)]!.ctrl[pos % lanes] = true;
    }
    out.push(...beats);
  });
  return out;
}

async function receive(width: number, beats: Beat[], opts: { maxFrame?: number } = {}) {
  const B = width / 8;
  const rx: RxFrame[] = [];
  const counters: Record<string, number> = {};
  const idle = beatBits({ data: new Uint8Array(B).fill(7), ctrl: Array(B).fill(true) });
  await simulate(new Mac400({ width, ...opts }), async (tb) => {
    const t = tb as unknown as Testbench;
    const { dut } = tb;
    dut.xgmiiRx.data.big = idle.data;
    dut.xgmiiRx.ctrl.big = (1n << BigInt(B)) - 1n;
    await tb.reset();
    tb.fork(() => collectWide(t, dut.rxOut, rx, B));
    for (const b of beats) {
      const { data, ctrl } = beatBits(b);
      dut.xgmiiRx.data.big = data;
      dut.xgmiiRx.ctrl.big = ctrl;
      await tb.rising();
    }
    dut.xgmiiRx.data.big = idle.data;
    dut.xgmiiRx.ctrl.big = (1n << BigInt(B)) - 1n;
    await tb.cycles(100 + beats.length);
    for (const [k, a] of Object.entries(MAC_REG)) if (typeof a === 'number') counters[k] = await csrRead(t, dut.csr, a);
  });
  return { rx, counters };
}

describe('Mac400 receive checks', () => {
  it('bad FCS, runt, oversize and truncated frames are dropped and counted; good ones delivered byte-exact', async () => {
    const { wires, truncateAt } = badMix(4);
    const { rx, counters } = await receive(1024, spacedBeats(wires, truncateAt, 128));
    const verdicts = wires.map((w, i) => (truncateAt[i] !== undefined ? 'truncated' : classify(w)));
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    expect(count('good')).toBe(6);
    expect(counters).toMatchObject({ RX_FRAMES: count('good'), RX_BAD_FCS: count('badFcs'), RX_RUNT: count('runt'), RX_OVERSIZE: count('oversize'), RX_TRUNCATED: count('truncated'), RX_DROPPED: 0 });
    expect(rx.map((r) => hex(r.bytes))).toEqual(wires.filter((_, i) => verdicts[i] === 'good').map((w) => hex(w.subarray(0, w.length - 4))));
  });

  it('back-to-back short frames on the wire: a frame enclosed in a beat after another frame ended there is dropped and counted, all others delivered', async () => {
    const rand = xorshift(12);
    const wires = Array.from({ length: 60 }, (_, i) => wireFrame(randomFrame(rand, 60 + ((i * 29) % 140))));
    const beats = encodeXgmii(wires, { lanes: 128 });
    // the reference: which frames start and end inside a beat in which the frame before them ended
    const dec = encodeXgmii(wires, { lanes: 128 }).length; void dec;
    const { decodeXgmii } = await import('../../net/xgmii-ref.ts');
    const found = decodeXgmii(beats, 128).frames;
    expect(found.length).toBe(wires.length);
    const beatOf = (p: number) => Math.floor(p / 128);
    const lost = found.map((f, i) => i > 0 && beatOf(f.startPos) === beatOf(f.endPos) && beatOf(found[i - 1]!.endPos) === beatOf(f.startPos));
    const { rx, counters } = await receive(1024, beats);
    expect(lost.some((x) => x)).toBe(true);
    expect(rx.map((r) => hex(r.bytes))).toEqual(wires.filter((_, i) => !lost[i]).map((w) => hex(w.subarray(0, w.length - 4))));
    expect(counters).toMatchObject({ RX_FRAMES: lost.filter((x) => !x).length, RX_DROPPED: lost.filter((x) => x).length, RX_BAD_FCS: 0 });
  });

  it('jumbo frames pass with maxFrame 9018; one over it is oversize', async () => {
    const rand = xorshift(11);
    const wires = [wireFrame(randomFrame(rand, 9014)), wireFrame(randomFrame(rand, 9015)), wireFrame(randomFrame(rand, 3000))];
    const { rx, counters } = await receive(1024, encodeXgmii(wires, { lanes: 128 }), { maxFrame: 9018 });
    expect(rx.map((r) => hex(r.bytes))).toEqual([wires[0]!, wires[2]!].map((w) => hex(w.subarray(0, w.length - 4))));
    expect(counters).toMatchObject({ RX_FRAMES: 2, RX_OVERSIZE: 1 });
  });
});

describe('Mac400 transmit corner cases and parameters', () => {
  it('a client underrun ends the frame with /E/: counted on both sides, the next frame is intact', async () => {
    const rand = xorshift(22);
    const a = randomFrame(rand, 400), b = randomFrame(rand, 300);
    const { wire, rx, counters } = await loopback(1024, [{ bytes: a, holeAfterFirst: 2 }, { bytes: b }], 100, 9);
    expect(wire.map((f) => f.status)).toEqual(['truncated', 'ok']);
    expect(rx.map((r) => hex(r.bytes))).toEqual([hex(b)]);
    expect(counters).toMatchObject({ TX_UNDERRUN: 1, TX_FRAMES: 1, RX_TRUNCATED: 1, RX_FRAMES: 1 });
  });

  it('CONFIG reads maxFrame and 128 bytes per beat; bad parameters are refused, naming the value', async () => {
    const { counters } = await loopback(1024, [{ bytes: randomFrame(xorshift(3), 100) }], 100, 1);
    expect(counters.CONFIG).toBe(1518 | (128 << 16));
    expect(() => new Mac400Tx({ width: 64 })).toThrow(/width.*64/);
    expect(() => new Mac400Rx({ width: 2048 })).toThrow(/width.*2048/);
    expect(() => new Mac400Rx({ maxFrame: 20000 })).toThrow(/maxFrame.*20000/);
    expect(() => new Mac400Rx({ bufferGroups: 100 })).toThrow(/bufferGroups.*100/);
  });
});
