// Bus functional models for packet streams (PacketStream / EthStream): a source that sends byte arrays as beats
// (byte i of a beat at bits 8i+7..8i, `bytes` on the last beat, optional err), with random idle cycles, and a sink
// that collects packets under random back-pressure and checks the design holds a beat until it is taken.
import type { ClockDomain } from '../../../rtl/core/index.ts';
import { TestbenchError, type InPort, type OutPort, type Testbench } from '../../runtime/index.ts';

export interface PacketSourceSide {
  readonly valid: InPort;
  readonly ready: OutPort;
  readonly data: InPort;
  readonly last: InPort;
  readonly bytes: InPort;
  readonly err?: InPort;
}

export interface PacketSinkSide {
  readonly valid: OutPort;
  readonly ready: InPort;
  readonly data: OutPort;
  readonly last: OutPort;
  readonly bytes: OutPort;
  readonly err?: OutPort;
}

export interface Packet {
  bytes: Uint8Array;
  err?: boolean;
}

export interface ReceivedPacket extends Packet {
  /** Rising-edge cycle numbers at which the first and the last beat moved. */
  firstCycle: number;
  lastCycle: number;
}

export interface PacketBfmOptions {
  domain?: ClockDomain;
  /** Chance of offering a beat (source) or of being ready (sink) in a cycle. Default 1. */
  prob?: number;
  rand?: () => number;
  maxCycles?: number;
  /** Source: called with the packet index and the cycle its first beat moved. */
  onFirstBeat?: (i: number, cycle: number) => void;
}

/** The beats of a packet: little-endian bigints of `width` bits, and the byte count of the last one. */
export function toBeats(p: Uint8Array, width: number): { beats: bigint[]; lastBytes: number } {
  const B = width / 8;
  if (p.length === 0) throw new Error('toBeats: empty packet');
  const beats: bigint[] = [];
  for (let at = 0; at < p.length; at += B) {
    let v = 0n;
    const end = Math.min(p.length, at + B);
    for (let i = end - 1; i >= at; i--) v = (v << 8n) | BigInt(p[i]!);
    beats.push(v);
  }
  return { beats, lastBytes: p.length - (beats.length - 1) * B };
}

function beatBytes(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** Send packets one after the other; resolves with the cycle each packet's last beat moved. */
export async function sendPackets(tb: Testbench, port: PacketSourceSide, packets: readonly Packet[], opts: PacketBfmOptions = {}): Promise<number[]> {
  const { domain, prob = 1, rand = Math.random, maxCycles = 200_000 } = opts;
  const width = port.data.width;
  const done: number[] = [];
  let n = 0;
  let holding = false; // a beat offered and not taken stays offered
  for (let pi = 0; pi < packets.length; pi++) {
    const p = packets[pi]!;
    const { beats, lastBytes } = toBeats(p.bytes, width);
    for (let b = 0; b < beats.length; ) {
      if (n++ > maxCycles) throw new TestbenchError(`packet source: packet ${pi} not taken after ${maxCycles} cycles`);
      const offer: boolean = holding || rand() < prob;
      const last = b === beats.length - 1;
      port.valid.value = offer ? 1 : 0;
      port.data.big = beats[b]!;
      port.last.value = last ? 1 : 0;
      port.bytes.value = last ? lastBytes : width / 8;
      if (port.err) port.err.value = last && p.err ? 1 : 0;
      await tb.falling(domain);
      const taken: boolean = offer && port.ready.value === 1;
      await tb.rising(domain);
      holding = offer && !taken;
      if (taken) {
        if (b === 0) opts.onFirstBeat?.(pi, tb.cycle(domain));
        if (last) done.push(tb.cycle(domain));
        b++;
      }
    }
  }
  port.valid.value = 0;
  port.last.value = 0;
  if (port.err) port.err.value = 0;
  return done;
}

/** Collect `count` packets (or until `stop()` says so, checked every cycle) under random back-pressure. */
export async function receivePackets(tb: Testbench, port: PacketSinkSide, count: number, opts: PacketBfmOptions & { stop?: () => boolean } = {}): Promise<ReceivedPacket[]> {
  const { domain, prob = 1, rand = Math.random, maxCycles = 200_000 } = opts;
  const B = port.data.width / 8;
  const got: ReceivedPacket[] = [];
  let cur: number[] = [];
  let first = 0;
  let waiting: bigint | undefined;
  for (let n = 0; got.length < count && !(opts.stop?.() ?? false); n++) {
    if (n > maxCycles) throw new TestbenchError(`packet sink: got ${got.length} of ${count} packets after ${maxCycles} cycles`);
    const ready = rand() < prob;
    port.ready.value = ready ? 1 : 0;
    await tb.falling(domain);
    const valid = port.valid.value === 1;
    const data = port.data.big;
    if (waiting !== undefined) {
      tb.check(valid, `${port.valid.path} dropped while a beat waited to be taken`);
      tb.expectEqual(data, waiting, `${port.data.path} changed while waiting to be taken`);
    }
    const last = port.last.value === 1;
    const nb = last ? port.bytes.value : B;
    const err = port.err ? port.err.value === 1 : false;
    await tb.rising(domain);
    if (valid && ready) {
      if (cur.length === 0) first = tb.cycle(domain);
      tb.check(nb >= 1 && nb <= B, `${port.bytes.path} = ${nb} on a last beat`);
      cur.push(...beatBytes(data, nb));
      if (last) {
        got.push({ bytes: Uint8Array.from(cur), err, firstCycle: first, lastCycle: tb.cycle(domain) });
        cur = [];
      }
    }
    waiting = valid && !ready ? data : undefined;
  }
  port.ready.value = 0;
  return got;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
