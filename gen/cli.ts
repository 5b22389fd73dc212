// `npm run gen -- [--skeleton] [--out DIR] [--templates DIR] [MODULE ...]`: writes the SystemVerilog of every
// design in the catalog (or the ones named): full RTL into DIR/<design>/ (one file per module and <top>.f), or with
// --skeleton the implementation skeletons and the constants package into DIR/skeleton/<design>/. Prints what it
// wrote. Exit code 2 for an unknown design, a bad option or a folder it cannot write.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { elaborate, projectRoot } from '../rtl/core/index.ts';
import { catalog } from './catalog.ts';
import { writeSv } from './sv/write.ts';
import { writeSkeletons } from './skeleton/skeleton.ts';

const usage = 'usage: npm run gen -- [--skeleton] [--out DIR] [--templates DIR] [MODULE ...]';

function fail(msg: string): never {
  console.error(`gen: ${msg}`);
  process.exit(2);
}

export interface GenArgs {
  skeleton: boolean;
  out: string;
  templates: string | undefined;
  names: string[];
}

export function parseArgs(argv: string[]): GenArgs {
  const a: GenArgs = { skeleton: false, out: path.join(projectRoot, 'gen', 'out'), templates: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--skeleton') a.skeleton = true;
    else if (x === '--out' || x === '--templates') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) fail(`${x} needs a folder\n${usage}`);
      if (x === '--out') a.out = path.resolve(v);
      else a.templates = path.resolve(v);
    } else if (x === '--help' || x === '-h') {
      console.log(`${usage}\ndesigns: ${catalog.map((c) => c.name).join(', ')}`);
      process.exit(0);
    } else if (x.startsWith('-')) fail(`unknown option ${x}\n${usage}`);
    else a.names.push(x);
  }
  const known = new Set(catalog.map((c) => c.name));
  const unknown = a.names.filter((n) => !known.has(n));
  if (unknown.length) fail(`unknown design${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (designs: ${[...known].join(', ')})`);
  if (a.templates && !fs.existsSync(a.templates)) fail(`templates folder ${a.templates} does not exist`);
  return a;
}

function writable(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    fail(`cannot write to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function main(argv: string[]): void {
  const args = parseArgs(argv);
  writable(args.out);
  const entries = catalog.filter((c) => args.names.length === 0 || args.names.includes(c.name));
  let files = 0;
  for (const e of entries) {
    const nl = elaborate(e.make());
    const dir = args.skeleton ? path.join(args.out, 'skeleton', e.name) : path.join(args.out, e.name);
    writable(dir);
    const written = args.skeleton ? writeSkeletons(nl, dir, { templates: args.templates }) : writeSv(nl, dir);
    files += written.length;
    console.log(`${e.name}: ${written.map((f) => path.relative(process.cwd(), f)).join(' ')}`);
  }
  console.log(`wrote ${files} files for ${entries.length} design${entries.length === 1 ? '' : 's'} (${args.skeleton ? 'skeletons' : 'full RTL'}) under ${path.relative(process.cwd(), args.out) || '.'}`);
}

main(process.argv.slice(2));
