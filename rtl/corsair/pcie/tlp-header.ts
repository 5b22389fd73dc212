// Helpers shared by the PCIe transmit and receive logic: the Memory Write header image (bytes in wire order, byte i
// at bits 8i+7..8i, header DWs big-endian as in the spec) and the byte-enable fields of a write.
import { U, cat, mux, select, type Sig } from '../../core/index.ts';

/** Fmt/Type bytes of the TLPs the hardware sends and accepts. */
export const MWR32 = 0x40;
export const MWR64 = 0x60;

export interface MemWriteHeaderFields {
  /** 64-bit byte address (bits 1:0 are dropped). */
  addr: Sig;
  /** Length in DW, 11 bits (1..1024; 1024 is sent as 0). */
  lengthDw: Sig;
  firstBe: Sig;
  lastBe: Sig;
  /** Relaxed Ordering. */
  ro: Sig;
  tag: Sig;
  requesterId: Sig;
}

/**
 * The 16-byte header image of a Memory Write: a 4DW header when addr[63:32] is non-zero, else a 3DW header
 * (bytes 12..15 then read 0). Also returns `fourDw`.
 */
export function memWriteHeader(f: MemWriteHeaderFields): { image: Sig; fourDw: Sig } {
  const hi = f.addr.slice(63, 32);
  const lo = cat(f.addr.slice(31, 2), U(0, 2));
  const fourDw = hi.ne(0);
  const be = (x: Sig) => [x.slice(31, 24), x.slice(23, 16), x.slice(15, 8), x.slice(7, 0)];
  const b = [
    mux(fourDw, U(MWR64, 8), U(MWR32, 8)),
    U(0, 8), // TC 0, no TH
    cat(U(0, 2), f.ro, U(0, 3), f.lengthDw.slice(9, 8)), // TD 0, EP 0, Attr = RO, NS 0
    f.lengthDw.slice(7, 0),
    f.requesterId.slice(15, 8),
    f.requesterId.slice(7, 0),
    f.tag,
    cat(f.lastBe, f.firstBe),
  ];
  const a3 = [...be(lo), U(0, 8), U(0, 8), U(0, 8), U(0, 8)];
  const a4 = [...be(hi), ...be(lo)];
  const addrBytes = a3.map((x, i) => mux(fourDw, a4[i]!, x));
  const bytes = [...b, ...addrBytes];
  return { image: cat(...bytes.slice().reverse()), fourDw };
}

/**
 * Byte enables and DW length of a write of `n` bytes (n >= 1) at an address whose bits 1:0 are `a`:
 * First BE = 1111 << a, Last BE = bytes up to the last one; a 1-DW write has Last BE 0000 and both masks in First BE.
 * `n` is 13 bits; lengthDw is 11 bits.
 */
export function writeByteEnables(a: Sig, n: Sig): { lengthDw: Sig; firstBe: Sig; lastBe: Sig } {
  const sum = a.zext(14).add(n.zext(14));
  const lengthDw = sum.add(3).shr(2).trunc(11);
  const first = select(a, [U(0xf, 4), U(0xe, 4), U(0xc, 4), U(0x8, 4)]);
  const endOff = sum.sub(1).slice(1, 0);
  const lastMask = select(endOff, [U(0x1, 4), U(0x3, 4), U(0x7, 4), U(0xf, 4)]);
  const one = lengthDw.eq(1);
  return {
    lengthDw,
    firstBe: mux(one, first.and(lastMask), first),
    lastBe: mux(one, U(0, 4), lastMask),
  };
}

/** `x` zero-extended or truncated to `w` bits. */
export function fit(x: Sig, w: number): Sig {
  return x.width === w ? x : x.width > w ? x.trunc(w) : x.zext(w);
}
