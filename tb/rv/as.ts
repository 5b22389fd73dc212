// `npx tsx tb/rv/as.ts PROG.S [-o PROG.elf]`: assemble with tb/rv/asm.ts into an ELF for `npm run rv` (no cross
// toolchain needed). Prints the symbol table with -t. Exit 1 on an assembly error (the message names the line).
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AsmError, assemble } from './asm.ts';
import { writeElf } from './elf.ts';

export function asMain(argv: string[]): { exitCode: number; lines: string[] } {
  let input: string | undefined;
  let output: string | undefined;
  let table = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-o') output = argv[++i];
    else if (a === '-t') table = true;
    else if (a.startsWith('-')) return { exitCode: 2, lines: [`as: unknown option ${a} (usage: as.ts PROG.S [-o PROG.elf] [-t])`] };
    else input = a;
  }
  if (!input) return { exitCode: 2, lines: ['as: usage: as.ts PROG.S [-o PROG.elf] [-t]'] };
  output ??= input.replace(/\.[sS]$/, '') + '.elf';
  try {
    const p = assemble(fs.readFileSync(input, 'utf8'));
    fs.writeFileSync(output, writeElf(p));
    const lines = [`as: wrote ${output} (${p.sections.map((s) => `${s.name} ${s.bytes.length} bytes at 0x${s.base.toString(16)}`).join(', ')})`];
    if (table) for (const [n, v] of [...p.symbols].sort((x, y) => x[1] - y[1])) lines.push(`${v.toString(16).padStart(8, '0')} ${n}`);
    return { exitCode: 0, lines };
  } catch (e) {
    if (e instanceof AsmError) return { exitCode: 1, lines: [`as: ${input}: ${e.message}`] };
    return { exitCode: 2, lines: [`as: ${(e as Error).message}`] };
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = asMain(process.argv.slice(2));
  for (const l of r.lines) (r.exitCode ? console.error : console.log)(l);
  process.exitCode = r.exitCode;
}
