// Memories: depth x width arrays with synchronous (registered) or asynchronous read ports and clocked write
// ports with byte or bit enables, optional initial contents and a defined read-during-write behaviour.
// Storage in the simulator is one typed array, so a 6 MB memory costs 6 MB.
import { callerLoc, type SrcLoc } from './loc.ts';
import { Sig, clog2, coerce, lit, type Operand, type Owner } from './signal.ts';
import { currentCondition } from './scope.ts';
import type { ClockDomain } from './domain.ts';
import type { Finding } from './findings.ts';

export type ReadDuringWrite = 'old' | 'new';
export type MemInit = ArrayLike<number | bigint> | ((index: number) => number | bigint);

export interface MemoryOptions {
  depth: number;
  width: number;
  /** Initial contents (word i = init[i] or init(i)); words it does not give start at 0. */
  init?: MemInit;
  /** A synchronous read of the address being written in the same cycle returns the 'old' word or the 'new' one. */
  readDuringWrite?: ReadDuringWrite;
  name?: string;
}

/** Read data of a memory port: a synchronous port's data is registered (one cycle of latency). */
export class MemRead extends Sig {
  constructor(
    readonly mem: Memory,
    readonly addr: Sig,
    readonly en: Sig | undefined,
    readonly domain: ClockDomain | undefined,
    loc: SrcLoc,
  ) {
    super(domain ? 'memrd' : 'memrda', mem.width, false, en ? [addr, en] : [addr], loc);
  }
  get sync(): boolean {
    return this.domain !== undefined;
  }
}

export interface MemWritePort {
  readonly addr: Sig;
  readonly data: Sig;
  /** Write enable including the enclosing `when` conditions; undefined means always. */
  readonly en: Sig | undefined;
  /** Byte enables (width/8 bits) or a bit mask (width bits). */
  readonly mask: Sig | undefined;
  readonly maskKind: 'byte' | 'bit' | undefined;
  readonly domain: ClockDomain;
  readonly loc: SrcLoc;
}

export class Memory {
  readonly depth: number;
  readonly width: number;
  readonly addrWidth: number;
  readonly readDuringWrite: ReadDuringWrite;
  readonly init: MemInit | undefined;
  readonly reads: MemRead[] = [];
  readonly writes: MemWritePort[] = [];
  name: string | undefined;
  /** Problems found while building the ports, reported by elaboration. */
  readonly findings: Finding[] = [];

  constructor(readonly owner: Owner, opts: MemoryOptions, readonly loc: SrcLoc, readonly domain: ClockDomain) {
    if (!Number.isInteger(opts.depth) || opts.depth < 1 || opts.depth > 2 ** 32) {
      throw new Error(`${loc.file}:${loc.line}: memory depth must be an integer 1..2^32, got ${opts.depth}`);
    }
    if (!Number.isInteger(opts.width) || opts.width < 1) {
      throw new Error(`${loc.file}:${loc.line}: memory width must be a positive integer, got ${opts.width}`);
    }
    this.depth = opts.depth;
    this.width = opts.width;
    this.addrWidth = clog2(opts.depth);
    this.readDuringWrite = opts.readDuringWrite ?? 'old';
    this.init = opts.init;
    this.name = opts.name;
  }

  private problem(message: string, loc: SrcLoc): void {
    this.findings.push({ severity: 'error', rule: 'width', message: `memory ${this.name ?? ''}: ${message}`, loc });
  }

  private checkAddr(addr: Sig, loc: SrcLoc): void {
    if (addr.width > 32) this.problem(`address ${addr.describe()} is wider than 32 bits`, loc);
    if (addr.signed) this.problem(`address ${addr.describe()} must be unsigned`, loc);
  }

  private enable(en: Operand | undefined): Sig | undefined {
    const cond = currentCondition();
    const e = en === undefined ? undefined : coerce(en, lit(0, 1));
    if (e && cond) return cond.and(e);
    return e ?? cond;
  }

  /** A synchronous read port: the word at `addr` appears on the returned signal after the next clock edge. */
  read(addr: Sig, opts: { en?: Operand; domain?: ClockDomain } = {}): Sig {
    const loc = callerLoc();
    const r = new MemRead(this, addr, this.enable(opts.en), opts.domain ?? this.domain, loc);
    r.owner = this.owner;
    this.checkAddr(addr, loc);
    this.reads.push(r);
    return r;
  }

  /** An asynchronous (combinational) read port, as for register files. */
  readAsync(addr: Sig): Sig {
    const loc = callerLoc();
    const r = new MemRead(this, addr, undefined, undefined, loc);
    r.owner = this.owner;
    this.checkAddr(addr, loc);
    this.reads.push(r);
    return r;
  }

  /**
   * A write port: at the clock edge, when enabled, writes `data` at `addr`. `mask` is either byte enables
   * (width/8 bits, bit i enabling bits 8i+7..8i) or a per-bit mask of the full width.
   */
  write(addr: Sig, data: Operand, opts: { en?: Operand; mask?: Sig; domain?: ClockDomain } = {}): void {
    const loc = callerLoc();
    const d = coerce(data, lit(0, this.width));
    const en = this.enable(opts.en);
    let maskKind: 'byte' | 'bit' | undefined;
    if (d.width !== this.width) this.problem(`write data ${d.describe()} does not match the ${this.width}-bit word`, loc);
    if (opts.mask) {
      if (this.width % 8 === 0 && opts.mask.width === this.width / 8) maskKind = 'byte';
      else if (opts.mask.width === this.width) maskKind = 'bit';
      else this.problem(`write mask ${opts.mask.describe()} is neither ${this.width / 8} byte enables nor a ${this.width}-bit mask`, loc);
    }
    if (en && en.width !== 1) this.problem(`write enable ${en.describe()} must be 1 bit`, loc);
    this.checkAddr(addr, loc);
    this.writes.push({ addr, data: d, en, mask: opts.mask, maskKind, domain: opts.domain ?? this.domain, loc });
  }

  /** The initial value of word i (an unsigned bit pattern), or undefined when no contents were given. */
  initialWord(i: number): bigint | undefined {
    if (!this.init) return undefined;
    const v = typeof this.init === 'function' ? this.init(i) : i < this.init.length ? this.init[i] : undefined;
    if (v === undefined) return undefined;
    return BigInt(v) & ((1n << BigInt(this.width)) - 1n);
  }
}
