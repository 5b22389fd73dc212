// A dispatch-engine core in our simulator with a program loaded: places ELF segments into the ITCM/DTCM by
// backdoor, runs to the riscv-tests `tohost` convention, serves the peripheral bus from a TypeScript device model,
// drives interrupt lines, and reports retirements (the trace port) to a callback. Used by `npm run rv` and tests.
import { elaborate } from '../../rtl/core/index.ts';
import { DispatchCore, type DispatchCoreOptions } from '../../rtl/corsair/dispatch/core.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { Simulator, type SimOptions } from '../sim/simulator.ts';
import { attachWaves, type Waves } from '../runtime/waves.ts';
import type { MemArray } from '../sim/compile.ts';
import { ElfError, type ElfImage } from './elf.ts';

export interface Retirement {
  trap: boolean;
  pc: number;
  insn: number;
  rd: number;
  rdData: number;
  cause: number;
  memWe: boolean;
  memAddr: number;
  memWdata: number;
  memBe: number;
}

export interface BusRequest {
  we: boolean;
  addr: number;
  wdata: number;
  be: number;
}

/** A peripheral on the bus port (TypeScript model): answers requests, may hold ready low, drives interrupts. */
export interface BusDevice {
  /** Called each cycle a request is on the bus; return undefined to insert a wait state. */
  access(req: BusRequest, cycle: number): { rdata: number } | undefined;
  /** Interrupt lines after this cycle: irq (16 bits) and meip. */
  interrupts?(cycle: number): { irq: number; meip: number };
}

export interface MachineOptions {
  core?: DispatchCoreOptions;
  /** Simulator options (e.g. randomInit: start registers and memories without reset/contents at random values). */
  sim?: SimOptions;
  /** Write a VCD of the run (file name under waves/ or a path). */
  vcd?: string;
  device?: BusDevice;
  onRetire?: (r: Retirement) => void;
}

export type RunStatus = 'pass' | 'fail' | 'timeout' | 'stopped';

export interface RunResult {
  status: RunStatus;
  /** For 'fail': the failing test number (tohost >> 1). */
  testNumber?: number;
  tohost?: number;
  cycles: number;
  instret: number;
  cpi: number;
  seconds: number;
}

export class Machine {
  readonly top: DispatchCore;
  readonly sim: Simulator;
  private readonly waves: Waves | undefined;
  private tohost: { arr: MemArray; index: number } | undefined;
  private readonly slots: Record<string, number>;
  /** Cycles since reset was released. */
  cycle = 0;
  stopRequested = false;

  constructor(public opts: MachineOptions = {}) {
    this.top = new DispatchCore(opts.core);
    this.sim = new Simulator(elaborate(this.top), opts.sim);
    if (opts.vcd) this.waves = attachWaves(this.sim, { file: opts.vcd });
    const t = this.top.trace;
    const b = this.top.bus;
    const sigs = {
      tvalid: t.valid, ttrap: t.trap, tpc: t.pc, tinsn: t.insn, trd: t.rd, trdData: t.rdData, tcause: t.cause,
      tmemWe: t.memWe, tmemAddr: t.memAddr, tmemWdata: t.memWdata, tmemBe: t.memBe,
      bvalid: b.valid, bwe: b.we, baddr: b.addr, bwdata: b.wdata, bbe: b.be,
    };
    this.slots = Object.fromEntries(Object.entries(sigs).map(([k, s]) => [k, this.sim.slotOf(s)]));
  }

  /** Where a byte address lives: [memory, word index], or undefined outside the TCMs. */
  private locate(addr: number): [DispatchCore['itcm'], number] | undefined {
    const o = this.top.options;
    if (addr >= A.ITCM_BASE && addr < A.ITCM_BASE + o.itcmBytes) return [this.top.itcm, (addr - A.ITCM_BASE) >>> 2];
    if (addr >= A.DTCM_BASE && addr < A.DTCM_BASE + o.dtcmBytes) return [this.top.dtcm, (addr - A.DTCM_BASE) >>> 2];
    return undefined;
  }

  writeByte(addr: number, v: number): void {
    const loc = this.locate(addr >>> 0);
    if (!loc) throw new ElfError(`address 0x${(addr >>> 0).toString(16)} is outside the ITCM and DTCM`);
    const [m, i] = loc;
    const sh = 8 * (addr & 3);
    const old = Number(this.sim.readMemory(m, i));
    this.sim.writeMemory(m, i, ((old & ~(0xff << sh)) | ((v & 0xff) << sh)) >>> 0);
  }

  readWord(addr: number): number {
    const loc = this.locate(addr >>> 0);
    if (!loc) throw new RangeError(`address 0x${(addr >>> 0).toString(16)} is outside the ITCM and DTCM`);
    return Number(this.sim.readMemory(loc[0], loc[1]));
  }

  writeWord(addr: number, v: number): void {
    const loc = this.locate(addr >>> 0);
    if (!loc) throw new RangeError(`address 0x${(addr >>> 0).toString(16)} is outside the ITCM and DTCM`);
    this.sim.writeMemory(loc[0], loc[1], v >>> 0);
  }

  /** Load every segment (by backdoor) and find `tohost`. Throws ElfError when a segment does not fit. */
  load(img: ElfImage): void {
    for (const s of img.segments) {
      const end = s.addr + s.memsz;
      if (!this.locate(s.addr) || !this.locate(end - 1) || this.locate(s.addr)![0] !== this.locate(end - 1)![0]) {
        throw new ElfError(`segment 0x${s.addr.toString(16)}..0x${end.toString(16)} does not fit in the ITCM (0x${A.ITCM_BASE.toString(16)}, ${this.top.options.itcmBytes} bytes) or the DTCM (0x${A.DTCM_BASE.toString(16)}, ${this.top.options.dtcmBytes} bytes)`);
      }
      // whole words where possible
      let a = s.addr;
      const byteAt = (x: number) => (x - s.addr < s.data.length ? s.data[x - s.addr]! : 0);
      while (a < end && a & 3) this.writeByte(a, byteAt(a++));
      for (; a + 4 <= end; a += 4) this.writeWord(a, (byteAt(a) | (byteAt(a + 1) << 8) | (byteAt(a + 2) << 16) | (byteAt(a + 3) << 24)) >>> 0);
      while (a < end) this.writeByte(a, byteAt(a++));
    }
    const th = img.symbols.get('tohost');
    if (th !== undefined) {
      const loc = this.locate(th);
      if (!loc || th & 3) throw new ElfError(`tohost (0x${th.toString(16)}) must be a word in the ITCM or DTCM`);
      this.tohost = { arr: this.sim.memoryArray(loc[0]), index: loc[1] };
    } else this.tohost = undefined;
  }

  /** Zero both TCMs (to reuse one elaborated core for many programs). */
  clearMemories(): void {
    this.sim.memoryArray(this.top.itcm).fill(0);
    this.sim.memoryArray(this.top.dtcm).fill(0);
  }

  reset(): void {
    const rst = [...this.sim.netlist.resets.values()];
    for (const r of rst) this.sim.poke(r, 1);
    this.sim.runCycles(2);
    for (const r of rst) this.sim.poke(r, 0);
    this.sim.poke(this.top.bus.ready, 0);
    this.sim.poke(this.top.bus.rdata, 0);
    this.sim.poke(this.top.irq, 0);
    this.sim.poke(this.top.meip, 0);
    this.cycle = 0;
  }

  get instret(): number {
    return Number(this.sim.peek(this.top.minstret.lo)) + Number(this.sim.peek(this.top.minstret.hi)) * 2 ** 32;
  }

  /** Run until tohost is written, stop() is called from a callback, or maxCycles pass. */
  run(maxCycles: number): RunResult {
    const t0 = performance.now();
    const { sim } = this;
    const S = sim.S;
    const sl = this.slots;
    const th = this.tohost;
    const dev = this.opts.device;
    const onRetire = this.opts.onRetire;
    const start = this.cycle;
    const startInstret = this.instret;
    let irqPrev = 0, meipPrev = 0, readyPrev = 0;
    let status: RunStatus = 'timeout';
    let tohost: number | undefined;
    if (!dev && !onRetire && sim.sampleHooks.length === 0 && sim.clocks.length === 1) {
      // Fast path: nothing to serve each cycle but the tohost check.
      const done = () => th !== undefined && th.arr[th.index] !== 0;
      if (!done()) this.cycle += sim.runUntil(maxCycles, done);
      if (th && th.arr[th.index] !== 0) {
        tohost = th.arr[th.index]! >>> 0;
        status = tohost === 1 ? 'pass' : 'fail';
      }
    }
    while (status === 'timeout' && tohost === undefined && this.cycle - start < maxCycles) {
      sim.runCycles(1);
      this.cycle++;
      if (onRetire && S[sl.tvalid!]) {
        onRetire({
          trap: S[sl.ttrap!] !== 0, pc: S[sl.tpc!]! >>> 0, insn: S[sl.tinsn!]! >>> 0, rd: S[sl.trd!]!, rdData: S[sl.trdData!]! >>> 0,
          cause: S[sl.tcause!]! >>> 0, memWe: S[sl.tmemWe!] !== 0, memAddr: S[sl.tmemAddr!]! >>> 0, memWdata: S[sl.tmemWdata!]! >>> 0, memBe: S[sl.tmemBe!]!,
        });
      }
      if (th && th.arr[th.index] !== 0) {
        tohost = th.arr[th.index]! >>> 0;
        status = tohost === 1 ? 'pass' : 'fail';
        break;
      }
      if (this.stopRequested) {
        status = 'stopped';
        break;
      }
      if (dev) {
        let ready = 0;
        if (S[sl.bvalid!]) {
          const r = dev.access({ we: S[sl.bwe!] !== 0, addr: S[sl.baddr!]! >>> 0, wdata: S[sl.bwdata!]! >>> 0, be: S[sl.bbe!]! }, this.cycle);
          if (r) {
            ready = 1;
            sim.poke(this.top.bus.rdata, r.rdata >>> 0);
          }
        }
        if (ready !== readyPrev) sim.poke(this.top.bus.ready, (readyPrev = ready));
        if (dev.interrupts) {
          const { irq, meip } = dev.interrupts(this.cycle);
          if (irq !== irqPrev) sim.poke(this.top.irq, (irqPrev = irq));
          if (meip !== meipPrev) sim.poke(this.top.meip, (meipPrev = meip));
        }
      }
    }
    const cycles = this.cycle - start;
    const instret = this.instret - startInstret;
    const result: RunResult = { status, cycles, instret, cpi: instret ? cycles / instret : NaN, seconds: (performance.now() - t0) / 1000 };
    if (tohost !== undefined) {
      result.tohost = tohost;
      if (status === 'fail') result.testNumber = tohost >>> 1;
    }
    return result;
  }

  /** Close the waveform (if any). */
  close(): void {
    this.waves?.close(this.sim.time);
  }
}
