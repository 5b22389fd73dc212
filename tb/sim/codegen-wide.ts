// Inline code for values of 33..1024 bits: unrolled statements over 32-bit limbs with constant indices and shifts,
// which V8 compiles to straight-line integer code (cat/slice/rep chains become direct limb moves). Anything this
// does not cover (multiplies over 256 bits, shifts by a signal, wider values) falls back to the loop helpers in
// wide.ts.
import type { Sig } from '../../rtl/core/index.ts';
import { nlimbs } from './wide.ts';
import type { GenContext } from './codegen.ts';

export const INLINE_MAX_LIMBS = 32;

const top = (w: number): string => ((w & 31) === 0 ? '-1' : String(2 ** (w & 31) - 1));

/** Expression for limb i of s, extended past its width with zeros or (signed) copies of its top bit. */
function limb(ctx: GenContext, s: Sig, i: number, signed: boolean): string {
  const n = nlimbs(s.width);
  const r = s.width & 31;
  if (s.kind === 'const') {
    let v = signed ? BigInt.asIntN(s.width, s.value) : s.value;
    v >>= BigInt(32 * i);
    return String(Number(BigInt.asIntN(32, v)));
  }
  const o = ctx.slot(s);
  if (i < n - 1) return `S[${o + i}]`;
  const topLimb = signed && r !== 0 ? `(S[${o + n - 1}] << ${32 - r} >> ${32 - r})` : `S[${o + n - 1}]`;
  if (i === n - 1) return topLimb;
  return signed ? `(${topLimb} >> 31)` : '0';
}

/** 32 bits of s starting at bit b (b may be negative: the low bits are then zero). */
function bitsAt(ctx: GenContext, s: Sig, b: number, signed: boolean): string {
  if (b <= -32) return '0';
  if (b < 0) return `(${limb(ctx, s, 0, signed)} << ${-b})`;
  const q = b >>> 5;
  const r = b & 31;
  if (r === 0) return limb(ctx, s, q, signed);
  const lo = limb(ctx, s, q, signed);
  const hi = limb(ctx, s, q + 1, signed);
  const loPart = lo === '0' ? '' : `(${lo} >>> ${r})`;
  const hiPart = hi === '0' ? '' : `(${hi} << ${32 - r})`;
  return [loPart, hiPart].filter(Boolean).join(' | ') || '0';
}

function store(o: number, w: number, limbs: string[]): string[] {
  const n = nlimbs(w);
  return limbs.map((e, i) => (i === n - 1 && (w & 31) !== 0 ? `S[${o + i}] = (${e}) & ${top(w)};` : `S[${o + i}] = ${e};`));
}

/** Inline statements for node n into slot o, or undefined when the loop helpers should be used. */
export function inlineWide(ctx: GenContext, n: Sig, o: number): string | undefined {
  const w = n.width;
  const args = n.args;
  if (nlimbs(w) > INLINE_MAX_LIMBS || args.some((a) => nlimbs(a.width) > INLINE_MAX_LIMBS)) return undefined;
  const N = nlimbs(w);
  const [x, y, z] = args;
  const each = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i));
  switch (n.kind) {
    case 'and':
    case 'or':
    case 'xor': {
      const op = n.kind === 'and' ? '&' : n.kind === 'or' ? '|' : '^';
      return store(o, w, each((i) => `${limb(ctx, x!, i, false)} ${op} ${limb(ctx, y!, i, false)}`)).join(' ');
    }
    case 'not':
      return store(o, w, each((i) => `~${limb(ctx, x!, i, false)}`)).join(' ');
    case 'add':
    case 'sub': {
      const out: string[] = [];
      for (let i = 0; i < N; i++) {
        const a = `(${limb(ctx, x!, i, false)} >>> 0)`;
        const b = `(${limb(ctx, y!, i, false)} >>> 0)`;
        const carry = i === 0 ? '' : n.kind === 'add' ? ' + c' : ' - c';
        out.push(`t = ${a} ${n.kind === 'add' ? '+' : '-'} ${b}${carry};`);
        if (i < N - 1) out.push(n.kind === 'add' ? 'c = t > 4294967295 ? 1 : 0;' : 'c = t < 0 ? 1 : 0;');
        out.push(i === N - 1 && (w & 31) !== 0 ? `S[${o + i}] = t & ${top(w)};` : `S[${o + i}] = t | 0;`);
      }
      return out.join(' ');
    }
    case 'zext':
    case 'sext':
    case 'cast':
    case 'wire':
    case 'input':
    case 'output': {
      const src = x ?? n;
      return store(o, w, each((i) => limb(ctx, src, i, n.kind === 'sext'))).join(' ');
    }
    case 'mux': {
      const sel = x!.kind === 'const' ? String(Number(x!.value)) : `S[${ctx.slot(x!)}]`;
      const t = store(o, w, each((i) => limb(ctx, y!, i, false))).join(' ');
      const f = store(o, w, each((i) => limb(ctx, z!, i, false))).join(' ');
      return `if (${sel} !== 0) { ${t} } else { ${f} }`;
    }
    case 'eq':
    case 'ne': {
      const M = nlimbs(x!.width);
      const terms = Array.from({ length: M }, (_, i) => `${limb(ctx, x!, i, false)} === ${limb(ctx, y!, i, false)}`);
      return `S[${o}] = (${terms.join(' && ')}) ? ${n.kind === 'eq' ? '1 : 0' : '0 : 1'};`;
    }
    case 'lt':
    case 'le': {
      const M = nlimbs(x!.width);
      const sg = x!.signed;
      let e = n.kind === 'lt' ? 'false' : 'true';
      for (let i = 0; i < M; i++) {
        const signedLimb = sg && i === M - 1;
        const a = signedLimb ? limb(ctx, x!, i, true) : `(${limb(ctx, x!, i, false)} >>> 0)`;
        const b = signedLimb ? limb(ctx, y!, i, true) : `(${limb(ctx, y!, i, false)} >>> 0)`;
        e = i === 0 ? `${a} ${n.kind === 'lt' ? '<' : '<='} ${b}` : `(${a} !== ${b} ? ${a} < ${b} : ${e})`;
      }
      return `S[${o}] = ${e} ? 1 : 0;`;
    }
    case 'slice':
      return store(o, w, each((i) => bitsAt(ctx, x!, n.lo + 32 * i, false))).join(' ');
    case 'cat': {
      if (args.every((p) => p === args[0]) && args[0]!.width === 1) {
        return store(o, w, each(() => `-${limb(ctx, args[0]!, 0, false)}`)).join(' ');
      }
      const parts: Array<{ p: Sig; pos: number }> = [];
      let pos = w;
      for (const p of args) {
        pos -= p.width;
        parts.push({ p, pos });
      }
      return store(o, w, each((k) => {
        const terms = parts
          .filter(({ p, pos }) => pos < 32 * (k + 1) && pos + p.width > 32 * k)
          .map(({ p, pos }) => bitsAt(ctx, p, 32 * k - pos, false))
          .filter((e) => e !== '0');
        return terms.length ? terms.join(' | ') : '0';
      })).join(' ');
    }
    case 'shl':
    case 'shr':
    case 'sra': {
      if (y!.kind !== 'const') return undefined;
      const k = y!.value >= BigInt(w) ? w : Number(y!.value);
      if (n.kind === 'shl') return store(o, w, each((i) => (k >= w ? '0' : bitsAt(ctx, x!, 32 * i - k, false)))).join(' ');
      const kk = n.kind === 'sra' ? Math.min(k, w - 1) : k;
      if (n.kind === 'shr' && k >= w) return store(o, w, each(() => '0')).join(' ');
      return store(o, w, each((i) => bitsAt(ctx, x!, 32 * i + kk, n.kind === 'sra'))).join(' ');
    }
    case 'redor': {
      const M = nlimbs(x!.width);
      return `S[${o}] = (${Array.from({ length: M }, (_, i) => limb(ctx, x!, i, false)).join(' | ')}) !== 0 ? 1 : 0;`;
    }
    case 'redand': {
      const M = nlimbs(x!.width);
      const terms = Array.from({ length: M }, (_, i) => `${limb(ctx, x!, i, false)} === ${i === M - 1 ? top(x!.width) : '-1'}`);
      return `S[${o}] = (${terms.join(' && ')}) ? 1 : 0;`;
    }
    case 'redxor': {
      const M = nlimbs(x!.width);
      return `S[${o}] = w_parity32(${Array.from({ length: M }, (_, i) => limb(ctx, x!, i, false)).join(' ^ ')});`;
    }
    case 'mul':
      return inlineMul(ctx, n, o);
    default:
      return undefined;
  }
}

/**
 * A product of up to 256 bits as straight-line code over 16-bit digits: column sums of digit products (exact in
 * doubles), then one carry pass. An unsigned operand contributes only its own digits.
 */
function inlineMul(ctx: GenContext, n: Sig, o: number): string | undefined {
  const w = n.width;
  const nd = (w + 15) >>> 4;
  if (nd > 16) return undefined;
  const [x, y] = n.args as [Sig, Sig];
  const digits = (s: Sig, name: string): string[] => {
    const count = Math.min(nd, s.signed ? nd : (s.width + 15) >>> 4);
    return Array.from({ length: count }, (_, i) => {
      const l = limb(ctx, s, i >>> 1, s.signed);
      const e = l === '0' ? '0' : i & 1 ? `(${l} >>> 16)` : `(${l} & 65535)`;
      return `${name}${i} = ${e}`;
    });
  };
  const dx = digits(x, 'x');
  const dy = digits(y, 'y');
  const out: string[] = [`{ const ${[...dx, ...dy].join(', ')};`, 'let q = 0, r = 0;'];
  const r: string[] = [];
  for (let k = 0; k < nd; k++) {
    const terms: string[] = [];
    for (let i = 0; i <= k && i < dx.length; i++) if (k - i < dy.length) terms.push(`x${i} * y${k - i}`);
    out.push(`q = ${k === 0 ? '' : 'q + '}${terms.length ? terms.join(' + ') : '0'}; r = q % 65536; q = (q - r) / 65536; const r${k} = r;`);
    r.push(`r${k}`);
  }
  const limbs = Array.from({ length: (w + 31) >>> 5 }, (_, L) => (2 * L + 1 < nd ? `${r[2 * L]} | (${r[2 * L + 1]} << 16)` : r[2 * L]!));
  out.push(...store(o, w, limbs), '}');
  return out.join(' ');
}
