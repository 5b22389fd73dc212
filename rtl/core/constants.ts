// Shared constants (address maps, opcodes, register offsets) declared once in TypeScript: hardware uses them as
// numbers, and the SystemVerilog generator prints every declared group into a package for the hardware teams.
import { callerLoc, type SrcLoc } from './loc.ts';

export interface ConstantGroup {
  /** Group name, e.g. 'dispatch_addr'; constants are printed as `<GROUP>_<NAME>` unless `prefix` is false. */
  readonly name: string;
  readonly values: Readonly<Record<string, number | bigint>>;
  /** Bit width of the SV localparams (default 32). */
  readonly width: number;
  readonly doc: string | undefined;
  readonly prefix: boolean;
  readonly loc: SrcLoc;
}

const registry = new Map<string, ConstantGroup>();

/**
 * Declare a group of constants. Returns `values` unchanged so hardware code can use them; the SV package lists
 * them. Declaring the same group twice with different values is an error.
 */
export function constants<T extends Record<string, number | bigint>>(
  name: string,
  values: T,
  opts: { width?: number; doc?: string; prefix?: boolean } = {},
): T {
  const loc = callerLoc();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`constants: group name '${name}' is not a valid identifier`);
  const width = opts.width ?? 32;
  for (const [k, v] of Object.entries(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`constants ${name}: '${k}' is not a valid identifier`);
    const b = BigInt(v);
    if (b < 0n || b >= 1n << BigInt(width)) throw new Error(`constants ${name}.${k} = ${v} does not fit ${width} unsigned bits`);
  }
  const prev = registry.get(name);
  if (prev && JSON.stringify(prev.values, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) !== JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? v.toString() : v))) {
    throw new Error(`constants: group '${name}' declared twice with different values (${prev.loc.file}:${prev.loc.line})`);
  }
  registry.set(name, { name, values, width, doc: opts.doc, prefix: opts.prefix ?? true, loc });
  return values;
}

/** Every constant group declared so far (by the modules that have been imported). */
export function constantGroups(): ConstantGroup[] {
  return [...registry.values()];
}
