// Test wrapper: the dispatch core with the stash as its data memory on the bus port (the chiplet interconnect's
// decode of DISPATCH_ADDR.BUS_STASH, reduced to the one window), the program in the TCMs' initial contents. Bus
// accesses outside the stash window complete at once and read 0. The stash's other ports are idle. The core's
// retirement trace is the wrapper's output, so a testbench can compare it with the reference model.
import { Module, U, mux } from '../../rtl/core/index.ts';
import { DispatchCore, RetireTrace } from '../../rtl/corsair/dispatch/core.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { Stash, type StashOptions } from '../../rtl/corsair/stash/stash.ts';

export class CoreWithStash extends Module {
  trace = this.port(RetireTrace);
  readonly core: DispatchCore;
  readonly stash: Stash;

  constructor(itcmInit: ArrayLike<number>, dtcmInit: ArrayLike<number>, stash: StashOptions) {
    super();
    const core = new DispatchCore({ itcmBytes: itcmInit.length * 4, dtcmBytes: dtcmInit.length * 4, itcmInit, dtcmInit });
    const st = new Stash(stash);
    this.core = core;
    this.stash = st;
    const hit = core.bus.addr.slice(31, 23).eq(A.BUS_STASH >>> 23);
    st.cpu.valid.assign(core.bus.valid.and(hit));
    st.cpu.we.assign(core.bus.we);
    st.cpu.addr.assign(core.bus.addr);
    st.cpu.wdata.assign(core.bus.wdata);
    st.cpu.be.assign(core.bus.be);
    core.bus.ready.assign(mux(hit, st.cpu.ready, U(1, 1)));
    core.bus.rdata.assign(mux(hit, st.cpu.rdata, U(0, 32)));
    core.irq.assign(U(0, 16));
    core.meip.assign(U(0, 1));
    for (const p of [st.dma, st.pcieIn, st.pcieOut, ...st.mu]) {
      p.req.valid.assign(U(0, 1));
      p.req.we.assign(U(0, 1));
      p.req.addr.assign(U(0, st.addrBits));
      p.req.wdata.assign(U(0, p.req.wdata.width));
      p.req.be.assign(U(0, p.req.be.width));
    }
    for (const k of Object.keys(RetireTrace) as Array<keyof typeof RetireTrace>) this.trace[k].assign(core.trace[k]);
  }
}
