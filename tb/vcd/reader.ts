// VCD reader for tests: loads a whole dump into memory as per-signal change lists, on vcd-stream's wasm parser.
//
// The wasm parser (vcd-stream 1.5.0, deep import) has pitfalls this reader hides (all checked by experiment):
// - times saturate at 2^32-1 (strtoul on wasm32): any time >= 2^32-1 is rejected with a clear error;
// - parse errors are only console.log'ged by the wrapper: we wrap the module's cwrap('execute') to capture the
//   return code (and silence the log) and throw;
// - a chunk larger than ~128 KiB overflows the wasm stack ("offset is out of bounds"): we feed 64 KiB chunks;
// - a declaration ($var, $scope, ...) split across two writes comes out mangled (empty names, NaN widths; value
//   changes split anywhere are fine): until $enddefinitions we cut chunks only just after a `$end`;
// - values wider than 2^19 bits overflow the parser's value buffer and are silently lost: such vars are rejected;
// - `bx`/`bz` on a vector marks only one bit in the mask (no x-extension; `b0x` is indistinguishable): x/z bits
//   read as 0 and are recorded in `xmask` as the parser reports them (our simulator is 2-state anyway);
// - real values (`r1.5 id`) are silently dropped; `$var` names come back with `[W-1:0]` stripped only for \w+
//   names, so we strip a matching range ourselves.
// readVcd is async because instantiating the wasm module is.
import * as fs from 'node:fs';
import createVCD from 'vcd-stream/out/vcd.js';
import webVcdParser, { type VcdInfoScope } from 'vcd-stream/lib/web-vcd-parser.js';

export interface VcdChange {
  t: number;
  /** Value with x/z bits as 0. */
  v: bigint;
  /** Bits that were x or z (absent when none). */
  xmask?: bigint;
}

export interface VcdSignal {
  /** Full dotted path, e.g. 'top.fifo0.count'. */
  name: string;
  width: number;
  /** Sorted by time, one entry per time (the last change at that time wins). */
  changes: VcdChange[];
}

export interface VcdDump {
  timescale: string;
  signals: Map<string, VcdSignal>;
  /** Last timestamp in the file. */
  endTime: number;
  /** Value after all changes at or before t (0n before the first change). Throws for an unknown name. */
  valueAt(name: string, t: number): bigint;
}

/** The wasm parser's times saturate here (strtoul on wasm32); smaller times are exact. */
const TIME_SATURATED = 0xffffffffn;
const TIME_NONE = 0x7fffffffffffffffn; // parser's time before the first `#t`
/** The parser's value buffer holds 64 KiB: wider values are silently lost. */
const MAX_WIDTH = 1 << 19;
const CHUNK = 1 << 16;

const PARSE_ERRORS: Record<number, string> = {
  1: 'expected a declaration command',
  4: 'expected a simulation command',
};

export interface ReadVcdOptions {
  /** Bytes fed to the parser per write, 64..65536 (default 65536); smaller only to test chunk boundaries. */
  chunkBytes?: number;
}

export async function readVcd(path: string, opts: ReadVcdOptions = {}): Promise<VcdDump> {
  const mod = await createVCD();
  // Capture execute()'s error code: the wrapper would only console.log it.
  let execError = 0;
  const cwrap = mod.cwrap;
  mod.cwrap = (ident, ret, args, cwrapOpts) => {
    const fn = cwrap(ident, ret, args, cwrapOpts);
    if (ident !== 'execute') return fn;
    return (...a: unknown[]) => {
      const rc = fn(...a);
      if (typeof rc === 'number' && rc !== 0 && execError === 0) execError = rc;
      return 0;
    };
  };
  const parser = await webVcdParser(mod);

  const signals = new Map<string, VcdSignal>();
  const byId = new Map<string, VcdSignal[]>();
  let problem: string | undefined;
  let lastT = -1;

  parser.on('$enddefinitions', () => {
    const walk = (scope: VcdInfoScope, prefix: string): void => {
      for (const item of scope.body) {
        if (item.kind === 'scope') {
          walk(item, prefix + item.name + '.');
          continue;
        }
        const width = item.size;
        if (!(width >= 1)) problem ??= `var ${prefix}${item.name} has bad width ${item.size}`;
        if (width > MAX_WIDTH) problem ??= `var ${prefix}${item.name} is ${width} bits wide: the wasm parser loses values wider than ${MAX_WIDTH} bits`;
        const name = prefix + stripRange(item.name, width);
        if (signals.has(name)) continue; // duplicate declaration: keep the first
        const sig: VcdSignal = { name, width, changes: [] };
        signals.set(name, sig);
        const list = byId.get(item.link);
        if (list) list.push(sig);
        else byId.set(item.link, [sig]);
      }
    };
    walk(parser.info.wires, '');
  });

  parser.change.any((id, time, cmd, value, mask) => {
    if (problem !== undefined) return;
    if (time >= TIME_SATURATED) {
      problem =
        time === TIME_NONE
          ? `value change for id ${JSON.stringify(id)} before the first #time`
          : `time saturated: a timestamp >= 2^32-1 (${TIME_SATURATED}) cannot be read by the wasm VCD parser ` +
            `(4.29 us at 1 ps); dump a shorter window or use a coarser timescale`;
      return;
    }
    const t = Number(time);
    if (t < lastT) {
      problem = `time goes backwards at #${t} (after #${lastT})`;
      return;
    }
    lastT = t;
    const sigs = byId.get(id);
    if (!sigs) {
      problem = `value change at #${t} for undeclared id ${JSON.stringify(id)}`;
      return;
    }
    let v: bigint;
    let x = 0n;
    if (cmd === 14) v = 0n;
    else if (cmd === 15) v = 1n;
    else if (cmd >= 16 && cmd <= 28) {
      v = 0n; // x, z and other scalar states
      x = 1n;
    } else {
      x = mask ?? 0n;
      v = (value ?? 0n) & ~x;
    }
    for (const sig of sigs) {
      const ch: VcdChange = x === 0n ? { t, v } : { t, v, xmask: x };
      const changes = sig.changes;
      if (changes.length > 0 && changes[changes.length - 1]!.t === t) changes[changes.length - 1] = ch;
      else changes.push(ch);
    }
  });

  // The wrapper's _write is synchronous, so errors and changes are known when write() returns.
  let offset = 0;
  const feed = (data: Buffer): void => {
    parser.write(data);
    if (execError !== 0) {
      const what = PARSE_ERRORS[execError] ?? `error code ${execError}`;
      const at = lastT >= 0 ? ` (last time read #${lastT})` : '';
      throw new Error(`readVcd(${path}): parse error: ${what} in bytes ${offset}..${offset + data.length}${at}`);
    }
    if (problem !== undefined) throw new Error(`readVcd(${path}): ${problem}`);
    offset += data.length;
  };

  const chunkBytes = opts.chunkBytes ?? CHUNK;
  if (!(chunkBytes >= 64 && chunkBytes <= CHUNK)) throw new Error(`readVcd: chunkBytes must be in 64..${CHUNK}`);
  const fd = fs.openSync(path, 'r');
  try {
    let pending: Buffer = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes - pending.length);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      const data = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      if (data.length === 0) break;
      let cut = data.length;
      if (n > 0 && parser.info.status !== 'simulation') {
        // Declarations: cut only between commands (the parser mangles a $var/$scope split across writes).
        cut = afterLastEnd(data);
        if (cut === 0) {
          feed(data); // garbage shows up as a parse error here
          throw new Error(`readVcd(${path}): a declaration near byte ${offset} is longer than ${chunkBytes} bytes`);
        }
      }
      feed(data.subarray(0, cut));
      pending = data.subarray(cut);
    }
  } finally {
    fs.closeSync(fd);
  }
  parser.end();

  if (parser.info.status !== 'simulation') throw new Error(`readVcd(${path}): not a VCD file (no $enddefinitions)`);
  const now = parser.getTime();
  if (now !== TIME_NONE && now >= TIME_SATURATED) {
    throw new Error(`readVcd(${path}): time saturated: a timestamp >= 2^32-1 cannot be read by the wasm VCD parser`);
  }
  const endTime = now === TIME_NONE ? 0 : Number(now);

  return {
    timescale: (parser.info.timescale ?? '').trim().replace(/^(\d+)\s*(\w+)$/, '$1 $2'),
    signals,
    endTime,
    valueAt(name: string, t: number): bigint {
      const sig = signals.get(name);
      if (!sig) throw new Error(`readVcd(${path}): unknown signal '${name}'; known: ${[...signals.keys()].join(', ')}`);
      const ch = sig.changes;
      let lo = 0;
      let hi = ch.length; // first index with ch.t > t
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ch[mid]!.t <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0n : ch[lo - 1]!.v;
    },
  };
}

/** Index just past the last `$end` that is followed by whitespace (so not `$enddefinitions`), 0 if none. */
function afterLastEnd(data: Buffer): number {
  for (let i = data.lastIndexOf('$end'); i >= 0; i = i > 0 ? data.lastIndexOf('$end', i - 1) : -1) {
    const next = data[i + 4];
    if (next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09) return i + 5;
  }
  return 0;
}

/** 'count[7:0]' -> 'count' when the range matches the width; other names unchanged. */
function stripRange(name: string, width: number): string {
  const m = /^(.*?)\s*\[(\d+):(\d+)\]$/.exec(name);
  if (m && Math.abs(Number(m[2]) - Number(m[3])) + 1 === width) return m[1]!;
  return name;
}
