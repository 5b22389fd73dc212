// The skeleton of one module for the silicon team: its parameters (constructor arguments with the values this
// design used), its ports grouped by bundle with their documentation, and the clocks and resets it needs. Read
// from the elaborated netlist and the TypeScript source; rendered by the handlebars templates.
import type { ClockDomain, ModuleInst, Netlist, Sig } from '../../rtl/core/index.ts';
import { Input, MemRead, Reg, Sig as SigClass } from '../../rtl/core/index.ts';
import type { SourceDocs } from './docs.ts';
import { legalName } from '../sv/names.ts';

export interface SkeletonPort {
  dir: 'input' | 'output';
  name: string;
  width: number;
  /** `[W-1:0] ` or '' for one bit. */
  range: string;
  doc: string | undefined;
  /** Comma after the declaration (all but the last port). */
  comma: boolean;
}

export interface SkeletonGroup {
  name: string;
  doc: string | undefined;
  ports: SkeletonPort[];
}

export interface SkeletonParam {
  name: string;
  /** SV type: int, or longint for values of 2^31 and more (Icarus 11 rejects `int unsigned`). */
  type: string;
  value: string;
  doc: string;
  comma: boolean;
}

export interface SkeletonModel {
  name: string;
  className: string;
  doc: string[];
  source: string;
  params: SkeletonParam[];
  groups: SkeletonGroup[];
  outputs: Array<{ name: string }>;
  /** Inputs and parameters referenced by the lint-quieting `unused_ok` wire. */
  unused: string[];
  date: string;
}

/** Clock domains a module instance uses itself or through its submodules. */
export function domainsOf(inst: ModuleInst, nl: Netlist): ClockDomain[] {
  const found = new Set<ClockDomain>();
  const visit = (i: ModuleInst) => {
    for (const s of i.signals) {
      if (s instanceof Reg) found.add(s.domain);
      if (s instanceof MemRead && s.domain) found.add(s.domain);
    }
    for (const m of i.memories) for (const w of m.writes) found.add(w.domain);
    i.children.forEach(visit);
  };
  visit(inst);
  return nl.domains.filter((d) => found.has(d));
}

const range = (w: number) => (w === 1 ? '' : `[${w - 1}:0] `);

/** Ports grouped by the property that holds them: a bundle property is one group, single ports share one. */
function groupPorts(inst: ModuleInst): Array<{ name: string; prop: string | undefined; ports: Sig[] }> {
  const portSet = new Set<Sig>(inst.ports);
  const groups: Array<{ name: string; prop: string | undefined; ports: Sig[] }> = [];
  const single: Sig[] = [];
  const seen = new Set<Sig>();
  const collect = (v: unknown, out: Sig[], depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    if (v instanceof SigClass) {
      if (portSet.has(v) && !seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => collect(x, out, depth + 1));
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) collect(x, out, depth + 1);
  };
  for (const [k, v] of Object.entries(inst.module)) {
    if (k.startsWith('__')) continue;
    if (v instanceof SigClass) collect(v, single, 0);
    else {
      const ports: Sig[] = [];
      collect(v, ports, 0);
      if (ports.length) groups.push({ name: k, prop: k, ports });
    }
  }
  const rest = inst.ports.filter((p) => !seen.has(p));
  const all = [...single, ...rest];
  if (all.length) groups.unshift({ name: 'ports', prop: undefined, ports: all });
  return groups;
}

export function skeletonModel(inst: ModuleInst, nl: Netlist, docs: SourceDocs, svName: string): SkeletonModel {
  const cls = inst.className;
  const file = inst.ports[0]?.loc.file ?? inst.signals[0]?.loc.file ?? inst.loc.file;
  const params: SkeletonParam[] = [];
  for (const p of docs.params(file, cls)) {
    const v = (inst.module as unknown as Record<string, unknown>)[p.name];
    const name = p.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    const doc = `${p.name}: ${p.type}`;
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      params.push({ name, type: Math.abs(v) < 2 ** 31 ? 'int' : 'longint', value: String(v), doc, comma: true });
    } else if (typeof v === 'boolean') params.push({ name, type: 'int', value: v ? '1' : '0', doc, comma: true });
  }
  if (params.length) params[params.length - 1]!.comma = false;

  const groups: SkeletonGroup[] = [];
  const domains = domainsOf(inst, nl);
  if (domains.length) {
    groups.push({
      name: 'clocks and resets',
      doc: undefined,
      ports: domains.flatMap((d) => [
        { dir: 'input' as const, name: d.clockName, width: 1, range: '', doc: `clock of domain ${d.name} (${d.mhz.toFixed(3)} MHz in the model)`, comma: true },
        { dir: 'input' as const, name: d.resetName, width: 1, range: '', doc: `active-high reset of domain ${d.name}`, comma: true },
      ]),
    });
  }
  for (const g of groupPorts(inst)) {
    const gdoc = g.prop ? docs.propertyDoc(file, cls, g.prop) : undefined;
    groups.push({
      name: g.name,
      doc: gdoc,
      ports: g.ports.map((p) => {
        const own = p.doc ?? (g.prop ? undefined : docs.propertyDoc(file, cls, p.name!));
        return { dir: p instanceof Input ? 'input' : 'output', name: legalName(p.name!), width: p.width, range: range(p.width), doc: own, comma: true };
      }),
    });
  }
  const all = groups.flatMap((g) => g.ports);
  if (all.length) all[all.length - 1]!.comma = false;
  const modDoc = docs.moduleDoc(file, cls) ?? `${cls} (no documentation in ${file})`;
  return {
    name: svName,
    className: cls,
    doc: modDoc.split('\n'),
    source: file,
    params,
    groups,
    outputs: all.filter((p) => p.dir === 'output').map((p) => ({ name: p.name })),
    unused: [...all.filter((p) => p.dir === 'input').map((p) => p.name), ...params.map((p) => `(${p.name} != 0)`)],
    date: new Date().toISOString().slice(0, 10),
  };
}
