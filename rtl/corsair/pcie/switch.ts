// A PCIe switch as the peer-to-peer path sees it: an upstream port and N downstream ports. A request entering any
// port is routed by address: a downstream port whose memory base/limit windows contain the address claims it (so
// two cards under one switch write to each other without the host), anything else goes upstream; a write that
// would leave by the port it came in on (from upstream and claimed by nobody) is dropped and counted. Each egress
// port is a PcieLink: the switch's latency (default 650 ns, the published figure through PCIe switches), its
// credits and the link rate. Completions (routed by ID) are not modelled.
import { Module, U, cat, clog2, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { RoundRobinArbiter } from '../../lib/arbiter.ts';
import { fire } from '../../lib/stream.ts';
import { PCIE_MAP } from '../system/pcie-map.ts';
import { PcieLink, type PcieLinkOptions } from './link.ts';
import { checkTlpWidth } from './p2p-engine.ts';

/** An address window, inclusive limit (1 MB granularity, like the bridge registers). */
export interface PcieWindow {
  base: bigint;
  limit: bigint;
}

/** Card c's BAR as a switch window. */
export function cardWindow(card: number): PcieWindow {
  const base = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(card) * BigInt(PCIE_MAP.CARD_BAR_SIZE);
  return { base, limit: base + BigInt(PCIE_MAP.CARD_BAR_SIZE) - 1n };
}

/** JetStream's remote window (256 nodes x 16 cards x 256 MB) as a switch window. */
export function remoteWindow(): PcieWindow {
  const base = BigInt(PCIE_MAP.REMOTE_BASE);
  return { base, limit: base + (1n << 40n) - 1n };
}

export interface PcieSwitchOptions {
  /** TLP datapath width in bits (default 512). */
  width?: number;
  /** The windows each downstream port claims (one list per port; the number of lists is the number of ports). */
  downstream: PcieWindow[][];
  /** Port-to-port latency in ns (default 650). */
  latencyNs?: number;
  /** Egress link parameters (rate, framing, credits, clock period); latency comes from latencyNs. */
  link?: Omit<PcieLinkOptions, 'width' | 'latencyNs'>;
}

const PortPair = (width: number) => ({ rx: flip(PacketStream(width)), tx: PacketStream(width) });

export class PcieSwitch extends Module {
  readonly up: HwBundle<ReturnType<typeof PortPair>>;
  readonly down: Array<HwBundle<ReturnType<typeof PortPair>>>;
  /** Posted writes dropped because no port claimed them (sticky count, 32 bits). */
  readonly unclaimed: Output;
  readonly egress: PcieLink[];

  constructor(opts: PcieSwitchOptions) {
    super();
    const width = opts.width ?? 512;
    checkTlpWidth('PcieSwitch', width);
    const n = opts.downstream.length;
    if (n < 1 || n > 15) throw new Error(`PcieSwitch: 1..15 downstream ports, got ${n}`);
    const mb = 1n << 20n;
    const all: Array<PcieWindow & { port: number }> = [];
    opts.downstream.forEach((ws, p) => ws.forEach((w) => {
      if (w.base < 0n || w.limit < w.base || w.limit >= 1n << 64n || w.base % mb !== 0n || (w.limit + 1n) % mb !== 0n) {
        throw new Error(`PcieSwitch: window 0x${w.base.toString(16)}..0x${w.limit.toString(16)} of port ${p} is not 1 MB-aligned base <= limit`);
      }
      for (const o of all) {
        if (w.base <= o.limit && o.base <= w.limit) throw new Error(`PcieSwitch: windows of ports ${o.port} and ${p} overlap at 0x${w.base.toString(16)}`);
      }
      all.push({ ...w, port: p });
    }));
    this.up = this.port(PortPair(width));
    this.down = [];
    for (let p = 0; p < n; p++) this.down.push(this.port(PortPair(width)));
    this.unclaimed = this.output(32, { doc: 'posted writes dropped: claimed by no port' });

    // port 0 is upstream, port p + 1 downstream port p
    const ports = [this.up, ...this.down];
    const np = n + 1;
    const pw = clog2(np);
    this.egress = ports.map(() => new PcieLink({ ...opts.link, width, latencyNs: opts.latencyNs ?? 650 }));

    // ---- ingress: route each TLP at its first beat
    const dropCount = this.reg(32);
    const ing = ports.map((port, i) => {
      const rx = port.rx;
      const B = (k: number) => rx.data.slice(8 * k + 7, 8 * k);
      const be32 = (k: number) => cat(B(k), B(k + 1), B(k + 2), B(k + 3));
      const is4 = B(0).bit(5); // Fmt[0]: 4DW header
      const addr = cat(mux(is4, be32(8), U(0, 32)), cat(mux(is4, be32(12), be32(8)).slice(31, 2), U(0, 2)));
      let route: Sig = U(0, pw);
      for (const w of all.slice().reverse()) {
        route = mux(addr.ge(w.base).and(addr.le(w.limit)), U(w.port + 1, pw), route);
      }
      const mid = this.reg(1);
      const dest = this.reg(pw);
      const drop = this.reg(1);
      const routeNow = route;
      const dropNow = routeNow.eq(i);
      const curDest = mux(mid, dest, routeNow);
      const curDrop = mux(mid, drop, dropNow);
      const f = fire(rx);
      when(f, () => {
        mid.set(rx.last.not());
        when(mid.not(), () => {
          dest.set(routeNow);
          drop.set(dropNow);
        });
      });
      return { rx, curDest, curDrop, first: mid.not(), f };
    });
    const drops = ing.map((g) => g.f.and(g.first).and(g.curDrop));
    const dropInc = drops.reduce((a, b) => a.zext(Math.max(a.width, 4)).add(b.zext(Math.max(a.width, 4))), U(0, 4) as Sig);
    dropCount.set(dropCount.add(dropInc.zext(32)));
    this.unclaimed.assign(dropCount);

    // ---- egress: a round-robin arbiter per port, locked for a whole TLP
    const readyTerms: Sig[][] = ports.map(() => []);
    ports.forEach((port, e) => {
      const link = this.egress[e]!;
      const reqBits = ing.map((g, i) => (i === e ? U(0, 1) : g.rx.valid.and(g.curDrop.not()).and(g.curDest.eq(e))));
      const arb = new RoundRobinArbiter(np);
      arb.req.assign(cat(...reqBits.slice().reverse()));
      const locked = this.reg(1);
      const owner = this.reg(np);
      const sel = mux(locked, owner, arb.grant);
      const selBit = (i: number) => sel.bit(i);
      const valid = reqBits.map((r, i) => r.and(selBit(i))).reduce((a, b) => a.or(b));
      // one-hot select as a mux chain (the owner's fields; zero when nobody is selected)
      const pick = (get: (g: (typeof ing)[number]) => Sig) =>
        ing.reduceRight((acc: Sig, g, i) => mux(selBit(i), get(g), acc), U(0, get(ing[0]!).width));
      link.in.valid.assign(valid);
      link.in.data.assign(pick((g) => g.rx.data));
      link.in.last.assign(pick((g) => g.rx.last));
      link.in.bytes.assign(pick((g) => g.rx.bytes));
      const moved = fire(link.in);
      const lastMoved = moved.and(pick((g) => g.rx.last));
      arb.ack.assign(lastMoved);
      when(moved, () => {
        locked.set(lastMoved.not());
        when(locked.not(), () => owner.set(arb.grant));
      });
      ing.forEach((_, i) => readyTerms[i]!.push(reqBits[i]!.and(selBit(i)).and(link.in.ready)));
      port.tx.valid.assign(link.out.valid);
      port.tx.data.assign(link.out.data);
      port.tx.last.assign(link.out.last);
      port.tx.bytes.assign(link.out.bytes);
      link.out.ready.assign(port.tx.ready);
    });
    ing.forEach((g, i) => g.rx.ready.assign(readyTerms[i]!.reduce((a, b) => a.or(b), g.curDrop)));
  }
}
