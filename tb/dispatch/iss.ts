// An independent instruction-set reference model of the dispatch engine in plain TypeScript: RV32IM, Zicsr,
// Zifencei, machine mode, the same address map and trap choices as the core (misaligned loads/stores trap with
// mtval = the address; unknown CSRs and writes to read-only CSRs are illegal). One step() executes one instruction
// (or takes one trap) and returns what the core's retirement trace should show for it. Written from the ISA
// manuals, not from the RTL. Timing (mcycle, mtime) is not modelled: tests that compare against this model do not
// read those counters.
import { DISPATCH_ADDR as A, DISPATCH_MISA } from '../../rtl/corsair/dispatch/address-map.ts';
import type { ElfImage } from '../rv/elf.ts';
import type { Retirement } from '../rv/machine.ts';

/** What one instruction did: the same record the core's retirement trace port gives (tb/rv/machine.ts). */
export type StepRecord = Retirement;

export interface RefOptions {
  itcmBytes?: number;
  dtcmBytes?: number;
  resetVector?: number;
}

class Trap {
  constructor(readonly cause: number, readonly tval: number) {}
}

const u32 = (v: number) => v >>> 0;
const s32 = (v: number) => v | 0;

export class RefModel {
  readonly x = new Uint32Array(32);
  pc: number;
  readonly itcm: Uint8Array;
  readonly dtcm: Uint8Array;
  mie = false;
  mpie = false;
  mieReg = 0;
  mtvec = 0;
  mscratch = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  minstret = 0n;
  mcycle = 0n;
  msip = 0;
  mtimecmp = 0xffff_ffff_ffff_ffffn;
  mtime = 0n;
  /**
   * The peripheral bus (the core's bus window): returns the whole read word (or anything, for writes). Without
   * it, bus accesses are access faults in the model.
   */
  bus: ((addr: number, write: boolean, wdata: number, be: number) => number) | undefined;
  /** External interrupt inputs as the core sees them: irq lines (mip 31:16) and meip. */
  irqLines = 0;
  meip = 0;

  constructor(opts: RefOptions = {}) {
    this.itcm = new Uint8Array(opts.itcmBytes ?? A.ITCM_SIZE);
    this.dtcm = new Uint8Array(opts.dtcmBytes ?? A.DTCM_SIZE);
    this.pc = opts.resetVector ?? A.RESET_VECTOR;
  }

  load(img: ElfImage): void {
    for (const s of img.segments) for (let i = 0; i < s.memsz; i++) this.poke8(s.addr + i, i < s.data.length ? s.data[i]! : 0);
  }

  // ---- memory
  private where(addr: number): [Uint8Array, number] | undefined {
    if (addr >= A.ITCM_BASE && addr - A.ITCM_BASE < this.itcm.length) return [this.itcm, addr - A.ITCM_BASE];
    if (addr >= A.DTCM_BASE && addr - A.DTCM_BASE < this.dtcm.length) return [this.dtcm, addr - A.DTCM_BASE];
    return undefined;
  }
  poke8(addr: number, v: number): void {
    const w = this.where(u32(addr));
    if (!w) throw new RangeError(`reference model: 0x${u32(addr).toString(16)} is not in a TCM`);
    w[0][w[1]] = v;
  }
  peek32(addr: number): number {
    const w = this.where(u32(addr));
    if (!w) throw new RangeError(`reference model: 0x${u32(addr).toString(16)} is not in a TCM`);
    const [m, o] = w;
    return u32(m[o]! | (m[o + 1]! << 8) | (m[o + 2]! << 16) | (m[o + 3]! << 24));
  }

  private inBus(addr: number): boolean {
    return addr >= A.BUS_BASE && addr - A.BUS_BASE < A.BUS_SIZE;
  }

  private get mtip(): boolean {
    return this.mtime >= this.mtimecmp;
  }
  get mip(): number {
    return u32((this.irqLines << 16) | (this.meip << 11) | ((this.mtip ? 1 : 0) << 7) | (this.msip << 3));
  }
  get mstatus(): number {
    return (3 << 11) | ((this.mpie ? 1 : 0) << 7) | ((this.mie ? 1 : 0) << 3);
  }

  private clintRead(off: number): number {
    switch (off & ~3) {
      case 0x0000: return this.msip;
      case 0x4000: return Number(this.mtimecmp & 0xffff_ffffn);
      case 0x4004: return Number(this.mtimecmp >> 32n);
      case 0xbff8: return Number(this.mtime & 0xffff_ffffn);
      case 0xbffc: return Number(this.mtime >> 32n);
      default: return 0;
    }
  }

  private loadData(addr: number, size: number, signed: boolean): number {
    if (addr % size !== 0) throw new Trap(4, addr);
    let word: number;
    const w = this.where(u32(addr & ~3));
    if (w) word = this.peek32(addr & ~3);
    else if (addr >= A.CLINT_BASE && addr < A.CLINT_BASE + A.CLINT_SIZE) word = this.clintRead(addr - A.CLINT_BASE);
    else if (this.bus && this.inBus(addr)) word = this.bus(addr, false, 0, ((1 << size) - 1) << (addr & 3));
    else throw new Trap(5, addr);
    const v = word >>> (8 * (addr & 3));
    if (size === 4) return u32(v);
    const bits = 8 * size;
    const m = v & ((1 << bits) - 1);
    return signed ? u32((m << (32 - bits)) >> (32 - bits)) : m;
  }

  private store(addr: number, size: number, value: number, rec: StepRecord): void {
    if (addr % size !== 0) throw new Trap(6, addr);
    const inClint = addr >= A.CLINT_BASE && addr < A.CLINT_BASE + A.CLINT_SIZE;
    const inBus = this.bus !== undefined && this.inBus(addr);
    if (!this.where(addr) && !inClint && !inBus) throw new Trap(7, addr);
    const lane = addr & 3;
    const data = size === 1 ? (value & 0xff) * 0x01010101 : size === 2 ? (value & 0xffff) * 0x10001 : value;
    const be = ((1 << size) - 1) << lane;
    rec.memWe = true;
    rec.memAddr = addr;
    rec.memWdata = u32(data);
    rec.memBe = be;
    if (inBus) {
      this.bus!(addr, true, u32(data), be);
      return;
    }
    if (inClint) {
      const off = (addr - A.CLINT_BASE) & ~3;
      let mask = 0;
      for (let i = 0; i < 4; i++) if (be & (1 << i)) mask |= 0xff << (8 * i);
      const merged = u32((this.clintRead(off) & ~mask) | (data & mask));
      if (off === 0) this.msip = merged & 1;
      else if (off === 0x4000) this.mtimecmp = (this.mtimecmp & ~0xffff_ffffn) | BigInt(merged);
      else if (off === 0x4004) this.mtimecmp = (this.mtimecmp & 0xffff_ffffn) | (BigInt(merged) << 32n);
      else if (off === 0xbff8) this.mtime = (this.mtime & ~0xffff_ffffn) | BigInt(merged);
      else if (off === 0xbffc) this.mtime = (this.mtime & 0xffff_ffffn) | (BigInt(merged) << 32n);
      return;
    }
    for (let i = 0; i < size; i++) this.poke8(addr + i, (value >>> (8 * i)) & 0xff);
  }

  // ---- CSRs
  private csrRead(n: number): number {
    switch (n) {
      case 0x300: return this.mstatus;
      case 0x301: return DISPATCH_MISA;
      case 0x304: return this.mieReg;
      case 0x305: return this.mtvec;
      case 0x340: return this.mscratch;
      case 0x341: return this.mepc;
      case 0x342: return this.mcause;
      case 0x343: return this.mtval;
      case 0x344: return this.mip;
      case 0xb00: case 0xc00: return Number(this.mcycle & 0xffff_ffffn);
      case 0xb80: case 0xc80: return Number((this.mcycle >> 32n) & 0xffff_ffffn);
      case 0xb02: case 0xc02: return Number(this.minstret & 0xffff_ffffn);
      case 0xb82: case 0xc82: return Number((this.minstret >> 32n) & 0xffff_ffffn);
      case 0xc01: return Number(this.mtime & 0xffff_ffffn);
      case 0xc81: return Number((this.mtime >> 32n) & 0xffff_ffffn);
      case 0xf11: case 0xf12: case 0xf13: case 0xf14: return 0;
    }
    return -1;
  }

  private csrWrite(n: number, v: number): void {
    switch (n) {
      case 0x300: this.mie = (v & 8) !== 0; this.mpie = (v & 0x80) !== 0; break;
      case 0x304: this.mieReg = u32(v & 0xffff0888); break;
      case 0x305: this.mtvec = u32(v & ~2); break;
      case 0x340: this.mscratch = u32(v); break;
      case 0x341: this.mepc = u32(v & ~3); break;
      case 0x342: this.mcause = u32(v); break;
      case 0x343: this.mtval = u32(v); break;
      case 0xb00: this.mcycle = (this.mcycle & ~0xffff_ffffn) | BigInt(u32(v)); break;
      case 0xb80: this.mcycle = (this.mcycle & 0xffff_ffffn) | (BigInt(u32(v)) << 32n); break;
      case 0xb02: this.minstret = (this.minstret & ~0xffff_ffffn) | BigInt(u32(v)); this.instretWritten = true; break;
      case 0xb82: this.minstret = (this.minstret & 0xffff_ffffn) | (BigInt(u32(v)) << 32n); this.instretWritten = true; break;
    }
  }
  private instretWritten = false;

  /** Pending and enabled interrupt with the core's priority (MEI, MSI, MTI, then local 16..31), or -1. */
  pendingInterrupt(): number {
    if (!this.mie) return -1;
    const p = this.mip & this.mieReg;
    if (!p) return -1;
    for (const c of [11, 3, 7]) if (p & (1 << c)) return c;
    for (let c = 16; c < 32; c++) if (p & (1 << c)) return c;
    return -1;
  }

  private enterTrap(cause: number, tval: number, interrupt: boolean, pc: number): number {
    this.mepc = pc;
    this.mcause = u32((interrupt ? 0x8000_0000 : 0) | cause);
    this.mtval = u32(tval);
    this.mpie = this.mie;
    this.mie = false;
    const base = this.mtvec & ~3;
    return u32(interrupt && (this.mtvec & 1) ? base + 4 * cause : base);
  }

  /** Take interrupt `cause` before the instruction at pc (the core's retirement trace says when). */
  interrupt(cause: number): StepRecord {
    const rec = this.blank(this.pc, 0);
    rec.trap = true;
    rec.cause = u32(0x8000_0000 | cause);
    this.pc = this.enterTrap(cause, 0, true, this.pc);
    return rec;
  }

  private blank(pc: number, insn: number): StepRecord {
    return { trap: false, pc, insn, rd: 0, rdData: 0, cause: 0, memWe: false, memAddr: 0, memWdata: 0, memBe: 0 };
  }

  /**
   * Execute one instruction. With `interrupts` (default), a pending enabled interrupt is taken first; lockstep
   * comparisons pass false and call interrupt() when the core's trace shows one (interrupt timing is the core's).
   */
  step(interrupts = true): StepRecord {
    const irq = interrupts ? this.pendingInterrupt() : -1;
    if (irq >= 0) return this.interrupt(irq);
    const pc = this.pc;
    const fetched = this.where(pc) && this.where(pc)![0] === this.itcm ? this.peek32(pc) : undefined;
    const insn = fetched ?? 0;
    const rec = this.blank(pc, insn);
    this.instretWritten = false;
    try {
      if (fetched === undefined) throw new Trap(1, pc);
      const next = this.execute(insn, pc, rec);
      this.pc = next;
      if (!this.instretWritten) this.minstret++;
    } catch (e) {
      if (!(e instanceof Trap)) throw e;
      rec.trap = true;
      rec.cause = e.cause;
      rec.rd = 0;
      rec.rdData = 0;
      rec.memWe = false;
      rec.memAddr = 0;
      rec.memWdata = 0;
      rec.memBe = 0;
      this.pc = this.enterTrap(e.cause, e.tval, false, pc);
    }
    this.mcycle++;
    return rec;
  }

  private execute(insn: number, pc: number, rec: StepRecord): number {
    const opcode = insn & 0x7f;
    const rd = (insn >>> 7) & 31;
    const f3 = (insn >>> 12) & 7;
    const rs1 = (insn >>> 15) & 31;
    const rs2 = (insn >>> 20) & 31;
    const f7 = insn >>> 25;
    const a = this.x[rs1]!;
    const b = this.x[rs2]!;
    const immI = insn >> 20;
    const immS = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
    const immB = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
    const immU = insn & 0xfffff000;
    const immJ = ((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
    const illegal = () => new Trap(2, insn);
    const write = (v: number) => {
      if (rd !== 0) {
        this.x[rd] = u32(v);
        rec.rd = rd;
        rec.rdData = u32(v);
      }
    };
    const jump = (target: number) => {
      target = u32(target);
      if (target & 3) throw new Trap(0, target);
      return target;
    };
    const seq = u32(pc + 4);
    switch (opcode) {
      case 0x37: write(immU); return seq;
      case 0x17: write(pc + immU); return seq;
      case 0x6f: { const t = jump(pc + immJ); write(seq); return t; }
      case 0x67: {
        if (f3 !== 0) throw illegal();
        const t = jump((a + immI) & ~1);
        write(seq);
        return t;
      }
      case 0x63: {
        let take: boolean;
        switch (f3) {
          case 0: take = a === b; break;
          case 1: take = a !== b; break;
          case 4: take = s32(a) < s32(b); break;
          case 5: take = s32(a) >= s32(b); break;
          case 6: take = a < b; break;
          case 7: take = a >= b; break;
          default: throw illegal();
        }
        return take ? jump(pc + immB) : seq;
      }
      case 0x03: {
        const addr = u32(a + immI);
        const kinds: Record<number, [number, boolean]> = { 0: [1, true], 1: [2, true], 2: [4, false], 4: [1, false], 5: [2, false] };
        const k = kinds[f3];
        if (!k) throw illegal();
        write(this.loadData(addr, k[0], k[1]));
        return seq;
      }
      case 0x23: {
        if (f3 > 2) throw illegal();
        this.store(u32(a + immS), 1 << f3, b, rec);
        return seq;
      }
      case 0x13: {
        const sh = rs2;
        switch (f3) {
          case 0: write(a + immI); break;
          case 1: if (f7 !== 0) throw illegal(); write(a << sh); break;
          case 2: write(s32(a) < immI ? 1 : 0); break;
          case 3: write(a < u32(immI) ? 1 : 0); break;
          case 4: write(a ^ immI); break;
          case 5:
            if (f7 === 0) write(a >>> sh);
            else if (f7 === 0x20) write(s32(a) >> sh);
            else throw illegal();
            break;
          case 6: write(a | immI); break;
          case 7: write(a & immI); break;
        }
        return seq;
      }
      case 0x33: {
        if (f7 === 1) {
          write(this.muldiv(f3, a, b));
          return seq;
        }
        const sh = b & 31;
        const alt = f7 === 0x20;
        if (f7 !== 0 && !(alt && (f3 === 0 || f3 === 5))) throw illegal();
        switch (f3) {
          case 0: write(alt ? a - b : a + b); break;
          case 1: write(a << sh); break;
          case 2: write(s32(a) < s32(b) ? 1 : 0); break;
          case 3: write(a < b ? 1 : 0); break;
          case 4: write(a ^ b); break;
          case 5: write(alt ? s32(a) >> sh : a >>> sh); break;
          case 6: write(a | b); break;
          case 7: write(a & b); break;
        }
        return seq;
      }
      case 0x0f:
        if (f3 === 0 || f3 === 1) return seq; // fence, fence.i (the core flushes its fetch on fence.i)
        throw illegal();
      case 0x73: {
        if (f3 === 0) {
          if (rd !== 0 || rs1 !== 0) throw illegal();
          switch (insn >>> 20) {
            case 0x000: throw new Trap(11, 0);
            case 0x001: throw new Trap(3, pc);
            case 0x302:
              this.mie = this.mpie;
              this.mpie = true;
              return this.mepc;
            case 0x105: return seq; // wfi: the test harness only runs it with an interrupt pending
          }
          throw illegal();
        }
        if (f3 === 4) throw illegal();
        const csr = insn >>> 20;
        const src = f3 & 4 ? rs1 : a;
        const writes = (f3 & 3) === 1 || rs1 !== 0;
        const old = this.csrRead(csr);
        if (old === -1) throw illegal();
        if (writes && csr >>> 10 === 3) throw illegal();
        const nv = (f3 & 3) === 1 ? src : (f3 & 3) === 2 ? old | src : old & ~src;
        if (writes) this.csrWrite(csr, u32(nv));
        write(old);
        return seq;
      }
    }
    throw illegal();
  }

  private muldiv(f3: number, a: number, b: number): number {
    const sa = BigInt(s32(a));
    const sb = BigInt(s32(b));
    const ua = BigInt(a);
    const ub = BigInt(b);
    const hi = (p: bigint) => Number(BigInt.asUintN(32, p >> 32n));
    switch (f3) {
      case 0: return Math.imul(a, b);
      case 1: return hi(sa * sb);
      case 2: return hi(sa * ub);
      case 3: return hi(ua * ub);
      case 4: return b === 0 ? -1 : s32(a) === -0x8000_0000 && s32(b) === -1 ? a : Number(BigInt.asIntN(32, sa / sb));
      case 5: return b === 0 ? 0xffff_ffff : Math.floor(a / b);
      case 6: return b === 0 ? a : s32(a) === -0x8000_0000 && s32(b) === -1 ? 0 : Number(BigInt.asIntN(32, sa % sb));
      default: return b === 0 ? a : a % b;
    }
  }
}
