// Reference model of the PCIe transaction layer packets the peer-to-peer path uses, written from the PCIe Base
// Specification (section 2.2) and independent of the hardware: Memory Write (3DW and 4DW headers), Memory Read and
// Completion encoders, a checking decoder, byte-enable computation and the MPS/4 KB transfer splitter.
// Bytes are in wire order: byte 0 is the Fmt/Type byte; header DWs are big-endian; payload bytes follow in
// increasing address order.

/** Fmt/Type bytes (byte 0 of a TLP). */
export const TLP_TYPE = {
  MRD32: 0x00,
  MRD64: 0x20,
  MWR32: 0x40,
  MWR64: 0x60,
  CPL: 0x0a,
  CPLD: 0x4a,
} as const;

const FOUR_GB = 1n << 32n;
const MASK64 = (1n << 64n) - 1n;

/** A decoding or encoding error that names the byte offset where the TLP went wrong. */
export class TlpError extends Error {
  constructor(readonly offset: number, message: string) {
    super(`TLP byte ${offset}: ${message}`);
    this.name = 'TlpError';
  }
}

export interface MemWrite {
  /** Byte address of the first payload byte (64 bits). */
  addr: bigint;
  /** The bytes to write; empty = a zero-length write (1 DW, no byte enabled). */
  data: Uint8Array;
  /** Requester ID: bus[15:8], device[7:3], function[2:0]. */
  requesterId: number;
  tag: number;
  /** Traffic class 0..7 (default 0). */
  tc?: number;
  /** Relaxed Ordering (attribute bit 1). */
  ro?: boolean;
  /** No Snoop (attribute bit 0). */
  ns?: boolean;
}

export interface ByteEnables {
  /** Length field value in DW (1..1024; the field encodes 1024 as 0). */
  lengthDw: number;
  firstBe: number;
  lastBe: number;
}

/**
 * Byte enables and DW length of a write of `length` bytes at `addr`. A zero-length write is 1 DW with no byte
 * enabled; a 1-DW write has Last BE 0000.
 */
export function byteEnables(addr: bigint, length: number): ByteEnables {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length ${length} must be a non-negative integer`);
  if (length === 0) return { lengthDw: 1, firstBe: 0, lastBe: 0 };
  const off = Number(addr & 3n);
  const lengthDw = Math.ceil((off + length) / 4);
  const endOff = (off + length - 1) & 3; // offset of the last byte inside its DW
  const lastMask = (2 << endOff) - 1; // bytes 0..endOff
  const firstMask = (0xf << off) & 0xf;
  if (lengthDw === 1) return { lengthDw, firstBe: firstMask & lastMask, lastBe: 0 };
  return { lengthDw, firstBe: firstMask, lastBe: lastMask };
}

function checkField(name: string, v: number, bits: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new RangeError(`${name} ${v} does not fit ${bits} bits`);
}

function dw0(fmtType: number, lengthDw: number, tc: number, ro: boolean, ns: boolean): number[] {
  const len = lengthDw & 0x3ff; // 1024 DW is encoded as 0
  return [fmtType, (tc & 7) << 4, (ro ? 0x20 : 0) | (ns ? 0x10 : 0) | (len >> 8), len & 0xff];
}

function addrDws(addr: bigint, fourDw: boolean): number[] {
  const a = addr & ~3n;
  const bytes: number[] = [];
  if (fourDw) for (let i = 7; i >= 4; i--) bytes.push(Number((a >> BigInt(8 * i)) & 0xffn));
  for (let i = 3; i >= 0; i--) bytes.push(Number((a >> BigInt(8 * i)) & 0xffn));
  return bytes;
}

/** Encodes a Memory Write. 4DW header only when the address is at or above 4 GB. */
export function encodeMemWrite(w: MemWrite): Uint8Array {
  const tc = w.tc ?? 0;
  checkField('requesterId', w.requesterId, 16);
  checkField('tag', w.tag, 8);
  checkField('tc', tc, 3);
  if (w.addr < 0n || w.addr > MASK64) throw new RangeError(`addr ${w.addr} is not a 64-bit address`);
  const { lengthDw, firstBe, lastBe } = byteEnables(w.addr, w.data.length);
  if (lengthDw > 1024) throw new RangeError(`${w.data.length} bytes at ${w.addr} need ${lengthDw} DW (max 1024)`);
  const fourDw = w.addr >= FOUR_GB;
  const hdr = [
    ...dw0(fourDw ? TLP_TYPE.MWR64 : TLP_TYPE.MWR32, lengthDw, tc, !!w.ro, !!w.ns),
    w.requesterId >> 8, w.requesterId & 0xff, w.tag, (lastBe << 4) | firstBe,
    ...addrDws(w.addr, fourDw),
  ];
  const out = new Uint8Array(hdr.length + 4 * lengthDw);
  out.set(hdr, 0);
  out.set(w.data, hdr.length + Number(w.addr & 3n));
  return out;
}

export interface MemRead {
  addr: bigint;
  /** Bytes to read, 1..4096 (a read never has zero length here). */
  length: number;
  requesterId: number;
  tag: number;
  tc?: number;
}

/** Encodes a Memory Read request (header only). */
export function encodeMemRead(r: MemRead): Uint8Array {
  checkField('requesterId', r.requesterId, 16);
  checkField('tag', r.tag, 8);
  if (r.length < 1) throw new RangeError(`read length ${r.length} must be at least 1`);
  const { lengthDw, firstBe, lastBe } = byteEnables(r.addr, r.length);
  const fourDw = r.addr >= FOUR_GB;
  return Uint8Array.from([
    ...dw0(fourDw ? TLP_TYPE.MRD64 : TLP_TYPE.MRD32, lengthDw, r.tc ?? 0, false, false),
    r.requesterId >> 8, r.requesterId & 0xff, r.tag, (lastBe << 4) | firstBe,
    ...addrDws(r.addr, fourDw),
  ]);
}

export interface Completion {
  completerId: number;
  requesterId: number;
  tag: number;
  /** Completion status: 0 SC, 1 UR, 2 CRS, 4 CA. */
  status?: number;
  /** Remaining byte count including this completion's payload (4096 encodes as 0). */
  byteCount: number;
  /** Lower 7 bits of the address of the first byte returned. */
  lowerAddr: number;
  /** Payload DWs as bytes (a multiple of 4; empty = a Cpl without data). */
  data?: Uint8Array;
}

/** Encodes a Completion (Cpl when there is no data, CplD otherwise). */
export function encodeCompletion(c: Completion): Uint8Array {
  const data = c.data ?? new Uint8Array(0);
  if (data.length % 4 !== 0) throw new RangeError(`completion payload of ${data.length} bytes is not whole DWs`);
  const lengthDw = data.length / 4;
  const bc = c.byteCount & 0xfff;
  const hdr = [
    ...dw0(lengthDw ? TLP_TYPE.CPLD : TLP_TYPE.CPL, lengthDw, 0, false, false),
    c.completerId >> 8, c.completerId & 0xff, ((c.status ?? 0) << 5) | (bc >> 8), bc & 0xff,
    c.requesterId >> 8, c.requesterId & 0xff, c.tag, c.lowerAddr & 0x7f,
  ];
  const out = new Uint8Array(hdr.length + data.length);
  out.set(hdr, 0);
  out.set(data, hdr.length);
  return out;
}

export type TlpKind = 'MWr' | 'MRd' | 'Cpl' | 'CplD';

export interface DecodedTlp {
  kind: TlpKind;
  fmtType: number;
  /** Header size in DW (3 or 4). */
  headerDw: number;
  tc: number;
  ro: boolean;
  ns: boolean;
  /** Length in DW (1..1024). */
  lengthDw: number;
  requesterId: number;
  tag: number;
  /** Requests only. */
  firstBe: number;
  lastBe: number;
  /** DW-aligned address (requests only). */
  addr: bigint;
  /** Completions only. */
  completerId: number;
  status: number;
  byteCount: number;
  lowerAddr: number;
  /** Raw payload DWs (writes and CplD). */
  payload: Uint8Array;
  /** The enabled bytes of a write, in increasing address order. */
  bytes: Array<{ addr: bigint; value: number }>;
}

export interface DecodeOptions {
  /** Max Payload Size in bytes (default 4096): a longer write is malformed. */
  mps?: number;
}

const contiguousFirst = new Set([0b1111, 0b1110, 0b1100, 0b1000]);
const contiguousLast = new Set([0b0001, 0b0011, 0b0111, 0b1111]);

function be32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/**
 * Decodes one TLP and checks the rules a receiver of posted writes enforces: known Fmt/Type, no digest (TD) and
 * not poisoned (EP), the byte count matches header + Length, byte enables legal for the length and alignment, no
 * 4 KB crossing, not over MPS, 4DW headers only at or above 4 GB. Throws a TlpError naming the byte offset.
 */
export function decodeTlp(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedTlp {
  const mps = opts.mps ?? 4096;
  if (bytes.length < 4) throw new TlpError(bytes.length, `truncated: ${bytes.length} bytes, no complete DW0`);
  const fmtType = bytes[0]!;
  const kind: TlpKind | undefined = ({
    [TLP_TYPE.MWR32]: 'MWr', [TLP_TYPE.MWR64]: 'MWr', [TLP_TYPE.MRD32]: 'MRd', [TLP_TYPE.MRD64]: 'MRd',
    [TLP_TYPE.CPL]: 'Cpl', [TLP_TYPE.CPLD]: 'CplD',
  } as Record<number, TlpKind>)[fmtType];
  if (!kind) throw new TlpError(0, `unsupported Fmt/Type 0x${fmtType.toString(16).padStart(2, '0')}`);
  const headerDw = fmtType & 0x20 ? 4 : 3;
  const hasData = (fmtType & 0x40) !== 0;
  const tc = (bytes[1]! >> 4) & 7;
  if (bytes[2]! & 0x80) throw new TlpError(2, 'TD set: TLP digest not supported');
  if (bytes[2]! & 0x40) throw new TlpError(2, 'EP set: poisoned TLP');
  const ro = (bytes[2]! & 0x20) !== 0;
  const ns = (bytes[2]! & 0x10) !== 0;
  const lenField = ((bytes[2]! & 3) << 8) | bytes[3]!;
  const lengthDw = lenField === 0 ? 1024 : lenField;
  const hdrBytes = 4 * headerDw;
  if (bytes.length < hdrBytes) throw new TlpError(bytes.length, `truncated header: ${bytes.length} of ${hdrBytes} bytes`);
  const expected = hdrBytes + (hasData ? 4 * lengthDw : 0);
  if (bytes.length !== expected) {
    throw new TlpError(Math.min(bytes.length, expected),
      `Length ${lengthDw} DW disagrees with the packet: ${bytes.length} bytes, expected ${expected}`);
  }
  const payload = bytes.slice(hdrBytes);
  const base: DecodedTlp = {
    kind, fmtType, headerDw, tc, ro, ns, lengthDw, requesterId: 0, tag: 0, firstBe: 0, lastBe: 0, addr: 0n,
    completerId: 0, status: 0, byteCount: 0, lowerAddr: 0, payload, bytes: [],
  };
  if (kind === 'Cpl' || kind === 'CplD') {
    base.completerId = (bytes[4]! << 8) | bytes[5]!;
    base.status = bytes[6]! >> 5;
    const bc = ((bytes[6]! & 0xf) << 8) | bytes[7]!;
    base.byteCount = bc === 0 ? 4096 : bc;
    base.requesterId = (bytes[8]! << 8) | bytes[9]!;
    base.tag = bytes[10]!;
    base.lowerAddr = bytes[11]! & 0x7f;
    return base;
  }
  base.requesterId = (bytes[4]! << 8) | bytes[5]!;
  base.tag = bytes[6]!;
  base.lastBe = bytes[7]! >> 4;
  base.firstBe = bytes[7]! & 0xf;
  base.addr = headerDw === 4
    ? (BigInt(be32(bytes, 8)) << 32n) | BigInt((be32(bytes, 12) & ~3) >>> 0)
    : BigInt((be32(bytes, 8) & ~3) >>> 0);
  if (headerDw === 4 && base.addr < FOUR_GB) throw new TlpError(8, `4DW header for address 0x${base.addr.toString(16)} below 4 GB`);
  // byte enables (PCIe Base 2.2.5)
  if (lengthDw === 1) {
    if (base.lastBe !== 0) throw new TlpError(7, `1-DW request with Last BE ${base.lastBe.toString(2)} (must be 0000)`);
  } else {
    if (base.firstBe === 0 || base.lastBe === 0) throw new TlpError(7, `${lengthDw}-DW request with a zero First/Last BE`);
    const qwAligned = lengthDw === 2 && (base.addr & 7n) === 0n;
    if (!qwAligned && !(contiguousFirst.has(base.firstBe) && contiguousLast.has(base.lastBe))) {
      throw new TlpError(7, `non-contiguous byte enables ${bytes[7]!.toString(2).padStart(8, '0')} for ${lengthDw} DW`);
    }
  }
  const end = base.addr + BigInt(4 * lengthDw);
  if (end - 1n > MASK64) throw new TlpError(8, 'request wraps the 64-bit address space');
  if ((base.addr >> 12n) !== ((end - 1n) >> 12n)) {
    throw new TlpError(3, `request at 0x${base.addr.toString(16)} of ${lengthDw} DW crosses a 4 KB boundary`);
  }
  if (kind === 'MWr') {
    if (4 * lengthDw > mps) throw new TlpError(3, `write of ${lengthDw} DW exceeds MPS ${mps} B`);
    for (let d = 0; d < lengthDw; d++) {
      const be = d === 0 ? base.firstBe : d === lengthDw - 1 ? base.lastBe : 0xf;
      for (let b = 0; b < 4; b++) {
        if (be & (1 << b)) base.bytes.push({ addr: base.addr + BigInt(4 * d + b), value: payload[4 * d + b]! });
      }
    }
  }
  return base;
}

/** One TLP's share of a transfer. */
export interface TransferPiece {
  addr: bigint;
  length: number;
}

/** Validates a Max Payload Size: a power of two, 128..4096 bytes. */
export function checkMps(mps: number): void {
  if (!Number.isInteger(mps) || mps < 128 || mps > 4096 || (mps & (mps - 1)) !== 0) {
    throw new RangeError(`MPS ${mps} must be a power of two in 128..4096`);
  }
}

/**
 * Splits a transfer of `length` bytes at `addr` into writes that never cross a 4 KB boundary nor exceed MPS:
 * each piece is min(remaining, MPS - addr[1:0], bytes to the next 4 KB boundary), so after the first piece every
 * piece starts DW-aligned. A zero-length transfer has no pieces.
 */
export function splitTransfer(addr: bigint, length: number, mps: number): TransferPiece[] {
  checkMps(mps);
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length ${length} must be a non-negative integer`);
  const pieces: TransferPiece[] = [];
  let a = addr;
  let left = length;
  while (left > 0) {
    const toPage = 4096 - Number(a & 0xfffn);
    const n = Math.min(left, mps - Number(a & 3n), toPage);
    pieces.push({ addr: a, length: n });
    a += BigInt(n);
    left -= n;
  }
  return pieces;
}

/** Hex dump in the reference-vector style: big-endian DWs separated by spaces (a short tail as is). */
export function hexDws(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    parts.push(Array.from(bytes.slice(i, i + 4), (b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return parts.join(' ');
}

/** Parses `hexDws` output back into bytes. */
export function fromHex(s: string): Uint8Array {
  const h = s.replace(/\s+/g, '');
  if (h.length % 2) throw new RangeError(`odd number of hex digits in "${s}"`);
  return Uint8Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16));
}

/** Requester/Completer ID from bus:device.function. */
export function bdf(bus: number, dev: number, fn: number): number {
  checkField('bus', bus, 8);
  checkField('device', dev, 5);
  checkField('function', fn, 3);
  return (bus << 8) | (dev << 3) | fn;
}
