// `npm start`: the main job. The multi-server Corsair/JetStream pipeline scenario is built on top of this release
// (see the issues); until then it runs the quick-start design for a million cycles with waves and says where
// they are, so a fresh checkout shows the whole flow working.
import { PulseCounter } from '../rtl/examples/pulse-counter.ts';
import { simulate } from './runtime/index.ts';

const t0 = performance.now();
const tb = await simulate(new PulseCounter(200), async (tb) => {
  const { dut } = tb;
  await tb.reset();
  for (let i = 0; i < 1000; i++) {
    dut.pulse.value = i % 3 === 0 ? 1 : 0;
    await tb.rising();
  }
  dut.clear.value = 1;
  await tb.rising();
  dut.clear.value = 0;
  dut.pulse.value = 1;
  await tb.cycles(1_000_000);
}, { vcd: 'main' });
const ms = performance.now() - t0;
console.log(`simulated ${tb.cycle().toLocaleString()} cycles (${(tb.time / 1e6).toFixed(3)} us) of PulseCounter in ${ms.toFixed(0)} ms`);
console.log(`count = ${tb.dut.count.value}, full = ${tb.dut.full.value}`);
console.log(`waves: ${tb.waves!.vcdPath}`);
console.log(`open them with: gtkwave ${tb.waves!.gtkwPath}`);
console.log('The multi-server Corsair/JetStream pipeline scenario is not built yet: this release is the language and its tools.');
