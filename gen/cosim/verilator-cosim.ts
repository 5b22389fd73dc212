// Co-simulation of a testbench run on Verilator (or Icarus): the ports recorded during our run (tb/cosim/recorder.ts) become
// a replay trace for the Verilated build of the design's emitted SystemVerilog (gen/sv/verilator.ts); every
// output must match at every recorded time step.
import type { Netlist } from '../../rtl/core/index.ts';
import type { PortRecorder } from '../../tb/cosim/recorder.ts';
import { emitDesign, type SvDesign } from '../sv/emit.ts';
import { buildHarness, replay, type Trace, type TraceEvent } from '../sv/verilator.ts';
import { replayIcarus } from '../sv/icarus.ts';

export interface CosimResult {
  ok: boolean;
  message: string;
  steps: number;
  buildMs: number;
}

/** A recorded run as a replay trace for the design's SV ports. */
export function traceOf(nl: Netlist, design: SvDesign, rec: PortRecorder): Trace {
  const inputs = design.topPorts.filter((p) => p.dir === 'input' && p.role !== 'clock');
  const outputs = design.topPorts.filter((p) => p.dir === 'output');
  const clocks = design.topPorts.filter((p) => p.role === 'clock');
  const inIndex = inputs.map((p) => {
    const i = rec.inputs.indexOf(p.sig as never);
    if (i < 0) throw new Error(`co-simulation: input port ${p.name} was not recorded`);
    return i;
  });
  const outIndex = outputs.map((p) => {
    const i = rec.outputs.indexOf(p.sig as never);
    if (i < 0) throw new Error(`co-simulation: output port ${p.name} was not recorded`);
    return i;
  });
  const clockIndex = clocks.map((p) => nl.domains.indexOf(p.domain!));
  const steps = rec.steps;
  const events: TraceEvent[] = steps.map((s, k) => {
    // the harness applies inputs, compares outputs, then sets the clock levels of the next step
    const next = steps[k + 1] ?? s;
    return {
      time: s.time,
      cycle: s.cycle,
      inputs: inIndex.map((i) => s.inputs[i]!),
      outputs: outIndex.map((i) => s.outputs[i]!),
      clocks: clockIndex.map((i) => next.clocks[i]!),
    };
  });
  return { inputs, outputs, clocks, events };
}

/** Replay a recorded run on Verilator. */
export function cosimVerilator(nl: Netlist, rec: PortRecorder): CosimResult {
  const design = emitDesign(nl);
  const trace = traceOf(nl, design, rec);
  const build = buildHarness(design);
  const r = replay(build, trace);
  return { ok: r.ok, message: r.message, steps: trace.events.length, buildMs: build.built ? build.ms : 0 };
}

/** Replay a recorded run on Icarus Verilog. */
export function cosimIcarus(nl: Netlist, rec: PortRecorder): CosimResult {
  const design = emitDesign(nl);
  const trace = traceOf(nl, design, rec);
  const r = replayIcarus(design, trace);
  return { ok: r.ok, message: r.message, steps: trace.events.length, buildMs: 0 };
}
