// The JetStream NIC: the streaming engine on the PCIe clock, the 802.3 MAC (64-bit Mac or wide Mac400) on the MAC clock, and between them a
// store-and-forward transmit buffer, packet width converters and dual-clock packet FIFOs.
//   transmit: engine.txFrame -> PacketBuffer (store-and-forward, so the MAC never underruns) -> width converter
//             (engine width -> MAC width) -> PacketAsyncFifo (PCIe -> MAC clock) -> mac.txIn -> XGMII
//   receive:  XGMII -> mac.rxOut (store-and-forward, FCS checked) -> PacketAsyncFifo (MAC -> PCIe clock) -> width
//             converter (MAC width -> engine width) -> engine.rxFrame
// Registers: the engine's on `csr` (PCIe clock), the MAC's statistics on `macCsr` (MAC clock).
import { ClockDomain, Module, connect, flip, sysDomain, withDomain, type Flip, type HwBundle, type Output } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { PacketStream } from '../../lib/packet.ts';
import { PacketAsyncFifo } from '../../lib/packet-async-fifo.ts';
import { packetWidthConverter, type PacketDownsizer, type PacketUpsizer } from '../../lib/packet-width.ts';
import { PacketBuffer } from './engine-packet-buffer.ts';
import { JetStreamEngine } from './engine-top.ts';
import { JS_DEFAULT_BASE_MAC } from './header.ts';
import { Mac } from './mac.ts';
import { Mac400 } from './mac400.ts';
import { Xgmii } from './xgmii.ts';

/** Largest frame the engine sends: 32-byte header + 1024 DWs of payload. */
export const JS_MAX_FRAME_BYTES = 32 + 4096;

export interface JetStreamNicOptions {
  /** Engine (PCIe side) beat width: 256, 512 (default) or 1024 bits. */
  engineWidth?: number;
  /** MAC datapath width in bits: 64 (Mac, 25 Gb/s at 390.625 MHz) or 512/1024 (Mac400, one frame per
   * beat; 1024 bits at 390.625 MHz is 400 Gb/s). Default 1024. */
  macWidth?: number;
  /** The MAC's clock. Default `new ClockDomain('mac', { periodPs: 2560 })` (390.625 MHz). */
  macDomain?: ClockDomain;
  /** The PCIe clock (engine). Default the sys domain (1 GHz, ports clk/rst). */
  pcieDomain?: ClockDomain;
  nodes?: number;
  nodeId?: number;
  baseMac?: bigint;
  requesterId?: number;
  /** Engine receive buffer, 2^n engine beats. Default 8. */
  rxBufferDepthLog2?: number;
  /** Transmit store-and-forward buffer, 2^n engine beats. Default: two largest frames. */
  txBufferDepthLog2?: number;
  /** Clock-crossing FIFOs: 2^n MAC beats each (>= 3 for full rate). Default 4. */
  cdcDepthLog2?: number;
  /** Largest frame the MAC accepts, DA..FCS. Default 9018 (jumbo: a 4 KB write's frame is 4132 bytes). */
  maxFrame?: number;
}

export class JetStreamNic extends Module {
  /** Memory Writes to JetStream's BAR (PCIe clock). */
  readonly txTlp: HwBundle<Flip<ReturnType<typeof PacketStream>>>;
  /** Memory Writes into this server's cards (PCIe clock). */
  readonly rxTlp: HwBundle<ReturnType<typeof PacketStream>>;
  /** The wire (MAC clock). */
  readonly xgmiiTx: HwBundle<ReturnType<typeof Xgmii>>;
  readonly xgmiiRx: HwBundle<Flip<ReturnType<typeof Xgmii>>>;
  /** Engine registers (JS_REG), PCIe clock. */
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** MAC statistics registers (MAC_REG), MAC clock. */
  readonly macCsr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** rx interrupt (DISPATCH_IRQ.JETSTREAM_RX), PCIe clock. */
  readonly irq: Output;
  readonly engine: JetStreamEngine;
  readonly mac: Mac | Mac400;
  readonly txBuffer: PacketBuffer;
  readonly txWidth: PacketDownsizer | PacketUpsizer;
  readonly rxWidth: PacketDownsizer | PacketUpsizer;
  readonly txCdc: PacketAsyncFifo;
  readonly rxCdc: PacketAsyncFifo;
  readonly macDomain: ClockDomain;
  readonly pcieDomain: ClockDomain;
  readonly engineWidth: number;
  readonly macWidth: number;

  constructor(o: JetStreamNicOptions = {}) {
    super();
    const ew = (this.engineWidth = o.engineWidth ?? 512);
    const mw = (this.macWidth = o.macWidth ?? 1024);
    const mac = (this.macDomain = o.macDomain ?? new ClockDomain('mac', { periodPs: 2560 }));
    const pcie = (this.pcieDomain = o.pcieDomain ?? sysDomain);
    if (![256, 512, 1024].includes(ew)) throw new Error(`JetStreamNic: engineWidth must be 256, 512 or 1024, got ${ew}`);
    if (![64, 512, 1024].includes(mw)) throw new Error(`JetStreamNic: macWidth must be 64, 512 or 1024, got ${mw}`);
    if (Math.max(ew, mw) % Math.min(ew, mw) !== 0) throw new Error(`JetStreamNic: engineWidth ${ew} and macWidth ${mw} must be multiples of each other`);
    if (mac === pcie) throw new Error('JetStreamNic: macDomain and pcieDomain must be different clock domains');
    const eb = ew / 8;
    const txDepth = o.txBufferDepthLog2 ?? Math.ceil(Math.log2(2 * Math.ceil(JS_MAX_FRAME_BYTES / eb)));
    if (!Number.isInteger(txDepth) || 2 ** txDepth < Math.ceil(JS_MAX_FRAME_BYTES / eb)) {
      throw new Error(`JetStreamNic: txBufferDepthLog2 ${txDepth} cannot hold a largest frame (${JS_MAX_FRAME_BYTES} bytes)`);
    }
    const cdcDepth = o.cdcDepthLog2 ?? 4;
    if (!Number.isInteger(cdcDepth) || cdcDepth < 3 || cdcDepth > 12) throw new Error(`JetStreamNic: cdcDepthLog2 must be an integer 3..12, got ${cdcDepth}`);
    const maxFrame = o.maxFrame ?? 9018;
    if (!Number.isInteger(maxFrame) || maxFrame < JS_MAX_FRAME_BYTES + 4) {
      // smaller is legal for the MAC but then writes over maxFrame - 36 bytes would be dropped silently
      throw new Error(`JetStreamNic: maxFrame must be at least ${JS_MAX_FRAME_BYTES + 4} (a 4 KB write's frame with FCS), got ${maxFrame}`);
    }

    this.txTlp = this.port(flip(PacketStream(ew)));
    this.rxTlp = this.port(PacketStream(ew));
    this.xgmiiTx = this.port(Xgmii(mw));
    this.xgmiiRx = this.port(flip(Xgmii(mw)));
    this.csr = this.port(flip(CsrBus(4)));
    this.macCsr = this.port(flip(CsrBus(4)));
    this.irq = this.output(1, { doc: 'rx interrupt (engine STATUS & CTRL enables), PCIe clock' });

    const pcieSide = withDomain(pcie, () => ({
      engine: new JetStreamEngine({
        width: ew, nodes: o.nodes, nodeId: o.nodeId, baseMac: o.baseMac ?? JS_DEFAULT_BASE_MAC,
        requesterId: o.requesterId, bufferDepthLog2: o.rxBufferDepthLog2,
      }),
      txBuffer: new PacketBuffer({ width: ew, depthLog2: txDepth, mode: 'store-and-forward' }),
      txWidth: packetWidthConverter({ inWidth: ew, outWidth: mw, err: true }),
      rxWidth: packetWidthConverter({ inWidth: mw, outWidth: ew, err: true }),
    }));
    this.engine = pcieSide.engine;
    this.txBuffer = pcieSide.txBuffer;
    this.txWidth = pcieSide.txWidth;
    this.rxWidth = pcieSide.rxWidth;
    this.mac = withDomain(mac, () => (mw === 64 ? new Mac({ width: mw, maxFrame }) : new Mac400({ width: mw, maxFrame })));
    this.txCdc = new PacketAsyncFifo({ width: mw, depthLog2: cdcDepth, err: true, wrDomain: pcie, rdDomain: mac });
    this.rxCdc = new PacketAsyncFifo({ width: mw, depthLog2: cdcDepth, err: true, wrDomain: mac, rdDomain: pcie });
    const { engine: e, mac: m, txBuffer, txWidth, rxWidth, txCdc, rxCdc } = this;
    this.txBuffer.discard.assign(0);

    connect(this.txTlp, e.txTlp);
    connect(e.rxTlp, this.rxTlp);
    connect(e.txFrame, txBuffer.in);
    connect(txBuffer.out, txWidth.in);
    connect(txWidth.out, txCdc.in);
    connect(txCdc.out, m.txIn);
    connect(m.xgmiiTx, this.xgmiiTx);
    connect(this.xgmiiRx, m.xgmiiRx);
    connect(m.rxOut, rxCdc.in);
    connect(rxCdc.out, rxWidth.in);
    connect(rxWidth.out, e.rxFrame);
    for (const [outer, inner] of [[this.csr, e.csr], [this.macCsr, m.csr]] as const) {
      inner.en.assign(outer.en);
      inner.we.assign(outer.we);
      inner.addr.assign(outer.addr);
      inner.wdata.assign(outer.wdata);
      outer.rdata.assign(inner.rdata);
    }
    this.irq.assign(e.irq);
  }
}
