// The 802.3 MAC: MacTx and MacRx side by side with their statistics counters on a CsrBus register port.
import { Module, U, flip, select, when, type Flip, type HwBundle, type Sig } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { EthStream } from './eth-stream.ts';
import { MacRx, type MacRxOptions } from './mac-rx.ts';
import { MacTx } from './mac-tx.ts';
import { MAC_REG } from './mac-regs.ts';
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

    const wr = this.csr.en.and(this.csr.we);
    const regs: Sig[] = [];
    const counter = (a: number, inc: Sig, by: Sig = U(1, 32)): void => {
      const c = this.reg(32, { name: `cnt_${a}` });
      when(wr.and(this.csr.addr.eq(a)), () => c.set(0)).elsewhen(inc, () => c.set(c.add(by)));
      regs[a] = c;
    };
    counter(MAC_REG.TX_FRAMES, tx.frameSent);
    counter(MAC_REG.TX_BYTES, tx.frameSent, tx.frameBytes.zext(32));
    counter(MAC_REG.TX_UNDERRUN, tx.underrun);
    counter(MAC_REG.RX_FRAMES, rx.goodFrame);
    counter(MAC_REG.RX_BYTES, rx.goodFrame, rx.frameBytes.zext(32));
    counter(MAC_REG.RX_BAD_FCS, rx.badFcs);
    counter(MAC_REG.RX_RUNT, rx.runt);
    counter(MAC_REG.RX_OVERSIZE, rx.oversize);
    counter(MAC_REG.RX_TRUNCATED, rx.truncated);
    counter(MAC_REG.RX_DROPPED, rx.dropped);
    regs[MAC_REG.CONFIG] = U(rx.maxFrame | ((width / 8) << 16) | ((rx.cutThrough ? 1 : 0) << 24), 32);
    const table = Array.from({ length: 16 }, (_, a) => regs[a] ?? U(0, 32));
    this.csr.rdata.assign(select(this.csr.addr, table));
  }
}
