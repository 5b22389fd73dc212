// Writes the SystemVerilog of a netlist to a folder: one <Module>.sv per definition, the .hex files of big
// initialised memories, and <top>.f listing the .sv files in compile order (children first, the top last).
// The .f names files relative to its own folder: `verilator -F out/top.f` (capital F) or run the tools in the folder
// (the $readmemh files are found relative to the working directory).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Netlist } from '../../rtl/core/index.ts';
import { emitDesign, type EmitOptions, type SvDesign } from './emit.ts';

/** Write the files of an emitted design; returns the paths written (the .f last). */
export function writeDesign(design: SvDesign, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string) => {
    const p = path.join(outDir, name);
    // keep the timestamp of unchanged files (incremental tools)
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) fs.writeFileSync(p, text);
    written.push(p);
  };
  for (const m of design.modules) put(`${m.name}.sv`, m.text);
  for (const f of design.dataFiles) put(f.name, f.text);
  put(`${design.top}.f`, design.fileList.join('\n') + '\n');
  return written;
}

/** Emit and write a netlist's SystemVerilog to outDir; returns the paths written (the .f last). */
export function writeSv(nl: Netlist, outDir: string, opts?: EmitOptions): string[] {
  return writeDesign(emitDesign(nl, opts), outDir);
}
