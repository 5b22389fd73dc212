// Ethernet frame reference (behavioural, for tests): pad a frame to 60 bytes, append its FCS (Node's zlib.crc32),
// and classify a received frame (good, runt, oversize, bad FCS) as an 802.3 receiver should.
import * as zlib from 'node:zlib';

export const MIN_FRAME = 64;
export const MAX_FRAME = 1518;
/** The CRC-32 of any frame followed by its own FCS (what zlib returns for it). */
export const FCS_RESIDUE = 0x2144df1c;

/** IEEE 802.3 FCS of `bytes`: zlib's CRC-32, sent least significant byte first. */
export function fcsOf(bytes: Uint8Array): number {
  return zlib.crc32(bytes) >>> 0;
}

/** The frame as it goes on the wire after the SFD: zero-padded to 60 bytes, then the FCS (inverted if `stomp`). */
export function wireFrame(frame: Uint8Array, opts: { stomp?: boolean } = {}): Uint8Array {
  const len = Math.max(frame.length, MIN_FRAME - 4);
  const out = new Uint8Array(len + 4);
  out.set(frame);
  let f = fcsOf(out.subarray(0, len));
  if (opts.stomp) f = ~f >>> 0;
  for (let i = 0; i < 4; i++) out[len + i] = (f >>> (8 * i)) & 0xff;
  return out;
}

export type FrameVerdict = 'good' | 'runt' | 'oversize' | 'badFcs';

/** What a receiver must do with `wire` (DA to the end of the FCS): the first fault, in the order runt, oversize, FCS. */
export function classify(wire: Uint8Array, maxFrame = MAX_FRAME): FrameVerdict {
  if (wire.length < MIN_FRAME) return 'runt';
  if (wire.length > maxFrame) return 'oversize';
  return fcsOf(wire) === FCS_RESIDUE ? 'good' : 'badFcs';
}
