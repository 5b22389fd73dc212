// 802.3 MAC transmitter, 64-bit XGMII-style datapath: takes frames (DA to end of payload) from an EthStream, sends
// start + preamble + SFD, the frame, zero padding to 60 bytes, the FCS (CRC-32, one 8-byte beat a clock), terminate
// and idles; starts are on lane 0 and the deficit idle count (DIC) keeps the average inter-frame gap at 12 bytes.
import { Module, U, cat, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { Crc32 } from '../../lib/crc32.ts';
import { EthStream } from './eth-stream.ts';
import { XGMII, Xgmii, laneBytes } from './xgmii.ts';

export interface MacTxOptions {
  /** Datapath width in bits; this implementation is the 64-bit one (8 lanes, start on lane 0). */
  width?: number;
}

const IDLE_BEAT = laneBytes(Array(8).fill(XGMII.IDLE));
const START_BEAT = laneBytes([XGMII.START, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, XGMII.SFD]);
const ERROR_BEAT = laneBytes([XGMII.ERROR, XGMII.TERMINATE, 7, 7, 7, 7, 7, 7]);
/** Behind the last data byte: FCS (4 bytes, filled in), terminate, then idles (16 bytes in all). */
const TAIL_FILL = laneBytes([0, 0, 0, 0, XGMII.TERMINATE, ...Array(11).fill(XGMII.IDLE)]);

/** Hold-register beat kinds (what the wire carries next clock). */
const K_IDLE = 0, K_START = 1, K_DATA = 2, K_ERROR = 3;

/**
 * Client contract: once a frame's first beat is offered, its beats come back to back (valid stays high until
 * `last`). A missing beat is an underrun: the frame is ended on the wire with /E/ (so every receiver drops it),
 * the rest of it is taken and discarded, and `underrun` pulses. `err` on the last beat sends the FCS inverted.
 * Timing: a beat taken at one edge is on the wire the clock after (the FCS is computed on the way).
 */
export class MacTx extends Module {
  readonly in: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  readonly xgmii: HwBundle<ReturnType<typeof Xgmii>>;
  /** Pulses when a frame's last beat (with padding) has been taken. */
  readonly frameSent: Output;
  /** With frameSent: the frame's length on the wire from DA to the end of the FCS. */
  readonly frameBytes: Output;
  /** Pulses when a frame was cut short by a client underrun. */
  readonly underrun: Output;
  readonly width: number;

  constructor(opts: MacTxOptions = {}) {
    super();
    const width = (this.width = opts.width ?? 64);
    if (width !== 64) throw new Error(`MacTx: width must be 64 (the wide MAC is not implemented yet), got ${width}`);
    this.in = this.port(flip(EthStream(64)));
    this.xgmii = this.port(Xgmii(64));
    this.frameSent = this.output(1, { doc: 'a frame was completed (pulse)' });
    this.frameBytes = this.output(16, { doc: 'with frameSent: its bytes DA..FCS' });
    this.underrun = this.output(1, { doc: 'a frame was aborted by a client underrun (pulse)' });

    const inp = this.in;
    const fcsGen = new Crc32(8);
    const f = this.fsm(['IDLE', 'DATA', 'PAD', 'DRAIN'] as const);
    const cnt = this.reg(16);            // frame bytes sent so far (without FCS)
    const gapCnt = this.reg(2);          // idle beats still owed before a start
    const dic = this.reg(3);             // deficit idle count, 0..7
    const stompPad = this.reg(1);        // err seen on a last beat that still needs padding

    // the beat the wire carries next clock
    const kind = this.reg(2);
    const hData = this.reg(64);
    const hN = this.reg(4);
    const hEnd = this.reg(1);
    const hStomp = this.reg(1);
    const spillD = this.reg(64, { init: IDLE_BEAT });
    const spillC = this.reg(8, { init: 0xff });

    const nextKind = this.wire(2, { default: K_IDLE });
    const nData = this.wire(64, { default: 0 });
    const nN = this.wire(4, { default: 0 });
    const nEnd = this.wire(1, { default: 0 });
    const nStomp = this.wire(1, { default: 0 });
    const ready = this.wire(1, { default: 0 });
    const sent = this.wire(1, { default: 0 });
    const under = this.wire(1, { default: 0 });

    /** Bytes 0..n-1 of a beat kept, the rest zero. */
    const keep = (d: Sig, n: Sig): Sig => d.and(U((1n << 64n) - 1n, 64).shr(cat(U(8, 4).sub(n), U(0, 3)).zext(7)));
    /** A frame ends with n (1..8) bytes in its last beat: choose the gap (1 or 2 idle beats) by the DIC rule. */
    const endFrame = (n: Sig, stomp: Sig): void => {
      nEnd.set(1);
      nStomp.set(stomp);
      sent.set(1);
      f.goto('IDLE');
      const sum = dic.zext(4).add(n);
      when(n.ne(8).and(sum.le(7)), () => {
        gapCnt.set(1);
        dic.set(sum.trunc(3));
      }).otherwise(() => {
        gapCnt.set(2);
        const extra = U(8, 4).sub(n);
        dic.set(mux(dic.zext(4).gt(extra), dic.zext(4).sub(extra), U(0, 4)).trunc(3));
      });
    };

    const n8 = mux(inp.last, inp.bytes, U(8, 4));
    const masked = keep(inp.data, n8);
    const padRest = cnt.lt(52);                       // after this beat more padding beats are needed
    const nLast = mux(cnt.eq(56).and(n8.lt(4)), U(4, 4), n8);
    f.on({
      IDLE: () => {
        when(gapCnt.ne(0), () => gapCnt.set(gapCnt.sub(1))).elsewhen(inp.valid, () => {
          nextKind.set(K_START);
          cnt.set(0);
          f.goto('DATA');
        });
      },
      DATA: () => {
        ready.set(1);
        when(inp.valid, () => {
          nextKind.set(K_DATA);
          nData.set(masked);
          when(inp.last.and(padRest), () => {
            nN.set(8);
            stompPad.set(inp.err);
            f.goto('PAD');
          }).elsewhen(inp.last, () => {
            nN.set(nLast);
            endFrame(nLast, inp.err);
          }).otherwise(() => nN.set(8));
        }).otherwise(() => {
          nextKind.set(K_ERROR);
          under.set(1);
          f.goto('DRAIN');
        });
      },
      PAD: () => {
        nextKind.set(K_DATA);
        when(padRest, () => nN.set(8)).otherwise(() => {
          nN.set(4);
          endFrame(U(4, 4), stompPad);
        });
      },
      DRAIN: () => {
        ready.set(1);
        when(inp.valid.and(inp.last), () => {
          gapCnt.set(1);
          f.goto('IDLE');
        });
      },
    });
    const emitting = nextKind.eq(K_DATA);
    when(emitting, () => cnt.set(cnt.add(nN.zext(16))));
    fcsGen.valid.assign(emitting);
    fcsGen.first.assign(cnt.eq(0));
    fcsGen.data.assign(nData);
    fcsGen.bytes.assign(nN);
    inp.ready.assign(ready);

    kind.set(nextKind);
    hData.set(nData);
    hN.set(nN);
    hEnd.set(nEnd);
    hStomp.set(nStomp);

    // ---- the wire: the held beat, with FCS, terminate and idles behind the last data byte
    const fcs = fcsGen.fcs.xor(mux(hStomp, U(0xffffffff, 32), U(0, 32)));
    const shift = cat(hN, U(0, 3)).zext(8);
    const tailD = U(TAIL_FILL, 128).or(fcs.zext(128)).shl(shift).or(hData.zext(128));
    const tailC = U(0xfff0, 16).shl(hN.zext(5));
    const isEnd = kind.eq(K_DATA).and(hEnd);
    when(isEnd, () => {
      spillD.set(tailD.slice(127, 64));
      spillC.set(tailC.slice(15, 8));
    }).otherwise(() => {
      spillD.set(U(IDLE_BEAT, 64));
      spillC.set(U(0xff, 8));
    });
    const dataBeat = mux(hEnd, tailD.slice(63, 0), hData);
    const dataCtrl = mux(hEnd, tailC.slice(7, 0), U(0, 8));
    this.xgmii.data.assign(mux(kind.eq(K_START), U(START_BEAT, 64),
      mux(kind.eq(K_ERROR), U(ERROR_BEAT, 64), mux(kind.eq(K_DATA), dataBeat, spillD))));
    this.xgmii.ctrl.assign(mux(kind.eq(K_START), U(0x01, 8),
      mux(kind.eq(K_ERROR), U(0xff, 8), mux(kind.eq(K_DATA), dataCtrl, spillC))));

    this.frameSent.assign(sent);
    this.frameBytes.assign(cnt.add(nN.zext(16)).add(4));
    this.underrun.assign(under);
  }
}
