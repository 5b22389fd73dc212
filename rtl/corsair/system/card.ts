// A Corsair card on PCIe: its chiplets and the card's PCIe port. With one chiplet the port is the chiplet's; with
// several, a card-level fabric (a PCIe switch whose latency is the published die-to-die 115 ns) routes each write
// to the chiplet whose 8 MiB window of the card BAR it falls in, and everything else out of the card.
import { Module, connect, flip, type HwBundle } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { PcieSwitch } from '../pcie/switch.ts';
import { Chiplet, type ChipletOptions } from './chiplet.ts';
import { PCIE_MAP } from './pcie-map.ts';

export interface CardOptions extends Omit<ChipletOptions, 'chiplet' | 'firmware'> {
  /** Chiplets on the card, 1..8 (published: 8 a card; the default 1 keeps simulations small). */
  chiplets?: number;
  /** Boot image of each chiplet's dispatch engine. */
  firmware?: ReadonlyArray<ArrayLike<number> | undefined>;
  /** Die-to-die latency in ns between chiplets and the card's PCIe port (published: 115). */
  dieToDieNs?: number;
}

/** The card's PCIe port: TLPs from the link (rx) and to it (tx). */
export const PciePort = (width: number) => ({ rx: flip(PacketStream(width)), tx: PacketStream(width) });

export class Card extends Module {
  readonly pcie: HwBundle<ReturnType<typeof PciePort>>;
  readonly chiplets: Chiplet[];
  readonly fabric: PcieSwitch | undefined;

  constructor(readonly options: CardOptions = {}) {
    super();
    const n = options.chiplets ?? 1;
    const width = options.tlpWidth ?? 512;
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`Card: chiplets must be 1..8, got ${n}`);
    this.pcie = this.port(PciePort(width));
    this.chiplets = Array.from({ length: n }, (_, k) => new Chiplet({ ...options, chiplet: k, firmware: options.firmware?.[k] }));
    if (n === 1) {
      this.fabric = undefined;
      connect(this.pcie.rx, this.chiplets[0]!.tlpIn);
      connect(this.chiplets[0]!.tlpOut, this.pcie.tx);
      return;
    }
    const bar = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(options.card ?? 0) * BigInt(PCIE_MAP.CARD_BAR_SIZE);
    const win = BigInt(PCIE_MAP.CHIPLET_WINDOW);
    this.fabric = new PcieSwitch({
      width,
      latencyNs: options.dieToDieNs ?? 115,
      downstream: this.chiplets.map((_, k) => [{ base: bar + BigInt(k) * win, limit: bar + BigInt(k + 1) * win - 1n }]),
    });
    connect(this.pcie.rx, this.fabric.up.rx);
    connect(this.fabric.up.tx, this.pcie.tx);
    this.chiplets.forEach((c, k) => {
      connect(this.fabric!.down[k]!.tx, c.tlpIn);
      connect(c.tlpOut, this.fabric!.down[k]!.rx);
    });
  }
}
