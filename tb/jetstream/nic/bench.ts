// Benchmark fixture (DSL): a self-stimulating NIC-to-NIC hop for bench/blocks/jetstream-nic.ts. An LFSR-driven
// source offers 128-byte Memory Writes (every 8th one a "go" to a doorbell) to node 0's NIC at full rate; they go
// through its engine, gearbox, clock crossing and MAC (1024 bits by default), a 10 ns EthLink, and node 1's MAC, crossing, gearbox
// and engine, whose Memory Writes are always taken. Outputs: writes delivered, go writes delivered, an XOR fold of
// every delivered beat, and node 0's MAC frame counter.
import { ClockDomain, Module, U, cat, connect, mux, when, withDomain, type Output } from '../../../rtl/core/index.ts';
import { JetStreamNic } from '../../../rtl/corsair/jetstream/nic.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { PCIE_MAP } from '../../../rtl/corsair/system/pcie-map.ts';
import { fire } from '../../../rtl/lib/stream.ts';
import { beBytes, beField, byteConst, wireBytes } from '../../../rtl/corsair/jetstream/header.ts';
import { isDoorbell } from '../../../rtl/corsair/jetstream/engine-tx.ts';

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

    // ---- source: 3-beat TLPs (16-byte header + 128 bytes), LFSR address and data
    const lfsr = this.reg(32, { init: 0xace1 });
    const beat = this.reg(2);
    const count = this.reg(3);
    when(fire(a.txTlp), () => {
      lfsr.set(lfsr.shr(1).xor(mux(lfsr.bit(0), U(0x80200003, 32), U(0, 32))));
      when(beat.eq(2), () => {
        beat.set(0);
        count.set(count.add(1));
      }).otherwise(() => beat.set(beat.add(1)));
    });
    const go = count.eq(7);
    const card = lfsr.slice(3, 0);
    const stashOff = cat(U(0, 4), lfsr.slice(19, 4).and(0x3fff), U(0, 8));
    const offset = mux(go, U(PCIE_MAP.DOORBELL_OFFSET, 28), stashOff);
    const addr = U(PCIE_MAP.REMOTE_BASE + 2 ** 32, 64).add(cat(card, offset).zext(64));
    const hdr = wireBytes([
      byteConst(0x60), byteConst(0), byteConst(0), byteConst(32), byteConst(0x03), byteConst(0x00), count.zext(8), byteConst(0xff),
      ...beBytes(addr, 8),
    ]);
    const payload = lfsr.rep(width / 32);
    a.txTlp.valid.assign(U(1, 1));
    a.txTlp.data.assign(mux(beat.eq(0), cat(payload.slice(width - 129, 0), hdr), payload));
    a.txTlp.last.assign(beat.eq(2));
    a.txTlp.bytes.assign(U(16, a.txTlp.bytes.width));

    // ---- sink: node 1's Memory Writes, always taken
    b.rxTlp.ready.assign(U(1, 1));
    const n = this.reg(32);
    const g = this.reg(32);
    const f = this.reg(32);
    when(fire(b.rxTlp).and(b.rxTlp.last), () => n.set(n.add(1)));
    const first = this.reg(1, { init: 1 });
    when(fire(b.rxTlp), () => first.set(b.rxTlp.last));
    const rxAddr = beField(b.rxTlp.data, 8, 8);
    when(fire(b.rxTlp).and(first).and(isDoorbell(rxAddr.slice(27, 0))), () => g.set(g.add(1)));
    let x = b.rxTlp.data.slice(31, 0);
    for (let i = 1; i < width / 32; i++) x = x.xor(b.rxTlp.data.slice(32 * i + 31, 32 * i));
    when(fire(b.rxTlp), () => f.set(f.xor(x)));
    this.delivered.assign(n);
    this.goWrites.assign(g);
    this.fold.assign(f);
  }
}
