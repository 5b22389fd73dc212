// The peer-to-peer write engine of a Corsair chiplet: programmed by the dispatch engine over its CsrBus, it reads a
// buffer out of the stash through a MemPort and sends it to another card's memory as PCIe Memory Write TLPs that
// never cross a 4 KB boundary nor exceed Max Payload Size, then writes the "go" flag with Relaxed Ordering off, so
// the flag cannot pass the data. Device-initiated: no host in the data path.
import { Module, U, bitsFor, cat, flip, mux, select, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { MemPort } from '../../lib/mem-port.ts';
import { PacketStream } from '../../lib/packet.ts';
import { Fifo } from '../../lib/fifo.ts';
import { fire } from '../../lib/stream.ts';
import { P2P_BIT, P2P_REG } from './regs.ts';
import { fit, memWriteHeader, writeByteEnables } from './tlp-header.ts';

export interface P2pEngineOptions {
  /** TLP datapath and stash word width in bits: 128, 256, 512 or 1024 (default 512: 64 B a cycle at 1 GHz). */
  width?: number;
  /** Byte address bits of the stash MemPort (default 23: the 8 MiB stash window). */
  addrBits?: number;
  /** Read-data buffer in words; covers the stash's read latency at full rate (default 16). */
  readBuffer?: number;
}

/** Validates a TLP datapath width (shared by the PCIe blocks). */
export function checkTlpWidth(who: string, width: number): void {
  if (![128, 256, 512, 1024].includes(width)) throw new Error(`${who}: width must be 128, 256, 512 or 1024 bits, got ${width}`);
}

export class P2pEngine extends Module {
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** Reads of the source buffer (the stash's pcieOut port). */
  readonly mem: HwBundle<ReturnType<typeof MemPort>>;
  /** TLPs out, in wire order. */
  readonly tlp: HwBundle<ReturnType<typeof PacketStream>>;
  /** The done interrupt (DISPATCH_IRQ.PCIE_P2P_DONE): STATUS.DONE. */
  readonly irq: Output;
  readonly width: number;

  constructor(opts: P2pEngineOptions = {}) {
    super();
    const width = opts.width ?? 512;
    const addrBits = opts.addrBits ?? 23;
    const depth = opts.readBuffer ?? 16;
    checkTlpWidth('P2pEngine', width);
    const W = width / 8;
    const lw = Math.log2(W);
    if (!Number.isInteger(addrBits) || addrBits <= lw || addrBits > 32) throw new Error(`P2pEngine: addrBits must be ${lw + 1}..32, got ${addrBits}`);
    if (!Number.isInteger(depth) || depth < 2 || depth > 256) throw new Error(`P2pEngine: readBuffer must be 2..256 words, got ${depth}`);
    this.width = width;
    this.csr = this.port(flip(CsrBus(4)));
    this.mem = this.port(MemPort(addrBits, width));
    this.tlp = this.port(PacketStream(width));
    this.irq = this.output(1, { doc: 'transfer done (STATUS.DONE), cleared by CMD.ACK' });

    // ---- registers the dispatch engine programs
    const csrWr = this.csr.en.and(this.csr.we);
    const wr = (a: number) => csrWr.and(this.csr.addr.eq(a));
    const rw = (a: number, w: number) => {
      const r = this.reg(w);
      when(wr(a), () => r.set(this.csr.wdata.trunc(w)));
      return r;
    };
    const src = rw(P2P_REG.SRC, 32);
    const dstLo = rw(P2P_REG.DST_LO, 32);
    const dstHi = rw(P2P_REG.DST_HI, 32);
    const len = rw(P2P_REG.LEN, 32);
    const flagLo = rw(P2P_REG.FLAG_LO, 32);
    const flagHi = rw(P2P_REG.FLAG_HI, 32);
    const flagValue = rw(P2P_REG.FLAG_VALUE, 32);
    const mps = rw(P2P_REG.MPS, 32);
    const reqId = rw(P2P_REG.REQ_ID, 16);
    const ctrl = rw(P2P_REG.CTRL, 1);
    const busy = this.reg(1);
    const done = this.reg(1);
    const error = this.reg(1);
    const tlps = this.reg(32);

    // ---- working state of the transfer
    const wSrc = this.reg(addrBits);
    const wDst = this.reg(64);
    const wLeft = this.reg(32);
    const planning = this.reg(1);
    const tag = this.reg(8);
    const mpsSmall = this.reg(13);

    const start = wr(P2P_REG.CMD).and(this.csr.wdata.bit(0)).and(busy.not());
    const ack = wr(P2P_REG.CMD).and(this.csr.wdata.bit(1));
    const mpsOk = [128, 256, 512, 1024, 2048, 4096].map((v) => mps.eq(v)).reduce((x, y) => x.or(y));
    const flagOk = flagLo.slice(1, 0).eq(0);
    when(ack, () => {
      done.set(0);
      error.set(0);
    });
    when(start, () => {
      when(mpsOk.and(flagOk), () => {
        busy.set(1);
        planning.set(1);
        wSrc.set(src.trunc(addrBits));
        wDst.set(cat(dstHi, dstLo));
        wLeft.set(len);
        mpsSmall.set(mps.trunc(13));
      }).otherwise(() => {
        done.set(1);
        error.set(1);
      });
    });

    // ---- planner: one TLP descriptor a cycle, split at MPS and at 4 KB boundaries, then the flag
    const planFlag = wLeft.eq(0);
    const a = mux(planFlag, U(0, 2), wDst.slice(1, 0));
    const toPage = U(4096, 13).sub(wDst.slice(11, 0).zext(13));
    const cap = mpsSmall.sub(a.zext(13));
    const m1 = mux(cap.lt(toPage), cap, toPage);
    const nData = mux(wLeft.lt(m1.zext(32)), wLeft.trunc(13), m1);
    const n = mux(planFlag, U(4, 13), nData);
    const be = writeByteEnables(a, n);
    const addr = mux(planFlag, cat(flagHi, flagLo), wDst);
    const hdr = memWriteHeader({
      addr, lengthDw: be.lengthDw, firstBe: be.firstBe, lastBe: be.lastBe,
      ro: ctrl.bit(0).and(planFlag.not()), tag, requesterId: reqId,
    });
    const H = mux(hdr.fourDw, U(16, 13), U(12, 13));
    const o = H.add(a.zext(13));
    const tlpBytes = H.add(cat(be.lengthDw, U(0, 2)).trunc(13));
    const beats = tlpBytes.add(W - 1).shr(lw);
    const lastBytes = tlpBytes.sub(1).slice(lw - 1, 0).zext(bitsFor(W)).add(1);
    const a0 = wSrc.sub(fit(o, addrBits));
    const wordAddr = cat(a0.slice(addrBits - 1, lw), U(0, lw));
    const sh = a0.slice(lw - 1, 0);

    // descriptors: one for the reader (words to fetch), one for the beat former (how to build the TLP)
    const rdDescW = addrBits + 13;
    const rdDesc = new Fifo(rdDescW, 4);
    const txFields = { hdr: 128, flag: 1, value: 32, o: 13, n: 13, beats: 13, lastBytes: bitsFor(W), sh: lw };
    const txDescW = Object.values(txFields).reduce((x, y) => x + y);
    const txDesc = new Fifo(txDescW, 4);
    const push = planning.and(rdDesc.in.ready).and(txDesc.in.ready);
    rdDesc.in.valid.assign(push.and(planFlag.not()));
    rdDesc.in.data.assign(cat(wordAddr, beats.add(1)));
    txDesc.in.valid.assign(push);
    txDesc.in.data.assign(cat(hdr.image, planFlag, flagValue, o, n, beats, lastBytes, sh));
    when(push, () => {
      tag.set(tag.add(1));
      when(planFlag, () => planning.set(0)).otherwise(() => {
        wSrc.set(wSrc.add(fit(n, addrBits)));
        wDst.set(wDst.add(n.zext(64)));
        wLeft.set(wLeft.sub(n.zext(32)));
      });
    });

    // ---- reader: fetches each TLP's words (one more than its beats: every beat straddles two words)
    const dataFifo = new Fifo(width, depth);
    const inflight = this.reg(bitsFor(depth));
    const k = this.reg(13);
    const rdWa = rdDesc.out.data.slice(rdDescW - 1, 13);
    const rdN = rdDesc.out.data.slice(12, 0);
    const issue = rdDesc.out.valid.and(inflight.lt(depth));
    this.mem.req.valid.assign(issue);
    this.mem.req.we.assign(0);
    this.mem.req.addr.assign(rdWa.add(fit(cat(k, U(0, lw)), addrBits)));
    this.mem.req.wdata.assign(U(0, width));
    this.mem.req.be.assign(U(0, W));
    const rdFire = fire(this.mem.req);
    const rdLastWord = k.eq(rdN.sub(1));
    rdDesc.out.ready.assign(rdFire.and(rdLastWord));
    when(rdFire, () => k.set(mux(rdLastWord, U(0, 13), k.add(1))));
    dataFifo.in.valid.assign(this.mem.rsp.valid);
    dataFifo.in.data.assign(this.mem.rsp.data);
    const pop = fire(dataFifo.out);
    when(rdFire.and(pop.not()), () => inflight.set(inflight.add(1)))
      .elsewhen(pop.and(rdFire.not()), () => inflight.set(inflight.sub(1)));

    // ---- beat former: header, then the source bytes rotated into place, then the padding
    const fields: Record<string, Sig> = {};
    let hi = txDescW - 1;
    for (const [name, w] of Object.entries(txFields)) {
      fields[name] = txDesc.out.data.slice(hi, hi - w + 1);
      hi -= w;
    }
    const d = fields as Record<keyof typeof txFields, Sig>;
    const isFlag = d.flag;
    const pre = this.reg(1, { init: 1 });
    const j = this.reg(13);
    const prev = this.reg(width);
    const head = dataFifo.out.data;
    const preload = txDesc.out.valid.and(isFlag.not()).and(pre);
    const sendValid = txDesc.out.valid.and(isFlag.or(pre.not().and(dataFifo.out.valid)));
    const beatFire = sendValid.and(this.tlp.ready);
    const lastBeat = j.eq(d.beats.sub(1));
    dataFifo.out.ready.assign(preload.or(beatFire.and(isFlag.not())));
    when(pop, () => prev.set(head));
    when(preload.and(dataFifo.out.valid), () => pre.set(0));
    txDesc.out.ready.assign(beatFire.and(lastBeat));
    when(beatFire, () => {
      when(lastBeat, () => {
        j.set(0);
        pre.set(1);
        tlps.set(tlps.add(1));
        when(isFlag, () => {
          busy.set(0);
          done.set(1);
        });
      }).otherwise(() => j.set(j.add(1)));
    });

    // payload lanes of this beat: TLP offsets [o, o+n) minus the beat's first offset, clamped to 0..W
    const T = fit(cat(j, U(0, lw)), 16);
    const clampLane = (x: Sig) => {
      const x16 = x.zext(16);
      return mux(x16.le(T), U(0, bitsFor(W)), mux(x16.sub(T).ge(W), U(W, bitsFor(W)), x16.sub(T).trunc(bitsFor(W))));
    };
    const lo = clampLane(d.o);
    const hiLane = clampLane(d.o.add(d.n));
    // the same lanes as a bit mask, by shifting (cheaper to simulate than expanding each lane bit)
    const ones = U((1n << BigInt(width)) - 1n, width);
    const bitMask = ones.shl(cat(lo, U(0, 3))).and(ones.shl(cat(hiLane, U(0, 3))).not());
    const rot = cat(head, prev).shr(cat(d.sh, U(0, 3))).slice(width - 1, 0);
    const first = j.eq(0);
    const hdrPart = mux(first, d.hdr.zext(width), U(0, width));
    const dataBeat = rot.and(bitMask).or(hdrPart);
    // the flag TLP: header and the 4-byte value, from its descriptor alone
    const fourDw = d.hdr.slice(7, 0).eq(0x60);
    const flagImage = d.hdr.zext(256).or(mux(fourDw, d.value.zext(256).shl(128), d.value.zext(256).shl(96)));
    const flagBeat = width >= 256 ? flagImage.zext(width) : mux(j.bit(0), flagImage.slice(255, 128), flagImage.slice(127, 0));
    this.tlp.valid.assign(sendValid);
    this.tlp.data.assign(mux(isFlag, flagBeat, dataBeat));
    this.tlp.last.assign(lastBeat);
    this.tlp.bytes.assign(d.lastBytes);

    // ---- register reads
    const status = cat(U(0, 29), error, done, busy);
    const regs: Sig[] = Array.from({ length: 16 }, () => U(0, 32));
    regs[P2P_REG.SRC] = src;
    regs[P2P_REG.DST_LO] = dstLo;
    regs[P2P_REG.DST_HI] = dstHi;
    regs[P2P_REG.LEN] = len;
    regs[P2P_REG.FLAG_LO] = flagLo;
    regs[P2P_REG.FLAG_HI] = flagHi;
    regs[P2P_REG.FLAG_VALUE] = flagValue;
    regs[P2P_REG.MPS] = mps;
    regs[P2P_REG.REQ_ID] = reqId.zext(32);
    regs[P2P_REG.CTRL] = ctrl.zext(32);
    regs[P2P_REG.STATUS] = status;
    regs[P2P_REG.TLPS] = tlps;
    regs[P2P_REG.LEFT] = wLeft;
    if (P2P_BIT.STATUS_ERROR !== 4) throw new Error('internal: register map changed');
    this.csr.rdata.assign(select(this.csr.addr, regs));
    this.irq.assign(done);
  }
}
