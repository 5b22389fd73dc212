// The wide (400G) 802.3 MAC: Mac400Tx and Mac400Rx side by side with the same statistics counters and register map
// (MAC_REG) as the 64-bit Mac, on a CsrBus register port. Client side: EthStream(width), one frame per beat.
import { Module, flip, type Flip, type HwBundle } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { EthStream } from './eth-stream.ts';
import { Mac400Rx, type Mac400RxOptions } from './mac400-rx.ts';
import { Mac400Tx } from './mac400-tx.ts';
import { macRegisterFile } from './mac-regs.ts';
import { Xgmii } from './xgmii.ts';

export type Mac400Options = Mac400RxOptions;

export class Mac400 extends Module {
  /** Frames to send. */
  readonly txIn: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  /** Frames received. */
  readonly rxOut: HwBundle<ReturnType<typeof EthStream>>;
  readonly xgmiiTx: HwBundle<ReturnType<typeof Xgmii>>;
  readonly xgmiiRx: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly tx: Mac400Tx;
  readonly rx: Mac400Rx;

  constructor(opts: Mac400Options = {}) {
    super();
    const tx = (this.tx = new Mac400Tx({ width: opts.width }));
    const rx = (this.rx = new Mac400Rx(opts));
    const width = tx.width;
    this.txIn = this.port(flip(EthStream(width)));
    this.rxOut = this.port(EthStream(width));
    this.xgmiiTx = this.port(Xgmii(width));
    this.xgmiiRx = this.port(flip(Xgmii(width)));
    this.csr = this.port(flip(CsrBus(4)));

    for (const k of ['valid', 'data', 'last', 'bytes', 'err'] as const) tx.in[k].assign(this.txIn[k]);
    this.txIn.ready.assign(tx.in.ready);
    this.xgmiiTx.data.assign(tx.xgmii.data);
    this.xgmiiTx.ctrl.assign(tx.xgmii.ctrl);
    rx.xgmii.data.assign(this.xgmiiRx.data);
    rx.xgmii.ctrl.assign(this.xgmiiRx.ctrl);
    for (const k of ['valid', 'data', 'last', 'bytes', 'err'] as const) this.rxOut[k].assign(rx.out[k]);
    rx.out.ready.assign(this.rxOut.ready);

    macRegisterFile(this.csr, (name) => this.reg(32, { name }), {
      frameSent: tx.frameSent, sentBytes: tx.frameBytes, underrun: tx.underrun, goodFrame: rx.goodFrame, goodBytes: rx.frameBytes,
      badFcs: rx.badFcs, runt: rx.runt, oversize: rx.oversize, truncated: rx.truncated, dropped: rx.dropped,
    }, rx.maxFrame | ((width / 8) << 16));
  }
}
