// 802.3 MAC transmitter for wide datapaths (512 or 1024 bits; 1024 bits at 390.625 MHz is 400 Gb/s): takes frames
// (DA to end of payload) one frame per beat from an EthStream(width), and sends start + preamble + SFD on a 64-bit
// group boundary, the frame, zero padding to 60 bytes, the FCS, terminate and idles, with the deficit idle count
// keeping the average gap at 12 bytes. The wire is built in a queue of 64-bit groups: every clock one beat leaves
// it and the previous clock's client beat (with its start group, or its FCS + terminate + gap) is appended.
import { Module, U, bitsFor, cat, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { Crc32 } from '../../lib/crc32.ts';
import { EthStream } from './eth-stream.ts';
import { XGMII, Xgmii, laneBytes } from './xgmii.ts';

export interface Mac400TxOptions {
  /** Datapath width in bits: 512 or 1024 (default 1024: 400 Gb/s at 390.625 MHz). */
  width?: number;
}

/** Validate a wide-MAC width (shared by the transmitter, receiver and top). */
export function wideWidth(who: string, width: number | undefined): number {
  const w = width ?? 1024;
  if (w !== 512 && w !== 1024) throw new Error(`${who}: width must be 512 or 1024 (a frame's padding fits its first beat), got ${width}`);
  return w;
}

const START_GROUP = laneBytes([XGMII.START, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, XGMII.SFD]);
const ERROR_GROUP = laneBytes([XGMII.ERROR, XGMII.TERMINATE, 7, 7, 7, 7, 7, 7]);
/** Behind the last data byte: FCS (4 bytes, filled in), terminate, idles (32 bytes; the gap is at most 19). */
const TAIL_FILL = laneBytes([0, 0, 0, 0, XGMII.TERMINATE, ...Array(27).fill(XGMII.IDLE)]);

/** Held-beat kinds. */
const H_NONE = 0, H_DATA = 1, H_ERROR = 2;

/**
 * Client contract as for the 64-bit MacTx: once a frame's first beat is offered its beats come back to back; a
 * missing beat is an underrun (the frame ends on the wire with /E/, the rest is discarded, `underrun` pulses);
 * `err` on the last beat stomps the FCS. `in.ready` is low only before a frame's first beat, while the wire queue
 * is more than two beats full. A beat taken at one edge is appended to the queue at the next (with its FCS).
 */
export class Mac400Tx extends Module {
  readonly in: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  readonly xgmii: HwBundle<ReturnType<typeof Xgmii>>;
  /** Pulses when a frame's last beat has been taken. */
  readonly frameSent: Output;
  /** With frameSent: the frame's length on the wire from DA to the end of the FCS. */
  readonly frameBytes: Output;
  /** Pulses when a frame was cut short by a client underrun. */
  readonly underrun: Output;
  readonly width: number;

  constructor(opts: Mac400TxOptions = {}) {
    super();
    const width = (this.width = wideWidth('Mac400Tx', opts.width));
    const B = width / 8, G = width / 64;
    const QG = 2 * G + 4;                 // queue capacity in groups (at most 2G + 3 are ever used)
    const QW = QG * 64;
    const CG = G + 4;                     // largest chunk: start group + beat + FCS/terminate/gap (<= B + 31 bytes)
    const CW = CG * 64;
    const nw = bitsFor(B);
    this.in = this.port(flip(EthStream(width)));
    this.xgmii = this.port(Xgmii(width));
    this.frameSent = this.output(1, { doc: 'a frame was completed (pulse)' });
    this.frameBytes = this.output(16, { doc: 'with frameSent: its bytes DA..FCS' });
    this.underrun = this.output(1, { doc: 'a frame was aborted by a client underrun (pulse)' });

    const inp = this.in;
    const fcsGen = new Crc32(B);
    const mid = this.reg(1);              // a frame is in progress (its first beat was taken, not its last)
    const drain = this.reg(1);            // discarding the rest of an underrun frame
    const cnt = this.reg(16);             // bytes of the frame taken so far
    const dic = this.reg(3);
    // the beat taken last clock
    const hKind = this.reg(2), hData = this.reg(width), hN = this.reg(nw), hFirst = this.reg(1), hEnd = this.reg(1);
    const hStomp = this.reg(1), hGap = this.reg(5);
    // the wire queue: groups 0..qL-1 are valid, group 0 leaves next
    const qD = this.reg(QW), qC = this.reg(QW / 8), qL = this.reg(bitsFor(QG));
    const lw = qL.width;

    // ---- the chunk the held beat adds to the queue, and its length in groups
    const fcs = fcsGen.fcs.xor(mux(hStomp, U(0xffffffff, 32), U(0, 32)));
    const byteShift = cat(hN, U(0, 3)).zext(16);
    const tailD = U(TAIL_FILL, CW).or(fcs.zext(CW)).shl(byteShift);
    const tailC = U(0xfffffff0n, CW / 8).shl(hN.zext(16));
    const bodyD = hData.zext(CW).or(mux(hEnd, tailD, U(0, CW)));
    const bodyC = mux(hEnd, tailC, U(0, CW / 8));
    const dataD = mux(hFirst, cat(bodyD.slice(CW - 65, 0), U(START_GROUP, 64)), bodyD);
    const dataC = mux(hFirst, cat(bodyC.slice(CW / 8 - 9, 0), U(0x01, 8)), bodyC);
    const chunkD = mux(hKind.eq(H_ERROR), U(ERROR_GROUP, CW), dataD);
    const chunkC = mux(hKind.eq(H_ERROR), U(0xff, CW / 8), dataC);
    const endGroups = hN.zext(8).add(4).add(hGap.zext(8)).shr(3);
    const dataGroups = mux(hEnd, endGroups, U(G, 8)).add(hFirst.zext(8));
    const chunkLen = mux(hKind.eq(H_DATA), dataGroups, mux(hKind.eq(H_ERROR), U(1, 8), U(0, 8))).trunc(lw);
    const l1 = mux(qL.gt(G), qL.sub(G), U(0, lw));
    const l2 = l1.add(chunkLen);
    const keepLow = U((1n << BigInt(QW)) - 1n, QW).shl(cat(l1, U(0, 6)).zext(16)).not();
    const keepLowC = U((1n << BigInt(QW / 8)) - 1n, QW / 8).shl(cat(l1, U(0, 3)).zext(16)).not();
    qD.set(qD.shr(width).and(keepLow).or(chunkD.zext(QW).shl(cat(l1, U(0, 6)).zext(16))));
    qC.set(qC.shr(B).and(keepLowC).or(chunkC.zext(QW / 8).shl(cat(l1, U(0, 3)).zext(16))));
    qL.set(l2);

    // ---- the wire: the queue's first beat, idles where the queue is shorter
    const validD = U((1n << BigInt(width)) - 1n, width).shl(cat(qL, U(0, 6)).zext(16)).not();
    const validC = U((1n << BigInt(B)) - 1n, B).shl(cat(qL, U(0, 3)).zext(16)).not();
    const idles = U(laneBytes(Array(B).fill(XGMII.IDLE)), width);
    this.xgmii.data.assign(qD.slice(width - 1, 0).and(validD).or(idles.and(validD.not())));
    this.xgmii.ctrl.assign(qC.slice(B - 1, 0).and(validC).or(validC.not()));

    // ---- taking client beats
    const ready = mid.or(drain).or(l2.le(2 * G));
    inp.ready.assign(ready);
    const take = inp.valid.and(ready).and(drain.not());
    const n = mux(inp.last, inp.bytes, U(B, nw));
    const nPad = mux(mid.not().and(inp.last).and(n.lt(60)), U(60, nw), n);
    const keep = (d: Sig, k: Sig): Sig => d.and(U((1n << BigInt(width)) - 1n, width).shr(cat(U(B, nw + 1).sub(k.zext(nw + 1)), U(0, 3)).zext(16)));
    const masked = keep(inp.data, n);
    const soFar = mux(mid, cnt, U(0, 16));
    fcsGen.valid.assign(take);
    fcsGen.first.assign(mid.not());
    fcsGen.data.assign(masked);
    fcsGen.bytes.assign(nPad);

    const sent = this.wire(1, { default: 0 });
    const under = this.wire(1, { default: 0 });
    hKind.set(H_NONE);
    when(drain, () => {
      when(inp.valid.and(inp.last), () => drain.set(0));
    }).elsewhen(mid.and(inp.valid.not()), () => {
      hKind.set(H_ERROR);
      hFirst.set(0);
      under.set(1);
      mid.set(0);
      drain.set(1);
    }).elsewhen(take, () => {
      hKind.set(H_DATA);
      hData.set(masked);
      hN.set(nPad);
      hFirst.set(mid.not());
      hEnd.set(inp.last);
      hStomp.set(inp.err);
      cnt.set(soFar.add(nPad.zext(16)));
      when(inp.last, () => {
        mid.set(0);
        sent.set(1);
        // gap (terminate included) so the next start is on a group boundary, by the deficit idle count
        const over = nPad.slice(2, 0);
        const sum = dic.zext(4).add(over.zext(4));
        when(over.eq(0), () => hGap.set(12)).elsewhen(sum.le(7), () => {
          hGap.set(U(12, 5).sub(over.zext(5)));
          dic.set(sum.trunc(3));
        }).otherwise(() => {
          hGap.set(U(20, 5).sub(over.zext(5)));
          const extra = U(8, 4).sub(over.zext(4));
          dic.set(mux(dic.zext(4).gt(extra), dic.zext(4).sub(extra), U(0, 4)).trunc(3));
        });
      }).otherwise(() => mid.set(1));
    });

    this.frameSent.assign(sent);
    this.frameBytes.assign(soFar.add(nPad.zext(16)).add(4));
    this.underrun.assign(under);
  }
}
