// CRC-32 against Node's zlib.crc32: random frames at 1, 3, 4, 8 and 64 bytes per beat, partial last beats with junk
// in the unused bytes, idle cycles between beats, back-to-back frames, the running value after every beat, and the
// residue of a frame followed by its own FCS.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as zlib from 'node:zlib';
import { CRC32_RESIDUE, Crc32, crc32Equations, crc32Update } from '../../rtl/lib/index.ts';
import { simulate, type Testbench } from '../runtime/index.ts';
import { uniform } from './stream-bfm.ts';

/** zlib's CRC-32 (node 20.15+), else a bytewise one. */
const reference: (b: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (b) => zlib.crc32(b) >>> 0
    : (b) => {
        let c = 0xffffffff;
        for (const x of b) {
          c ^= x;
          for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
        }
        return (c ^ 0xffffffff) >>> 0;
      };

/** Bytes as a little-endian word: byte 0 in bits 7..0. */
function pack(bytes: ArrayLike<number>): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Feed frames back to back (random idle cycles between beats), checking the running FCS after every beat. */
async function feed(tb: Testbench<Crc32>, nb: number, frames: readonly Uint8Array[], idlePct: number, rand: () => number): Promise<number[]> {
  const { dut } = tb;
  const junk = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 256));
  const fcs: number[] = [];
  for (const frame of frames) {
    const beats = Math.max(1, Math.ceil(frame.length / nb));
    for (let j = 0; j < beats; j++) {
      while (rand() * 100 < idlePct) {
        dut.valid.value = 0;
        dut.first.value = rand() < 0.5 ? 1 : 0;
        dut.bytes.value = Math.floor(rand() * (nb + 1));
        dut.data.big = pack(junk(nb));
        await tb.rising();
      }
      const part = frame.subarray(j * nb, (j + 1) * nb);
      dut.valid.value = 1;
      dut.first.value = j === 0 ? 1 : 0;
      dut.bytes.value = part.length;
      dut.data.big = pack([...part, ...junk(nb - part.length)]);
      await tb.rising();
      const sofar = reference(frame.subarray(0, (j + 1) * nb));
      tb.expectEqual(dut.fcs.big, sofar, `fcs after beat ${j} of a ${frame.length}-byte frame`);
      tb.expectEqual(dut.crc.big, ~sofar >>> 0, `crc register after beat ${j}`);
    }
    fcs.push(dut.fcs.value);
  }
  dut.valid.value = 0;
  return fcs;
}

/** The frame followed by its FCS, least significant byte first (as sent on the wire). */
function withFcs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame);
  new DataView(out.buffer).setUint32(frame.length, reference(frame), true);
  return out;
}

describe('crc32 generator', () => {
  it('the bitwise update and the XOR equations agree with zlib', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        expect((crc32Update(0xffffffff, bytes) ^ 0xffffffff) >>> 0).toBe(reference(bytes));
        // the equations give the update from state 0; the preset is the XOR of 0xFFFFFFFF into the first 4 bytes
        const eq = crc32Equations(bytes.length);
        let v = 0;
        eq.forEach((row, i) => {
          const p = row.reduce((x, j) => x ^ ((bytes[j >> 3]! >> (j & 7)) & 1), 0);
          v |= p << i;
        });
        expect(v >>> 0).toBe(crc32Update(0, bytes));
      }),
      { numRuns: 200 },
    );
    expect(reference(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

for (const nb of [1, 3, 4, 8, 64]) {
  describe(`Crc32(${nb} bytes per beat)`, () => {
    it('FCS of random frames matches zlib.crc32, after every beat and at the end of each frame', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ minLength: 0, maxLength: nb * 6 + 20 }), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (frames, idlePct, seed) => {
            await simulate(
              new Crc32(nb),
              async (tb) => {
                await tb.reset();
                const fcs = await feed(tb, nb, frames, idlePct, uniform(seed));
                expect(fcs).toEqual(frames.map(reference));
              },
              { randomInit: seed },
            );
          },
        ),
        { numRuns: nb === 64 ? 25 : 40 },
      );
    });

    it('a frame followed by its FCS leaves the residue (FCS 0x2144DF1C, fcsOk); a flipped bit does not', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3 * nb + 70 }), fc.nat(), async (frame, flip) => {
          await simulate(new Crc32(nb), async (tb) => {
            await tb.reset();
            const good = withFcs(frame);
            const bad = good.slice();
            const bit = flip % (8 * bad.length);
            bad[bit >> 3]! ^= 1 << (bit & 7);
            const [fcsGood, fcsBad] = await feed(tb, nb, [good, bad], 20, uniform(flip));
            expect(fcsGood).toBe(0x2144df1c);
            expect(fcsBad).not.toBe(0x2144df1c);
            // the last frame fed was the corrupted one
            expect(tb.dut.fcsOk.value).toBe(0);
            await feed(tb, nb, [good], 0, uniform(flip + 1));
            expect(tb.dut.fcsOk.value).toBe(1);
            expect(tb.dut.crc.value).toBe(CRC32_RESIDUE);
          });
        }),
        { numRuns: 30 },
      );
    });
  });
}

describe('Crc32 (directed)', () => {
  it('gives 0xCBF43926 for "123456789" at 4 bytes per beat (3 beats, the last with 1 byte)', async () => {
    await simulate(
      new Crc32(4),
      async (tb) => {
        await tb.reset();
        expect(tb.dut.crc.value).toBe(0xffffffff);
        const [fcs] = await feed(tb, 4, [new TextEncoder().encode('123456789')], 0, uniform(1));
        expect(fcs).toBe(0xcbf43926);
        await tb.cycles(2);
        expect(tb.dut.fcs.value).toBe(0xcbf43926);
      },
      { vcd: 'lib_crc32' },
    );
  });
});
