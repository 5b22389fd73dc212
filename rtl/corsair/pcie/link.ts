// One direction of a PCIe link, as the transaction layer sees it: posted flow control (the receiver advertises
// PH/PD credits, the sender stalls a TLP until it has 1 PH and ceil(Length/4) PD credits, and the receiver returns
// them as its buffer drains), the link's rate (Gen5 x16: 63 GB/s a direction, with 8 bytes of framing + LCRC a TLP
// on top of header and payload) and its latency (a fixed delay, both for the TLPs and for the credit returns).
// TLPs enter on `in` (valid/ready: ready is low while out of credit or rate) and leave from the receiver's buffer on
// `out` (valid/ready: whoever drains the buffer returns the credits). Nothing is dropped: the buffer holds exactly
// what the credits allow, and `overflow` would flag a beat that found it full.
import { Module, U, bitsFor, cat, clog2, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { Fifo } from '../../lib/fifo.ts';
import { fire } from '../../lib/stream.ts';
import { checkTlpWidth } from './p2p-engine.ts';
import { MWR32, MWR64, fit } from './tlp-header.ts';

export interface PcieLinkOptions {
  /** TLP datapath width in bits (default 512). */
  width?: number;
  /** Clock period in ps (default 1000: 1 GHz). */
  periodPs?: number;
  /** One-way latency in ns, rounded to cycles (default 0: one register stage). */
  latencyNs?: number;
  /** Link rate in GB/s before TLP overhead (default 63.0: Gen5 x16). */
  gbps?: number;
  /** Framing + sequence number + LCRC bytes a TLP costs on the wire (default 8). */
  framingBytes?: number;
  /** Posted header credits the receiver advertises (default 64; 0 "infinite" is not modelled). */
  phCredits?: number;
  /** Posted data credits (16 bytes each) the receiver advertises (default 2048: 32 KiB). */
  pdCredits?: number;
  /** Largest payload the sender may send (default 4096): the PD credits must cover one such TLP, or it never goes. */
  maxPayload?: number;
}

export class PcieLink extends Module {
  readonly in: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly out: HwBundle<ReturnType<typeof PacketStream>>;
  /** Sticky: a beat arrived at a full receive buffer (never happens while credits are honoured). */
  readonly overflow: Output;
  /** PH credits the sender holds now (for tests and waves). */
  readonly phAvail: Output;
  readonly latencyCycles: number;
  readonly rxBeats: number;

  constructor(opts: PcieLinkOptions = {}) {
    super();
    const width = opts.width ?? 512;
    const periodPs = opts.periodPs ?? 1000;
    const latencyNs = opts.latencyNs ?? 0;
    const gbps = opts.gbps ?? 63.0;
    const framing = opts.framingBytes ?? 8;
    const ph = opts.phCredits ?? 64;
    const pd = opts.pdCredits ?? 2048;
    checkTlpWidth('PcieLink', width);
    const W = width / 8;
    if (!(periodPs > 0)) throw new Error(`PcieLink: periodPs must be > 0, got ${periodPs}`);
    if (!(latencyNs >= 0) || latencyNs > 100_000) throw new Error(`PcieLink: latencyNs must be 0..100000, got ${latencyNs}`);
    if (!(gbps > 0)) throw new Error(`PcieLink: gbps must be > 0, got ${gbps}`);
    if (!Number.isInteger(framing) || framing < 0 || framing > 64) throw new Error(`PcieLink: framingBytes must be 0..64, got ${framing}`);
    if (!Number.isInteger(ph) || ph < 1 || ph > 255) throw new Error(`PcieLink: phCredits must be 1..255, got ${ph}`);
    if (!Number.isInteger(pd) || pd < 1 || pd > 32768) throw new Error(`PcieLink: pdCredits must be 1..32768, got ${pd}`);
    const maxPayload = opts.maxPayload ?? 4096;
    if (pd * 16 < maxPayload) throw new Error(`PcieLink: pdCredits ${pd} (${pd * 16} bytes) cannot hold one ${maxPayload}-byte TLP: raise pdCredits or lower maxPayload`);
    // bytes a cycle in 1/16 units
    const rate16 = Math.round((gbps * periodPs) / 1000 * 16);
    if (rate16 < 1) throw new Error(`PcieLink: ${gbps} GB/s at ${periodPs} ps is under 1/16 byte a cycle`);
    const L = Math.max(1, Math.round((latencyNs * 1000) / periodPs));
    this.latencyCycles = L;
    this.in = this.port(flip(PacketStream(width)));
    this.out = this.port(PacketStream(width));
    this.overflow = this.output(1, { doc: 'sticky: a beat found the receive buffer full' });
    this.phAvail = this.output(bitsFor(ph), { doc: 'PH credits the sender holds' });

    // PD credits a TLP needs: ceil(Length / 4) for a Memory Write, 0 for anything else
    const pdCost = (beat: Sig): Sig => {
      const t = beat.slice(7, 0);
      const lenField = cat(beat.slice(17, 16), beat.slice(31, 24));
      const len = mux(lenField.eq(0), U(1024, 11), lenField.zext(11));
      const isWrite = t.eq(MWR32).or(t.eq(MWR64));
      return mux(isWrite, len.add(3).shr(2).trunc(9), U(0, 9));
    };

    // ---- sender: credit gate and rate limiter
    const phW = bitsFor(ph);
    const pdW = bitsFor(pd);
    const phHave = this.reg(phW, { init: ph });
    const pdHave = this.reg(pdW, { init: pd });
    const mid = this.reg(1); // inside a TLP (its credits are already taken)
    const costIn = pdCost(this.in.data);
    const cw = Math.max(pdW, 9);
    const creditOk = phHave.ne(0).and(fit(pdHave, cw).ge(fit(costIn, cw)));
    const rateW = 24;
    const tokens = this.reg(rateW); // signed, 1/16 bytes
    const cap = U(rate16 * 4 + 16 * (W + framing), rateW);
    const positive = tokens.bit(rateW - 1).not().and(tokens.ne(0));
    this.in.ready.assign(positive.and(mid.or(creditOk)));
    const sent = fire(this.in);
    const beatBytes = mux(this.in.last, this.in.bytes.zext(8), U(W, 8)).add(mux(mid, U(0, 8), U(framing, 8)));
    const refill = mux(tokens.asSigned().ge(cap.asSigned()), U(0, rateW), U(rate16, rateW));
    tokens.set(tokens.add(refill).sub(mux(sent, cat(beatBytes, U(0, 4)).zext(rateW), U(0, rateW))));
    when(sent, () => mid.set(this.in.last.not()));

    // ---- the wire: TLP beats and credit returns, each delayed by L cycles
    const beatW = width + 1 + this.in.bytes.width;
    const onWire = this.delay(cat(sent, this.in.last, this.in.bytes, this.in.data), 1 + beatW, L);
    const wValid = onWire.bit(beatW);
    const wLast = onWire.bit(beatW - 1);
    const wBytes = onWire.slice(beatW - 2, width);
    const wData = onWire.slice(width - 1, 0);

    // ---- receiver: the buffer the credits describe
    this.rxBeats = Math.ceil((pd * 16) / W) + 2 * ph;
    const rx = new Fifo(beatW, this.rxBeats);
    rx.in.valid.assign(wValid);
    rx.in.data.assign(cat(wLast, wBytes, wData));
    const ovf = this.reg(1);
    when(wValid.and(rx.in.ready.not()), () => ovf.set(1));
    this.overflow.assign(ovf);
    this.out.valid.assign(rx.out.valid);
    this.out.last.assign(rx.out.data.bit(beatW - 1));
    this.out.bytes.assign(rx.out.data.slice(beatW - 2, width));
    this.out.data.assign(rx.out.data.slice(width - 1, 0));
    rx.out.ready.assign(this.out.ready);
    const drained = fire(this.out);
    const rxMid = this.reg(1);
    const rxCost = this.reg(9);
    const costOut = mux(rxMid, rxCost, pdCost(this.out.data));
    when(drained, () => {
      rxMid.set(this.out.last.not());
      when(rxMid.not(), () => rxCost.set(pdCost(this.out.data)));
    });
    const ret = drained.and(this.out.last);
    const back = this.delay(cat(ret, costOut), 10, L);
    const retValid = back.bit(9);
    const retPd = back.slice(8, 0);

    // ---- sender's credit counters: taken at a TLP's first beat, given back by the returns
    const take = sent.and(mid.not());
    const phNext = phHave.sub(mux(take, U(1, phW), U(0, phW))).add(mux(retValid, U(1, phW), U(0, phW)));
    phHave.set(phNext);
    const pdWide = Math.max(pdW, 9) + 1;
    const pdNext = pdHave.zext(pdWide).sub(mux(take, costIn.zext(pdWide), U(0, pdWide))).add(mux(retValid, retPd.zext(pdWide), U(0, pdWide)));
    pdHave.set(pdNext.trunc(pdW));
    this.phAvail.assign(phHave);
  }

  /** `x` delayed by n >= 1 cycles (registers up to 4, a RAM ring beyond). */
  private delay(x: Sig, w: number, n: number): Sig {
    if (n <= 4) {
      let s = x;
      for (let i = 0; i < n; i++) s = this.regNext(s);
      return s;
    }
    // ring of n-1 words written every cycle; the registered read of the word written n-1 cycles ago adds the last cycle
    const depth = 1 << clog2(n);
    const ram = this.memory({ depth, width: w, readDuringWrite: 'old' });
    const aw = clog2(depth);
    const wp = this.reg(aw);
    wp.set(wp.add(1));
    ram.write(wp, x);
    return ram.read(wp.sub(n - 1));
  }
}
