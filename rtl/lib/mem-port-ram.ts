// A simple RAM behind a MemPort (the memory's side): for testbenches and small systems that need something to
// read and write through MemPort before the real memory is connected. Fixed read latency, byte-enable writes,
// optional initial contents, and an optional `stall` input that drops req.ready (to test back-pressure).
import { Module, bitsFor, flip, type Flip, type HwBundle, type Input } from '../core/index.ts';
import type { MemInit } from '../core/memory.ts';
import { MemPort } from './mem-port.ts';
import { fire } from './stream.ts';

export interface MemPortRamOptions {
  /** Byte address bits of the port (default 16). */
  addrBits?: number;
  /** Word width in bits, a multiple of 8 and a power of two (default 64). */
  dataBits?: number;
  /** Words of storage (default 2^addrBits / bytes per word). Addresses beyond read 0 and ignore writes. */
  depth?: number;
  /** Cycles from a read's handshake to its rsp beat, >= 1 (default 1). */
  readLatency?: number;
  /** Initial contents, word i. */
  init?: MemInit;
  /** Add a `stall` input: while it is 1, req.ready is 0 (default false: always ready). */
  stallInput?: boolean;
}

export class MemPortRam extends Module {
  /** The memory side of a MemPort: connect the initiator's MemPort to it. */
  readonly mem: HwBundle<Flip<ReturnType<typeof MemPort>>>;
  /** Present with `stallInput`: 1 refuses requests this cycle. */
  readonly stall: Input | undefined;
  readonly addrBits: number;
  readonly dataBits: number;
  readonly depth: number;
  readonly readLatency: number;

  constructor(opts: MemPortRamOptions = {}) {
    super();
    const addrBits = opts.addrBits ?? 16;
    const dataBits = opts.dataBits ?? 64;
    const readLatency = opts.readLatency ?? 1;
    if (!Number.isInteger(dataBits) || dataBits < 8 || (dataBits & (dataBits - 1)) !== 0) {
      throw new Error(`MemPortRam: dataBits must be a power of two >= 8, got ${dataBits}`);
    }
    const lanes = dataBits / 8;
    const laneBits = bitsFor(lanes - 1);
    if (!Number.isInteger(addrBits) || addrBits <= laneBits || addrBits > 40) {
      throw new Error(`MemPortRam: addrBits must be ${laneBits + 1}..40, got ${addrBits}`);
    }
    const depth = opts.depth ?? 2 ** (addrBits - (lanes === 1 ? 0 : laneBits));
    if (!Number.isInteger(depth) || depth < 1 || depth > 2 ** (addrBits - (lanes === 1 ? 0 : laneBits))) {
      throw new Error(`MemPortRam: depth must be 1..${2 ** (addrBits - laneBits)} words, got ${depth}`);
    }
    if (!Number.isInteger(readLatency) || readLatency < 1 || readLatency > 64) {
      throw new Error(`MemPortRam: readLatency must be 1..64, got ${readLatency}`);
    }
    this.addrBits = addrBits;
    this.dataBits = dataBits;
    this.depth = depth;
    this.readLatency = readLatency;
    this.mem = this.port(flip(MemPort(addrBits, dataBits)));
    this.stall = opts.stallInput ? this.input(1, { doc: '1 = refuse requests this cycle' }) : undefined;

    const req = this.mem.req;
    req.ready.assign(this.stall ? this.stall.not() : 1);
    const take = fire(req);
    const wordAddr = lanes === 1 ? req.addr : req.addr.slice(addrBits - 1, laneBits);
    const ram = this.memory({ depth, width: dataBits, init: opts.init, readDuringWrite: 'old' });
    ram.write(wordAddr, req.wdata, { en: take.and(req.we), mask: req.be });
    const isRead = take.and(req.we.not());
    let valid = this.regNext(isRead);
    let data = ram.read(wordAddr, { en: isRead });
    for (let i = 1; i < readLatency; i++) {
      valid = this.regNext(valid);
      data = this.regNext(data);
    }
    this.mem.rsp.valid.assign(valid);
    this.mem.rsp.data.assign(data);
  }
}
