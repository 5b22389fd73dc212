// The JetStream streaming engine: the transmit path (PCIe Memory Writes to the remote window -> frames), the
// receive path (frames -> Memory Writes into the destination card's BAR, in order, "go" last) and the registers
// (node id, requester ID, counters, status, rx interrupt). One clock domain: the PCIe side's. The MAC side crosses
// clocks in a wrapper (JetStreamNic).
import { Module, U, flip, select, when, type Flip, type HwBundle, type Output, type Sig } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { PacketStream } from '../../lib/packet.ts';
import { EthStream } from './eth-stream.ts';
import { JS_BIT, JS_REG } from './engine-regs.ts';
import { JetStreamRx } from './engine-rx.ts';
import { JetStreamTx } from './engine-tx.ts';
import { JS_DEFAULT_BASE_MAC, JS_FRAME } from './header.ts';

export interface JetStreamEngineOptions {
  /** TLP and frame beat width in bits: 256, 512 (default) or 1024. */
  width?: number;
  /** Nodes (servers) reachable and tracked, 1..128. Default 16. */
  nodes?: number;
  /** This server's node number after reset (the NODE_ID register). Default 0. */
  nodeId?: number;
  /** MAC of node 0; node n is baseMac + n. */
  baseMac?: bigint;
  /** Requester ID of the writes the engine issues after reset (REQUESTER_ID register). Default 0x0100 (01:00.0). */
  requesterId?: number;
  /** Receive buffer: 2^bufferDepthLog2 beats (at least a largest frame). Default 8. */
  bufferDepthLog2?: number;
}

export class JetStreamEngine extends Module {
  /** Memory Writes to JetStream's BAR (from the PCIe switch). */
  readonly txTlp: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  /** Frames to the MAC. */
  readonly txFrame: HwBundle<ReturnType<typeof EthStream>>;
  /** Frames from the MAC. */
  readonly rxFrame: HwBundle<Flip<ReturnType<typeof EthStream>>>;
  /** Memory Writes into this server's cards (to the PCIe switch). */
  readonly rxTlp: HwBundle<ReturnType<typeof PacketStream>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** The rx interrupt (DISPATCH_IRQ.JETSTREAM_RX): STATUS bits enabled by CTRL. */
  readonly irq: Output;
  readonly tx: JetStreamTx;
  readonly rx: JetStreamRx;
  readonly width: number;

  constructor(opts: JetStreamEngineOptions = {}) {
    super();
    const width = (this.width = opts.width ?? 512);
    const nodes = opts.nodes ?? 16;
    const nodeId = opts.nodeId ?? 0;
    const requesterId = opts.requesterId ?? 0x0100;
    const baseMac = opts.baseMac ?? JS_DEFAULT_BASE_MAC;
    const depthLog2 = opts.bufferDepthLog2 ?? 8;
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId >= nodes) throw new Error(`JetStreamEngine: nodeId must be an integer 0..nodes-1 (${nodes - 1}), got ${nodeId}`);
    if (!Number.isInteger(requesterId) || requesterId < 0 || requesterId > 0xffff) throw new Error(`JetStreamEngine: requesterId must be 16 bits, got ${requesterId}`);
    this.txTlp = this.port(flip(PacketStream(width)));
    this.txFrame = this.port(EthStream(width));
    this.rxFrame = this.port(flip(EthStream(width)));
    this.rxTlp = this.port(PacketStream(width));
    this.csr = this.port(flip(CsrBus(4)));
    this.irq = this.output(1, { doc: 'rx interrupt: STATUS & enables' });

    this.tx = new JetStreamTx({ width, nodes, baseMac });
    this.rx = new JetStreamRx({ width, nodes, bufferDepthLog2: depthLog2 });
    const { tx, rx } = this;
    const node = this.reg(8, { init: nodeId });
    const reqId = this.reg(16, { init: requesterId });
    const ctrl = this.reg(2);
    const status = this.reg(5);

    // ---- datapaths
    tx.tlp.valid.assign(this.txTlp.valid);
    tx.tlp.data.assign(this.txTlp.data);
    tx.tlp.last.assign(this.txTlp.last);
    tx.tlp.bytes.assign(this.txTlp.bytes);
    this.txTlp.ready.assign(tx.tlp.ready);
    this.txFrame.valid.assign(tx.frame.valid);
    this.txFrame.data.assign(tx.frame.data);
    this.txFrame.last.assign(tx.frame.last);
    this.txFrame.bytes.assign(tx.frame.bytes);
    this.txFrame.err.assign(tx.frame.err);
    tx.frame.ready.assign(this.txFrame.ready);
    tx.nodeId.assign(node);

    rx.frame.valid.assign(this.rxFrame.valid);
    rx.frame.data.assign(this.rxFrame.data);
    rx.frame.last.assign(this.rxFrame.last);
    rx.frame.bytes.assign(this.rxFrame.bytes);
    rx.frame.err.assign(this.rxFrame.err);
    this.rxFrame.ready.assign(rx.frame.ready);
    this.rxTlp.valid.assign(rx.tlp.valid);
    this.rxTlp.data.assign(rx.tlp.data);
    this.rxTlp.last.assign(rx.tlp.last);
    this.rxTlp.bytes.assign(rx.tlp.bytes);
    rx.tlp.ready.assign(this.rxTlp.ready);
    rx.nodeId.assign(node);
    rx.requesterId.assign(reqId);

    // ---- registers
    const wr = this.csr.en.and(this.csr.we);
    const wrAt = (a: number): Sig => wr.and(this.csr.addr.eq(a));
    const counter = (a: number, inc: Sig, by: Sig = U(1, 32)): Sig => {
      const c = this.reg(32, { name: `cnt_${a}` });
      when(wrAt(a), () => c.set(0)).elsewhen(inc, () => c.set(c.add(by)));
      return c;
    };
    const txFrames = counter(JS_REG.TX_FRAMES, tx.frameSent);
    const rxFrames = counter(JS_REG.RX_FRAMES, rx.delivered);
    const gaps = counter(JS_REG.SEQ_GAPS, rx.gap);
    const lost = counter(JS_REG.LOST_FRAMES, rx.gap, rx.lost);
    const late = counter(JS_REG.LATE_FRAMES, rx.late);
    const dropped = counter(JS_REG.DROPPED, rx.dropped);
    const txDropped = counter(JS_REG.TX_DROPPED, tx.tlpDropped);
    const goSupp = counter(JS_REG.GO_SUPPRESSED, rx.goSuppressed);
    const rxGo = counter(JS_REG.RX_GO, rx.goDelivered);

    when(wrAt(JS_REG.NODE_ID), () => node.set(this.csr.wdata.trunc(8)));
    when(wrAt(JS_REG.REQUESTER_ID), () => reqId.set(this.csr.wdata.trunc(16)));
    when(wrAt(JS_REG.CTRL), () => ctrl.set(this.csr.wdata.trunc(2)));
    // sticky status: events set, write-1 clears (an event in the same cycle wins)
    const events = [rx.gap, rx.late, rx.dropped, rx.goDelivered, rx.goSuppressed];
    let set: Sig = U(0, 5);
    events.forEach((e, i) => {
      set = set.or(e.zext(5).shl(i));
    });
    const clear = wrAt(JS_REG.STATUS).rep(5).and(this.csr.wdata.trunc(5));
    status.set(status.and(clear.not()).or(set));

    const B = width / 8;
    const config = U(nodes | (B << 8) | (depthLog2 << 16), 32).or(U(JS_FRAME.VERSION, 32).shl(24));
    const statusRead = status.zext(32).or(tx.busy.zext(32).shl(8)).or(rx.busy.zext(32).shl(9));
    const regs: Sig[] = [];
    const byAddr: Record<number, Sig> = {
      [JS_REG.NODE_ID]: node.zext(32),
      [JS_REG.CTRL]: ctrl.zext(32),
      [JS_REG.STATUS]: statusRead,
      [JS_REG.TX_FRAMES]: txFrames,
      [JS_REG.RX_FRAMES]: rxFrames,
      [JS_REG.SEQ_GAPS]: gaps,
      [JS_REG.LOST_FRAMES]: lost,
      [JS_REG.LATE_FRAMES]: late,
      [JS_REG.DROPPED]: dropped,
      [JS_REG.TX_DROPPED]: txDropped,
      [JS_REG.GO_SUPPRESSED]: goSupp,
      [JS_REG.RX_GO]: rxGo,
      [JS_REG.REQUESTER_ID]: reqId.zext(32),
      [JS_REG.CONFIG]: config,
    };
    for (let a = 0; a < 16; a++) regs.push(byAddr[a] ?? U(0, 32));
    this.csr.rdata.assign(select(this.csr.addr, regs));

    const errIrq = ctrl.bit(0).and(status.and(JS_BIT.STATUS_ERR_MASK).orR());
    const goIrq = ctrl.bit(1).and(status.bit(3));
    this.irq.assign(errIrq.or(goIrq));
  }
}
