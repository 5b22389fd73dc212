// JetStream receive path: frames from the MAC become PCIe Memory Writes into the destination card's BAR
// (CARD_BAR_BASE + card * CARD_BAR_SIZE + offset), with the engine's own requester ID.
//   check: each frame is checked as it comes in (EtherType, version, destination node, header fields, length
//     against LEN_DW, err from the MAC) and its sequence number compared with the one expected from its source:
//     equal: delivered; ahead: a gap (counted, frames lost = the difference), delivered; behind: reordered or
//     duplicate, dropped. A "go" frame is withheld if frames of its flow were lost since the previous go, so a card
//     never starts on incomplete data. The frames go through a store-and-forward buffer that rolls back every
//     frame that is not delivered (a Memory Write cannot be taken back once started).
//   issue: a delivered frame's header becomes a 4DW TLP header; the payload moves down 16 bytes (every output beat
//     is the high bytes of a frame beat above the low 16 bytes of the next one); MAC padding is cut off.
import { Module, U, bitsFor, cat, clog2, flip, mux, when, type Flip, type HwBundle, type Input, type Output, type Sig } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { fire } from '../../lib/stream.ts';
import { PCIE_MAP } from '../system/pcie-map.ts';
import { EthStream } from './eth-stream.ts';
import { PacketBuffer } from './engine-packet-buffer.ts';
import { checkEngineWidth, checkNodes } from './engine-tx.ts';
import { JS_FRAME, beBytes, beField, byteConst, byteOf, wireBytes } from './header.ts';

export interface JetStreamRxOptions {
  /** Frame and TLP beat width in bits (256, 512 or 1024). Default 512. */
  width?: number;
  /** Source nodes tracked (0..nodes-1; 1..128). Default 16. */
  nodes?: number;
  /** The receive buffer holds 2^bufferDepthLog2 beats; it must hold a largest frame (32 + 4096 bytes). Default 8. */
  bufferDepthLog2?: number;
}

export class JetStreamRx extends Module {
  /** Frames from the MAC. */
  readonly frame: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  /** Memory Writes to the PCIe switch. */
  readonly tlp: HwBundle<ReturnType<typeof PacketStream>>;
  readonly nodeId: Input;
  readonly requesterId: Input;
  /** Pulses at the last beat of a frame coming in: delivered, gap (with `lost` frames), late, dropped, go withheld. */
  readonly delivered: Output;
  readonly gap: Output;
  readonly lost: Output;
  readonly late: Output;
  readonly dropped: Output;
  readonly goSuppressed: Output;
  /** Pulse: the last beat of a "go" write left. */
  readonly goDelivered: Output;
  readonly busy: Output;
  readonly buffer: PacketBuffer;

  constructor(opts: JetStreamRxOptions = {}) {
    super();
    const width = opts.width ?? 512;
    const nodes = opts.nodes ?? 16;
    const depthLog2 = opts.bufferDepthLog2 ?? 8;
    checkEngineWidth('JetStreamRx', width);
    checkNodes('JetStreamRx', nodes);
    const B = width / 8;
    const maxBeats = Math.ceil((JS_FRAME.HEADER_BYTES + 4 * JS_FRAME.MAX_LEN_DW) / B);
    if (!Number.isInteger(depthLog2) || depthLog2 > 16 || 1 << depthLog2 < maxBeats) {
      throw new Error(`JetStreamRx: bufferDepthLog2 must be an integer <= 16 with 2^bufferDepthLog2 >= ${maxBeats} beats (a largest frame), got ${depthLog2}`);
    }
    const bw = bitsFor(B);
    const nodeBits = clog2(nodes);
    this.frame = this.port(flip(EthStream(width)));
    this.tlp = this.port(PacketStream(width));
    this.nodeId = this.input(8, { doc: 'this node: frames for another node are dropped' });
    this.requesterId = this.input(16, { doc: 'requester ID of the writes issued' });
    this.delivered = this.output(1);
    this.gap = this.output(1);
    this.lost = this.output(32, { doc: 'with gap: frames missing' });
    this.late = this.output(1);
    this.dropped = this.output(1);
    this.goSuppressed = this.output(1);
    this.goDelivered = this.output(1);
    this.busy = this.output(1);

    // ================= check (write side of the buffer)
    const buf = (this.buffer = new PacketBuffer({ width, depthLog2, mode: 'store-and-forward' }));
    // after reset the sequence tables are swept to zero, one entry a cycle (a RAM has no reset); frames wait meanwhile
    const clearing = this.reg(1, { init: 1 });
    const clearIdx = this.reg(nodeBits);
    when(clearing, () => {
      clearIdx.set(clearIdx.add(1));
      when(clearIdx.eq(nodes - 1), () => clearing.set(0));
    });
    buf.in.valid.assign(this.frame.valid.and(clearing.not()));
    buf.in.data.assign(this.frame.data);
    buf.in.last.assign(this.frame.last);
    buf.in.bytes.assign(this.frame.bytes);
    buf.in.err.assign(this.frame.err);
    this.frame.ready.assign(buf.in.ready.and(clearing.not()));

    const d = this.frame.data;
    const len = beField(d, JS_FRAME.LEN_DW, 2);
    const offset = beField(d, JS_FRAME.OFFSET, 4);
    const src = byteOf(d, JS_FRAME.SRC_NODE);
    const headerOk = beField(d, JS_FRAME.TYPE, 2).eq(JS_FRAME.ETHERTYPE)
      .and(byteOf(d, JS_FRAME.VER).eq(JS_FRAME.VERSION))
      .and(byteOf(d, JS_FRAME.DST_NODE).eq(this.nodeId))
      .and(src.lt(nodes))
      .and(byteOf(d, JS_FRAME.DST_CARD).lt(16))
      .and(len.ne(0)).and(len.le(JS_FRAME.MAX_LEN_DW))
      .and(offset.slice(31, 28).eq(0)).and(offset.slice(1, 0).eq(0));

    const inFrame = this.reg(1);
    const beats = this.reg(16); // beats taken before this one (saturating)
    const okH = this.reg(1);
    const srcH = this.reg(8);
    const seqH = this.reg(32);
    const goH = this.reg(1);
    const lenH = this.reg(16);
    const ok = mux(inFrame, okH, headerOk);
    const srcC = mux(inFrame, srcH, src);
    const seq = mux(inFrame, seqH, beField(d, JS_FRAME.SEQ, 4));
    const go = mux(inFrame, goH, byteOf(d, JS_FRAME.FLAGS).bit(0));
    const lenC = mux(inFrame, lenH, len);
    const take = fire(this.frame);
    when(take.and(inFrame.not()), () => {
      okH.set(headerOk);
      srcH.set(src);
      seqH.set(beField(d, JS_FRAME.SEQ, 4));
      goH.set(byteOf(d, JS_FRAME.FLAGS).bit(0));
      lenH.set(len);
    });
    when(take, () => {
      inFrame.set(this.frame.last.not());
      when(this.frame.last, () => beats.set(0)).elsewhen(beats.ne(0xffff), () => beats.set(beats.add(1)));
    });
    // bytes in the frame so far, this beat included, against the header and LEN_DW * 4 it announces
    const frameBytes = cat(beats, U(0, clog2(B))).zext(24).add(this.frame.bytes.zext(24));
    const needed = cat(lenC, U(0, 2)).zext(24).add(JS_FRAME.HEADER_BYTES);
    const good = ok.and(frameBytes.ge(needed)).and(this.frame.err.not()).and(buf.overflow.not());

    const expected = this.memory({ depth: nodes, width: 32 });
    const lossPending = this.memory({ depth: nodes, width: 1 });
    const srcIdx = srcC.trunc(nodeBits);
    const exp = expected.readAsync(srcIdx);
    const pend = lossPending.readAsync(srcIdx);
    const diff = seq.sub(exp);
    const behind = diff.bit(31);
    const ahead = diff.ne(0).and(behind.not());
    const withhold = go.and(pend.or(ahead));
    const lastIn = take.and(this.frame.last);
    const inOrder = lastIn.and(good).and(behind.not());
    const tableIdx = mux(clearing, clearIdx, srcIdx);
    expected.write(tableIdx, mux(clearing, U(0, 32), seq.add(1)), { en: inOrder.or(clearing) });
    lossPending.write(tableIdx, mux(clearing, U(0, 1), go.not().and(ahead.or(pend))), { en: inOrder.or(clearing) });
    buf.discard.assign(good.not().or(behind).or(withhold));

    this.delivered.assign(inOrder.and(withhold.not()));
    this.gap.assign(inOrder.and(ahead));
    this.lost.assign(diff);
    this.late.assign(lastIn.and(good).and(behind));
    this.dropped.assign(lastIn.and(good.not()));
    this.goSuppressed.assign(inOrder.and(withhold));

    // ================= issue (read side of the buffer)
    const st = this.fsm(['IDLE', 'HOLD', 'TAIL', 'DRAIN'] as const);
    const q = buf.out.data;
    const hold = this.reg(width - 128); // TLP bytes waiting for the next frame beat
    const remain = this.reg(13); // TLP bytes still to send, hold included
    const frameEnded = this.reg(1);
    const goQ = this.reg(1);
    const tag = this.reg(8);

    const qLen = beField(q, JS_FRAME.LEN_DW, 2).trunc(11);
    const card = byteOf(q, JS_FRAME.DST_CARD).trunc(4);
    const addr = U(PCIE_MAP.CARD_BAR_BASE, 64).add(cat(card, beField(q, JS_FRAME.OFFSET, 4).trunc(28)).zext(64));
    const tlpHdr = wireBytes([
      byteConst(0x60), // MWr, 4DW header
      cat(U(0, 1), byteOf(q, JS_FRAME.TC).trunc(3), U(0, 4)),
      cat(U(0, 6), qLen.slice(9, 8)), // TD, EP, attributes 0; Length[9:8] (1024 is 0)
      qLen.slice(7, 0),
      ...beBytes(this.requesterId, 2),
      tag,
      byteOf(q, JS_FRAME.BE),
      ...beBytes(addr, 8),
    ]);
    const hold0 = width === 256 ? tlpHdr : cat(q.slice(width - 1, 256), tlpHdr);
    const remain0 = cat(qLen, U(0, 2)).zext(13).add(16);
    const fitsFirst = remain0.le(B - 16);
    const qGo = byteOf(q, JS_FRAME.FLAGS).bit(0);
    const lastOut = remain.le(B);

    const tlpOut = this.wire(width, { default: 0 });
    const tlpValid = this.wire(1, { default: 0 });
    const tlpLast = this.wire(1, { default: 0 });
    const tlpBytes = this.wire(bw, { default: 0 });
    const qReady = this.wire(1, { default: 0 });
    const sent = fire(this.tlp);
    const qTake = fire(buf.out);
    const goOut = this.wire(1, { default: 0 });

    st.on({
      IDLE: () => {
        when(fitsFirst, () => {
          // the whole TLP is in the first frame beat
          tlpOut.set(hold0.zext(width));
          tlpValid.set(buf.out.valid);
          tlpLast.set(1);
          tlpBytes.set(remain0.trunc(bw));
          qReady.set(this.tlp.ready);
          when(sent, () => {
            goOut.set(qGo);
            tag.set(tag.add(1));
            when(buf.out.last.not(), () => st.goto('DRAIN'));
          });
        }).otherwise(() => {
          qReady.set(1);
          when(qTake, () => {
            hold.set(hold0);
            remain.set(remain0);
            goQ.set(qGo);
            st.goto('HOLD');
          });
        });
      },
      HOLD: () => {
        tlpOut.set(cat(q.trunc(128), hold));
        tlpValid.set(buf.out.valid);
        tlpLast.set(lastOut);
        tlpBytes.set(remain.trunc(bw));
        qReady.set(this.tlp.ready);
        when(sent, () => {
          when(lastOut, () => {
            goOut.set(goQ);
            tag.set(tag.add(1));
            when(buf.out.last, () => st.goto('IDLE')).otherwise(() => st.goto('DRAIN'));
          }).otherwise(() => {
            const rest = remain.sub(B);
            remain.set(rest);
            hold.set(q.slice(width - 1, 128));
            frameEnded.set(buf.out.last);
            when(rest.le(B - 16), () => st.goto('TAIL'));
          });
        });
      },
      TAIL: () => {
        tlpOut.set(hold.zext(width));
        tlpValid.set(1);
        tlpLast.set(1);
        tlpBytes.set(remain.trunc(bw));
        when(sent, () => {
          goOut.set(goQ);
          tag.set(tag.add(1));
          when(frameEnded, () => st.goto('IDLE')).otherwise(() => st.goto('DRAIN'));
        });
      },
      DRAIN: () => {
        qReady.set(1);
        when(qTake.and(buf.out.last), () => st.goto('IDLE'));
      },
    });
    this.tlp.valid.assign(tlpValid);
    this.tlp.data.assign(tlpOut);
    this.tlp.last.assign(tlpLast);
    this.tlp.bytes.assign(tlpBytes);
    buf.out.ready.assign(qReady);
    this.goDelivered.assign(goOut);
    this.busy.assign(inFrame.or(st.is('IDLE').not()).or(buf.used.ne(0)));
  }
}
