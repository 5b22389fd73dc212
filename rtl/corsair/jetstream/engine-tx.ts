// JetStream transmit path: PCIe Memory Writes addressed to JetStream's remote window (REMOTE_BASE + (node << 32) +
// (card << 28) + offset) become Ethernet frames to that node, one TLP a frame, cut-through (a beat in, a beat out).
// The frame header replaces the 16-byte TLP header with 32 bytes, so the payload moves up 16 bytes: every output
// beat is the low bytes of this input beat above the high 16 bytes of the previous one, and a frame whose last
// input beat has more than width/8 - 16 bytes ends with one extra (flush) beat. Every other TLP is consumed and
// counted (txDropped).
import { Module, U, bitsFor, cat, clog2, flip, mux, when, type Flip, type HwBundle, type Input, type Output, type Sig } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { fire } from '../../lib/stream.ts';
import { PCIE_MAP } from '../system/pcie-map.ts';
import { EthStream } from './eth-stream.ts';
import { JS_DEFAULT_BASE_MAC, JS_FRAME, beBytes, beField, byteConst, byteOf, wireBytes } from './header.ts';

export interface JetStreamTxOptions {
  /** TLP and frame beat width in bits (a power of two, 256..1024). Default 512. */
  width?: number;
  /** Nodes reachable (destination nodes 0..nodes-1; 1..128). Default 16. */
  nodes?: number;
  /** MAC address of node 0; node n is baseMac + n. */
  baseMac?: bigint;
}

/** Checks shared by the engine's parts. */
export function checkEngineWidth(who: string, width: number): void {
  if (![256, 512, 1024].includes(width)) throw new Error(`${who}: width must be 256, 512 or 1024 bits, got ${width}`);
}
export function checkNodes(who: string, nodes: number): void {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 128) throw new Error(`${who}: nodes must be an integer 1..128, got ${nodes}`);
}
export function checkMac(who: string, mac: bigint, nodes: number): void {
  if (typeof mac !== 'bigint' || mac < 0n || mac + BigInt(nodes) > 1n << 48n) throw new Error(`${who}: baseMac must be a 48-bit bigint leaving room for ${nodes} nodes, got ${mac}`);
}

/** The MAC address of `node` (8 bits) as 48 bits. */
export function nodeMac(baseMac: bigint, node: Sig): Sig {
  return U(baseMac, 48).add(node.zext(48));
}

/** Is a card-BAR offset inside a chiplet's doorbell page (the "go" write)? offset is 28 bits. */
export function isDoorbell(offset: Sig): Sig {
  const cw = PCIE_MAP.CHIPLET_WINDOW;
  const db = PCIE_MAP.DOORBELL_OFFSET;
  const cwBits = clog2(cw);
  if (1 << cwBits !== cw || db % 4096 !== 0 || db + 4096 > cw) throw new Error('isDoorbell: PCIE_MAP chiplet window / doorbell page layout unexpected');
  return offset.slice(cwBits - 1, 12).eq(db >> 12);
}

export class JetStreamTx extends Module {
  /** Memory Writes from the PCIe side (JetStream's BAR). */
  readonly tlp: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  /** Frames to the MAC. */
  readonly frame: HwBundle<ReturnType<typeof EthStream>>;
  /** This node's number (SRC_NODE, SA). */
  readonly nodeId: Input;
  /** One cycle high when a frame's first beat leaves. */
  readonly frameSent: Output;
  /** One cycle high when a TLP is consumed without being sent. */
  readonly tlpDropped: Output;
  /** A frame is in progress. */
  readonly busy: Output;
  readonly width: number;
  readonly nodes: number;

  constructor(opts: JetStreamTxOptions = {}) {
    super();
    const width = (this.width = opts.width ?? 512);
    const nodes = (this.nodes = opts.nodes ?? 16);
    const baseMac = opts.baseMac ?? JS_DEFAULT_BASE_MAC;
    checkEngineWidth('JetStreamTx', width);
    checkNodes('JetStreamTx', nodes);
    checkMac('JetStreamTx', baseMac, nodes);
    const B = width / 8;
    const bw = bitsFor(B);
    this.tlp = this.port(flip(PacketStream(width)));
    this.frame = this.port(EthStream(width));
    this.nodeId = this.input(8, { doc: 'this node' });
    this.frameSent = this.output(1, { doc: 'pulse: a frame started' });
    this.tlpDropped = this.output(1, { doc: 'pulse: a TLP was not carried' });
    this.busy = this.output(1, { doc: 'a frame is being sent' });

    const inFrame = this.reg(1); // forwarding the beats after the first
    const dropping = this.reg(1); // consuming the beats of a TLP that is not carried
    const flushing = this.reg(1); // the extra last beat (the carry) is pending
    const carry = this.reg(128); // the high 16 bytes of the previous input beat
    const flushBytes = this.reg(bw);
    const nodeBits = clog2(nodes);
    const seqTable = this.memory({ depth: nodes, width: 32 });

    const beat = this.tlp.data;
    const first = inFrame.not().and(dropping.not()).and(flushing.not());

    // ---- the first beat: decode the TLP header (DW0..DW3, big-endian)
    const fmtType = byteOf(beat, 0);
    const tc = byteOf(beat, 1).slice(6, 4);
    const lenDw10 = cat(byteOf(beat, 2).slice(1, 0), byteOf(beat, 3));
    const lenDw = cat(lenDw10.eq(0), lenDw10); // 11 bits, 1..1024
    const be = byteOf(beat, 7);
    const addr = beField(beat, 8, 8);
    const rel = addr.subc(U(PCIE_MAP.REMOTE_BASE, 64)); // 65 bits: top bit = borrow (below the window)
    const inWindow = rel.bit(64).not().and(rel.slice(63, 32).lt(U(nodes, 32)));
    const dst = rel.slice(39, 32);
    const card = rel.slice(31, 28);
    const offset = rel.slice(27, 0);
    const carried = fmtType.eq(0x60).and(inWindow);
    const go = isDoorbell(offset);
    const seqAddr = dst.trunc(nodeBits);
    const seq = seqTable.readAsync(seqAddr);
    // after reset the table is swept to zero, one entry a cycle (a RAM has no reset); TLPs wait meanwhile
    const clearing = this.reg(1, { init: 1 });
    const clearIdx = this.reg(nodeBits);
    when(clearing, () => {
      clearIdx.set(clearIdx.add(1));
      when(clearIdx.eq(nodes - 1), () => clearing.set(0));
    });

    const hdr = wireBytes([
      ...beBytes(nodeMac(baseMac, dst), 6),
      ...beBytes(nodeMac(baseMac, this.nodeId), 6),
      ...beBytes(U(JS_FRAME.ETHERTYPE, 16), 2),
      byteConst(JS_FRAME.VERSION),
      cat(U(0, 7), go),
      this.nodeId,
      dst,
      cat(U(0, 4), card),
      be,
      ...beBytes(cat(U(0, 5), lenDw), 2),
      ...beBytes(seq, 4),
      ...beBytes(cat(U(0, 4), offset), 4),
      cat(U(0, 5), tc),
      byteConst(0),
    ]);
    // first output beat: header, then input bytes 16 .. B-17 at output bytes 32 .. B-1
    const firstOut = width === 256 ? hdr : cat(beat.slice(width - 129, 128), hdr);
    // other beats: this beat's low B-16 bytes above the previous beat's high 16 bytes
    const midOut = cat(beat.trunc(width - 128), carry);

    // last input beat: out bytes = carry 16 + bytes; over B, one flush beat follows
    const inBytes = this.tlp.bytes.zext(bw + 1);
    const total = inBytes.add(16); // bw+1 bits
    const overflows = total.gt(B);

    // ---- handshakes and outputs
    const forwarding = inFrame.or(first.and(carried)).and(clearing.not());
    this.frame.valid.assign(flushing.or(forwarding.and(this.tlp.valid)));
    this.frame.data.assign(mux(flushing, carry.zext(width), mux(inFrame, midOut, firstOut)));
    this.frame.last.assign(flushing.or(forwarding.and(this.tlp.last).and(overflows.not())));
    this.frame.bytes.assign(mux(flushing, flushBytes, total.trunc(bw)));
    this.frame.err.assign(U(0, 1));
    this.tlp.ready.assign(flushing.not().and(clearing.not()).and(mux(forwarding, this.frame.ready, U(1, 1))));

    const take = fire(this.tlp);
    const send = fire(this.frame);
    when(take, () => carry.set(beat.slice(width - 1, width - 128)));
    seqTable.write(mux(clearing, clearIdx, seqAddr), mux(clearing, U(0, 32), seq.add(1)), { en: clearing.or(take.and(first).and(carried)) });
    when(flushing, () => {
      when(send, () => flushing.set(0));
    }).elsewhen(take.and(forwarding), () => {
      inFrame.set(this.tlp.last.not());
      when(this.tlp.last.and(overflows), () => {
        flushing.set(1);
        flushBytes.set(total.sub(B).trunc(bw));
      });
    }).elsewhen(take, () => dropping.set(this.tlp.last.not()));

    this.frameSent.assign(send.and(first).and(flushing.not()));
    this.tlpDropped.assign(take.and(first).and(carried.not()));
    this.busy.assign(inFrame.or(flushing).or(dropping));
  }
}
