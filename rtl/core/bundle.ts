// Bundles: a group of signals with directions, declared once as a spec (from the producer's side, e.g. a
// valid/ready stream: valid and data Out, ready In). From the spec, mapped types derive the hardware view (ports
// or wires), the flipped view for the consumer, and the testbench view; connect() wires a producer to a consumer.
import { callerLoc, formatLoc } from './loc.ts';
import type { Sig } from './signal.ts';
import { Wire, type Input, type Output } from './wire.ts';

export type Dir = 'in' | 'out';

export interface Field<D extends Dir = Dir, W extends number = number> {
  readonly __field: true;
  readonly dir: D;
  readonly width: W;
  readonly signed: boolean;
  readonly doc?: string;
}

export interface BundleSpec {
  readonly [name: string]: Field | BundleSpec;
}

export interface FieldOptions {
  signed?: boolean;
  /** Documentation carried into the SV skeleton. */
  doc?: string;
}

/** A field driven by the producer (the side the spec is written from). */
export function Out<W extends number>(width: W, opts: FieldOptions = {}): Field<'out', W> {
  return { __field: true, dir: 'out', width, signed: opts.signed ?? false, doc: opts.doc };
}

/** A field driven by the consumer (e.g. ready). */
export function In<W extends number>(width: W, opts: FieldOptions = {}): Field<'in', W> {
  return { __field: true, dir: 'in', width, signed: opts.signed ?? false, doc: opts.doc };
}

export function isField(x: unknown): x is Field {
  return typeof x === 'object' && x !== null && (x as Field).__field === true;
}

export type Flip<S> = {
  readonly [K in keyof S]: S[K] extends Field<'in', infer W>
    ? Field<'out', W>
    : S[K] extends Field<'out', infer W>
      ? Field<'in', W>
      : Flip<S[K]>;
};

/** Ports of a module, from a spec: Out fields become outputs, In fields inputs. */
export type HwBundle<S> = {
  readonly [K in keyof S]: S[K] extends Field<'in', infer W>
    ? Input<W>
    : S[K] extends Field<'out', infer W>
      ? Output<W>
      : HwBundle<S[K]>;
};

/** Internal wires with the shape of a spec (to connect two submodules, say). */
export type WireBundle<S> = {
  readonly [K in keyof S]: S[K] extends Field<Dir, infer W> ? Wire<W> : WireBundle<S[K]>;
};

/** The spec a bundle was made from, as declared (before any flip). */
const DECLARED = Symbol('declared-spec');

/** The consumer's view of a spec: every direction swapped. */
export function flip<S extends BundleSpec>(spec: S): Flip<S> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    out[k] = isField(v) ? { ...v, dir: v.dir === 'in' ? 'out' : 'in' } : flip(v as BundleSpec);
  }
  Object.defineProperty(out, DECLARED, { value: declaredSpec(spec), enumerable: false });
  return out as Flip<S>;
}

function declaredSpec(spec: BundleSpec): BundleSpec {
  return (spec as { [DECLARED]?: BundleSpec })[DECLARED] ?? spec;
}

/** Build a bundle object from a spec with `make` for each field; the object remembers its declared spec. */
export function buildBundle(spec: BundleSpec, make: (f: Field, key: string) => Sig): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) obj[k] = isField(v) ? make(v, k) : buildBundle(v as BundleSpec, make);
  Object.defineProperty(obj, DECLARED, { value: declaredSpec(spec), enumerable: false });
  return obj;
}

type AnyBundle = object;

/**
 * Connect a producer to a consumer of the same spec: fields declared Out flow producer -> consumer, fields
 * declared In flow consumer -> producer. Works for own ports, a submodule's ports and wires alike.
 */
export function connect(producer: AnyBundle, consumer: AnyBundle): void {
  const loc = callerLoc();
  const spec = (producer as { [DECLARED]?: BundleSpec })[DECLARED] ?? (consumer as { [DECLARED]?: BundleSpec })[DECLARED];
  if (!spec) throw new Error(`${formatLoc(loc)}: connect() needs bundles made from a spec (port(), wires())`);
  connectSpec(spec, producer as Record<string, unknown>, consumer as Record<string, unknown>, '', loc);
}

function connectSpec(spec: BundleSpec, p: Record<string, unknown>, c: Record<string, unknown>, prefix: string, loc: ReturnType<typeof callerLoc>): void {
  for (const [k, f] of Object.entries(spec)) {
    const a = p[k];
    const b = c[k];
    if (a === undefined || b === undefined) {
      throw new Error(`${formatLoc(loc)}: connect(): field '${prefix}${k}' is missing on the ${a === undefined ? 'producer' : 'consumer'}`);
    }
    if (!isField(f)) {
      connectSpec(f as BundleSpec, a as Record<string, unknown>, b as Record<string, unknown>, `${prefix}${k}.`, loc);
      continue;
    }
    const [src, dst] = f.dir === 'out' ? [a, b] : [b, a];
    if (!(dst instanceof Wire)) {
      throw new Error(`${formatLoc(loc)}: connect(): field '${prefix}${k}' of the ${f.dir === 'out' ? 'consumer' : 'producer'} cannot be driven (it is not a port or wire)`);
    }
    dst.assign(src as Sig);
  }
}
