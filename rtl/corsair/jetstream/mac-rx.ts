// 802.3 MAC receiver, 64-bit XGMII-style datapath: finds start + preamble + SFD on lane 0, takes the frame up to
// the terminate character, checks the FCS (CRC-32) and the length, strips the FCS and hands the frame to the client
// as an EthStream. Store-and-forward (default): a frame buffer holds each frame until it is checked; bad frames
// are dropped and counted. Cut-through: beats pass as they arrive and `err` marks a bad frame's last beat.
import { Module, U, bitsFor, cat, clog2, flip, mux, select, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { Crc32 } from '../../lib/crc32.ts';
import { EthStream } from './eth-stream.ts';
import { ETH_MAX_FRAME, ETH_MIN_FRAME, XGMII, Xgmii, laneBytes } from './xgmii.ts';

export interface MacRxOptions {
  /** Datapath width in bits; this implementation is the 64-bit one. */
  width?: number;
  /** Largest good frame, DA to FCS inclusive (1518 standard; up to 9216 or so for jumbo frames). */
  maxFrame?: number;
  /** Pass bytes as they arrive; `err` flags a bad frame's last beat (the client must stay ready). */
  cutThrough?: boolean;
  /** Store-and-forward frame buffer, in 8-byte beats (power of two, >= maxFrame / 8). */
  bufferBeats?: number;
}

const START_BEAT = laneBytes([XGMII.START, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, XGMII.SFD]);

export class MacRx extends Module {
  readonly xgmii: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  readonly out: HwBundle<ReturnType<typeof EthStream>>;
  /** Pulses: a good frame was delivered (stored, in store-and-forward mode) with `frameBytes` bytes DA..FCS. */
  readonly goodFrame: Output;
  readonly frameBytes: Output;
  /** Pulses, one per bad frame, by its first fault in this order: truncated, runt, oversize, bad FCS. */
  readonly truncated: Output;
  readonly runt: Output;
  readonly oversize: Output;
  readonly badFcs: Output;
  /** Pulses: a good frame was lost for lack of buffer space (or of client ready in cut-through mode). */
  readonly dropped: Output;
  readonly maxFrame: number;
  readonly cutThrough: boolean;

  constructor(opts: MacRxOptions = {}) {
    super();
    const width = opts.width ?? 64;
    if (width !== 64) throw new Error(`MacRx: width must be 64 (the wide MAC is not implemented yet), got ${width}`);
    const maxFrame = (this.maxFrame = opts.maxFrame ?? ETH_MAX_FRAME);
    if (!Number.isInteger(maxFrame) || maxFrame < ETH_MIN_FRAME || maxFrame > 16383) throw new Error(`MacRx: maxFrame must be an integer 64..16383, got ${maxFrame}`);
    const cutThrough = (this.cutThrough = opts.cutThrough ?? false);
    const bufferBeats = opts.bufferBeats ?? 1 << clog2(Math.ceil((maxFrame + 8) / 8));
    if (!Number.isInteger(bufferBeats) || bufferBeats < 2 || (bufferBeats & (bufferBeats - 1)) !== 0) throw new Error(`MacRx: bufferBeats must be a power of two >= 2, got ${bufferBeats}`);
    this.xgmii = this.port(flip(Xgmii(64)));
    this.out = this.port(EthStream(64));
    this.goodFrame = this.output(1, { doc: 'a good frame was delivered (pulse)' });
    this.frameBytes = this.output(16, { doc: 'with goodFrame: its bytes DA..FCS' });
    this.truncated = this.output(1, { doc: 'a frame ended by a control character other than terminate (pulse)' });
    this.runt = this.output(1, { doc: 'a frame shorter than 64 bytes (pulse)' });
    this.oversize = this.output(1, { doc: `a frame longer than maxFrame (${maxFrame}) bytes (pulse)` });
    this.badFcs = this.output(1, { doc: 'a frame with a wrong FCS (pulse)' });
    this.dropped = this.output(1, { doc: 'a good frame lost for lack of space / client ready (pulse)' });

    const d = this.xgmii.data;
    const c = this.xgmii.ctrl;
    const fcsChk = new Crc32(8);
    const inFrame = this.reg(1);
    const cnt = this.reg(16);              // bytes of the frame so far (FCS included), saturating
    const havePrev = this.reg(1);
    const prev = this.reg(64);
    // the beat handed on next clock (e1) and, after a frame ending with more than 4 bytes in its last beat, the
    // residue the clock after (res); the frame-end verdict inputs
    const e1Valid = this.reg(1), e1Data = this.reg(64), e1Bytes = this.reg(4), e1Last = this.reg(1);
    const resValid = this.reg(1), resData = this.reg(64), resBytes = this.reg(4), resBad = this.reg(1);
    const endEv = this.reg(1), endTrunc = this.reg(1), endRunt = this.reg(1), endOver = this.reg(1);
    const endLen = this.reg(16);

    // first control lane (8 = none) and its character
    let firstCtrl: Sig = U(8, 4);
    for (let i = 7; i >= 0; i--) firstCtrl = mux(c.bit(i), U(i, 4), firstCtrl);
    const lanes = Array.from({ length: 8 }, (_, i) => d.slice(8 * i + 7, 8 * i));
    const ctrlChar = select(firstCtrl.trunc(3), lanes);
    const fullBeat = c.eq(0);
    const isTerm = fullBeat.not().and(ctrlChar.eq(XGMII.TERMINATE));
    const p = firstCtrl;                   // data bytes in a terminate beat (0..7)
    const isStart = c.eq(1).and(d.eq(U(START_BEAT, 64)));
    const total = cnt.add(p.zext(16));

    const wE1 = this.wire(1, { default: 0 }), wE1Data = this.wire(64, { default: 0 }), wE1Bytes = this.wire(4, { default: 8 }), wE1Last = this.wire(1, { default: 0 });
    const wRes = this.wire(1, { default: 0 });
    const wEnd = this.wire(1, { default: 0 }), wTrunc = this.wire(1, { default: 0 });
    const feed = this.wire(1, { default: 0 });

    when(inFrame.not(), () => {
      when(isStart, () => {
        inFrame.set(1);
        cnt.set(0);
        havePrev.set(0);
      });
    }).elsewhen(fullBeat, () => {
      feed.set(1);
      when(cnt.lt(0xfff0), () => cnt.set(cnt.add(8)));
      when(havePrev, () => {
        wE1.set(1);
        wE1Data.set(prev);
      });
      prev.set(d);
      havePrev.set(1);
    }).elsewhen(isTerm, () => {
      feed.set(p.ne(0));
      inFrame.set(0);
      wEnd.set(1);
      when(p.gt(4), () => {
        // prev full and not last; this beat's p-4 bytes are the last
        when(havePrev, () => {
          wE1.set(1);
          wE1Data.set(prev);
          wRes.set(1);
        }).otherwise(() => {
          wE1.set(1);
          wE1Data.set(d);
          wE1Bytes.set(p.sub(4));
          wE1Last.set(1);
        });
      }).otherwise(() => {
        when(havePrev, () => {
          wE1.set(1);
          wE1Data.set(prev);
          wE1Bytes.set(p.add(4));
          wE1Last.set(1);
        });
      });
    }).otherwise(() => {
      // /E/, idle or start inside a frame: truncated
      inFrame.set(0);
      wEnd.set(1);
      wTrunc.set(1);
      when(havePrev, () => {
        wE1.set(1);
        wE1Data.set(prev);
        wE1Last.set(1);
      });
    });
    fcsChk.valid.assign(feed);
    fcsChk.first.assign(cnt.eq(0));
    fcsChk.data.assign(d);
    fcsChk.bytes.assign(mux(fullBeat, U(8, 4), p));

    e1Valid.set(wE1);
    e1Data.set(wE1Data);
    e1Bytes.set(wE1Bytes);
    e1Last.set(wE1Last);
    const resNow = this.reg(1);
    resNow.set(wRes);
    when(wRes, () => {
      resData.set(d);
      resBytes.set(p.sub(4));
    });
    endEv.set(wEnd);
    endTrunc.set(wTrunc);
    endRunt.set(total.lt(ETH_MIN_FRAME));
    endOver.set(total.gt(maxFrame));
    when(wEnd, () => endLen.set(total));

    // ---- verdict (the clock after the end beat: the CRC register has taken it)
    const bad = endTrunc.or(endRunt).or(endOver).or(fcsChk.fcsOk.not());
    resValid.set(resNow);
    when(endEv, () => resBad.set(bad));
    const oValid = e1Valid.or(resValid);
    const oData = mux(resValid, resData, e1Data);
    const oBytes = mux(resValid, resBytes, e1Bytes);
    const oLast = resValid.or(e1Last);
    const oBad = mux(resValid, resBad, bad);

    this.truncated.assign(endEv.and(endTrunc));
    this.runt.assign(endEv.and(endTrunc.not()).and(endRunt));
    this.oversize.assign(endEv.and(endTrunc.not()).and(endRunt.not()).and(endOver));
    this.badFcs.assign(endEv.and(endTrunc.or(endRunt).or(endOver).not()).and(fcsChk.fcsOk.not()));
    this.frameBytes.assign(endLen);

    const lastOut = oValid.and(oLast);
    if (cutThrough) {
      const lost = this.reg(1);
      this.out.valid.assign(oValid);
      this.out.data.assign(oData);
      this.out.bytes.assign(oBytes);
      this.out.last.assign(oLast);
      this.out.err.assign(oLast.and(oBad));
      const lostNow = lost.or(oValid.and(this.out.ready.not()));
      when(lastOut, () => lost.set(0)).elsewhen(lostNow, () => lost.set(1));
      this.goodFrame.assign(lastOut.and(oBad.not()).and(lostNow.not()));
      this.dropped.assign(lastOut.and(oBad.not()).and(lostNow));
    } else {
      const aw = clog2(bufferBeats);
      const mem = this.memory({ depth: bufferBeats, width: 64 + 4 + 1 });
      const wr = this.reg(aw + 1), commit = this.reg(aw + 1), rd = this.reg(aw + 1);
      const ovf = this.reg(1);
      const space = wr.sub(rd).ne(bufferBeats);
      const write = oValid.and(space).and(ovf.not());
      mem.write(wr.trunc(aw), cat(oLast, oBytes, oData), { en: write });
      const wrNext = mux(write, wr.add(1), wr);
      const failed = ovf.or(write.not());
      when(lastOut, () => {
        ovf.set(0);
        when(oBad.not().and(failed.not()), () => {
          wr.set(wrNext);
          commit.set(wrNext);
        }).otherwise(() => wr.set(commit));
      }).elsewhen(oValid, () => {
        wr.set(wrNext);
        when(failed, () => ovf.set(1));
      });
      const head = mem.readAsync(rd.trunc(aw));
      this.out.valid.assign(rd.ne(commit));
      this.out.data.assign(head.slice(63, 0));
      this.out.bytes.assign(head.slice(67, 64));
      this.out.last.assign(head.bit(68));
      this.out.err.assign(U(0, 1));
      when(this.out.valid.and(this.out.ready), () => rd.set(rd.add(1)));
      this.goodFrame.assign(lastOut.and(oBad.not()).and(failed.not()));
      this.dropped.assign(lastOut.and(oBad.not()).and(failed));
    }
    void bitsFor;
  }
}
