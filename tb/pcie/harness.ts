// Test harness for the PCIe blocks: small DSL tops that wire the engine, the link, the switch and the endpoint to
// MemPortRam memories, and testbench helpers (CSR writes, a TLP monitor that collects whole packets as bytes,
// a TLP driver, memory images).
import { Module, connect, flip, type Flip, type HwBundle, type Input, type Output } from '../../rtl/core/index.ts';
import { CsrBus } from '../../rtl/lib/csr-bus.ts';
import { PacketStream } from '../../rtl/lib/packet.ts';
import { MemPortRam } from '../../rtl/lib/mem-port-ram.ts';
import { P2pEngine } from '../../rtl/corsair/pcie/p2p-engine.ts';
import { P2P_REG } from '../../rtl/corsair/pcie/regs.ts';
import { PcieEndpoint } from '../../rtl/corsair/pcie/endpoint.ts';
import { PcieLink } from '../../rtl/corsair/pcie/link.ts';
import { PcieSwitch, cardWindow } from '../../rtl/corsair/pcie/switch.ts';
import type { Testbench } from '../runtime/index.ts';
import { mulberry32 } from '../sim/random.ts';

/** Words of a byte image for a `dataBits`-wide memory (byte i of word w = bytes[w*W + i]). */
export function wordsOf(bytes: Uint8Array, dataBits: number): bigint[] {
  const W = dataBits / 8;
  const out: bigint[] = [];
  for (let w = 0; w * W < bytes.length; w++) {
    let v = 0n;
    for (let i = W - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[w * W + i] ?? 0);
    out.push(v);
  }
  return out;
}

/** Pseudo-random bytes from a seed. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = r() >>> 0;
    for (let k = 0; k < 4 && i + k < n; k++) b[i + k] = (v >>> (8 * k)) & 0xff;
  }
  return b;
}

export interface EngineTopOptions {
  width: number;
  addrBits: number;
  readLatency?: number;
  src: Uint8Array;
}

/** The engine reading a source RAM; its TLPs and CSR port are the top's ports. */
export class EngineTop extends Module {
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly tlp: HwBundle<ReturnType<typeof PacketStream>>;
  readonly irq: Output;
  readonly engine: P2pEngine;
  readonly ram: MemPortRam;
  constructor(o: EngineTopOptions) {
    super();
    this.csr = this.port(flip(CsrBus(4)));
    this.tlp = this.port(PacketStream(o.width));
    this.irq = this.output(1);
    this.engine = new P2pEngine({ width: o.width, addrBits: o.addrBits });
    this.ram = new MemPortRam({ addrBits: o.addrBits, dataBits: o.width, readLatency: o.readLatency ?? 2, init: wordsOf(o.src, o.width) });
    connect(this.engine.mem, this.ram.mem);
    connect(this.csr, this.engine.csr);
    connect(this.engine.tlp, this.tlp);
    this.irq.assign(this.engine.irq);
  }
}

type CsrView = { en: { value: number | bigint }; we: { value: number | bigint }; addr: { value: number | bigint }; wdata: { value: number | bigint }; rdata: { readonly value: number } };
type Tb = Testbench;

/** One CSR write (drive after a rising edge, taken at the next). */
export async function csrWrite(tb: Tb, csr: CsrView, addr: number, data: number): Promise<void> {
  csr.en.value = 1;
  csr.we.value = 1;
  csr.addr.value = addr;
  csr.wdata.value = data >>> 0;
  await tb.rising();
  csr.en.value = 0;
  csr.we.value = 0;
}

/** Combinational CSR read. */
export function csrRead(csr: CsrView, addr: number): number {
  csr.addr.value = addr;
  return csr.rdata.value >>> 0;
}

export interface P2pJob {
  src: number;
  dst: bigint;
  len: number;
  flag: bigint;
  flagValue: number;
  mps: number;
  requesterId: number;
  roData?: boolean;
}

/** Programs the engine and starts it. */
export async function startP2p(tb: Tb, csr: CsrView, j: P2pJob): Promise<void> {
  const w = (a: number, v: number) => csrWrite(tb, csr, a, v);
  await w(P2P_REG.SRC, j.src);
  await w(P2P_REG.DST_LO, Number(j.dst & 0xffff_ffffn));
  await w(P2P_REG.DST_HI, Number(j.dst >> 32n));
  await w(P2P_REG.LEN, j.len);
  await w(P2P_REG.FLAG_LO, Number(j.flag & 0xffff_ffffn));
  await w(P2P_REG.FLAG_HI, Number(j.flag >> 32n));
  await w(P2P_REG.FLAG_VALUE, j.flagValue);
  await w(P2P_REG.MPS, j.mps);
  await w(P2P_REG.REQ_ID, j.requesterId);
  await w(P2P_REG.CTRL, j.roData ? 1 : 0);
  await w(P2P_REG.CMD, 1);
}

type SinkView = { valid: { readonly value: number }; ready: { value: number | bigint }; data: { readonly big: bigint }; last: { readonly value: number }; bytes: { readonly value: number } };
type SourceView = { valid: { value: number | bigint }; ready: { readonly value: number }; data: { value: number | bigint; big: bigint }; last: { value: number | bigint }; bytes: { value: number | bigint } };

/** Collects whole packets from a PacketStream the DUT drives, with random back-pressure (`idle` 0..1). */
export function collectPackets(tb: Tb, port: SinkView, width: number, opts: { idle?: number; seed?: number } = {}): Uint8Array[] {
  const W = width / 8;
  const pkts: Uint8Array[] = [];
  const rnd = mulberry32(opts.seed ?? 7);
  let cur: number[] = [];
  tb.fork(async () => {
    for (;;) {
      port.ready.value = (rnd() >>> 0) / 2 ** 32 >= (opts.idle ?? 0) ? 1 : 0;
      await tb.falling();
      if (port.valid.value === 1 && port.ready.value === 1) {
        const d = port.data.big;
        const n = port.last.value ? port.bytes.value : W;
        for (let i = 0; i < n; i++) cur.push(Number((d >> BigInt(8 * i)) & 0xffn));
        if (port.last.value) {
          pkts.push(Uint8Array.from(cur));
          cur = [];
        }
      }
      await tb.rising();
    }
  }, 'tlp-monitor');
  return pkts;
}

/** Sends whole packets into a PacketStream the DUT takes, with random idle cycles. */
export async function sendPackets(tb: Tb, port: SourceView, width: number, pkts: Uint8Array[], opts: { idle?: number; seed?: number } = {}): Promise<void> {
  const W = width / 8;
  const rnd = mulberry32(opts.seed ?? 9);
  port.valid.value = 0;
  for (const p of pkts) {
    const beats = Math.max(1, Math.ceil(p.length / W));
    for (let b = 0; b < beats; b++) {
      let v = 0n;
      for (let i = W - 1; i >= 0; i--) v = (v << 8n) | BigInt(p[b * W + i] ?? 0);
      for (;;) {
        const offer = (rnd() >>> 0) / 2 ** 32 >= (opts.idle ?? 0);
        port.valid.value = offer ? 1 : 0;
        port.data.value = v;
        port.last.value = b === beats - 1 ? 1 : 0;
        port.bytes.value = b === beats - 1 ? (p.length - b * W) % (W + 1) : W;
        await tb.falling();
        const taken = offer && port.ready.value === 1;
        await tb.rising();
        if (taken) break;
      }
    }
  }
  port.valid.value = 0;
}

export interface EndpointTopOptions {
  width: number;
  addrBits: number;
  mps?: number;
  card?: number;
  chiplet?: number;
  stashBytes?: number;
  /** Stall input on the stash port (random back-pressure from the testbench). */
  stall?: boolean;
}

/** The endpoint writing into a destination RAM; TLPs in, CSR port and irq out. */
export class EndpointTop extends Module {
  readonly tlp: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly irq: Output;
  readonly stall: Input | undefined;
  readonly ep: PcieEndpoint;
  readonly ram: MemPortRam;
  constructor(o: EndpointTopOptions) {
    super();
    this.tlp = this.port(flip(PacketStream(o.width)));
    this.csr = this.port(flip(CsrBus(4)));
    this.irq = this.output(1);
    this.stall = o.stall ? this.input(1) : undefined;
    this.ep = new PcieEndpoint({ width: o.width, addrBits: o.addrBits, mps: o.mps, card: o.card, chiplet: o.chiplet, stashBytes: o.stashBytes });
    this.ram = new MemPortRam({ addrBits: o.addrBits, dataBits: o.width, stallInput: o.stall });
    connect(this.tlp, this.ep.tlp);
    connect(this.ep.mem, this.ram.mem);
    connect(this.csr, this.ep.csr);
    if (this.stall) this.ram.stall!.assign(this.stall);
    this.irq.assign(this.ep.irq);
  }
}

/** Reads `n` bytes of a MemPortRam by backdoor (reads do not spoil co-simulation). */
export function readRam(tb: Tb, ram: MemPortRam, n: number): Uint8Array {
  const W = ram.dataBits / 8;
  const out = new Uint8Array(n);
  const mem = ram.__m.memories[0]!;
  for (let w = 0; w * W < n; w++) {
    const v = tb.sim.readMemory(mem, w);
    for (let i = 0; i < W && w * W + i < n; i++) out[w * W + i] = Number((v >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

export interface P2pSystemOptions {
  width: number;
  /** Source and destination stash address bits (2^addrBits bytes each). */
  addrBits: number;
  /** Source stash contents. */
  src: Uint8Array;
  /** 'direct': card A's link straight into card B; 'switch': both cards under a PcieSwitch. */
  path: 'direct' | 'switch';
  linkLatencyNs?: number;
  switchLatencyNs?: number;
  phCredits?: number;
  pdCredits?: number;
  /** Destination chiplet of card 1. */
  chiplet?: number;
  /** Stall input on the destination stash port. */
  stall?: boolean;
}

/** Card 0's engine writing into card 1's chiplet, directly or through a switch. */
export class P2pSystem extends Module {
  readonly csrA: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly csrB: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly doneA: Output;
  readonly goB: Output;
  readonly unclaimed: Output;
  readonly stall: Input | undefined;
  readonly engine: P2pEngine;
  readonly srcRam: MemPortRam;
  readonly link: PcieLink;
  readonly sw: PcieSwitch | undefined;
  readonly ep: PcieEndpoint;
  readonly dstRam: MemPortRam;
  constructor(o: P2pSystemOptions) {
    super();
    const { width, addrBits } = o;
    this.csrA = this.port(flip(CsrBus(4)));
    this.csrB = this.port(flip(CsrBus(4)));
    this.doneA = this.output(1);
    this.goB = this.output(1);
    this.unclaimed = this.output(32);
    this.stall = o.stall ? this.input(1) : undefined;
    this.engine = new P2pEngine({ width, addrBits });
    this.srcRam = new MemPortRam({ addrBits, dataBits: width, readLatency: 2, init: wordsOf(o.src, width) });
    connect(this.engine.mem, this.srcRam.mem);
    connect(this.csrA, this.engine.csr);
    this.doneA.assign(this.engine.irq);
    const credits = { phCredits: o.phCredits, pdCredits: o.pdCredits };
    this.link = new PcieLink({ width, latencyNs: o.linkLatencyNs ?? 0, ...credits });
    connect(this.engine.tlp, this.link.in);
    this.ep = new PcieEndpoint({ width, addrBits, card: 1, chiplet: o.chiplet ?? 0, stashBytes: 2 ** addrBits });
    this.dstRam = new MemPortRam({ addrBits, dataBits: width, stallInput: o.stall });
    if (this.stall) this.dstRam.stall!.assign(this.stall);
    connect(this.ep.mem, this.dstRam.mem);
    connect(this.csrB, this.ep.csr);
    this.goB.assign(this.ep.irq);
    if (o.path === 'direct') {
      connect(this.link.out, this.ep.tlp);
      this.unclaimed.assign(0);
    } else {
      const sw = new PcieSwitch({ width, downstream: [[cardWindow(0)], [cardWindow(1)]], latencyNs: o.switchLatencyNs, link: credits });
      this.sw = sw;
      connect(this.link.out, sw.down[0]!.rx);
      connect(sw.down[1]!.tx, this.ep.tlp);
      // nothing else sends; whatever leaves upstream or back to card 0 is taken
      sw.up.rx.valid.assign(0);
      sw.up.rx.data.assign(0);
      sw.up.rx.last.assign(0);
      sw.up.rx.bytes.assign(0);
      sw.down[1]!.rx.valid.assign(0);
      sw.down[1]!.rx.data.assign(0);
      sw.down[1]!.rx.last.assign(0);
      sw.down[1]!.rx.bytes.assign(0);
      sw.up.tx.ready.assign(1);
      sw.down[0]!.tx.ready.assign(1);
      this.unclaimed.assign(sw.unclaimed);
    }
  }
}
