// Options of the pipeline scenario (`npm start -- ...`): parsed from the command line with clear errors, and the
// defaults a laptop runs in well under a minute.
export interface ScenarioOptions {
  /** Servers in the pipeline (each 1 card of 1 chiplet by default). */
  servers: number;
  /** Network layers, split over the servers. */
  layers: number;
  /** Activation vectors per batch (each 64 INT8): the bytes a hop carries are 64 x batch. */
  batch: number;
  /** Run only the host-mediated baseline's arithmetic, on default hardware figures (no simulation). */
  baselineOnly: boolean;
  /** Write waves/pipeline.vcd + .gtkw. */
  waves: boolean;
  /** Stash bytes per chiplet (6 MiB is the published size; smaller simulates the same). */
  stashBytes: number;
  /** Write the system's SystemVerilog to gen/out/. */
  sv: boolean;
}

export const DEFAULT_OPTIONS: ScenarioOptions = {
  servers: 2,
  layers: 2,
  batch: 8,
  baselineOnly: false,
  waves: true,
  stashBytes: 256 * 1024,
  sv: true,
};

export const SIZES: Record<string, Partial<ScenarioOptions>> = {
  small: { servers: 2, layers: 2, batch: 2 },
  default: {},
  large: { servers: 4, layers: 8, batch: 64, stashBytes: 6 * 1024 * 1024 },
};

export const USAGE = `usage: npm start -- [options]
  --servers N        servers in the pipeline, 2..16 (default ${DEFAULT_OPTIONS.servers})
  --layers N         network layers, at least one a server (default ${DEFAULT_OPTIONS.layers}, or one a server)
  --batch N          activation vectors a hop carries, 1..64 (64 B each; default ${DEFAULT_OPTIONS.batch})
  --size NAME        a preset: ${Object.keys(SIZES).join(', ')} (large = 4 servers, 8 layers, 4 KiB hops, 6 MiB stashes)
  --stash-kib N      stash size a chiplet in KiB, a power of two (default ${DEFAULT_OPTIONS.stashBytes / 1024})
  --baseline-only    only the host-mediated figures (no simulation)
  --no-waves         do not write waves/pipeline.vcd
  --no-sv            do not write gen/out/
  --help             this text`;

export class OptionError extends Error {}

function intArg(flag: string, v: string | undefined, min: number, max: number): number {
  if (v === undefined) throw new OptionError(`${flag} needs a value`);
  if (!/^\d+$/.test(v)) throw new OptionError(`${flag} ${v}: not a whole number`);
  const n = Number(v);
  if (n < min || n > max) throw new OptionError(`${flag} ${v}: must be ${min}..${max}`);
  return n;
}

/** Parse argv (without node and script); throws OptionError naming the bad option. Returns null for --help. */
export function parseOptions(argv: readonly string[]): ScenarioOptions | null {
  const o: ScenarioOptions = { ...DEFAULT_OPTIONS };
  const set: Partial<ScenarioOptions> = {};
  let size: Partial<ScenarioOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--help': case '-h': return null;
      case '--servers': set.servers = intArg(flag, value(), 2, 16); break;
      case '--layers': set.layers = intArg(flag, value(), 1, 64); break;
      case '--batch': set.batch = intArg(flag, value(), 1, 64); break;
      case '--stash-kib': {
        const k = intArg(flag, value(), 64, 8192);
        if ((k & (k - 1)) !== 0) throw new OptionError(`--stash-kib ${k}: must be a power of two`);
        set.stashBytes = k * 1024;
        break;
      }
      case '--size': {
        const v = value();
        if (v === undefined || !(v in SIZES)) throw new OptionError(`--size ${v ?? ''}: unknown (sizes: ${Object.keys(SIZES).join(', ')})`);
        size = SIZES[v]!;
        break;
      }
      case '--baseline-only': set.baselineOnly = true; break;
      case '--no-waves': set.waves = false; break;
      case '--no-sv': set.sv = false; break;
      default: throw new OptionError(`unknown option '${a}'`);
    }
  }
  Object.assign(o, size, set);
  // without an explicit layer count, every server gets at least one layer
  if (set.layers === undefined && size.layers === undefined) o.layers = Math.max(o.layers, o.servers);
  if (o.layers < o.servers) throw new OptionError(`--layers ${o.layers} is fewer than --servers ${o.servers}: every server runs at least one layer`);
  return o;
}
