// Test fixture (DSL): two servers' JetStream NICs (node 0 and node 1) wired back to back through two EthLinks (one
// each way), or each through its own pair of links to a LeafSwitchPorts (viaSwitch), in a shared MAC clock domain; each NIC's engine runs on the PCIe clock (sys, 1 GHz). The PCIe sides,
// the engine register ports and the MAC register ports of both NICs are the fixture's ports.
import { ClockDomain, Module, connect, flip, withDomain, type Flip, type HwBundle } from '../../../rtl/core/index.ts';
import { CsrBus } from '../../../rtl/lib/csr-bus.ts';
import { PacketStream } from '../../../rtl/lib/packet.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { JetStreamNic, type JetStreamNicOptions } from '../../../rtl/corsair/jetstream/nic.ts';
import { LeafSwitchPorts } from '../../../rtl/corsair/jetstream/leaf-switch-ports.ts';
import { JS_DEFAULT_BASE_MAC } from '../../../rtl/corsair/jetstream/header.ts';

export interface TwoNicsOptions extends Omit<JetStreamNicOptions, 'nodeId' | 'macDomain' | 'nodes'> {
  /** One-way cable + PHY latency in ns (EthLink; at least one MAC clock). Default 0. */
  linkLatencyNs?: number;
  /** MAC clock period in ps. Default 2560. */
  macPeriodPs?: number;
  /** Go through a LeafSwitchPorts (a leaf switch with a MAC on each port) instead of NIC to NIC. */
  viaSwitch?: boolean;
}

type Csr = HwBundle<Flip<ReturnType<typeof CsrBus>>>;

export class TwoNics extends Module {
  readonly aTx: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly aRx: HwBundle<ReturnType<typeof PacketStream>>;
  readonly bTx: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly bRx: HwBundle<ReturnType<typeof PacketStream>>;
  readonly aCsr: Csr;
  readonly bCsr: Csr;
  readonly aMacCsr: Csr;
  readonly bMacCsr: Csr;
  readonly a: JetStreamNic;
  readonly b: JetStreamNic;
  readonly macDomain: ClockDomain;
  readonly sw?: LeafSwitchPorts;

  constructor(o: TwoNicsOptions = {}) {
    super();
    const { linkLatencyNs = 0, macPeriodPs = 2560, viaSwitch = false, ...nic } = o;
    const ew = nic.engineWidth ?? 512;
    const mac = (this.macDomain = new ClockDomain('mac', { periodPs: macPeriodPs }));
    this.aTx = this.port(flip(PacketStream(ew)));
    this.aRx = this.port(PacketStream(ew));
    this.bTx = this.port(flip(PacketStream(ew)));
    this.bRx = this.port(PacketStream(ew));
    this.aCsr = this.port(flip(CsrBus(4)));
    this.bCsr = this.port(flip(CsrBus(4)));
    this.aMacCsr = this.port(flip(CsrBus(4)));
    this.bMacCsr = this.port(flip(CsrBus(4)));
    this.a = new JetStreamNic({ ...nic, nodes: 2, nodeId: 0, macDomain: mac });
    this.b = new JetStreamNic({ ...nic, nodes: 2, nodeId: 1, macDomain: mac });
    const mw = this.a.macWidth;
    const link = () => new EthLink({ width: mw, latencyNs: linkLatencyNs, periodPs: macPeriodPs });
    if (viaSwitch) {
      const sw = (this.sw = withDomain(mac, () => new LeafSwitchPorts({
        ports: 2, width: mw, portMacs: [JS_DEFAULT_BASE_MAC, JS_DEFAULT_BASE_MAC + 1n], clockPeriodPs: macPeriodPs,
      })));
      const nics = [this.a, this.b];
      nics.forEach((n, i) => {
        const [up, down] = withDomain(mac, () => [link(), link()]);
        connect(n.xgmiiTx, up!.a);
        connect(up!.b, sw.xgmiiRx[i]!);
        connect(sw.xgmiiTx[i]!, down!.a);
        connect(down!.b, n.xgmiiRx);
        for (const k of ['en', 'we', 'addr', 'wdata'] as const) sw.csr[i]![k].assign(0);
      });
    } else {
      const [ab, ba] = withDomain(mac, () => [link(), link()]);
      connect(this.a.xgmiiTx, ab!.a);
      connect(ab!.b, this.b.xgmiiRx);
      connect(this.b.xgmiiTx, ba!.a);
      connect(ba!.b, this.a.xgmiiRx);
    }
    connect(this.aTx, this.a.txTlp);
    connect(this.bTx, this.b.txTlp);
    connect(this.a.rxTlp, this.aRx);
    connect(this.b.rxTlp, this.bRx);
    const pairs: Array<[Csr, Csr]> = [[this.aCsr, this.a.csr], [this.bCsr, this.b.csr], [this.aMacCsr, this.a.macCsr], [this.bMacCsr, this.b.macCsr]];
    for (const [outer, inner] of pairs) {
      inner.en.assign(outer.en);
      inner.we.assign(outer.we);
      inner.addr.assign(outer.addr);
      inner.wdata.assign(outer.wdata);
      outer.rdata.assign(inner.rdata);
    }
  }
}
