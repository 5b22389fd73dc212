// Signals: bit vectors of any width, unsigned or signed, and the operators on them. Each operator builds a node
// of the design graph (never computes a value); elaboration turns the graph into the netlist both backends read.
// No operator truncates silently: operands must agree in width, results are as wide as the exact result, and
// narrowing is spelled out with trunc()/slice().
import { callerLoc, type SrcLoc } from './loc.ts';
import type { Finding } from './findings.ts';

export type OpKind =
  | 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'not'
  | 'shl' | 'shr' | 'sra' | 'eq' | 'ne' | 'lt' | 'le'
  | 'cat' | 'slice' | 'mux' | 'redand' | 'redor' | 'redxor' | 'zext' | 'sext' | 'cast';

export type NodeKind = 'const' | 'input' | 'output' | 'wire' | 'reg' | 'memrd' | 'memrda' | OpKind;

/** Something usable where a signal is expected: a signal, or a literal that takes the other operand's width. */
export type Operand = Sig | number | bigint | boolean;

/** Anything that owns named signals (a Module); kept abstract here so signals don't depend on modules. */
export interface Owner {
  readonly __kind: 'module';
}

let nextId = 1;

export class Sig<W extends number = number> {
  readonly id = nextId++;
  /** Name within its module: from the TypeScript property or variable, or given with named(). */
  name: string | undefined;
  /** The module a named signal (port, wire, register, memory read port) belongs to. */
  owner: Owner | undefined;
  /** Problems found while building this node, reported by elaboration. */
  findings: Finding[] | undefined;
  /** Documentation for ports, from the TypeScript source (filled by the skeleton generator) or given. */
  doc: string | undefined;

  constructor(
    readonly kind: NodeKind,
    readonly width: W,
    readonly signed: boolean,
    readonly args: readonly Sig[],
    readonly loc: SrcLoc,
    /** Constant value (kind 'const'), as an unsigned bit pattern. */
    readonly value: bigint = 0n,
    /** Low bit of a slice. */
    readonly lo: number = 0,
  ) {
    if (!Number.isInteger(width) || width < 1) throw new Error(`signal width must be a positive integer, got ${width}`);
  }

  addFinding(rule: string, message: string, severity: 'error' | 'warning' = 'error', related?: SrcLoc[]): void {
    (this.findings ??= []).push({ severity, rule, message, loc: this.loc, related });
  }

  /** Give this signal a name (in SV and VCD). Returns this, for chaining. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** A readable description for error messages. */
  describe(): string {
    const what = this.kind === 'const' ? `constant ${this.value}` : this.name ? `'${this.name}'` : `${this.kind} node`;
    return `${what} (${this.signed ? 's' : 'u'}${this.width})`;
  }

  // ----- arithmetic -----
  /** Sum, wrapping to the operand width. Use addc() for the carry. */
  add(b: Operand): Sig {
    return binSame('add', this, b);
  }
  /** Sum one bit wider than the operands: the top bit is the carry (unsigned) or the exact sign (signed). */
  addc(b: Operand): Sig {
    const bb = coerce(b, this);
    return this.resize(this.width + 1).add(bb.resize(bb.width + 1));
  }
  /** Difference, wrapping to the operand width. */
  sub(b: Operand): Sig {
    return binSame('sub', this, b);
  }
  /** Difference one bit wider: unsigned, the top bit is the borrow; signed, the exact result. */
  subc(b: Operand): Sig {
    const bb = coerce(b, this);
    return this.resize(this.width + 1).sub(bb.resize(bb.width + 1));
  }
  /** Two's-complement negation, wrapping (the most negative value maps to itself). */
  neg(): Sig {
    return lit(0, this.width, this.signed).sub(this);
  }
  /**
   * Full-width product: width a+b. Signed if either operand is signed (a signed x unsigned product treats the
   * unsigned operand as non-negative).
   */
  mul(b: Operand): Sig {
    const bb = coerce(b, this);
    return new Sig('mul', this.width + bb.width, this.signed || bb.signed, [this, bb], callerLoc());
  }

  // ----- bitwise -----
  and(b: Operand): Sig {
    return binSame('and', this, b);
  }
  or(b: Operand): Sig {
    return binSame('or', this, b);
  }
  xor(b: Operand): Sig {
    return binSame('xor', this, b);
  }
  not(): Sig {
    return new Sig('not', this.width, this.signed, [this], callerLoc());
  }

  // ----- shifts: result has the operand's width -----
  /** Shift left, filling with zeros; by a constant or by an (unsigned) signal. */
  shl(n: number | Sig): Sig {
    return shift('shl', this, n);
  }
  /** Logical shift right, filling with zeros. */
  shr(n: number | Sig): Sig {
    return shift('shr', this, n);
  }
  /** Arithmetic shift right, filling with copies of the top bit. */
  sra(n: number | Sig): Sig {
    return shift('sra', this, n);
  }

  // ----- comparisons: 1-bit results; signed if the operands are signed -----
  eq(b: Operand): Sig {
    return compare('eq', this, b);
  }
  ne(b: Operand): Sig {
    return compare('ne', this, b);
  }
  lt(b: Operand): Sig {
    return compare('lt', this, b);
  }
  le(b: Operand): Sig {
    return compare('le', this, b);
  }
  gt(b: Operand): Sig {
    const bb = coerce(b, this);
    return compare('lt', bb, this);
  }
  ge(b: Operand): Sig {
    const bb = coerce(b, this);
    return compare('le', bb, this);
  }

  // ----- bits -----
  /** Bit i (1 bit, unsigned). */
  bit(i: number): Sig {
    return this.slice(i, i);
  }
  /** Bits hi down to lo inclusive, as in SV `x[hi:lo]`; unsigned. */
  slice(hi: number, lo: number): Sig {
    const loc = callerLoc();
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      const s = new Sig('slice', Math.max(1, Math.min(this.width, hi - lo + 1) | 0), false, [this], loc, 0n, 0);
      s.addFinding('width', `slice [${hi}:${lo}] is out of range for ${this.describe()}`);
      return s;
    }
    if (hi === this.width - 1 && lo === 0 && !this.signed) return this;
    return new Sig('slice', hi - lo + 1, false, [this], loc, 0n, lo);
  }
  /** The low w bits (explicit narrowing); keeps the signedness. */
  trunc(w: number): Sig {
    const loc = callerLoc();
    if (w > this.width || w < 1) {
      const s = new Sig('slice', Math.max(1, w | 0), this.signed, [this], loc);
      s.addFinding('width', `trunc(${w}) of ${this.describe()}: can only narrow to 1..${this.width} bits`);
      return s;
    }
    if (w === this.width) return this;
    const s = new Sig('slice', w, false, [this], loc, 0n, 0);
    return this.signed ? s.asSigned() : s;
  }
  /** Zero-extend to w bits (w >= width). */
  zext(w: number): Sig {
    return extend('zext', this, w);
  }
  /** Sign-extend to w bits (w >= width). */
  sext(w: number): Sig {
    return extend('sext', this, w);
  }
  /** Extend to w bits the way the type says: sign-extend signed, zero-extend unsigned. Never narrows. */
  resize(w: number): Sig {
    return extend(this.signed ? 'sext' : 'zext', this, w);
  }
  /** The same bits read as signed. */
  asSigned(): Sig {
    if (this.signed) return this;
    return new Sig('cast', this.width, true, [this], callerLoc());
  }
  /** The same bits read as unsigned. */
  asUnsigned(): Sig {
    if (!this.signed) return this;
    return new Sig('cast', this.width, false, [this], callerLoc());
  }
  /** n copies side by side. */
  rep(n: number): Sig {
    if (!Number.isInteger(n) || n < 1) {
      const s = new Sig('cat', this.width, false, [this], callerLoc());
      s.addFinding('width', `rep(${n}): the count must be a positive integer`);
      return s;
    }
    return n === 1 ? this.asUnsigned() : new Sig('cat', this.width * n, false, Array(n).fill(this), callerLoc());
  }

  // ----- reductions: 1 bit -----
  andR(): Sig {
    return new Sig('redand', 1, false, [this], callerLoc());
  }
  orR(): Sig {
    return new Sig('redor', 1, false, [this], callerLoc());
  }
  xorR(): Sig {
    return new Sig('redxor', 1, false, [this], callerLoc());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

/** Is v representable in w bits (two's complement when signed)? */
export function fits(v: bigint, w: number, signed: boolean): boolean {
  if (signed) return v >= -(1n << BigInt(w - 1)) && v < 1n << BigInt(w - 1);
  return v >= 0n && v < 1n << BigInt(w);
}

/** A constant of the given width; out-of-range values are a design-rule error, never truncated. */
export function lit(value: number | bigint | boolean, width: number, signed = false): Sig {
  const loc = callerLoc();
  let v: bigint;
  if (typeof value === 'boolean') v = value ? 1n : 0n;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      const s = new Sig('const', width, signed, [], loc, 0n);
      s.addFinding('constant', `constant ${value} is not a safe integer: pass a bigint`);
      return s;
    }
    v = BigInt(value);
  } else v = value;
  const mask = (1n << BigInt(width)) - 1n;
  const s = new Sig('const', width, signed, [], loc, v & mask);
  if (!fits(v, width, signed)) {
    s.addFinding('constant', `constant ${v} does not fit in ${signed ? 'signed' : 'unsigned'} ${width} bits`);
  }
  return s;
}

/** An unsigned constant. */
export const U = (value: number | bigint | boolean, width: number): Sig => lit(value, width, false);
/** A signed constant. */
export const S = (value: number | bigint, width: number): Sig => lit(value, width, true);

/** A literal operand takes the width and signedness of the signal it meets. */
export function coerce(x: Operand, like: Sig): Sig {
  if (x instanceof Sig) return x;
  return lit(x, like.width, like.signed);
}

/** The smallest width that holds the unsigned value v (at least 1). */
export function bitsFor(v: number | bigint): number {
  let b = BigInt(v);
  if (b < 0n) throw new Error(`bitsFor(${v}): negative`);
  let w = 1;
  while (b > 1n) {
    b >>= 1n;
    w++;
  }
  return w;
}

/** Width of an index into n things: ceil(log2(n)), at least 1. */
export function clog2(n: number): number {
  return n <= 2 ? 1 : bitsFor(n - 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Operator construction

function binSame(kind: 'add' | 'sub' | 'and' | 'or' | 'xor', a: Sig, b: Operand): Sig {
  const bb = coerce(b, a);
  const w = Math.max(a.width, bb.width);
  const s = new Sig(kind, w, a.signed && bb.signed, [a, bb], callerLoc());
  if (a.width !== bb.width) {
    s.addFinding('width', `${kind}: operand widths differ (${a.describe()} and ${bb.describe()}); resize one explicitly`);
  } else if (a.signed !== bb.signed && (kind === 'add' || kind === 'sub')) {
    s.addFinding('width', `${kind}: mixes signed and unsigned (${a.describe()} and ${bb.describe()}); use asSigned()/asUnsigned()`);
  }
  return s;
}

function compare(kind: 'eq' | 'ne' | 'lt' | 'le', a: Sig, b: Operand): Sig {
  const bb = coerce(b, a);
  const s = new Sig(kind, 1, false, [a, bb], callerLoc());
  if (a.width !== bb.width) {
    s.addFinding('width', `${kind}: operand widths differ (${a.describe()} and ${bb.describe()}); resize one explicitly`);
  } else if (a.signed !== bb.signed) {
    s.addFinding('width', `${kind}: compares signed with unsigned (${a.describe()} and ${bb.describe()})`);
  }
  return s;
}

function shift(kind: 'shl' | 'shr' | 'sra', a: Sig, n: number | Sig): Sig {
  const loc = callerLoc();
  let amt: Sig;
  if (n instanceof Sig) {
    amt = n;
  } else {
    amt = lit(Number.isInteger(n) && n >= 0 ? n : 0, bitsFor(Number.isInteger(n) && n >= 0 ? n : 0));
  }
  const s = new Sig(kind, a.width, a.signed, [a, amt], loc);
  if (!(n instanceof Sig) && (!Number.isInteger(n) || n < 0)) s.addFinding('constant', `${kind} by ${n}: the amount must be a non-negative integer`);
  if (n instanceof Sig && n.signed) s.addFinding('width', `${kind}: the shift amount ${n.describe()} must be unsigned`);
  return s;
}

function extend(kind: 'zext' | 'sext', a: Sig, w: number): Sig {
  const loc = callerLoc();
  if (!Number.isInteger(w) || w < a.width) {
    const s = new Sig(kind, Math.max(1, w | 0), a.signed, [a], loc);
    s.addFinding('width', `${kind}(${w}) of ${a.describe()}: cannot narrow; use trunc() or slice()`);
    return s;
  }
  if (w === a.width) return a;
  return new Sig(kind, w, a.signed, [a], loc);
}

/** Concatenation, most significant part first (as SV `{a, b, c}`); unsigned. */
export function cat(...parts: Sig[]): Sig {
  const loc = callerLoc();
  if (parts.length === 0) {
    const s = new Sig('cat', 1, false, [], loc);
    s.addFinding('width', 'cat() needs at least one part');
    return s;
  }
  if (parts.length === 1) return parts[0]!.asUnsigned();
  const w = parts.reduce((n, p) => n + p.width, 0);
  return new Sig('cat', w, false, parts, loc);
}

/** `sel ? whenTrue : whenFalse`. sel must be 1 bit; both values the same width (a literal takes the other's). */
export function mux(sel: Sig, whenTrue: Operand, whenFalse: Operand): Sig {
  const loc = callerLoc();
  let t: Sig, f: Sig;
  if (whenTrue instanceof Sig) {
    t = whenTrue;
    f = coerce(whenFalse, t);
  } else if (whenFalse instanceof Sig) {
    f = whenFalse;
    t = coerce(whenTrue, f);
  } else {
    t = lit(whenTrue, 32);
    f = lit(whenFalse, 32);
    const s = new Sig('mux', 32, false, [sel, t, f], loc);
    s.addFinding('width', 'mux of two literals: give one of them a width with U()/S()');
    return s;
  }
  const s = new Sig('mux', Math.max(t.width, f.width), t.signed && f.signed, [sel, t, f], loc);
  if (sel.width !== 1) s.addFinding('width', `mux: the select ${sel.describe()} must be 1 bit`);
  if (t.width !== f.width) s.addFinding('width', `mux: the two values differ in width (${t.describe()} and ${f.describe()})`);
  return s;
}

/**
 * One of several values by index: a balanced tree of muxes on the low clog2(n) index bits, and the last value for
 * any index >= n (including indexes wider than clog2(n) bits).
 */
export function select(index: Sig, values: readonly Sig[]): Sig {
  if (values.length === 0) throw new Error('select() needs at least one value');
  const n = values.length;
  const bits = clog2(n);
  const last = values[n - 1]!;
  if (n === 1) return last;
  if (index.width < bits) {
    const s = mux(index.bit(0), values[1]!, values[0]!);
    s.addFinding('width', `select: index ${index.describe()} is too narrow for ${n} values`);
    return s;
  }
  // tree over index bits [bit..0] choosing among values[lo ..]; an upper half with no values is out of range
  const tree = (lo: number, bit: number): Sig => {
    if (bit < 0) return values[lo]!;
    const low = tree(lo, bit - 1);
    if (lo + (1 << bit) >= n) return low;
    return mux(index.bit(bit), tree(lo + (1 << bit), bit - 1), low);
  };
  const inRange = tree(0, bits - 1);
  if (index.width === bits && n === 1 << bits) return inRange;
  return mux(index.ge(n), last, inRange);
}
