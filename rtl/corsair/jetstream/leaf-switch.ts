// A leaf (top-of-rack) Ethernet switch at the MAC client level: N ports of EthStream in and out, forwarding by
// destination MAC through a table (the MAC of the station on each port), one output queue per port.
//   Ingress: the first beat's DA picks the output port; a frame with an unknown DA is taken and dropped (counted).
//   Crossbar: each output port takes whole frames, one at a time, from the inputs that want it (round robin); an
//     input waits (back-pressure) while its output is busy with another frame or its queue is full: nothing is lost.
//   Output queue (PacketBuffer): 'cut-through' forwards a frame as its beats arrive and passes err on (the egress
//     MAC stomps the FCS); 'store-and-forward' waits for the last beat and drops a frame flagged err.
//   Latency: latencyNs (rounded up to clock periods, minimum 2 cycles): in cut-through every beat leaves that long
//     after it arrived; in store-and-forward the first beat leaves that long after the last beat arrived.
import { Module, U, cat, flip, mux, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { RoundRobinArbiter } from '../../lib/arbiter.ts';
import { fire } from '../../lib/stream.ts';
import { EthStream } from './eth-stream.ts';
import { PacketBuffer, type BufferMode } from './engine-packet-buffer.ts';
import { beField } from './header.ts';

export interface LeafSwitchOptions {
  /** Number of ports, 2..16. */
  ports: number;
  /** Forwarding table: the MAC address of the station on each port (48-bit bigints, ports entries). */
  portMacs: readonly bigint[];
  /** MAC client width in bits (a multiple of 64). Default 1024 (400G at 390.625 MHz). */
  width?: number;
  mode?: BufferMode;
  /** Port-to-port latency in ns (cut-through: first beat in to first beat out; store-and-forward: last in to first out). Default 0 (the minimum, 2 cycles). */
  latencyNs?: number;
  /** The switch clock period in ps. Default 2560 (390.625 MHz). */
  clockPeriodPs?: number;
  /** Each output queue holds 2^queueDepthLog2 beats. Default: two largest frames (1518 + 9000 jumbo: 2 x 9018 bytes). */
  queueDepthLog2?: number;
}

export class LeafSwitch extends Module {
  readonly in: Array<HwBundle<Flip<ReturnType<typeof EthStream>>>>;
  readonly out: Array<HwBundle<ReturnType<typeof EthStream>>>;
  /** Frames dropped: unknown destination, or (store-and-forward) flagged err or larger than a queue. Wraps. */
  readonly dropped: Output;
  /** Frames forwarded (first beat into an output queue). Wraps. */
  readonly forwarded: Output;
  readonly queues: PacketBuffer[];
  readonly arbiters: RoundRobinArbiter[];
  /** The latency in clock cycles the switch applies. */
  readonly latencyCycles: number;

  constructor(opts: LeafSwitchOptions) {
    super();
    const n = opts.ports;
    const width = opts.width ?? 1024;
    const mode = opts.mode ?? 'cut-through';
    const periodPs = opts.clockPeriodPs ?? 2560;
    const latencyNs = opts.latencyNs ?? 0;
    if (!Number.isInteger(n) || n < 2 || n > 16) throw new Error(`LeafSwitch: ports must be an integer 2..16, got ${n}`);
    if (!Number.isInteger(width) || width < 64 || width % 64 !== 0) throw new Error(`LeafSwitch: width must be a multiple of 64 bits, got ${width}`);
    if (!Array.isArray(opts.portMacs) || opts.portMacs.length !== n) throw new Error(`LeafSwitch: portMacs must list ${n} MAC addresses, got ${opts.portMacs?.length}`);
    for (const m of opts.portMacs) if (typeof m !== 'bigint' || m < 0n || m >= 1n << 48n) throw new Error(`LeafSwitch: portMacs entry ${String(m)} is not a 48-bit bigint`);
    if (new Set(opts.portMacs).size !== n) throw new Error('LeafSwitch: portMacs has duplicate addresses');
    if (mode !== 'cut-through' && mode !== 'store-and-forward') throw new Error(`LeafSwitch: mode must be 'cut-through' or 'store-and-forward', got ${String(mode)}`);
    if (!Number.isInteger(periodPs) || periodPs <= 0) throw new Error(`LeafSwitch: clockPeriodPs must be a positive integer, got ${periodPs}`);
    if (typeof latencyNs !== 'number' || !(latencyNs >= 0) || latencyNs > 10_000) throw new Error(`LeafSwitch: latencyNs must be 0..10000, got ${latencyNs}`);
    const L = Math.max(2, Math.ceil((latencyNs * 1000) / periodPs - 1e-9));
    if (L > 1000) throw new Error(`LeafSwitch: latencyNs ${latencyNs} is over 1000 clock cycles`);
    this.latencyCycles = L;
    const B = width / 8;
    const depthLog2 = opts.queueDepthLog2 ?? Math.ceil(Math.log2((2 * 9018) / B));
    if (!Number.isInteger(depthLog2) || depthLog2 < 1 || depthLog2 > 16) throw new Error(`LeafSwitch: queueDepthLog2 must be an integer 1..16, got ${depthLog2}`);

    this.in = [];
    this.out = [];
    for (let i = 0; i < n; i++) {
      this.in.push(this.port(flip(EthStream(width))));
      this.out.push(this.port(EthStream(width)));
    }
    this.dropped = this.output(32, { doc: 'frames dropped' });
    this.forwarded = this.output(32, { doc: 'frames forwarded' });

    this.queues = [];
    this.arbiters = [];
    for (let e = 0; e < n; e++) {
      this.queues.push(new PacketBuffer({ width, depthLog2, mode, latencyCycles: L }));
      this.arbiters.push(new RoundRobinArbiter(n));
    }

    // ---- ingress: route of each input's current frame (one-hot over outputs)
    const route: Sig[] = [];
    const known: Sig[] = [];
    const starting: Sig[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.in[i]!;
      const busy = this.reg(1, { name: `in${i}_busy` });
      const held = this.reg(n, { name: `in${i}_route` });
      const da = beField(p.data, 0, 6);
      const hits = opts.portMacs.map((m) => da.eq(U(m, 48)));
      const match = hits.length === 1 ? hits[0]! : cat(...[...hits].reverse());
      const r = mux(busy, held, match);
      when(fire(p), () => {
        busy.set(p.last.not());
        when(busy.not(), () => held.set(match));
      });
      route.push(r);
      known.push(r.orR());
      starting.push(busy.not());
    }

    // ---- crossbar: each output takes whole frames from one input at a time
    const sel: Sig[] = []; // per output: one-hot input selected
    for (let e = 0; e < n; e++) {
      const q = this.queues[e]!;
      const arb = this.arbiters[e]!;
      const owned = this.reg(1, { name: `out${e}_owned` });
      const owner = this.reg(n, { name: `out${e}_owner` });
      const reqBits = this.in.map((p, i) => p.valid.and(starting[i]!).and(route[i]!.bit(e)));
      arb.req.assign(cat(...[...reqBits].reverse()));
      const s = mux(owned, owner, arb.grant);
      sel.push(s);
      // s is one-hot (or 0): a chain of muxes picks the selected input's field (0 when none is selected)
      const pick = (f: (i: number) => Sig, w: number): Sig => this.in.reduce<Sig>((acc, _, i) => mux(s.bit(i), f(i), acc), U(0, w));
      q.in.valid.assign(pick((i) => this.in[i]!.valid.and(route[i]!.bit(e)), 1));
      q.in.data.assign(pick((i) => this.in[i]!.data, width));
      q.in.last.assign(pick((i) => this.in[i]!.last, 1));
      q.in.bytes.assign(pick((i) => this.in[i]!.bytes, q.in.bytes.width));
      q.in.err.assign(pick((i) => this.in[i]!.err, 1));
      q.discard.assign(U(0, 1));
      const push = fire(q.in);
      arb.ack.assign(push.and(owned.not()));
      when(push, () => {
        owned.set(q.in.last.not());
        when(owned.not(), () => owner.set(s));
      });
      const o = this.out[e]!;
      o.valid.assign(q.out.valid);
      o.data.assign(q.out.data);
      o.last.assign(q.out.last);
      o.bytes.assign(q.out.bytes);
      o.err.assign(q.out.err);
      q.out.ready.assign(o.ready);
    }

    // ---- ingress ready: an unknown destination is taken (and dropped); otherwise the selected output's queue
    let dropEvents: Sig[] = [];
    const fwdEvents: Sig[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.in[i]!;
      const accept = this.queues.map((q, e) => sel[e]!.bit(i).and(route[i]!.bit(e)).and(q.in.ready)).reduce((a, b) => a.or(b));
      p.ready.assign(known[i]!.not().or(accept));
      dropEvents.push(fire(p).and(starting[i]!).and(known[i]!.not()));
      fwdEvents.push(fire(p).and(starting[i]!).and(known[i]!));
    }
    dropEvents = [...dropEvents, ...this.queues.map((q) => q.dropped)];
    const count = (events: Sig[], name: string): Sig => {
      const c = this.reg(32, { name });
      const w = Math.max(1, Math.ceil(Math.log2(events.length + 1)));
      const sum = events.map((e) => e.zext(w)).reduce((a, b) => a.add(b));
      c.set(c.add(sum.zext(32)));
      return c;
    };
    this.dropped.assign(count(dropEvents, 'dropCount'));
    this.forwarded.assign(count(fwdEvents, 'fwdCount'));
  }
}
