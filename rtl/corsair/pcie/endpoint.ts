// The inbound side of a Corsair chiplet's PCIe endpoint: takes Memory Write TLPs addressed to the chiplet's window
// of its card's BAR, checks them (malformed ones are counted and never written), writes their payload into the
// stash through a MemPort with byte enables, and treats a write to the doorbell page as the "go" flag: the value is
// latched and the go interrupt raised. TLPs are stored until their last beat is checked (the Length field can only
// be checked against the payload at the end), then written or dropped in order, so a flag can never pass the data.
import { Module, U, bitsFor, cat, flip, mux, select, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { MemPort } from '../../lib/mem-port.ts';
import { PacketStream } from '../../lib/packet.ts';
import { Fifo } from '../../lib/fifo.ts';
import { fire } from '../../lib/stream.ts';
import { PCIE_MAP } from '../system/pcie-map.ts';
import { PCIE_EP_REG } from './regs.ts';
import { checkTlpWidth } from './p2p-engine.ts';
import { MWR32, MWR64, fit } from './tlp-header.ts';

export interface PcieEndpointOptions {
  /** TLP datapath and stash word width in bits (default 512). */
  width?: number;
  /** Byte address bits of the stash MemPort (default 23). */
  addrBits?: number;
  /** Card index in the server (default 0): its BAR is CARD_BAR_BASE + card * CARD_BAR_SIZE. */
  card?: number;
  /** Chiplet index in the card, 0..7 (default 0): its window is at + chiplet * CHIPLET_WINDOW. */
  chiplet?: number;
  /** Stash bytes from window offset 0 (default 6 MiB, capped by addrBits); writes beyond are unsupported. */
  stashBytes?: number;
  /** Max Payload Size this receiver accepts, a power of two 128..4096 (default 4096). */
  mps?: number;
}

/** Action the checker decides for a TLP (the writer's command). */
const ACT = { MALFORMED: 0, UNSUPPORTED: 1, STASH: 2, DOORBELL: 3 } as const;

export class PcieEndpoint extends Module {
  readonly tlp: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  /** Writes into the stash (its pcieIn port). */
  readonly mem: HwBundle<ReturnType<typeof MemPort>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** The go interrupt (DISPATCH_IRQ.P2P_GO): STATUS.GO. */
  readonly irq: Output;
  readonly windowBase: bigint;

  constructor(opts: PcieEndpointOptions = {}) {
    super();
    const width = opts.width ?? 512;
    const addrBits = opts.addrBits ?? 23;
    const card = opts.card ?? 0;
    const chiplet = opts.chiplet ?? 0;
    const mps = opts.mps ?? 4096;
    checkTlpWidth('PcieEndpoint', width);
    const W = width / 8;
    const lw = Math.log2(W);
    if (!Number.isInteger(addrBits) || addrBits <= lw || addrBits > 23) throw new Error(`PcieEndpoint: addrBits must be ${lw + 1}..23, got ${addrBits}`);
    if (!Number.isInteger(card) || card < 0 || card > 15) throw new Error(`PcieEndpoint: card must be 0..15, got ${card}`);
    if (!Number.isInteger(chiplet) || chiplet < 0 || chiplet > 7) throw new Error(`PcieEndpoint: chiplet must be 0..7, got ${chiplet}`);
    if (![128, 256, 512, 1024, 2048, 4096].includes(mps)) throw new Error(`PcieEndpoint: mps must be a power of two 128..4096, got ${mps}`);
    const stashBytes = opts.stashBytes ?? Math.min(6 << 20, 2 ** addrBits);
    if (!Number.isInteger(stashBytes) || stashBytes < 4 || stashBytes > Math.min(2 ** addrBits, PCIE_MAP.DOORBELL_OFFSET)) {
      throw new Error(`PcieEndpoint: stashBytes must be 4..${Math.min(2 ** addrBits, PCIE_MAP.DOORBELL_OFFSET)}, got ${stashBytes}`);
    }
    this.windowBase = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(card) * BigInt(PCIE_MAP.CARD_BAR_SIZE) + BigInt(chiplet) * BigInt(PCIE_MAP.CHIPLET_WINDOW);
    this.tlp = this.port(flip(PacketStream(width)));
    this.mem = this.port(MemPort(addrBits, width));
    this.csr = this.port(flip(CsrBus(4)));
    this.irq = this.output(1, { doc: 'a flag write landed (STATUS.GO)' });

    // ---- checker: parse the first beat, count the bytes, decide at the last beat
    const maxBeats = Math.ceil((16 + mps) / W);
    const beatFifo = new Fifo(width, 2 * maxBeats);
    const vf = { act: 2, stored: 13, off: 23, lenDw: 11, fb: 4, lb: 4, fourDw: 1 };
    const vW = Object.values(vf).reduce((a, b) => a + b);
    const verdicts = new Fifo(vW, 4);
    const t = this.tlp;
    const B = (i: number) => t.data.slice(8 * i + 7, 8 * i);
    const be32 = (i: number) => cat(B(i), B(i + 1), B(i + 2), B(i + 3));
    const fmtType = B(0);
    const is4 = fmtType.eq(MWR64);
    const isMwr = is4.or(fmtType.eq(MWR32));
    const lenField = cat(B(2).slice(1, 0), B(3));
    const lenDw = mux(lenField.eq(0), U(1024, 11), lenField.zext(11));
    const fb = B(7).slice(3, 0);
    const lb = B(7).slice(7, 4);
    const addrHi = mux(is4, be32(8), U(0, 32));
    const addrLo = cat(mux(is4, be32(12), be32(8)).slice(31, 2), U(0, 2));
    const addr = cat(addrHi, addrLo);
    const bytes4 = cat(lenDw, U(0, 2)); // 13 bits
    const contigFirst = [0xf, 0xe, 0xc, 0x8].map((v) => fb.eq(v)).reduce((a, b) => a.or(b));
    const contigLast = [0x1, 0x3, 0x7, 0xf].map((v) => lb.eq(v)).reduce((a, b) => a.or(b));
    const qwPair = lenDw.eq(2).and(addr.bit(2).not());
    const beBad = mux(lenDw.eq(1), lb.ne(0),
      fb.eq(0).or(lb.eq(0)).or(qwPair.not().and(contigFirst.and(contigLast).not())));
    const cross4k = addr.slice(11, 0).zext(14).add(bytes4.zext(14)).gt(4096);
    const overMps = bytes4.gt(mps);
    const hdrMalformed = B(2).bit(7).or(B(2).bit(6)).or(is4.and(addrHi.eq(0))).or(beBad).or(cross4k).or(overMps);
    const winLo = this.windowBase;
    const inWindow = addr.ge(winLo).and(addr.lt(winLo + BigInt(PCIE_MAP.CHIPLET_WINDOW)));
    const off = addr.sub(winLo).trunc(23);
    const doorbell = off.slice(22, 12).eq(PCIE_MAP.DOORBELL_OFFSET >> 12);
    const inStash = off.zext(24).add(bytes4.zext(24)).le(stashBytes);
    const hdrAct = mux(isMwr.not(), U(ACT.UNSUPPORTED, 2), mux(hdrMalformed, U(ACT.MALFORMED, 2),
      mux(inWindow.not(), U(ACT.UNSUPPORTED, 2), mux(doorbell, mux(lenDw.eq(1), U(ACT.DOORBELL, 2), U(ACT.UNSUPPORTED, 2)),
        mux(inStash, U(ACT.STASH, 2), U(ACT.UNSUPPORTED, 2))))));
    const hdrExpect = mux(isMwr, mux(is4, U(16, 14), U(12, 14)).add(bytes4.zext(14)), U(0, 14));
    const hdrInfo = cat(off, lenDw, fb, lb, is4);
    // registered copies for the beats after the first
    const bi = this.reg(13);
    const rAct = this.reg(2);
    const rExpect = this.reg(14);
    const rInfo = this.reg(hdrInfo.width);
    const rLen = this.reg(14); // bytes seen before this beat (saturating at 8191 beats' worth is not needed: capped)
    const firstBeat = bi.eq(0);
    const act = mux(firstBeat, hdrAct, rAct);
    const expect = mux(firstBeat, hdrExpect, rExpect);
    const info = mux(firstBeat, hdrInfo, rInfo);
    const store = bi.lt(maxBeats);
    const beatBytes = mux(t.last, fit(t.bytes, 14), U(W, 14));
    const total = rLen.add(beatBytes);
    t.ready.assign(store.not().or(beatFifo.in.ready).and(verdicts.in.ready));
    const inFire = fire(t);
    beatFifo.in.valid.assign(inFire.and(store));
    beatFifo.in.data.assign(t.data);
    const tooLong = bi.ge(maxBeats);
    const lengthOk = total.eq(expect).and(tooLong.not());
    // a malformed length outranks unsupported: nothing is known about a TLP whose size is wrong
    const rMwr = this.reg(1);
    const mwr = mux(firstBeat, isMwr, rMwr);
    const finalAct = mux(lengthOk.not().and(mwr), U(ACT.MALFORMED, 2), act);
    const stored = mux(store, bi.add(1), U(maxBeats, 13));
    verdicts.in.valid.assign(inFire.and(t.last));
    verdicts.in.data.assign(cat(finalAct, stored, info));
    when(inFire, () => {
      when(firstBeat, () => {
        rAct.set(hdrAct);
        rExpect.set(hdrExpect);
        rInfo.set(hdrInfo);
        rMwr.set(isMwr);
      });
      when(t.last, () => {
        bi.set(0);
        rLen.set(0);
      }).otherwise(() => {
        bi.set(mux(bi.eq(8191), bi, bi.add(1)));
        rLen.set(mux(total.gt(8192), U(8192, 14), total));
      });
    });

    // ---- writer: one verdict at a time; pops exactly the beats stored for it
    const v: Record<string, Sig> = {};
    let hi = vW - 1;
    for (const [name, w] of Object.entries(vf)) {
      v[name] = verdicts.out.data.slice(hi, hi - w + 1);
      hi -= w;
    }
    const vAct = v['act']!, vStored = v['stored']!, vOff = v['off']!, vLen = v['lenDw']!, vFb = v['fb']!, vLb = v['lb']!, vIs4 = v['fourDw']!;
    const f = this.fsm(['IDLE', 'PRE', 'WORDS', 'DRAIN'] as const);
    const p = this.reg(13); // beats popped
    const k = this.reg(13); // words written
    const prev = this.reg(width);
    const H = mux(vIs4, U(16, 14), U(12, 14));
    const A = fit(vOff, addrBits);
    const aW = A.slice(lw - 1, 0);
    const L4 = cat(vLen, U(0, 2)).zext(addrBits + 1);
    const q = H.add(W).sub(aW.zext(14)); // TLP offset of word 0's first byte, plus W
    const preBeats = q.shr(lw).trunc(2); // beats before the first word's low beat, plus one: 0, 1 or 2
    const sh = q.slice(lw - 1, 0);
    const wStart = A.shr(lw);
    const endAddr = A.zext(addrBits + 1).add(L4).sub(1);
    const wLast = endAddr.shr(lw).trunc(addrBits);
    const nWords = fit(wLast.sub(wStart), 13).add(1);
    const curIdx = k.add(preBeats.zext(13));
    const haveCur = curIdx.lt(vStored);
    const head = beatFifo.out.data;
    const cur = mux(haveCur, head, U(0, width));
    const word = cat(cur, prev).shr(cat(sh, U(0, 3))).slice(width - 1, 0);
    // byte enables of word k
    const ones = U((1n << BigInt(W)) - 1n, W);
    const lastWord = k.eq(nWords.sub(1));
    const firstWord = k.eq(0);
    const endLane = endAddr.slice(lw - 1, 0).zext(bitsFor(W)).add(1);
    const lastDwLane = endAddr.slice(lw - 1, 0).sub(3).zext(bitsFor(W));
    const inMask = mux(firstWord, ones.shl(aW), ones).and(mux(lastWord, ones.shl(endLane).not(), ones));
    const multi = vLen.ne(1);
    const fdw = mux(firstWord, U(0xf, W).shl(aW), U(0, W));
    const fbL = mux(firstWord, vFb.zext(W).shl(aW), U(0, W));
    const ldw = mux(lastWord.and(multi), U(0xf, W).shl(lastDwLane), U(0, W));
    const lbL = mux(lastWord.and(multi), vLb.zext(W).shl(lastDwLane), U(0, W));
    const be = inMask.and(fdw.or(ldw).not()).or(fbL).or(lbL);

    const writing = f.is('WORDS').and(verdicts.out.valid);
    this.mem.req.valid.assign(writing.and(haveCur.not().or(beatFifo.out.valid)));
    this.mem.req.we.assign(1);
    this.mem.req.addr.assign(cat(fit(wStart.add(fit(k, addrBits)), addrBits - lw), U(0, lw)));
    this.mem.req.wdata.assign(word);
    this.mem.req.be.assign(be);
    const wFire = fire(this.mem.req);
    const draining = f.is('DRAIN').and(p.lt(vStored));
    const preloading = f.is('PRE').and(p.lt(preBeats.zext(13)));
    beatFifo.out.ready.assign(draining.or(preloading).or(wFire.and(haveCur)));
    const pop = fire(beatFifo.out);
    when(pop, () => p.set(p.add(1)));

    // doorbell value: the payload's first DW, at TLP offset H (beat H / W), bytes under First BE
    const flag = this.reg(32);
    const go = this.reg(1);
    const hBeat = H.shr(lw);
    const hLane = H.slice(lw - 1, 0);
    const fv = head.shr(cat(hLane, U(0, 3))).slice(31, 0);
    const isBell = vAct.eq(ACT.DOORBELL);
    when(pop.and(isBell).and(p.zext(14).eq(hBeat)), () => {
      flag.set(cat(...[3, 2, 1, 0].map((i) => mux(vFb.bit(i), fv.slice(8 * i + 7, 8 * i), flag.slice(8 * i + 7, 8 * i)))));
    });

    const writes = this.reg(32);
    const byteCount = this.reg(32);
    const malformed = this.reg(32);
    const unsupported = this.reg(32);
    const finish = f.is('DRAIN').and(p.ge(vStored)).and(verdicts.out.valid);
    verdicts.out.ready.assign(finish);
    f.on({
      IDLE: () => when(verdicts.out.valid, () => {
        p.set(0);
        k.set(0);
        prev.set(U(0, width));
        // a TLP whose first stash word starts in beat 0 needs no preload beat
        when(vAct.eq(ACT.STASH).and(preBeats.eq(0)), () => f.goto('WORDS'))
          .elsewhen(vAct.eq(ACT.STASH), () => f.goto('PRE'))
          .otherwise(() => f.goto('DRAIN'));
      }),
      PRE: () => {
        when(pop, () => prev.set(head));
        // leave with the last preload pop (or at once if it already happened)
        when(p.ge(preBeats.zext(13)).or(pop.and(p.add(1).ge(preBeats.zext(13)))), () => f.goto('WORDS'));
      },
      WORDS: () => when(wFire, () => {
        prev.set(cur);
        k.set(k.add(1));
        when(lastWord, () => f.goto('DRAIN'));
      }),
      DRAIN: () => when(finish, () => f.goto('IDLE')),
    });
    const wrCsr = this.csr.en.and(this.csr.we);
    const clearGo = wrCsr.and(this.csr.addr.eq(PCIE_EP_REG.STATUS)).and(this.csr.wdata.bit(0));
    when(clearGo, () => go.set(0));
    when(finish, () => {
      switchAct(vAct, {
        malformed: () => malformed.set(malformed.add(1)),
        unsupported: () => unsupported.set(unsupported.add(1)),
        stash: () => {
          writes.set(writes.add(1));
          byteCount.set(byteCount.add(cat(vLen, U(0, 2)).zext(32)));
        },
        doorbell: () => {
          writes.set(writes.add(1));
          go.set(1);
        },
      });
    });

    const regs: Sig[] = Array.from({ length: 16 }, () => U(0, 32));
    regs[PCIE_EP_REG.STATUS] = go.zext(32);
    regs[PCIE_EP_REG.FLAG] = flag;
    regs[PCIE_EP_REG.WRITES] = writes;
    regs[PCIE_EP_REG.BYTES] = byteCount;
    regs[PCIE_EP_REG.MALFORMED] = malformed;
    regs[PCIE_EP_REG.UNSUPPORTED] = unsupported;
    this.csr.rdata.assign(select(this.csr.addr, regs));
    this.irq.assign(go);
  }
}

function switchAct(act: Sig, c: { malformed: () => void; unsupported: () => void; stash: () => void; doorbell: () => void }): void {
  when(act.eq(ACT.MALFORMED), c.malformed)
    .elsewhen(act.eq(ACT.UNSUPPORTED), c.unsupported)
    .elsewhen(act.eq(ACT.STASH), c.stash)
    .otherwise(c.doorbell);
}
