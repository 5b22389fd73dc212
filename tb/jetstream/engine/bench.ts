// Benchmark fixture (DSL): a self-stimulating JetStream hop for bench/blocks/jetstream.ts. An LFSR-driven source
// writes 128-byte Memory Writes (every 8th one a "go" to a doorbell) into node 0's engine at full rate; they cross
// a cut-through leaf switch into node 1's engine, whose Memory Writes are always taken. The outputs summarise the
// run: writes delivered, go writes delivered, and an XOR fold of every delivered beat.
import { Module, U, type Output } from '../../../rtl/core/index.ts';
import { JetStreamEngine } from '../../../rtl/corsair/jetstream/engine-top.ts';
import { JS_DEFAULT_BASE_MAC } from '../../../rtl/corsair/jetstream/header.ts';
import { LeafSwitch } from '../../../rtl/corsair/jetstream/leaf-switch.ts';
import { connect } from '../../../rtl/core/index.ts';
import { RemoteWriteSource, WriteSink } from './bench-traffic.ts';

export class JetStreamBench extends Module {
  /** Memory Writes delivered by node 1. */
  readonly delivered: Output;
  /** "go" writes among them. */
  readonly goWrites: Output;
  /** XOR of every 32-bit slice of every delivered beat. */
  readonly fold: Output;
  readonly a: JetStreamEngine;
  readonly b: JetStreamEngine;
  readonly sw: LeafSwitch;

  constructor() {
    super();
    const width = 512;
    this.delivered = this.output(32);
    this.goWrites = this.output(32);
    this.fold = this.output(32);
    this.a = new JetStreamEngine({ width, nodes: 2, nodeId: 0 });
    this.b = new JetStreamEngine({ width, nodes: 2, nodeId: 1 });
    this.sw = new LeafSwitch({ ports: 2, width, portMacs: [JS_DEFAULT_BASE_MAC, JS_DEFAULT_BASE_MAC + 1n], clockPeriodPs: 1000, queueDepthLog2: 8 });
    const { a, b, sw } = this;
    connect(a.txFrame, sw.in[0]!);
    connect(b.txFrame, sw.in[1]!);
    connect(sw.out[0]!, a.rxFrame);
    connect(sw.out[1]!, b.rxFrame);
    for (const e of [a, b]) {
      e.csr.en.assign(U(0, 1));
      e.csr.we.assign(U(0, 1));
      e.csr.addr.assign(U(0, 4));
      e.csr.wdata.assign(U(0, 32));
    }
    a.rxTlp.ready.assign(U(1, 1));
    b.txTlp.valid.assign(U(0, 1));
    b.txTlp.data.assign(U(0, width));
    b.txTlp.last.assign(U(0, 1));
    b.txTlp.bytes.assign(U(0, b.txTlp.bytes.width));

    // ---- source into node 0, sink out of node 1
    const src = new RemoteWriteSource(width);
    const sink = new WriteSink(width);
    connect(src.tlp, a.txTlp);
    connect(b.rxTlp, sink.tlp);
    this.delivered.assign(sink.delivered);
    this.goWrites.assign(sink.goWrites);
    this.fold.assign(sink.fold);
  }
}
