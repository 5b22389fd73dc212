// Modules: hardware blocks as TypeScript classes. Ports, wires, registers, memories and submodules are class
// properties; their names become the names in the netlist, the SystemVerilog and the waveforms. Parameters are
// constructor arguments.
import { callerLoc, type SrcLoc } from './loc.ts';
import { Sig, clog2, coerce, type Operand } from './signal.ts';
import { Fsm } from './fsm.ts';
import { Input, Output, Reg, Wire, type RegOptions } from './wire.ts';
import { Memory, type MemoryOptions } from './memory.ts';
import { buildBundle, type BundleSpec, type Field, type HwBundle, type WireBundle } from './bundle.ts';
import { currentDomain } from './scope.ts';
import type { ClockDomain } from './domain.ts';

export interface SignalOptions {
  signed?: boolean;
  name?: string;
  /** Documentation carried into the SV skeleton and the README tables. */
  doc?: string;
}

export interface WireOptions extends SignalOptions {
  /** Value on every path that sets nothing (makes the wire a procedural variable, like SV always_comb). */
  default?: Operand;
}

/** Internal bookkeeping of a module, hidden from the port view. */
export interface ModuleInternals {
  readonly loc: SrcLoc;
  readonly domain: ClockDomain;
  readonly signals: Sig[];
  readonly memories: Memory[];
}

export abstract class Module {
  readonly __kind = 'module' as const;
  /** @internal */
  readonly __m: ModuleInternals;

  constructor() {
    this.__m = { loc: callerLoc(classChain(new.target)), domain: currentDomain(), signals: [], memories: [] };
  }

  /** The clock domain registers and memory ports of this module use unless told otherwise. */
  protected get domain(): ClockDomain {
    return this.__m.domain;
  }

  private own<T extends Sig>(s: T, opts: SignalOptions): T {
    s.owner = this;
    if (opts.name) s.name = opts.name;
    if (opts.doc) s.doc = opts.doc;
    this.__m.signals.push(s);
    return s;
  }

  protected input<W extends number>(width: W, opts: SignalOptions = {}): Input<W> {
    return this.own(new Input(width, opts.signed ?? false, callerLoc()), opts);
  }

  protected output<W extends number>(width: W, opts: SignalOptions = {}): Output<W> {
    return this.own(new Output(width, opts.signed ?? false, callerLoc()), opts);
  }

  /** Ports from a bundle spec: Out fields become outputs, In fields inputs (flip() the spec for the consumer side). */
  protected port<S extends BundleSpec>(spec: S): HwBundle<S> {
    const loc = callerLoc();
    return buildBundle(spec, (f: Field) => {
      const s = f.dir === 'in' ? new Input(f.width, f.signed, loc) : new Output(f.width, f.signed, loc);
      return this.own(s, { doc: f.doc });
    }) as HwBundle<S>;
  }

  /** A combinational net. With `default`, it may be set() under conditions; otherwise assign() it once. */
  protected wire<W extends number>(width: W, opts: WireOptions = {}): Wire<W> {
    const w = this.own(new Wire('wire', width, opts.signed ?? false, callerLoc()), opts);
    if (opts.default !== undefined) w.defaultValue = coerce(opts.default, w);
    return w;
  }

  /** Wires with the shape of a bundle spec, to connect submodules. */
  protected wires<S extends BundleSpec>(spec: S): WireBundle<S> {
    const loc = callerLoc();
    return buildBundle(spec, (f: Field) => this.own(new Wire('wire', f.width, f.signed, loc), {})) as WireBundle<S>;
  }

  /** A register in this module's clock domain (or opts.domain). */
  protected reg<W extends number>(width: W, opts: RegOptions = {}): Reg<W> {
    return this.own(new Reg(width, opts.domain ?? this.__m.domain, opts, callerLoc()), { name: opts.name });
  }

  /** A register that loads `v` every cycle (a pipeline stage). */
  protected regNext(v: Sig, opts: RegOptions = {}): Reg {
    const r = this.own(new Reg(v.width, opts.domain ?? this.__m.domain, { signed: v.signed, ...opts }, callerLoc()), { name: opts.name });
    r.set(v);
    return r;
  }

  /** A state machine with named states, starting in the first (or `initial`). */
  protected fsm<S extends string>(states: readonly S[], opts: { initial?: S; name?: string; domain?: ClockDomain } = {}): Fsm<S> {
    const initial = opts.initial ? states.indexOf(opts.initial) : 0;
    if (initial < 0) throw new Error(`fsm: initial state '${opts.initial}' is not one of ${states.join(', ')}`);
    const r = this.own(new Reg(clog2(states.length), opts.domain ?? this.__m.domain, { init: initial }, callerLoc()), { name: opts.name });
    return new Fsm(r, states);
  }

  protected memory(opts: MemoryOptions): Memory {
    const m = new Memory(this, opts, callerLoc(), this.__m.domain);
    this.__m.memories.push(m);
    return m;
  }
}


/** Names of the classes from `cls` up to (not including) Module: the constructor frames of one instantiation. */
function classChain(cls: Function): Set<string> {
  const names = new Set<string>();
  for (let c = cls; c && c !== Module; c = Object.getPrototypeOf(c)) names.add(c.name);
  return names;
}
