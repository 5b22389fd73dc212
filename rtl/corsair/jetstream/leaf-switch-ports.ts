// A leaf switch as a box with Ethernet ports: the LeafSwitch (forwarding by destination MAC, output queues) with an
// 802.3 MAC on every port, so each port is an XGMII pair. Switch and MACs run in one clock (the MAC clock: build it
// with withDomain(mac, ...)). Each ingress MAC checks the FCS and stores the frame (store-and-forward), so a frame
// enters the crossbar complete and the egress MAC never underruns; the switch itself is cut-through by default.
import { Module, connect, flip, type Flip, type HwBundle, type Output } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import type { BufferMode } from './engine-packet-buffer.ts';
import { LeafSwitch } from './leaf-switch.ts';
import { Mac } from './mac.ts';
import { Mac400 } from './mac400.ts';
import { Xgmii } from './xgmii.ts';

export interface LeafSwitchPortsOptions {
  /** Number of ports, 2..16. */
  ports: number;
  /** The MAC address of the station on each port (the forwarding table). */
  portMacs: readonly bigint[];
  /** Port width in bits: 64 (Mac) or 512/1024 (Mac400). Default 1024 (400G at 390.625 MHz). */
  width?: number;
  mode?: BufferMode;
  /** Switch latency in ns (see LeafSwitch). Default 0 (its minimum). */
  latencyNs?: number;
  /** The clock period in ps (for latencyNs). Default 2560. */
  clockPeriodPs?: number;
  /** Largest frame the MACs accept, DA..FCS. Default 9018. */
  maxFrame?: number;
  /** Switch output queues, 2^n beats each. Default LeafSwitch's (two jumbo frames). */
  queueDepthLog2?: number;
}

export class LeafSwitchPorts extends Module {
  readonly xgmiiTx: Array<HwBundle<ReturnType<typeof Xgmii>>>;
  readonly xgmiiRx: Array<HwBundle<Flip<ReturnType<typeof Xgmii>>>>;
  /** Each port MAC's statistics registers (MAC_REG). */
  readonly csr: Array<HwBundle<Flip<ReturnType<typeof CsrBus>>>>;
  /** Frames the switch dropped (unknown DA; store-and-forward: err or too large). Wraps. */
  readonly dropped: Output;
  /** Frames the switch forwarded. Wraps. */
  readonly forwarded: Output;
  readonly sw: LeafSwitch;
  readonly macs: Array<Mac | Mac400>;

  constructor(o: LeafSwitchPortsOptions) {
    super();
    const width = o.width ?? 1024;
    const maxFrame = o.maxFrame ?? 9018;
    if (![64, 512, 1024].includes(width)) throw new Error(`LeafSwitchPorts: width must be 64, 512 or 1024, got ${width}`);
    this.sw = new LeafSwitch({
      ports: o.ports, portMacs: o.portMacs, width, mode: o.mode, latencyNs: o.latencyNs, clockPeriodPs: o.clockPeriodPs,
      queueDepthLog2: o.queueDepthLog2,
    });
    this.xgmiiTx = [];
    this.xgmiiRx = [];
    this.csr = [];
    this.macs = [];
    this.dropped = this.output(32, { doc: 'frames dropped by the switch' });
    this.forwarded = this.output(32, { doc: 'frames forwarded by the switch' });
    for (let i = 0; i < o.ports; i++) {
      const tx = this.port(Xgmii(width));
      const rx = this.port(flip(Xgmii(width)));
      const csr = this.port(flip(CsrBus(4)));
      const m = width === 64 ? new Mac({ width, maxFrame }) : new Mac400({ width, maxFrame });
      connect(m.xgmiiTx, tx);
      connect(rx, m.xgmiiRx);
      connect(m.rxOut, this.sw.in[i]!);
      connect(this.sw.out[i]!, m.txIn);
      m.csr.en.assign(csr.en);
      m.csr.we.assign(csr.we);
      m.csr.addr.assign(csr.addr);
      m.csr.wdata.assign(csr.wdata);
      csr.rdata.assign(m.csr.rdata);
      this.xgmiiTx.push(tx);
      this.xgmiiRx.push(rx);
      this.csr.push(csr);
      this.macs.push(m);
    }
    this.dropped.assign(this.sw.dropped);
    this.forwarded.assign(this.sw.forwarded);
  }
}
