// The JetStream frame: an Ethernet frame with EtherType 0x88B5 (IEEE local experimental) carrying one PCIe Memory
// Write. The frame header (Ethernet + JetStream, 32 bytes) is declared once here: the engine builds and checks it,
// the SV package and the testbenches read the same offsets.
//
//   byte  0.. 5  DA        MAC of the destination node (baseMac + node)
//   byte  6..11  SA        MAC of the source node
//   byte 12..13  EtherType 0x88B5
//   byte 14      VERSION   1
//   byte 15      FLAGS     bit 0 GO: this write is the "go" (doorbell) write of a transfer
//   byte 16      SRC_NODE
//   byte 17      DST_NODE
//   byte 18      DST_CARD  card 0..15 of the destination server
//   byte 19      BE        bits 3:0 first DW byte enables, bits 7:4 last DW byte enables (as in the TLP)
//   byte 20..21  LEN_DW    payload length in DWs, 1..1024, big-endian
//   byte 22..25  SEQ       sequence number of the source -> destination flow, big-endian
//   byte 26..29  OFFSET    byte offset in the destination card's BAR (DW-aligned, < 2^28), big-endian
//   byte 30      TC        bits 2:0 traffic class of the original write
//   byte 31      reserved  0
//   byte 32..    payload   LEN_DW * 4 bytes: the TLP's data DWs unchanged (the MAC pads frames below 60 bytes)
import { U, cat, constants, type Sig } from '../../core/index.ts';

/** Frame layout: byte offsets from the first byte of DA, and the fixed values. */
export const JS_FRAME = constants('js_frame', {
  ETHERTYPE: 0x88b5,
  VERSION: 1,
  /** Ethernet + JetStream header bytes; the payload starts here. */
  HEADER_BYTES: 32,
  DA: 0,
  SA: 6,
  TYPE: 12,
  VER: 14,
  FLAGS: 15,
  SRC_NODE: 16,
  DST_NODE: 17,
  DST_CARD: 18,
  BE: 19,
  LEN_DW: 20,
  SEQ: 22,
  OFFSET: 26,
  TC: 30,
  /** FLAGS bit 0. */
  FLAG_GO: 1,
  /** Largest payload: 1024 DWs. */
  MAX_LEN_DW: 1024,
}, { doc: 'JetStream frame header: byte offsets and values (EtherType 0x88B5)' });

/** The default base MAC: locally administered, unicast (02:4A:53 = "JS"); node n has baseMac + n. */
export const JS_DEFAULT_BASE_MAC = 0x02_4a_53_00_00_00n;

/** Byte i of a beat (bits 8i+7..8i). */
export function byteOf(beat: Sig, i: number): Sig {
  return beat.slice(8 * i + 7, 8 * i);
}

/** A big-endian field of n bytes starting at byte `at` of a beat (byte `at` is the most significant). */
export function beField(beat: Sig, at: number, n: number): Sig {
  const parts: Sig[] = [];
  for (let i = 0; i < n; i++) parts.push(byteOf(beat, at + i));
  return parts.length === 1 ? parts[0]! : cat(...parts);
}

/** Bytes laid out in wire order: bytes[0] at bits 7..0. Each element is 8 bits. */
export function wireBytes(bytes: readonly Sig[]): Sig {
  return bytes.length === 1 ? bytes[0]! : cat(...[...bytes].reverse());
}

/** A big-endian value as its bytes in wire order (most significant first). */
export function beBytes(v: Sig, n: number): Sig[] {
  if (v.width !== 8 * n) throw new Error(`beBytes: value is ${v.width} bits, expected ${8 * n}`);
  const out: Sig[] = [];
  for (let i = 0; i < n; i++) out.push(v.slice(8 * (n - i) - 1, 8 * (n - i - 1)));
  return out;
}

/** A constant byte. */
export const byteConst = (v: number): Sig => U(v, 8);
