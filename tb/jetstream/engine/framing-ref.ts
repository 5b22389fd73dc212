// Reference model of JetStream framing, written from the frame layout in docs/jetstream-engine.md and independent
// of the hardware: the frame encoder/decoder, the transmit rule (a PCIe Memory Write to the remote window -> one
// frame, sequence number per destination) and the receive rule (sequence check per source, go withheld after a
// loss, the frame -> a Memory Write into the card's BAR, re-encoded with tb/pcie/tlp-ref.ts).
import { decodeTlp, encodeMemWrite, TlpError } from '../../pcie/tlp-ref.ts';

export const ETHERTYPE = 0x88b5;
export const VERSION = 1;
export const HEADER_BYTES = 32;
export const DEFAULT_BASE_MAC = 0x02_4a_53_00_00_00n;

/** The server memory map, restated from the brief (not imported from rtl/, so a wrong constant there shows up). */
export const MAP = {
  CARD_BAR_BASE: 0x10_0000_0000n,
  CARD_BAR_SIZE: 0x1000_0000n,
  CHIPLET_WINDOW: 0x80_0000n,
  DOORBELL_OFFSET: 0x7f_f000n,
  REMOTE_BASE: 0x80_0000_0000n,
};

export interface JsHeader {
  dstMac: bigint;
  srcMac: bigint;
  etherType: number;
  version: number;
  go: boolean;
  srcNode: number;
  dstNode: number;
  dstCard: number;
  firstBe: number;
  lastBe: number;
  lenDw: number;
  seq: number;
  /** Byte offset in the destination card's BAR (DW-aligned). */
  offset: number;
  tc: number;
}

const put = (b: Uint8Array, at: number, v: bigint | number, n: number): void => {
  const x = BigInt(v);
  for (let i = 0; i < n; i++) b[at + i] = Number((x >> BigInt(8 * (n - 1 - i))) & 0xffn);
};
const get = (b: Uint8Array, at: number, n: number): bigint => {
  let x = 0n;
  for (let i = 0; i < n; i++) x = (x << 8n) | BigInt(b[at + i]!);
  return x;
};

/** Frame bytes (DA..payload, no pad, no FCS). `payload` is LEN_DW * 4 bytes. */
export function encodeFrame(h: JsHeader, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(HEADER_BYTES + payload.length);
  put(f, 0, h.dstMac, 6);
  put(f, 6, h.srcMac, 6);
  put(f, 12, h.etherType, 2);
  f[14] = h.version;
  f[15] = h.go ? 1 : 0;
  f[16] = h.srcNode;
  f[17] = h.dstNode;
  f[18] = h.dstCard;
  f[19] = (h.lastBe << 4) | h.firstBe;
  put(f, 20, h.lenDw, 2);
  put(f, 22, h.seq >>> 0, 4);
  put(f, 26, h.offset, 4);
  f[30] = h.tc;
  f[31] = 0;
  f.set(payload, HEADER_BYTES);
  return f;
}

/** Header fields of a frame (no checks). */
export function decodeHeader(f: Uint8Array): JsHeader {
  return {
    dstMac: get(f, 0, 6),
    srcMac: get(f, 6, 6),
    etherType: Number(get(f, 12, 2)),
    version: f[14]!,
    go: (f[15]! & 1) === 1,
    srcNode: f[16]!,
    dstNode: f[17]!,
    dstCard: f[18]!,
    firstBe: f[19]! & 15,
    lastBe: f[19]! >> 4,
    lenDw: Number(get(f, 20, 2)),
    seq: Number(get(f, 22, 4)),
    offset: Number(get(f, 26, 4)),
    tc: f[30]!,
  };
}

export const macOf = (base: bigint, node: number): bigint => base + BigInt(node);

export function isGoOffset(offset: bigint): boolean {
  const inChiplet = offset % MAP.CHIPLET_WINDOW;
  return inChiplet >= MAP.DOORBELL_OFFSET && inChiplet < MAP.DOORBELL_OFFSET + 4096n;
}

export interface RefOptions {
  nodeId: number;
  nodes: number;
  baseMac?: bigint;
  requesterId?: number;
}

/** Transmit rule: TLP bytes in, a frame (or null: not carried) out. */
export class TxRef {
  readonly seq = new Map<number, number>();
  sent = 0;
  dropped = 0;
  constructor(readonly o: RefOptions) {}

  tlp(bytes: Uint8Array): Uint8Array | null {
    let t;
    try {
      t = decodeTlp(bytes);
    } catch (e) {
      if (e instanceof TlpError) {
        this.dropped++;
        return null;
      }
      throw e;
    }
    const rel = t.addr - MAP.REMOTE_BASE;
    const node = Number(rel >> 32n);
    if (t.kind !== 'MWr' || t.headerDw !== 4 || rel < 0n || node >= this.o.nodes) {
      this.dropped++;
      return null;
    }
    const offset = rel & 0x0fff_ffffn;
    const seq = this.seq.get(node) ?? 0;
    this.seq.set(node, (seq + 1) >>> 0);
    this.sent++;
    const base = this.o.baseMac ?? DEFAULT_BASE_MAC;
    return encodeFrame({
      dstMac: macOf(base, node), srcMac: macOf(base, this.o.nodeId), etherType: ETHERTYPE, version: VERSION,
      go: isGoOffset(offset), srcNode: this.o.nodeId, dstNode: node, dstCard: Number((rel >> 28n) & 15n),
      firstBe: t.firstBe, lastBe: t.lastBe, lenDw: t.lengthDw, seq, offset: Number(offset), tc: t.tc,
    }, t.payload);
  }
}

export type RxOutcome =
  | { kind: 'delivered'; tlp: Uint8Array; go: boolean; gap: number }
  | { kind: 'late' }
  | { kind: 'dropped' }
  | { kind: 'goSuppressed'; gap: number };

export interface RxCounters {
  delivered: number;
  gaps: number;
  lost: number;
  late: number;
  dropped: number;
  goSuppressed: number;
  go: number;
}

/** Receive rule: a frame (as the MAC hands it over: possibly padded, possibly flagged err) in, an outcome out. */
export class RxRef {
  readonly expected = new Map<number, number>();
  readonly lossPending = new Map<number, boolean>();
  readonly count: RxCounters = { delivered: 0, gaps: 0, lost: 0, late: 0, dropped: 0, goSuppressed: 0, go: 0 };
  tag = 0;
  constructor(readonly o: RefOptions) {}

  frame(f: Uint8Array, err = false): RxOutcome {
    const h = f.length >= HEADER_BYTES ? decodeHeader(f) : undefined;
    const ok = h !== undefined && !err && h.etherType === ETHERTYPE && h.version === VERSION && h.dstNode === this.o.nodeId &&
      h.srcNode < this.o.nodes && h.dstCard < 16 && h.lenDw >= 1 && h.lenDw <= 1024 && h.offset % 4 === 0 &&
      h.offset < 2 ** 28 && f.length >= HEADER_BYTES + 4 * h.lenDw;
    if (!ok || !h) {
      this.count.dropped++;
      return { kind: 'dropped' };
    }
    const exp = this.expected.get(h.srcNode) ?? 0;
    const diff = (h.seq - exp) | 0; // signed 32-bit distance
    if (diff < 0) {
      this.count.late++;
      return { kind: 'late' };
    }
    this.expected.set(h.srcNode, (h.seq + 1) >>> 0);
    const pend = this.lossPending.get(h.srcNode) ?? false;
    if (diff > 0) {
      this.count.gaps++;
      this.count.lost += diff;
    }
    if (h.go) {
      this.lossPending.set(h.srcNode, false);
      if (pend || diff > 0) {
        this.count.goSuppressed++;
        return { kind: 'goSuppressed', gap: diff };
      }
    } else if (diff > 0) this.lossPending.set(h.srcNode, true);
    const payload = f.slice(HEADER_BYTES, HEADER_BYTES + 4 * h.lenDw);
    const tlp = this.reissue(h, payload);
    this.count.delivered++;
    if (h.go) this.count.go++;
    return { kind: 'delivered', tlp, go: h.go, gap: diff };
  }

  /** The Memory Write into the card's BAR, through the reference TLP encoder. */
  private reissue(h: JsHeader, payload: Uint8Array): Uint8Array {
    const dwAddr = MAP.CARD_BAR_BASE + BigInt(h.dstCard) * MAP.CARD_BAR_SIZE + BigInt(h.offset);
    // enabled bytes: first BE from its lowest bit, last BE up to its highest (contiguous enables only)
    let start = 0;
    let end = 0;
    if (h.firstBe !== 0) {
      start = Math.clz32(0) - Math.clz32(h.firstBe & -h.firstBe) - 1;
      const lastMask = h.lenDw === 1 ? h.firstBe : h.lastBe;
      end = 4 * (h.lenDw - 1) + (31 - Math.clz32(lastMask)) + 1;
    }
    const tag = this.tag;
    this.tag = (this.tag + 1) & 0xff;
    const bytes = encodeMemWrite({
      addr: dwAddr + BigInt(start), data: payload.slice(start, end), requesterId: this.o.requesterId ?? 0x0100, tag, tc: h.tc,
    });
    // the engine carries the payload DWs unchanged, disabled bytes included
    bytes.set(payload, 16);
    return bytes;
  }
}
