// XGMII reference encoder and decoder (behavioural, byte by byte, for tests; any multiple of 8 lanes): start +
// preamble + SFD on lane 0 of an 8-byte group, frame, terminate, idles with the deficit idle count (IEEE 802.3
// 46.3.1.4, here with an 8-byte alignment, so the count runs 0..7), and the decoder that finds frames in a stream
// of beats (a start is accepted on any 8-byte group of a beat).
export const IDLE = 0x07, START = 0xfb, TERM = 0xfd, ERROR = 0xfe;

/** One beat of `lanes` byte lanes: data bytes and control flags, lane 0 first. */
export interface Beat {
  data: Uint8Array;
  ctrl: boolean[];
}

interface WireByte {
  b: number;
  c: boolean;
}

/**
 * The beats of `frames` (each DA..FCS) sent back to back starting at beat 0, with DIC gaps averaging 12 bytes,
 * followed by `tailBeats` beats of idle.
 */
export function encodeXgmii(frames: readonly Uint8Array[], opts: { lanes?: number; tailBeats?: number } = {}): Beat[] {
  const lanes = opts.lanes ?? 8;
  const s: WireByte[] = [];
  let dic = 0;
  for (const f of frames) {
    s.push({ b: START, c: true });
    for (let i = 0; i < 6; i++) s.push({ b: 0x55, c: false });
    s.push({ b: 0xd5, c: false });
    for (const b of f) s.push({ b, c: false });
    const end = s.length;
    // the next start goes on an 8-byte boundary; 12 idle bytes (terminate included) is the aim
    let next = end + 12;
    const over = next % 8;
    if (over !== 0) {
      if (dic + over <= 7) {
        next -= over;
        dic += over;
      } else {
        next += 8 - over;
        dic = Math.max(0, dic - (8 - over));
      }
    }
    s.push({ b: TERM, c: true });
    while (s.length < next) s.push({ b: IDLE, c: true });
  }
  while (s.length % lanes !== 0) s.push({ b: IDLE, c: true });
  for (let i = 0; i < (opts.tailBeats ?? 2) * lanes; i++) s.push({ b: IDLE, c: true });
  const beats: Beat[] = [];
  for (let i = 0; i < s.length; i += lanes) {
    const w = s.slice(i, i + lanes);
    beats.push({ data: Uint8Array.from(w.map((x) => x.b)), ctrl: w.map((x) => x.c) });
  }
  return beats;
}

/** A frame found on the wire: its bytes after the SFD up to the terminate (FCS included), where it started. */
export interface WireFrame {
  bytes: Uint8Array;
  /** Beat index of the start character. */
  startBeat: number;
  /** Byte position (beat * lanes + lane) of the start and of the byte after the last frame byte. */
  startPos: number;
  endPos: number;
  /** Ended by /T/ ('ok') or by another control character ('truncated'). */
  status: 'ok' | 'truncated';
}

/** Byte-level XGMII receiver over a beat stream: call push() per beat, read frames. */
export class XgmiiDecoder {
  frames: WireFrame[] = [];
  /** Start characters that were not on lane 0 of an 8-byte group or not followed by a good preamble. */
  badStarts = 0;
  private beat = 0;
  private inFrame = false;
  private pre = -1;          // preamble bytes checked so far (-1: none in progress)
  private cur: number[] = [];
  private startPos = 0;
  private startBeat = 0;
  constructor(readonly lanes = 8) {}

  push(b: Beat): void {
    for (let l = 0; l < this.lanes; l++) {
      const pos = this.beat * this.lanes + l;
      const byte = b.data[l]!, c = b.ctrl[l]!;
      if (this.pre >= 0) {
        const want = this.pre < 6 ? 0x55 : 0xd5;
        if (c || byte !== want) {
          this.pre = -1;
          this.badStarts++;
          continue;
        }
        if (++this.pre === 7) {
          this.pre = -1;
          this.inFrame = true;
          this.cur = [];
        }
        continue;
      }
      if (this.inFrame) {
        if (!c) {
          this.cur.push(byte);
          continue;
        }
        this.frames.push({ bytes: Uint8Array.from(this.cur), startBeat: this.startBeat, startPos: this.startPos, endPos: pos, status: byte === TERM ? 'ok' : 'truncated' });
        this.inFrame = false;
      }
      if (c && byte === START) {
        if (l % 8 !== 0) {
          this.badStarts++;
          continue;
        }
        this.pre = 0;
        this.startPos = pos;
        this.startBeat = this.beat;
      }
    }
    this.beat++;
  }
}

/** Decode a whole beat list. */
export function decodeXgmii(beats: readonly Beat[], lanes = 8): XgmiiDecoder {
  const d = new XgmiiDecoder(lanes);
  for (const b of beats) d.push(b);
  return d;
}

/** A beat as the (data, ctrl) values of an Xgmii bundle. */
export function beatToBits(b: Beat): { data: bigint; ctrl: number } {
  let data = 0n;
  let ctrl = 0;
  for (let l = b.data.length - 1; l >= 0; l--) data = (data << 8n) | BigInt(b.data[l]!);
  b.ctrl.forEach((c, l) => (ctrl |= (c ? 1 : 0) << l));
  return { data, ctrl };
}

/** The inverse of beatToBits. */
export function bitsToBeat(data: bigint, ctrl: number | bigint, lanes = 8): Beat {
  const c = BigInt(ctrl);
  return {
    data: Uint8Array.from({ length: lanes }, (_, l) => Number((data >> BigInt(8 * l)) & 0xffn)),
    ctrl: Array.from({ length: lanes }, (_, l) => ((c >> BigInt(l)) & 1n) === 1n),
  };
}
