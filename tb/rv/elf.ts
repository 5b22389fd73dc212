// ELF32 for the dispatch engine: a loader (validates class, data encoding, machine and type, then returns the
// loadable segments and the symbol table) and a small writer that wraps an assembled Program in an executable, so
// assembler-built programs go through the very same path as GCC-built ones.
import type { Program } from './asm.ts';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface Segment {
  readonly addr: number;
  /** File contents; bytes from data.length up to memsz are zero (.bss). */
  readonly data: Uint8Array;
  readonly memsz: number;
}

export interface ElfImage {
  readonly entry: number;
  readonly segments: Segment[];
  readonly symbols: Map<string, number>;
}

const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export function parseElf(buf: Uint8Array, what = 'file'): ElfImage {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (end: number, part: string) => {
    if (end > buf.length) throw new ElfError(`${what}: truncated ELF (${part} ends at byte ${end}, the file has ${buf.length})`);
  };
  if (buf.length < 16 || buf[0] !== 0x7f || buf[1] !== 0x45 || buf[2] !== 0x4c || buf[3] !== 0x46) {
    throw new ElfError(`${what}: not an ELF file (no \\x7fELF magic)`);
  }
  if (buf[4] === 2) throw new ElfError(`${what}: a 64-bit ELF; the dispatch engine is RV32 (build with -march=rv32im_zicsr_zifencei -mabi=ilp32)`);
  if (buf[4] !== 1) throw new ElfError(`${what}: unknown ELF class ${buf[4]}`);
  if (buf[5] !== 1) throw new ElfError(`${what}: big-endian ELF; RISC-V is little-endian`);
  need(52, 'the ELF header');
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_RISCV) throw new ElfError(`${what}: not a RISC-V ELF (e_machine ${machine}, RISC-V is ${EM_RISCV})`);
  if (type === 1) throw new ElfError(`${what}: a relocatable object (.o); link it into an executable first`);
  if (type !== 2) throw new ElfError(`${what}: not an executable ELF (e_type ${type})`);
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const shoff = dv.getUint32(32, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  const shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true);

  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    need(o + 32, `program header ${i}`);
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const offset = dv.getUint32(o + 4, true);
    const paddr = dv.getUint32(o + 12, true);
    const filesz = dv.getUint32(o + 16, true);
    const memsz = dv.getUint32(o + 20, true);
    if (memsz === 0) continue;
    need(offset + filesz, `segment ${i}`);
    segments.push({ addr: paddr, data: buf.slice(offset, offset + filesz), memsz });
  }
  if (segments.length === 0) throw new ElfError(`${what}: no loadable segments`);

  const symbols = new Map<string, number>();
  if (shoff && shnum) {
    need(shoff + shnum * shentsize, 'the section headers');
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      if (dv.getUint32(o + 4, true) !== SHT_SYMTAB) continue;
      const off = dv.getUint32(o + 16, true);
      const size = dv.getUint32(o + 20, true);
      const link = dv.getUint32(o + 24, true);
      const entsize = dv.getUint32(o + 36, true) || 16;
      const so = shoff + link * shentsize;
      const strOff = dv.getUint32(so + 16, true);
      const strSize = dv.getUint32(so + 20, true);
      need(off + size, 'the symbol table');
      need(strOff + strSize, 'the string table');
      for (let k = 0; k < size / entsize; k++) {
        const e = off + k * entsize;
        const nameOff = dv.getUint32(e, true);
        if (!nameOff) continue;
        let end = strOff + nameOff;
        while (end < strOff + strSize && buf[end] !== 0) end++;
        const name = new TextDecoder().decode(buf.subarray(strOff + nameOff, end));
        if (!symbols.has(name)) symbols.set(name, dv.getUint32(e + 4, true));
      }
    }
  }
  return { entry, segments, symbols };
}

/** Words of an image inside [base, base + 4 * n). */
export function imageWords(img: ElfImage, base: number, n: number): number[] {
  const w = new Array<number>(n).fill(0);
  for (const s of img.segments) {
    for (let i = 0; i < s.data.length; i++) {
      const a = s.addr - base + i;
      if (a < 0 || a >= 4 * n) continue;
      w[a >> 2] = (w[a >> 2]! | (s.data[i]! << (8 * (a & 3)))) >>> 0;
    }
  }
  return w;
}

/** The image of an assembled program (no file round trip). */
export function programImage(p: Program): ElfImage {
  return {
    entry: p.entry,
    segments: p.sections.map((s) => ({ addr: s.base, data: s.name === '.bss' ? new Uint8Array(0) : s.bytes, memsz: s.bytes.length })),
    symbols: new Map(p.symbols),
  };
}

/** An ELF32 RISC-V executable of an assembled program: one PT_LOAD per section, and a symbol table. */
export function writeElf(p: Program): Uint8Array {
  const secs = p.sections;
  const strtab: number[] = [0];
  const addStr = (s: string) => {
    const o = strtab.length;
    for (const ch of s) strtab.push(ch.charCodeAt(0));
    strtab.push(0);
    return o;
  };
  const syms = [...p.symbols];
  const symNames = syms.map(([n]) => addStr(n));
  const shstr: number[] = [0];
  const addSh = (s: string) => {
    const o = shstr.length;
    for (const ch of s) shstr.push(ch.charCodeAt(0));
    shstr.push(0);
    return o;
  };
  const phoff = 52;
  let off = phoff + 32 * secs.length;
  const dataOff = secs.map((s) => {
    const o = off;
    if (s.name !== '.bss') off += s.bytes.length;
    off = (off + 3) & ~3;
    return o;
  });
  const symOff = off;
  off += 16 * (syms.length + 1);
  const strOff = off;
  off += strtab.length;
  const secNames = secs.map((s) => addSh(s.name));
  const nSymtab = addSh('.symtab');
  const nStrtab = addSh('.strtab');
  const nShstr = addSh('.shstrtab');
  const shstrOff = off;
  off += shstr.length;
  off = (off + 3) & ~3;
  const shoff = off;
  const shnum = secs.length + 4;
  const total = shoff + 40 * shnum;
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  dv.setUint16(16, 2, true);
  dv.setUint16(18, EM_RISCV, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, p.entry, true);
  dv.setUint32(28, phoff, true);
  dv.setUint32(32, shoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, secs.length, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, shnum, true);
  dv.setUint16(50, shnum - 1, true);
  secs.forEach((s, i) => {
    const o = phoff + 32 * i;
    const filesz = s.name === '.bss' ? 0 : s.bytes.length;
    dv.setUint32(o, PT_LOAD, true);
    dv.setUint32(o + 4, dataOff[i]!, true);
    dv.setUint32(o + 8, s.base, true);
    dv.setUint32(o + 12, s.base, true);
    dv.setUint32(o + 16, filesz, true);
    dv.setUint32(o + 20, s.bytes.length, true);
    dv.setUint32(o + 24, s.name === '.text' ? 5 : 6, true);
    dv.setUint32(o + 28, 4, true);
    if (filesz) buf.set(s.bytes, dataOff[i]!);
  });
  syms.forEach(([, v], k) => {
    const e = symOff + 16 * (k + 1);
    dv.setUint32(e, symNames[k]!, true);
    dv.setUint32(e + 4, v, true);
    buf[e + 12] = 0x10; // STB_GLOBAL, STT_NOTYPE
    dv.setUint16(e + 14, 0xfff1, true); // SHN_ABS
  });
  buf.set(strtab, strOff);
  buf.set(shstr, shstrOff);
  const sh = (i: number, name: number, type: number, flags: number, addr: number, offset: number, size: number, link = 0, entsize = 0) => {
    const o = shoff + 40 * i;
    dv.setUint32(o, name, true);
    dv.setUint32(o + 4, type, true);
    dv.setUint32(o + 8, flags, true);
    dv.setUint32(o + 12, addr, true);
    dv.setUint32(o + 16, offset, true);
    dv.setUint32(o + 20, size, true);
    dv.setUint32(o + 24, link, true);
    dv.setUint32(o + 28, type === SHT_SYMTAB ? 1 : 0, true); // sh_info: index of the first global symbol
    dv.setUint32(o + 32, 4, true);
    dv.setUint32(o + 36, entsize, true);
  };
  secs.forEach((s, i) => sh(i + 1, secNames[i]!, s.name === '.bss' ? 8 : 1, s.name === '.text' ? 6 : 3, s.base, dataOff[i]!, s.bytes.length));
  const iSym = secs.length + 1;
  sh(iSym, nSymtab, SHT_SYMTAB, 0, 0, symOff, 16 * (syms.length + 1), iSym + 1, 16);
  sh(iSym + 1, nStrtab, 3, 0, 0, strOff, strtab.length);
  sh(iSym + 2, nShstr, 3, 0, 0, shstrOff, shstr.length);
  return buf;
}
