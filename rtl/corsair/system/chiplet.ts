// One Corsair chiplet as the pipeline uses it: the RISC-V dispatch engine steering a DIMC matrix unit (64x64
// INT8), the stash that feeds it, the stash DMA (weights and input vectors into the unit, LPDDR channels), the
// result buffer the engine reads results through, and the PCIe side: the peer-to-peer write engine (outbound TLPs)
// and the inbound endpoint (writes into the stash; the doorbell raises "go"). All of it hangs off the engine's bus
// through the chiplet bus decoder at the addresses of DISPATCH_ADDR.
import { Module, U, cat, connect, flip, type Flip, type HwBundle } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';
import { DispatchCore } from '../dispatch/core.ts';
import { DISPATCH_ADDR as A, DISPATCH_IRQ as IRQ } from '../dispatch/address-map.ts';
import { DimcMatrixUnit } from '../dimc/matrix-unit.ts';
import { DimcResultBuffer } from '../dimc/result-buffer.ts';
import { Stash } from '../stash/stash.ts';
import { StashDma } from '../stash/dma.ts';
import { LpddrChannel } from '../stash/lpddr.ts';
import { P2pEngine } from '../pcie/p2p-engine.ts';
import { PcieEndpoint } from '../pcie/endpoint.ts';
import { BusDecoder } from './bus-decoder.ts';

export interface ChipletOptions {
  /** Card index in the server and chiplet index in the card: they place the chiplet's window in the card BAR. */
  card?: number;
  chiplet?: number;
  /** Stash bytes (default 6 MiB, the published size). */
  stashBytes?: number;
  /** Bytes modelled in each of the two LPDDR5X channels (default 64 KiB: a model cannot hold 128 GB). */
  lpddrBytes?: number;
  /** The dispatch engine's boot image (ITCM words). */
  firmware?: ArrayLike<number>;
  /** TLP datapath width in bits (default 512: 64 B a cycle at 1 GHz, Gen5 x16). */
  tlpWidth?: number;
  /** ITCM and DTCM bytes (default 16 KiB and 4 KiB: the pipeline firmware is small). */
  itcmBytes?: number;
  dtcmBytes?: number;
}

const PTYPE = (w: number) => PacketStream(w);

export class Chiplet extends Module {
  /** Peer-to-peer writes leaving the chiplet (towards the card's PCIe port). */
  readonly tlpOut: HwBundle<ReturnType<typeof PTYPE>>;
  /** Writes arriving for the chiplet's window (stash, doorbell). */
  readonly tlpIn: HwBundle<Flip<ReturnType<typeof PTYPE>>>;
  readonly core: DispatchCore;
  readonly bus: BusDecoder;
  readonly mu: DimcMatrixUnit;
  readonly results: DimcResultBuffer;
  readonly stash: Stash;
  readonly dma: StashDma;
  readonly lpddr: LpddrChannel[];
  readonly p2p: P2pEngine;
  readonly ep: PcieEndpoint;

  constructor(readonly options: ChipletOptions = {}) {
    super();
    const width = options.tlpWidth ?? 512;
    const stashBytes = options.stashBytes ?? 6 * 2 ** 20;
    this.tlpOut = this.port(PacketStream(width));
    this.tlpIn = this.port(flip(PacketStream(width)));

    this.core = new DispatchCore({ itcmBytes: options.itcmBytes ?? 16 * 1024, dtcmBytes: options.dtcmBytes ?? 4 * 1024, itcmInit: options.firmware });
    this.mu = new DimcMatrixUnit({ rows: 64, cols: 64 });
    this.results = new DimcResultBuffer(64, this.mu.accWidth);
    this.stash = new Stash({ sizeBytes: stashBytes, muPorts: 0 });
    const aw = this.stash.addrBits;
    this.lpddr = [0, 1].map(() => new LpddrChannel({ sizeBytes: options.lpddrBytes ?? 64 * 1024 }));
    this.dma = new StashDma({ stashAddrBits: aw, lpddrAddrBits: this.lpddr[0]!.addrBits, weightRowBits: 6 });
    this.p2p = new P2pEngine({ width, addrBits: aw });
    this.ep = new PcieEndpoint({ width, addrBits: aw, card: options.card ?? 0, chiplet: options.chiplet ?? 0, stashBytes });

    const mu = this.mu.csr.addr.width;
    const rb = this.results.csr.addr.width;
    const blk = this.dma.csr.addr.width;
    this.bus = new BusDecoder({
      csr: [
        { name: 'mu0', base: A.BUS_MATRIX, size: 4 << mu },
        { name: 'result0', base: A.BUS_MATRIX + A.BUS_MATRIX_RESULT, size: 4 << rb },
        { name: 'dma', base: A.BUS_STASH_DMA, size: 4 << blk },
        { name: 'p2p', base: A.BUS_PCIE_P2P, size: 4 << this.p2p.csr.addr.width },
        { name: 'ep', base: A.BUS_PCIE_EP, size: 4 << this.ep.csr.addr.width },
      ],
      mem: [{ name: 'stash', base: A.BUS_STASH, size: A.BUS_STASH_SIZE }],
    });
    connect(this.core.bus, this.bus.cpu);
    const [csrMu, csrRb, csrDma, csrP2p, csrEp] = this.bus.csr;
    connect(csrMu!, this.mu.csr);
    connect(csrRb!, this.results.csr);
    connect(csrDma!, this.dma.csr);
    connect(csrP2p!, this.p2p.csr);
    connect(csrEp!, this.ep.csr);
    // the bus window is 8 MiB; the stash decodes the low bits it has (the engine must stay inside the stash)
    const sb = this.bus.mem[0]!;
    this.stash.cpu.valid.assign(sb.valid);
    this.stash.cpu.we.assign(sb.we);
    this.stash.cpu.addr.assign(sb.addr);
    this.stash.cpu.wdata.assign(sb.wdata);
    this.stash.cpu.be.assign(sb.be);
    sb.ready.assign(this.stash.cpu.ready);
    sb.rdata.assign(this.stash.cpu.rdata);

    connect(this.dma.stash, this.stash.dma);
    this.lpddr.forEach((ch, i) => connect(this.dma.lpddr[i]!, ch.bus));
    connect(this.dma.weights, this.mu.wr);
    connect(this.dma.vectors, this.mu.in);
    connect(this.mu.out, this.results.in);
    connect(this.p2p.mem, this.stash.pcieOut);
    connect(this.p2p.tlp, this.tlpOut);
    connect(this.tlpIn, this.ep.tlp);
    connect(this.ep.mem, this.stash.pcieIn);

    const irq = Array.from({ length: 16 }, (_, i) =>
      i === IRQ.P2P_GO ? this.ep.irq : i === IRQ.PCIE_P2P_DONE ? this.p2p.irq : i === IRQ.STASH_DMA_DONE ? this.dma.irq : U(0, 1));
    this.core.irq.assign(cat(...irq.reverse()));
    this.core.meip.assign(U(0, 1));
  }
}
