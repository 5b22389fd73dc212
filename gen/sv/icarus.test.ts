// Icarus replay: a random-stimulus trace of our simulator replays cleanly on Icarus, and a trace with one output
// value changed is reported as a mismatch naming the event, signal and both values (the check can fail).
import { expect } from 'vitest';
import { elaborate } from '../../rtl/core/index.ts';
import { Fifo } from '../../rtl/lib/index.ts';
import { itWithTools } from '../../tb/tools.ts';
import { emitDesign } from './emit.ts';
import { recordTrace } from './verilator.ts';
import { replayIcarus } from './icarus.ts';

itWithTools(['iverilog'], 'a FIFO trace replays on Icarus; a corrupted one is caught', () => {
  const nl = elaborate(new Fifo(16, 5));
  const design = emitDesign(nl);
  const trace = recordTrace(nl, design, { events: 400, seed: 3 });
  const good = replayIcarus(design, trace);
  expect(good.ok, good.message).toBe(true);
  expect(good.message).toMatch(/^OK 401 events/);
  const k = 300;
  const o = trace.outputs.findIndex((p) => p.name === 'count');
  const bad = { ...trace, events: trace.events.map((e, i) => (i === k ? { ...e, outputs: e.outputs.map((v, j) => (j === o ? v ^ 1n : v)) } : e)) };
  const r = replayIcarus(design, bad);
  expect(r.ok).toBe(false);
  expect(r.message).toMatch(new RegExp(`MISMATCH event ${k} time \\d+ ps cycle \\d+ signal count`));
});
