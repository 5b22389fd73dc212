// Test harness (DSL): a wide Mac400 whose transmitter is wired back to its own receiver through an EthLink, with
// the wire exposed as an output for a capture tap and co-simulation.
import { Module, flip, type Flip, type HwBundle } from '../../../rtl/core/index.ts';
import { CsrBus } from '../../../rtl/lib/csr-bus.ts';
import { EthStream } from '../../../rtl/corsair/jetstream/eth-stream.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { Mac400, type Mac400Options } from '../../../rtl/corsair/jetstream/mac400.ts';
import { Xgmii } from '../../../rtl/corsair/jetstream/xgmii.ts';

export class Mac400Loopback extends Module {
  readonly txIn: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  readonly rxOut: HwBundle<ReturnType<typeof EthStream>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly line: HwBundle<ReturnType<typeof Xgmii>>;
  readonly mac: Mac400;

  constructor(opts: Mac400Options & { latencyNs?: number } = {}) {
    super();
    const { latencyNs, ...macOpts } = opts;
    const mac = (this.mac = new Mac400(macOpts));
    const width = mac.tx.width;
    this.txIn = this.port(flip(EthStream(width)));
    this.rxOut = this.port(EthStream(width));
    this.csr = this.port(flip(CsrBus(4)));
    this.line = this.port(Xgmii(width));
    const link = new EthLink({ width, latencyNs: latencyNs ?? 10, periodPs: 2560 });
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
