// Records what a testbench did at the ports of the top module, at every time step: every input as the testbench
// drove it, every output as our simulator computed it, and the clock levels. Another simulator replays the
// inputs on the same schedule and must produce the same outputs at every step (co-simulation). Recording stops
// at a limit, so a long run is compared over its first steps.
import type { Netlist, Sig } from '../../rtl/core/index.ts';
import type { Simulator } from '../sim/simulator.ts';
import * as W from '../sim/wide.ts';

export interface RecordedStep {
  time: number;
  /** Rising edges of the first domain so far. */
  cycle: number;
  inputs: bigint[];
  outputs: bigint[];
  /** Clock level of each domain at this time. */
  clocks: number[];
}

export class PortRecorder {
  readonly inputs: readonly Sig[];
  readonly outputs: readonly Sig[];
  readonly steps: RecordedStep[] = [];
  /** Steps not recorded because the limit was reached. */
  dropped = 0;
  private readonly hook: (t: number, S: Int32Array) => void;

  constructor(private readonly sim: Simulator, readonly limit = 200_000) {
    const nl: Netlist = sim.netlist;
    this.inputs = nl.inputs;
    this.outputs = nl.outputs;
    const slotsIn = this.inputs.map((s) => sim.slotOf(s));
    const slotsOut = this.outputs.map((s) => sim.slotOf(s));
    this.hook = (t, S) => {
      if (this.steps.length >= this.limit) {
        this.dropped++;
        return;
      }
      this.steps.push({
        time: t,
        cycle: sim.clocks[0]?.cycles ?? 0,
        inputs: this.inputs.map((s, i) => W.toBigInt(S, slotsIn[i]!, s.width)),
        outputs: this.outputs.map((s, i) => W.toBigInt(S, slotsOut[i]!, s.width)),
        clocks: sim.clocks.map((c) => c.level),
      });
    };
    sim.sampleHooks.push(this.hook);
  }

  /** Stop recording, after one last step with the settled state of now (what the testbench poked last). */
  stop(): void {
    if (!this.sim.sampleHooks.includes(this.hook)) return;
    this.sim.settle();
    this.hook(this.sim.time, this.sim.S);
    this.sim.removeSampleHook(this.hook);
  }
}
