// Benchmark harness (DSL): a Mac looped back through an EthLink, fed by an LFSR frame source that offers a new
// frame every cycle it can (back-to-back minimum frames, or LFSR lengths 60..1083 bytes), with the receiver always
// ready. Outputs summarise the run: good frames counted by the MAC's register, bytes delivered, bad frames.
import { Module, U, cat, mux, when, type Output } from '../../../rtl/core/index.ts';
import { EthLink } from '../../../rtl/corsair/jetstream/link.ts';
import { Mac } from '../../../rtl/corsair/jetstream/mac.ts';
import { MAC_REG } from '../../../rtl/corsair/jetstream/mac-regs.ts';

export class MacBench extends Module {
  /** The MAC's RX_FRAMES register. */
  readonly rxFrames: Output;
  /** Bytes delivered on the receive stream (FCS stripped, padding kept). */
  readonly rxBytes: Output;
  /** Frames the source offered and the transmitter took. */
  readonly txFrames: Output;
  /** Frames delivered with err or a wrong length (must stay 0). */
  readonly bad: Output;

  constructor(readonly minFrames = true) {
    super();
    this.rxFrames = this.output(32);
    this.rxBytes = this.output(32);
    this.txFrames = this.output(32);
    this.bad = this.output(32);
    const mac = new Mac();
    const link = new EthLink({ latencyNs: 50, periodPs: 6400 });
    link.a.data.assign(mac.xgmiiTx.data);
    link.a.ctrl.assign(mac.xgmiiTx.ctrl);
    mac.xgmiiRx.data.assign(link.b.data);
    mac.xgmiiRx.ctrl.assign(link.b.ctrl);

    // LFSR source: x^32 + x^22 + x^2 + x + 1 (Galois)
    const lfsr = this.reg(32, { init: 0xace1 });
    const step = mux(lfsr.bit(0), lfsr.shr(1).xor(U(0x80200003, 32)), lfsr.shr(1));
    const beat = this.reg(8);
    const lenBeats = this.reg(8, { init: 8 });   // beats of the current frame
    const lastBytes = this.reg(4, { init: 4 });
    const tx = mac.txIn;
    tx.valid.assign(U(1, 1));
    tx.data.assign(cat(lfsr.not(), lfsr));
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
        if (!minFrames) {
          // next frame: 60..1083 bytes = 8..136 beats, last beat 1..8 bytes
          lenBeats.set(U(8, 8).add(lfsr.slice(6, 0).zext(8)));
          lastBytes.set(lfsr.slice(9, 7).zext(4).add(1));
        }
      }).otherwise(() => beat.set(beat.add(1)));
    });

    mac.rxOut.ready.assign(U(1, 1));
    const bytes = this.reg(32);
    const bad = this.reg(32);
    when(mac.rxOut.valid, () => {
      bytes.set(bytes.add(mux(mac.rxOut.last, mac.rxOut.bytes.zext(32), U(8, 32))));
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
