// Benchmark wrapper of the peer-to-peer path, self-stimulating (the bench holds every input constant): a sequencer
// programs card 0's engine for a 1 MB transfer into card 1's chiplet 0 through a link (115 ns) and a PCIe switch
// (650 ns), waits for the go interrupt, clears it, acknowledges the engine and starts again, forever. Outputs
// summarise the last transfer (credits: 255 PH and 8192 PD per link, enough for the 2 x 765 ns round trip): cycles from start to go, from the first TLP beat sent to go, and the count.
import { Module, U, connect, mux, select, when } from '../../rtl/core/index.ts';
import type { Output } from '../../rtl/core/index.ts';
import { MemPortRam } from '../../rtl/lib/mem-port-ram.ts';
import { fire } from '../../rtl/lib/stream.ts';
import { P2pEngine } from '../../rtl/corsair/pcie/p2p-engine.ts';
import { PcieEndpoint } from '../../rtl/corsair/pcie/endpoint.ts';
import { PcieLink } from '../../rtl/corsair/pcie/link.ts';
import { PcieSwitch, cardWindow } from '../../rtl/corsair/pcie/switch.ts';
import { P2P_BIT, P2P_REG, PCIE_EP_REG } from '../../rtl/corsair/pcie/regs.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';

export interface P2pBenchOptions {
  bytes?: number;
  mps?: number;
  linkLatencyNs?: number;
  switchLatencyNs?: number;
  pdCredits?: number;
}

export class P2pBench extends Module {
  /** Transfers completed (go seen). */
  readonly transfers: Output;
  /** Cycles from START to go of the last transfer. */
  readonly totalCycles: Output;
  /** Cycles from the first TLP beat leaving the engine to go, last transfer. */
  readonly latencyCycles: Output;
  /** Cycles from the first TLP beat sent to its arrival at the endpoint, last transfer. */
  readonly firstByteCycles: Output;
  readonly opts: Required<P2pBenchOptions>;

  constructor(o: P2pBenchOptions = {}) {
    super();
    const opts = { bytes: o.bytes ?? 1 << 20, mps: o.mps ?? 512, linkLatencyNs: o.linkLatencyNs ?? 115, switchLatencyNs: o.switchLatencyNs ?? 650, pdCredits: o.pdCredits ?? 8192 };
    this.opts = opts;
    const width = 512;
    const addrBits = 21;
    this.transfers = this.output(32);
    this.totalCycles = this.output(32);
    this.latencyCycles = this.output(32);
    this.firstByteCycles = this.output(32);
    const engine = new P2pEngine({ width, addrBits });
    // source: a pattern computed from the word index (a cheap init for all three simulators)
    const src = new MemPortRam({ addrBits, dataBits: width, readLatency: 2, init: (i: number) => BigInt(i) * 0x9e3779b97f4a7c15n });
    connect(engine.mem, src.mem);
    const link = new PcieLink({ width, latencyNs: opts.linkLatencyNs, phCredits: 255, pdCredits: opts.pdCredits });
    connect(engine.tlp, link.in);
    const sw = new PcieSwitch({ width, downstream: [[cardWindow(0)], [cardWindow(1)]], latencyNs: opts.switchLatencyNs, link: { phCredits: 255, pdCredits: opts.pdCredits } });
    connect(link.out, sw.down[0]!.rx);
    const ep = new PcieEndpoint({ width, addrBits, card: 1, chiplet: 0, stashBytes: 2 ** addrBits });
    connect(sw.down[1]!.tx, ep.tlp);
    const dst = new MemPortRam({ addrBits, dataBits: width });
    connect(ep.mem, dst.mem);
    for (const p of [sw.up.rx, sw.down[1]!.rx]) {
      p.valid.assign(0);
      p.data.assign(0);
      p.last.assign(0);
      p.bytes.assign(0);
    }
    sw.up.tx.ready.assign(1);
    sw.down[0]!.tx.ready.assign(1);

    // ---- sequencer: program, start, wait for go, clear it, ack the engine, repeat
    const base = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.CARD_BAR_SIZE);
    const dstAddr = base + 0x40n;
    const flag = base + BigInt(PCIE_MAP.DOORBELL_OFFSET);
    const prog: Array<[number, number]> = [
      [P2P_REG.SRC, 0], [P2P_REG.DST_LO, Number(dstAddr & 0xffff_ffffn)], [P2P_REG.DST_HI, Number(dstAddr >> 32n)],
      [P2P_REG.LEN, opts.bytes], [P2P_REG.FLAG_LO, Number(flag & 0xffff_ffffn)], [P2P_REG.FLAG_HI, Number(flag >> 32n)],
      [P2P_REG.FLAG_VALUE, 1], [P2P_REG.MPS, opts.mps], [P2P_REG.REQ_ID, 0x0100], [P2P_REG.CMD, P2P_BIT.CMD_START],
    ];
    const step = this.reg(4);
    const f = this.fsm(['PROG', 'WAIT_GO', 'CLEAR', 'WAIT_DONE', 'ACK'] as const);
    const cyc = this.reg(32);
    cyc.set(cyc.add(1));
    const tStart = this.reg(32);
    const tFirst = this.reg(32);
    const tArrive = this.reg(32);
    const seenFirst = this.reg(1);
    const seenArrive = this.reg(1);
    const count = this.reg(32);
    const total = this.reg(32);
    const lat = this.reg(32);
    const fb = this.reg(32);
    const inProg = f.is('PROG');
    engine.csr.en.assign(inProg.or(f.is('ACK')));
    engine.csr.we.assign(1);
    engine.csr.addr.assign(mux(inProg, select(step, prog.map(([a]) => U(a, 4))), U(P2P_REG.CMD, 4)));
    engine.csr.wdata.assign(mux(inProg, select(step, prog.map(([, d]) => U(d >>> 0, 32))), U(P2P_BIT.CMD_ACK, 32)));
    ep.csr.en.assign(f.is('CLEAR'));
    ep.csr.we.assign(1);
    ep.csr.addr.assign(PCIE_EP_REG.STATUS);
    ep.csr.wdata.assign(1);
    when(fire(engine.tlp).and(seenFirst.not()), () => {
      seenFirst.set(1);
      tFirst.set(cyc);
    });
    when(fire(ep.tlp).and(seenArrive.not()), () => {
      seenArrive.set(1);
      tArrive.set(cyc);
    });
    f.on({
      PROG: () => {
        step.set(step.add(1));
        when(step.eq(prog.length - 1), () => {
          step.set(0);
          tStart.set(cyc);
          seenFirst.set(0);
          seenArrive.set(0);
          f.goto('WAIT_GO');
        });
      },
      WAIT_GO: () => when(ep.irq, () => {
        count.set(count.add(1));
        total.set(cyc.sub(tStart));
        lat.set(cyc.sub(tFirst));
        fb.set(tArrive.sub(tFirst));
        f.goto('CLEAR');
      }),
      CLEAR: () => f.goto('WAIT_DONE'),
      WAIT_DONE: () => when(engine.irq, () => f.goto('ACK')),
      ACK: () => f.goto('PROG'),
    });
    this.transfers.assign(count);
    this.totalCycles.assign(total);
    this.latencyCycles.assign(lat);
    this.firstByteCycles.assign(fb);
  }
}

