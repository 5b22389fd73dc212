// Every operator of the language, simulated by the compiled simulator at random widths (1..200, across the
// 32-bit limb boundaries, plus some of 255..300 bits where the simulator leaves its inline limb code for the loop
// helpers), signed and unsigned, against a BigInt formula written here from the operator's
// definition in rtl/core/signal.ts. Each property run elaborates and compiles one small design (operands are
// input ports, or constants to exercise inlined literals) and checks it on many random input vectors; the
// result's width and signedness are checked against the operator's width rule too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Module, cat, clog2, elaborate, lit, mux, select, type Input, type Output, type Sig } from '../../rtl/core/index.ts';
import { Simulator } from './simulator.ts';

const RUNS = Number(process.env.OPS_RUNS ?? 120);
const VECTORS = 24;

// ---------------------------------------------------------------------------------------------------------------
// Values

const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
/** The number a w-bit pattern stands for. */
const num = (v: bigint, w: number, s: boolean): bigint => (s ? BigInt.asIntN(w, v) : v);
const wrap = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);

/** Raw random values: negative markers stand for the interesting patterns of whatever width they meet. */
const rawArb: fc.Arbitrary<bigint> = fc.oneof(
  { arbitrary: fc.constantFrom(-1n, -2n, -3n, -4n, -5n), weight: 2 },
  { arbitrary: fc.bigInt({ min: 0n, max: mask(200) }), weight: 3 },
  { arbitrary: fc.bigInt({ min: 0n, max: 300n }), weight: 1 },
);

/** A raw value as a w-bit pattern. */
function pattern(raw: bigint, w: number): bigint {
  switch (raw) {
    case -1n: return mask(w); // all ones
    case -2n: return 1n << BigInt(w - 1); // most negative
    case -3n: return mask(w - 1); // most positive
    case -4n: return 0n;
    case -5n: return 1n;
    default: return raw & mask(w);
  }
}

// 1..200 as asked, plus a few widths past 256 bits, where the simulator switches from inline limb code to the
// loop helpers of wide.ts
const widthArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 200 }), weight: 4 },
  { arbitrary: fc.constantFrom(1, 2, 7, 8, 16, 31, 32, 33, 53, 63, 64, 65, 95, 96, 97, 127, 128, 129, 199, 200), weight: 3 },
  { arbitrary: fc.constantFrom(255, 256, 257, 287, 288, 289, 300), weight: 1 },
);
const vectorsArb = fc.array(fc.array(rawArb, { minLength: 20, maxLength: 20 }), { minLength: VECTORS, maxLength: VECTORS });

// ---------------------------------------------------------------------------------------------------------------
// Harness: one module with the operands as inputs (or constants) and the results as outputs

interface Port {
  w: number;
  s: boolean;
  /** A constant operand: its raw value (turned into a w-bit pattern). */
  c?: bigint | undefined;
}

class Harness extends Module {
  readonly ins: Array<Input | undefined> = [];
  readonly outs: Output[] = [];
  readonly results: Sig[] = [];
  constructor(ports: readonly Port[], build: (xs: Sig[]) => Sig[]) {
    super();
    const xs = ports.map((p) => {
      if (p.c !== undefined) {
        this.ins.push(undefined);
        const v = pattern(p.c, p.w);
        return lit(num(v, p.w, p.s), p.w, p.s);
      }
      const i = this.input(p.w, { signed: p.s });
      this.ins.push(i);
      return i;
    });
    for (const r of build(xs)) {
      const o = this.output(r.width, { signed: r.signed });
      o.assign(r);
      this.results.push(r);
      this.outs.push(o);
    }
  }
}

interface Expected {
  w: number;
  s: boolean;
  /** Any integer: compared modulo 2^w. */
  v: bigint;
}

/**
 * Build the design once, then for each vector poke the inputs and compare every output with the model (given
 * the operands' bit patterns, constants included).
 */
function check(label: string, ports: readonly Port[], build: (xs: Sig[]) => Sig[], model: (v: bigint[]) => Expected[], vectors: bigint[][]): void {
  const top = new Harness(ports, build);
  const sim = new Simulator(elaborate(top));
  const desc = ports.map((p, i) => `${p.c !== undefined ? 'const ' : ''}${p.s ? 's' : 'u'}${p.w} x${i}`).join(', ');
  for (const raw of vectors) {
    if (raw.length < ports.length) throw new Error(`${label}: ${ports.length} operands but vectors of ${raw.length} values`);
    const vals = ports.map((p, i) => pattern(p.c ?? raw[i]!, p.w));
    ports.forEach((p, i) => {
      const inp = top.ins[i];
      if (inp) sim.poke(inp, num(vals[i]!, p.w, p.s));
    });
    const exp = model(vals);
    expect(exp.length, `${label}: model has one result per output`).toBe(top.outs.length);
    exp.forEach((e, k) => {
      const r = top.results[k]!;
      const what = `${label} result ${k} with ${desc} = ${vals.map((v) => '0x' + v.toString(16)).join(', ')}`;
      expect(`${r.signed ? 's' : 'u'}${r.width}`, `${what}: width rule`).toBe(`${e.s ? 's' : 'u'}${e.w}`);
      const got = sim.peek(top.outs[k]!);
      const want = wrap(e.v, e.w);
      if (got !== want) {
        throw new Error(`${what}: expected 0x${want.toString(16)}, simulator gave 0x${got.toString(16)}`);
      }
    });
  }
}

function prop<T>(arb: fc.Arbitrary<T>, body: (t: T, vectors: bigint[][]) => void, numRuns = RUNS): void {
  fc.assert(fc.property(arb, vectorsArb, body), { numRuns });
}

/** An operand: an input port most of the time, sometimes a constant. */
const operand = (w: fc.Arbitrary<number>, s: fc.Arbitrary<boolean>, constant = true): fc.Arbitrary<Port> =>
  fc.record({ w, s, c: constant ? fc.option(rawArb, { freq: 4, nil: undefined }) : fc.constant(undefined) });

/** Two operands of one width; `sameSign` gives them one signedness. */
const pair = (sameSign: boolean): fc.Arbitrary<[Port, Port]> =>
  fc.tuple(widthArb, fc.boolean(), fc.boolean(), fc.option(rawArb, { freq: 4, nil: undefined }), fc.boolean()).map(
    ([w, s, s2, c, constFirst]) => {
      const a: Port = { w, s };
      const b: Port = { w, s: sameSign ? s : s2 };
      // at most one constant operand (two would fold to a constant expression, still fine but less useful)
      if (c !== undefined) (constFirst ? a : b).c = c;
      return [a, b];
    },
  );

// ---------------------------------------------------------------------------------------------------------------

describe('arithmetic', () => {
  it('add / sub wrap to the operand width', () => {
    prop(pair(true), ([a, b], vecs) =>
      check('add/sub', [a, b], ([x, y]) => [x!.add(y!), x!.sub(y!)], ([p, q]) => [
        { w: a.w, s: a.s, v: p! + q! },
        { w: a.w, s: a.s, v: p! - q! },
      ], vecs));
  });

  it('addc / subc are one bit wider and exact', () => {
    prop(pair(true), ([a, b], vecs) =>
      check('addc/subc', [a, b], ([x, y]) => [x!.addc(y!), x!.subc(y!)], ([p, q]) => [
        { w: a.w + 1, s: a.s, v: num(p!, a.w, a.s) + num(q!, b.w, b.s) },
        { w: a.w + 1, s: a.s, v: num(p!, a.w, a.s) - num(q!, b.w, b.s) },
      ], vecs));
  });

  it('neg is two\'s complement negation, wrapping', () => {
    prop(operand(widthArb, fc.boolean(), false), (a, vecs) =>
      check('neg', [a], ([x]) => [x!.neg()], ([p]) => [{ w: a.w, s: a.s, v: -num(p!, a.w, a.s) }], vecs));
  });

  it('mul is the full product, signed if either operand is', () => {
    // products up to 260 bits (loop helper past 256)
    const w = fc.oneof(fc.integer({ min: 1, max: 130 }), fc.constantFrom(1, 16, 17, 31, 32, 33, 64, 65, 127, 128, 129, 130));
    prop(fc.tuple(operand(w, fc.boolean()), operand(w, fc.boolean())), ([a, b], vecs) =>
      check('mul', [a, b], ([x, y]) => [x!.mul(y!)], ([p, q]) => [
        { w: a.w + b.w, s: a.s || b.s, v: num(p!, a.w, a.s) * num(q!, b.w, b.s) },
      ], vecs));
  });

  it('mul: the exact-width signed extremes', () => {
    // most negative x most negative needs every bit of the a+b wide result
    for (const [wa, wb] of [[1, 1], [1, 32], [16, 16], [31, 1], [32, 32], [33, 31], [64, 64], [65, 3], [100, 100]] as const) {
      for (const [sa, sb] of [[true, true], [true, false], [false, true], [false, false]] as const) {
        check('mul extremes', [{ w: wa, s: sa }, { w: wb, s: sb }], ([x, y]) => [x!.mul(y!)], ([p, q]) => [
          { w: wa + wb, s: sa || sb, v: num(p!, wa, sa) * num(q!, wb, sb) },
        ], [[-2n, -2n], [-1n, -1n], [-3n, -2n], [-2n, -3n], [-1n, -2n], [-3n, -3n]]);
      }
    }
  });
});

describe('bitwise', () => {
  it('and / or / xor (result signed only if both are)', () => {
    prop(pair(false), ([a, b], vecs) =>
      check('and/or/xor', [a, b], ([x, y]) => [x!.and(y!), x!.or(y!), x!.xor(y!)], ([p, q]) => [
        { w: a.w, s: a.s && b.s, v: p! & q! },
        { w: a.w, s: a.s && b.s, v: p! | q! },
        { w: a.w, s: a.s && b.s, v: p! ^ q! },
      ], vecs));
  });

  it('not', () => {
    prop(operand(widthArb, fc.boolean(), false), (a, vecs) =>
      check('not', [a], ([x]) => [x!.not()], ([p]) => [{ w: a.w, s: a.s, v: ~p! }], vecs));
  });
});

// ---------------------------------------------------------------------------------------------------------------

const shl = (v: bigint, k: bigint, w: number): bigint => (k >= BigInt(w) ? 0n : v << k);
const shr = (v: bigint, k: bigint, w: number): bigint => (k >= BigInt(w) ? 0n : v >> k);
/** Arithmetic: fills with the top bit whatever the signedness; amounts >= width give all sign bits. */
const sra = (v: bigint, k: bigint, w: number): bigint => BigInt.asIntN(w, v) >> (k >= BigInt(w) ? BigInt(w) : k);

describe('shifts', () => {
  it('by a constant (including amounts >= width)', () => {
    const amount = fc.oneof(fc.integer({ min: 0, max: 210 }), fc.constantFrom(31, 32, 33, 63, 64, 65, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40));
    prop(fc.tuple(operand(widthArb, fc.boolean(), false), amount), ([a, k], vecs) =>
      check(`shift by ${k}`, [a], ([x]) => [x!.shl(k), x!.shr(k), x!.sra(k)], ([p]) => [
        { w: a.w, s: a.s, v: shl(p!, BigInt(k), a.w) },
        { w: a.w, s: a.s, v: shr(p!, BigInt(k), a.w) },
        { w: a.w, s: a.s, v: sra(p!, BigInt(k), a.w) },
      ], vecs));
  });

  it('by a signal (amount widths 1..80, amounts >= width)', () => {
    const amt = fc.record({
      w: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(5, 6, 7, 8, 31, 32, 33, 64, 65)),
      s: fc.constant(false),
      c: fc.option(fc.bigInt({ min: 0n, max: 300n }), { freq: 6, nil: undefined }),
    });
    prop(fc.tuple(operand(widthArb, fc.boolean()), amt), ([a, b], vecs) => {
      // amounts mostly small, so that shifts within the width are common
      const small = vecs.map((v, i) => (i % 2 ? [v[0]!, v[1]! & 0xffn] : v));
      check('shift by signal', [a, b], ([x, n]) => [x!.shl(n!), x!.shr(n!), x!.sra(n!)], ([p, k]) => [
        { w: a.w, s: a.s, v: shl(p!, k!, a.w) },
        { w: a.w, s: a.s, v: shr(p!, k!, a.w) },
        { w: a.w, s: a.s, v: sra(p!, k!, a.w) },
      ], small);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('comparisons', () => {
  it('eq / ne / lt / le / gt / ge, signed and unsigned', () => {
    prop(pair(true), ([a, b], vecs) => {
      // equal operands are interesting: make every third vector compare a value with itself
      const v2 = vecs.map((v, i) => (i % 3 === 0 ? [v[0]!, v[0]!] : v));
      check('compare', [a, b], ([x, y]) => [x!.eq(y!), x!.ne(y!), x!.lt(y!), x!.le(y!), x!.gt(y!), x!.ge(y!)], ([p, q]) => {
        const x = num(p!, a.w, a.s);
        const y = num(q!, b.w, b.s);
        const b1 = (c: boolean): Expected => ({ w: 1, s: false, v: c ? 1n : 0n });
        return [b1(p === q), b1(p !== q), b1(x < y), b1(x <= y), b1(x > y), b1(x >= y)];
      }, v2);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('bits', () => {
  it('cat (most significant part first)', () => {
    const part = operand(fc.integer({ min: 1, max: 70 }), fc.boolean());
    prop(fc.array(part, { minLength: 1, maxLength: 5 }), (parts, vecs) =>
      check('cat', parts, (xs) => [cat(...xs)], (vs) => {
        let acc = 0n;
        parts.forEach((p, i) => (acc = (acc << BigInt(p.w)) | vs[i]!));
        return [{ w: parts.reduce((n, p) => n + p.w, 0), s: false, v: acc }];
      }, vecs));
  });

  it('slice and bit', () => {
    const arb = fc.tuple(operand(widthArb, fc.boolean(), false), fc.nat(), fc.nat(), fc.nat()).map(([a, i, j, k]) => {
      const lo = i % a.w;
      const hi = lo + (j % (a.w - lo));
      return { a, hi, lo, bit: k % a.w };
    });
    prop(arb, ({ a, hi, lo, bit }, vecs) =>
      check(`slice [${hi}:${lo}] bit ${bit}`, [a], ([x]) => [x!.slice(hi, lo), x!.bit(bit)], ([p]) => [
        { w: hi - lo + 1, s: false, v: p! >> BigInt(lo) },
        { w: 1, s: false, v: p! >> BigInt(bit) },
      ], vecs));
  });

  it('rep', () => {
    prop(fc.tuple(operand(fc.integer({ min: 1, max: 70 }), fc.boolean()), fc.integer({ min: 1, max: 5 })), ([a, n], vecs) =>
      check(`rep(${n})`, [a], ([x]) => [x!.rep(n)], ([p]) => {
        let v = 0n;
        for (let i = 0; i < n; i++) v = (v << BigInt(a.w)) | p!;
        return [{ w: a.w * n, s: false, v }];
      }, vecs));
  });

  it('andR / orR / xorR', () => {
    prop(operand(widthArb, fc.boolean(), false), (a, vecs) =>
      check('reductions', [a], ([x]) => [x!.andR(), x!.orR(), x!.xorR()], ([p]) => {
        let ones = 0;
        for (let v = p!; v > 0n; v >>= 1n) ones += Number(v & 1n);
        return [
          { w: 1, s: false, v: p === mask(a.w) ? 1n : 0n },
          { w: 1, s: false, v: p !== 0n ? 1n : 0n },
          { w: 1, s: false, v: BigInt(ones & 1) },
        ];
      }, vecs));
  });

  // Regression: topMask() of widths of 31 mod 32 was not an int32, so andR() of an all-ones value over 256 bits
  // (the loop helpers) compared unequal and gave 0 (found by this file; fixed in 607b936).
  it('andR of all-ones values of 31 mod 32 bits (63..319)', () => {
    for (const w of [63, 95, 127, 255, 287, 319]) {
      check(`andR ${w}`, [{ w, s: false }], ([x]) => [x!.andR()], ([p]) => [{ w: 1, s: false, v: p === mask(w) ? 1n : 0n }], [[-1n], [-3n], [0n]]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('selection', () => {
  it('mux', () => {
    const arb = fc.tuple(pair(false), fc.option(rawArb, { freq: 5, nil: undefined }));
    prop(arb, ([[a, b], c], vecs) =>
      check('mux', [{ w: 1, s: false, c }, a, b], ([sel, t, f]) => [mux(sel!, t!, f!)], ([s, t, f]) => [
        { w: a.w, s: a.s && b.s, v: s ? t! : f! },
      ], vecs));
  });

  it('select: index of clog2(n) bits or wider; any index >= n gives the last value', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 0, max: 3 }), widthArb, fc.boolean());
    prop(arb, ([n, extra, w, s], vecs) => {
      const iw = clog2(n) + extra;
      const ports: Port[] = [{ w: iw, s: false }, ...Array.from({ length: n }, () => ({ w, s }))];
      // small indexes half of the time, so that the in-range ones are common
      const v2 = vecs.map((v, i) => (i % 2 ? [v[0]! & 31n, ...v.slice(1)] : v));
      check(`select of ${n} by u${iw}`, ports, ([i, ...vs]) => [select(i!, vs)], ([i, ...vs]) => [
        { w, s, v: vs[Math.min(Number(i!), n - 1)]! },
      ], v2);
    });
  });

  // Regression: 6 values, index 6 gave value 4, and the upper bits of a wide index were ignored (found by this
  // file; fixed in 607b936).
  it('select: out-of-range indexes (6 values by 3 bits, 3 values by 4 bits)', () => {
    const six: Port[] = [{ w: 3, s: false }, ...Array.from({ length: 6 }, () => ({ w: 8, s: false }))];
    check('select of 6', six, ([i, ...vs]) => [select(i!, vs)], ([i, ...vs]) => [{ w: 8, s: false, v: vs[Math.min(Number(i!), 5)]! }],
      [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n].map((i) => [i, 10n, 11n, 12n, 13n, 14n, 15n]));
    const three: Port[] = [{ w: 4, s: false }, ...Array.from({ length: 3 }, () => ({ w: 8, s: false }))];
    check('select of 3', three, ([i, ...vs]) => [select(i!, vs)], ([i, ...vs]) => [{ w: 8, s: false, v: vs[Math.min(Number(i!), 2)]! }],
      Array.from({ length: 16 }, (_, i) => [BigInt(i), 10n, 11n, 12n]));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('width and type changes', () => {
  const grow = fc.tuple(operand(widthArb, fc.boolean(), false), fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constantFrom(0, 1, 31, 32, 33, 64)));
  it('zext / sext / resize', () => {
    prop(grow, ([a, d], vecs) => {
      const w = a.w + d;
      check(`extend ${a.w} -> ${w}`, [a], ([x]) => [x!.zext(w), x!.sext(w), x!.resize(w)], ([p]) => [
        { w, s: a.s, v: p! },
        { w, s: a.s, v: BigInt.asIntN(a.w, p!) },
        { w, s: a.s, v: a.s ? BigInt.asIntN(a.w, p!) : p! },
      ], vecs);
    });
  });

  it('trunc keeps the signedness', () => {
    prop(fc.tuple(operand(widthArb, fc.boolean(), false), fc.nat()), ([a, k], vecs) => {
      const w = 1 + (k % a.w);
      check(`trunc ${a.w} -> ${w}`, [a], ([x]) => [x!.trunc(w)], ([p]) => [{ w, s: a.s, v: p! }], vecs);
    });
  });

  it('asSigned / asUnsigned keep the bits', () => {
    prop(operand(widthArb, fc.boolean(), false), (a, vecs) =>
      check('casts', [a], ([x]) => [x!.asSigned(), x!.asUnsigned(), x!.asSigned().sext(a.w + 40), x!.asUnsigned().resize(a.w + 40)], ([p]) => [
        { w: a.w, s: true, v: p! },
        { w: a.w, s: false, v: p! },
        { w: a.w + 40, s: true, v: BigInt.asIntN(a.w, p!) },
        { w: a.w + 40, s: false, v: p! },
      ], vecs));
  });
});
