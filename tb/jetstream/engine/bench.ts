// Benchmark fixture (DSL): a self-stimulating JetStream hop for bench/blocks/jetstream.ts. An LFSR-driven source
// writes 128-byte Memory Writes (every 8th one a "go" to a doorbell) into node 0's engine at full rate; they cross
// a cut-through leaf switch into node 1's engine, whose Memory Writes are always taken. The outputs summarise the
// run: writes delivered, go writes delivered, and an XOR fold of every delivered beat.
import { Module, U, cat, mux, when, type Output } from '../../../rtl/core/index.ts';
import { JetStreamEngine } from '../../../rtl/corsair/jetstream/engine-top.ts';
import { JS_DEFAULT_BASE_MAC } from '../../../rtl/corsair/jetstream/header.ts';
import { LeafSwitch } from '../../../rtl/corsair/jetstream/leaf-switch.ts';
import { PCIE_MAP } from '../../../rtl/corsair/system/pcie-map.ts';
import { fire } from '../../../rtl/lib/stream.ts';
import { connect } from '../../../rtl/core/index.ts';
import { beBytes, beField, byteConst, wireBytes } from '../../../rtl/corsair/jetstream/header.ts';
import { isDoorbell } from '../../../rtl/corsair/jetstream/engine-tx.ts';

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

    // ---- source: 3-beat TLPs (16-byte header + 128 bytes), LFSR address and data
    const lfsr = this.reg(32, { init: 0xace1 });
    const beat = this.reg(2);
    const count = this.reg(3);
    const take = fire(a.txTlp);
    when(take, () => {
      lfsr.set(lfsr.shr(1).xor(mux(lfsr.bit(0), U(0x80200003, 32), U(0, 32))));
      when(beat.eq(2), () => {
        beat.set(0);
        count.set(count.add(1));
      }).otherwise(() => beat.set(beat.add(1)));
    });
    const go = count.eq(7);
    const card = lfsr.slice(3, 0);
    const stashOff = cat(U(0, 4), lfsr.slice(19, 4).and(0x3fff), U(0, 8)); // < 0x40_0000, away from the doorbells
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
    const done = fire(b.rxTlp).and(b.rxTlp.last);
    const n = this.reg(32);
    const g = this.reg(32);
    const f = this.reg(32);
    when(done, () => n.set(n.add(1)));
    // a go write: the first beat's address lies in a doorbell page
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
