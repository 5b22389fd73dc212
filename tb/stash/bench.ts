// Benchmark design for `npm run bench stash`: the full 6 MB stash with its own random traffic on every port, so
// the bench can hold every input constant. Each port has a 32-bit Galois LFSR that makes its request (valid about
// 3/4 of the cycles, read or write, an address in the 6 MB, data and byte enables from the LFSR) and advances only
// when the request is taken, so requests are held until ready as the protocols say. Outputs summarise the run:
// requests taken per port and checksums of the words read.
import { Module, U, cat, mux, type Sig } from '../../rtl/core/index.ts';
import { Stash, type StashOptions } from '../../rtl/corsair/stash/stash.ts';

function lfsrNext(r: Sig): Sig {
  return r.shr(1).xor(r.bit(0).rep(32).and(U(0x8020_0003, 32)));
}

export class StashBench extends Module {
  readonly stash: Stash;
  /** Requests taken, per port: cpu, dma, pcieIn, pcieOut, mu0, mu1, ... */
  readonly taken;
  /** XOR of every word read on the wide ports. */
  readonly checksum;
  /** Rotate/XOR checksum of every word the cpu port read. */
  readonly cpuChecksum = this.output(32);

  constructor(opts: StashOptions = {}) {
    super();
    const st = new Stash(opts);
    this.stash = st;
    const wb = st.options.wordBytes;
    const size = st.options.sizeBytes;
    const aw = st.addrBits;
    const wide = [st.dma, st.pcieIn, st.pcieOut, ...st.mu];
    const n = wide.length + 1;
    this.taken = Array.from({ length: n }, () => this.output(32));
    const inRange = (a: Sig): Sig => {
      // fold addresses past the end back into the stash (6 MB is not a power of two)
      const over = 2 ** aw - size;
      return over === 0 ? a : mux(a.ge(size), a.sub(over), a);
    };
    const lfsrs = Array.from({ length: n }, (_, k) => this.reg(32, { init: 0x1234_5678 + 0x9e37_79b9 * (k + 1) >>> 0 || 1 }));
    const counts = Array.from({ length: n }, () => this.reg(32));
    const W = wb * 8;
    this.checksum = this.output(W);
    const check = this.reg(W);
    const cpuCheck = this.reg(32);
    let mix: Sig = U(0, W);
    // write data shared by the wide ports (their addresses and byte enables differ): one more LFSR
    const d = this.reg(32, { init: 0x0bad_cafe });
    d.set(lfsrNext(d));
    const wdata = cat(d.not(), d).rep(wb / 8);
    // the cpu port: word accesses
    {
      const s = lfsrs[0]!;
      st.cpu.valid.assign(s.slice(1, 0).ne(0));
      st.cpu.we.assign(s.bit(2));
      st.cpu.addr.assign(inRange(s.slice(aw - 1, 0).and(U(2 ** aw - 4, aw))).zext(32));
      st.cpu.wdata.assign(s.xor(U(0x5a5a_5a5a, 32)));
      st.cpu.be.assign(U(0xf, 4));
      const go = st.cpu.valid.and(st.cpu.ready);
      s.set(mux(st.cpu.valid.not().or(st.cpu.ready), lfsrNext(s), s));
      counts[0]!.set(counts[0]!.add(go.zext(32)));
      cpuCheck.set(mux(go.and(st.cpu.we.not()), cat(cpuCheck.slice(30, 0), cpuCheck.bit(31)).xor(st.cpu.rdata), cpuCheck));
    }
    wide.forEach((p, j) => {
      const s = lfsrs[j + 1]!;
      p.req.valid.assign(s.slice(1, 0).ne(0));
      p.req.we.assign(j < 3 ? s.bit(2) : U(0, 1));
      p.req.addr.assign(inRange(s.slice(aw + 2, 3)));
      p.req.wdata.assign(wdata);
      p.req.be.assign(s.slice(wb > 32 ? 31 : wb - 1, 0).rep(Math.max(1, wb / 32)).slice(wb - 1, 0));
      s.set(mux(p.req.valid.not().or(p.req.ready), lfsrNext(s), s));
      counts[j + 1]!.set(counts[j + 1]!.add(p.req.valid.and(p.req.ready).zext(32)));
      mix = mix.xor(mux(p.rsp.valid, p.rsp.data, U(0, W)));
    });
    check.set(check.xor(mix));
    this.checksum.assign(check);
    this.cpuChecksum.assign(cpuCheck);
    this.taken.forEach((o, k) => o.assign(counts[k]!));
  }
}
