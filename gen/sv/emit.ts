// SystemVerilog backend: prints a netlist as synthesizable SystemVerilog that verilator, iverilog and yosys accept,
// one module per definition (instances whose emitted text is identical share one), one file per module.
//
// Conventions (see gen/sv/README.md for the full list):
// - Ports are flat unsigned `logic [N-1:0]` vectors named exactly as in the TypeScript (legalised only when they
//   are SV/C++ keywords). Signedness lives in the expressions: `$signed()` where it changes the result (compare,
//   arithmetic shift, sign extension, signed products), so every declared signal is an unsigned bit vector.
// - Each module gets the clock (domain.clockName) and active-high reset (domain.resetName) ports of the domains its
//   subtree uses, before its own ports; the top gets all of them (the netlist's inputs), unused ones tied off.
// - Named signals keep their names; unnamed nodes are inlined when used once (and short), else `_t<N>` wires.
// - Registers: one always_ff per (domain, reset style); memories: `logic [W-1:0] m [0:D-1]` with guarded
//   addresses (out-of-range reads give 0, writes are dropped), read-during-write 'new' by a bypass.
// - Bits nobody reads are XOR-ed into a `_unused` wire (Verilator ignores *unused* names), so -Wall stays quiet.
import { createHash } from 'node:crypto';
import type { ClockDomain, Memory, ModuleInst, Netlist, Sig, SrcLoc, MemWritePort } from '../../rtl/core/index.ts';
import { Input, MemRead, Output, Reg, Wire, formatLoc } from '../../rtl/core/index.ts';
import { Namespace, legalName, RESERVED } from './names.ts';

export interface EmitOptions {
  /** Memories with initial contents deeper than this are loaded with $readmemh from a .hex file (default 256). */
  inlineInitLimit?: number;
  /** Unnamed expressions longer than this many characters get a `_t<N>` wire even when used once (default 72). */
  maxInline?: number;
  /** Prefix of the .hex file names in $readmemh (default '': run the tools in the output folder). */
  hexDir?: string;
}

export interface SvPort {
  /** The SV port name. */
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly role: 'clock' | 'reset' | 'data';
  /** The netlist signal (data ports, and the top's reset inputs). */
  readonly sig?: Sig;
  /** The domain (clock and reset ports). */
  readonly domain?: ClockDomain;
}

export interface SvDesign {
  /** Definitions, children before parents (the top last). */
  readonly modules: Array<{ name: string; text: string }>;
  /** Name of the top definition. */
  readonly top: string;
  /** File names, in compile order (children first, top last). */
  readonly fileList: string[];
  /** $readmemh files referenced by the modules. */
  readonly dataFiles: Array<{ name: string; text: string }>;
  /** Ports of the top module, in order. */
  readonly topPorts: SvPort[];
  /** The definition each instance uses. */
  readonly definitionOf: Map<ModuleInst, string>;
}

const LEAF_KINDS = new Set(['const', 'input', 'output', 'wire', 'reg', 'memrd', 'memrda']);
const isLeaf = (n: Sig): boolean => LEAF_KINDS.has(n.kind);
const PLACEHOLDER = '\u0001';

// ---------------------------------------------------------------------------------------------------------------
// Small text helpers

function range(w: number): string {
  return w === 1 ? '' : `[${w - 1}:0]`;
}

export function constText(width: number, value: bigint): string {
  if (width === 1) return `1'b${value & 1n}`;
  if (value < 256n) return `${width}'d${value}`;
  return `${width}'h${value.toString(16)}`;
}

/** `(x)` -> `x` when the outer parentheses enclose the whole text. */
function strip(t: string): string {
  if (!t.startsWith('(') || !t.endsWith(')')) return t;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') {
      depth--;
      if (depth === 0 && i < t.length - 1) return t;
    }
  }
  return t.slice(1, -1);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const CONST = /^\d+'[bdh][0-9a-f]+$/;
const atomic = (t: string): boolean => IDENT.test(t) || CONST.test(t);

function locText(loc: SrcLoc | undefined): string {
  return loc && loc.line > 0 ? formatLoc(loc) : '';
}

/** A statement with its source location comment, aligned. */
function stmt(text: string, loc?: SrcLoc | string, note?: string): string {
  const l = typeof loc === 'string' ? loc : locText(loc);
  const c = [l, note].filter(Boolean).join(' ');
  return c ? `${text.padEnd(40)} // ${c}` : text;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Design-level facts

interface SubtreeInfo {
  /** Domains whose clock the subtree needs. */
  readonly clocks: Set<ClockDomain>;
  /** Domains whose reset the subtree needs. */
  readonly resets: Set<ClockDomain>;
  readonly syncReset: Set<ClockDomain>;
  readonly asyncReset: Set<ClockDomain>;
}

interface ChildInterface {
  readonly variant: number;
  readonly clocks: ClockDomain[];
  readonly resets: ClockDomain[];
  /** SV name of each data port. */
  readonly portName: Map<Sig, string>;
}

interface Variant {
  readonly id: number;
  readonly className: string;
  readonly key: string;
  readonly body: string;
  readonly insts: ModuleInst[];
  readonly clocks: ClockDomain[];
  readonly dataFiles: Array<{ name: string; text: string }>;
  name?: string;
}

function subtreeInfos(nl: Netlist): Map<ModuleInst, SubtreeInfo> {
  const infos = new Map<ModuleInst, SubtreeInfo>();
  for (const inst of [...nl.instances].reverse()) {
    const info: SubtreeInfo = { clocks: new Set(), resets: new Set(), syncReset: new Set(), asyncReset: new Set() };
    for (const s of inst.signals) {
      if (!(s instanceof Reg)) continue;
      info.clocks.add(s.domain);
      if (s.resetKind !== 'none') info.resets.add(s.domain);
      if (s.resetKind === 'sync') info.syncReset.add(s.domain);
      if (s.resetKind === 'async') info.asyncReset.add(s.domain);
    }
    for (const m of inst.memories) {
      for (const r of m.reads) if (r.domain) info.clocks.add(r.domain);
      for (const w of m.writes) info.clocks.add(w.domain);
    }
    for (const c of inst.children) {
      const ci = infos.get(c)!;
      for (const k of ['clocks', 'resets', 'syncReset', 'asyncReset'] as const) for (const d of ci[k]) info[k].add(d);
    }
    infos.set(inst, info);
  }
  return infos;
}

// ---------------------------------------------------------------------------------------------------------------
// The design

export function emitDesign(nl: Netlist, opts: EmitOptions = {}): SvDesign {
  const options: Required<EmitOptions> = { inlineInitLimit: 256, maxInline: 72, hexDir: '', ...opts };
  const domains = nl.domains;
  const seen = new Map<string, ClockDomain>();
  for (const d of domains) {
    for (const n of [d.clockName, d.resetName]) {
      const prev = seen.get(n);
      if (prev && prev !== d) throw new Error(`SV: clock domains '${prev.name}' and '${d.name}' both use the port name '${n}'`);
      seen.set(n, d);
    }
  }
  const infos = subtreeInfos(nl);
  const variants: Variant[] = [];
  const byKey = new Map<string, Variant>();
  const iface = new Map<ModuleInst, ChildInterface>();
  let topPorts: SvPort[] = [];

  for (const inst of [...nl.instances].reverse()) {
    const isTop = inst === nl.top;
    const w = new ModuleWriter(nl, inst, isTop, infos, iface, options);
    const out = w.build();
    const key = `${inst.className}\n${out.body}`;
    let v = byKey.get(key);
    if (!v) {
      v = { id: variants.length, className: inst.className, key, body: out.body, insts: [], clocks: out.clocks, dataFiles: out.dataFiles };
      variants.push(v);
      byKey.set(key, v);
    }
    v.insts.push(inst);
    iface.set(inst, { variant: v.id, clocks: out.clocks, resets: out.resets, portName: out.portName });
    if (isTop) topPorts = out.ports;
  }

  nameVariants(variants, nl);
  const resolve = (text: string): string =>
    text.replace(new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'), (_, id: string) => variants[Number(id)]!.name!);

  const modules = variants.map((v) => {
    const first = v.insts[v.insts.length - 1]!;
    const instances = [...v.insts].reverse().map((i) => `${i.path}${locText(i.loc) ? ` (${locText(i.loc)})` : ''}`);
    const header = [
      '`timescale 1ps/1ps',
      `// ${v.name}: SystemVerilog of the TypeScript class ${v.className}, generated by gen/sv/emit.ts. Do not edit.`,
      `// Instance${instances.length > 1 ? 's' : ''}: ${instances.join(', ')}`,
      first.parent === undefined ? `// Top of the design (clock domains: ${domains.map((d) => `${d.name} ${d.clockName}/${d.resetName} ${d.periodPs} ps`).join(', ')}).` : undefined,
    ].filter((x): x is string => x !== undefined);
    return { name: v.name!, text: `${header.join('\n')}\nmodule ${v.name} ${resolve(v.body)}` };
  });
  const definitionOf = new Map<ModuleInst, string>();
  for (const v of variants) for (const i of v.insts) definitionOf.set(i, v.name!);
  const dataFiles = new Map<string, string>();
  for (const v of variants) for (const f of v.dataFiles) dataFiles.set(f.name, f.text);
  return {
    modules,
    top: definitionOf.get(nl.top)!,
    fileList: modules.map((m) => `${m.name}.sv`),
    dataFiles: [...dataFiles].map(([name, text]) => ({ name, text })),
    topPorts,
    definitionOf,
  };
}

/**
 * Definition names: the class name when a class has one variant; otherwise the class name with a suffix from what
 * tells the variants apart (a port width such as `Acc_d16`, or the clock domain such as `Sync2_rd`), else `_1`, `_2`.
 */
function nameVariants(variants: Variant[], nl: Netlist): void {
  const order = new Map(nl.instances.map((inst, i) => [inst, i]));
  const firstIndex = (v: Variant) => Math.min(...v.insts.map((i) => order.get(i)!));
  const byClass = new Map<string, Variant[]>();
  for (const v of [...variants].sort((a, b) => firstIndex(a) - firstIndex(b))) {
    const list = byClass.get(v.className) ?? [];
    list.push(v);
    byClass.set(v.className, list);
  }
  const used = new Set<string>();
  const claim = (n: string): string => {
    let name = n;
    for (let i = 1; used.has(name) || RESERVED.has(name); i++) name = `${n}_${i}`;
    used.add(name);
    return name;
  };
  for (const [cls, list] of byClass) {
    const base = legalName(cls);
    if (list.length === 1) {
      list[0]!.name = claim(base);
      continue;
    }
    const suffixes = variantSuffixes(list);
    list.forEach((v, i) => (v.name = claim(`${base}_${suffixes ? suffixes[i]! : String(i + 1)}`)));
  }
}

function variantSuffixes(list: Variant[]): string[] | undefined {
  const ports = list.map((v) => new Map(v.insts[0]!.ports.map((p) => [p.name!, p.width])));
  const doms = list.map((v) => v.clocks.map((d) => legalName(d.name)).join('_'));
  // port widths that tell variants apart (the same ports in all), then the domain where it is not the usual one
  const keys = [...ports[0]!.keys()].filter((k) => ports.every((p) => p.size === ports[0]!.size && p.has(k)) && new Set(ports.map((p) => p.get(k))).size > 1);
  const counts = new Map<string, number>();
  for (const d of doms) counts.set(d, (counts.get(d) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  for (let n = 0; n <= Math.min(2, keys.length) * 2 + 1; n++) {
    const always = n % 2 === 1;
    const sfx = list.map((_, i) => {
      const parts = keys.slice(0, n >> 1).map((k) => `${legalName(k)}${ports[i]!.get(k)}`);
      if (always ? counts.size > 1 : doms[i] !== usual) parts.push(doms[i] || 'comb');
      return parts.join('_');
    });
    if (new Set(sfx).size === sfx.length && sfx.every((x) => x !== '')) return sfx;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// One module instance

interface ModuleOut {
  body: string;
  clocks: ClockDomain[];
  resets: ClockDomain[];
  portName: Map<Sig, string>;
  ports: SvPort[];
  dataFiles: Array<{ name: string; text: string }>;
}

interface Decl {
  readonly name: string;
  readonly width: number;
  /** Track which bits are read (for the _unused tie-off). */
  readonly track: boolean;
  /** Unpacked array (memory): only "read or not". */
  readonly memory?: boolean;
  read: boolean[];
}

class ModuleWriter {
  private readonly ns = new Namespace();
  /** SV names of the leaves visible here: own signals and the ports of the children. */
  private readonly names = new Map<Sig, string>();
  private readonly memName = new Map<Memory, string>();
  private readonly decls = new Map<string, Decl>();
  private readonly uses = new Map<Sig, number>();
  private readonly inlineMemo = new Map<Sig, string>();
  private readonly tempOf = new Map<Sig, string>();
  private tempCount = 1;
  // text sections
  private readonly temps: string[] = [];
  private readonly assigns: string[] = [];
  private readonly instances: string[] = [];
  private readonly regBlocks: string[] = [];
  private readonly memBlocks: string[] = [];
  private readonly declLines: string[] = [];
  private readonly memDecls: string[] = [];
  private readonly dataFiles: Array<{ name: string; text: string }> = [];
  private readonly clockDomains: ClockDomain[];
  private readonly resetDomains: ClockDomain[];
  private readonly loopVar: string;

  constructor(
    private readonly nl: Netlist,
    private readonly inst: ModuleInst,
    private readonly isTop: boolean,
    private readonly infos: Map<ModuleInst, SubtreeInfo>,
    private readonly iface: Map<ModuleInst, ChildInterface>,
    private readonly opts: Required<EmitOptions>,
  ) {
    const info = infos.get(inst)!;
    this.clockDomains = nl.domains.filter((d) => isTop || info.clocks.has(d));
    this.resetDomains = nl.domains.filter((d) => isTop || info.resets.has(d));
    this.loopVar = '';
    this.nameEverything();
    this.loopVar = this.ns.fresh('i');
  }

  // ------------------------------------------------------------------------------------------------------------
  // Names

  private declare(name: string, width: number, track: boolean, memory = false): void {
    this.decls.set(name, { name, width, track, memory, read: new Array<boolean>(memory ? 1 : width).fill(false) });
  }

  private nameEverything(): void {
    const { inst, ns } = this;
    // clock and reset ports first: their names are fixed by the domains
    for (const d of this.clockDomains) {
      if (!ns.claim(d.clockName)) throw new Error(`SV: clock name '${d.clockName}' used twice in ${inst.path}`);
      this.declare(d.clockName, 1, true);
    }
    for (const d of this.resetDomains) {
      if (!ns.claim(d.resetName)) throw new Error(`SV: reset name '${d.resetName}' used twice in ${inst.path}`);
      this.declare(d.resetName, 1, true);
      const r = this.nl.resets.get(d);
      if (this.isTop && r) this.names.set(r, d.resetName);
    }
    // ports keep their names (legalised only if they are keywords)
    for (const p of inst.ports) {
      const n = legalName(p.name!);
      if (!ns.claim(n)) {
        throw new Error(`SV: port '${p.name}' of ${inst.path} clashes with ${this.clockDomains.some((d) => d.clockName === n) || this.resetDomains.some((d) => d.resetName === n) ? 'a clock or reset port' : 'another port'}`);
      }
      this.names.set(p, n);
      if (p instanceof Input) this.declare(n, p.width, true);
    }
    // internal signals, memories, instances, the children's ports
    const resetInputs = new Set<Sig>(this.nl.resets.values());
    for (const s of inst.signals) {
      if (this.names.has(s) || resetInputs.has(s)) continue;
      const n = ns.fresh(s.name ?? `_${s.kind}`);
      this.names.set(s, n);
      this.declare(n, s.width, s.kind !== 'output');
    }
    for (const m of inst.memories) {
      const n = ns.fresh(m.name ?? 'mem');
      this.memName.set(m, n);
      this.declare(n, m.width, true, true);
    }
    this.childName = new Map(inst.children.map((c) => [c, ns.fresh(c.name)]));
    for (const c of inst.children) {
      for (const p of c.ports) {
        const n = ns.fresh(`${this.childName.get(c)}_${p.name}`);
        this.names.set(p, n);
        if (p instanceof Output) this.declare(n, p.width, true);
      }
    }
  }

  private childName = new Map<ModuleInst, string>();

  private mark(name: string, lo?: number, hi?: number): void {
    const d = this.decls.get(name);
    if (!d) return;
    if (d.memory || lo === undefined) d.read.fill(true);
    else for (let i = lo; i <= hi!; i++) d.read[i] = true;
  }

  private leafName(n: Sig): string {
    const nm = this.names.get(n);
    if (nm === undefined) {
      const owner = n.owner ? this.nl.instanceOf.get(n.owner as never)?.path : undefined;
      throw new Error(`SV: ${n.describe()} of ${owner ?? 'no module'} is not visible in ${this.inst.path}`);
    }
    return nm;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Use counts: which unnamed nodes are shared (and become _t wires)

  /** The nodes n's SV text reads (shifts by a constant of at least the width read nothing). */
  private effArgs(n: Sig): readonly Sig[] {
    if (n.kind === 'slice') return [foldSlice(n).base];
    if ((n.kind === 'shl' || n.kind === 'shr') && n.args[1]!.kind === 'const' && n.args[1]!.value >= BigInt(n.width)) return [];
    if (n.kind === 'cat' && isRep(n)) return [n.args[0]!];
    return n.args;
  }

  private count(n: Sig | undefined): void {
    if (!n) return;
    const stack: Sig[] = [n];
    while (stack.length) {
      const x = stack.pop()!;
      const u = (this.uses.get(x) ?? 0) + 1;
      this.uses.set(x, u);
      if (u > 1 || isLeaf(x)) continue;
      const args = this.effArgs(x);
      for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]!);
    }
  }

  private countAll(): void {
    const { inst } = this;
    for (const s of inst.signals) {
      if (s instanceof Wire && !(s instanceof Input)) this.count(s.driver);
      else if (s instanceof Reg) {
        if (s.d !== s) this.count(s.d);
        this.count(s.en);
      }
    }
    for (const m of inst.memories) {
      for (const r of m.reads) {
        this.count(r.addr);
        this.count(r.en);
      }
      for (const w of m.writes) {
        this.count(w.addr);
        this.count(w.data);
        this.count(w.en);
        this.count(w.mask);
      }
    }
    for (const c of inst.children) for (const p of c.ports) if (p instanceof Input) this.count(p.driver);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Expressions

  /** The value of n as an expression of exactly n.width bits (possibly parenthesised). Marks what it reads. */
  ref(n: Sig, mark = true): string {
    if (n.kind === 'const') return constText(n.width, n.value);
    if (isLeaf(n)) {
      const nm = this.leafName(n);
      if (mark) this.mark(nm);
      return nm;
    }
    const t = this.tempOf.get(n);
    if (t !== undefined) {
      if (mark) this.mark(t);
      return t;
    }
    const memo = this.inlineMemo.get(n);
    if (memo !== undefined) return memo;
    this.prepare(n);
    const text = this.render(n);
    if ((this.uses.get(n) ?? 0) > 1 && !this.cheap(n) && !atomic(text)) {
      const name = this.newTemp(n, text);
      if (mark) this.mark(name);
      return name;
    }
    if (text.length > this.opts.maxInline && !atomic(text) && !this.cheap(n)) {
      const name = this.newTemp(n, text);
      if (mark) this.mark(name);
      return name;
    }
    this.inlineMemo.set(n, text);
    return text;
  }

  private preparing = false;

  /**
   * Render the unnamed nodes below n deepest first (an explicit stack, not recursion), so that rendering n itself
   * only looks one level down: deep expression chains cannot overflow the JavaScript stack.
   */
  private prepare(root: Sig): void {
    if (this.preparing) return;
    this.preparing = true;
    try {
      const done = new Set<Sig>();
      const stack: Array<[Sig, boolean]> = this.effArgs(root).map((a): [Sig, boolean] => [a, false]);
      while (stack.length) {
        const [x, expanded] = stack.pop()!;
        if (isLeaf(x) || this.tempOf.has(x) || this.inlineMemo.has(x) || done.has(x)) continue;
        if (expanded) {
          done.add(x);
          this.ref(x, false);
          continue;
        }
        stack.push([x, true]);
        for (const a of this.effArgs(x)) stack.push([a, false]);
      }
    } finally {
      this.preparing = false;
    }
  }

  /** An identifier (or constant) holding n, for bit selects and loops: a leaf's name or a _t wire. Marks nothing. */
  ident(n: Sig): string {
    if (isLeaf(n) && n.kind !== 'const') return this.leafName(n);
    if (n.kind === 'cast') return this.ident(n.args[0]!);
    return this.tempOf.get(n) ?? this.makeTemp(n);
  }

  /** For texts used more than once: cheap nodes inline, others through a name. */
  private multi(n: Sig): string {
    if (this.cheap(n)) return this.ref(n);
    const id = this.ident(n);
    this.mark(id);
    return id;
  }

  private cheap(n: Sig): boolean {
    if (isLeaf(n)) return true;
    if (n.kind === 'cast') return this.cheap(n.args[0]!);
    if (n.kind === 'slice') {
      const b = foldSlice(n).base;
      return isLeaf(b) || this.tempOf.has(b);
    }
    return false;
  }

  private makeTemp(n: Sig): string {
    const existing = this.tempOf.get(n);
    if (existing) return existing;
    return this.newTemp(n, n.kind === 'const' ? constText(n.width, n.value) : this.render(n));
  }

  private newTemp(n: Sig, text: string): string {
    let name = `_t${this.tempCount++}`;
    while (this.ns.has(name)) name = `_t${this.tempCount++}`;
    this.ns.claim(name);
    this.declare(name, n.width, true);
    this.tempOf.set(n, name);
    this.temps.push(stmt(`logic ${range(n.width)}${n.width > 1 ? ' ' : ''}${name};`));
    this.assigns.push(stmt(`assign ${name} = ${strip(text)};`, n.loc));
    return name;
  }

  private render(n: Sig): string {
    const [x, y, z] = n.args;
    const A = () => this.ref(x!);
    const B = () => this.ref(y!);
    const w = n.width;
    switch (n.kind) {
      case 'add':
        return `(${A()} + ${B()})`;
      case 'sub':
        return `(${A()} - ${B()})`;
      case 'and':
        return `(${A()} & ${B()})`;
      case 'or':
        return `(${A()} | ${B()})`;
      case 'xor':
        return `(${A()} ^ ${B()})`;
      case 'not':
        return `(~${A()})`;
      case 'mul': {
        // extend each operand to the product width (sign-extending only signed ones), multiply unsigned
        const ext = (s: Sig, t: string) => (s.signed ? `(${w}'($signed(${strip(t)})))` : `{${w - s.width}'d0, ${strip(t)}}`);
        return `(${ext(x!, A())} * ${ext(y!, B())})`;
      }
      case 'shl':
      case 'shr':
      case 'sra': {
        if (y!.kind === 'const') {
          const k = y!.value;
          if (n.kind !== 'sra' && k >= BigInt(w)) return constText(w, 0n);
          const kk = n.kind === 'sra' && k > BigInt(w - 1) ? BigInt(w - 1) : k;
          if (kk === 0n) return A();
          if (n.kind === 'sra') return `$unsigned($signed(${strip(A())}) >>> ${kk})`;
          return `(${A()} ${n.kind === 'shl' ? '<<' : '>>'} ${kk})`;
        }
        if (n.kind === 'sra') return `$unsigned($signed(${strip(A())}) >>> ${B()})`;
        return `(${A()} ${n.kind === 'shl' ? '<<' : '>>'} ${B()})`;
      }
      case 'eq':
        return `(${A()} == ${B()})`;
      case 'ne':
        return `(${A()} != ${B()})`;
      case 'lt':
      case 'le': {
        const op = n.kind === 'lt' ? '<' : '<=';
        if (x!.signed) return `($signed(${strip(A())}) ${op} $signed(${strip(B())}))`;
        return `(${A()} ${op} ${B()})`;
      }
      case 'cat':
        if (isRep(n)) return `{${n.args.length}{${strip(A())}}}`;
        return `{${n.args.map((a) => strip(this.ref(a))).join(', ')}}`;
      case 'slice':
        return this.renderSlice(n);
      case 'mux': {
        const c = strip(A());
        return `(${atomic(c) ? c : `(${c})`} ? ${B()} : ${this.ref(z!)})`;
      }
      case 'redand':
        return `(&${A()})`;
      case 'redor':
        return `(|${A()})`;
      case 'redxor':
        return `(^${A()})`;
      case 'zext':
        return `{${w - x!.width}'d0, ${strip(A())}}`;
      case 'sext':
        return `(${w}'($signed(${strip(A())})))`;
      case 'cast':
        return A();
      default:
        throw new Error(`SV: no rendering for ${n.describe()}`);
    }
  }

  // Size casts are always parenthesised: yosys 0.23 reads `~8'(x)` as a cast to size ~8.
  private renderSlice(n: Sig): string {
    const { base, lo } = foldSlice(n);
    const w = n.width;
    const hi = lo + w - 1;
    if (base.kind === 'const') return constText(w, (base.value >> BigInt(lo)) & ((1n << BigInt(w)) - 1n));
    if (lo === 0 && w === base.width) return this.ref(base);
    if (!isLeaf(base) && !this.tempOf.has(base) && (this.uses.get(base) ?? 0) <= 1) {
      // a part of an expression used only here: a size cast (no half-used wire), or a bit select of the wire
      // the expression went to when it was long
      const e = this.ref(base, false);
      if (!IDENT.test(e)) return lo === 0 ? `(${w}'(${strip(e)}))` : `(${w}'(${e} >> ${lo}))`;
      this.mark(e, lo, hi);
      return w === 1 ? `${e}[${lo}]` : `${e}[${hi}:${lo}]`;
    }
    const id = this.ident(base);
    this.mark(id, lo, hi);
    return w === 1 ? `${id}[${lo}]` : `${id}[${hi}:${lo}]`;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Memory addresses

  /** The word index (addrWidth bits) of an address, and the in-range guard (undefined when always in range). */
  /** The constant an address is, seen through this module's wires and casts (Verilator folds those too). */
  private constant(n: Sig | undefined, depth = 0): bigint | undefined {
    if (!n || depth > 64) return undefined;
    switch (n.kind) {
      case 'const':
        return n.value;
      case 'cast':
      case 'zext':
        return this.constant(n.args[0], depth + 1);
      case 'slice': {
        const v = this.constant(n.args[0], depth + 1);
        return v === undefined ? undefined : (v >> BigInt(n.lo)) & ((1n << BigInt(n.width)) - 1n);
      }
      case 'wire':
      case 'output':
        return n.owner === this.inst.module ? this.constant((n as Wire).driver, depth + 1) : undefined;
      default:
        return undefined;
    }
  }

  private address(m: Memory, addr: Sig): { idx: string; guard: string | undefined; never: boolean } {
    const aw = m.addrWidth;
    const k = this.constant(addr);
    if (k !== undefined) {
      const v = k;
      return { idx: constText(aw, v < BigInt(m.depth) ? v : 0n), guard: undefined, never: v >= BigInt(m.depth) };
    }
    const guard = 2 ** addr.width > m.depth ? `${this.multi(addr)} < ${constText(addr.width, BigInt(m.depth))}` : undefined;
    let idx: string;
    if (addr.width === aw) idx = this.multi(addr);
    else if (addr.width < aw) idx = `{${aw - addr.width}'d0, ${this.multi(addr)}}`;
    else {
      const id = this.ident(addr);
      this.mark(id, 0, aw - 1);
      idx = aw === 1 ? `${id}[0]` : `${id}[${aw - 1}:0]`;
    }
    return { idx, guard, never: false };
  }

  // ------------------------------------------------------------------------------------------------------------
  // The module

  build(): ModuleOut {
    const { inst } = this;
    this.countAll();
    const regs = inst.signals.filter((s): s is Reg => s instanceof Reg);

    // combinational assignments of own wires and outputs, in declaration order
    for (const s of inst.signals) {
      if (!(s instanceof Wire) || s instanceof Input || !s.driver) continue;
      const text = strip(this.ref(s.driver));
      const inlined = !isLeaf(s.driver) && !this.tempOf.has(s.driver) && s.driver.loc.line > 0;
      const loc = inlined ? s.driver.loc : s.assigns.length ? s.assigns[s.assigns.length - 1]!.loc : s.loc;
      this.assigns.push(stmt(`assign ${this.leafName(s)} = ${text};`, loc));
    }
    this.emitChildren();
    this.emitRegisters(regs);
    for (const m of inst.memories) this.emitMemory(m);

    // declarations
    const sigDecl = (s: Sig, note?: string) => {
      const n = this.names.get(s)!;
      this.declLines.push(stmt(`logic ${range(s.width)}${s.width > 1 ? ' ' : ''}${n};`, s.loc, note));
    };
    const resetInputs = new Set<Sig>(this.nl.resets.values());
    for (const s of inst.signals) {
      if (s instanceof Input || s instanceof Output || resetInputs.has(s)) continue;
      let note: string | undefined;
      if (s instanceof Reg) {
        note = `register, ${s.resetKind === 'none' ? 'no reset' : `${s.resetKind} reset to ${constText(s.width, s.init)}`}, domain ${s.domain.name}`;
        if (s.labels) note += `; states: ${s.labels.map((l, i) => `${i} ${l}`).join(', ')}`;
      } else if (s instanceof MemRead) note = `${s.sync ? 'registered' : 'asynchronous'} read of ${this.memName.get(s.mem)}`;
      sigDecl(s, note);
    }
    for (const c of inst.children) {
      for (const p of c.ports) {
        const n = this.names.get(p)!;
        if (p instanceof Output || this.decls.has(n)) sigDecl(p, `${p instanceof Output ? 'output' : 'input'} ${p.name} of ${this.childName.get(c)}`);
      }
    }

    // ports
    const ports: SvPort[] = [];
    const portName = new Map<Sig, string>();
    const info = this.infos.get(inst)!;
    const portLines: string[] = [];
    const portDecl = (dir: 'input' | 'output', w: number, name: string, comment: string) => ({ dir, w, name, comment });
    const plist: Array<ReturnType<typeof portDecl> & { mixed?: boolean }> = [];
    for (const d of this.nl.domains) {
      if (this.clockDomains.includes(d)) {
        plist.push(portDecl('input', 1, d.clockName, `clock of domain ${d.name}`));
        ports.push({ name: d.clockName, dir: 'input', width: 1, role: 'clock', domain: d });
      }
      if (this.resetDomains.includes(d)) {
        const mixed = info.syncReset.has(d) && info.asyncReset.has(d);
        plist.push({ ...portDecl('input', 1, d.resetName, `reset of domain ${d.name}, active high`), mixed });
        ports.push({ name: d.resetName, dir: 'input', width: 1, role: 'reset', domain: d, sig: this.isTop ? this.nl.resets.get(d) : undefined });
      }
    }
    for (const p of inst.ports) {
      const n = this.names.get(p)!;
      portName.set(p, n);
      const dir = p instanceof Input ? 'input' : 'output';
      const c = [locText(p.loc), p.signed ? 'signed' : '', p.doc ? oneLine(p.doc) : ''].filter(Boolean).join(' ');
      plist.push(portDecl(dir, p.width, n, c));
      ports.push({ name: n, dir, width: p.width, role: 'data', sig: p });
    }
    const rw = Math.max(0, ...plist.map((p) => range(p.w).length));
    plist.forEach((p, i) => {
      const last = i === plist.length - 1;
      const text = `  ${p.dir.padEnd(6)} logic ${range(p.w).padEnd(rw)} ${p.name}${last ? '' : ','}`;
      if (p.mixed) {
        portLines.push(`  // ${p.name} resets some registers synchronously and others asynchronously (as designed): Verilator's`);
        portLines.push('  // SYNCASYNCNET warning about that is expected here');
        portLines.push('  /* verilator lint_off SYNCASYNCNET */');
      }
      portLines.push(p.comment ? `${text.padEnd(40)} // ${p.comment}` : text);
      if (p.mixed) portLines.push('  /* verilator lint_on SYNCASYNCNET */');
    });

    // what nobody reads
    const unused: string[] = [];
    for (const d of this.decls.values()) {
      if (!d.track) continue;
      if (d.memory) {
        if (!d.read[0]) unused.push(`${d.name}[0]`);
        continue;
      }
      let i = 0;
      while (i < d.width) {
        if (d.read[i]) {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < d.width && !d.read[j + 1]) j++;
        unused.push(i === 0 && j === d.width - 1 ? d.name : i === j ? `${d.name}[${i}]` : `${d.name}[${j}:${i}]`);
        i = j + 1;
      }
    }

    const body: string[] = [];
    body.push('(');
    body.push(...portLines);
    body.push(');');
    const section = (title: string, lines: string[]) => {
      while (lines.length && lines[lines.length - 1] === '') lines = lines.slice(0, -1);
      if (lines.length === 0) return;
      body.push('', `  // ---- ${title}`);
      body.push(...lines.map((l) => (l === '' ? '' : `  ${l}`)));
    };
    section('signals', [...this.declLines, ...this.memDecls, ...this.temps]);
    section('combinational logic', this.assigns);
    section('submodules', this.instances);
    section('registers', this.regBlocks);
    section('memories', this.memBlocks);
    if (unused.length) {
      const sink = this.ns.fresh('_unused');
      section('bits nobody reads, tied off (Verilator does not report signals named *unused*)', [
        `logic ${sink};`,
        `assign ${sink} = ^{${unused.join(', ')}};`,
      ]);
    }
    body.push('endmodule', '');
    return {
      body: body.join('\n'),
      clocks: this.clockDomains,
      resets: this.resetDomains,
      portName,
      ports,
      dataFiles: this.dataFiles,
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Submodules

  private emitChildren(): void {
    for (const c of this.inst.children) {
      const ci = this.iface.get(c)!;
      const conns: Array<[string, string, string]> = [];
      for (const d of ci.clocks) {
        this.mark(d.clockName);
        conns.push([d.clockName, d.clockName, '']);
      }
      for (const d of ci.resets) {
        this.mark(d.resetName);
        conns.push([d.resetName, d.resetName, '']);
      }
      for (const p of c.ports) {
        const local = this.names.get(p)!;
        const port = ci.portName.get(p)!;
        if (p instanceof Output) {
          conns.push([port, local, '']);
          continue;
        }
        const driver = (p as Input).driver!;
        const loc = locText(p.assigns[0]?.loc ?? driver.loc);
        if ((this.uses.get(p) ?? 0) > 0) {
          // the parent reads this input too: a named wire
          this.declare(local, p.width, true);
          this.mark(local);
          this.assigns.push(stmt(`assign ${local} = ${strip(this.ref(driver))};`, loc));
          conns.push([port, local, loc]);
        } else conns.push([port, strip(this.ref(driver)), loc]);
      }
      const nw = Math.max(0, ...conns.map(([p]) => p.length));
      const where = locText(c.loc);
      this.instances.push(`${PLACEHOLDER}${ci.variant}${PLACEHOLDER} ${this.childName.get(c)} (${where ? ` // ${where}` : ''}`);
      conns.forEach(([p, e, loc], i) => {
        const text = `  .${p.padEnd(nw)} (${e})${i === conns.length - 1 ? '' : ','}`;
        this.instances.push(loc ? stmt(text, loc) : text);
      });
      this.instances.push(');');
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Registers

  /** The if / else-if chain of a register's next value: muxes used only here with the register on one side. */
  private chain(r: Reg): { branches: Array<{ cond: Sig; neg: boolean; value: Sig; loc: SrcLoc }>; tail: Sig | undefined } {
    const branches: Array<{ cond: Sig; neg: boolean; value: Sig; loc: SrcLoc }> = [];
    let cur: Sig | undefined = r.d;
    if (!cur || cur === r) return { branches, tail: undefined };
    while (cur && cur !== r && cur.kind === 'mux' && !isLeaf(cur) && (this.uses.get(cur) ?? 0) === 1) {
      const [s, t, f] = cur.args as [Sig, Sig, Sig];
      if (t === r && f !== r) {
        branches.push({ cond: s, neg: true, value: f, loc: cur.loc });
        cur = r;
        break;
      }
      branches.push({ cond: s, neg: false, value: t, loc: cur.loc });
      cur = f;
    }
    return { branches, tail: cur === r ? undefined : cur };
  }

  private loadLines(r: Reg): string[] {
    const name = this.leafName(r);
    const { branches, tail } = this.chain(r);
    const lastLoc = r.assigns.length ? r.assigns[r.assigns.length - 1]!.loc : r.loc;
    let lines: Array<[string, SrcLoc]>;
    if (branches.length === 0) {
      if (!tail) return [];
      lines = [[`${name} <= ${strip(this.ref(tail))};`, lastLoc]];
    } else {
      lines = branches.map((b, i): [string, SrcLoc] => {
        const c = strip(this.ref(b.cond));
        const cond = b.neg ? `!${atomic(c) ? c : `(${c})`}` : c;
        return [`${i === 0 ? '' : 'else '}if (${cond}) ${name} <= ${strip(this.ref(b.value))};`, b.loc];
      });
      if (tail) lines.push([`else ${name} <= ${strip(this.ref(tail))};`, lastLoc]);
    }
    if (r.en) {
      const en = strip(this.ref(r.en));
      if (lines.length === 1) return [stmt(`if (${en}) ${lines[0]![0]}`, lines[0]![1])];
      return [`if (${en}) begin`, ...lines.map(([t, l]) => `  ${stmt(t, l)}`), 'end'];
    }
    return lines.map(([t, l]) => stmt(t, l));
  }

  private emitRegisters(regs: Reg[]): void {
    const groups = new Map<string, { domain: ClockDomain; kind: Reg['resetKind']; regs: Reg[] }>();
    for (const d of this.nl.domains) {
      for (const kind of ['sync', 'async', 'none'] as const) {
        const rs = regs.filter((r) => r.domain === d && r.resetKind === kind);
        if (rs.length) groups.set(`${d.name}:${kind}`, { domain: d, kind, regs: rs });
      }
    }
    for (const { domain: d, kind, regs: rs } of groups.values()) {
      const live = rs.filter((r) => kind !== 'none' || (r.d && r.d !== r));
      for (const r of rs) {
        if (!live.includes(r)) this.assigns.push(stmt(`assign ${this.leafName(r)} = ${constText(r.width, 0n)};`, r.loc, 'never loaded: keeps its power-up value'));
      }
      if (live.length === 0) continue;
      this.mark(d.clockName);
      const sens = kind === 'async' ? `posedge ${d.clockName} or posedge ${d.resetName}` : `posedge ${d.clockName}`;
      const out: string[] = [];
      out.push(`// domain ${d.name}, ${kind === 'none' ? 'no reset' : `${kind === 'sync' ? 'synchronous' : 'asynchronous'} reset`}`);
      out.push(`always_ff @(${sens}) begin`);
      const loads = live.flatMap((r) => this.loadLines(r));
      if (kind === 'none') {
        out.push(...loads.map((l) => `  ${l}`));
      } else {
        this.mark(d.resetName);
        out.push(`  if (${d.resetName}) begin`);
        for (const r of live) out.push(`    ${stmt(`${this.leafName(r)} <= ${constText(r.width, r.init)};`, r.loc)}`);
        if (loads.length) {
          out.push('  end else begin');
          out.push(...loads.map((l) => `    ${l}`));
        }
        out.push('  end');
      }
      out.push('end', '');
      this.regBlocks.push(...out);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Memories

  private emitMemory(m: Memory): void {
    const name = this.memName.get(m)!;
    const out: string[] = [];
    const dim = `[0:${m.depth - 1}]`;
    const decl = stmt(`logic ${range(m.width)}${m.width > 1 ? ' ' : ''}${name} ${dim};`, m.loc, `${m.depth} x ${m.width}, read-during-write ${m.readDuringWrite}`);
    const writeDomains = new Set(m.writes.map((w) => w.domain));
    if (writeDomains.size > 1) {
      // a RAM written from several clocks (true multi-port RAM) is what Verilator's MULTIDRIVEN warns about
      this.memDecls.push(`// ${name} is written in ${writeDomains.size} clock domains (${[...writeDomains].map((d) => d.name).join(', ')}) as designed: Verilator's`);
      this.memDecls.push('// MULTIDRIVEN warning about that is expected here');
      this.memDecls.push('/* verilator lint_off MULTIDRIVEN */', decl, '/* verilator lint_on MULTIDRIVEN */');
    } else this.memDecls.push(decl);
    // initial contents
    if (!m.init && m.writes.length === 0) {
      // never written and no contents given: reads 0, as in the simulator (and Verilator sees it driven)
      out.push(`initial for (int ${this.loopVar} = 0; ${this.loopVar} < ${m.depth}; ${this.loopVar}++) ${name}[${this.loopVar}] = '0;`);
    } else if (m.init) {
      const words: bigint[] = [];
      for (let i = 0; i < m.depth; i++) words.push(m.initialWord(i) ?? 0n);
      if (m.depth <= this.opts.inlineInitLimit) {
        out.push('initial begin');
        words.forEach((v, i) => out.push(`  ${name}[${i}] = ${constText(m.width, v)};`));
        out.push('end');
      } else {
        const digits = Math.ceil(m.width / 4);
        const text = words.map((v) => v.toString(16).padStart(digits, '0')).join('\n') + '\n';
        const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
        const file = `${name}_${m.width}x${m.depth}_${hash}.hex`;
        this.dataFiles.push({ name: file, text });
        out.push(`initial $readmemh("${this.opts.hexDir}${file}", ${name});`);
      }
    }
    // asynchronous reads
    for (const r of m.reads) {
      if (r.sync) continue;
      const a = this.address(m, r.addr);
      const rd = this.leafName(r);
      this.mark(name);
      this.assigns.push(stmt(`assign ${rd} = ${this.readExpr(name, a)};`, r.loc));
    }
    // per domain: write ports, then registered reads
    for (const d of this.nl.domains) {
      const writes = m.writes.filter((w) => w.domain === d);
      const reads = m.reads.filter((r) => r.domain === d);
      if (writes.length === 0 && reads.length === 0) continue;
      this.mark(d.clockName);
      const blk: string[] = [];
      const shared = m.readDuringWrite === 'new' && reads.length > 0;
      for (const w of writes) blk.push(...this.writeLines(m, name, w, shared).map((l) => `  ${l}`));
      for (const r of reads) {
        const rd = this.leafName(r);
        const a = this.address(m, r.addr);
        let value: string;
        if (m.readDuringWrite === 'new' && writes.length) value = this.bypass(m, name, r, a, writes);
        else {
          this.mark(name);
          value = this.readExpr(name, a);
        }
        const text = `${r.en ? `if (${strip(this.ref(r.en))}) ` : ''}${rd} <= ${value};`;
        blk.push(`  ${stmt(text, r.loc, m.readDuringWrite === 'new' && writes.length ? 'read-during-write: new data' : undefined)}`);
      }
      out.push(`always_ff @(posedge ${d.clockName}) begin`, ...blk, 'end');
    }
    out.push('');
    this.memBlocks.push(...out);
  }

  private readExpr(mem: string, a: { idx: string; guard: string | undefined; never: boolean }): string {
    if (a.never) return `'0`;
    return a.guard ? `(${a.guard}) ? ${mem}[${a.idx}] : '0` : `${mem}[${a.idx}]`;
  }

  private readonly constIdx = new Map<string, string>();

  /** A constant write address through a wire: yosys turns memories written at constant indexes into registers. */
  private constIndex(text: string, width: number, loc: SrcLoc): string {
    let name = this.constIdx.get(text);
    if (!name) {
      name = this.ns.fresh('_waddr');
      this.constIdx.set(text, name);
      this.declare(name, width, true);
      this.temps.push(stmt(`logic ${range(width)}${width > 1 ? ' ' : ''}${name};`, undefined, 'a constant write address'));
      this.assigns.push(stmt(`assign ${name} = ${text};`, loc));
    }
    this.mark(name);
    return name;
  }

  /** Conditions under which a write port writes: its enable and its address guard (texts joined with &&). */
  private writeConds(w: MemWritePort, a: { guard: string | undefined }, shared: boolean): string[] {
    const conds: string[] = [];
    if (w.en) {
      const en = shared ? this.multi(w.en) : this.ref(w.en);
      conds.push(atomic(en) ? en : `(${strip(en)})`);
    }
    if (a.guard) conds.push(`(${a.guard})`);
    return conds;
  }

  /** A write port as always_ff statements (nonblocking). `shared`: its operands are also used by a bypass. */
  private writeLines(m: Memory, mem: string, w: MemWritePort, shared: boolean): string[] {
    const a = this.address(m, w.addr);
    if (a.never) return [];
    const conds = this.writeConds(w, a, shared);
    const dst = `${mem}[${CONST.test(a.idx) ? this.constIndex(a.idx, m.addrWidth, w.loc) : a.idx}]`;
    const i = this.loopVar;
    let body: string[];
    // a one-bit mask (one bit, or one byte lane) is just another enable
    const wholeWord = !w.mask || w.mask.width === 1;
    if (w.mask && w.mask.width === 1) conds.push(this.multi(w.mask));
    if (wholeWord) body = [`${dst} <= ${strip(shared ? this.multi(w.data) : this.ref(w.data))};`];
    else {
      const data = this.ident(w.data);
      const mask = this.ident(w.mask);
      this.mark(data);
      this.mark(mask);
      // one loop per 64 lanes: Verilator only unrolls loops of up to 64 iterations, and cannot do a nonblocking
      // write to an array element inside a loop it keeps (BLKLOOPINIT)
      const lanes = w.maskKind === 'byte' ? m.width / 8 : m.width;
      body = [];
      for (let lo = 0; lo < lanes; lo += 64) {
        const hi = Math.min(lanes, lo + 64);
        const sel = w.maskKind === 'byte' ? `[${i}*8 +: 8]` : `[${i}]`;
        body.push(`for (int ${i} = ${lo}; ${i} < ${hi}; ${i}++) if (${mask}[${i}]) ${dst}${sel} <= ${data}${sel};`);
      }
    }
    const note = `write port${w.mask ? ` (${w.maskKind} mask)` : ''}`;
    if (conds.length === 0) return body.map((b, k) => stmt(b, w.loc, k === 0 ? note : undefined));
    const cond = conds.map((c) => (conds.length === 1 ? strip(c) : c)).join(' && ');
    if (body.length === 1 && wholeWord) return [stmt(`if (${cond}) ${body[0]}`, w.loc, note)];
    return [stmt(`if (${cond}) begin`, w.loc, note), ...body.map((b) => `  ${stmt(b, w.loc)}`), 'end'];
  }

  /**
   * Read-during-write 'new': the word at the read address as this edge's writes (of the read's domain, in port
   * order) leave it, built with continuous assignments: `<rd>_old` is the stored word, each write port that hits
   * the address merges its data in (under its mask), and `<rd>_new` is the result that the read register loads.
   */
  private bypass(m: Memory, mem: string, r: MemRead, a: { idx: string; guard: string | undefined; never: boolean }, writes: MemWritePort[]): string {
    const rd = this.leafName(r);
    const wire = (base: string, note: string) => {
      const v = this.ns.fresh(base);
      this.declare(v, m.width, true);
      this.temps.push(stmt(`logic ${range(m.width)}${m.width > 1 ? ' ' : ''}${v};`, r.loc, note));
      return v;
    };
    const old = wire(`${rd}_old`, `the word ${rd} reads, before this edge's writes`);
    this.mark(mem);
    this.assigns.push(stmt(`assign ${old} = ${this.readExpr(mem, a)};`, r.loc));
    let cur = old;
    const live = a.never ? [] : writes.filter((w) => !this.address(m, w.addr).never);
    live.forEach((w, k) => {
      const wa = this.address(m, w.addr);
      const conds = this.writeConds(w, wa, true);
      if (a.guard) conds.unshift(`(${a.guard})`);
      const ic = CONST.test(wa.idx) && CONST.test(a.idx);
      if (!ic && wa.idx !== a.idx) conds.push(`(${wa.idx} == ${a.idx})`);
      else if (wa.idx !== a.idx) return;
      if (w.mask && w.mask.width === 1) conds.push(this.multi(w.mask));
      const hit = conds.length ? conds.map((c) => (conds.length === 1 ? strip(c) : c)).join(' && ') : `1'b1`;
      let merged: string;
      if (!w.mask || w.mask.width === 1) merged = strip(this.multi(w.data));
      else {
        const data = this.multi(w.data);
        let mask: string;
        if (w.maskKind === 'byte') {
          const be = this.ident(w.mask);
          this.mark(be);
          const lanes = Array.from({ length: m.width / 8 }, (_, j) => `{8{${be}[${m.width / 8 - 1 - j}]}}`);
          mask = this.ns.fresh(`${rd}_mask${live.length > 1 ? k : ''}`);
          this.declare(mask, m.width, true);
          this.temps.push(stmt(`logic ${range(m.width)} ${mask};`, w.loc, 'the byte enables as a bit mask'));
          this.assigns.push(stmt(`assign ${mask} = {${lanes.join(', ')}};`, w.loc));
        } else mask = this.multi(w.mask);
        this.mark(mask);
        merged = `(${cur} & ~${mask}) | (${data} & ${mask})`;
      }
      const next = k === live.length - 1 ? wire(`${rd}_new`, `what ${rd} loads: the word with this edge's writes merged in`) : wire(`${rd}_new${k}`, `after write port ${k}`);
      this.mark(cur);
      this.assigns.push(stmt(`assign ${next} = (${hit}) ? ${merged} : ${cur};`, w.loc, 'read-during-write: new data'));
      cur = next;
    });
    this.mark(cur);
    return cur;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Node helpers

/** A slice seen through nested slices, casts and zero-extensions it stays inside: the node it reads, and the offset. */
function foldSlice(n: Sig): { base: Sig; lo: number } {
  let base = n.args[0]!;
  let lo = n.lo;
  for (;;) {
    if (base.kind === 'slice' && !isLeaf(base)) {
      lo += base.lo;
      base = base.args[0]!;
    } else if (base.kind === 'cast') base = base.args[0]!;
    else if (base.kind === 'zext' && lo + n.width <= base.args[0]!.width) base = base.args[0]!;
    else break;
  }
  return { base, lo };
}

function isRep(n: Sig): boolean {
  return n.args.length > 1 && n.args.every((a) => a === n.args[0]);
}
