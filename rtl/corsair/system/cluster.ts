// The cluster: servers whose JetStream NICs meet at a leaf switch. Server n is node n; the leaf switch forwards
// each frame by destination MAC to the port of that node.
import { Module, connect, type HwBundle } from '../../core/index.ts';
import { LeafSwitch } from '../jetstream/leaf-switch.ts';
import { JS_DEFAULT_BASE_MAC } from '../jetstream/header.ts';
import type { BufferMode } from '../jetstream/engine-packet-buffer.ts';
import { Server, type ServerOptions } from './server.ts';
import { PciePort } from './card.ts';

export interface ClusterOptions extends Omit<ServerOptions, 'node' | 'nodes' | 'firmware'> {
  /** Servers, 2..16. */
  servers: number;
  /** Boot images: firmware[server][card][chiplet]. */
  firmware?: ReadonlyArray<ReadonlyArray<ReadonlyArray<ArrayLike<number> | undefined>>>;
  /** Leaf switch latency in ns (default 400: a cut-through 400G top-of-rack switch) and mode. */
  leafNs?: number;
  leafMode?: BufferMode;
}

export class Cluster extends Module {
  /** Each server's host port on its PCIe switch (rx = from the host): the testbench plays the hosts. */
  readonly hosts: Array<HwBundle<ReturnType<typeof PciePort>>>;
  readonly servers: Server[];
  readonly leaf: LeafSwitch;

  constructor(readonly options: ClusterOptions) {
    super();
    const n = options.servers;
    if (!Number.isInteger(n) || n < 2 || n > 16) throw new Error(`Cluster: servers must be 2..16, got ${n}`);
    const width = options.tlpWidth ?? 512;
    this.servers = Array.from({ length: n }, (_, s) => new Server({ ...options, node: s, nodes: n, firmware: options.firmware?.[s] }));
    this.leaf = new LeafSwitch({
      ports: n,
      portMacs: this.servers.map((_, s) => JS_DEFAULT_BASE_MAC + BigInt(s)),
      width,
      mode: options.leafMode ?? 'cut-through',
      latencyNs: options.leafNs ?? 400,
      clockPeriodPs: 1000,
    });
    this.hosts = this.servers.map(() => this.port(PciePort(width)));
    this.servers.forEach((srv, s) => {
      connect(this.hosts[s]!.rx, srv.host.rx);
      connect(srv.host.tx, this.hosts[s]!.tx);
      connect(srv.ethTx, this.leaf.in[s]!);
      connect(this.leaf.out[s]!, srv.ethRx);
    });
  }
}
