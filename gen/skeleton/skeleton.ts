// Writes SystemVerilog skeletons for the hardware teams: one file per module class (header, parameters, ports
// with documentation, outputs tied off, a marked body) and one package with the shared constants and state
// encodings. The handlebars templates in gen/templates/ can be replaced by a user's own (same file names).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { constantGroups, type Netlist, Reg } from '../../rtl/core/index.ts';
import { SourceDocs } from './docs.ts';
import { skeletonModel } from './model.ts';
import { fileURLToPath } from 'node:url';

export const defaultTemplates = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');

export interface SkeletonOptions {
  /** Folder with skeleton.sv.hbs and/or package.sv.hbs overriding ours. */
  templates?: string;
  /** SV package name (default corsair_pkg). */
  packageName?: string;
}

function template(name: string, dir: string | undefined): HandlebarsTemplateDelegate {
  const own = dir ? path.join(dir, name) : undefined;
  const file = own && fs.existsSync(own) ? own : path.join(defaultTemplates, name);
  return Handlebars.compile(fs.readFileSync(file, 'utf8'), { noEscape: true, strict: true });
}

const hex = (v: bigint, w: number) => `${w}'h${v.toString(16)}`;

/** The package model: declared constant groups plus the state encodings of every FSM in the design. */
export function packageModel(nl: Netlist, name: string) {
  const groups = constantGroups().map((g) => ({
    name: g.name,
    doc: g.doc,
    source: `${g.loc.file}:${g.loc.line}`,
    msb: g.width - 1,
    values: Object.entries(g.values).map(([k, v]) => ({ name: g.prefix ? `${g.name.toUpperCase()}_${k}` : k, value: hex(BigInt(v), g.width) })),
  }));
  const seen = new Set<string>();
  for (const inst of nl.instances) {
    for (const s of inst.signals) {
      if (!(s instanceof Reg) || !s.labels) continue;
      const key = `${inst.className}_${s.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      groups.push({
        name: key,
        doc: `state encoding of ${inst.className}.${s.name}`,
        source: `${s.loc.file}:${s.loc.line}`,
        msb: s.width - 1,
        values: s.labels.map((l, i) => ({ name: `${key}_${l}`.toUpperCase(), value: hex(BigInt(i), s.width) })),
      });
    }
  }
  return { name, groups };
}

/** Write one skeleton per module class of the design and the package; returns the files written. */
export function writeSkeletons(nl: Netlist, outDir: string, opts: SkeletonOptions = {}): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const docs = new SourceDocs();
  const moduleTpl = template('skeleton.sv.hbs', opts.templates);
  const pkgTpl = template('package.sv.hbs', opts.templates);
  const written: string[] = [];
  const done = new Set<string>();
  for (const inst of nl.instances) {
    if (done.has(inst.className)) continue;
    done.add(inst.className);
    const model = skeletonModel(inst, nl, docs, inst.className);
    const file = path.join(outDir, `${model.name}.sv`);
    fs.writeFileSync(file, moduleTpl(model));
    written.push(file);
  }
  const pkg = packageModel(nl, opts.packageName ?? 'corsair_pkg');
  const pkgFile = path.join(outDir, `${pkg.name}.sv`);
  fs.writeFileSync(pkgFile, pkgTpl(pkg));
  written.push(pkgFile);
  return written;
}
