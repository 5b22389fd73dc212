// Dual-clock packet FIFO: a PacketStream (optionally with EthStream's `err`) written in one clock domain and read in
// another. Each beat is packed into one AsyncFifo word as {err, last, bytes, data}, so beats, packet boundaries and
// the error bit cross together; the crossing itself is AsyncFifo's (gray-coded pointers through Sync2).
import { Module, U, cat, flip, type ClockDomain } from '../core/index.ts';
import { AsyncFifo } from './async-fifo.ts';
import { PacketStreamWithErr, type PacketSinkPorts, type PacketSourcePorts } from './packet-width.ts';

export interface PacketAsyncFifoOptions {
  /** Beat width in bits (a multiple of 8). */
  width: number;
  /** 2^depthLog2 beats in the RAM (plus one in the output register); 1..24, >= 3 for full rate. Default 4. */
  depthLog2?: number;
  /** Carry `err` on the last beat (EthStream). Default false. */
  err?: boolean;
  wrDomain: ClockDomain;
  rdDomain: ClockDomain;
}

/** Latency and capacity as AsyncFifo: a beat written into an empty FIFO is on `out` 3 read-clock edges later. */
export class PacketAsyncFifo extends Module {
  /** Write side (wrDomain). */
  readonly in: PacketSinkPorts;
  /** Read side (rdDomain). */
  readonly out: PacketSourcePorts;
  readonly fifo: AsyncFifo;

  constructor(o: PacketAsyncFifoOptions) {
    super();
    const { width } = o;
    const depthLog2 = o.depthLog2 ?? 4;
    const err = o.err ?? false;
    if (!Number.isInteger(width) || width < 8 || width % 8 !== 0) throw new Error(`PacketAsyncFifo: width must be a positive multiple of 8, got ${width}`);
    this.in = this.port(flip(PacketStreamWithErr(width, err))) as PacketSinkPorts;
    this.out = this.port(PacketStreamWithErr(width, err)) as PacketSourcePorts;
    const bw = this.in.bytes.width;
    const wordWidth = 1 + 1 + bw + width;
    this.fifo = new AsyncFifo(wordWidth, depthLog2, o.wrDomain, o.rdDomain);
    const f = this.fifo;
    f.in.valid.assign(this.in.valid);
    f.in.data.assign(cat(this.in.err ?? U(0, 1), this.in.last, this.in.bytes, this.in.data));
    this.in.ready.assign(f.in.ready);
    this.out.valid.assign(f.out.valid);
    f.out.ready.assign(this.out.ready);
    const w = f.out.data;
    this.out.data.assign(w.slice(width - 1, 0));
    this.out.bytes.assign(w.slice(width + bw - 1, width));
    this.out.last.assign(w.bit(width + bw));
    this.out.err?.assign(w.bit(width + bw + 1));
  }
}
