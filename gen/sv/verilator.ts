// Behavioural check of the emitted SystemVerilog: the JavaScript simulator runs a design with random inputs and
// records, at every clock event (rising or falling edge of any domain), the inputs it applied, the outputs it then
// saw, and the clock levels after the event. A generated Verilator C++ harness replays the same inputs and clock
// levels on the same schedule and compares the outputs at every event; the first difference is reported with the
// event, time, cycle, signal and both values. Builds are cached under .cache/verilator/ by a hash of the SV, the
// harness and the Verilator version, so only a changed design costs a C++ compile.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot, type Netlist } from '../../rtl/core/index.ts';
import { Simulator } from '../../tb/sim/simulator.ts';
import type { SvDesign, SvPort } from './emit.ts';
import { verilatorName } from './names.ts';

export interface TraceEvent {
  readonly time: number;
  /** Rising edges of the first domain so far. */
  readonly cycle: number;
  /** Values applied to the trace's inputs (unsigned bit patterns). */
  readonly inputs: bigint[];
  /** What the JavaScript simulator's outputs were with those inputs, before the next clock event. */
  readonly outputs: bigint[];
  /** Clock levels (per clock port) after the next event; the last event keeps them. */
  readonly clocks: number[];
}

export interface Trace {
  readonly inputs: SvPort[];
  readonly outputs: SvPort[];
  readonly clocks: SvPort[];
  readonly events: TraceEvent[];
}

export interface TraceOptions {
  /** Clock events to run (rising and falling edges of all domains). */
  events: number;
  seed: number;
  /** Events with every reset held high at the start (default 8). */
  resetEvents?: number;
  /** Chance per event that a reset is asserted later on (default 0.02). */
  resetRate?: number;
}

/** A small seeded generator (xorshift128+ on BigInt-free 32-bit halves). */
function rng(seed: number): () => number {
  let a = seed | 0 || 1;
  let b = 0x9e3779b9 ^ seed;
  return () => {
    let t = a ^ (a << 11);
    a = b;
    b = b ^ (b >>> 19) ^ (t ^ (t >>> 8));
    t = b >>> 0;
    return t;
  };
}

/** A random w-bit pattern, biased towards corner values (0, all ones, small numbers, single bits). */
function randomValue(next: () => number, w: number): bigint {
  const mask = (1n << BigInt(w)) - 1n;
  const pick = next() % 100;
  if (pick < 8) return 0n;
  if (pick < 14) return mask;
  if (pick < 30) return BigInt(next() % (w + 4)) & mask;
  if (pick < 38) return (1n << BigInt(next() % w)) & mask;
  if (pick < 44) return mask ^ ((1n << BigInt(next() % w)) & mask);
  let v = 0n;
  for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(next());
  return v & mask;
}

/** Run the JavaScript simulator with random inputs and record every clock event. */
export function recordTrace(nl: Netlist, design: SvDesign, opts: TraceOptions): Trace {
  const sim = new Simulator(nl);
  const next = rng(opts.seed);
  const inputs = design.topPorts.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const outputs = design.topPorts.filter((p) => p.dir === 'output');
  const clocks = design.topPorts.filter((p) => p.role === 'clock');
  const clockIndex = clocks.map((c) => nl.domains.indexOf(c.domain!));
  const resetEvents = opts.resetEvents ?? 8;
  const resetRate = opts.resetRate ?? 0.02;
  const events: TraceEvent[] = [];
  for (let k = 0; k <= opts.events; k++) {
    const values = inputs.map((p) => {
      if (p.role === 'reset') return k < resetEvents || next() / 2 ** 32 < resetRate ? 1n : 0n;
      return randomValue(next, p.width);
    });
    inputs.forEach((p, i) => {
      const v = values[i]!;
      sim.poke(p.sig!, p.sig!.signed ? BigInt.asIntN(p.width, v) : v);
    });
    const outs = outputs.map((p) => sim.peek(p.sig!));
    const time = sim.time;
    const cycle = sim.clocks[0]?.cycles ?? 0;
    if (k < opts.events) sim.step();
    events.push({ time, cycle, inputs: values, outputs: outs, clocks: clockIndex.map((i) => sim.clocks[i]!.level) });
  }
  return { inputs, outputs, clocks, events };
}

/** The trace as the harness reads it: a header, then per event `time cycle inputs... outputs... clocks...` in hex. */
export function traceText(t: Trace): string {
  const lines = [`${t.events.length} ${t.inputs.length} ${t.outputs.length} ${t.clocks.length}`];
  for (const e of t.events) {
    lines.push([e.time, e.cycle, ...e.inputs.map((v) => v.toString(16)), ...e.outputs.map((v) => v.toString(16)), ...e.clocks].join(' '));
  }
  return lines.join('\n') + '\n';
}

const words = (w: number) => Math.ceil(w / 32);

/**
 * The Verilator C++ harness for a design's top ports. With `vcd`, it also dumps a VCD (Verilator's --trace) to
 * the path given as its second argument, one dump per event at the event's time, after the inputs are applied.
 */
export function harnessCpp(design: SvDesign, opts: { vcd?: boolean } = {}): string {
  const top = design.top;
  const inputs = design.topPorts.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const outputs = design.topPorts.filter((p) => p.dir === 'output');
  const clocks = design.topPorts.filter((p) => p.role === 'clock');
  const set = (p: SvPort, buf: string) => {
    const m = `top->${verilatorName(p.name)}`;
    if (p.width <= 32) return `${m} = ${buf}[0];`;
    if (p.width <= 64) return `${m} = (uint64_t)${buf}[0] | ((uint64_t)${buf}[1] << 32);`;
    return `for (int i = 0; i < ${words(p.width)}; i++) ${m}[i] = ${buf}[i];`;
  };
  const get = (p: SvPort, buf: string) => {
    const m = `top->${verilatorName(p.name)}`;
    if (p.width <= 32) return `${buf}[0] = (uint32_t)${m};`;
    if (p.width <= 64) return `${buf}[0] = (uint32_t)${m}; ${buf}[1] = (uint32_t)((uint64_t)${m} >> 32);`;
    return `for (int i = 0; i < ${words(p.width)}; i++) ${buf}[i] = ${m}[i];`;
  };
  const maxWords = Math.max(2, ...design.topPorts.map((p) => words(p.width)));
  return `// Generated by gen/sv/verilator.ts: replays a trace of the JavaScript simulator on the Verilated ${top}.
#include "V${top}.h"
#include "verilated.h"${opts.vcd ? '\n#include "verilated_vcd_c.h"' : ''}
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>

static const int MAXW = ${maxWords};
static char tok[8192];

static void readHex(FILE* f, uint32_t* w, int n) {
  if (fscanf(f, "%8191s", tok) != 1) { fprintf(stderr, "trace: unexpected end\\n"); exit(3); }
  for (int i = 0; i < n; i++) w[i] = 0;
  int len = (int)strlen(tok);
  for (int i = 0; i < len; i++) {
    char c = tok[len - 1 - i];
    uint32_t d = c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
    if (i / 8 < n) w[i / 8] |= d << (4 * (i % 8));
  }
}

static std::string hex(const uint32_t* w, int n, int width) {
  std::string s;
  char b[16];
  for (int i = n - 1; i >= 0; i--) {
    uint32_t v = w[i];
    if (i == n - 1 && width % 32) v &= (1u << (width % 32)) - 1;
    snprintf(b, sizeof b, s.empty() ? "%x" : "%08x", v);
    s += b;
  }
  return s;
}

int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s trace.txt\\n", argv[0]); return 3; }
  VerilatedContext* ctx = new VerilatedContext;${opts.vcd ? '\n  ctx->traceEverOn(true);' : ''}
  V${top}* top = new V${top}{ctx};${opts.vcd ? '\n  VerilatedVcdC* tfp = new VerilatedVcdC;\n  top->trace(tfp, 99);\n  if (argc < 3) { fprintf(stderr, "usage: %s trace.txt out.vcd\\n", argv[0]); return 3; }\n  tfp->open(argv[2]);' : ''}
  FILE* f = fopen(argv[1], "r");
  if (!f) { perror(argv[1]); return 3; }
  long events, nin, nout, nclk;
  if (fscanf(f, "%ld %ld %ld %ld", &events, &nin, &nout, &nclk) != 4 || nin != ${inputs.length} || nout != ${outputs.length} || nclk != ${clocks.length}) {
    fprintf(stderr, "trace: bad header\\n");
    return 3;
  }
  uint32_t w[MAXW], g[MAXW];
  // settle with every input at 0 first, as the JavaScript simulator starts: a reset raised by the first event is
  // then a rising edge (Verilator does not see an edge on a value set before its first eval)
  top->eval();
  for (long e = 0; e < events; e++) {
    long long t, cyc;
    if (fscanf(f, "%lld %lld", &t, &cyc) != 2) { fprintf(stderr, "trace: bad event %ld\\n", e); return 3; }
${inputs.map((p) => `    readHex(f, w, ${words(p.width)}); ${set(p, 'w')}`).join('\n')}
    top->eval();${opts.vcd ? '\n    tfp->dump((vluint64_t)t);' : ''}
${outputs
  .map(
    (p) => `    readHex(f, w, ${words(p.width)}); ${get(p, 'g')}
    if (memcmp(w, g, ${words(p.width)} * sizeof(uint32_t)) != 0) {
      printf("MISMATCH event %ld time %lld ps cycle %lld signal ${p.name} expected(js) 0x%s got(sv) 0x%s\\n", e, t, cyc,
             hex(w, ${words(p.width)}, ${p.width}).c_str(), hex(g, ${words(p.width)}, ${p.width}).c_str());
      return 1;
    }`,
  )
  .join('\n')}
${clocks.map((p) => `    { int lv; if (fscanf(f, "%d", &lv) != 1) return 3; top->${verilatorName(p.name)} = lv; }`).join('\n')}
    top->eval();
  }
  printf("OK %ld events\\n", events);${opts.vcd ? '\n  tfp->close();' : ''}
  top->final();
  delete top;
  delete ctx;
  return 0;
}
`;
}

let versionCache: string | undefined;
function verilatorVersion(): string {
  versionCache ??= spawnSync('verilator', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return versionCache;
}

const OPT_MAKE_BUILD = ['OPT_FAST=-O1', 'OPT_SLOW=-O0', 'OPT_GLOBAL=-O1'];
const RUNTIME_FILES = ['verilated.o', 'verilated.d', 'verilated_threads.o', 'verilated_threads.d'];

export interface Build {
  /** The Verilated executable. */
  readonly exe: string;
  /** Folder with the SV and .hex files (the executable runs there, for $readmemh). */
  readonly srcDir: string;
  /** True when this call compiled it (false: taken from the cache). */
  readonly built: boolean;
  readonly ms: number;
}

/** Verilate and compile the design with its replay harness (with `vcd`, built with --trace), or take the cached build. */
export function buildHarness(design: SvDesign, cacheRoot = path.join(projectRoot, '.cache', 'verilator'), opts: { vcd?: boolean } = {}): Build {
  return buildVerilated(design, harnessCpp(design, opts), { cacheRoot, verilatorArgs: opts.vcd ? ['--trace'] : [] });
}

export interface BuildOptions {
  cacheRoot?: string;
  /** C++ optimisation: 'fast-build' (-O1, for co-simulation, the default) or 'fast-run' (-O3, for benchmarks). */
  cxx?: 'fast-build' | 'fast-run';
  /** Extra verilator arguments (e.g. -O3). */
  verilatorArgs?: string[];
}

/** Verilate and compile the design with a C++ main of the caller's, or take the cached build. */
export function buildVerilated(design: SvDesign, cpp: string, opts: BuildOptions = {}): Build {
  const cacheRoot = opts.cacheRoot ?? path.join(projectRoot, '.cache', 'verilator');
  const OPT_MAKE = opts.cxx === 'fast-run' ? ['OPT_FAST=-O3', 'OPT_SLOW=-O1', 'OPT_GLOBAL=-O3'] : OPT_MAKE_BUILD;
  const OPT = ['make', ...OPT_MAKE, ...(opts.verilatorArgs ?? [])];
  const t0 = Date.now();
  const h = createHash('sha256');
  h.update(verilatorVersion()).update(OPT.join(' ')).update(cpp);
  for (const m of design.modules) h.update(m.name).update('\0').update(m.text).update('\0');
  for (const f of design.dataFiles) h.update(f.name).update('\0').update(f.text).update('\0');
  const dir = path.join(cacheRoot, `${design.top}-${h.digest('hex').slice(0, 16)}`);
  const exe = path.join(dir, 'obj', `V${design.top}`);
  const srcDir = path.join(dir, 'src');
  if (fs.existsSync(exe)) {
    touch(dir);
    return { exe, srcDir, built: false, ms: Date.now() - t0 };
  }
  prune(cacheRoot);

  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tsrc = path.join(tmp, 'src');
  fs.mkdirSync(tsrc, { recursive: true });
  for (const m of design.modules) fs.writeFileSync(path.join(tsrc, `${m.name}.sv`), m.text);
  for (const f of design.dataFiles) fs.writeFileSync(path.join(tsrc, f.name), f.text);
  fs.writeFileSync(path.join(tsrc, 'harness.cpp'), cpp);
  const obj = path.join(tmp, 'obj');
  const fail = (what: string, r: ReturnType<typeof spawnSync>) => {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    return new Error(`${what} of ${design.top} failed (exit ${r.status}):\n${out.slice(-6000)}`);
  };
  const verilate = spawnSync('verilator', [
    '--cc', '--exe', '-Wno-fatal', '-Wno-lint', '-Wno-style', ...(opts.verilatorArgs ?? []), '--top-module', design.top, '-Mdir', obj,
    ...design.fileList.map((f) => path.join(tsrc, f)), path.join(tsrc, 'harness.cpp'),
  ], { encoding: 'utf8', cwd: tmp, maxBuffer: 64 << 20 });
  if (verilate.status !== 0) throw fail('verilator', verilate);
  // Verilator's runtime (verilated.cpp, verilated_threads.cpp) is the same for every design: compile it once
  const runtime = path.join(cacheRoot, `runtime-${createHash('sha256').update(verilatorVersion()).update(OPT.join(' ')).digest('hex').slice(0, 12)}`);
  const haveRuntime = RUNTIME_FILES.every((f) => fs.existsSync(path.join(runtime, f)));
  if (haveRuntime) for (const f of RUNTIME_FILES) fs.copyFileSync(path.join(runtime, f), path.join(obj, f));
  const make = spawnSync('make', ['-s', '-C', obj, '-f', `V${design.top}.mk`, '-j', '2', ...OPT_MAKE, `V${design.top}`], {
    encoding: 'utf8', cwd: tmp, maxBuffer: 64 << 20,
  });
  if (make.status !== 0) throw fail('C++ build', make);
  if (!haveRuntime) {
    const rt = `${runtime}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    fs.mkdirSync(rt, { recursive: true });
    for (const f of RUNTIME_FILES) fs.copyFileSync(path.join(obj, f), path.join(rt, f));
    try {
      fs.renameSync(rt, runtime);
    } catch {
      fs.rmSync(rt, { recursive: true, force: true });
    }
  }
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // another worker built the same thing meanwhile
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { exe, srcDir, built: true, ms: Date.now() - t0 };
}

const DAY = 24 * 3600 * 1000;

function touch(dir: string): void {
  try {
    const now = new Date();
    fs.utimesSync(dir, now, now);
  } catch {
    // a cache entry removed meanwhile is rebuilt next time
  }
}

/** Drop builds of this module unused for a week, and leftovers of interrupted builds. */
function prune(cacheRoot: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(cacheRoot);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    const build = /^[A-Za-z_][\w$]*-[0-9a-f]{16}$/.test(n);
    const leftover = /\.tmp-\d+-[0-9a-f]{8}$/.test(n);
    if (!build && !leftover) continue;
    const p = path.join(cacheRoot, n);
    try {
      const age = now - fs.statSync(p).mtimeMs;
      if (age > (build ? 7 * DAY : DAY)) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // another process pruned it
    }
  }
}

export interface ReplayResult {
  readonly ok: boolean;
  /** The harness's report: `OK n events` or the first `MISMATCH ...`. */
  readonly message: string;
}

/** Replay a trace on a build (one built with `vcd` writes its dump to vcdPath). */
export function replay(build: Build, trace: Trace, vcdPath?: string): ReplayResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sv-trace-'));
  try {
    const file = path.join(dir, 'trace.txt');
    fs.writeFileSync(file, traceText(trace));
    const r = spawnSync(build.exe, vcdPath ? [file, vcdPath] : [file], { cwd: build.srcDir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const message = `${r.stdout}${r.stderr}`.trim();
    if (r.status === 0) return { ok: true, message };
    return { ok: false, message: message || `harness exited with ${r.status} (signal ${r.signal})` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
