// Test helpers for the dispatch core: wrap test bodies in a riscv-tests style program (pass/fail through tohost,
// gp = number of the running test case), run programs on the core, and run them in lockstep with the reference
// model, comparing every retirement (pc, instruction, trap cause, register write, store).
import { assemble, type AsmOptions } from '../rv/asm.ts';
import { imageWords, programImage, type ElfImage } from '../rv/elf.ts';
import { hasTool } from '../tools.ts';
import { cosimVerilator } from './cosim.ts';
import { Machine, type BusDevice, type MachineOptions, type Retirement, type RunResult } from '../rv/machine.ts';

export { imageWords };
import { RefModel, type StepRecord } from './iss.ts';

/**
 * A self-checking program: `body` runs with gp = test number; it jumps to `fail` on a mismatch. A default trap
 * handler (`trap_handler`, installed in mtvec) fails with test number 1000 + mcause unless the body installs
 * its own. `data` goes into .data after tohost.
 */
export function program(body: string, data = ''): string {
  return `
  .text
  .globl _start
_start:
  la t0, trap_handler
  csrw mtvec, t0
  li gp, 0
${body}
pass:
  li t0, 1
  la t1, tohost
  sw t0, 0(t1)
1: j 1b
fail:
  slli gp, gp, 1
  ori gp, gp, 1
  la t1, tohost
  sw gp, 0(t1)
1: j 1b
trap_handler:
  csrr gp, mcause
  addi gp, gp, 1000
  j fail

  .data
tohost: .word 0
${data}
`;
}

export function image(src: string, opts?: AsmOptions): ElfImage {
  return programImage(assemble(src, opts));
}

export interface Ran {
  result: RunResult;
  machine: Machine;
  retired: Retirement[];
}

export interface RunOptions extends MachineOptions {
  maxCycles?: number;
  keepTrace?: boolean;
  /** Under COSIM=verilator: a fresh device for the Verilator run (runs with a device and none are not co-simulated). */
  cosimDevice?: () => BusDevice;
}

/** Programs longer than this are not co-simulated (the event trace would be tens of MB). */
const COSIM_MAX_CYCLES = 60_000;

/**
 * Run a program on the core. Under COSIM=verilator (with Verilator installed) the same program then runs on the
 * core's emitted SystemVerilog in Verilator, compared with our simulator output by output at every clock edge.
 */
export function run(src: string, opts: RunOptions = {}): Ran {
  const retired: Retirement[] = [];
  const m = new Machine({ ...opts, onRetire: opts.keepTrace ? (r) => { retired.push(r); opts.onRetire?.(r); } : opts.onRetire });
  const img = image(src);
  m.load(img);
  m.reset();
  const result = m.run(opts.maxCycles ?? 200_000);
  m.close();
  if (process.env['COSIM'] === 'verilator' && result.status === 'pass' && result.cycles <= COSIM_MAX_CYCLES && (!opts.device || opts.cosimDevice)) {
    if (!hasTool('verilator')) throw new Error('COSIM=verilator: verilator is not installed (apt-get install verilator)');
    const fit = (lo: number) => {
      const end = Math.max(...img.segments.filter((s) => s.addr >= lo && s.addr < lo + 0x1_0000).map((s) => s.addr + s.memsz - lo), 4);
      return Math.max(1024, 2 ** Math.ceil(Math.log2(end)));
    };
    const core = { ...opts.core, itcmBytes: fit(0x8000_0000), dtcmBytes: fit(0x8001_0000) };
    const c = cosimVerilator(img, { core, device: opts.cosimDevice?.(), maxCycles: result.cycles + 100 });
    if (!c.ok || c.tohost !== 1) throw new Error(`COSIM=verilator: ${c.ok ? `tohost ${c.tohost} in the co-simulation` : c.message}`);
  }
  return { result, machine: m, retired };
}

/** Human-readable outcome for expect(...).toBe('pass'). */
export function outcome(r: RunResult): string {
  if (r.status === 'pass') return 'pass';
  if (r.status === 'fail') return `fail: test ${r.testNumber}${r.testNumber! >= 1000 ? ` (unexpected trap, mcause ${r.testNumber! - 1000})` : ''}`;
  return r.status;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function describe(r: StepRecord | Retirement): string {
  const parts = [`pc ${hex(r.pc)}`, `insn ${hex(r.insn)}`];
  if (r.trap) parts.push(`TRAP cause ${hex(r.cause)}`);
  if (r.rd) parts.push(`x${r.rd} <- ${hex(r.rdData)}`);
  if (r.memWe) parts.push(`store ${hex(r.memWdata)} be ${r.memBe.toString(2)} @ ${hex(r.memAddr)}`);
  return parts.join(', ');
}

/**
 * Run `src` on the core and on the reference model in lockstep. Returns the number of retirements compared;
 * throws on the first difference, naming the instruction and both records.
 */
export function lockstep(src: string, opts: MachineOptions & { maxCycles?: number; machine?: Machine } = {}): { compared: number; interrupts: number; traps: number; result: RunResult } {
  const img = image(src);
  const model = new RefModel(opts.machine?.top.options ?? opts.core);
  model.load(img);
  let compared = 0;
  let interrupts = 0;
  let traps = 0;
  let mismatch: string | undefined;
  // the model's bus accesses replay what the device answered the core, in order (the core never starts a bus
  // access it does not complete, so both see the same sequence)
  const answers: number[] = [];
  const dev = opts.device;
  const device: BusDevice | undefined = dev && {
    access: (req, cycle) => {
      const r = dev.access(req, cycle);
      if (r) answers.push(r.rdata >>> 0);
      return r;
    },
    interrupts: dev.interrupts && ((cycle) => dev.interrupts!(cycle)),
  };
  model.bus = () => {
    const v = answers.shift();
    if (v === undefined) throw new Error('reference model: a bus access the core did not make');
    return v;
  };
  const mopts: MachineOptions = {
    ...opts,
    device,
    onRetire: (r) => {
      if (mismatch) return;
      const interrupt = r.trap && (r.cause & 0x8000_0000) !== 0;
      if (interrupt) interrupts++;
      else if (r.trap) traps++;
      const e = interrupt ? model.interrupt(r.cause & 31) : model.step(false);
      const same = e.trap === r.trap && e.pc === r.pc && (e.trap ? e.cause === r.cause : e.insn === r.insn && e.rd === r.rd && e.rdData === r.rdData)
        && e.memWe === r.memWe && (!e.memWe || (e.memAddr === r.memAddr && e.memWdata === r.memWdata && e.memBe === r.memBe));
      if (!same) mismatch = `retirement ${compared}: core ${describe(r)}\n  model ${describe(e)}`;
      compared++;
      if (mismatch) m.stopRequested = true;
    },
  };
  const m = opts.machine ?? new Machine(mopts);
  if (opts.machine) {
    m.opts = { ...m.opts, device: mopts.device, onRetire: mopts.onRetire };
    m.clearMemories();
    m.stopRequested = false;
  }
  m.load(img);
  m.reset();
  const result = m.run(opts.maxCycles ?? 200_000);
  m.close();
  if (mismatch) throw new Error(`core and reference model differ at ${mismatch}`);
  return { compared, interrupts, traps, result };
}
