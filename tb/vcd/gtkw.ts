// GTKWave save file (.gtkw) writer: which dump to open, which scopes to expand, and grouped signals.
//
// Format (gtkwave 3.3): `[dumpfile] "path"`, `[treeopen] top.` per expanded scope, then trace lines. A `@<hex>`
// line sets the flags of the traces below it: 0x22 hex, 0x28 binary, 0x200 blank/label row,
// 0x800000 group begin, 0x1000000 group end. A group is `@800200` `-Label` ... `@1000200` `-Label`.
import * as fs from 'node:fs';

export interface GtkwGroup {
  label: string;
  /** path: dotted full name such as 'top.fifo0.count'. */
  signals: Array<{ path: string; width: number }>;
}

const FLAG_HEX = '22';
const FLAG_BIN = '28';
const FLAG_GROUP_BEGIN = '800200';
const FLAG_GROUP_END = '1000200';

/** Trace name gtkwave expects: 'top.a' for 1 bit, 'top.count[7:0]' for vectors. */
export function gtkwTraceName(path: string, width: number): string {
  return width === 1 ? path : `${path}[${width - 1}:0]`;
}

export function writeGtkw(path: string, opts: { dumpfile: string; groups: GtkwGroup[]; treeopen?: string[] }): void {
  const lines: string[] = ['[*] written by tb/vcd/gtkw.ts', `[dumpfile] "${opts.dumpfile}"`];
  for (const scope of opts.treeopen ?? []) lines.push(`[treeopen] ${scope.endsWith('.') ? scope : scope + '.'}`);
  for (const g of opts.groups) {
    if (/[\r\n]/.test(g.label)) throw new Error(`writeGtkw: group label ${JSON.stringify(g.label)} has a newline`);
    lines.push(`@${FLAG_GROUP_BEGIN}`, `-${g.label}`);
    let flags = '';
    for (const s of g.signals) {
      const f = s.width === 1 ? FLAG_BIN : FLAG_HEX;
      if (f !== flags) {
        lines.push(`@${f}`);
        flags = f;
      }
      lines.push(gtkwTraceName(s.path, s.width));
    }
    lines.push(`@${FLAG_GROUP_END}`, `-${g.label}`);
  }
  lines.push('[pattern_trace] 1', '[pattern_trace] 0', '');
  fs.writeFileSync(path, lines.join('\n'));
}
