// Packet width converters (gearboxes) for PacketStream: a downsizer that cuts each wide beat into narrow beats, an
// upsizer that packs narrow beats into wide ones, and PacketWidthConverter that picks one of them. Widths must be
// multiples of each other. Packets keep their bytes, their boundaries and an optional `err` bit on the last beat
// (the shape of EthStream), so the same blocks carry TLPs and Ethernet frames.
import { Module, Out, U, cat, flip, mux, select, when, type Flip, type HwBundle, type Input, type Output, type Sig } from '../core/index.ts';
import { PacketStream } from './packet.ts';
import { fire } from './stream.ts';

/** PacketStream(width), plus `err` on the last beat when `err` is true (then it is shaped like EthStream). */
export const PacketStreamWithErr = (width: number, err: boolean) =>
  (err
    ? { ...PacketStream(width), err: Out(1, { doc: 'last beat only: a per-packet error/user bit' }) }
    : PacketStream(width)) as PacketStreamSpec;

export type PacketStreamSpec = ReturnType<typeof PacketStream>;
/** The consumer's ports of a PacketStreamWithErr. */
export type PacketSinkPorts = HwBundle<Flip<PacketStreamSpec>> & { readonly err?: Input<1> };
/** The producer's ports of a PacketStreamWithErr. */
export type PacketSourcePorts = HwBundle<PacketStreamSpec> & { readonly err?: Output<1> };

export interface PacketWidthOptions {
  /** Input beat width in bits (a multiple of 8). */
  inWidth: number;
  /** Output beat width in bits (a multiple of 8); one of inWidth and outWidth must divide the other. */
  outWidth: number;
  /** Carry an `err` bit on the last beat (EthStream). Default false. */
  err?: boolean;
}

function validate(name: string, o: PacketWidthOptions): void {
  for (const k of ['inWidth', 'outWidth'] as const) {
    const w = o[k];
    if (!Number.isInteger(w) || w < 8 || w % 8 !== 0) throw new Error(`${name}: ${k} must be a positive multiple of 8, got ${w}`);
  }
  const [a, b] = [o.inWidth, o.outWidth];
  if (Math.max(a, b) % Math.min(a, b) !== 0) throw new Error(`${name}: inWidth ${a} and outWidth ${b} must be multiples of each other`);
}

abstract class PacketGearbox extends Module {
  readonly in: PacketSinkPorts;
  readonly out: PacketSourcePorts;
  readonly inWidth: number;
  readonly outWidth: number;
  readonly hasErr: boolean;

  protected constructor(name: string, o: PacketWidthOptions) {
    super();
    validate(name, o);
    this.inWidth = o.inWidth;
    this.outWidth = o.outWidth;
    this.hasErr = o.err ?? false;
    this.in = this.port(flip(PacketStreamWithErr(o.inWidth, this.hasErr))) as PacketSinkPorts;
    this.out = this.port(PacketStreamWithErr(o.outWidth, this.hasErr)) as PacketSourcePorts;
  }

  protected inErr(): Sig {
    return this.in.err ?? U(0, 1);
  }
}

/**
 * Wide to narrow (inWidth = k x outWidth). One input beat is held and sent as up to k output beats, low bytes
 * first; a last beat of `bytes` bytes gives ceil(bytes / outBytes) of them. The next input beat is taken in the
 * cycle the current one's final slice leaves, so the narrow side runs back to back (one beat a cycle).
 * Latency: one cycle (the input beat is registered).
 */
export class PacketDownsizer extends PacketGearbox {
  constructor(o: PacketWidthOptions) {
    super('PacketDownsizer', o);
    const { inWidth, outWidth } = o;
    if (inWidth % outWidth !== 0) throw new Error(`PacketDownsizer: inWidth ${inWidth} must be a multiple of outWidth ${outWidth}`);
    const k = inWidth / outWidth;
    const inB = inWidth / 8;
    const outB = outWidth / 8;
    const full = this.reg(1);
    const data = this.reg(inWidth);
    const last = this.reg(1);
    const err = this.reg(1);
    const idx = this.reg(Math.max(1, Math.ceil(Math.log2(k))), { name: 'slice' });
    /** Bytes of the held beat not yet sent (inB on a beat that is not the last). */
    const rem = this.reg(this.in.bytes.width, { name: 'remaining' });

    const final = rem.le(outB);
    const slices: Sig[] = Array.from({ length: k }, (_, i) => data.slice((i + 1) * outWidth - 1, i * outWidth));
    this.out.valid.assign(full);
    this.out.data.assign(k === 1 ? data : select(idx, slices));
    this.out.last.assign(last.and(final));
    this.out.bytes.assign(mux(final, rem.trunc(this.out.bytes.width), U(outB, this.out.bytes.width)));
    this.out.err?.assign(last.and(final).and(err));

    const done = fire(this.out).and(final);
    this.in.ready.assign(full.not().or(done));
    when(fire(this.in), () => {
      full.set(1);
      data.set(this.in.data);
      last.set(this.in.last);
      err.set(this.inErr());
      idx.set(0);
      rem.set(mux(this.in.last, this.in.bytes, U(inB, rem.width)));
    }).elsewhen(done, () => full.set(0))
      .elsewhen(fire(this.out), () => {
        idx.set(idx.add(1));
        rem.set(rem.sub(outB));
      });
  }
}

/**
 * Narrow to wide (outWidth = k x inWidth). Input beats are packed low bytes first; a wide beat leaves when k of
 * them are in or with a packet's last beat (`bytes` = bytes packed). The wide beat sits in an output register
 * while the next one is gathered, so the input takes one beat a cycle while the output moves. Slices above
 * the last one of a short last beat are zero. Latency: one cycle after the beat that completes a wide beat.
 */
export class PacketUpsizer extends PacketGearbox {
  constructor(o: PacketWidthOptions) {
    super('PacketUpsizer', o);
    const { inWidth, outWidth } = o;
    if (outWidth % inWidth !== 0) throw new Error(`PacketUpsizer: outWidth ${outWidth} must be a multiple of inWidth ${inWidth}`);
    const k = outWidth / inWidth;
    const inB = inWidth / 8;
    const bw = this.out.bytes.width;
    const iw = Math.max(1, Math.ceil(Math.log2(k)));
    /** Slices gathered so far of the wide beat being built (0..k-1). */
    const idx = this.reg(iw, { name: 'slice' });
    const acc = Array.from({ length: Math.max(1, k - 1) }, (_, i) => this.reg(inWidth, { name: `acc${i}` }));
    const full = this.reg(1);
    const oData = this.reg(outWidth);
    const oLast = this.reg(1);
    const oBytes = this.reg(bw);
    const oErr = this.reg(1);

    const take = full.not().or(this.out.ready);
    this.in.ready.assign(take);
    const push = fire(this.in);
    const complete = k === 1 ? U(1, 1) : this.in.last.or(idx.eq(k - 1));
    // the wide beat: gathered slices below idx, the incoming slice at idx, zeros above
    const zero = U(0, inWidth);
    const lanes: Sig[] = [];
    for (let j = 0; j < k; j++) {
      const here = k === 1 ? U(1, 1) : idx.eq(j);
      const below = j < k - 1 && k > 1 ? idx.gt(j) : U(0, 1);
      lanes.push(mux(here, this.in.data, j < k - 1 ? mux(below, acc[j]!, zero) : zero));
    }
    const wide = cat(...lanes.reverse());
    const lastBytes = k === 1
      ? this.in.bytes.resize(bw)
      : idx.resize(bw).mul(U(inB, bw)).trunc(bw).add(this.in.bytes.resize(bw));

    when(push.and(complete), () => {
      idx.set(0);
      oData.set(wide);
      oLast.set(this.in.last);
      oBytes.set(mux(this.in.last, lastBytes, U(outWidth / 8, bw)));
      oErr.set(this.in.last.and(this.inErr()));
    }).elsewhen(push, () => idx.set(idx.add(1)));
    if (k > 1) {
      acc.forEach((r, j) => when(push.and(complete.not()).and(idx.eq(j)), () => r.set(this.in.data)));
    }
    when(take, () => full.set(push.and(complete)));
    this.out.valid.assign(full);
    this.out.data.assign(oData);
    this.out.last.assign(oLast);
    this.out.bytes.assign(oBytes);
    this.out.err?.assign(oErr);
  }
}

/**
 * Either gearbox, by the widths: a PacketDownsizer when inWidth > outWidth, a PacketUpsizer otherwise (equal
 * widths give a one-register upsizer with k = 1).
 */
export function packetWidthConverter(o: PacketWidthOptions): PacketDownsizer | PacketUpsizer {
  validate('packetWidthConverter', o);
  return o.inWidth > o.outWidth ? new PacketDownsizer(o) : new PacketUpsizer(o);
}
