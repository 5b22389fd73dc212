// The PCIe TLP reference on its own: the reference encodings of shared/references.md byte for byte, encode/decode
// round trips on random writes (fast-check), byte enables against a per-byte brute force, the splitter's rules
// (no 4 KB crossing, never over MPS, contiguous and complete), and malformed TLPs rejected with their byte offset.
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  TlpError, bdf, byteEnables, decodeTlp, encodeCompletion, encodeMemRead, encodeMemWrite, fromHex, hexDws,
  splitTransfer,
} from './tlp-ref.ts';

const seq = (n: number, from: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('reference encodings (shared/references.md)', () => {
  it('8 bytes 01..08 to 0x1000_0004 from 01:00.0 tag 0', () => {
    const t = encodeMemWrite({ addr: 0x1000_0004n, data: seq(8, 1), requesterId: bdf(1, 0, 0), tag: 0 });
    expect(hexDws(t)).toBe('40000002 010000ff 10000004 01020304 05060708');
  });
  it('6 bytes a0..a5 to 0x2_0000_0003 from 02:03.1 tag 0x25 (4DW header)', () => {
    const t = encodeMemWrite({ addr: 0x2_0000_0003n, data: seq(6, 0xa0), requesterId: bdf(2, 3, 1), tag: 0x25 });
    expect(hexDws(t)).toBe('60000003 02192518 00000002 00000000 000000a0 a1a2a3a4 a5000000');
  });
  it('1 byte 0x7f to 0x1000_0002', () => {
    const t = encodeMemWrite({ addr: 0x1000_0002n, data: Uint8Array.of(0x7f), requesterId: bdf(1, 0, 0), tag: 0 });
    expect(hexDws(t)).toBe('40000001 01000004 10000000 00007f00');
  });
  it('the vectors decode to their bytes and addresses', () => {
    const d = decodeTlp(fromHex('60000003 02192518 00000002 00000000 000000a0 a1a2a3a4 a5000000'));
    expect(d.kind).toBe('MWr');
    expect(d.headerDw).toBe(4);
    expect(d.requesterId).toBe(0x0219);
    expect(d.tag).toBe(0x25);
    expect(d.bytes).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ addr: 0x2_0000_0003n + BigInt(i), value: 0xa0 + i })));
    const d3 = decodeTlp(fromHex('40000001 01000004 10000000 00007f00'));
    expect(d3.bytes).toEqual([{ addr: 0x1000_0002n, value: 0x7f }]);
  });
  it('32 bytes to 0x1000_0FF0 is illegal (crosses 4 KB)', () => {
    // built by hand: the encoder itself does not split
    const t = fromHex('40000008 010000ff 10000ff0' + ' 00000000'.repeat(8));
    expect(() => decodeTlp(t)).toThrow(/crosses a 4 KB boundary/);
    expect(splitTransfer(0x1000_0ff0n, 32, 4096)).toEqual([
      { addr: 0x1000_0ff0n, length: 16 }, { addr: 0x1000_1000n, length: 16 },
    ]);
  });
  it('zero-length write: 1 DW, no byte enabled, nothing written', () => {
    const t = encodeMemWrite({ addr: 0x1000_0000n, data: new Uint8Array(0), requesterId: 0x100, tag: 1 });
    expect(hexDws(t)).toBe('40000001 01000100 10000000 00000000');
    expect(decodeTlp(t).bytes).toEqual([]);
  });
  it('relaxed ordering, no snoop and TC land in DW0', () => {
    const t = encodeMemWrite({ addr: 0x40n, data: seq(4, 0), requesterId: 0, tag: 0, tc: 5, ro: true, ns: true });
    expect(hexDws(t).slice(0, 8)).toBe('40503001');
    const d = decodeTlp(t);
    expect([d.tc, d.ro, d.ns]).toEqual([5, true, true]);
  });
  it('1024 DW is encoded as Length 0', () => {
    const t = encodeMemWrite({ addr: 0x1_0000_0000n, data: new Uint8Array(4096), requesterId: 0, tag: 0 });
    expect(hexDws(t.slice(0, 4))).toBe('60000000');
    expect(decodeTlp(t).lengthDw).toBe(1024);
  });
  it('memory read and completion headers', () => {
    expect(hexDws(encodeMemRead({ addr: 0x1000_0004n, length: 4, requesterId: 0x100, tag: 7 })))
      .toBe('00000001 0100070f 10000004');
    const c = encodeCompletion({ completerId: 0x200, requesterId: 0x100, tag: 7, byteCount: 4, lowerAddr: 4, data: seq(4, 1) });
    expect(hexDws(c)).toBe('4a000001 02000004 01000704 01020304');
    const d = decodeTlp(c);
    expect([d.kind, d.completerId, d.requesterId, d.tag, d.byteCount, d.lowerAddr]).toEqual(['CplD', 0x200, 0x100, 7, 4, 4]);
  });
});

/** Byte enables by brute force: for each byte of each DW, is its address inside [addr, addr+len)? */
function bruteBe(addr: bigint, len: number): { lengthDw: number; firstBe: number; lastBe: number } {
  if (len === 0) return { lengthDw: 1, firstBe: 0, lastBe: 0 };
  const start = addr & ~3n;
  const dws = Number((addr + BigInt(len) - 1n - start) / 4n) + 1;
  const be = (d: number) => {
    let m = 0;
    for (let b = 0; b < 4; b++) {
      const a = start + BigInt(4 * d + b);
      if (a >= addr && a < addr + BigInt(len)) m |= 1 << b;
    }
    return m;
  };
  return { lengthDw: dws, firstBe: be(0), lastBe: dws === 1 ? 0 : be(dws - 1) };
}

const addrArb = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 4097n }));

describe('random writes', () => {
  test.prop([addrArb, fc.integer({ min: 0, max: 4096 })])('byte enables match a per-byte brute force', (addr, len) => {
    expect(byteEnables(addr, len)).toEqual(bruteBe(addr, len));
  });

  test.prop([
    addrArb, fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), fc.boolean(),
  ])('decode(encode(w)) gives back every field and every byte at its address', (addr0, data, rid, tag, tc, ro, ns) => {
    // keep the write inside its 4 KB page so it is legal
    const room = 4096 - Number(addr0 & 0xfffn);
    const d = data.slice(0, room);
    const t = encodeMemWrite({ addr: addr0, data: d, requesterId: rid, tag, tc, ro, ns });
    expect(t[0]).toBe(addr0 >= 1n << 32n ? 0x60 : 0x40);
    const r = decodeTlp(t);
    expect([r.requesterId, r.tag, r.tc, r.ro, r.ns]).toEqual([rid, tag, tc, ro, ns]);
    expect(r.addr).toBe(addr0 & ~3n);
    expect(r.bytes).toEqual(Array.from(d, (v, i) => ({ addr: addr0 + BigInt(i), value: v })));
    expect(t.length).toBe((addr0 >= 1n << 32n ? 16 : 12) + 4 * r.lengthDw);
  });

  test.prop([
    fc.bigInt({ min: 0n, max: (1n << 48n) }), fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 3 << 20 })),
    fc.constantFrom(128, 256, 512, 1024, 2048, 4096),
  ], { numRuns: 25 })('splitTransfer: contiguous, complete, no 4 KB crossing, never over MPS, DW-aligned after the first', (addr, len, mps) => {
    const ps = splitTransfer(addr, len, mps);
    let a = addr;
    for (const [i, p] of ps.entries()) {
      expect(p.addr).toBe(a);
      expect(p.length).toBeGreaterThan(0);
      expect(byteEnables(p.addr, p.length).lengthDw * 4).toBeLessThanOrEqual(mps);
      expect((p.addr >> 12n) === ((p.addr + BigInt(p.length) - 1n) >> 12n)).toBe(true);
      if (i > 0) expect(p.addr & 3n).toBe(0n);
      a += BigInt(p.length);
    }
    expect(a).toBe(addr + BigInt(len));
    // every piece that is short is short for a reason: the end of the transfer or a 4 KB boundary
    for (const p of ps.slice(0, -1)) {
      const end = p.addr + BigInt(p.length);
      expect(p.length === mps - Number(p.addr & 3n) || (end & 0xfffn) === 0n).toBe(true);
    }
  });
});

describe('malformed TLPs are rejected with the byte offset', () => {
  const good = () => encodeMemWrite({ addr: 0x1000_0004n, data: seq(8, 1), requesterId: 0x100, tag: 0 });
  const expectOffset = (t: Uint8Array, offset: number, re: RegExp, mps?: number) => {
    let err: unknown;
    try { decodeTlp(t, { mps }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TlpError);
    expect((err as TlpError).offset).toBe(offset);
    expect((err as TlpError).message).toMatch(re);
    expect((err as TlpError).message).toMatch(new RegExp(`byte ${offset}\\b`));
  };
  it('payload shorter or longer than Length', () => {
    expectOffset(good().slice(0, 16), 16, /disagrees/);
    expectOffset(Uint8Array.from([...good(), 0, 0, 0, 0]), 20, /disagrees/);
  });
  it('truncated header, unknown type', () => {
    expectOffset(good().slice(0, 2), 2, /truncated/);
    expectOffset(good().slice(0, 9), 9, /truncated header/);
    const t = good(); t[0] = 0x41;
    expectOffset(t, 0, /Fmt\/Type 0x41/);
  });
  it('bad byte enables', () => {
    let t = encodeMemWrite({ addr: 0x1000_0000n, data: seq(4, 0), requesterId: 0, tag: 0 });
    t[7] = 0x1f; // 1-DW write with a Last BE
    expectOffset(t, 7, /Last BE/);
    t = good(); t[7] = 0x0f; // 2-DW write with Last BE 0
    expectOffset(t, 7, /zero First\/Last BE/);
    t = encodeMemWrite({ addr: 0x1000_0000n, data: seq(12, 0), requesterId: 0, tag: 0 });
    t[7] = 0xf5; // 3-DW write with a hole in First BE
    expectOffset(t, 7, /non-contiguous/);
    t = good(); t[7] = 0x5a; // 2-DW write, not QW-aligned (0x..04): holes illegal
    expectOffset(t, 7, /non-contiguous/);
    t = encodeMemWrite({ addr: 0x1000_0000n, data: seq(8, 0), requesterId: 0, tag: 0 });
    t[7] = 0x5a; // QW-aligned 2-DW write: holes allowed
    expect(decodeTlp(t).bytes.map((b) => Number(b.addr & 7n))).toEqual([1, 3, 4, 6]);
  });
  it('over MPS, poisoned, digest, 4DW below 4 GB', () => {
    const big = encodeMemWrite({ addr: 0x1000_0000n, data: new Uint8Array(256), requesterId: 0, tag: 0 });
    expectOffset(big, 3, /exceeds MPS 128/, 128);
    expect(decodeTlp(big, { mps: 256 }).bytes.length).toBe(256);
    let t = good(); t[2]! |= 0x40;
    expectOffset(t, 2, /poisoned/);
    t = good(); t[2]! |= 0x80;
    expectOffset(t, 2, /digest/);
    t = encodeMemWrite({ addr: 0x1_0000_0000n, data: seq(4, 0), requesterId: 0, tag: 0 });
    t[11] = 0; // address high DW 0: below 4 GB
    expectOffset(t, 8, /below 4 GB/);
  });
});
