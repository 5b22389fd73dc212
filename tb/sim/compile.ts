// The compiler: turns a netlist into JavaScript functions over one Int32Array of state. `settle()` evaluates all
// combinational logic in levelized order (split into chunks small enough for V8 to optimize); one `edge` function
// per clock domain updates its registers and memory ports, as SystemVerilog always_ff would.
import type { Memory, Netlist, Reg, Sig } from '../../rtl/core/index.ts';
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
}

const STATEMENTS_PER_CHUNK = 200;
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

export function compile(nl: Netlist): Compiled {
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
      while (j < stmts.length && j - i < STATEMENTS_PER_CHUNK && (j === i || size + stmts[j]!.length <= CHARS_PER_CHUNK)) size += stmts[j++]!.length;
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
  const combStmts: string[] = [];
  for (const n of nl.comb) {
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
    combStmts.push(genNode(ctx, n));
  }
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
        load = copyStmt(q, lay.edgeIn(r.d), n);
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
    if (asyncHere.length) asyncResets.push(`if (S[${rst}] !== 0) {\n  ${asyncHere.join('\n  ')}\n}`);
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
        let code = n === 1
          ? `t = ${a}; S[${q}] = t < ${mem.depth} ? ${M}[t] : 0;`
          : `w_memRead(S, ${q}, ${n}, ${M}, ${a}, ${mem.depth});`;
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
          code = `t = ${a}; if (t < ${mem.depth}) ${M}[t] = ${word};`;
        } else {
          const mk = wp.mask ? `${lay.edgeIn(wp.mask)}, ${wp.mask.width}, ${wp.maskKind === 'byte'}` : '-1, 0, false';
          code = `t = ${a}; if (t < ${mem.depth}) w_memWrite(${M}, t, ${n}, S, ${data}, ${mk});`;
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
      fns.push(`function ${name}() {\n  if (S[${rst}] !== 0) {\n    ${onReset.slice(i, i + STATEMENTS_PER_CHUNK).join('\n    ')}\n  } else {\n    ${onLoad.slice(i, i + STATEMENTS_PER_CHUNK).join('\n    ')}\n  }\n}`);
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

  const copies = lay.copies.map(([from, to, n]) => copyStmt(to, from, n));
  const combNames = chunk('c', [...combStmts, ...copies]);
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
  const source = `'use strict';\n${helpers.map((h) => `const w_${h} = Wh.${h};`).join('\n')}\n${memDecls}\n${fns.join('\n\n')}\nreturn { settle, edges: [${edgeNames.join(', ')}], phases: [${phaseNames.map((p) => `[${p.join(', ')}]`).join(', ')}], run, probe };`;

  const S = new Int32Array(lay.size);
  for (const c of nl.consts) W.fromBigInt(S, ctx.slot(c), c.width, c.value);
  const mems = nl.memories.map(memStorage);
  const factory = new Function('S', 'Wh', 'MEM', source) as (S: Int32Array, w: typeof W, mem: MemArray[]) => {
    settle(): void;
    edges: Array<() => void>;
    phases: Array<Array<() => void>>;
    run(n: number, d: number): void;
    probe(i: number): number;
  };
  const fnsObj = factory(S, W, mems);
  return { layout: lay, S, mems, memIndex, settle: fnsObj.settle, edges: fnsObj.edges, phases: fnsObj.phases, run: fnsObj.run, source, probeIndex, probe: fnsObj.probe };
}

