// Elaboration: from a top module to the netlist. Names signals after the TypeScript properties (or variables)
// that hold them, finds the instance hierarchy, folds conditional assignments into multiplexers, and runs the
// design-rule checks. Every finding is collected; if any is an error, one ElaborationError lists them all.
import { formatLoc, inferName, unknownLoc, type SrcLoc } from './loc.ts';
import { ElaborationError, type Finding } from './findings.ts';
import { Sig } from './signal.ts';
import { Input, Output, Reg, Wire, type Assignment } from './wire.ts';
import { Memory, MemRead } from './memory.ts';
import { Module } from './module.ts';
import { Fsm } from './fsm.ts';
import type { ClockDomain } from './domain.ts';
import { levelize } from './levelize.ts';
import type { ModuleInst, Netlist } from './netlist.ts';

export interface ElaborateOptions {
  /** Instance name of the top (default: the class name in lower case... or 'top'). */
  name?: string;
}

interface MutableInst extends ModuleInst {
  readonly children: MutableInst[];
  readonly ports: Wire[];
  readonly signals: Sig[];
  readonly memories: Memory[];
}

const leafKinds = new Set(['const', 'input', 'output', 'wire', 'reg', 'memrd', 'memrda']);

export function elaborate(top: Module, opts: ElaborateOptions = {}): Netlist {
  return new Elaborator().run(top, opts);
}

class Elaborator {
  private readonly findings: Finding[] = [];
  private readonly instanceOf = new Map<Module, MutableInst>();
  private readonly instances: MutableInst[] = [];
  private readonly nodes = new Set<Sig>();
  private readonly memories = new Set<Memory>();

  private error(rule: string, message: string, loc: SrcLoc, related?: SrcLoc[]): void {
    this.findings.push({ severity: 'error', rule, message, loc, related });
  }
  private warn(rule: string, message: string, loc: SrcLoc): void {
    this.findings.push({ severity: 'warning', rule, message, loc });
  }

  run(top: Module, opts: ElaborateOptions): Netlist {
    if (!(top instanceof Module)) throw new Error('elaborate(): the top must be a Module instance');
    const topInst = this.addInstance(top, opts.name ?? lowerFirst(top.constructor.name), undefined);
    for (const p of topInst.ports) {
      if (p instanceof Input && p.assigns.length) {
        this.error('multiple-drivers', `top-level input '${p.name}' is driven inside the design; the testbench drives it`, p.assigns[0]!.loc);
      }
    }
    // Cone traversal per module; may adopt submodules held only in local variables.
    for (let i = 0; i < this.instances.length; i++) this.traverseModule(this.instances[i]!);

    // Clock domains and their resets.
    const regs: Reg[] = [];
    const memReads: MemRead[] = [];
    const domains: ClockDomain[] = [];
    const addDomain = (d: ClockDomain) => {
      if (!domains.includes(d)) domains.push(d);
    };
    for (const n of this.nodes) {
      if (n instanceof Reg) {
        regs.push(n);
        addDomain(n.domain);
      } else if (n instanceof MemRead && n.domain) memReads.push(n);
    }
    for (const m of this.memories) {
      for (const r of m.reads) if (r.domain) addDomain(r.domain);
      for (const w of m.writes) addDomain(w.domain);
      this.findings.push(...m.findings);
    }
    for (const r of memReads) addDomain(r.domain!);
    if (domains.length === 0) {
      // a purely combinational design still gets the default clock so testbenches can count cycles
      domains.push(top.__m.domain);
    }
    const resets = new Map<ClockDomain, Input>();
    const usedNames = new Map(topInst.signals.filter((s) => s.name).map((s) => [s.name!, s]));
    for (const d of domains) {
      const clash = usedNames.get(d.resetName) ?? usedNames.get(d.clockName);
      if (clash) this.error('name', `'${clash.name}' clashes with the clock/reset port of domain '${d.name}'`, clash.loc);
      const r = new Input(1, false, unknownLoc);
      r.name = d.resetName;
      r.owner = top;
      r.doc = `Active-high reset of clock domain ${d.name}`;
      resets.set(d, r);
      topInst.signals.push(r);
      this.nodes.add(r);
    }
    const inputs = [...(topInst.ports.filter((p) => p instanceof Input) as Input[]), ...resets.values()];
    const outputs = topInst.ports.filter((p) => p instanceof Output) as Output[];

    // Findings recorded on nodes while the design was built.
    for (const n of this.nodes) if (n.findings) this.findings.push(...n.findings);

    // Combinational order and loops.
    const isComb = (n: Sig) => this.isComb(n, top);
    const combNodes = [...this.nodes].filter(isComb);
    const { order, loops } = levelize(combNodes, isComb);
    this.findings.push(...loops);

    if (loops.length === 0) this.checkCdc(order, regs, [...this.memories]);

    const unique = dedupeFindings(this.findings);
    const errors = unique.filter((f) => f.severity === 'error');
    if (errors.length) throw new ElaborationError(unique);

    return {
      top: topInst,
      instances: this.instances,
      instanceOf: this.instanceOf,
      domains,
      resets,
      inputs,
      outputs,
      regs,
      memories: [...this.memories],
      memReads,
      comb: order,
      consts: [...this.nodes].filter((n) => n.kind === 'const'),
      warnings: unique.filter((f) => f.severity === 'warning'),
    };
  }

  private isComb(n: Sig, top: Module): boolean {
    switch (n.kind) {
      case 'const':
      case 'reg':
      case 'memrd':
        return false;
      case 'input':
        return n.owner !== top;
      default:
        return true;
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Hierarchy and names

  private addInstance(mod: Module, name: string, parent: MutableInst | undefined): MutableInst {
    const inst: MutableInst = {
      module: mod,
      name,
      path: parent ? `${parent.path}.${name}` : name,
      parent,
      children: [],
      className: mod.constructor.name,
      ports: [],
      signals: [],
      memories: [],
      loc: mod.__m.loc,
    };
    this.instanceOf.set(mod, inst);
    this.instances.push(inst);
    parent?.children.push(inst);
    const explicit = new Map<string, SrcLoc>();
    const claim = (n: string, loc: SrcLoc) => {
      const prev = explicit.get(n);
      if (prev) this.error('name', `duplicate name '${n}' in ${inst.path} (also made at ${formatLoc(prev)})`, loc, [prev]);
      else explicit.set(n, loc);
    };
    // names given with named() / {name} first
    for (const s of mod.__m.signals) if (s.name) claim(s.name, s.loc);
    for (const m of mod.__m.memories) if (m.name) claim(m.name, m.loc);
    // then the properties that hold them
    const children: Array<[Module, string]> = [];
    this.walk(mod, mod, '', new Set(), (thing, n) => {
      if (thing instanceof Module) children.push([thing, n]);
      else if (!thing.name) {
        thing.name = n;
        claim(n, thing.loc);
      }
    });
    // then variables on the line that made them, then generated names
    const taken = new Set(explicit.keys());
    const fresh = (base: string) => {
      let n = base;
      for (let i = 1; taken.has(n); i++) n = `${base}_${i}`;
      taken.add(n);
      return n;
    };
    for (const s of mod.__m.signals) if (!s.name) s.name = fresh(inferName(s.loc) ?? `_${s.kind}`);
    for (const m of mod.__m.memories) {
      if (!m.name) m.name = fresh(inferName(m.loc) ?? '_mem');
      for (const r of m.reads) if (!r.name) r.name = fresh(inferName(r.loc) ?? `${m.name}_rd`);
    }
    for (const s of mod.__m.signals) {
      inst.signals.push(s);
      if (s instanceof Input || s instanceof Output) inst.ports.push(s);
    }
    for (const m of mod.__m.memories) {
      inst.memories.push(m);
      this.memories.add(m);
      for (const r of m.reads) inst.signals.push(r);
    }
    this.resolveDrivers(inst, parent === undefined);
    for (const [child, n] of children) {
      if (!this.instanceOf.has(child)) this.addInstance(child, n, inst);
    }
    return inst;
  }

  /** Visit the properties of a module (and of plain objects, arrays and FSMs inside it). */
  private walk(mod: Module, obj: object, prefix: string, seen: Set<object>, visit: (x: Sig | Memory | Module, name: string) => void): void {
    if (seen.has(obj)) return;
    seen.add(obj);
    for (const key of Object.keys(obj)) {
      if (key.startsWith('__')) continue;
      const v = (obj as Record<string, unknown>)[key];
      const name = prefix + key;
      this.walkValue(mod, v, name, seen, visit);
    }
  }

  private walkValue(mod: Module, v: unknown, name: string, seen: Set<object>, visit: (x: Sig | Memory | Module, name: string) => void): void {
    if (v === null || typeof v !== 'object') return;
    if (v instanceof Sig) {
      if (v.owner === mod) visit(v, name);
    } else if (v instanceof Memory) {
      if (v.owner === mod) visit(v, name);
    } else if (v instanceof Module) {
      if (v !== mod) visit(v, name);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => this.walkValue(mod, x, `${name}_${i}`, seen, visit));
    } else if (v instanceof Fsm) {
      this.walkValue(mod, v.state, `${name}_state`, seen, visit);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      this.walk(mod, v, `${name}_`, seen, visit);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Drivers

  private resolveDrivers(inst: MutableInst, isTop: boolean): void {
    for (const s of inst.signals) {
      if (s instanceof Wire || s instanceof Reg) {
        for (const a of s.assigns) {
          if (a.value.width !== s.width) {
            this.error('width', `assigning ${a.value.describe()} to ${s.describe()} of ${inst.path}: widths differ; resize explicitly`, a.loc);
          }
        }
      }
      if (s instanceof Wire) {
        if (isTop && s instanceof Input) continue;
        s.driver = this.foldWire(s, inst);
      } else if (s instanceof Reg) {
        s.d = this.foldReg(s);
      }
    }
  }

  private foldWire(w: Wire, inst: ModuleInst): Sig | undefined {
    const as = w.assigns;
    const what = `${w instanceof Input ? 'input' : w instanceof Output ? 'output' : 'wire'} '${inst.path}.${w.name}'`;
    const cont = as.filter((a) => a.continuous);
    if (cont.length > 1 || (cont.length === 1 && (as.length > 1 || w.defaultValue))) {
      const locs = as.map((a) => a.loc);
      this.error('multiple-drivers', `${what} has more than one driver: ${locs.map(formatLoc).join(' and ')}`, locs[1] ?? locs[0]!, locs);
      return cont[0]!.value;
    }
    if (cont.length === 1) return cont[0]!.value;
    let v: Sig | undefined = w.defaultValue;
    for (const a of as) {
      if (!a.cond) v = a.value;
      else if (!v) {
        this.error('latch', `${what} is set under a condition but has no default value (it would be a latch): give it {default} or set it unconditionally first`, a.loc);
        return a.value;
      } else v = foldMux(a, v, w);
    }
    if (!v) {
      const hint = w instanceof Input ? 'the parent module must drive it' : 'assign() it or give it a default';
      this.error('undriven', `${what} is never driven: ${hint}`, w.loc);
    }
    return v;
  }

  private foldReg(r: Reg): Sig {
    let v: Sig = r;
    for (const a of r.assigns) v = a.cond ? foldMux(a, v, r) : a.value;
    return v;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Cone traversal: every node each module's logic reads, checked for hierarchy

  private traverseModule(inst: MutableInst): void {
    const mod = inst.module;
    const visited = new Set<Sig>();
    const stack: Array<[Sig, SrcLoc]> = [];
    const push = (s: Sig | undefined, user: SrcLoc) => {
      if (s && !visited.has(s)) stack.push([s, user]);
    };
    const roots = () => {
      for (const s of inst.signals) {
        this.nodes.add(s);
        // an input's driver is an expression of the parent, traversed there
        if (s instanceof Wire && !(s instanceof Input) && s.driver) push(s.driver, s.loc);
        if (s instanceof Reg) {
          push(s.d, s.loc);
          push(s.en, s.loc);
        }
      }
      for (const m of inst.memories) {
        for (const r of m.reads) {
          push(r.addr, r.loc);
          push(r.en, r.loc);
        }
        for (const w of m.writes) {
          push(w.addr, w.loc);
          push(w.data, w.loc);
          push(w.en, w.loc);
          push(w.mask, w.loc);
        }
      }
    };
    const childInputs = (c: ModuleInst) => {
      for (const p of c.ports) if (p instanceof Input && p.driver) push(p.driver, p.assigns[0]?.loc ?? p.loc);
    };
    roots();
    for (const c of inst.children) childInputs(c);
    while (stack.length) {
      const [n, user] = stack.pop()!;
      if (visited.has(n)) continue;
      visited.add(n);
      this.nodes.add(n);
      if (leafKinds.has(n.kind)) {
        if (n.kind === 'const' || n.owner === mod) continue;
        let owner = n.owner ? this.instanceOf.get(n.owner as Module) : undefined;
        if (!owner && n.owner instanceof Module) {
          // a submodule kept in a local variable: adopt it as a child of the module that reads it
          const child = n.owner;
          const name = inferName(child.__m.loc) ?? `u_${lowerFirst(child.constructor.name)}`;
          owner = this.addInstance(child, this.freshChildName(inst, name), inst);
          childInputs(owner);
        }
        const isPort = n instanceof Input || n instanceof Output;
        if (!owner || owner.parent !== inst || !isPort) {
          const whose = owner ? `'${owner.path}'` : 'no module';
          this.error('hierarchy', `${inst.path} reads ${n.name ? `'${n.name}'` : n.kind} of ${whose}, which is not a port of one of its submodules (made at ${formatLoc(n.loc)})`, user);
        }
        continue;
      }
      for (const a of n.args) push(a, n.loc);
    }
  }

  private freshChildName(inst: ModuleInst, base: string): string {
    const names = new Set([...inst.children.map((c) => c.name), ...inst.signals.map((s) => s.name)]);
    let n = base;
    for (let i = 1; names.has(n); i++) n = `${base}_${i}`;
    return n;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Clock-domain crossings: a register that reads another domain's state without being marked as a synchronizer

  private checkCdc(order: readonly Sig[], regs: readonly Reg[], memories: readonly Memory[]): void {
    const domainIds = new Map<ClockDomain, number>();
    const bitOf = (d: ClockDomain) => {
      let i = domainIds.get(d);
      if (i === undefined) domainIds.set(d, (i = domainIds.size));
      return i < 31 ? 1 << i : 0;
    };
    const mask = new Map<Sig, number>();
    const src = (n: Sig): number => {
      if (n instanceof Reg) return bitOf(n.domain);
      if (n instanceof MemRead && n.domain) return bitOf(n.domain);
      return mask.get(n) ?? 0;
    };
    for (const n of order) {
      let m = 0;
      const deps = n instanceof Wire ? (n.driver ? [n.driver] : []) : n.args;
      for (const a of deps) m |= src(a);
      // an asynchronous read also carries the state of the domains that write the memory
      if (n instanceof MemRead) for (const w of n.mem.writes) m |= bitOf(w.domain);
      mask.set(n, m);
    }
    const names = (foreign: number) => [...domainIds].filter(([, i]) => foreign & (1 << i)).map(([d]) => d.name).join(', ');
    const from = (...xs: Array<Sig | undefined>) => xs.reduce((m, x) => m | (x ? src(x) : 0), 0);
    for (const mem of memories) {
      for (const w of mem.writes) {
        const foreign = from(w.addr, w.data, w.en, w.mask) & ~bitOf(w.domain);
        if (foreign) this.warn('cdc', `memory '${mem.name}': a write port in domain ${w.domain.name} takes address/data/enable from domain ${names(foreign)} without a synchronizer`, w.loc);
      }
      for (const r of mem.reads) {
        if (!r.domain) continue;
        const foreign = from(r.addr, r.en) & ~bitOf(r.domain);
        if (foreign) this.warn('cdc', `memory '${mem.name}': read port '${r.name}' in domain ${r.domain.name} takes its address/enable from domain ${names(foreign)} without a synchronizer`, r.loc);
      }
    }
    for (const r of regs) {
      if (r.cdc || !r.d) continue;
      const foreign = (src(r.d) | (r.en ? src(r.en) : 0)) & ~bitOf(r.domain);
      if (foreign) {
        this.warn('cdc', `register '${r.name}' (domain ${r.domain.name}) reads state of domain ${names(foreign)} without a synchronizer`, r.loc);
      }
    }
  }
}

function foldMux(a: Assignment, otherwise: Sig, like: Sig): Sig {
  return new Sig('mux', like.width, like.signed, [a.cond!, a.value, otherwise], a.loc);
}

function lowerFirst(s: string): string {
  return s ? s[0]!.toLowerCase() + s.slice(1) : 'top';
}

function dedupeFindings(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.rule}|${f.message}|${formatLoc(f.loc)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
