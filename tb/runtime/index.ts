// The testbench runtime: what a test imports.
export { Testbench, simulate, testbenchHooks, type TestbenchOptions, type Task, type UntilOptions } from './testbench.ts';
export { InPort, OutPort, portView, type PortView } from './ports.ts';
export { TestbenchError, TimeoutError } from './errors.ts';
export { attachWaves, wavesDir, type WaveOptions, type Waves } from './waves.ts';
export { Simulator, type SimOptions } from '../sim/simulator.ts';
export { StreamDriver, StreamMonitor, Scoreboard, type StreamSource, type StreamSink, type StreamTiming } from './stream.ts';
