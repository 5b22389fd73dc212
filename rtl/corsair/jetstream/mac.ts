// The 802.3 MAC: MacTx and MacRx side by side with their statistics counters on a CsrBus register port.
import { Module, flip, type Flip, type HwBundle } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { EthStream } from './eth-stream.ts';
import { MacRx, type MacRxOptions } from './mac-rx.ts';
import { MacTx } from './mac-tx.ts';
import { macRegisterFile } from './mac-regs.ts';
import { Xgmii } from './xgmii.ts';

export type MacOptions = MacRxOptions;

export class Mac extends Module {
  /** Frames to send. */
  readonly txIn: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  /** Frames received. */
  readonly rxOut: HwBundle<ReturnType<typeof EthStream>>;
  readonly xgmiiTx: HwBundle<ReturnType<typeof Xgmii>>;
  readonly xgmiiRx: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly tx: MacTx;
  readonly rx: MacRx;

  constructor(opts: MacOptions = {}) {
    super();
    const width = opts.width ?? 64;
    this.txIn = this.port(flip(EthStream(width)));
    this.rxOut = this.port(EthStream(width));
    this.xgmiiTx = this.port(Xgmii(width));
    this.xgmiiRx = this.port(flip(Xgmii(width)));
    this.csr = this.port(flip(CsrBus(4)));
    const tx = (this.tx = new MacTx({ width }));
    const rx = (this.rx = new MacRx(opts));

    tx.in.valid.assign(this.txIn.valid);
    tx.in.data.assign(this.txIn.data);
    tx.in.last.assign(this.txIn.last);
    tx.in.bytes.assign(this.txIn.bytes);
    tx.in.err.assign(this.txIn.err);
    this.txIn.ready.assign(tx.in.ready);
    this.xgmiiTx.data.assign(tx.xgmii.data);
    this.xgmiiTx.ctrl.assign(tx.xgmii.ctrl);
    rx.xgmii.data.assign(this.xgmiiRx.data);
    rx.xgmii.ctrl.assign(this.xgmiiRx.ctrl);
    this.rxOut.valid.assign(rx.out.valid);
    this.rxOut.data.assign(rx.out.data);
    this.rxOut.last.assign(rx.out.last);
    this.rxOut.bytes.assign(rx.out.bytes);
    this.rxOut.err.assign(rx.out.err);
    rx.out.ready.assign(this.rxOut.ready);

    macRegisterFile(this.csr, (name) => this.reg(32, { name }), {
      frameSent: tx.frameSent, sentBytes: tx.frameBytes, underrun: tx.underrun, goodFrame: rx.goodFrame, goodBytes: rx.frameBytes,
      badFcs: rx.badFcs, runt: rx.runt, oversize: rx.oversize, truncated: rx.truncated, dropped: rx.dropped,
    }, rx.maxFrame | ((width / 8) << 16) | ((rx.cutThrough ? 1 : 0) << 24));
  }
}
