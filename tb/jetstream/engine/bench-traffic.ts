// Benchmark traffic (DSL) shared by the JetStream bench fixtures: an LFSR-driven source of 128-byte Memory Writes
// into the remote window (every 8th one a "go" to a doorbell) at full rate, and a sink that always takes the
// delivered Memory Writes and summarises them (writes, go writes, an XOR fold of every beat).
import { Module, U, cat, flip, mux, when, type HwBundle, type Output } from '../../../rtl/core/index.ts';
import { PCIE_MAP } from '../../../rtl/corsair/system/pcie-map.ts';
import { PacketStream } from '../../../rtl/lib/packet.ts';
import { fire } from '../../../rtl/lib/stream.ts';
import { beBytes, beField, byteConst, wireBytes } from '../../../rtl/corsair/jetstream/header.ts';
import { isDoorbell } from '../../../rtl/corsair/jetstream/engine-tx.ts';

/** 3-beat TLPs (16-byte header + 128 bytes) to node 1, LFSR card, address and data. */
export class RemoteWriteSource extends Module {
  readonly tlp: HwBundle<ReturnType<typeof PacketStream>>;

  constructor(readonly width: number) {
    super();
    this.tlp = this.port(PacketStream(width));
    const lfsr = this.reg(32, { init: 0xace1 });
    const beat = this.reg(2);
    const count = this.reg(3);
    when(fire(this.tlp), () => {
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
    this.tlp.valid.assign(U(1, 1));
    this.tlp.data.assign(mux(beat.eq(0), cat(payload.slice(width - 129, 0), hdr), payload));
    this.tlp.last.assign(beat.eq(2));
    this.tlp.bytes.assign(U(16, this.tlp.bytes.width));
  }
}

/** Takes every Memory Write and counts writes, go writes (first beat's address in a doorbell page) and a fold. */
export class WriteSink extends Module {
  readonly tlp: HwBundle<ReturnType<typeof flip<ReturnType<typeof PacketStream>>>>;
  readonly delivered: Output;
  readonly goWrites: Output;
  /** XOR of every 32-bit slice of every delivered beat. */
  readonly fold: Output;

  constructor(readonly width: number) {
    super();
    this.tlp = this.port(flip(PacketStream(width)));
    this.delivered = this.output(32);
    this.goWrites = this.output(32);
    this.fold = this.output(32);
    const t = this.tlp;
    t.ready.assign(U(1, 1));
    const n = this.reg(32);
    const g = this.reg(32);
    const f = this.reg(32);
    when(fire(t).and(t.last), () => n.set(n.add(1)));
    const first = this.reg(1, { init: 1 });
    when(fire(t), () => first.set(t.last));
    const rxAddr = beField(t.data, 8, 8);
    when(fire(t).and(first).and(isDoorbell(rxAddr.slice(27, 0))), () => g.set(g.add(1)));
    let x = t.data.slice(31, 0);
    for (let i = 1; i < width / 32; i++) x = x.xor(t.data.slice(32 * i + 31, 32 * i));
    when(fire(t), () => f.set(f.xor(x)));
    this.delivered.assign(n);
    this.goWrites.assign(g);
    this.fold.assign(f);
  }
}
