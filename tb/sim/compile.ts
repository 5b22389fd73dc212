// The compiler: turns a netlist into JavaScript functions over one Int32Array of state. `settle()` evaluates all
// combinational logic in dependency order, module by module, split into chunks small enough for V8 to optimize;
// a chunk runs only when one of its inputs changed since it last ran (idle blocks cost next to nothing). One
// `edge` function per clock domain updates its registers and memory ports, as SystemVerilog always_ff would.
import type { Memory, MemRead, Netlist, Reg, Sig } from '../../rtl/core/index.ts';
import * as W from './wide.ts';
import { layout, type Layout } from './layout.ts';
import { genNode, inlinable, narrowExpr, type GenContext } from './codegen.ts';
import { Wire } from '../../rtl/core/index.ts';

export type MemArray = Int32Array | Uint8Array | Uint16Array;

export interface Compiled {
  readonly layout: Layout;
  readonly S: Int32Array;
  readonly mems: MemArray[];
  readonly memIndex: Map<Memory, number>;
  settle(): void;
  /** One per domain of netlist.domains. */
  readonly edges: Array<() => void>;
  /** Per domain, its edge in three phases (sample, write memories, 'new' reads), for simultaneous edges. */
  readonly phases: Array<Array<() => void>>;
  /** n cycles of one domain (edge then settle), with no clock bookkeeping: the fast path. */
  run(n: number, domain: number): void;
  /** The generated source, for debugging. */
  readonly source: string;
  /** Nodes computed inside their only reader (no slot value of their own), and how to compute one on demand. */
  readonly probeIndex: ReadonlyMap<Sig, number>;
  probe(i: number): number;
  /** Settle re-evaluates only logic whose inputs changed: after writing state or memories from outside, say so. */
  markAll(): void;
  /** The n limbs at slot o were written from outside (an input poked, a clock level). */
  markSlot(o: number, n?: number): void;
}

const STATEMENTS_PER_CHUNK = 200;
/** A chunk ends where the module changes once it has this many statements (so idle modules' chunks stay idle). */
const MIN_CHUNK_AT_MODULE_CHANGE = 8;
/** Source characters per chunk: inlined expressions make statements long, and V8 does not optimize big functions
 * (30 KB measured best on the 64x64 DIMC unit). */
const CHARS_PER_CHUNK = 30_000;
/** Deepest nesting of inlined expressions, and longest inlined expression, before a value gets its own slot. */
const MAX_INLINE_DEPTH = 12;
const MAX_INLINE_CHARS = 1500;

/** Storage for a memory: the narrowest typed array that holds a word; wide words as consecutive int32 limbs. */
export function memStorage(m: Memory): MemArray {
  if (m.width <= 8) return new Uint8Array(m.depth);
  if (m.width <= 16) return new Uint16Array(m.depth);
  return new Int32Array(m.depth * W.nlimbs(m.width));
}

export interface CompileOptions {
  /** Statements per settle chunk (default 200): tests use small chunks to exercise activity tracking. */
  statementsPerChunk?: number;
}

/** Longest wide word (in limbs) that edges copy, read or write with unrolled statements rather than helpers. */
const UNROLL_LIMBS = 32;

export function compile(nl: Netlist, opts: CompileOptions = {}): Compiled {
  const perChunk = opts.statementsPerChunk ?? STATEMENTS_PER_CHUNK;
  if (!Number.isInteger(perChunk) || perChunk < 1) throw new Error(`statementsPerChunk: ${perChunk} is not a positive integer`);
  const lay = layout(nl);
  const memIndex = new Map<Memory, number>(nl.memories.map((m, i) => [m, i]));
  const inl = new Map<Sig, { e: string; depth: number }>();
  const ctx: GenContext = {
    inlined: (s) => inl.get(s)?.e,
    slot(s: Sig): number {
      const o = lay.slot.get(s);
      if (o === undefined) throw new Error(`internal: no slot for ${s.describe()}`);
      return o;
    },
    memName: (m) => `M${memIndex.get(m)}`,
  };

  const fns: string[] = [];
  const chunk = (prefix: string, stmts: string[]): string[] => {
    const names: string[] = [];
    for (let i = 0; i < stmts.length; ) {
      let j = i;
      let size = 0;
      while (j < stmts.length && j - i < perChunk && (j === i || size + stmts[j]!.length <= CHARS_PER_CHUNK)) size += stmts[j++]!.length;
      const name = `${prefix}${names.length}`;
      names.push(name);
      fns.push(`function ${name}() {\n  let t = 0, c = 0;\n  ${stmts.slice(i, j).join('\n  ')}\n}`);
      i = j;
    }
    return names;
  };

  // ---- combinational settle
  // who reads each node: a node with one reader that is a narrow operator is computed inside that reader
  const readers = new Map<Sig, number>();
  const onlyReader = new Map<Sig, Sig>();
  const read = (s: Sig | undefined, by: Sig | undefined) => {
    if (!s) return;
    readers.set(s, (readers.get(s) ?? 0) + 1);
    if (by) onlyReader.set(s, by);
  };
  for (const n of nl.comb) for (const a of n instanceof Wire ? [n.driver] : n.args) read(a, n);
  for (const r of nl.regs) {
    read(r.d, undefined);
    read(r.en, undefined);
  }
  for (const m of nl.memories) {
    for (const r of m.reads) {
      read(r.addr, undefined);
      read(r.en, undefined);
    }
    for (const w of m.writes) for (const x of [w.addr, w.data, w.en, w.mask]) read(x, undefined);
  }
  // Activity tracking: settle is split into chunks, and a chunk runs only when one of its inputs changed since it
  // last ran (D[k] set). Each statement records the slots (and memories) it reads and the slots it writes; a
  // chunk compares the values it writes that later chunks read with their previous values (P) and marks those
  // readers; edges mark the readers of a register or read port whose value changed, and of a written memory.
  interface Stmt {
    code: string;
    reads: number[];
    writes: number[];
    mems: number[];
    /** The module the statement belongs to (chunks are cut where it changes). */
    group: unknown;
  }
  const limbsOf = (o: number, w: number): number[] => Array.from({ length: W.nlimbs(w) }, (_, i) => o + i);
  const readsOf = (n: Sig, out: number[], mems: number[]): void => {
    if (n.kind === 'memrda') mems.push(memIndex.get((n as MemRead).mem)!);
    for (const a of n instanceof Wire ? [n.driver] : n.args) {
      if (!a || a.kind === 'const') continue;
      if (inl.has(a)) readsOf(a, out, mems);
      else out.push(...limbsOf(ctx.slot(a), a.width));
    }
  };
  const combStmts: Stmt[] = [];
  const order = moduleOrder(nl.comb);
  for (const n of order.nodes) {
    if ((n.kind === 'wire' || n.kind === 'output' || n.kind === 'input' || n.kind === 'cast') && lay.slot.get(n) === lay.slot.get(n.kind === 'cast' ? n.args[0]! : (n as { driver?: Sig }).driver!)) continue;
    const user = readers.get(n) === 1 ? onlyReader.get(n) : undefined;
    if (user && inlinable(n, user)) {
      const depth = 1 + Math.max(0, ...n.args.map((a) => inl.get(a)?.depth ?? 0));
      const e = narrowExpr(ctx, n);
      if (depth <= MAX_INLINE_DEPTH && e.length <= MAX_INLINE_CHARS) {
        inl.set(n, { e, depth });
        continue;
      }
    }
    const reads: number[] = [];
    const mems: number[] = [];
    readsOf(n, reads, mems);
    combStmts.push({ code: genNode(ctx, n), reads, writes: limbsOf(ctx.slot(n), n.width), mems, group: order.group.get(n) });
  }
  // edges mark the readers of what they change: placeholders, filled in once the chunks are known
  const markSlots = (o: number, n: number): string => `\u0001S${o}:${n}\u0001`;
  const markMem = (m: Memory): string => `\u0001M${memIndex.get(m)}\u0001`;
  // branch-free marking (D[k] |= c, c nonzero when the value changed): a branch that is rarely taken leaves V8
  // without type feedback, and the big generated functions deoptimize when it is first taken
  const markIfC = (o: number, n: number): string => `\u0001C${o}:${n}\u0001`;
  const range = (n: number, f: (i: number) => string, sep = ' '): string => Array.from({ length: n }, (_, i) => f(i)).join(sep);
  /** Copy n limbs from `from` to `to`, marking the readers of `to` when the value changes. */
  const loadStmt = (to: number, from: number, n: number): string => {
    if (n <= UNROLL_LIMBS) return `c = ${range(n, (i) => `(S[${to + i}] ^ S[${from + i}])`, ' | ')}; ${range(n, (i) => `S[${to + i}] = S[${from + i}];`)} ${markIfC(to, n)}`;
    return `if (w_eq(S, ${to}, ${from}, ${32 * n}) === 0) { S.copyWithin(${to}, ${from}, ${from + n}); ${markSlots(to, n)} }`;
  };
  // edge inputs are requested while generating edges, so generate edges first and copies after
  const edgeNames: string[] = [];
  const phaseNames: string[][] = [];
  const resetValue = (r: Reg, q: number): string[] => {
    const out: string[] = [];
    let v = r.init;
    for (let i = 0; i < W.nlimbs(r.width); i++) {
      out.push(`S[${q + i}] = ${Number(BigInt.asIntN(32, v))};`);
      v >>= 32n;
    }
    return out;
  };
  const copyStmt = (to: number, from: number, n: number): string =>
    n <= 4 ? Array.from({ length: n }, (_, i) => `S[${to + i}] = S[${from + i}];`).join(' ') : `S.copyWithin(${to}, ${from}, ${from + n});`;

  const asyncResets: string[] = [];
  nl.domains.forEach((d, di) => {
    const rst = ctx.slot(nl.resets.get(d)!);
    const regs = nl.regs.filter((r) => r.domain === d);
    const onReset: string[] = [];
    const onLoad: string[] = [];
    const always: string[] = [];
    const asyncHere: string[] = [];
    for (const r of regs) {
      const q = ctx.slot(r);
      const n = W.nlimbs(r.width);
      let load = '';
      if (r.d && r.d !== r) {
        load = loadStmt(q, lay.edgeIn(r.d), n);
        if (r.en) load = `if (S[${lay.edgeIn(r.en)}] !== 0) { ${load} }`;
      }
      if (r.resetKind === 'none') {
        if (load) always.push(load);
        continue;
      }
      onReset.push(...resetValue(r, q));
      if (load) onLoad.push(load);
      if (r.resetKind === 'async') asyncHere.push(...resetValue(r, q));
    }
    if (asyncHere.length) asyncResets.push(`if (S[${rst}] !== 0) {\n  D.fill(1);\n  ${asyncHere.join('\n  ')}\n}`);
    // memory ports of this domain
    const readsOld: string[] = [];
    const readsNew: string[] = [];
    const writes: string[] = [];
    for (const mem of nl.memories) {
      const M = ctx.memName(mem);
      const n = W.nlimbs(mem.width);
      for (const r of mem.reads) {
        if (r.domain !== d) continue;
        const q = ctx.slot(r);
        const a = `S[${lay.edgeIn(r.addr)}] >>> 0`;
        const mark = markIfC(q, n);
        let code = n === 1
          ? `t = ${a}; t = t < ${mem.depth} ? ${M}[t] : 0; c = S[${q}] ^ t; S[${q}] = t; ${mark}`
          : n <= UNROLL_LIMBS
            ? `t = ${a}; if (t < ${mem.depth}) { t = t * ${n}; c = ${range(n, (i) => `(S[${q + i}] ^ ${M}[t + ${i}])`, ' | ')}; ` +
              `${range(n, (i) => `S[${q + i}] = ${M}[t + ${i}];`)} } ` +
              `else { c = ${range(n, (i) => `S[${q + i}]`, ' | ')}; ${range(n, (i) => `S[${q + i}] = 0;`)} } ${mark}`
            : `w_memRead(S, ${q}, ${n}, ${M}, ${a}, ${mem.depth}); ${markSlots(q, n)}`;
        if (r.en) code = `if (S[${lay.edgeIn(r.en)}] !== 0) { ${code} }`;
        (mem.readDuringWrite === 'new' ? readsNew : readsOld).push(code);
      }
      for (const wp of mem.writes) {
        if (wp.domain !== d) continue;
        const a = `S[${lay.edgeIn(wp.addr)}] >>> 0`;
        const data = lay.edgeIn(wp.data);
        let code: string;
        if (n === 1) {
          let word = `S[${data}]`;
          if (wp.mask) {
            const mk = wp.maskKind === 'byte' ? `w_byteMask4[S[${lay.edgeIn(wp.mask)}]]` : `S[${lay.edgeIn(wp.mask)}]`;
            word = `(${M}[t] & ~${mk}) | (S[${data}] & ${mk})`;
          }
          code = `t = ${a}; if (t < ${mem.depth}) { ${M}[t] = ${word}; ${markMem(mem)} }`;
        } else if (n <= UNROLL_LIMBS) {
          // straight-line limb writes; a byte mask expands to a 32-bit mask per limb from 4 enable bits
          const limbs: string[] = [];
          const mo = wp.mask ? lay.edgeIn(wp.mask) : -1;
          const mn = wp.mask ? W.nlimbs(wp.mask.width) : 0;
          for (let i = 0; i < n; i++) {
            if (!wp.mask) limbs.push(`${M}[t + ${i}] = S[${data + i}];`);
            else {
              const bit = wp.maskKind === 'byte' ? 4 * i : 32 * i;
              if (bit >>> 5 >= mn) continue;
              const k = wp.maskKind === 'byte' ? `w_byteMask4[(S[${mo + (bit >>> 5)}] >>> ${bit & 31}) & 15]` : `S[${mo + i}]`;
              limbs.push(`c = ${k}; if (c !== 0) ${M}[t + ${i}] = (${M}[t + ${i}] & ~c) | (S[${data + i}] & c);`);
            }
          }
          code = `t = ${a}; if (t < ${mem.depth}) { t = t * ${n}; ${limbs.join(' ')} ${markMem(mem)} }`;
        } else {
          const mk = wp.mask ? `${lay.edgeIn(wp.mask)}, ${wp.mask.width}, ${wp.maskKind === 'byte'}` : '-1, 0, false';
          code = `t = ${a}; if (t < ${mem.depth}) { w_memWrite(${M}, t, ${n}, S, ${data}, ${mk}); ${markMem(mem)} }`;
        }
        if (wp.en) code = `if (S[${lay.edgeIn(wp.en)}] !== 0) { ${code} }`;
        writes.push(code);
      }
    }
    // three phases, so that domains rising at one instant all sample before any of them writes a memory:
    // 0: 'old' reads and registers, 1: memory writes, 2: 'new' reads
    const sample: string[] = [...chunk(`e${di}_ro`, readsOld)];
    for (let i = 0; i < Math.max(onReset.length, onLoad.length); i += STATEMENTS_PER_CHUNK) {
      const name = `e${di}_r${i / STATEMENTS_PER_CHUNK}`;
      fns.push(`function ${name}() {\n  let t = 0, c = 0;\n  if (S[${rst}] !== 0) {\n    D.fill(1);\n    ${onReset.slice(i, i + STATEMENTS_PER_CHUNK).join('\n    ')}\n  } else {\n    ${onLoad.slice(i, i + STATEMENTS_PER_CHUNK).join('\n    ')}\n  }\n}`);
      sample.push(name);
    }
    sample.push(...chunk(`e${di}_a`, always));
    const phases = [sample, chunk(`e${di}_w`, writes), chunk(`e${di}_rn`, readsNew)].map((parts, p) => {
      const name = `edge${di}_p${p}`;
      fns.push(`function ${name}() {\n  ${parts.map((x) => `${x}();`).join('\n  ')}\n}`);
      return name;
    });
    phaseNames.push(phases);
    const name = `edge${di}`;
    fns.push(`function ${name}() {\n  ${phases.map((x) => `${x}();`).join('\n  ')}\n}`);
    edgeNames.push(name);
  });

  for (const [from, to, n] of lay.copies) combStmts.push({ code: copyStmt(to, from, n), reads: limbsOf(from, 32 * n), writes: limbsOf(to, 32 * n), mems: [], group: lay.copies });
  // split settle into chunks; who reads what
  const chunkOf: number[] = [];
  const chunkStarts: number[] = [];
  for (let i = 0; i < combStmts.length; ) {
    let j = i;
    let size = 0;
    const len = (k: number) => combStmts[k]!.code.length + 40 * Math.min(4, combStmts[k]!.writes.length);
    while (
      j < combStmts.length && j - i < perChunk && (j === i || size + len(j) <= CHARS_PER_CHUNK) &&
      !(j - i >= MIN_CHUNK_AT_MODULE_CHANGE && combStmts[j]!.group !== combStmts[j - 1]!.group)
    ) size += len(j++);
    chunkStarts.push(i);
    for (let k = i; k < j; k++) chunkOf.push(chunkStarts.length - 1);
    i = j;
  }
  const nChunks = chunkStarts.length;
  const writer = new Int32Array(lay.size).fill(-1);
  const slotReaders = new Map<number, Set<number>>();
  const memReaders = new Map<number, Set<number>>();
  const addTo = <K,>(m: Map<K, Set<number>>, k: K, c: number) => {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(c);
  };
  combStmts.forEach((st, i) => {
    const k = chunkOf[i]!;
    for (const r of st.reads) if (writer[r] !== k) addTo(slotReaders, r, k);
    for (const m of st.mems) addTo(memReaders, m, k);
    for (const w of st.writes) writer[w] = k;
  });
  const marks = (chunks: Iterable<number>): string => [...new Set(chunks)].sort((a, b) => a - b).map((c) => `D[${c}] = 1;`).join(' ');
  const marksIfC = (chunks: Iterable<number>): string => [...new Set(chunks)].sort((a, b) => a - b).map((c) => `D[${c}] |= c;`).join(' ');
  const readersOf = (o: number, n: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(...(slotReaders.get(o + i) ?? []));
    return out;
  };
  const combNames: string[] = [];
  for (let k = 0; k < nChunks; k++) {
    const stmts = combStmts.slice(chunkStarts[k], k + 1 < nChunks ? chunkStarts[k + 1] : combStmts.length);
    const exports: string[] = [];
    for (const st of stmts) {
      const out = st.writes.filter((w) => [...(slotReaders.get(w) ?? [])].some((c) => c !== k));
      if (!out.length) continue;
      const readers = out.flatMap((w) => [...slotReaders.get(w)!]).filter((c) => c !== k);
      exports.push(`c = ${out.map((w) => `(S[${w}] ^ P[${w}])`).join(' | ')}; ${out.map((w) => `P[${w}] = S[${w}];`).join(' ')} ${marksIfC(readers)}`);
    }
    const name = `c${k}`;
    combNames.push(name);
    fns.push(`function ${name}() {\n  if (D[${k}] === 0) return;\n  D[${k}] = 0;\n  let t = 0, c = 0;\n  ${stmts.map((x) => x.code).join('\n  ')}\n  ${exports.join('\n  ')}\n}`);
  }
  // fill in the edges' marks
  for (let i = 0; i < fns.length; i++) {
    fns[i] = fns[i]!.replace(/\u0001S(\d+):(\d+)\u0001/g, (_, o: string, n: string) => marks(readersOf(Number(o), Number(n))))
      .replace(/\u0001C(\d+):(\d+)\u0001/g, (_, o: string, n: string) => marksIfC(readersOf(Number(o), Number(n))))
      .replace(/\u0001M(\d+)\u0001/g, (_, m: string) => marks(memReaders.get(Number(m)) ?? []));
  }
  // inlined nodes have no value in their slot: peek() computes them with their expression
  const probeIndex = new Map<Sig, number>();
  const probeCases: string[] = [];
  for (const [s, { e }] of inl) {
    probeIndex.set(s, probeCases.length);
    probeCases.push(`case ${probeCases.length}: return ${e};`);
  }
  fns.push(`function probe(i) {\n  let t = 0, c = 0;\n  switch (i) {\n    ${probeCases.join('\n    ')}\n  }\n  return 0;\n}`);
  const asyncNames = chunk('ar', asyncResets);
  fns.push(`function settle() {\n  ${[...asyncNames, ...combNames].map((p) => `${p}();`).join('\n  ')}\n}`);
  const runBody = edgeNames.map((e, i) => `    if (d === ${i}) { for (let i = 0; i < n; i++) { ${e}(); settle(); } return; }`).join('\n');
  fns.push(`function run(n, d) {\n${runBody}\n}`);

  const helpers = Object.keys(W).filter((k) => typeof (W as Record<string, unknown>)[k] === 'function' || k === 'byteMask4');
  const memDecls = nl.memories.map((_, i) => `const M${i} = MEM[${i}];`).join('\n');
  const source = `'use strict';\nconst D = DP.D, P = DP.P;\n${helpers.map((h) => `const w_${h} = Wh.${h};`).join('\n')}\n${memDecls}\n${fns.join('\n\n')}\nreturn { settle, edges: [${edgeNames.join(', ')}], phases: [${phaseNames.map((p) => `[${p.join(', ')}]`).join(', ')}], run, probe };`;

  const S = new Int32Array(lay.size);
  const D = new Int32Array(Math.max(1, nChunks)).fill(1);
  const P = new Int32Array(lay.size);
  const readerLists = new Map<number, number[]>([...slotReaders].map(([o, set]) => [o, [...set]]));
  for (const c of nl.consts) W.fromBigInt(S, ctx.slot(c), c.width, c.value);
  const mems = nl.memories.map(memStorage);
  const factory = new Function('S', 'Wh', 'MEM', 'DP', source) as (S: Int32Array, w: typeof W, mem: MemArray[], dp: { D: Int32Array; P: Int32Array }) => {
    settle(): void;
    edges: Array<() => void>;
    phases: Array<Array<() => void>>;
    run(n: number, d: number): void;
    probe(i: number): number;
  };
  const fnsObj = factory(S, W, mems, { D, P });
  const markAll = (): void => {
    D.fill(1);
  };
  const markSlot = (o: number, n = 1): void => {
    for (let i = 0; i < n; i++) {
      const r = readerLists.get(o + i);
      if (r) for (const c of r) D[c] = 1;
    }
  };
  return { layout: lay, S, mems, memIndex, settle: fnsObj.settle, edges: fnsObj.edges, phases: fnsObj.phases, run: fnsObj.run, source, probeIndex, probe: fnsObj.probe, markAll, markSlot };
}


/**
 * The combinational nodes in an evaluation order that keeps each module's logic together (levelized order
 * interleaves all modules level by level): a topological order that stays in the current module while it has a
 * node ready. Settle chunks then cover few modules each, so an idle block's chunks are skipped.
 */
function moduleOrder(comb: readonly Sig[]): { nodes: Sig[]; group: Map<Sig, unknown> } {
  const inComb = new Set(comb);
  const deps = (n: Sig): Sig[] => (n instanceof Wire ? (n.driver ? [n.driver] : []) : [...n.args]).filter((a) => inComb.has(a));
  const group = new Map<Sig, unknown>();
  const groupOf = (n: Sig): unknown => n.owner ?? group.get(n) ?? n.args.find((a) => a.owner)?.owner;
  const users = new Map<Sig, Sig[]>();
  const pending = new Map<Sig, number>();
  for (const n of comb) {
    const ds = deps(n);
    let g: unknown = n.owner;
    for (const a of n instanceof Wire ? [n.driver] : n.args) if (g === undefined && a) g = groupOf(a);
    group.set(n, g);
    pending.set(n, ds.length);
    for (const d of ds) {
      const u = users.get(d);
      if (u) u.push(n);
      else users.set(d, [n]);
    }
  }
  const ready = new Map<unknown, Sig[]>();
  const push = (n: Sig) => {
    const g = group.get(n);
    const q = ready.get(g);
    if (q) q.push(n);
    else ready.set(g, [n]);
  };
  for (const n of comb) if (pending.get(n) === 0) push(n);
  const out: Sig[] = [];
  let cur: unknown = undefined;
  while (out.length < comb.length) {
    let q = ready.get(cur);
    if (!q || q.length === 0) {
      q = undefined;
      for (const [g, r] of ready) {
        if (r.length) {
          cur = g;
          q = r;
          break;
        }
        ready.delete(g);
      }
      if (!q) throw new Error('internal: combinational nodes do not form a DAG');
    }
    const n = q.pop()!;
    out.push(n);
    for (const u of users.get(n) ?? []) {
      const k = pending.get(u)! - 1;
      pending.set(u, k);
      if (k === 0) push(u);
    }
  }
  return { nodes: out, group };
}
