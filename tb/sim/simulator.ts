// The cycle simulator: compiled netlist plus clocks on one time axis in picoseconds. Each clock rises at every
// multiple of its period and falls half a period later; at a time step all rising domains update (in the order of
// netlist.domains), then combinational logic settles. Top-level inputs are poked between steps.
import type { Input, Memory, Netlist, Sig } from '../../rtl/core/index.ts';
import { pathOf } from '../../rtl/core/index.ts';
import { compile, type Compiled, type MemArray } from './compile.ts';
import { mulberry32 } from './random.ts';
import * as W from './wide.ts';

export interface SimOptions {
  /** Start registers and memories without initial contents at random values from this seed (default: zero). */
  randomInit?: number;
  /** Clock periods in ps by domain name, overriding the domains' own. */
  periods?: Record<string, number>;
  /** Statements per settle chunk (tests: small chunks exercise the activity tracking). */
  statementsPerChunk?: number;
}

export interface ClockState {
  readonly name: string;
  period: number;
  high: number;
  nextRise: number;
  nextFall: number;
  level: number;
  /** Rising edges so far. */
  cycles: number;
  readonly slot: number;
}

export class Simulator {
  readonly compiled: Compiled;
  /** The state (read-only for testbenches: drive inputs with poke(), memories with writeMemory()). */
  readonly S: Int32Array;
  readonly clocks: ClockState[];
  /** Current time in ps. */
  time = 0;
  /** Per domain: 1 if it rose / fell at the current time step. */
  readonly rose: Uint8Array;
  readonly fell: Uint8Array;
  /**
   * Called with the settled state before time moves on, once per time step (the waveform writer and the
   * co-simulation recorder hook in here). While any is present, runCycles() steps edge by edge.
   */
  readonly sampleHooks: Array<(timePs: number, state: Int32Array) => void> = [];
  private dirty = true;

  constructor(readonly netlist: Netlist, opts: SimOptions = {}) {
    this.compiled = compile(netlist, opts.statementsPerChunk === undefined ? {} : { statementsPerChunk: opts.statementsPerChunk });
    this.S = this.compiled.S;
    this.clocks = netlist.domains.map((d, i) => {
      const period = opts.periods?.[d.name] ?? d.periodPs;
      return { name: d.name, period, high: Math.floor(period / 2), nextRise: period, nextFall: period + Math.floor(period / 2), level: 0, cycles: 0, slot: this.compiled.layout.clockSlot[i]! };
    });
    for (const name of Object.keys(opts.periods ?? {})) {
      if (!netlist.domains.some((d) => d.name === name)) {
        throw new Error(`periods: no clock domain '${name}' (domains: ${netlist.domains.map((d) => d.name).join(', ')})`);
      }
    }
    this.rose = new Uint8Array(this.clocks.length);
    this.fell = new Uint8Array(this.clocks.length);
    this.initialize(opts.randomInit);
  }

  private initialize(seed: number | undefined): void {
    const { S, mems } = this.compiled;
    const rnd = seed === undefined ? undefined : mulberry32(seed);
    if (rnd) {
      for (const s of [...this.netlist.regs, ...this.netlist.memReads]) {
        const o = this.slotOf(s);
        const n = W.nlimbs(s.width);
        for (let i = 0; i < n; i++) S[o + i] = rnd();
        S[o + n - 1] = S[o + n - 1]! & W.topMask(s.width);
      }
    }
    this.netlist.memories.forEach((m, i) => fillMemory(m, mems[i]!, rnd));
    this.compiled.markAll();
    this.dirty = true;
  }

  slotOf(s: Sig): number {
    const o = this.compiled.layout.slot.get(s);
    if (o === undefined) throw new Error(`${s.describe()} is not part of the simulated design`);
    return o;
  }

  /** Drive a top-level input. Values must fit the port (negative values only for signed ports). */
  poke(s: Input | Sig, v: number | bigint | boolean): void {
    const o = this.slotOf(s);
    if (this.compiled.layout.kind[o] !== 'input') {
      throw new Error(`cannot poke ${pathOf(this.netlist, s)}: only top-level inputs are driven by the testbench`);
    }
    const b = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
    const lo = s.signed ? -(1n << BigInt(s.width - 1)) : 0n;
    const hi = s.signed ? (1n << BigInt(s.width - 1)) - 1n : (1n << BigInt(s.width)) - 1n;
    if (typeof v === 'number' && !Number.isInteger(v)) throw new RangeError(`poke ${pathOf(this.netlist, s)}: ${v} is not an integer`);
    if (b < lo || b > hi) {
      throw new RangeError(`poke ${pathOf(this.netlist, s)}: ${v} does not fit ${s.signed ? 'signed' : 'unsigned'} ${s.width} bits (${lo}..${hi})`);
    }
    if (s.width <= 32) this.S[o] = Number(BigInt.asIntN(32, b & ((1n << BigInt(s.width)) - 1n)));
    else W.fromBigInt(this.S, o, s.width, BigInt.asUintN(s.width, b));
    this.compiled.markSlot(o, W.nlimbs(s.width));
    this.dirty = true;
  }

  /** The value of any signal, as an unsigned bit pattern. */
  peek(s: Sig): bigint {
    if (this.dirty) this.settle();
    const p = this.compiled.probeIndex.get(s);
    if (p !== undefined) return BigInt(this.compiled.probe(p) >>> 0);
    return W.toBigInt(this.S, this.slotOf(s), s.width);
  }

  /** The value of a signal of up to 53 bits as a number (signed signals as negative numbers). */
  peekNumber(s: Sig): number {
    if (this.dirty) this.settle();
    const o = this.slotOf(s);
    if (s.width <= 32) {
      const p = this.compiled.probeIndex.get(s);
      const v = p !== undefined ? this.compiled.probe(p) : this.S[o]!;
      return s.signed ? (s.width === 32 ? v : (v << (32 - s.width)) >> (32 - s.width)) : v >>> 0;
    }
    if (s.width > 53) throw new RangeError(`${pathOf(this.netlist, s)} is ${s.width} bits wide: read it as a bigint`);
    const u = W.toBigInt(this.S, o, s.width);
    return Number(s.signed ? BigInt.asIntN(s.width, u) : u);
  }

  /** Remove a sample hook added to sampleHooks. */
  removeSampleHook(h: (timePs: number, state: Int32Array) => void): void {
    const i = this.sampleHooks.indexOf(h);
    if (i >= 0) this.sampleHooks.splice(i, 1);
  }

  settle(): void {
    this.compiled.settle();
    this.dirty = false;
  }

  /** The time of the next clock event. */
  nextEventTime(): number {
    let t = Infinity;
    for (const c of this.clocks) t = Math.min(t, c.nextRise, c.nextFall);
    return t;
  }

  /**
   * Advance to the next clock event, or to `limit` if that comes first (a time with no edge, for delays).
   * Returns true if some domain rose.
   */
  step(limit = Infinity): boolean {
    if (this.dirty) this.settle();
    for (const h of this.sampleHooks) h(this.time, this.S);
    const t = this.nextEventTime();
    this.rose.fill(0);
    this.fell.fill(0);
    if (limit < t) {
      this.time = limit;
      return false;
    }
    this.time = t;
    let any = false;
    for (let i = 0; i < this.clocks.length; i++) {
      const c = this.clocks[i]!;
      if (c.nextFall === t) {
        c.level = 0;
        this.S[c.slot] = 0;
        this.compiled.markSlot(c.slot);
        c.nextFall += c.period;
        this.fell[i] = 1;
      }
      if (c.nextRise === t) {
        c.level = 1;
        this.S[c.slot] = 1;
        this.compiled.markSlot(c.slot);
        c.nextRise += c.period;
        c.cycles++;
        this.rose[i] = 1;
        any = true;
      }
    }
    if (any) {
      const phases = this.compiled.phases;
      for (let p = 0; p < 3; p++) for (let i = 0; i < phases.length; i++) if (this.rose[i]) phases[i]![p]!();
      this.settle();
    }
    return any;
  }

  /**
   * Run n cycles of a single-clock design as fast as possible (no waveform, no clock bookkeeping per step):
   * time and cycle counts are updated at the end. Falls back to step() when the design has several clocks or a
   * sample hook (waveform, recorder) is attached.
   */
  runCycles(n: number, domain = 0): void {
    const c = this.clocks[domain]!;
    if (this.clocks.length !== 1 || this.sampleHooks.length) {
      const target = c.cycles + n;
      while (c.cycles < target) this.step();
      return;
    }
    if (n <= 0) return;
    this.beforeDirectRun(c);
    this.compiled.run(n, domain);
    this.afterDirectRun(c, n, domain);
  }

  /**
   * Run up to n cycles of one domain, stopping after the first cycle at which stop() holds; returns the cycles
   * run. On a single-clock design with no sample hook this steps the compiled design directly (no per-cycle
   * clock bookkeeping), so a per-cycle check costs little more than the cycle.
   */
  runUntil(n: number, stop: () => boolean, domain = 0): number {
    const c = this.clocks[domain]!;
    if (n <= 0) return 0;
    if (this.clocks.length !== 1 || this.sampleHooks.length) {
      for (let i = 1; i <= n; i++) {
        const target = c.cycles + 1;
        while (c.cycles < target) this.step();
        if (stop()) return i;
      }
      return n;
    }
    this.beforeDirectRun(c);
    const run = this.compiled.run;
    let i = 0;
    while (i < n) {
      run(1, domain);
      i++;
      if (stop()) break;
    }
    this.afterDirectRun(c, i, domain);
    return i;
  }

  /** Before stepping the compiled design directly: let a pending falling edge happen, and settle. */
  private beforeDirectRun(c: ClockState): void {
    while (c.nextFall < c.nextRise) this.step();
    if (this.dirty) this.settle();
  }

  /** After n direct rising edges of clock c: bring time, counts and the clock level up to date. */
  private afterDirectRun(c: ClockState, n: number, domain: number): void {
    this.time = c.nextRise + (n - 1) * c.period;
    c.cycles += n;
    c.nextRise = this.time + c.period;
    c.nextFall = this.time + c.high;
    c.level = 1;
    this.S[c.slot] = 1;
    this.compiled.markSlot(c.slot);
    this.rose.fill(0);
    this.rose[domain] = 1;
  }

  /**
   * The storage of a memory. The caller may write it now: logic reading the memory is re-evaluated at the next
   * settle. Settle re-evaluates only logic whose inputs changed, so writes made later through a kept reference
   * need another memoryArray() call (or writeMemory) to be seen by asynchronous read ports.
   */
  memoryArray(m: Memory): MemArray {
    const a = this.memStorage(m);
    this.compiled.markAll();
    this.dirty = true;
    return a;
  }

  private memStorage(m: Memory): MemArray {
    const i = this.compiled.memIndex.get(m);
    if (i === undefined) throw new Error(`memory ${m.name} is not part of the simulated design`);
    return this.compiled.mems[i]!;
  }

  /** Read word i of a memory (backdoor, for testbenches). */
  readMemory(m: Memory, i: number): bigint {
    const a = this.memStorage(m);
    const n = W.nlimbs(m.width);
    if (n === 1) return BigInt(a[i]! >>> 0) & ((1n << BigInt(m.width)) - 1n);
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 32n) | BigInt(a[i * n + k]! >>> 0);
    return v;
  }

  /** Memory words written by backdoor (co-simulation cannot replay them). */
  backdoorWrites = 0;

  /** Write word i of a memory (backdoor, for testbenches and program loaders). */
  writeMemory(m: Memory, i: number, v: bigint | number): void {
    this.backdoorWrites++;
    const a = this.memStorage(m);
    const b = BigInt(v);
    if (i < 0 || i >= m.depth || !Number.isInteger(i)) throw new RangeError(`memory ${m.name}: word ${i} is outside 0..${m.depth - 1}`);
    if (b < 0n || b >= 1n << BigInt(m.width)) throw new RangeError(`memory ${m.name}: ${v} does not fit ${m.width} bits`);
    const n = W.nlimbs(m.width);
    for (let k = 0; k < n; k++) a[i * n + k] = Number(BigInt.asIntN(32, b >> BigInt(32 * k)));
    this.compiled.markAll();
    this.dirty = true;
  }
}

function fillMemory(m: Memory, a: MemArray, rnd: (() => number) | undefined): void {
  const n = W.nlimbs(m.width);
  const top = W.topMask(m.width);
  if (m.init) {
    for (let i = 0; i < m.depth; i++) {
      const v = m.initialWord(i);
      if (v === undefined) continue;
      if (n === 1) a[i] = Number(BigInt.asIntN(32, v));
      else for (let k = 0; k < n; k++) a[i * n + k] = Number(BigInt.asIntN(32, v >> BigInt(32 * k)));
    }
    return;
  }
  if (!rnd) return;
  if (n === 1) for (let i = 0; i < m.depth; i++) a[i] = rnd() & top;
  else
    for (let i = 0; i < m.depth; i++) {
      for (let k = 0; k < n; k++) a[i * n + k] = rnd();
      a[i * n + n - 1] = a[i * n + n - 1]! & top;
    }
}
