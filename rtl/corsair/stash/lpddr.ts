// Model of one off-chip LPDDR5X channel (Corsair: 2 a chiplet) as the DMA engine sees it: a memory behind a MemPort
// with a fixed read latency and a bandwidth limit. Requests (reads and writes alike) are accepted while the channel
// has a word's worth of byte credits; credits refill at `bytesPerCycle`. Writes land at their handshake; a read
// sees every earlier write and answers exactly `latency` cycles after its handshake, so responses stay in order.
// It is a timing model of the channel, not of the DRAM's banks, pages or refresh; the size is a parameter (a model
// cannot hold the card's 256 GB).
import { Module, U, clog2, flip, mux, type HwBundle, type Memory, type Sig } from '../../core/index.ts';
import { MemPort } from '../../lib/mem-port.ts';

export interface LpddrChannelOptions {
  /** Bytes the model holds (default 1 MiB); a multiple of wordBytes. */
  sizeBytes?: number;
  /** Bytes a word on the port (power of two 4..256, default 64). */
  wordBytes?: number;
  /** Cycles from a read's handshake to its data (1..1024, default 40: about 40 ns at 1 GHz). */
  latency?: number;
  /** Sustained bytes a cycle, reads and writes together (1..wordBytes, default 16: 16 GB/s at 1 GHz). */
  bytesPerCycle?: number;
}

export class LpddrChannel extends Module {
  /** The channel's port: flip(MemPort(addrBits, wordBytes * 8)). */
  readonly bus: HwBundle<ReturnType<typeof flip<ReturnType<typeof MemPort>>>>;
  readonly mem: Memory;
  readonly options: Required<LpddrChannelOptions>;
  readonly addrBits: number;

  constructor(opts: LpddrChannelOptions = {}) {
    super();
    const o: Required<LpddrChannelOptions> = {
      sizeBytes: opts.sizeBytes ?? 2 ** 20,
      wordBytes: opts.wordBytes ?? 64,
      latency: opts.latency ?? 40,
      bytesPerCycle: opts.bytesPerCycle ?? 16,
    };
    const wb = o.wordBytes;
    if (!Number.isInteger(wb) || wb < 4 || wb > 256 || (wb & (wb - 1)) !== 0) throw new Error(`LpddrChannel: wordBytes must be a power of two 4..256, got ${wb}`);
    if (!Number.isInteger(o.sizeBytes) || o.sizeBytes < wb || o.sizeBytes % wb !== 0 || o.sizeBytes > 2 ** 31) {
      throw new Error(`LpddrChannel: sizeBytes must be a positive multiple of wordBytes (${wb}) up to 2^31, got ${o.sizeBytes}`);
    }
    if (!Number.isInteger(o.latency) || o.latency < 1 || o.latency > 1024) throw new Error(`LpddrChannel: latency must be an integer 1..1024 cycles, got ${o.latency}`);
    if (!Number.isInteger(o.bytesPerCycle) || o.bytesPerCycle < 1 || o.bytesPerCycle > wb) {
      throw new Error(`LpddrChannel: bytesPerCycle must be an integer 1..wordBytes (${wb}), got ${o.bytesPerCycle}`);
    }
    this.options = o;
    const W = wb * 8;
    const offBits = Math.log2(wb);
    const aw = Math.max(offBits + 1, clog2(o.sizeBytes));
    this.addrBits = aw;
    this.bus = this.port(flip(MemPort(aw, W)));
    const p = this.bus;

    // bandwidth: byte credits, at most one word's worth; a request spends a word
    const cw = clog2(2 * wb + 1);
    const credit = this.reg(cw, { init: wb });
    const ready = o.bytesPerCycle === wb ? U(1, 1) : credit.eq(wb);
    p.req.ready.assign(ready);
    const take = p.req.valid.and(ready);
    if (o.bytesPerCycle < wb) {
      const left = mux(take, credit.sub(wb), credit).add(o.bytesPerCycle);
      credit.set(mux(left.gt(wb), U(wb, cw), left));
    }

    // the array: writes land at the handshake, reads are registered (one cycle)
    const words = o.sizeBytes / wb;
    this.mem = this.memory({ depth: words, width: W, name: 'dram' });
    const wordAddr = p.req.addr.slice(aw - 1, offBits);
    this.mem.write(wordAddr, p.req.wdata, { en: take.and(p.req.we), mask: p.req.be });
    const isRead = take.and(p.req.we.not());
    const data: Sig = this.mem.read(wordAddr, { en: isRead });

    // the rest of the latency: valid bits in a shift register, data in a ring of latency - 1 words
    let valid: Sig = this.regNext(isRead);
    let out: Sig = data;
    if (o.latency > 1) {
      const d = o.latency - 1;
      for (let s = 0; s < d; s++) valid = this.regNext(valid);
      const ring = this.memory({ depth: d, width: W, name: 'delay' });
      const pw = clog2(d);
      const ptr = this.reg(pw);
      if (d > 1) ptr.set(mux(ptr.eq(d - 1), U(0, pw), ptr.add(1)));
      // written with each cycle's read data, read back d cycles later (the old word, before this edge's write)
      ring.write(ptr, data);
      out = ring.readAsync(ptr);
    }
    p.rsp.valid.assign(valid);
    // data only with valid (the ring starts without contents)
    p.rsp.data.assign(mux(valid, out, U(0, W)));
  }
}
