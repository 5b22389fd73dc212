// Assignable signals: wires and ports (driven by continuous or conditional assignments) and registers (clocked
// state with a domain, a reset value and an optional enable). Conditional assignments made under `when` are
// folded into multiplexers at elaboration; a wire must have a value on every path, so latches cannot be written.
import { callerLoc, type SrcLoc } from './loc.ts';
import { Sig, coerce, fits, type Operand } from './signal.ts';
import { currentCondition } from './scope.ts';
import type { ClockDomain, ResetKind } from './domain.ts';

export interface Assignment {
  /** The AND of the enclosing `when` conditions, or undefined when unconditional. */
  readonly cond: Sig | undefined;
  readonly value: Sig;
  readonly loc: SrcLoc;
  /** Made with assign() (a continuous driver) rather than set() (a procedural one). */
  readonly continuous: boolean;
}

function record(target: Sig & { assigns: Assignment[] }, v: Operand, continuous: boolean): void {
  const loc = callerLoc();
  const value = coerce(v, target);
  const cond = currentCondition();
  if (continuous && cond) {
    (target.findings ??= []).push({
      severity: 'error',
      rule: 'multiple-drivers',
      message: `assign() inside a when() block: use set() for conditional assignments`,
      loc,
    });
  }
  target.assigns.push({ cond, value, loc, continuous });
}

/** A combinational net. assign() drives it continuously; set() assigns it procedurally under `when`. */
export class Wire<W extends number = number> extends Sig<W> {
  readonly assigns: Assignment[] = [];
  /** Value when no set() applies (required for conditional assignment unless an unconditional set() comes first). */
  defaultValue: Sig | undefined;
  /** The resolved driver, filled by elaboration. */
  driver: Sig | undefined;

  constructor(kind: 'wire' | 'input' | 'output', width: W, signed: boolean, loc: SrcLoc) {
    super(kind, width, signed, [], loc);
  }
  /** Drive this net continuously (SV `assign`). Only one continuous driver is allowed. */
  assign(v: Operand): void {
    record(this, v, true);
  }
  /** Procedural assignment: applies under the enclosing `when` conditions; later ones win. */
  set(v: Operand): void {
    record(this, v, false);
  }
}

/** An input port: driven by the parent module (or the testbench, for the top module). */
export class Input<W extends number = number> extends Wire<W> {
  readonly dir = 'in' as const;
  constructor(width: W, signed: boolean, loc: SrcLoc) {
    super('input', width, signed, loc);
  }
}

/** An output port: driven inside its module, read by the parent. */
export class Output<W extends number = number> extends Wire<W> {
  readonly dir = 'out' as const;
  constructor(width: W, signed: boolean, loc: SrcLoc) {
    super('output', width, signed, loc);
  }
}

export interface RegOptions {
  /** Reset value (default 0). */
  init?: number | bigint;
  domain?: ClockDomain;
  /** Reset style; default the domain's. 'none' means no reset (the value starts at 0 or random). */
  reset?: ResetKind;
  /** Clock enable: the register only loads when this is 1. */
  en?: Sig;
  signed?: boolean;
  name?: string;
  /** This register is the first stage of a synchronizer: reading another domain here is intended. */
  cdc?: boolean;
}

/** A clocked register: holds its value unless set() under the current conditions (or enable) says otherwise. */
export class Reg<W extends number = number> extends Sig<W> {
  readonly assigns: Assignment[] = [];
  readonly init: bigint;
  readonly resetKind: ResetKind;
  readonly en: Sig | undefined;
  readonly cdc: boolean;
  /** The resolved next value, filled by elaboration. */
  d: Sig | undefined;
  /** Names of the values (an FSM's states), for waveforms and SV. */
  labels: string[] | undefined;

  constructor(width: W, readonly domain: ClockDomain, opts: RegOptions, loc: SrcLoc) {
    super('reg', width, opts.signed ?? false, [], loc);
    const init = BigInt(opts.init ?? 0);
    if (!fits(init, width, this.signed) && !fits(init, width, false)) {
      this.addFinding('constant', `reset value ${init} does not fit in ${width} bits`);
    }
    this.init = init & ((1n << BigInt(width)) - 1n);
    this.resetKind = opts.reset ?? domain.reset;
    this.en = opts.en;
    if (opts.en && opts.en.width !== 1) this.addFinding('width', `register enable ${opts.en.describe()} must be 1 bit`);
    this.cdc = opts.cdc ?? false;
    if (opts.name) this.name = opts.name;
  }
  /** Load v at the next clock edge (under the enclosing `when` conditions). */
  set(v: Operand): void {
    record(this, v, false);
  }
  /** Same as set() at the top level of a block: the register loads v every cycle (unless a later set overrides). */
  assign(v: Operand): void {
    record(this, v, false);
  }
}
