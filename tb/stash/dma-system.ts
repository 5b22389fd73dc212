// Test wrapper: the DMA engine with the stash, two LPDDR channel models and the matrix-unit ports brought out. The
// testbench programs the DMA through `csr`, fills and reads the stash through the stash's `pcieIn` port (front
// door), and plays the matrix units on `weights` and `vectors`. The stash's other ports are idle.
import { Module, U, connect, flip } from '../../rtl/core/index.ts';
import { CsrBus } from '../../rtl/lib/csr-bus.ts';
import { MemPort } from '../../rtl/lib/mem-port.ts';
import { Stream } from '../../rtl/lib/stream.ts';
import { WeightPort } from '../../rtl/corsair/dimc/regs.ts';
import { Stash, type StashOptions } from '../../rtl/corsair/stash/stash.ts';
import { StashDma } from '../../rtl/corsair/stash/dma.ts';
import { LpddrChannel, type LpddrChannelOptions } from '../../rtl/corsair/stash/lpddr.ts';

export interface DmaSystemOptions {
  stash: StashOptions;
  lpddr: LpddrChannelOptions;
  fifoDepth?: number;
  weightRowBits?: number;
}

export class DmaSystem extends Module {
  readonly stash: Stash;
  readonly dma: StashDma;
  readonly ch: LpddrChannel[];
  readonly csr;
  readonly irq = this.output(1);
  readonly fill;
  readonly weights;
  readonly vectors;

  constructor(o: DmaSystemOptions) {
    super();
    const st = new Stash({ muPorts: 0, ...o.stash });
    const wb = st.options.wordBytes;
    const ch = [0, 1].map(() => new LpddrChannel({ ...o.lpddr, wordBytes: wb }));
    const dma = new StashDma({ wordBytes: wb, stashAddrBits: st.addrBits, lpddrAddrBits: ch[0]!.addrBits, fifoDepth: o.fifoDepth, weightRowBits: o.weightRowBits });
    this.stash = st;
    this.dma = dma;
    this.ch = ch;
    this.csr = this.port(flip(CsrBus(4)));
    this.fill = this.port(flip(MemPort(st.addrBits, wb * 8)));
    this.weights = this.port(WeightPort(dma.options.weightRowBits, wb * 8));
    this.vectors = this.port(Stream(wb * 8));
    connect(this.csr, dma.csr);
    this.irq.assign(dma.irq);
    connect(dma.stash, st.dma);
    connect(dma.lpddr[0]!, ch[0]!.bus);
    connect(dma.lpddr[1]!, ch[1]!.bus);
    connect(dma.weights, this.weights);
    connect(dma.vectors, this.vectors);
    connect(this.fill, st.pcieIn);
    st.cpu.valid.assign(U(0, 1));
    st.cpu.we.assign(U(0, 1));
    st.cpu.addr.assign(U(0, 32));
    st.cpu.wdata.assign(U(0, 32));
    st.cpu.be.assign(U(0, 4));
    for (const p of [st.pcieOut, ...st.mu]) {
      p.req.valid.assign(U(0, 1));
      p.req.we.assign(U(0, 1));
      p.req.addr.assign(U(0, st.addrBits));
      p.req.wdata.assign(U(0, wb * 8));
      p.req.be.assign(U(0, wb));
    }
  }
}
