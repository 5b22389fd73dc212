// vitest setup for `COSIM=verilator npm test` (or COSIM=iverilog): every testbench built with simulate()/Testbench records its ports,
// and when its test passes the run is replayed on Verilator's build of the emitted SystemVerilog; a difference
// fails the test with the first mismatching time, signal and both values. Runs that cannot be replayed exactly
// (random initial state, memories written by backdoor) are reported as not co-simulated, never silently passed.
import { testbenchHooks, type Testbench } from '../../tb/runtime/testbench.ts';
import { PortRecorder } from '../../tb/cosim/recorder.ts';
import { TestbenchError } from '../../tb/runtime/errors.ts';
import { hasTool, toolsRequired } from '../../tb/tools.ts';
import { cosimIcarus, cosimVerilator } from './verilator-cosim.ts';

const mode = process.env['COSIM'];
const recorders = new WeakMap<Testbench, PortRecorder>();

if (mode) {
  if (mode !== 'verilator' && mode !== 'iverilog') throw new Error(`COSIM=${mode}: use COSIM=verilator or COSIM=iverilog`);
  const tool = mode === 'verilator' ? 'Verilator' : 'Icarus';
  if (!hasTool(mode)) {
    if (toolsRequired) throw new Error(`COSIM=${mode} but ${mode} is not installed (apt-get install ${mode})`);
    console.warn(`COSIM=${mode}: ${mode} is not installed, testbenches run on our simulator only`);
  } else {
    testbenchHooks.created.push((tb) => {
      recorders.set(tb, new PortRecorder(tb.sim));
    });
    testbenchHooks.passed.push((tb) => {
      const rec = recorders.get(tb);
      if (!rec) return;
      rec.stop();
      const name = tb.netlist.top.className;
      if (tb.options.randomInit !== undefined) {
        console.warn(`COSIM: ${name} not co-simulated: it starts from random state (randomInit), which ${tool} cannot reproduce`);
        return;
      }
      if (tb.sim.backdoorWrites > 0) {
        console.warn(`COSIM: ${name} not co-simulated: the testbench wrote memories by backdoor (${tb.sim.backdoorWrites} writes)`);
        return;
      }
      const r = mode === 'verilator' ? cosimVerilator(tb.netlist, rec) : cosimIcarus(tb.netlist, rec);
      if (!r.ok) throw new TestbenchError(`co-simulation on ${tool} differs from our simulator: ${r.message}`);
      const partial = rec.dropped ? ` (first ${rec.steps.length} of ${rec.steps.length + rec.dropped} steps)` : '';
      console.log(`COSIM: ${name}: ${tool} agrees on ${r.steps} steps${partial}: ${r.message.split('\n').pop()}`);
    });
  }
}
