// A server: Corsair cards and a JetStream NIC under one PCIe switch. The switch routes each card's BAR window to
// that card and JetStream's remote window (writes meant for another server) to the NIC; everything else goes
// upstream to the host port. The NIC carries remote writes out as Ethernet frames and turns frames arriving from
// the network into writes to this server's cards.
import { ClockDomain, Module, connect, flip, type HwBundle } from '../../core/index.ts';
import { PcieSwitch, cardWindow, remoteWindow } from '../pcie/switch.ts';
import { Xgmii } from '../jetstream/xgmii.ts';
import { JetStreamNic } from '../jetstream/nic.ts';
import { Card, PciePort, type CardOptions } from './card.ts';

export interface ServerOptions extends Omit<CardOptions, 'card' | 'firmware'> {
  /** This server's node number on the network. */
  node: number;
  /** Nodes the JetStream engines track (the cluster size). */
  nodes: number;
  /** Corsair cards, 1..8 (published: 8 a server, 4 a JetStream; default 1). */
  cards?: number;
  /** Boot images: firmware[card][chiplet]. */
  firmware?: ReadonlyArray<ReadonlyArray<ArrayLike<number> | undefined>>;
  /** Latency through the PCIe switch in ns (default 650, published). */
  switchNs?: number;
  /** The MAC clock of the NIC (default 390.625 MHz: 1024-bit 400G). */
  macDomain?: ClockDomain;
  /** MAC datapath width (default 1024: 400 Gb/s at 390.625 MHz). */
  macWidth?: number;
}

export class Server extends Module {
  /** The host's port on the switch (upstream; rx = from the host): a testbench plays the host here. */
  readonly host: HwBundle<ReturnType<typeof PciePort>>;
  /** JetStream's Ethernet port (MAC clock). */
  readonly xgmiiTx: HwBundle<ReturnType<typeof Xgmii>>;
  readonly xgmiiRx: HwBundle<ReturnType<typeof flip<ReturnType<typeof Xgmii>>>>;
  readonly cards: Card[];
  readonly pcieSwitch: PcieSwitch;
  readonly jetstream: JetStreamNic;

  constructor(readonly options: ServerOptions) {
    super();
    const width = options.tlpWidth ?? 512;
    const nCards = options.cards ?? 1;
    if (!Number.isInteger(nCards) || nCards < 1 || nCards > 8) throw new Error(`Server: cards must be 1..8, got ${nCards}`);
    this.host = this.port(PciePort(width));
    const macWidth = options.macWidth ?? 1024;
    this.xgmiiTx = this.port(Xgmii(macWidth));
    this.xgmiiRx = this.port(flip(Xgmii(macWidth)));
    this.cards = Array.from({ length: nCards }, (_, c) => new Card({ ...options, card: c, firmware: options.firmware?.[c] }));
    this.jetstream = new JetStreamNic({
      engineWidth: width, macWidth, macDomain: options.macDomain, nodes: options.nodes, nodeId: options.node, requesterId: 0x0100 * (nCards + 1),
    });
    this.pcieSwitch = new PcieSwitch({
      width,
      latencyNs: options.switchNs ?? 650,
      downstream: [...this.cards.map((_, c) => [cardWindow(c)]), [remoteWindow()]],
    });
    const sw = this.pcieSwitch;
    connect(this.host.rx, sw.up.rx);
    connect(sw.up.tx, this.host.tx);
    this.cards.forEach((card, c) => {
      connect(sw.down[c]!.tx, card.pcie.rx);
      connect(card.pcie.tx, sw.down[c]!.rx);
    });
    const js = sw.down[nCards]!;
    connect(js.tx, this.jetstream.txTlp);
    connect(this.jetstream.rxTlp, js.rx);
    connect(this.jetstream.xgmiiTx, this.xgmiiTx);
    connect(this.xgmiiRx, this.jetstream.xgmiiRx);
    // JetStream runs from its reset values (node id, requester ID); nobody programs it in the scenario
    for (const csr of [this.jetstream.csr, this.jetstream.macCsr]) {
      csr.en.assign(0);
      csr.we.assign(0);
      csr.addr.assign(0);
      csr.wdata.assign(0);
    }
  }
}
