// Co-simulation of the dispatch core's SystemVerilog in Verilator: the program is built into the TCMs' initial
// contents (emitted as $readmemh), our simulator runs it with a TypeScript bus device answering at the rising
// edges, every clock event's inputs and outputs are recorded, and gen/sv's Verilator harness replays the inputs
// and compares every output (bus port and retirement trace) at every event.
import { elaborate } from '../../rtl/core/index.ts';
import { DispatchCore, type DispatchCoreOptions } from '../../rtl/corsair/dispatch/core.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { buildHarness, replay, type Trace, type TraceEvent } from '../../gen/sv/verilator.ts';
import { Simulator } from '../sim/simulator.ts';
import { imageWords, type ElfImage } from '../rv/elf.ts';
import type { BusDevice } from '../rv/machine.ts';

export interface CosimResult {
  ok: boolean;
  message: string;
  /** tohost as our simulator left it. */
  tohost: number;
  cycles: number;
  built: boolean;
  buildMs: number;
}

export function cosimVerilator(img: ElfImage, opts: { core?: DispatchCoreOptions; device?: BusDevice; maxCycles?: number } = {}): CosimResult {
  const itcmBytes = opts.core?.itcmBytes ?? 4096;
  const dtcmBytes = opts.core?.dtcmBytes ?? 4096;
  const top = new DispatchCore({
    ...opts.core, itcmBytes, dtcmBytes,
    itcmInit: imageWords(img, A.ITCM_BASE, itcmBytes / 4),
    dtcmInit: imageWords(img, A.DTCM_BASE, dtcmBytes / 4),
  });
  const nl = elaborate(top);
  const design = emitDesign(nl);
  const build = buildHarness(design);
  const sim = new Simulator(nl);
  const inputs = design.topPorts.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const outputs = design.topPorts.filter((p) => p.dir === 'output');
  const clocks = design.topPorts.filter((p) => p.role === 'clock');
  const th = img.symbols.get('tohost');
  if (th === undefined || th < A.DTCM_BASE) throw new Error('cosim: the program needs a tohost word in the DTCM');
  const thIndex = (th - A.DTCM_BASE) / 4;
  const value = new Map<string, bigint>(inputs.map((p) => [p.name, 0n]));
  const dev = opts.device;
  const events: TraceEvent[] = [];
  const maxCycles = opts.maxCycles ?? 20_000;
  let done = -1;
  for (let k = 0; ; k++) {
    const cycle = sim.clocks[0]!.cycles;
    value.set('rst', cycle < 3 ? 1n : 0n);
    if (sim.rose[0] && cycle >= 3 && dev) {
      let ready = 0n;
      if (sim.peek(top.bus.valid)) {
        const req = { we: sim.peek(top.bus.we) === 1n, addr: Number(sim.peek(top.bus.addr)), wdata: Number(sim.peek(top.bus.wdata)), be: Number(sim.peek(top.bus.be)) };
        const r = dev.access(req, cycle);
        if (r) {
          ready = 1n;
          value.set('bus_rdata', BigInt(r.rdata >>> 0));
        }
      }
      value.set('bus_ready', ready);
      if (dev.interrupts) {
        const { irq, meip } = dev.interrupts(cycle);
        value.set('irq', BigInt(irq));
        value.set('meip', BigInt(meip));
      }
    }
    const vals = inputs.map((p) => value.get(p.name)!);
    inputs.forEach((p, i) => sim.poke(p.sig!, vals[i]!));
    const outs = outputs.map((p) => sim.peek(p.sig!));
    const time = sim.time;
    const last = done >= 0 && cycle >= done + 4;
    if (!last) sim.step();
    events.push({ time, cycle, inputs: vals, outputs: outs, clocks: [sim.clocks[0]!.level] });
    if (last || cycle > maxCycles) break;
    if (done < 0 && sim.readMemory(top.dtcm, thIndex) !== 0n) done = cycle;
  }
  const trace: Trace = { inputs, outputs, clocks, events };
  const r = replay(build, trace);
  return { ok: r.ok, message: r.message, tohost: Number(sim.readMemory(top.dtcm, thIndex)), cycles: sim.clocks[0]!.cycles, built: build.built, buildMs: build.ms };
}
