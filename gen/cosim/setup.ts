// vitest setup for `COSIM=verilator npm test`: every testbench built with simulate()/Testbench records its ports,
// and when its test passes the run is replayed on Verilator's build of the emitted SystemVerilog; a difference
// fails the test with the first mismatching time, signal and both values. Runs that cannot be replayed exactly
// (random initial state, memories written by backdoor) are reported as not co-simulated, never silently passed.
import { testbenchHooks, type Testbench } from '../../tb/runtime/testbench.ts';
import { PortRecorder } from '../../tb/cosim/recorder.ts';
import { TestbenchError } from '../../tb/runtime/errors.ts';
import { hasTool, toolsRequired } from '../../tb/tools.ts';
import { cosimVerilator } from './verilator-cosim.ts';

const mode = process.env['COSIM'];
const recorders = new WeakMap<Testbench, PortRecorder>();

if (mode) {
  if (mode !== 'verilator') throw new Error(`COSIM=${mode}: only COSIM=verilator is supported`);
  if (!hasTool('verilator')) {
    if (toolsRequired) throw new Error('COSIM=verilator but verilator is not installed (apt-get install verilator)');
    console.warn('COSIM=verilator: verilator is not installed, testbenches run on our simulator only');
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
        console.warn(`COSIM: ${name} not co-simulated: it starts from random state (randomInit), which Verilator cannot reproduce`);
        return;
      }
      if (tb.sim.backdoorWrites > 0) {
        console.warn(`COSIM: ${name} not co-simulated: the testbench wrote memories by backdoor (${tb.sim.backdoorWrites} writes)`);
        return;
      }
      const r = cosimVerilator(tb.netlist, rec);
      if (!r.ok) throw new TestbenchError(`co-simulation on Verilator differs from our simulator: ${r.message}`);
      const partial = rec.dropped ? ` (first ${rec.steps.length} of ${rec.steps.length + rec.dropped} steps)` : '';
      console.log(`COSIM: ${name}: Verilator agrees on ${r.steps} steps${partial}`);
    });
  }
}
