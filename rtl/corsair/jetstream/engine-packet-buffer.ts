// A packet buffer for Ethernet frames (EthStream beats in a RAM), in one of two modes:
//   'store-and-forward': a frame is readable once its last beat is in; a frame with err set on its last beat, or
//     with `discard` high with its last beat, is rolled back and never leaves; a frame larger than the buffer is
//     taken in and thrown away (`overflow`), so nothing deadlocks.
//   'cut-through': a beat is readable the cycle after it is written; err travels with the frame.
// An optional latency holds every frame back: in cut-through each beat leaves no earlier than `latencyCycles`
// clock edges after it entered, in store-and-forward the first beat leaves no earlier than `latencyCycles` edges
// after the last beat entered (the structural minimum is 2 in both). The JetStream engine's receive side and the
// leaf switch's output queues use it.
import { Module, U, bitsFor, cat, flip, when, type Flip, type HwBundle, type Input, type Output, type Sig } from '../../core/index.ts';
import { Fifo } from '../../lib/fifo.ts';
import { fire } from '../../lib/stream.ts';
import { EthStream } from './eth-stream.ts';

export type BufferMode = 'cut-through' | 'store-and-forward';

export interface PacketBufferOptions {
  /** Beat width in bits (a multiple of 8, >= 64). */
  width: number;
  /** The RAM holds 2^depthLog2 beats (2..16). */
  depthLog2: number;
  mode?: BufferMode;
  /** Minimum latency in clock edges (0..1000; values below 2 mean the structural minimum, 2). Default 0. */
  latencyCycles?: number;
  /** Store-and-forward with a latency: frames that can wait at once (the commit-time FIFO depth). Default 8. */
  maxFrames?: number;
}

const TS_BITS = 16;

export class PacketBuffer extends Module {
  readonly in: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  readonly out: HwBundle<ReturnType<typeof EthStream>>;
  /** Store-and-forward: with the last beat, throw this frame away. */
  readonly discard: Input;
  /** Store-and-forward: the frame coming in does not fit and is being thrown away. */
  readonly overflow: Output;
  /** Pulse: a frame was thrown away (discard, err or overflow) as its last beat came in. */
  readonly dropped: Output;
  /** Beats held (RAM and output register). */
  readonly used: Output;
  readonly mode: BufferMode;

  constructor(opts: PacketBufferOptions) {
    super();
    const { width, depthLog2: n } = opts;
    const mode = (this.mode = opts.mode ?? 'store-and-forward');
    const L = opts.latencyCycles ?? 0;
    const maxFrames = opts.maxFrames ?? 8;
    if (!Number.isInteger(width) || width < 64 || width % 8 !== 0) throw new Error(`PacketBuffer: width must be a multiple of 8, >= 64, got ${width}`);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`PacketBuffer: depthLog2 must be an integer 1..16, got ${n}`);
    if (mode !== 'cut-through' && mode !== 'store-and-forward') throw new Error(`PacketBuffer: mode must be 'cut-through' or 'store-and-forward', got ${String(mode)}`);
    if (!Number.isInteger(L) || L < 0 || L > 1000) throw new Error(`PacketBuffer: latencyCycles must be an integer 0..1000, got ${L}`);
    if (!Number.isInteger(maxFrames) || maxFrames < 1) throw new Error(`PacketBuffer: maxFrames must be an integer >= 1, got ${maxFrames}`);
    const saf = mode === 'store-and-forward';
    const gated = L > 2;
    const bw = bitsFor(width / 8);
    const pw = n + 1;

    this.in = this.port(flip(EthStream(width)));
    this.out = this.port(EthStream(width));
    this.discard = this.input(1, { doc: 'store-and-forward: drop the frame whose last beat is in' });
    this.overflow = this.output(1, { doc: 'the frame coming in is larger than the buffer and is being dropped' });
    this.dropped = this.output(1, { doc: 'pulse: a frame was dropped' });
    this.used = this.output(pw + 1, { doc: 'beats held' });

    const now = this.reg(TS_BITS);
    now.set(now.add(1));
    const beatTs = gated && !saf;
    const entryW = width + 2 + bw + (beatTs ? TS_BITS : 0);
    const ram = this.memory({ depth: 1 << n, width: entryW });
    const wrPtr = this.reg(pw);
    const rdPtr = this.reg(pw);
    const outFull = this.reg(1);
    const used = wrPtr.sub(rdPtr);
    const full = used.bit(n);
    const push = fire(this.in);
    const entry = beatTs ? cat(now, this.in.err, this.in.last, this.in.bytes, this.in.data) : cat(this.in.err, this.in.last, this.in.bytes, this.in.data);

    let limit: Sig;
    let descValid: Sig = U(1, 1);
    let descTs: Sig = now;
    if (saf) {
      const commitPtr = this.reg(pw);
      const ovf = this.reg(1);
      const ovfNow = full.and(commitPtr.eq(rdPtr));
      const dropping = ovf.or(ovfNow);
      let descRoom: Sig = U(1, 1);
      let desc: Fifo | undefined;
      if (gated) {
        desc = new Fifo(TS_BITS, maxFrames);
        descRoom = desc.in.ready;
        descValid = desc.out.valid;
        descTs = desc.out.data;
      }
      this.in.ready.assign(dropping.or(full.not().and(this.in.last.not().or(descRoom))));
      const write = push.and(dropping.not());
      ram.write(wrPtr.trunc(n), entry, { en: write });
      const throwAway = dropping.or(this.discard).or(this.in.err);
      const commit = push.and(this.in.last).and(throwAway.not());
      when(push.and(this.in.last), () => {
        ovf.set(0);
        when(throwAway, () => wrPtr.set(commitPtr)).otherwise(() => {
          wrPtr.set(wrPtr.add(1));
          commitPtr.set(wrPtr.add(1));
        });
      }).elsewhen(push, () => {
        when(dropping, () => ovf.set(1)).otherwise(() => wrPtr.set(wrPtr.add(1)));
      });
      if (desc) {
        desc.in.valid.assign(commit);
        desc.in.data.assign(now);
      }
      limit = commitPtr;
      this.overflow.assign(dropping);
      this.dropped.assign(push.and(this.in.last).and(throwAway));
      if (desc) desc.out.ready.assign(fire(this.out).and(this.out.last));
    } else {
      this.in.ready.assign(full.not());
      ram.write(wrPtr.trunc(n), entry, { en: push });
      when(push, () => wrPtr.set(wrPtr.add(1)));
      limit = wrPtr;
      this.overflow.assign(U(0, 1));
      this.dropped.assign(U(0, 1));
    }

    // ---- read side: the RAM's registered read port is the output register
    const avail = rdPtr.ne(limit);
    const refill = avail.and(outFull.not().or(fire(this.out)));
    const head = ram.read(rdPtr.trunc(n), { en: refill });
    when(refill, () => rdPtr.set(rdPtr.add(1)));
    when(refill, () => outFull.set(1)).elsewhen(fire(this.out), () => outFull.set(0));
    let gate: Sig = U(1, 1);
    if (gated) {
      const ts = saf ? descTs : head.slice(entryW - 1, entryW - TS_BITS);
      gate = descValid.and(now.sub(ts).ge(L));
    }
    this.out.valid.assign(outFull.and(gate));
    this.out.data.assign(head.slice(width - 1, 0));
    this.out.bytes.assign(head.slice(width + bw - 1, width));
    this.out.last.assign(head.bit(width + bw));
    this.out.err.assign(saf ? U(0, 1) : head.bit(width + bw + 1));
    this.used.assign(used.zext(pw + 1).add(outFull.zext(pw + 1)));
  }
}
