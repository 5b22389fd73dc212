// The testbench view of a design: the module's ports, derived by mapped types from the same class that defines the
// hardware. `dut.count.value` reads a number, `dut.en.value = 1` drives an input; outputs cannot be assigned (a
// type error). Wider values are read and written as bigints with `.big`.
import type { Input, Module, Output, Sig } from '../../rtl/core/index.ts';
import { Input as InputClass, Output as OutputClass, Sig as SigClass, pathOf } from '../../rtl/core/index.ts';
import type { Simulator } from '../sim/simulator.ts';

/** A port (or any signal) seen from the testbench: read-only. */
export class OutPort<W extends number = number> {
  constructor(
    protected readonly sim: Simulator,
    readonly sig: Sig<W>,
    /** Full dotted name, e.g. `counter.count`. */
    readonly path: string,
  ) {}
  get width(): W {
    return this.sig.width;
  }
  /** The value as a number (negative for signed signals); signals over 53 bits must use `.big`. */
  get value(): number {
    return this.sim.peekNumber(this.sig);
  }
  /** The value as an unsigned bigint bit pattern. */
  get big(): bigint {
    return this.sim.peek(this.sig);
  }
  /** The value as a signed bigint (two's complement of the width). */
  get sbig(): bigint {
    return BigInt.asIntN(this.sig.width, this.sim.peek(this.sig));
  }
  toString(): string {
    return `${this.path} = ${this.big}`;
  }
}

/** An input port seen from the testbench: read and driven. */
export class InPort<W extends number = number> extends OutPort<W> {
  override get value(): number {
    return this.sim.peekNumber(this.sig);
  }
  override set value(v: number | bigint | boolean) {
    this.sim.poke(this.sig, v);
  }
  override get big(): bigint {
    return this.sim.peek(this.sig);
  }
  override set big(v: bigint) {
    this.sim.poke(this.sig, v);
  }
  /** Drive the input (same as assigning `.value`). */
  set(v: number | bigint | boolean): void {
    this.sim.poke(this.sig, v);
  }
}

type ViewOf<T> = T extends Input<infer W>
  ? InPort<W>
  : T extends Output<infer W>
    ? OutPort<W>
    : T extends SigClass
      ? never
      : T extends Module
        ? never
        : T extends readonly (infer E)[]
          ? ViewOf<E>[]
          : T extends (...args: never[]) => unknown
            ? never
            : T extends object
              ? PortView<T>
              : never;

/** The ports of module M (and bundles of ports), as the testbench sees them. */
export type PortView<M> = {
  readonly [K in keyof M as K extends `__${string}` ? never : ViewOf<M[K]> extends never ? never : K]: ViewOf<M[K]>;
};

/** Build the port view of the top module from its properties. */
export function portView<M extends Module>(sim: Simulator, top: M): PortView<M> {
  const nl = sim.netlist;
  const build = (v: unknown, seen: Set<object>): unknown => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
    if (v instanceof InputClass && v.owner === top) return new InPort(sim, v, pathOf(nl, v));
    if (v instanceof OutputClass && v.owner === top) return new OutPort(sim, v, pathOf(nl, v));
    if (v instanceof SigClass) return undefined;
    seen.add(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => build(x, seen));
      return items.some((x) => x !== undefined) ? items : undefined;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return undefined;
    const out: Record<string, unknown> = {};
    let any = false;
    for (const k of Object.keys(v)) {
      const x = build((v as Record<string, unknown>)[k], seen);
      if (x !== undefined) {
        out[k] = x;
        any = true;
      }
    }
    return any ? out : undefined;
  };
  const view: Record<string, unknown> = {};
  for (const k of Object.keys(top)) {
    if (k.startsWith('__')) continue;
    const x = build((top as unknown as Record<string, unknown>)[k], new Set());
    if (x !== undefined) view[k] = x;
  }
  return view as PortView<M>;
}
