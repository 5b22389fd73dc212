// A RISC-V assembler in TypeScript (RV32IM, Zicsr, Zifencei, the machine-mode system instructions), so firmware
// and tests can be written on a machine without a cross toolchain. Two passes over GNU-as style source: labels
// (named and numeric `1:` with `1f`/`1b`), sections .text/.data/.rodata/.bss, data directives, expressions with
// %hi/%lo, and the common pseudo-instructions. The result is a flat image per section plus a symbol table; see
// elf.ts to wrap it in an ELF file for the runner.
import { DISPATCH_ADDR } from '../../rtl/corsair/dispatch/address-map.ts';

export class AsmError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line !== undefined ? `line ${line}: ${message}` : message);
    this.name = 'AsmError';
  }
}

export interface Section {
  readonly name: string;
  readonly base: number;
  bytes: Uint8Array;
}

export interface Program {
  /** Sections with content (text, data), in address order; .bss has zero bytes in `bytes`. */
  readonly sections: Section[];
  readonly symbols: Map<string, number>;
  readonly entry: number;
  /** Source line of each instruction address (for traces). */
  readonly lines: Map<number, number>;
}

export interface AsmOptions {
  textBase?: number;
  dataBase?: number;
}

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

export const CSR_NAMES: Record<string, number> = {
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344, mcycle: 0xb00, minstret: 0xb02,
  mcycleh: 0xb80, minstreth: 0xb82, cycle: 0xc00, time: 0xc01, instret: 0xc02, cycleh: 0xc80, timeh: 0xc81,
  instreth: 0xc82, mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, satp: 0x180,
  pmpcfg0: 0x3a0, pmpaddr0: 0x3b0, mcountinhibit: 0x320,
};

export function regNumber(name: string): number | undefined {
  const n = name.toLowerCase();
  const m = /^x(\d+)$/.exec(n);
  if (m) {
    const i = Number(m[1]);
    return i < 32 ? i : undefined;
  }
  if (n === 'fp') return 8;
  const i = ABI.indexOf(n);
  return i >= 0 ? i : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(s: string, line: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      const m = /^'(\\.|[^\\'])'/.exec(s.slice(i));
      if (!m) throw new AsmError(`bad character constant in '${s}'`, line);
      out.push({ t: 'num', v: unescape(m[1]!).charCodeAt(0) });
      i += m[0].length;
      continue;
    }
    const num = /^(0x[0-9a-f]+|0b[01]+|\d+)([fb])?(?![\w.$])/i.exec(s.slice(i));
    if (num) {
      if (num[2]) out.push({ t: 'id', v: num[1]! + num[2] }); // numeric label reference
      else out.push({ t: 'num', v: Number(num[1]!.toLowerCase().startsWith('0b') ? parseInt(num[1]!.slice(2), 2) : num[1]) });
      i += num[0].length;
      continue;
    }
    const id = /^(%hi|%lo|%pcrel_hi|%pcrel_lo|[A-Za-z_.$][\w.$]*)/.exec(s.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[1]! });
      i += id[0].length;
      continue;
    }
    const op = /^(<<|>>|[-+*/%&|^~()])/.exec(s.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[1]! });
      i += op[0].length;
      continue;
    }
    throw new AsmError(`unexpected '${c}' in expression '${s}'`, line);
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" } as Record<string, string>)[e] ?? e;
  });
}

/** Evaluate an expression; `sym` resolves names (returns undefined when unknown: then the result is undefined). */
function evaluate(s: string, line: number, sym: (name: string) => number | undefined): number | undefined {
  const toks = tokenize(s, line);
  let p = 0;
  let unknown = false;
  const peek = () => toks[p];
  const expectOp = (v: string) => {
    const t = toks[p++];
    if (!t || t.t !== 'op' || t.v !== v) throw new AsmError(`expected '${v}' in '${s}'`, line);
  };
  const prec: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };
  const unary = (): number => {
    const t = toks[p++];
    if (!t) throw new AsmError(`incomplete expression '${s}'`, line);
    if (t.t === 'num') return t.v;
    if (t.t === 'op') {
      if (t.v === '-') return -unary();
      if (t.v === '+') return unary();
      if (t.v === '~') return ~unary();
      if (t.v === '(') {
        const v = binary(0);
        expectOp(')');
        return v;
      }
      throw new AsmError(`unexpected '${t.v}' in '${s}'`, line);
    }
    if (t.v === '%hi' || t.v === '%lo') {
      expectOp('(');
      const v = binary(0);
      expectOp(')');
      return t.v === '%hi' ? ((v + 0x800) >>> 12) & 0xfffff : ((v & 0xfff) << 20) >> 20;
    }
    const v = sym(t.v);
    if (v === undefined) {
      unknown = true;
      return 0;
    }
    return v;
  };
  const binary = (minPrec: number): number => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op' || !(t.v in prec) || prec[t.v]! < minPrec) break;
      p++;
      const right = binary(prec[t.v]! + 1);
      switch (t.v) {
        case '+': left = left + right; break;
        case '-': left = left - right; break;
        case '*': left = Math.imul(left, right); break;
        case '/': left = right === 0 ? 0 : Math.trunc(left / right); break;
        case '%': left = right === 0 ? 0 : left % right; break;
        case '<<': left = left << right; break;
        case '>>': left = left >> right; break;
        case '&': left = left & right; break;
        case '|': left = left | right; break;
        case '^': left = left ^ right; break;
      }
    }
    return left;
  };
  if (toks.length === 0) throw new AsmError('missing expression', line);
  const v = binary(0);
  if (p !== toks.length) throw new AsmError(`trailing text in expression '${s}'`, line);
  return unknown ? undefined : v;
}

// ---------------------------------------------------------------------------------------------------------------
// Source items

interface Item {
  line: number;
  seq: number;
  section: string;
  offset: number;
  size: number;
  op: string;
  args: string[];
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      cur += c;
      if (c === '\\') cur += s[++i] ?? '';
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function stripComment(s: string): string {
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '#' || (c === '/' && s[i + 1] === '/')) return s.slice(0, i);
  }
  return s;
}

function parseString(a: string, line: number): string {
  const m = /^"((?:\\.|[^"\\])*)"$/.exec(a.trim());
  if (!m) throw new AsmError(`expected a string, got '${a}'`, line);
  return unescape(m[1]!);
}

const SECTION_ALIASES: Record<string, string> = {
  '.text': '.text', '.text.init': '.text', '.text.startup': '.text', '.data': '.data', '.rodata': '.data',
  '.sdata': '.data', '.tohost': '.data', '.bss': '.bss', '.sbss': '.bss',
};

/** Instructions that expand to two words (when their operand is not a small constant known in pass 1). */
function instrSize(op: string, args: string[], line: number, constOf: (s: string) => number | undefined): number {
  switch (op) {
    case 'la': case 'call': case 'tail': case 'lla':
      return 8;
    case 'li': {
      if (args.length !== 2) throw new AsmError(`li needs 2 operands`, line);
      const v = constOf(args[1]!);
      if (v === undefined) return 8;
      return fitsSigned(v | 0, 12) ? 4 : (v & 0xfff) === 0 ? 4 : 8;
    }
    default:
      return 4;
  }
}

const fitsSigned = (v: number, bits: number) => v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);

// ---------------------------------------------------------------------------------------------------------------
// The assembler

export function assemble(source: string, opts: AsmOptions = {}): Program {
  const bases: Record<string, number> = {
    '.text': opts.textBase ?? DISPATCH_ADDR.ITCM_BASE,
    '.data': opts.dataBase ?? DISPATCH_ADDR.DTCM_BASE,
    '.bss': 0,
  };
  const items: Item[] = [];
  const sizes: Record<string, number> = { '.text': 0, '.data': 0, '.bss': 0 };
  const labels = new Map<string, { section: string; offset: number; line: number }>();
  const numeric = new Map<string, Array<{ seq: number; section: string; offset: number }>>();
  const equs = new Map<string, number>();
  let section = '.text';
  let seq = 0;

  const constOf = (s: string, line: number) => evaluate(s, line, (n) => equs.get(n));

  // ---- pass 1: items, sizes, label offsets
  const lines = source.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = ln + 1;
    let text = stripComment(lines[ln]!).trim();
    for (;;) {
      const m = /^([A-Za-z_.$][\w.$]*|\d+):/.exec(text);
      if (!m) break;
      const name = m[1]!;
      if (/^\d+$/.test(name)) {
        const list = numeric.get(name) ?? [];
        list.push({ seq, section, offset: sizes[section]! });
        numeric.set(name, list);
      } else {
        if (labels.has(name) || equs.has(name)) throw new AsmError(`label '${name}' defined twice (first on line ${labels.get(name)?.line})`, line);
        labels.set(name, { section, offset: sizes[section]!, line });
      }
      text = text.slice(m[0].length).trim();
    }
    if (!text) continue;
    const m = /^(\S+)\s*(.*)$/.exec(text)!;
    const op = m[1]!.toLowerCase();
    const args = splitArgs(m[2]!);
    const item: Item = { line, seq: seq++, section, offset: sizes[section]!, size: 0, op, args };
    if (op.startsWith('.')) {
      switch (op) {
        case '.text': case '.data': case '.rodata': case '.bss':
          section = SECTION_ALIASES[op]!;
          continue;
        case '.section': {
          const name = args[0] ?? '';
          const s = SECTION_ALIASES[name] ?? (name.startsWith('.text') ? '.text' : name.startsWith('.bss') || name.startsWith('.sbss') ? '.bss' : name.startsWith('.') ? '.data' : undefined);
          if (!s) throw new AsmError(`unknown section '${name}'`, line);
          section = s;
          continue;
        }
        case '.globl': case '.global': case '.option': case '.type': case '.size': case '.file': case '.ident':
        case '.attribute': case '.local': case '.weak':
          continue;
        case '.equ': case '.set': {
          if (args.length !== 2) throw new AsmError(`${op} needs a name and a value`, line);
          const v = constOf(args[1]!, line);
          if (v === undefined) throw new AsmError(`${op} ${args[0]}: the value must be a constant`, line);
          equs.set(args[0]!, v);
          continue;
        }
        case '.word': case '.4byte': case '.long':
          item.size = 4 * args.length;
          item.op = '.word';
          break;
        case '.half': case '.short': case '.2byte':
          item.size = 2 * args.length;
          item.op = '.half';
          break;
        case '.byte':
          item.size = args.length;
          break;
        case '.ascii': case '.asciz': case '.string':
          item.size = args.reduce((n, a) => n + parseString(a, line).length + (op === '.ascii' ? 0 : 1), 0);
          break;
        case '.space': case '.zero': case '.skip': {
          const n = constOf(args[0] ?? '', line);
          if (n === undefined || n < 0) throw new AsmError(`${op} needs a non-negative constant size`, line);
          item.size = n;
          break;
        }
        case '.align': case '.p2align': case '.balign': {
          const n = constOf(args[0] ?? '', line);
          if (n === undefined || n < 0) throw new AsmError(`${op} needs a constant`, line);
          const align = op === '.balign' ? n : 2 ** n;
          if (align & (align - 1)) throw new AsmError(`${op}: alignment ${align} is not a power of two`, line);
          const at = sizes[section]!;
          item.size = (align - (at % align)) % align;
          item.op = '.align';
          break;
        }
        default:
          throw new AsmError(`unknown directive '${op}'`, line);
      }
    } else {
      if (section === '.bss') throw new AsmError(`instruction '${op}' in .bss`, line);
      if (sizes[section]! % 4) throw new AsmError(`instruction '${op}' at a misaligned offset: add .align 2`, line);
      item.size = instrSize(op, args, line, (s) => constOf(s, line));
    }
    if (section === '.bss' && item.op !== '.space' && item.op !== '.zero' && item.op !== '.skip' && item.op !== '.align') {
      throw new AsmError(`only .space/.zero/.align may go in .bss`, line);
    }
    sizes[section] = sizes[section]! + item.size;
    items.push(item);
  }
  bases['.bss'] = align4(bases['.data']! + sizes['.data']!);

  const symbols = new Map<string, number>();
  for (const [n, l] of labels) symbols.set(n, (bases[l.section]! + l.offset) >>> 0);
  for (const [n, v] of equs) if (!symbols.has(n)) symbols.set(n, v >>> 0);

  // ---- pass 2: encode
  const images: Record<string, Uint8Array> = { '.text': new Uint8Array(sizes['.text']!), '.data': new Uint8Array(sizes['.data']!) };
  const srcLines = new Map<number, number>();
  for (const it of items) {
    const pc = (bases[it.section]! + it.offset) >>> 0;
    const sym = (name: string): number | undefined => {
      const nm = /^(\d+)([fb])$/.exec(name);
      if (nm) {
        const list = numeric.get(nm[1]!) ?? [];
        // a label's seq is that of the item after it: `1f` is the first one after this item, `1b` the last one before
        const hit = nm[2] === 'f' ? list.find((d) => d.seq > it.seq) : [...list].reverse().find((d) => d.seq <= it.seq);
        return hit ? (bases[hit.section]! + hit.offset) >>> 0 : undefined;
      }
      return symbols.get(name);
    };
    const value = (s: string): number => {
      const v = evaluate(s, it.line, sym);
      if (v === undefined) throw new AsmError(`undefined symbol in '${s}'`, it.line);
      return v;
    };
    if (it.section === '.bss') continue;
    const img = images[it.section]!;
    const put = (off: number, v: number, n: number) => {
      for (let k = 0; k < n; k++) img[off + k] = (v >>> (8 * k)) & 0xff;
    };
    switch (it.op) {
      case '.word': it.args.forEach((a, k) => put(it.offset + 4 * k, value(a), 4)); break;
      case '.half': it.args.forEach((a, k) => put(it.offset + 2 * k, value(a), 2)); break;
      case '.byte': it.args.forEach((a, k) => put(it.offset + k, value(a), 1)); break;
      case '.ascii': case '.asciz': case '.string': {
        let o = it.offset;
        for (const a of it.args) {
          const str = parseString(a, it.line) + (it.op === '.ascii' ? '' : '\0');
          for (const ch of str) img[o++] = ch.charCodeAt(0) & 0xff;
        }
        break;
      }
      case '.space': case '.zero': case '.skip': case '.align':
        break;
      default: {
        const words = encode(it.op, it.args, pc, it.line, value, it.size);
        if (words.length * 4 !== it.size) throw new AsmError(`internal: '${it.op}' size changed between passes`, it.line);
        words.forEach((w, k) => {
          put(it.offset + 4 * k, w, 4);
          srcLines.set(pc + 4 * k, it.line);
        });
      }
    }
  }
  const sections: Section[] = [];
  if (sizes['.text']) sections.push({ name: '.text', base: bases['.text']!, bytes: images['.text']! });
  if (sizes['.data']) sections.push({ name: '.data', base: bases['.data']!, bytes: images['.data']! });
  if (sizes['.bss']) sections.push({ name: '.bss', base: bases['.bss']!, bytes: new Uint8Array(sizes['.bss']!) });
  const entry = symbols.get('_start') ?? bases['.text']!;
  return { sections, symbols, entry, lines: srcLines };
}

const align4 = (n: number) => ((n + 3) & ~3) >>> 0;

// ---------------------------------------------------------------------------------------------------------------
// Instruction encoding

const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const Sx = (imm: number, rs2: number, rs1: number, f3: number, op: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
const B = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const Ux = (imm20: number, rd: number, op: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
const J = (imm: number, rd: number) =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;

const ALU_R: Record<string, [number, number]> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5], sra: [0x20, 5], or: [0, 6], and: [0, 7],
  mul: [1, 0], mulh: [1, 1], mulhsu: [1, 2], mulhu: [1, 3], div: [1, 4], divu: [1, 5], rem: [1, 6], remu: [1, 7],
};
const ALU_I: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
const SHIFT_I: Record<string, [number, number]> = { slli: [0, 1], srli: [0, 5], srai: [0x20, 5] };
const BRANCH: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };
const LOADS: Record<string, number> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const STORES: Record<string, number> = { sb: 0, sh: 1, sw: 2 };
const CSR_OPS: Record<string, number> = { csrrw: 1, csrrs: 2, csrrc: 3, csrrwi: 5, csrrsi: 6, csrrci: 7 };

function encode(op: string, a: string[], pc: number, line: number, value: (s: string) => number, size: number): number[] {
  const need = (n: number) => {
    if (a.length !== n) throw new AsmError(`'${op}' takes ${n} operand${n === 1 ? '' : 's'}, got ${a.length}`, line);
  };
  const reg = (s: string | undefined): number => {
    const r = s === undefined ? undefined : regNumber(s.trim());
    if (r === undefined) throw new AsmError(`'${s}' is not a register`, line);
    return r;
  };
  const imm = (s: string, bits: number, signed = true): number => {
    const v = value(s);
    const ok = signed ? fitsSigned(v, bits) || (v >= 0 && v < 2 ** bits && bits === 32) : v >= 0 && v < 2 ** bits;
    if (!ok) throw new AsmError(`${v} does not fit the ${bits}-bit ${signed ? 'signed' : 'unsigned'} immediate of '${op}'`, line);
    return v;
  };
  const mem = (s: string): [number, number] => {
    const m = /^(.*)\((\w+)\)$/.exec(s.trim());
    if (!m) throw new AsmError(`expected offset(register), got '${s}'`, line);
    const off = m[1]!.trim() === '' ? 0 : imm(m[1]!, 12);
    return [off, reg(m[2])];
  };
  const rel = (s: string, bits: number): number => {
    const off = (value(s) - pc) | 0;
    if (!fitsSigned(off, bits)) throw new AsmError(`target '${s}' is out of range of '${op}' (offset ${off})`, line);
    if (off & 1) throw new AsmError(`target '${s}' is at an odd offset`, line);
    return off;
  };
  const csr = (s: string): number => {
    const n = CSR_NAMES[s.trim().toLowerCase()];
    if (n !== undefined) return n;
    const v = value(s);
    if (v < 0 || v > 0xfff) throw new AsmError(`CSR number ${v} is out of range`, line);
    return v;
  };
  const li = (rd: number, v: number): number[] => {
    v |= 0;
    if (size === 4) {
      if (fitsSigned(v, 12)) return [I(v, 0, 0, rd, 0x13)];
      return [Ux(v >>> 12, rd, 0x37)];
    }
    const hi = ((v + 0x800) >>> 12) & 0xfffff;
    const lo = ((v & 0xfff) << 20) >> 20;
    return [Ux(hi, rd, 0x37), I(lo, rd, 0, rd, 0x13)];
  };
  const pcrel = (v: number): [number, number] => {
    const off = (v - pc) | 0;
    return [((off + 0x800) >>> 12) & 0xfffff, ((off & 0xfff) << 20) >> 20];
  };

  if (op in ALU_R) {
    need(3);
    const [f7, f3] = ALU_R[op]!;
    return [R(f7, reg(a[2]), reg(a[1]), f3, reg(a[0]), 0x33)];
  }
  if (op in ALU_I) {
    need(3);
    return [I(imm(a[2]!, 12), reg(a[1]), ALU_I[op]!, reg(a[0]), 0x13)];
  }
  if (op in SHIFT_I) {
    need(3);
    const [f7, f3] = SHIFT_I[op]!;
    return [R(f7, imm(a[2]!, 5, false), reg(a[1]), f3, reg(a[0]), 0x13)];
  }
  if (op in BRANCH) {
    need(3);
    return [B(rel(a[2]!, 13), reg(a[1]), reg(a[0]), BRANCH[op]!)];
  }
  if (op in LOADS) {
    need(2);
    const [off, rs1] = mem(a[1]!);
    return [I(off, rs1, LOADS[op]!, reg(a[0]), 0x03)];
  }
  if (op in STORES) {
    need(2);
    const [off, rs1] = mem(a[1]!);
    return [Sx(off, reg(a[0]), rs1, STORES[op]!, 0x23)];
  }
  if (op in CSR_OPS) {
    need(3);
    const f3 = CSR_OPS[op]!;
    const src = f3 >= 5 ? imm(a[2]!, 5, false) : reg(a[2]);
    return [I(csr(a[1]!), src, f3, reg(a[0]), 0x73)];
  }
  const pseudoBranch: Record<string, [string, boolean]> = { bgt: ['blt', true], ble: ['bge', true], bgtu: ['bltu', true], bleu: ['bgeu', true] };
  if (op in pseudoBranch) {
    need(3);
    const [real] = pseudoBranch[op]!;
    return [B(rel(a[2]!, 13), reg(a[0]), reg(a[1]), BRANCH[real]!)];
  }
  const zeroBranch: Record<string, [string, boolean]> = {
    beqz: ['beq', false], bnez: ['bne', false], bltz: ['blt', false], bgez: ['bge', false], blez: ['bge', true], bgtz: ['blt', true],
  };
  if (op in zeroBranch) {
    need(2);
    const [real, swap] = zeroBranch[op]!;
    const r = reg(a[0]);
    return [swap ? B(rel(a[1]!, 13), r, 0, BRANCH[real]!) : B(rel(a[1]!, 13), 0, r, BRANCH[real]!)];
  }
  switch (op) {
    case 'lui': need(2); return [Ux(imm(a[1]!, 20, false), reg(a[0]), 0x37)];
    case 'auipc': need(2); return [Ux(imm(a[1]!, 20, false), reg(a[0]), 0x17)];
    case 'jal':
      if (a.length === 1) return [J(rel(a[0]!, 21), 1)];
      need(2);
      return [J(rel(a[1]!, 21), reg(a[0]))];
    case 'jalr': {
      if (a.length === 1) return [I(0, reg(a[0]), 0, 1, 0x67)];
      if (a.length === 2) {
        const [off, rs1] = mem(a[1]!);
        return [I(off, rs1, 0, reg(a[0]), 0x67)];
      }
      need(3);
      return [I(imm(a[2]!, 12), reg(a[1]), 0, reg(a[0]), 0x67)];
    }
    case 'j': need(1); return [J(rel(a[0]!, 21), 0)];
    case 'jr': need(1); return [I(0, reg(a[0]), 0, 0, 0x67)];
    case 'ret': need(0); return [I(0, 1, 0, 0, 0x67)];
    case 'call': case 'tail': {
      need(1);
      const [hi, lo] = pcrel(value(a[0]!));
      const r = op === 'call' ? 1 : 6;
      return [Ux(hi, r, 0x17), I(lo, r, 0, op === 'call' ? 1 : 0, 0x67)];
    }
    case 'la': case 'lla': {
      need(2);
      const rd = reg(a[0]);
      const [hi, lo] = pcrel(value(a[1]!));
      return [Ux(hi, rd, 0x17), I(lo, rd, 0, rd, 0x13)];
    }
    case 'li': need(2); return li(reg(a[0]), value(a[1]!));
    case 'nop': need(0); return [I(0, 0, 0, 0, 0x13)];
    case 'mv': need(2); return [I(0, reg(a[1]), 0, reg(a[0]), 0x13)];
    case 'not': need(2); return [I(-1, reg(a[1]), 4, reg(a[0]), 0x13)];
    case 'neg': need(2); return [R(0x20, reg(a[1]), 0, 0, reg(a[0]), 0x33)];
    case 'seqz': need(2); return [I(1, reg(a[1]), 3, reg(a[0]), 0x13)];
    case 'snez': need(2); return [R(0, reg(a[1]), 0, 3, reg(a[0]), 0x33)];
    case 'sltz': need(2); return [R(0, 0, reg(a[1]), 2, reg(a[0]), 0x33)];
    case 'sgtz': need(2); return [R(0, reg(a[1]), 0, 2, reg(a[0]), 0x33)];
    case 'fence': {
      if (a.length === 0) return [0x0ff0000f];
      need(2);
      const bits = (s: string) => {
        let v = 0;
        for (const ch of s.trim().toLowerCase()) {
          const i = 'wroi'.indexOf(ch);
          if (i < 0) throw new AsmError(`bad fence set '${s}'`, line);
          v |= 1 << i;
        }
        return v;
      };
      return [((bits(a[0]!) << 24) | (bits(a[1]!) << 20) | 0x0f) >>> 0];
    }
    case 'fence.i': need(0); return [0x0000100f];
    case 'ecall': need(0); return [0x00000073];
    case 'ebreak': need(0); return [0x00100073];
    case 'mret': need(0); return [0x30200073];
    case 'wfi': need(0); return [0x10500073];
    case 'unimp': need(0); return [0xc0001073];
    case 'csrr': need(2); return [I(csr(a[1]!), 0, 2, reg(a[0]), 0x73)];
    case 'csrw': need(2); return [I(csr(a[0]!), reg(a[1]), 1, 0, 0x73)];
    case 'csrs': need(2); return [I(csr(a[0]!), reg(a[1]), 2, 0, 0x73)];
    case 'csrc': need(2); return [I(csr(a[0]!), reg(a[1]), 3, 0, 0x73)];
    case 'csrwi': need(2); return [I(csr(a[0]!), imm(a[1]!, 5, false), 5, 0, 0x73)];
    case 'csrsi': need(2); return [I(csr(a[0]!), imm(a[1]!, 5, false), 6, 0, 0x73)];
    case 'csrci': need(2); return [I(csr(a[0]!), imm(a[1]!, 5, false), 7, 0, 0x73)];
    case 'rdcycle': need(1); return [I(0xc00, 0, 2, reg(a[0]), 0x73)];
    case 'rdtime': need(1); return [I(0xc01, 0, 2, reg(a[0]), 0x73)];
    case 'rdinstret': need(1); return [I(0xc02, 0, 2, reg(a[0]), 0x73)];
    case 'rdcycleh': need(1); return [I(0xc80, 0, 2, reg(a[0]), 0x73)];
    case 'rdtimeh': need(1); return [I(0xc81, 0, 2, reg(a[0]), 0x73)];
    case 'rdinstreth': need(1); return [I(0xc82, 0, 2, reg(a[0]), 0x73)];
  }
  throw new AsmError(`unknown instruction '${op}'`, line);
}
