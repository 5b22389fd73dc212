// Random circuits for differential testing of the compiled simulator against the reference interpreter
// (reference.ts). A circuit is a plain description (numbers, booleans, bigints, arrays) that fast-check generates
// and shrinks; FuzzTop turns it into a Module. Every reference to another signal is an index taken modulo the
// signals available at that point, and every operand is fitted to the width and signedness its operator needs
// (trunc / resize / casts), so any description, including every shrunk one, elaborates without errors.
// Registers and synchronous read ports exist before the logic (their enables and addresses are wires driven at
// the end), so the logic may read them and feed them back; the logic itself only reads what came before it, so
// it has no combinational loops.
import fc from 'fast-check';
import {
  ClockDomain, Module, cat, clog2, elaborate, lit, mux, pathOf, select, when,
  type Input, type Memory, type Netlist, type Output, type Reg, type ResetKind, type Sig, type Wire,
} from '../../rtl/core/index.ts';
import { Simulator } from './simulator.ts';
import { ReferenceSim } from './reference.ts';

// ---------------------------------------------------------------------------------------------------------------
// Circuit descriptions

export const OPS = [
  'const', 'add', 'sub', 'addc', 'subc', 'neg', 'mul', 'and', 'or', 'xor', 'not',
  'shlk', 'shrk', 'srak', 'shl', 'shr', 'sra', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'cat', 'slice', 'bit', 'rep', 'mux', 'select', 'andR', 'orR', 'xorR',
  'zext', 'sext', 'resize', 'trunc', 'asSigned', 'asUnsigned', 'memrda', 'wire', 'wwhen', 'sub',
] as const;
export type OpName = (typeof OPS)[number];

export interface NodeDesc {
  op: OpName;
  /** Result / operand width and a second width (meaning depends on the operator). */
  w: number;
  w2: number;
  s: boolean;
  /** Operand references (indexes modulo what is available). */
  a: number;
  b: number;
  c: number;
  /** A small parameter: shift amount, slice offset, repeat count, ... */
  k: number;
  /** A constant's raw value. */
  v: bigint;
}

export interface RegDesc {
  w: number;
  s: boolean;
  domain: number;
  reset: ResetKind | 'default';
  init: bigint;
  d: number;
  en: number | undefined;
  /** Load only under when(cond). */
  cond: number | undefined;
}

export interface MemReadDesc {
  addr: number;
  /** Address width relative to the memory's: 0 exact, 1 one bit more, 2 one less, 3 32 bits. */
  aw: number;
  en: number | undefined;
  domain: number;
}

export interface MemWriteDesc extends MemReadDesc {
  data: number;
  mask: { kind: 'byte' | 'bit'; ref: number } | undefined;
}

export interface MemDesc {
  depth: number;
  w: number;
  rdw: 'old' | 'new';
  init: bigint[] | undefined;
  reads: MemReadDesc[];
  writes: MemWriteDesc[];
}

export interface DomainDesc {
  period: number;
  reset: ResetKind;
}

export interface CircuitDesc {
  domains: DomainDesc[];
  inputs: Array<{ w: number; s: boolean }>;
  regs: RegDesc[];
  mems: MemDesc[];
  nodes: NodeDesc[];
  outputs: number[];
  /** Widest value extensions may make (default 300). */
  widthCap?: number;
}

export interface CircuitLimits {
  maxNodes?: number;
  maxRegs?: number;
  maxMems?: number;
  maxDomains?: number;
  maxWidth?: number;
  /** Let the ports of one memory be in different clock domains (default on; false keeps them in one). */
  crossDomainMemories?: boolean;
}

/** Raw values: negative markers stand for interesting patterns of whatever width they meet. */
export const rawArb: fc.Arbitrary<bigint> = fc.oneof(
  { arbitrary: fc.constantFrom(-1n, -2n, -3n, -4n, -5n), weight: 2 },
  { arbitrary: fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), weight: 2 },
  { arbitrary: fc.bigInt({ min: 0n, max: 40n }), weight: 1 },
);

const maskOf = (w: number): bigint => (1n << BigInt(w)) - 1n;

/** A raw value as a w-bit pattern. */
export function pattern(raw: bigint, w: number): bigint {
  switch (raw) {
    case -1n: return maskOf(w);
    case -2n: return 1n << BigInt(w - 1);
    case -3n: return maskOf(w - 1);
    case -4n: return 0n;
    case -5n: return 1n;
    default: return raw & maskOf(w);
  }
}

export function circuitArb(lim: CircuitLimits = {}): fc.Arbitrary<CircuitDesc> {
  const maxW = lim.maxWidth ?? 130;
  const width = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: maxW }), weight: 3 },
    { arbitrary: fc.constantFrom(...[1, 2, 8, 16, 31, 32, 33, 63, 64, 65, 96, 97, 128, 129, 255, 256, 257, 288, 300, 511, 512, 513, 1023, 1024, 1025, 1100].filter((w) => w <= maxW)), weight: 2 },
  );
  const ref = fc.nat({ max: 10_000 });
  const optRef = fc.option(ref, { nil: undefined, freq: 2 });
  const domainRef = fc.nat({ max: 2 });
  const node: fc.Arbitrary<NodeDesc> = fc.record({
    op: fc.constantFrom(...OPS),
    w: width,
    w2: width,
    s: fc.boolean(),
    a: ref,
    b: ref,
    c: ref,
    k: fc.nat({ max: 300 }),
    v: rawArb,
  });
  const reg: fc.Arbitrary<RegDesc> = fc.record({
    w: width,
    s: fc.boolean(),
    domain: domainRef,
    reset: fc.constantFrom('default', 'sync', 'async', 'none'),
    init: rawArb,
    d: ref,
    en: optRef,
    cond: optRef,
  });
  const readPort = fc.record({ addr: ref, aw: fc.nat({ max: 3 }), en: optRef, domain: domainRef });
  const writePort: fc.Arbitrary<MemWriteDesc> = fc.record({
    addr: ref,
    aw: fc.nat({ max: 3 }),
    en: optRef,
    domain: domainRef,
    data: ref,
    mask: fc.option(fc.record({ kind: fc.constantFrom('byte' as const, 'bit' as const), ref }), { nil: undefined }),
  });
  const mem: fc.Arbitrary<MemDesc> = fc.record({
    depth: fc.oneof(fc.integer({ min: 1, max: 24 }), fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 32, 33, 64)),
    w: fc.oneof(width, fc.constantFrom(1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 64, 65, 96, 128)),
    rdw: fc.constantFrom('old' as const, 'new' as const),
    init: fc.option(fc.array(rawArb, { maxLength: 20 }), { nil: undefined }),
    reads: fc.array(readPort, { maxLength: 2, size: 'max' }),
    writes: fc.array(writePort, { maxLength: 2, size: 'max' }),
  });
  return fc.record({
    domains: fc.array(fc.record({ period: fc.integer({ min: 2, max: 9 }), reset: fc.constantFrom('sync' as const, 'async' as const, 'none' as const) }), {
      minLength: 1,
      maxLength: lim.maxDomains ?? 3,
    }),
    inputs: fc.array(fc.record({ w: width, s: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    regs: fc.array(reg, { maxLength: lim.maxRegs ?? 6, size: 'max' }),
    mems: fc.array(mem, { maxLength: lim.maxMems ?? 2, size: 'max' }),
    nodes: fc.array(node, { minLength: 1, maxLength: lim.maxNodes ?? 40, size: 'max' }),
    outputs: fc.array(ref, { minLength: 1, maxLength: 4, size: 'max' }),
  }).map((r): CircuitDesc => {
    const c: CircuitDesc = maxW > 300 ? { ...r, widthCap: maxW } : { ...r };
    if (lim.crossDomainMemories !== false) return c;
    // all ports of a memory in the domain of its first port (new objects: generated values must not be mutated)
    c.mems = c.mems.map((m) => {
      const domain = (m.reads[0] ?? m.writes[0])?.domain ?? 0;
      return { ...m, reads: m.reads.map((p) => ({ ...p, domain })), writes: m.writes.map((p) => ({ ...p, domain })) };
    });
    return c;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Building a module from a description

/** A pass-through submodule (its ports are combinational nodes below the top). */
class FuzzChild extends Module {
  readonly i: Input;
  readonly o: Output;
  constructor(w: number, signed: boolean, invert: boolean) {
    super();
    this.i = this.input(w, { signed });
    this.o = this.output(w, { signed });
    this.o.assign(invert ? this.i.not() : this.i);
  }
}

/** Adapt x to w bits and the given signedness. */
function fit(x: Sig, w: number, s: boolean): Sig {
  let y = x;
  if (y.width > w) y = y.trunc(w);
  else if (y.width < w) y = y.resize(w);
  return s ? y.asSigned() : y.asUnsigned();
}

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

export class FuzzTop extends Module {
  readonly ins: Input[] = [];
  readonly outs: Output[] = [];
  readonly regs: Reg[] = [];
  readonly nets: Wire[] = [];
  readonly subs: FuzzChild[] = [];
  readonly mems: Memory[] = [];
  readonly readPorts: Sig[] = [];
  readonly clockDomains: ClockDomain[];
  /** Every signal the logic was built from, in order (inputs, registers, read ports, nodes). */
  readonly pool: Sig[] = [];

  private readonly widthCap: number;

  constructor(desc: CircuitDesc) {
    super();
    this.widthCap = desc.widthCap ?? 300;
    const doms = desc.domains.map((d, i) => new ClockDomain(`d${i}`, { periodPs: d.period, reset: d.reset }));
    this.clockDomains = doms;
    const pool = this.pool;
    for (const p of desc.inputs) pool.push(this.ins[this.ins.length] = this.input(p.w, { signed: p.s }));
    const wireOf = (w: number): Wire => {
      const x = this.wire(w);
      this.nets.push(x);
      return x;
    };
    const regEn: Array<Wire | undefined> = [];
    for (const r of desc.regs) {
      const en = r.en === undefined ? undefined : wireOf(1);
      regEn.push(en);
      const reset = r.reset === 'default' ? undefined : r.reset;
      const reg = this.reg(r.w, { signed: r.s, domain: pick(doms, r.domain), reset, init: pattern(r.init, r.w), en });
      this.regs.push(reg);
      pool.push(reg);
    }
    const addrWidth = (m: Memory, aw: number): number => [m.addrWidth, Math.min(32, m.addrWidth + 1), Math.max(1, m.addrWidth - 1), 32][aw % 4]!;
    const readWires: Array<Array<{ addr: Wire; en: Wire | undefined }>> = [];
    for (const md of desc.mems) {
      const init = md.init?.map((v) => pattern(v, md.w));
      const m = this.memory({ depth: md.depth, width: md.w, readDuringWrite: md.rdw, init });
      this.mems.push(m);
      const ports: Array<{ addr: Wire; en: Wire | undefined }> = [];
      for (const rd of md.reads) {
        const addr = wireOf(addrWidth(m, rd.aw));
        const en = rd.en === undefined ? undefined : wireOf(1);
        ports.push({ addr, en });
        const q = m.read(addr, { en, domain: pick(doms, rd.domain) });
        this.readPorts.push(q);
        pool.push(q);
      }
      readWires.push(ports);
    }
    for (const n of desc.nodes) pool.push(this.node(n, pool));
    // feedback: register inputs, memory ports, outputs may read anything
    desc.regs.forEach((r, i) => {
      const reg = this.regs[i]!;
      const d = fit(pick(pool, r.d), r.w, r.s);
      if (r.cond === undefined) reg.set(d);
      else when(fit(pick(pool, r.cond), 1, false), () => reg.set(d));
      if (r.en !== undefined) regEn[i]!.assign(fit(pick(pool, r.en), 1, false));
    });
    desc.mems.forEach((md, i) => {
      const m = this.mems[i]!;
      md.reads.forEach((rd, j) => {
        const p = readWires[i]![j]!;
        p.addr.assign(fit(pick(pool, rd.addr), p.addr.width, false));
        if (rd.en !== undefined) p.en!.assign(fit(pick(pool, rd.en), 1, false));
      });
      for (const wd of md.writes) {
        const addr = fit(pick(pool, wd.addr), addrWidth(m, wd.aw), false);
        const data = fit(pick(pool, wd.data), md.w, false);
        const en = wd.en === undefined ? undefined : fit(pick(pool, wd.en), 1, false);
        let mask: Sig | undefined;
        if (wd.mask) mask = fit(pick(pool, wd.mask.ref), wd.mask.kind === 'byte' && md.w % 8 === 0 ? md.w / 8 : md.w, false);
        m.write(addr, data, { en, mask, domain: pick(doms, wd.domain) });
      }
    });
    for (const r of desc.outputs) {
      const x = pick(pool, r);
      const o = this.output(x.width, { signed: x.signed });
      o.assign(x);
      this.outs.push(o);
    }
  }

  private node(n: NodeDesc, pool: readonly Sig[]): Sig {
    // the first operand counts back from the newest signal (small values make deep chains), the others from
    // the oldest
    const A = pool[pool.length - 1 - (n.a % pool.length)]!;
    const B = pick(pool, n.b);
    const C = pick(pool, n.c);
    const { w, s, k } = n;
    const a = () => fit(A, w, s);
    const b = () => fit(B, w, s);
    const amt = () => fit(B, 1 + (n.w2 % 40), false);
    const cap = (x: number) => Math.max(A.width, Math.min(x, this.widthCap));
    switch (n.op) {
      case 'const':
        return lit(s ? BigInt.asIntN(w, pattern(n.v, w)) : pattern(n.v, w), w, s);
      case 'add': return a().add(b());
      case 'sub': return a().sub(b());
      case 'addc': return a().addc(b());
      case 'subc': return a().subc(b());
      case 'neg': return a().neg();
      case 'mul': return a().mul(fit(B, n.w2, n.k % 2 === 0 ? s : !s));
      case 'and': return a().and(fit(B, w, k % 2 === 0));
      case 'or': return a().or(b());
      case 'xor': return a().xor(b());
      case 'not': return a().not();
      case 'shlk': return a().shl(k % (w + 3));
      case 'shrk': return a().shr(k % (w + 3));
      case 'srak': return a().sra(k % (w + 3));
      case 'shl': return a().shl(amt());
      case 'shr': return a().shr(amt());
      case 'sra': return a().sra(amt());
      case 'eq': return a().eq(b());
      case 'ne': return a().ne(b());
      case 'lt': return a().lt(b());
      case 'le': return a().le(b());
      case 'gt': return a().gt(b());
      case 'ge': return a().ge(b());
      case 'cat': return k % 3 === 0 ? cat(a(), fit(B, n.w2, false), fit(C, 1 + (k % 40), s)) : cat(a(), fit(B, n.w2, false));
      case 'slice': {
        const lo = k % A.width;
        const hi = lo + (n.w2 % (A.width - lo));
        return A.slice(hi, lo);
      }
      case 'bit': return A.bit(k % A.width);
      case 'rep': return fit(A, 1 + (w % 40), s).rep(1 + (k % 3));
      case 'mux': return mux(fit(C, 1, false), a(), fit(B, w, k % 2 === 0 ? s : !s));
      case 'select': {
        const vals = [a(), b(), fit(C, w, s), fit(pick(pool, n.k), w, s), fit(pick(pool, n.k + 7), w, s)].slice(0, 1 + (n.w2 % 5));
        return select(fit(C, Math.max(1, clog2(vals.length)) + (k % 2), false), vals);
      }
      case 'andR': return A.andR();
      case 'orR': return A.orR();
      case 'xorR': return A.xorR();
      case 'zext': return A.zext(cap(A.width + (k % 70)));
      case 'sext': return A.sext(cap(A.width + (k % 70)));
      case 'resize': return A.resize(cap(A.width + (k % 70)));
      case 'trunc': return A.trunc(1 + (k % A.width));
      case 'asSigned': return A.asSigned();
      case 'asUnsigned': return A.asUnsigned();
      case 'memrda': {
        if (this.mems.length === 0) return a().not();
        const m = pick(this.mems, k);
        const aw = [m.addrWidth, Math.min(32, m.addrWidth + 1), Math.max(1, m.addrWidth - 1), 32][n.w2 % 4]!;
        return m.readAsync(fit(A, aw, false));
      }
      case 'wire': {
        const x = this.wire(w, { signed: s });
        this.nets.push(x);
        x.assign(a());
        return x;
      }
      case 'wwhen': {
        // a procedural wire: default, overridden under a condition (and a second, nested one)
        const x = this.wire(w, { signed: s, default: b() });
        this.nets.push(x);
        when(fit(C, 1, false), () => {
          x.set(a());
          if (k % 2) when(fit(pick(pool, n.k), 1, false), () => x.set(fit(pick(pool, n.k + 3), w, s)));
        });
        return x;
      }
      case 'sub': {
        const child = new FuzzChild(w, s, k % 2 === 1);
        this.subs.push(child);
        child.i.assign(a());
        return child.o;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running one circuit on both simulators

export interface FuzzRunOptions {
  /** Clock events (rising or falling edges of any domain) to simulate. */
  steps?: number;
  /** Seed of the stimulus. */
  seed?: number;
  /** Start the compiled simulator from random state (seed); the reference gets the same state by backdoor. */
  randomInit?: number;
  /** Probability of asserting a domain's reset at a step after the initial reset. */
  resetRate?: number;
  /**
   * How the compiled simulator is clocked: step() (default), or runCycles(1) (the fast path; single-domain
   * circuits only).
   */
  driver?: 'step' | 'runCycles';
  /** Compare unnamed operator nodes too (default on; peek() computes inlined nodes on demand). */
  watchUnnamed?: boolean;
  /** Statements per settle chunk of the compiled simulator (small values exercise its activity tracking). */
  statementsPerChunk?: number;
}

/** splitmix32: the stimulus generator (independent of the simulator's own). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function randomBits(r: () => number, w: number): bigint {
  let v = 0n;
  for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(r());
  return v & maskOf(w);
}

function randomValue(r: () => number, w: number): bigint {
  switch (r() % 8) {
    case 0: return 0n;
    case 1: return maskOf(w);
    case 2: return BigInt(r() % 8) & maskOf(w);
    case 3: return 1n << BigInt(w - 1);
    default: return randomBits(r, w);
  }
}

export class FuzzMismatch extends Error {}

const hex = (v: bigint): string => '0x' + v.toString(16);

/** A readable name for any node of the netlist. */
function label(nl: Netlist, s: Sig): string {
  const t = `${s.signed ? 's' : 'u'}${s.width}`;
  if (s.name && s.owner) return `${pathOf(nl, s)} (${s.kind} ${t})`;
  if (s.kind === 'slice') return `slice[${s.lo + s.width - 1}:${s.lo}] #${s.id} (${t})`;
  if (s.kind === 'const') return `const ${hex(s.value)} (${t})`;
  return `${s.kind} #${s.id} (${t})`;
}

/** Build, elaborate and simulate a circuit on both simulators; throws FuzzMismatch on the first difference. */
export function runCircuit(desc: CircuitDesc, opts: FuzzRunOptions = {}): { steps: number; edges: number } {
  const top = new FuzzTop(desc);
  const nl = elaborate(top);
  const sim = new Simulator(nl, {
    ...(opts.randomInit === undefined ? {} : { randomInit: opts.randomInit }),
    ...(opts.statementsPerChunk === undefined ? {} : { statementsPerChunk: opts.statementsPerChunk }),
  });
  const ref = new ReferenceSim(nl);
  const steps = opts.steps ?? 40;
  const resetRate = opts.resetRate ?? 0.03;
  const r = rng(opts.seed ?? 1);

  const state: Sig[] = [...nl.regs, ...nl.memReads];
  if (opts.randomInit !== undefined) {
    for (const s of state) {
      const v = sim.peek(s);
      if (v > maskOf(s.width)) throw new FuzzMismatch(`randomInit: ${label(nl, s)} starts at ${hex(v)}, wider than the signal`);
      ref.setState(s, v);
    }
    for (const m of nl.memories) for (let i = 0; i < m.depth; i++) ref.writeMemory(m, i, sim.readMemory(m, i));
  }
  // what is compared: state, then the named combinational signals (wires, submodule ports, asynchronous read
  // ports) in evaluation order, then outputs. Unnamed operator nodes are not: the compiler computes a
  // single-use narrow operator inside its reader, so its own slot is never written (see fuzz.test.ts).
  const watched = [...new Set<Sig>([...state, ...nl.comb.filter((n) => opts.watchUnnamed !== false || n.name !== undefined), ...nl.outputs])];
  const ins = nl.inputs.filter((i) => ![...nl.resets.values()].includes(i));
  const rises = nl.domains.map(() => 0);
  let edges = 0;

  const compare = (step: number, when: string): void => {
    const cycles = sim.clocks.map((c) => `${c.name}#${c.cycles}`).join(' ');
    const at = `step ${step} (${when}, t=${sim.time}ps, rising edges so far ${cycles})`;
    for (const s of watched) {
      const want = ref.peek(s);
      const got = sim.peek(s);
      if (got !== want) {
        const args = s.args.length ? `; operands (reference values): ${s.args.map((a) => `${label(nl, a)} = ${hex(ref.peek(a))}`).join(', ')}` : '';
        throw new FuzzMismatch(`${at}: ${label(nl, s)}: reference ${hex(want)}, simulator ${hex(got)}${args}`);
      }
    }
    // peekNumber: signed values as negative numbers, up to 53 bits
    for (const o of nl.outputs) {
      if (o.width > 53) continue;
      const v = ref.peek(o);
      const want = Number(o.signed ? BigInt.asIntN(o.width, v) : v);
      const got = sim.peekNumber(o);
      if (got !== want) throw new FuzzMismatch(`${at}: peekNumber(${label(nl, o)}): reference ${want}, simulator ${got}`);
    }
    for (const m of nl.memories) {
      for (let i = 0; i < m.depth; i++) {
        const want = ref.readMemory(m, i);
        const got = sim.readMemory(m, i);
        if (got !== want) throw new FuzzMismatch(`${at}: memory ${m.name}[${i}]: reference ${hex(want)}, simulator ${hex(got)}`);
      }
    }
  };

  for (let step = 0; step < steps; step++) {
    const rst = nl.domains.map((d, i) => (rises[i]! < 2 || r() / 2 ** 32 < resetRate ? 1n : 0n));
    nl.domains.forEach((d, i) => {
      const p = nl.resets.get(d)!;
      sim.poke(p, rst[i]!);
      ref.poke(p, rst[i]!);
    });
    for (const p of ins) {
      const v = randomValue(r, p.width);
      const sv = p.signed ? BigInt.asIntN(p.width, v) : v;
      sim.poke(p, sv);
      ref.poke(p, sv);
    }
    compare(step, 'after poke');
    if (opts.driver === 'runCycles') {
      if (nl.domains.length !== 1) throw new Error('runCycles: single-domain circuits only');
      sim.runCycles(1);
    } else sim.step();
    const rose = nl.domains.filter((_, i) => sim.rose[i]);
    ref.step(rose);
    const names = rose.map((d) => d.name).join('+') || 'no rising edge';
    compare(step, `after ${names}`);
    // registers with a reset hold their reset value after an edge with reset asserted (independent of ref)
    for (const reg of nl.regs) {
      const i = nl.domains.indexOf(reg.domain);
      if (reg.resetKind === 'none' || !sim.rose[i] || rst[i] === 0n) continue;
      const v = sim.peek(reg);
      if (v !== reg.init) throw new FuzzMismatch(`step ${step}: ${label(nl, reg)} is ${hex(v)} after reset, its reset value is ${hex(reg.init)}`);
    }
    nl.domains.forEach((_, i) => (rises[i]! += sim.rose[i]!));
    if (rose.length) edges++;
  }
  return { steps, edges };
}

/** A description as readable text (for reports). */
export function showCircuit(desc: CircuitDesc): string {
  return JSON.stringify(desc, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}
