// Code generation for one node: the JavaScript statement that computes a combinational node into its slot.
// Values of 32 bits or less are int32 expressions inlined here; wider ones are unrolled by codegen-wide.ts or call the
// limb helpers in wide.ts.
// Generated functions declare scratch locals `t` and `c` (shifts, memory reads, carries).
import type { Sig } from '../../rtl/core/index.ts';
import { MemRead } from '../../rtl/core/index.ts';
import { nlimbs } from './wide.ts';
import { inlineWide } from './codegen-wide.ts';

export interface GenContext {
  slot(s: Sig): number;
  /** The expression of a node inlined into its only user, if it was. */
  inlined(s: Sig): string | undefined;
  /** Name of the typed array holding a memory's words, e.g. `M3`. */
  memName(m: MemRead['mem']): string;
}

const maskOf = (w: number): string => (w >= 32 ? '-1' : String(2 ** w - 1));

/** Narrow value of s as an int32 expression (constants inlined). */
function val(ctx: GenContext, s: Sig): string {
  if (s.kind === 'const' && s.width <= 32) return String(Number(BigInt.asIntN(32, s.value)));
  const e = ctx.inlined(s);
  return e === undefined ? `S[${ctx.slot(s)}]` : `(${e})`;
}

/** All operands and the result fit in 32 bits: the node is one int32 expression. */
export function isNarrow(n: Sig): boolean {
  return n.width <= 32 && n.args.every((a) => a.width <= 32);
}

const noInline = new Set(['wire', 'input', 'output', 'cast', 'memrda', 'const', 'reg', 'memrd']);

/**
 * Can node n be computed inside the expression of its only user (no slot of its own)? Only pure narrow operators
 * that use no scratch local, inlined into narrow operators.
 */
export function inlinable(n: Sig, user: Sig): boolean {
  if (noInline.has(n.kind) || noInline.has(user.kind) || n.name) return false;
  if (!isNarrow(n) || !isNarrow(user)) return false;
  if ((n.kind === 'shl' || n.kind === 'shr' || n.kind === 'sra') && n.args[1]!.kind !== 'const') return false;
  return true;
}


/** Truncate an int32 expression to w bits (canonical form: bits above w zero). */
function m(e: string, w: number): string {
  return w >= 32 ? `(${e}) | 0` : `(${e}) & ${maskOf(w)}`;
}

/** Sign-extend a canonical w-bit value to int32. */
function sx(e: string, w: number): string {
  return w >= 32 ? e : `((${e}) << ${32 - w} >> ${32 - w})`;
}

/** The shift amount of a shift node as a non-negative number expression, or a constant. */
function amount(ctx: GenContext, s: Sig): { k?: number; e: string } {
  if (s.kind === 'const') {
    const k = s.value > 0x7fffffffn ? 0x7fffffff : Number(s.value);
    return { k, e: String(k) };
  }
  if (s.width <= 32) return { e: `(${val(ctx, s)} >>> 0)` };
  return { e: `w_amount(S, ${ctx.slot(s)}, ${s.width})` };
}

export function genNode(ctx: GenContext, n: Sig): string {
  const w = n.width;
  const o = ctx.slot(n);
  const a = n.args;
  const narrowArgs = a.every((x) => x.width <= 32);
  if (w <= 32 && (narrowArgs || n.kind === 'shl' || n.kind === 'shr' || n.kind === 'sra')) {
    return `S[${o}] = ${narrowExpr(ctx, n)};`;
  }
  return inlineWide(ctx, n, o) ?? wideStmt(ctx, n, o);
}

/** The int32 expression of a narrow node (its operands possibly inlined). */
export function narrowExpr(ctx: GenContext, n: Sig): string {
  const w = n.width;
  const [x, y, z] = n.args;
  const A = x ? val(ctx, x) : '';
  const B = y ? val(ctx, y) : '';
  switch (n.kind) {
    case 'add':
      return m(`${A} + ${B}`, w);
    case 'sub':
      return m(`${A} - ${B}`, w);
    case 'mul':
      return m(`Math.imul(${x!.signed ? sx(A, x!.width) : A}, ${y!.signed ? sx(B, y!.width) : B})`, w);
    case 'and':
      return `${A} & ${B}`;
    case 'or':
      return `${A} | ${B}`;
    case 'xor':
      return `${A} ^ ${B}`;
    case 'not':
      return m(`~${A}`, w);
    case 'shl': {
      const s = amount(ctx, y!);
      if (s.k !== undefined) return s.k >= w ? '0' : m(`${A} << ${s.k}`, w);
      return `(t = ${s.e}, t >= ${w} ? 0 : ${m(`${A} << t`, w)})`;
    }
    case 'shr': {
      const s = amount(ctx, y!);
      if (s.k !== undefined) return s.k >= w ? '0' : `(${A} >>> ${s.k}) | 0`;
      return `(t = ${s.e}, t >= ${w} ? 0 : (${A} >>> t) | 0)`;
    }
    case 'sra': {
      const s = amount(ctx, y!);
      if (s.k !== undefined) return m(`${sx(A, w)} >> ${Math.min(s.k, w - 1)}`, w);
      return `(t = ${s.e}, ${m(`${sx(A, w)} >> (t >= ${w} ? ${w - 1} : t)`, w)})`;
    }
    case 'eq':
      return `${A} === ${B} ? 1 : 0`;
    case 'ne':
      return `${A} !== ${B} ? 1 : 0`;
    case 'lt':
    case 'le': {
      const op = n.kind === 'lt' ? '<' : '<=';
      if (x!.signed) return `${sx(A, x!.width)} ${op} ${sx(B, y!.width)} ? 1 : 0`;
      return `(${A} >>> 0) ${op} (${B} >>> 0) ? 1 : 0`;
    }
    case 'cat': {
      let pos = w;
      const parts: string[] = [];
      for (const p of n.args) {
        pos -= p.width;
        parts.push(pos === 0 ? val(ctx, p) : `(${val(ctx, p)} << ${pos})`);
      }
      return parts.join(' | ');
    }
    case 'slice':
      return w === 32 ? A : `(${A} >>> ${n.lo}) & ${maskOf(w)}`;
    case 'mux':
      return `${A} !== 0 ? ${B} : ${val(ctx, z!)}`;
    case 'redand':
      return `${A} === ${maskOf(x!.width)} ? 1 : 0`;
    case 'redor':
      return `${A} !== 0 ? 1 : 0`;
    case 'redxor':
      return `w_parity32(${A})`;
    case 'zext':
    case 'cast':
      return A;
    case 'sext':
      return m(sx(A, x!.width), w);
    case 'wire':
    case 'input':
    case 'output':
      return A;
    case 'memrda': {
      const r = n as MemRead;
      return `(t = ${A} >>> 0, t < ${r.mem.depth} ? ${ctx.memName(r.mem)}[t] : 0)`;
    }
    default:
      throw new Error(`internal: no narrow code for ${n.kind}`);
  }
}

function wideStmt(ctx: GenContext, n: Sig, o: number): string {
  const w = n.width;
  const [x, y, z] = n.args;
  const sl = (s: Sig) => ctx.slot(s);
  switch (n.kind) {
    case 'add':
    case 'sub':
    case 'and':
    case 'or':
    case 'xor':
      return `w_${n.kind}(S, ${o}, ${w}, ${sl(x!)}, ${sl(y!)});`;
    case 'not':
      return `w_not(S, ${o}, ${w}, ${sl(x!)});`;
    case 'mul':
      return `w_mul(S, ${o}, ${w}, ${sl(x!)}, ${x!.width}, ${x!.signed}, ${sl(y!)}, ${y!.width}, ${y!.signed});`;
    case 'shl':
      return `w_shl(S, ${o}, ${w}, ${sl(x!)}, ${amount(ctx, y!).e});`;
    case 'shr':
    case 'sra':
      return `w_shr(S, ${o}, ${w}, ${sl(x!)}, ${amount(ctx, y!).e}, ${n.kind === 'sra'});`;
    case 'eq':
      return `S[${o}] = w_eq(S, ${sl(x!)}, ${sl(y!)}, ${x!.width});`;
    case 'ne':
      return `S[${o}] = 1 - w_eq(S, ${sl(x!)}, ${sl(y!)}, ${x!.width});`;
    case 'lt':
      return `S[${o}] = w_cmp(S, ${sl(x!)}, ${sl(y!)}, ${x!.width}, ${x!.signed}) < 0 ? 1 : 0;`;
    case 'le':
      return `S[${o}] = w_cmp(S, ${sl(x!)}, ${sl(y!)}, ${x!.width}, ${x!.signed}) <= 0 ? 1 : 0;`;
    case 'cat': {
      let pos = w;
      const parts = [`w_clear(S, ${o}, ${nlimbs(w)});`];
      for (const p of n.args) {
        pos -= p.width;
        parts.push(`w_insert(S, ${o}, ${pos}, ${sl(p)}, ${p.width});`);
      }
      return parts.join(' ');
    }
    case 'slice':
      if (w <= 32) return `S[${o}] = w_bits32(S, ${sl(x!)}, ${x!.width}, ${n.lo}, ${w});`;
      return `w_slice(S, ${o}, ${w}, ${sl(x!)}, ${x!.width}, ${n.lo});`;
    case 'mux':
      return `w_copy(S, ${o}, ${val(ctx, x!)} !== 0 ? ${sl(y!)} : ${sl(z!)}, ${nlimbs(w)});`;
    case 'redand':
    case 'redor':
    case 'redxor':
      return `S[${o}] = w_${n.kind}(S, ${sl(x!)}, ${x!.width});`;
    case 'zext':
    case 'sext':
    case 'cast':
    case 'wire':
    case 'input':
    case 'output':
      return `w_ext(S, ${o}, ${w}, ${sl(x ?? n)}, ${(x ?? n).width}, ${n.kind === 'sext'});`;
    case 'memrda': {
      const r = n as MemRead;
      return `w_memRead(S, ${o}, ${nlimbs(w)}, ${ctx.memName(r.mem)}, ${val(ctx, x!)} >>> 0, ${r.mem.depth});`;
    }
    default:
      throw new Error(`internal: no wide code for ${n.kind}`);
  }
}
