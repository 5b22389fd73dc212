// The cluster: servers whose JetStream NICs meet at a leaf switch over 400G cables. Server n is node n; the leaf
// switch forwards each frame by destination MAC to the port of that node.
import { ClockDomain, Module, connect, withDomain, type HwBundle } from '../../core/index.ts';
import { LeafSwitchPorts } from '../jetstream/leaf-switch-ports.ts';
import { EthLink } from '../jetstream/link.ts';
import { JS_DEFAULT_BASE_MAC } from '../jetstream/header.ts';
import type { BufferMode } from '../jetstream/engine-packet-buffer.ts';
import { Server, type ServerOptions } from './server.ts';
import { PciePort } from './card.ts';

export interface ClusterOptions extends Omit<ServerOptions, 'node' | 'nodes' | 'firmware'> {
  /** Servers, 2..16. */
  servers: number;
  /** Boot images: firmware[server][card][chiplet]. */
  firmware?: ReadonlyArray<ReadonlyArray<ReadonlyArray<ArrayLike<number> | undefined>>>;
  /** Leaf switch latency in ns (default 300: a cut-through 400G top-of-rack switch; an assumption) and mode. */
  leafNs?: number;
  leafMode?: BufferMode;
  /** One-way latency of each cable in ns: 2 m of cable (10 ns) and the PHY's PCS/FEC/SerDes (an assumption, 50 ns). */
  linkNs?: number;
}

export class Cluster extends Module {
  /** Each server's host port on its PCIe switch (rx = from the host): the testbench plays the hosts. */
  readonly hosts: Array<HwBundle<ReturnType<typeof PciePort>>>;
  readonly servers: Server[];
  readonly leaf: LeafSwitchPorts;
  /** The cables: up[s] from server s to the switch, down[s] back. */
  readonly up: EthLink[];
  readonly down: EthLink[];
  /** The 400G MAC clock (390.625 MHz) shared by the NICs, cables and the switch. */
  readonly macDomain: ClockDomain;

  constructor(readonly options: ClusterOptions) {
    super();
    const n = options.servers;
    if (!Number.isInteger(n) || n < 2 || n > 16) throw new Error(`Cluster: servers must be 2..16, got ${n}`);
    const width = options.tlpWidth ?? 512;
    const macWidth = options.macWidth ?? 1024;
    const mac = (this.macDomain = options.macDomain ?? new ClockDomain('mac', { periodPs: 2560 }));
    this.servers = Array.from({ length: n }, (_, s) => new Server({ ...options, macDomain: mac, node: s, nodes: n, firmware: options.firmware?.[s] }));
    const link = { width: macWidth, latencyNs: options.linkNs ?? 60, periodPs: mac.periodPs };
    const net = withDomain(mac, () => ({
      leaf: new LeafSwitchPorts({
        ports: n,
        portMacs: this.servers.map((_, s) => JS_DEFAULT_BASE_MAC + BigInt(s)),
        width: macWidth,
        mode: options.leafMode ?? 'cut-through',
        latencyNs: options.leafNs ?? 300,
        clockPeriodPs: mac.periodPs,
      }),
      up: this.servers.map(() => new EthLink(link)),
      down: this.servers.map(() => new EthLink(link)),
    }));
    this.leaf = net.leaf;
    this.up = net.up;
    this.down = net.down;
    this.hosts = this.servers.map(() => this.port(PciePort(width)));
    this.servers.forEach((srv, s) => {
      connect(this.hosts[s]!.rx, srv.host.rx);
      connect(srv.host.tx, this.hosts[s]!.tx);
      connect(srv.xgmiiTx, this.up[s]!.a);
      connect(this.up[s]!.b, this.leaf.xgmiiRx[s]!);
      connect(this.leaf.xgmiiTx[s]!, this.down[s]!.a);
      connect(this.down[s]!.b, srv.xgmiiRx);
      for (const c of [this.leaf.csr[s]!]) {
        c.en.assign(0);
        c.we.assign(0);
        c.addr.assign(0);
        c.wdata.assign(0);
      }
    });
  }
}
