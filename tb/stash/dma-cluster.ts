// Test wrapper: the DMA engine feeding a real DimcCluster (M-split) from the stash: weight rows through the
// cluster's WeightPort (unit bits above the row bits) and input vectors through its `in` stream. The testbench
// fills the stash through `fill` (the stash's pcieIn port), programs the DMA on `csr` and the cluster on `mucsr`,
// and takes the results from `out`. The LPDDR channels are attached but unused.
import { Module, U, connect, flip } from '../../rtl/core/index.ts';
import { CsrBus } from '../../rtl/lib/csr-bus.ts';
import { MemPort } from '../../rtl/lib/mem-port.ts';
import { Stream } from '../../rtl/lib/stream.ts';
import { DimcCluster } from '../../rtl/corsair/dimc/cluster.ts';
import { Stash } from '../../rtl/corsair/stash/stash.ts';
import { StashDma } from '../../rtl/corsair/stash/dma.ts';
import { LpddrChannel } from '../../rtl/corsair/stash/lpddr.ts';

export class DmaCluster extends Module {
  readonly csr;
  readonly mucsr;
  readonly irq = this.output(1);
  readonly fill;
  readonly out;

  constructor(readonly units: number, readonly rows: number, readonly cols: number) {
    super();
    const st = new Stash({ sizeBytes: 2048, banks: 4, wordBytes: cols, muPorts: 0 });
    const ch = [0, 1].map(() => new LpddrChannel({ sizeBytes: 256, wordBytes: cols, latency: 2, bytesPerCycle: cols }));
    const cl = new DimcCluster({ units, rows, cols, split: 'm', treeStages: 1 });
    const rowBits = Math.max(1, Math.ceil(Math.log2(rows))) + (units === 1 ? 0 : Math.ceil(Math.log2(units)));
    const dma = new StashDma({ wordBytes: cols, stashAddrBits: st.addrBits, lpddrAddrBits: ch[0]!.addrBits, weightRowBits: rowBits, fifoDepth: 4 });
    this.csr = this.port(flip(CsrBus(4)));
    this.mucsr = this.port(flip(CsrBus(4)));
    this.fill = this.port(flip(MemPort(st.addrBits, cols * 8)));
    this.out = this.port(Stream(units * rows * 32));
    connect(this.csr, dma.csr);
    connect(this.mucsr, cl.csr);
    this.irq.assign(dma.irq);
    connect(dma.stash, st.dma);
    connect(dma.lpddr[0]!, ch[0]!.bus);
    connect(dma.lpddr[1]!, ch[1]!.bus);
    connect(dma.weights, cl.wr);
    connect(dma.vectors, cl.in);
    connect(cl.out, this.out);
    connect(this.fill, st.pcieIn);
    st.cpu.valid.assign(U(0, 1));
    st.cpu.we.assign(U(0, 1));
    st.cpu.addr.assign(U(0, 32));
    st.cpu.wdata.assign(U(0, 32));
    st.cpu.be.assign(U(0, 4));
    st.pcieOut.req.valid.assign(U(0, 1));
    st.pcieOut.req.we.assign(U(0, 1));
    st.pcieOut.req.addr.assign(U(0, st.addrBits));
    st.pcieOut.req.wdata.assign(U(0, cols * 8));
    st.pcieOut.req.be.assign(U(0, cols));
  }
}
