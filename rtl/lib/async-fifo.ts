// Dual-clock FIFO: a valid/ready stream written in one clock domain and read in another. The RAM is written in the
// write domain and read in the read domain; each side sees the other's position through a gray-coded pointer and a
// two-flop synchronizer, so only one bit of it can be in flight at a time.
import { Module, U, flip, when, withDomain, type ClockDomain, type Flip, type HwBundle, type Sig } from '../core/index.ts';
import { Stream, fire } from './stream.ts';
import { Sync2 } from './sync.ts';

const gray = (b: Sig): Sig => b.xor(b.shr(1));

/**
 * Holds 2^depthLog2 words of `width` bits in the RAM (depthLog2 >= 1) plus one in the output register. First word
 * fall through: a word pushed into an empty FIFO is on `out` after the third read-clock edge that follows the push
 * (two to cross, one to read the RAM). `in` belongs to wrDomain, `out` to rdDomain. Full and empty are
 * pessimistic: a pop frees its slot for the writer two write-clock edges later, so the FIFO must be deep enough to
 * cover that round trip for the slower side to move a word every cycle of its clock (depthLog2 >= 3 does).
 */
export class AsyncFifo<W extends number = number> extends Module {
  /** Write side, in the write clock domain. */
  readonly in: HwBundle<Flip<Stream<W>>>;
  /** Read side, in the read clock domain. */
  readonly out: HwBundle<Stream<W>>;
  /** The read pointer, brought into the write domain. */
  readonly rdPtrSync: Sync2;
  /** The write pointer, brought into the read domain. */
  readonly wrPtrSync: Sync2;

  constructor(readonly width: W, readonly depthLog2: number, wrDomain: ClockDomain, rdDomain: ClockDomain) {
    super();
    if (!Number.isInteger(depthLog2) || depthLog2 < 1 || depthLog2 > 24) {
      throw new Error(`AsyncFifo: depthLog2 must be an integer 1..24, got ${depthLog2}`);
    }
    this.in = this.port(flip(Stream(width)));
    this.out = this.port(Stream(width));
    const n = depthLog2;
    const pw = n + 1; // pointers carry one wrap bit above the address
    const ram = this.memory({ depth: 1 << n, width });

    // ---- write domain
    const wrBin = this.reg(pw, { domain: wrDomain });
    const wrGray = this.reg(pw, { domain: wrDomain });
    this.rdPtrSync = withDomain(wrDomain, () => new Sync2(pw));
    // full: the write pointer is one lap ahead of the read pointer (in gray code: top two bits inverted)
    const full = wrGray.eq(this.rdPtrSync.q.xor(U(3 << (n - 1), pw)));
    this.in.ready.assign(full.not());
    const push = fire(this.in);
    ram.write(wrBin.trunc(n), this.in.data, { en: push, domain: wrDomain });
    const wrNext = wrBin.add(1);
    when(push, () => {
      wrBin.set(wrNext);
      wrGray.set(gray(wrNext));
    });

    // ---- read domain
    const rdBin = this.reg(pw, { domain: rdDomain });
    const rdGray = this.reg(pw, { domain: rdDomain });
    const outFull = this.reg(1, { domain: rdDomain });
    this.wrPtrSync = withDomain(rdDomain, () => new Sync2(pw));
    const empty = rdGray.eq(this.wrPtrSync.q);
    // the RAM's registered read port is the output register: refill it when it is empty or its word leaves
    const refill = empty.not().and(outFull.not().or(this.out.ready));
    const head = ram.read(rdBin.trunc(n), { en: refill, domain: rdDomain });
    const rdNext = rdBin.add(1);
    when(refill, () => {
      rdBin.set(rdNext);
      rdGray.set(gray(rdNext));
      outFull.set(1);
    }).elsewhen(fire(this.out), () => outFull.set(0));

    // ---- crossings: each pointer leaves its domain from a register, in gray code
    this.rdPtrSync.d.assign(rdGray);
    this.wrPtrSync.d.assign(wrGray);
    this.out.valid.assign(outFull);
    this.out.data.assign(head);
  }
}
