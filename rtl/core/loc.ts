// Source locations: every signal, assignment and instance remembers the TypeScript file:line that made it,
// so that design-rule errors and emitted SystemVerilog can point back at the designer's code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export interface SrcLoc {
  /** Path relative to the project root, e.g. `rtl/lib/fifo.ts`. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** The project root (two levels above rtl/core). */
export const projectRoot = path.resolve(here, '..', '..');
const coreDir = here + path.sep;

export const unknownLoc: SrcLoc = { file: '<unknown>', line: 0, col: 0 };

const frameRe = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * The location of the first stack frame outside the language core (rtl/core/) and outside node's internals:
 * that is the designer's line that called into the language. With skipConstructors (class names), the frames of
 * those constructors are passed over too, giving the line that said `new Fifo(...)` rather than Fifo's `super()`.
 *
 * Capturing a stack is cheap; formatting it (with source maps) is not, so the location is resolved lazily, the
 * first time its file or line is read (error messages, SV comments, name inference).
 */
export function callerLoc(skipConstructors?: ReadonlySet<string>): SrcLoc {
  return new LazyLoc(skipConstructors);
}

class LazyLoc implements SrcLoc {
  private holder: { stack?: string } | undefined = {};
  private resolved: SrcLoc | undefined;
  constructor(private readonly skip: ReadonlySet<string> | undefined) {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 24;
    Error.captureStackTrace(this.holder!, LazyLoc);
    Error.stackTraceLimit = saved;
  }
  private get loc(): SrcLoc {
    if (!this.resolved) {
      this.resolved = parseStack(this.holder!.stack ?? '', this.skip);
      this.holder = undefined;
    }
    return this.resolved;
  }
  get file(): string {
    return this.loc.file;
  }
  get line(): number {
    return this.loc.line;
  }
  get col(): number {
    return this.loc.col;
  }
  toJSON(): SrcLoc {
    return { ...this.loc };
  }
}

function parseStack(stack: string, skipConstructors: ReadonlySet<string> | undefined): SrcLoc {
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const m = frameRe.exec(text);
    if (!m) continue;
    const ctor = /^at new ([\w$]+)/.exec(text);
    if (skipConstructors && ctor && skipConstructors.has(ctor[1]!)) continue;
    let file = m[1]!;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (file.startsWith('node:') || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (file.startsWith(coreDir)) continue;
    return { file: relativeToRoot(file), line: Number(m[2]), col: Number(m[3]) };
  }
  return unknownLoc;
}

function relativeToRoot(file: string): string {
  const rel = path.relative(projectRoot, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}

export function formatLoc(loc: SrcLoc): string {
  return `${loc.file}:${loc.line}`;
}

const sourceCache = new Map<string, string[] | null>();

/** The text of one line of a source file (for inferring names from `const x = ...`), or undefined. */
export function sourceLine(loc: SrcLoc): string | undefined {
  if (loc.line <= 0) return undefined;
  let lines = sourceCache.get(loc.file);
  if (lines === undefined) {
    try {
      const abs = path.isAbsolute(loc.file) ? loc.file : path.join(projectRoot, loc.file);
      lines = readFileSync(abs, 'utf8').split('\n');
    } catch {
      lines = null;
    }
    sourceCache.set(loc.file, lines);
  }
  return lines?.[loc.line - 1];
}

const declRe = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=(?!=)/;
const propRe = /this\.([A-Za-z_$][\w$]*)\s*=(?!=)/;

/** The variable a call on this line is assigned to (`const count = this.reg(8)` gives `count`), if any. */
export function inferName(loc: SrcLoc): string | undefined {
  const text = sourceLine(loc);
  if (!text) return undefined;
  const upToCall = text.slice(0, Math.max(0, loc.col - 1));
  const m = declRe.exec(upToCall) ?? propRe.exec(upToCall);
  return m?.[1];
}
