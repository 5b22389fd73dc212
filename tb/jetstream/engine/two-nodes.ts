// Test fixture (DSL): two servers' JetStream engines joined through a leaf switch, all in one clock domain, at the
// MAC client level (no MAC, no clock crossing): node 0 on switch port 0, node 1 on port 1. The PCIe sides of both
// engines and both register ports are the fixture's ports.
import { Module, connect, flip, type Flip, type HwBundle } from '../../../rtl/core/index.ts';
import { CsrBus } from '../../../rtl/lib/csr-bus.ts';
import { PacketStream } from '../../../rtl/lib/packet.ts';
import { JetStreamEngine } from '../../../rtl/corsair/jetstream/engine-top.ts';
import { JS_DEFAULT_BASE_MAC } from '../../../rtl/corsair/jetstream/header.ts';
import { LeafSwitch } from '../../../rtl/corsair/jetstream/leaf-switch.ts';
import type { BufferMode } from '../../../rtl/corsair/jetstream/engine-packet-buffer.ts';

export interface TwoNodesOptions {
  width?: number;
  mode?: BufferMode;
  switchLatencyNs?: number;
  clockPeriodPs?: number;
}

export class TwoNodes extends Module {
  readonly aTx: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly aRx: HwBundle<ReturnType<typeof PacketStream>>;
  readonly bTx: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  readonly bRx: HwBundle<ReturnType<typeof PacketStream>>;
  readonly aCsr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly bCsr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly a: JetStreamEngine;
  readonly b: JetStreamEngine;
  readonly sw: LeafSwitch;

  constructor(o: TwoNodesOptions = {}) {
    super();
    const width = o.width ?? 512;
    this.aTx = this.port(flip(PacketStream(width)));
    this.aRx = this.port(PacketStream(width));
    this.bTx = this.port(flip(PacketStream(width)));
    this.bRx = this.port(PacketStream(width));
    this.aCsr = this.port(flip(CsrBus(4)));
    this.bCsr = this.port(flip(CsrBus(4)));
    this.a = new JetStreamEngine({ width, nodes: 2, nodeId: 0 });
    this.b = new JetStreamEngine({ width, nodes: 2, nodeId: 1 });
    this.sw = new LeafSwitch({
      ports: 2, width, portMacs: [JS_DEFAULT_BASE_MAC, JS_DEFAULT_BASE_MAC + 1n], mode: o.mode ?? 'cut-through',
      latencyNs: o.switchLatencyNs ?? 0, clockPeriodPs: o.clockPeriodPs ?? 1000, queueDepthLog2: 8,
    });
    connect(this.aTx, this.a.txTlp);
    connect(this.bTx, this.b.txTlp);
    connect(this.a.rxTlp, this.aRx);
    connect(this.b.rxTlp, this.bRx);
    connect(this.a.txFrame, this.sw.in[0]!);
    connect(this.b.txFrame, this.sw.in[1]!);
    connect(this.sw.out[0]!, this.a.rxFrame);
    connect(this.sw.out[1]!, this.b.rxFrame);
    for (const [outer, inner] of [[this.aCsr, this.a.csr], [this.bCsr, this.b.csr]] as const) {
      inner.en.assign(outer.en);
      inner.we.assign(outer.we);
      inner.addr.assign(outer.addr);
      inner.wdata.assign(outer.wdata);
      outer.rdata.assign(inner.rdata);
    }
  }
}
