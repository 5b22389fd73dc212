// A deliberately simple reference interpreter of a netlist, for checking the compiled simulator. Everything is a
// BigInt holding the node's unsigned bit pattern (0 <= v < 2^width); every node is evaluated recursively from
// its definition in rtl/core (operator kind, arguments, width, signedness, constant value, slice offset) and
// memoised until the next poke or clock edge. It shares no code with the compiled simulator on purpose: the
// semantics here are written from the operator definitions, not from the code generator.
//
// Semantics (as documented in rtl/core/signal.ts, wire.ts, memory.ts and tb/sim/simulator.ts):
// - add/sub wrap to the node width; mul is the exact product of the operands, each read as signed or unsigned
//   according to its own `signed` flag, truncated to the node width (a+b);
// - shl/shr shift in zeros, sra copies of the top bit; an amount >= width gives 0 (all sign bits for sra);
// - lt/le compare as signed numbers when the operands are signed; eq/ne compare bit patterns;
// - sext copies the operand's top bit whatever its signedness; zext and casts keep the bits;
// - a register loads its reset value at an edge of its domain while the domain's reset input is 1 (sync and
//   async resets), and an async-reset register also holds its reset value whenever the reset input is 1;
//   otherwise it loads d when its enable (if any) is 1. Registers without reset start at 0.
// - a synchronous read port (memrd) registers the word at its address at an edge when its enable (if any) is 1;
//   with readDuringWrite 'old' it sees the memory as it was before the edge, with 'new' after the writes of
//   that instant. Asynchronous reads (memrda) are combinational. Out-of-range reads give 0, out-of-range writes
//   are ignored. A write port writes (old & ~mask) | (data & mask), the mask being all ones, a bit mask, or byte
//   enables (bit i enabling bits 8i+7..8i).
// - step(domains) is one instant at which all those domains rise: every register, read port and write port
//   samples its inputs before anything is updated. Writes of one instant are applied in the order of
//   netlist.domains, then in the order the write ports were declared (later ones win, bit by bit).
import type { ClockDomain, Memory, Netlist, Sig } from '../../rtl/core/index.ts';
import { MemRead, Wire } from '../../rtl/core/index.ts';

const maskOf = (w: number): bigint => (1n << BigInt(w)) - 1n;
const inRange = (v: bigint, w: number): boolean => v >= 0n && v <= maskOf(w);

/** The number a bit pattern stands for, given the signal's signedness. */
function num(v: bigint, w: number, signed: boolean): bigint {
  if (!signed) return v;
  return v >= 1n << BigInt(w - 1) ? v - (1n << BigInt(w)) : v;
}

function parity(v: bigint): bigint {
  let p = 0n;
  for (; v > 0n; v >>= 1n) p ^= v & 1n;
  return p;
}

export class ReferenceSim {
  private readonly inputs = new Map<Sig, bigint>();
  /** Registers and synchronous read ports. */
  private readonly state = new Map<Sig, bigint>();
  private readonly mems = new Map<Memory, bigint[]>();
  private readonly topInputs: Set<Sig>;
  private cache = new Map<Sig, bigint>();
  private settled = false;

  constructor(readonly nl: Netlist) {
    this.topInputs = new Set(nl.inputs);
    for (const i of nl.inputs) this.inputs.set(i, 0n);
    for (const r of nl.regs) this.state.set(r, 0n);
    for (const r of nl.memReads) this.state.set(r, 0n);
    for (const m of nl.memories) {
      const words: bigint[] = [];
      for (let i = 0; i < m.depth; i++) {
        const v = m.initialWord(i);
        words.push(v === undefined ? 0n : v & maskOf(m.width));
      }
      this.mems.set(m, words);
    }
  }

  /** Drive a top-level input (a signed port also takes negative values). */
  poke(sig: Sig, v: bigint): void {
    if (!this.topInputs.has(sig)) throw new Error(`reference: ${sig.describe()} is not a top-level input`);
    const lo = sig.signed ? -(1n << BigInt(sig.width - 1)) : 0n;
    if (v < lo || v > maskOf(sig.width)) throw new RangeError(`reference: ${v} does not fit ${sig.describe()}`);
    this.inputs.set(sig, v & maskOf(sig.width));
    this.invalidate();
  }

  /** The value of any signal as an unsigned bit pattern. */
  peek(sig: Sig): bigint {
    this.settle();
    return this.value(sig);
  }

  /** Backdoor: set a register or a synchronous read port. */
  setState(sig: Sig, v: bigint): void {
    if (!this.state.has(sig)) throw new Error(`reference: ${sig.describe()} is not state`);
    if (!inRange(v, sig.width)) throw new RangeError(`reference: ${v} does not fit ${sig.describe()}`);
    this.state.set(sig, v);
    this.invalidate();
  }

  /** Backdoor: read / write word i of a memory. */
  readMemory(m: Memory, i: number): bigint {
    return this.words(m)[i]!;
  }
  writeMemory(m: Memory, i: number, v: bigint): void {
    if (!inRange(v, m.width) || i < 0 || i >= m.depth) throw new RangeError(`reference: bad memory write ${i} <- ${v}`);
    this.words(m)[i] = v;
    this.invalidate();
  }

  /** Rising edges of these domains, all at one instant. */
  step(domains: readonly ClockDomain[]): void {
    if (domains.length === 0) return;
    this.settle();
    const rising = new Set(domains);
    const rst = (d: ClockDomain): boolean => {
      const r = this.nl.resets.get(d);
      if (!r) throw new Error(`reference: no reset input for domain ${d.name}`);
      return this.value(r) !== 0n;
    };
    const next = new Map<Sig, bigint>();
    // registers
    for (const r of this.nl.regs) {
      if (!rising.has(r.domain)) continue;
      if (r.resetKind !== 'none' && rst(r.domain)) next.set(r, r.init & maskOf(r.width));
      else if (r.en && this.value(r.en) === 0n) continue;
      else next.set(r, this.value(r.d ?? r));
    }
    // synchronous reads before the writes ('old'), sampled now
    const lateReads: MemRead[] = [];
    for (const p of this.nl.memReads) {
      if (!p.domain || !rising.has(p.domain)) continue;
      if (p.en && this.value(p.en) === 0n) continue;
      if (p.mem.readDuringWrite === 'new') lateReads.push(p);
      else next.set(p, this.word(p.mem, this.value(p.addr)));
    }
    // writes: sample every port first, then apply in domain order, then port order
    const pending: Array<{ m: Memory; d: number; k: number; addr: bigint; data: bigint; mask: bigint }> = [];
    for (const m of this.nl.memories) {
      m.writes.forEach((w, k) => {
        if (!rising.has(w.domain)) return;
        if (w.en && this.value(w.en) === 0n) return;
        let mask = maskOf(m.width);
        if (w.mask) {
          const mv = this.value(w.mask);
          if (w.maskKind === 'byte') {
            mask = 0n;
            for (let i = 0; i < w.mask.width; i++) if ((mv >> BigInt(i)) & 1n) mask |= 0xffn << BigInt(8 * i);
            mask &= maskOf(m.width);
          } else mask = mv;
        }
        pending.push({ m, d: this.nl.domains.indexOf(w.domain), k, addr: this.value(w.addr), data: this.value(w.data), mask });
      });
    }
    const lateAddr = lateReads.map((p) => this.value(p.addr));
    pending.sort((a, b) => a.d - b.d || a.k - b.k);
    for (const w of pending) {
      const words = this.words(w.m);
      if (w.addr >= BigInt(w.m.depth)) continue;
      const i = Number(w.addr);
      words[i] = (words[i]! & ~w.mask) | (w.data & w.mask);
    }
    lateReads.forEach((p, i) => next.set(p, this.word(p.mem, lateAddr[i]!)));
    for (const [s, v] of next) this.state.set(s, v);
    this.invalidate();
  }

  // ------------------------------------------------------------------------------------------------------------

  private invalidate(): void {
    this.settled = false;
  }

  private settle(): void {
    if (this.settled) return;
    this.cache = new Map();
    // asynchronous resets act whenever the reset input is high
    for (const r of this.nl.regs) {
      if (r.resetKind !== 'async') continue;
      const rst = this.nl.resets.get(r.domain);
      if (rst && this.inputs.get(rst)! !== 0n) this.state.set(r, r.init & maskOf(r.width));
    }
    this.settled = true;
  }

  private words(m: Memory): bigint[] {
    const w = this.mems.get(m);
    if (!w) throw new Error(`reference: memory ${m.name} is not part of the netlist`);
    return w;
  }

  private word(m: Memory, addr: bigint): bigint {
    return addr < BigInt(m.depth) ? this.words(m)[Number(addr)]! : 0n;
  }

  private value(n: Sig): bigint {
    const c = this.cache.get(n);
    if (c !== undefined) return c;
    const v = this.compute(n);
    if (!inRange(v, n.width)) throw new Error(`reference: internal: ${n.describe()} computed ${v}`);
    this.cache.set(n, v);
    return v;
  }

  private compute(n: Sig): bigint {
    const w = n.width;
    const M = maskOf(w);
    const [x, y, z] = n.args;
    const u = (s: Sig | undefined): bigint => this.value(s!);
    const sn = (s: Sig | undefined): bigint => num(this.value(s!), s!.width, s!.signed);
    switch (n.kind) {
      case 'const':
        return n.value & M;
      case 'input':
      case 'output':
      case 'wire': {
        if (this.topInputs.has(n)) return this.inputs.get(n)!;
        const d = (n as Wire).driver;
        if (!(n instanceof Wire) || !d) throw new Error(`reference: ${n.describe()} has no driver`);
        return u(d) & M;
      }
      case 'reg':
      case 'memrd': {
        const v = this.state.get(n);
        if (v === undefined) throw new Error(`reference: ${n.describe()} is not state of this netlist`);
        return v;
      }
      case 'memrda': {
        if (!(n instanceof MemRead)) throw new Error('reference: memrda without a memory');
        return this.word(n.mem, u(n.addr));
      }
      case 'add':
        return (u(x) + u(y)) & M;
      case 'sub':
        return (u(x) - u(y)) & M;
      case 'mul':
        return (sn(x) * sn(y)) & M;
      case 'and':
        return u(x) & u(y) & M;
      case 'or':
        return (u(x) | u(y)) & M;
      case 'xor':
        return (u(x) ^ u(y)) & M;
      case 'not':
        return ~u(x) & M;
      case 'shl': {
        const k = u(y);
        return k >= BigInt(w) ? 0n : (u(x) << k) & M;
      }
      case 'shr': {
        const k = u(y);
        return k >= BigInt(w) ? 0n : u(x) >> k;
      }
      case 'sra': {
        const k = u(y);
        const a = num(u(x), w, true); // arithmetic: the top bit is the sign, whatever the operand's type
        return (k >= BigInt(w) ? (a < 0n ? -1n : 0n) : a >> k) & M;
      }
      case 'eq':
        return u(x) === u(y) ? 1n : 0n;
      case 'ne':
        return u(x) !== u(y) ? 1n : 0n;
      case 'lt':
        return sn(x) < sn(y) ? 1n : 0n;
      case 'le':
        return sn(x) <= sn(y) ? 1n : 0n;
      case 'cat': {
        let acc = 0n;
        for (const p of n.args) acc = (acc << BigInt(p.width)) | u(p);
        return acc & M;
      }
      case 'slice':
        return (u(x) >> BigInt(n.lo)) & M;
      case 'mux':
        return u(x) !== 0n ? u(y) & M : u(z) & M;
      case 'redand':
        return u(x) === maskOf(x!.width) ? 1n : 0n;
      case 'redor':
        return u(x) !== 0n ? 1n : 0n;
      case 'redxor':
        return parity(u(x));
      case 'zext':
        return u(x) & M;
      case 'sext':
        return num(u(x), x!.width, true) & M;
      case 'cast':
        return u(x) & M;
      default:
        throw new Error(`reference: no semantics for node kind '${n.kind}'`);
    }
  }
}

