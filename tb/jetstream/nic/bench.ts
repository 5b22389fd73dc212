// Benchmark fixture (DSL): a self-stimulating NIC-to-NIC hop for bench/blocks/jetstream-nic.ts. An LFSR-driven
// source offers 128-byte Memory Writes (every 8th one a "go" to a doorbell) to node 0's NIC at full rate; they go
// through its engine, gearbox, clock crossing and MAC (1024 bits by default), a 10 ns EthLink, and node 1's MAC, crossing, gearbox
// and engine, whose Memory Writes are always taken. Outputs: writes delivered, go writes delivered, an XOR fold of
// every delivered beat, and node 0's MAC frame counter.
import { ClockDomain, Module, U, connect, withDomain, type Output } from '../../../rtl/core/index.ts';
import { JetStreamNic } from '../../../rtl/corsair/jetstream/nic.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { RemoteWriteSource, WriteSink } from '../engine/bench-traffic.ts';

export class JetStreamNicBench extends Module {
  readonly delivered: Output;
  readonly goWrites: Output;
  readonly fold: Output;
  readonly a: JetStreamNic;
  readonly b: JetStreamNic;

  /** macPeriodPs: the MAC clock (2560 ps for the figures; the simulator-speed row uses 1000 ps, because the bench's
   * Verilator and Icarus harnesses toggle every clock together). */
  constructor(readonly macWidth = 1024, macPeriodPs = 2560) {
    super();
    const width = 512;
    this.delivered = this.output(32);
    this.goWrites = this.output(32);
    this.fold = this.output(32);
    const mac = new ClockDomain('mac', { periodPs: macPeriodPs });
    this.a = new JetStreamNic({ engineWidth: width, macWidth, nodes: 2, nodeId: 0, macDomain: mac });
    this.b = new JetStreamNic({ engineWidth: width, macWidth, nodes: 2, nodeId: 1, macDomain: mac });
    const { a, b } = this;
    const [ab, ba] = withDomain(mac, () => [0, 1].map(() => new EthLink({ width: a.macWidth, latencyNs: 10, periodPs: macPeriodPs })));
    connect(a.xgmiiTx, ab!.a);
    connect(ab!.b, b.xgmiiRx);
    connect(b.xgmiiTx, ba!.a);
    connect(ba!.b, a.xgmiiRx);
    for (const c of [a.csr, b.csr, a.macCsr, b.macCsr]) {
      c.en.assign(U(0, 1));
      c.we.assign(U(0, 1));
      c.addr.assign(U(0, 4));
      c.wdata.assign(U(0, 32));
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
