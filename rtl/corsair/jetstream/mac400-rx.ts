// 802.3 MAC receiver for wide datapaths (512 or 1024 bits): finds starts (start + preamble + SFD as one 64-bit group)
// on any group of the beat, takes each frame up to its terminate, checks FCS and length, and delivers good frames
// store-and-forward, one frame per beat, as an EthStream(width) with the FCS stripped. The frame buffer is a ring
// of 64-bit groups in width/64 banks, so the groups of a beat (wherever the frame started) are written in one clock.
import { Module, U, bitsFor, cat, clog2, flip, mux, select, type Flip, type HwBundle, type Output, type Sig, when } from '../../core/index.ts';
import { Crc32 } from '../../lib/crc32.ts';
import { Fifo } from '../../lib/fifo.ts';
import { EthStream } from './eth-stream.ts';
import { wideWidth } from './mac400-tx.ts';
import { ETH_MAX_FRAME, ETH_MIN_FRAME, XGMII, Xgmii, laneBytes } from './xgmii.ts';

export interface Mac400RxOptions {
  /** Datapath width in bits: 512 or 1024 (default). */
  width?: number;
  /** Largest good frame, DA to FCS inclusive (default 1518; up to 16383). */
  maxFrame?: number;
  /** Frame buffer in 64-bit groups (power of two, >= 2 * ceil((maxFrame + 8) / 8) and >= 2 * width / 64). */
  bufferGroups?: number;
}

const START_GROUP = laneBytes([XGMII.START, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, XGMII.SFD]);

/**
 * Per wire beat the receiver handles the frame in progress (continuing, or ending at its first end in the beat)
 * and the frame left open at the end of the beat. A frame that starts and ends inside one beat after another frame
 * ended in that beat (possible only for frames under 121 bytes, DA..FCS) is lost and counted in `dropped`: the
 * one-frame-per-beat client cannot take more than one frame a clock anyway.
 */
export class Mac400Rx extends Module {
  readonly xgmii: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  readonly out: HwBundle<ReturnType<typeof EthStream>>;
  /** Pulses: a good frame was stored with `frameBytes` bytes DA..FCS. */
  readonly goodFrame: Output;
  readonly frameBytes: Output;
  /** Pulses, one per bad frame, by its first fault: truncated, runt, oversize, bad FCS. */
  readonly truncated: Output;
  readonly runt: Output;
  readonly oversize: Output;
  readonly badFcs: Output;
  /** Frames lost this clock (buffer full, or a second frame ending in one beat). */
  readonly dropped: Output;
  readonly maxFrame: number;
  readonly width: number;

  constructor(opts: Mac400RxOptions = {}) {
    super();
    const width = (this.width = wideWidth('Mac400Rx', opts.width));
    const B = width / 8, G = width / 64, gw = clog2(G);
    const maxFrame = (this.maxFrame = opts.maxFrame ?? ETH_MAX_FRAME);
    if (!Number.isInteger(maxFrame) || maxFrame < ETH_MIN_FRAME || maxFrame > 16383) throw new Error(`Mac400Rx: maxFrame must be an integer 64..16383, got ${maxFrame}`);
    const minBuf = Math.max(2 * G, 2 * Math.ceil((maxFrame + 8) / 8));
    const NG = opts.bufferGroups ?? 1 << clog2(minBuf);
    if (!Number.isInteger(NG) || NG < minBuf || (NG & (NG - 1)) !== 0) throw new Error(`Mac400Rx: bufferGroups must be a power of two >= ${minBuf}, got ${opts.bufferGroups}`);
    const aw = clog2(NG);
    this.xgmii = this.port(flip(Xgmii(width)));
    this.out = this.port(EthStream(width));
    this.goodFrame = this.output(1, { doc: 'a good frame was stored (pulse)' });
    this.frameBytes = this.output(16, { doc: 'with goodFrame: its bytes DA..FCS' });
    this.truncated = this.output(1, { doc: 'a frame ended by a control character other than terminate (pulse)' });
    this.runt = this.output(1, { doc: 'a frame shorter than 64 bytes (pulse)' });
    this.oversize = this.output(1, { doc: `a frame longer than maxFrame (${maxFrame}) bytes (pulse)` });
    this.badFcs = this.output(1, { doc: 'a frame with a wrong FCS (pulse)' });
    this.dropped = this.output(bitsFor(G), { doc: 'frames lost this clock' });

    const d = this.xgmii.data, c = this.xgmii.ctrl;
    const gi = (v: number) => U(v, gw + 1);   // group indexes 0..G
    // ---- parse the beat group by group
    const gd = Array.from({ length: G }, (_, g) => d.slice(64 * g + 63, 64 * g));
    const gc = Array.from({ length: G }, (_, g) => c.slice(8 * g + 7, 8 * g));
    const isStart = gd.map((x, g) => gc[g]!.eq(1).and(x.eq(U(START_GROUP, 64))));
    const full = gc.map((x) => x.eq(0));
    const firstCtrl = gc.map((x) => {
      let p: Sig = U(0, 3);
      for (let i = 7; i >= 0; i--) p = mux(x.bit(i), U(i, 3), p);
      return p;
    });
    const isTerm = gd.map((x, g) => select(firstCtrl[g]!, Array.from({ length: 8 }, (_, i) => x.slice(8 * i + 7, 8 * i))).eq(XGMII.TERMINATE));
    const inFrame = this.reg(1);
    let s: Sig = inFrame;
    const endG: Sig[] = [];
    for (let g = 0; g < G; g++) {
      endG.push(s.and(full[g]!.not()));
      s = s.and(full[g]!).or(isStart[g]!);
    }
    inFrame.set(s);
    const anyEnd = cat(...endG).orR();
    const anyStart = cat(...isStart).orR();
    let e1: Sig = gi(G), s1: Sig = gi(G), s2: Sig = gi(G);
    for (let g = G - 1; g >= 0; g--) {
      e1 = mux(endG[g]!, gi(g), e1);
      s1 = mux(isStart[g]!, gi(g), s1);
    }
    for (let g = 0; g < G; g++) s2 = mux(isStart[g]!, gi(g), s2);
    const e1i = e1.trunc(gw);
    const pE = select(e1i, firstCtrl).zext(8);
    const termE = select(e1i, isTerm);
    let nEnds: Sig = U(0, bitsFor(G));
    for (const e of endG) nEnds = nEnds.add(e.zext(bitsFor(G)));

    // portion 1: the frame in progress (from group a1), ending at e1 if anything ends; portion 2: the frame open
    // at the end of the beat when one ended before it (from group s2 + 1)
    const p1 = inFrame.or(anyStart);
    const p1First = inFrame.not();
    const a1 = mux(inFrame, gi(0), s1.add(1));
    const p1Full = mux(anyEnd, e1.sub(a1), gi(G).sub(a1)).zext(8);
    const p1Bytes = cat(p1Full, U(0, 3)).trunc(11).add(mux(anyEnd, pE, U(0, 8)).zext(11));
    const p1Groups = p1Full.add(anyEnd.and(pE.ne(0)).zext(8));
    const p1Data = d.shr(cat(a1, U(0, 6)).zext(16));
    const p2 = anyEnd.and(s);
    const b2 = s2.add(1);
    const p2Groups = gi(G).sub(b2).zext(8);
    const p2Data = d.shr(cat(b2, U(0, 6)).zext(16));

    // ---- CRC: two checkers, the frame in progress in `cur`, the next one in the other
    const fcsCheck = [new Crc32(B), new Crc32(B)];
    const cur = this.reg(1);
    const bw = bitsFor(B);
    fcsCheck.forEach((k, i) => {
      const mine1 = p1.and(cur.eq(i));
      const mine2 = p2.and(cur.eq(1 - i));
      k.valid.assign(mine1.or(mine2));
      k.first.assign(mux(mine1, p1First, U(1, 1)));
      k.data.assign(mux(mine1, p1Data, p2Data));
      const nBytes = this.wire(bw, { default: 0, name: `crcBytes${i}` });
      nBytes.set(mux(mine1, p1Bytes.trunc(bw), cat(p2Groups, U(0, 3)).trunc(bw)));
      k.bytes.assign(nBytes);
    });
    when(p2, () => cur.set(cur.not()));
    const cnt = this.reg(16);
    const total1 = mux(p1First, U(0, 16), cnt).add(p1Bytes.zext(16));
    const sat = (x: Sig) => mux(x.gt(0xff00), U(0xff00, 16), x);
    when(p2, () => cnt.set(cat(p2Groups, U(0, 3)).zext(16))).elsewhen(p1, () => cnt.set(sat(total1)));

    // ---- stage registers: what this beat brought, judged and written next clock
    const r1 = this.reg(1), r1End = this.reg(1), r1Trunc = this.reg(1), r1Len = this.reg(16), r1Data = this.reg(width), r1Groups = this.reg(bitsFor(G)), r1Inst = this.reg(1);
    const r2 = this.reg(1), r2Data = this.reg(width), r2Groups = this.reg(bitsFor(G)), rDrops = this.reg(bitsFor(G));
    r1.set(p1);
    r1End.set(anyEnd);
    r1Trunc.set(termE.not());
    r1Len.set(sat(total1));
    r1Data.set(p1Data);
    r1Groups.set(p1Groups.trunc(bitsFor(G)));
    r1Inst.set(cur);
    r2.set(p2);
    r2Data.set(p2Data);
    r2Groups.set(p2Groups.trunc(bitsFor(G)));
    rDrops.set(mux(anyEnd, nEnds.sub(1), U(0, bitsFor(G))));

    const fcsOk = mux(r1Inst, fcsCheck[1]!.fcsOk, fcsCheck[0]!.fcsOk);
    const runt = r1Len.lt(ETH_MIN_FRAME), over = r1Len.gt(maxFrame);
    const bad = r1Trunc.or(runt).or(over).or(fcsOk.not());
    const ending = r1.and(r1End);

    // ---- the frame buffer: a ring of NG groups in G banks; wp write, commit end of the last good frame, rd read
    const wp = this.reg(aw + 1), commit = this.reg(aw + 1), rd = this.reg(aw + 1), ovf = this.reg(1);
    const freeAt = (base: Sig) => U(NG, aw + 2).sub(base.sub(rd).zext(aw + 2));
    const fit1 = r1Groups.zext(aw + 2).le(freeAt(wp)).and(ovf.not());
    const good = ending.and(bad.not()).and(fit1);
    const w1 = r1.and(fit1).and(ending.and(bad).not());
    const after1 = wp.add(mux(w1, r1Groups.zext(aw + 1), U(0, aw + 1)));
    const base2 = mux(ending.and(good.not()), commit, after1);
    const fit2 = r2Groups.zext(aw + 2).le(freeAt(base2));
    const w2 = r2.and(fit2);
    when(r2, () => {
      wp.set(mux(w2, base2.add(r2Groups.zext(aw + 1)), base2));
      ovf.set(fit2.not());
    }).elsewhen(ending, () => {
      wp.set(mux(good, after1, commit));
      ovf.set(0);
    }).elsewhen(r1, () => {
      wp.set(after1);
      when(fit1.not(), () => ovf.set(1));
    });
    when(good, () => commit.set(after1));
    const desc = new Fifo(16, Math.max(2, NG / 8));
    desc.in.valid.assign(good);
    desc.in.data.assign(r1Len.sub(4));

    const groupsOf = (v: Sig) => Array.from({ length: G }, (_, g) => v.slice(64 * g + 63, 64 * g));
    const g1 = groupsOf(r1Data), g2 = groupsOf(r2Data);
    const bankAw = aw - gw;
    const bankAddr = (base: Sig, j: Sig) => base.add(j.zext(aw + 1)).slice(aw - 1, gw);
    const r = rd.trunc(gw);
    const banks: Sig[] = [];
    for (let k = 0; k < G; k++) {
      const mem = this.memory({ depth: NG / G, width: 64, name: `bank${k}` });
      const j1 = U(k, gw).sub(wp.trunc(gw)), j2 = U(k, gw).sub(base2.trunc(gw));
      const en1 = w1.and(j1.zext(bitsFor(G)).lt(r1Groups));
      const en2 = w2.and(j2.zext(bitsFor(G)).lt(r2Groups));
      mem.write(mux(en1, bankAddr(wp, j1), bankAddr(base2, j2)), mux(en1, select(j1, g1), select(j2, g2)), { en: en1.or(en2) });
      const row = rd.slice(aw - 1, gw);
      banks.push(mem.readAsync(k === G - 1 ? row : mux(U(k, gw).lt(r), row.add(1), row)));
    }
    void bankAw;

    // ---- the client side: the frame at rd, one beat a clock
    const sentB = this.reg(16);
    const len = desc.out.data;
    const rem = len.sub(sentB);
    const last = rem.le(B);
    const both = cat(...[...banks, ...banks].reverse());
    this.out.valid.assign(desc.out.valid);
    this.out.data.assign(both.shr(cat(r, U(0, 6)).zext(16)).trunc(width));
    this.out.last.assign(last);
    this.out.bytes.assign(mux(last, rem.trunc(bw), U(B, bw)));
    this.out.err.assign(U(0, 1));
    const fire = desc.out.valid.and(this.out.ready);
    desc.out.ready.assign(fire.and(last));
    when(fire, () => {
      when(last, () => {
        sentB.set(0);
        rd.set(rd.add(rem.add(11).shr(3).trunc(aw + 1)));
      }).otherwise(() => {
        sentB.set(sentB.add(B));
        rd.set(rd.add(G));
      });
    });

    this.goodFrame.assign(good);
    this.frameBytes.assign(r1Len);
    this.truncated.assign(ending.and(r1Trunc));
    this.runt.assign(ending.and(r1Trunc.not()).and(runt));
    this.oversize.assign(ending.and(r1Trunc.not()).and(runt.not()).and(over));
    this.badFcs.assign(ending.and(r1Trunc.or(runt).or(over).not()).and(fcsOk.not()));
    this.dropped.assign(rDrops.add(ending.and(bad.not()).and(fit1.not()).zext(bitsFor(G))));
  }
}
