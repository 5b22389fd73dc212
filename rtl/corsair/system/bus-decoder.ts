// The chiplet's peripheral interconnect: the dispatch engine's bus port fans out to the register ports (CsrBus) of
// the blocks, one address window each, and to memory windows (the stash) that keep the core's bus protocol. A
// register access completes in the cycle it is made (CsrBus read data is combinational); a memory window's ready
// and read data come from the memory. An access that hits no window completes at once, reads 0 and raises `fault`
// for that cycle (a testbench or an interrupt line can watch it).
import { Module, U, clog2, flip, mux, type Flip, type HwBundle, type Sig } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { DispatchBus } from '../dispatch/core.ts';

export interface BusWindow {
  /** Name of the port (for errors; the ports are `csr_<i>` and `mem_<i>` in window order). */
  readonly name: string;
  /** Byte address of the window: a multiple of its size. */
  readonly base: number;
  /** Size in bytes: a power of two, at least 4. */
  readonly size: number;
}

export interface BusDecoderOptions {
  /** Register windows: each gets a CsrBus whose word address is (addr - base) / 4. */
  readonly csr: readonly BusWindow[];
  /** Memory windows: each gets a DispatchBus with the offset inside the window as address. */
  readonly mem?: readonly BusWindow[];
}

type CsrPort = HwBundle<ReturnType<typeof CsrBus>>;
type MemBusPort = HwBundle<typeof DispatchBus>;

export class BusDecoder extends Module {
  readonly cpu: HwBundle<Flip<typeof DispatchBus>>;
  readonly csr: CsrPort[];
  readonly mem: MemBusPort[];
  readonly fault = this.output(1, { doc: 'an access hit no window (it completes at once and reads 0)' });

  constructor(readonly options: BusDecoderOptions) {
    super();
    const all = [...options.csr, ...(options.mem ?? [])];
    checkWindows(all);
    this.cpu = this.port(flip(DispatchBus));
    const { valid, we, addr, wdata, be } = this.cpu;
    const hit = (w: BusWindow): Sig => addr.slice(31, clog2(w.size)).eq((w.base >>> clog2(w.size)) >>> 0);

    this.csr = options.csr.map((w) => this.port(CsrBus(Math.max(1, clog2(w.size) - 2))));
    this.mem = (options.mem ?? []).map(() => this.port(DispatchBus));
    let ready: Sig = U(0, 1);
    let rdata: Sig = U(0, 32);
    let any: Sig = U(0, 1);
    options.csr.forEach((w, i) => {
      const p = this.csr[i]!;
      const sel = hit(w);
      const aw = p.addr.width;
      p.en.assign(valid.and(sel));
      p.we.assign(we);
      p.addr.assign(clog2(w.size) > 2 ? addr.slice(aw + 1, 2) : U(0, aw));
      p.wdata.assign(wdata);
      ready = mux(sel, U(1, 1), ready);
      rdata = mux(sel, p.rdata, rdata);
      any = any.or(sel);
    });
    (options.mem ?? []).forEach((w, i) => {
      const p = this.mem[i]!;
      const sel = hit(w);
      p.valid.assign(valid.and(sel));
      p.we.assign(we);
      p.addr.assign(addr.and(U(w.size - 1, 32)));
      p.wdata.assign(wdata);
      p.be.assign(be);
      ready = mux(sel, p.ready, ready);
      rdata = mux(sel, p.rdata, rdata);
      any = any.or(sel);
    });
    this.cpu.ready.assign(mux(any, ready, U(1, 1)));
    this.cpu.rdata.assign(mux(any, rdata, U(0, 32)));
    this.fault.assign(valid.and(any.not()));
  }
}

function checkWindows(ws: readonly BusWindow[]): void {
  const names = new Set<string>();
  for (const w of ws) {
    if (names.has(w.name)) throw new Error(`BusDecoder: two windows are named '${w.name}'`);
    names.add(w.name);
    if (!Number.isInteger(w.size) || w.size < 4 || 2 ** clog2(w.size) !== w.size) throw new Error(`BusDecoder: window '${w.name}' size ${w.size} is not a power of two >= 4`);
    if (!Number.isInteger(w.base) || w.base < 0 || w.base > 0xffff_ffff || w.base % w.size !== 0) {
      throw new Error(`BusDecoder: window '${w.name}' base 0x${w.base.toString(16)} is not a 32-bit multiple of its size 0x${w.size.toString(16)}`);
    }
  }
  for (const a of ws) {
    for (const b of ws) {
      if (a !== b && a.base < b.base + b.size && b.base < a.base + a.size) {
        throw new Error(`BusDecoder: windows '${a.name}' and '${b.name}' overlap`);
      }
    }
  }
}
