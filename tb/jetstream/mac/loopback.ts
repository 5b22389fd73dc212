// Test harness (DSL): a Mac whose transmitter is wired back to its own receiver through an EthLink, with the
// wire exposed as an output so a capture tap (and co-simulation) can see it.
import { Module, flip, type Flip, type HwBundle } from '../../../rtl/core/index.ts';
import { CsrBus } from '../../../rtl/lib/csr-bus.ts';
import { EthStream } from '../../../rtl/corsair/jetstream/eth-stream.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { Mac, type MacOptions } from '../../../rtl/corsair/jetstream/mac.ts';
import { Xgmii } from '../../../rtl/corsair/jetstream/xgmii.ts';

export class MacLoopback extends Module {
  readonly txIn: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  readonly rxOut: HwBundle<ReturnType<typeof EthStream>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** The transmitter's wire (before the link). */
  readonly line: HwBundle<ReturnType<typeof Xgmii>>;
  readonly mac: Mac;
  readonly link: EthLink;

  constructor(opts: MacOptions & { latencyNs?: number } = {}) {
    super();
    this.txIn = this.port(flip(EthStream(64)));
    this.rxOut = this.port(EthStream(64));
    this.csr = this.port(flip(CsrBus(4)));
    this.line = this.port(Xgmii(64));
    const { latencyNs, ...macOpts } = opts;
    const mac = (this.mac = new Mac(macOpts));
    const link = (this.link = new EthLink({ latencyNs: latencyNs ?? 20, periodPs: 6400 }));
    for (const k of ['valid', 'data', 'last', 'bytes', 'err'] as const) mac.txIn[k].assign(this.txIn[k]);
    this.txIn.ready.assign(mac.txIn.ready);
    for (const k of ['valid', 'data', 'last', 'bytes', 'err'] as const) this.rxOut[k].assign(mac.rxOut[k]);
    mac.rxOut.ready.assign(this.rxOut.ready);
    for (const k of ['en', 'we', 'addr', 'wdata'] as const) mac.csr[k].assign(this.csr[k]);
    this.csr.rdata.assign(mac.csr.rdata);
    link.a.data.assign(mac.xgmiiTx.data);
    link.a.ctrl.assign(mac.xgmiiTx.ctrl);
    mac.xgmiiRx.data.assign(link.b.data);
    mac.xgmiiRx.ctrl.assign(link.b.ctrl);
    this.line.data.assign(mac.xgmiiTx.data);
    this.line.ctrl.assign(mac.xgmiiTx.ctrl);
  }
}
