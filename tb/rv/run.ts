// `npm run rv -- FILE.elf [--vcd FILE] [--trace FILE|-] [--max-cycles N] [--sim ts|verilator]`: runs a RISC-V
// program on the dispatch-engine core in our simulator, following the riscv-tests `tohost` convention. Exit codes:
// 0 pass (tohost = 1), 1 fail (odd tohost v: test v >> 1 failed), 2 timeout, bad ELF or bad usage. --trace writes
// one line per instruction leaving the pipeline: cycle, pc, instruction, trap cause, register write, store.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ElfError, parseElf } from './elf.ts';
import { Machine, type RunResult } from './machine.ts';
import { runOnVerilator } from './verilator-run.ts';
import { hasTool } from '../tools.ts';

export interface RvArgs {
  file: string;
  vcd?: string;
  /** Write one line per retired (or trapped) instruction to this file ('-': stdout). */
  trace?: string;
  maxCycles: number;
  sim: 'ts' | 'verilator';
}

export class UsageError extends Error {}

const USAGE = 'usage: npm run rv -- FILE.elf [--vcd FILE] [--trace FILE|-] [--max-cycles N] [--sim ts|verilator]';

export function parseArgs(argv: string[]): RvArgs {
  let file: string | undefined;
  let vcd: string | undefined;
  let trace: string | undefined;
  let maxCycles = 10_000_000;
  let sim: 'ts' | 'verilator' = 'ts';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--vcd') vcd = val();
    else if (a === '--trace') trace = val();
    else if (a === '--max-cycles') {
      const v = val();
      maxCycles = Number(v);
      if (!Number.isSafeInteger(maxCycles) || maxCycles <= 0) throw new UsageError(`--max-cycles: '${v}' is not a positive integer`);
    } else if (a === '--sim') {
      const v = val();
      if (v !== 'ts' && v !== 'verilator') throw new UsageError(`--sim: '${v}' is not one of ts, verilator`);
      sim = v;
    } else if (a === '-h' || a === '--help') throw new UsageError(USAGE);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else if (file) throw new UsageError(`one ELF file only (got ${file} and ${a})\n${USAGE}`);
    else file = a;
  }
  if (!file) throw new UsageError(`no ELF file given\n${USAGE}`);
  return { file, vcd, trace, maxCycles, sim };
}

export interface RvOutcome {
  exitCode: 0 | 1 | 2;
  lines: string[];
  result?: RunResult;
}

/** The whole command as a function (the tests call it): never throws, returns the exit code and the output. */
export function runRv(argv: string[]): RvOutcome {
  let args: RvArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    return { exitCode: 2, lines: [`rv: ${(e as Error).message}`] };
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(args.file);
  } catch (e) {
    return { exitCode: 2, lines: [`rv: cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  if (args.sim === 'verilator') return runVerilator(args, bytes);
  const traceLines: string[] = [];
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  const m: Machine = new Machine({
    vcd: args.vcd,
    onRetire: args.trace === undefined ? undefined : (r) => {
      let line = `${m.cycle} ${hex(r.pc)} ${hex(r.insn)}`;
      if (r.trap) line += ` trap mcause=${hex(r.cause)}`;
      if (r.rd) line += ` x${r.rd}=${hex(r.rdData)}`;
      if (r.memWe) line += ` mem[${hex(r.memAddr)}]=${hex(r.memWdata)}/be=${r.memBe.toString(2).padStart(4, '0')}`;
      traceLines.push(line);
    },
  });
  try {
    const img = parseElf(bytes, args.file);
    if (!img.symbols.has('tohost')) throw new ElfError(`${args.file}: no 'tohost' symbol (the runner watches stores to it)`);
    m.load(img);
  } catch (e) {
    if (e instanceof ElfError) return { exitCode: 2, lines: [`rv: ${e.message}`] };
    throw e;
  }
  m.reset();
  const r = m.run(args.maxCycles);
  m.close();
  if (args.trace !== undefined) {
    const text = traceLines.join('\n') + (traceLines.length ? '\n' : '');
    if (args.trace === '-') process.stdout.write(text);
    else fs.writeFileSync(args.trace, text);
  }
  return outcome(args, r, args.vcd ? [`waves: ${args.vcd}`] : []);
}

/** --sim verilator: the same program on Verilator's build of the core's SystemVerilog. */
function runVerilator(args: RvArgs, bytes: Uint8Array): RvOutcome {
  if (args.vcd || args.trace !== undefined) return { exitCode: 2, lines: ['rv: --vcd and --trace need --sim ts'] };
  if (!hasTool('verilator')) return { exitCode: 2, lines: ['rv: --sim verilator needs verilator (apt-get install verilator)'] };
  let img;
  try {
    img = parseElf(bytes, args.file);
    if (!img.symbols.has('tohost')) throw new ElfError(`${args.file}: no 'tohost' symbol (the runner watches stores to it)`);
  } catch (e) {
    if (e instanceof ElfError) return { exitCode: 2, lines: [`rv: ${e.message}`] };
    throw e;
  }
  const r = runOnVerilator(img, args.maxCycles);
  const build = r.buildSeconds ? `built in ${r.buildSeconds.toFixed(1)} s` : 'build cached';
  return outcome(args, r, [`simulator: Verilator (${build})`]);
}

/** Exit code and report lines from a run's result. */
function outcome(args: RvArgs, r: RunResult, extra: string[]): RvOutcome {
  const stats = `cycles ${r.cycles}, instructions retired ${r.instret}, CPI ${Number.isFinite(r.cpi) ? r.cpi.toFixed(3) : '-'} (${(r.cycles / r.seconds / 1e6).toFixed(2)} M cycles/s simulated)`;
  const lines = [stats, ...extra];
  let exitCode: 0 | 1 | 2;
  if (r.status === 'pass') {
    lines.unshift(`rv: PASS ${args.file}`);
    exitCode = 0;
  } else if (r.status === 'fail' && (r.tohost! & 1) === 1) {
    lines.unshift(`rv: FAIL ${args.file}: test ${r.testNumber} failed (tohost = ${r.tohost})`);
    exitCode = 1;
  } else if (r.status === 'fail') {
    lines.unshift(`rv: ${args.file}: unsupported tohost value ${r.tohost} (even: a host-interface syscall, which this runner does not serve)`);
    exitCode = 2;
  } else {
    lines.unshift(`rv: TIMEOUT ${args.file}: no store to tohost within --max-cycles ${args.maxCycles}`);
    exitCode = 2;
  }
  return { exitCode, lines, result: r };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = runRv(process.argv.slice(2));
  for (const l of out.lines) (out.exitCode === 0 ? console.log : console.error)(l);
  process.exitCode = out.exitCode;
}
