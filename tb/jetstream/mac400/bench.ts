// Benchmark harness (DSL): the 1024-bit Mac400 looped back through an EthLink, fed by an LFSR frame source that
// offers a new frame every cycle it can: LFSR lengths of 8..39 full beats plus a last beat of 112..127 bytes
// (1136..5119 bytes, large frames that fill their last beat, so the wire and not the one-frame-per-beat client is
// the limit), with the receiver always ready. Outputs summarise the run: good frames, bytes delivered, bad frames.
import { Module, U, cat, mux, when, type Output } from '../../../rtl/core/index.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { Mac400 } from '../../../rtl/corsair/jetstream/mac400.ts';
import { MAC_REG } from '../../../rtl/corsair/jetstream/mac-regs.ts';

export class Mac400Bench extends Module {
  /** The MAC's RX_FRAMES register. */
  readonly rxFrames: Output;
  /** Bytes delivered on the receive stream (FCS stripped). */
  readonly rxBytes: Output;
  /** Frames the transmitter took. */
  readonly txFrames: Output;
  /** Frames delivered with err (must stay 0). */
  readonly bad: Output;

  constructor() {
    super();
    this.rxFrames = this.output(32);
    this.rxBytes = this.output(32);
    this.txFrames = this.output(32);
    this.bad = this.output(32);
    const mac = new Mac400({ width: 1024, maxFrame: 9018 });
    const link = new EthLink({ width: 1024, latencyNs: 50, periodPs: 2560 });
    link.a.data.assign(mac.xgmiiTx.data);
    link.a.ctrl.assign(mac.xgmiiTx.ctrl);
    mac.xgmiiRx.data.assign(link.b.data);
    mac.xgmiiRx.ctrl.assign(link.b.ctrl);

    // LFSR source: x^32 + x^22 + x^2 + x + 1 (Galois)
    const lfsr = this.reg(32, { init: 0xace1 });
    const step = mux(lfsr.bit(0), lfsr.shr(1).xor(U(0x80200003, 32)), lfsr.shr(1));
    const beat = this.reg(8);
    const lenBeats = this.reg(8, { init: 9 });
    const lastBytes = this.reg(8, { init: 120 });
    const tx = mac.txIn;
    tx.valid.assign(U(1, 1));
    tx.data.assign(cat(...Array.from({ length: 16 }, (_, i) => (i % 2 ? lfsr.not() : lfsr).add(i).zext(64))));
    const isLast = beat.eq(lenBeats.sub(1));
    tx.last.assign(isLast);
    tx.bytes.assign(lastBytes);
    tx.err.assign(U(0, 1));
    const txCount = this.reg(32);
    when(tx.ready, () => {
      lfsr.set(step);
      when(isLast, () => {
        beat.set(0);
        txCount.set(txCount.add(1));
        lenBeats.set(U(9, 8).add(lfsr.slice(4, 0).zext(8)));
        lastBytes.set(U(112, 8).add(lfsr.slice(8, 5).zext(8)));
      }).otherwise(() => beat.set(beat.add(1)));
    });

    mac.rxOut.ready.assign(U(1, 1));
    const bytes = this.reg(32);
    const bad = this.reg(32);
    when(mac.rxOut.valid, () => {
      bytes.set(bytes.add(mux(mac.rxOut.last, mac.rxOut.bytes.zext(32), U(128, 32))));
      when(mac.rxOut.last.and(mac.rxOut.err), () => bad.set(bad.add(1)));
    });
    mac.csr.en.assign(U(1, 1));
    mac.csr.we.assign(U(0, 1));
    mac.csr.addr.assign(U(MAC_REG.RX_FRAMES, 4));
    mac.csr.wdata.assign(U(0, 32));
    this.rxFrames.assign(mac.csr.rdata);
    this.rxBytes.assign(bytes);
    this.txFrames.assign(txCount);
    this.bad.assign(bad);
  }
}
