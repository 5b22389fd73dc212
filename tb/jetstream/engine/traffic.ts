// Random traffic for the JetStream engine tests: peer-to-peer writes (remote window, doorbells, some TLPs that must
// not be carried) as TLP bytes from the reference encoder, and faults injected into frame streams.
import fc from 'fast-check';
import { encodeMemWrite, splitTransfer } from '../../pcie/tlp-ref.ts';
import { MAP } from './framing-ref.ts';
import type { Packet } from './packet-bfm.ts';

export interface WriteSpec {
  kind: 'remote' | 'doorbell' | 'local' | 'low' | 'far';
  node: number;
  card: number;
  chiplet: number;
  /** Byte offset inside the chiplet's stash window (remote) or doorbell page. */
  at: number;
  length: number;
  seed: number;
  tc: number;
}

/** A random write specification; `nodes` nodes are reachable. */
export const writeSpec = (nodes: number, maxLen = 600): fc.Arbitrary<WriteSpec> =>
  fc.record({
    kind: fc.constantFrom<WriteSpec['kind']>('remote', 'remote', 'remote', 'remote', 'remote', 'remote', 'doorbell', 'local', 'low', 'far'),
    node: fc.integer({ min: 0, max: nodes - 1 }),
    card: fc.integer({ min: 0, max: 15 }),
    chiplet: fc.integer({ min: 0, max: 7 }),
    at: fc.integer({ min: 0, max: 0x7f_efff }),
    length: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: maxLen }), fc.integer({ min: 1, max: maxLen }), fc.integer({ min: maxLen, max: 4096 })),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    tc: fc.integer({ min: 0, max: 7 }),
  });

function bytesFrom(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export const remoteAddr = (node: number, card: number, offset: bigint): bigint =>
  MAP.REMOTE_BASE + (BigInt(node) << 32n) + (BigInt(card) << 28n) + offset;

/** TLPs for one write spec (split at 4 KB boundaries and `mps`). */
export function tlpsOf(s: WriteSpec, requesterId: number, mps = 4096): Uint8Array[] {
  const chip = BigInt(s.chiplet) * MAP.CHIPLET_WINDOW;
  let addr: bigint;
  let length = s.length;
  switch (s.kind) {
    case 'remote': addr = remoteAddr(s.node, s.card, chip + BigInt(s.at)); break;
    case 'doorbell': addr = remoteAddr(s.node, s.card, chip + MAP.DOORBELL_OFFSET + BigInt(s.at & 0xffc)); length = Math.min(length, 4); break;
    case 'local': addr = MAP.CARD_BAR_BASE + BigInt(s.card) * MAP.CARD_BAR_SIZE + BigInt(s.at); break;
    case 'low': addr = BigInt(0x1000_0000 + s.at); break;
    case 'far': addr = MAP.REMOTE_BASE + (200n << 32n) + BigInt(s.at); break; // node 200: outside any window
  }
  const data = bytesFrom(s.seed, length);
  if (length === 0) return [encodeMemWrite({ addr, data, requesterId, tag: s.seed & 0xff, tc: s.tc })];
  let done = 0;
  return splitTransfer(addr, length, mps).map((p, i) => {
    const t = encodeMemWrite({ addr: p.addr, data: data.slice(done, done + p.length), requesterId, tag: (s.seed + i) & 0xff, tc: s.tc });
    done += p.length;
    return t;
  });
}

export type Fault = 'none' | 'lose' | 'swap' | 'dup' | 'err' | 'type' | 'node' | 'short' | 'pad';

export const faultArb = (faultRate: number): fc.Arbitrary<Fault> =>
  fc.integer({ min: 0, max: 999 }).chain((r) =>
    r >= faultRate * 1000 ? fc.constant<Fault>('none') : fc.constantFrom<Fault>('lose', 'swap', 'dup', 'err', 'type', 'node', 'short', 'pad'));

/**
 * Apply one fault per frame position: lose it, swap it with the next, send it twice, flag it err, corrupt its
 * EtherType or destination node, cut its payload short, or pad it with junk (as a MAC does below 60 bytes). Frames
 * shorter than 60 bytes are always padded with zeros.
 */
export function injectFaults(frames: readonly Uint8Array[], faults: readonly Fault[]): Packet[] {
  const out: Packet[] = [];
  const fs = [...frames];
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i]!;
    const fault = faults[i % faults.length] ?? 'none';
    const pad = (b: Uint8Array, fill = 0): Uint8Array => {
      if (b.length >= 60) return b;
      const p = new Uint8Array(60).fill(fill);
      p.set(b);
      return p;
    };
    switch (fault) {
      case 'lose': break;
      case 'swap':
        if (i + 1 < fs.length) {
          out.push({ bytes: pad(fs[i + 1]!) });
          out.push({ bytes: pad(f) });
          i++;
        } else out.push({ bytes: pad(f) });
        break;
      case 'dup': out.push({ bytes: pad(f) }, { bytes: pad(f) }); break;
      case 'err': out.push({ bytes: pad(f), err: true }); break;
      case 'type': { const b = pad(f).slice(); b[13] ^= 0x01; out.push({ bytes: b }); break; }
      case 'node': { const b = pad(f).slice(); b[17] ^= 0x40; out.push({ bytes: b }); break; }
      case 'short': out.push({ bytes: f.slice(0, Math.max(33, f.length - 4)) }); break;
      case 'pad': { const p = new Uint8Array(f.length + 13).fill(0xa5); p.set(f); out.push({ bytes: p }); break; }
      default: out.push({ bytes: pad(f) });
    }
  }
  return out;
}
