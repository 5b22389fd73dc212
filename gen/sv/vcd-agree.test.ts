// VCD agreement: one run with random stimulus, dumped by our simulator (top-level ports and clocks) and replayed on
// the Verilated SystemVerilog with --trace; the value changes of every top-level port, read back from both dumps
// with readVcd, must be identical (same times, same values).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { elaborate, type Module, type Sig } from '../../rtl/core/index.ts';
import { Simulator } from '../../tb/sim/simulator.ts';
import { attachWaves } from '../../tb/runtime/waves.ts';
import { PortRecorder } from '../../tb/cosim/recorder.ts';
import { mulberry32 } from '../../tb/sim/random.ts';
import { readVcd } from '../../tb/vcd/reader.ts';
import { itWithTools } from '../../tb/tools.ts';
import { Fifo, AsyncFifo } from '../../rtl/lib/index.ts';
import { ClockDomain } from '../../rtl/core/index.ts';
import { emitDesign } from './emit.ts';
import { buildHarness, replay } from './verilator.ts';
import { traceOf } from '../cosim/verilator-cosim.ts';

async function agree(make: () => Module, steps: number, seed: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-agree-'));
  const nl = elaborate(make());
  const sim = new Simulator(nl);
  const ports: Sig[] = [...nl.inputs, ...nl.outputs];
  const waves = attachWaves(sim, { file: path.join(dir, 'ours.vcd'), scope: ports });
  const rec = new PortRecorder(sim);
  const rnd = mulberry32(seed);
  const resets = new Set<Sig>(nl.resets.values());
  for (let k = 0; k < steps; k++) {
    for (const i of nl.inputs) {
      if (resets.has(i)) sim.poke(i, k < 6 ? 1 : 0);
      else {
        let v = 0n;
        for (let b = 0; b < i.width; b += 32) v = (v << 32n) | BigInt(rnd() >>> 0);
        sim.poke(i, BigInt.asUintN(i.width, v) & ((1n << BigInt(i.width)) - 1n));
      }
    }
    sim.step();
  }
  waves.close(sim.time);
  rec.stop();
  const design = emitDesign(nl);
  const build = buildHarness(design, undefined, { vcd: true });
  const theirsPath = path.join(dir, 'verilator.vcd');
  const r = replay(build, traceOf(nl, design, rec), theirsPath);
  expect(r.ok, r.message).toBe(true);
  const ours = await readVcd(path.join(dir, 'ours.vcd'));
  const theirs = await readVcd(theirsPath);
  let compared = 0;
  for (const p of design.topPorts) {
    const a = ours.signals.get(`${nl.top.path}.${p.name}`);
    const b = theirs.signals.get(`TOP.${p.name}`);
    expect(a, `our dump has no ${p.name}`).toBeDefined();
    expect(b, `Verilator's dump has no TOP.${p.name} (it has ${[...theirs.signals.keys()].slice(0, 8).join(', ')}...)`).toBeDefined();
    // the last sample of ours is at the final time, which the replay does not reach: compare up to Verilator's end
    const end = theirs.endTime;
    const ca = a!.changes.filter((c) => c.t <= end).map((c) => `${c.t}:${c.v}`);
    const cb = b!.changes.map((c) => `${c.t}:${c.v}`);
    expect(ca, `value changes of ${p.name}`).toEqual(cb);
    compared += cb.length;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return compared;
}

itWithTools(['verilator'], 'a FIFO under random stimulus: every port changes at the same times to the same values in both dumps', async () => {
  const changes = await agree(() => new Fifo(40, 5), 400, 11);
  expect(changes).toBeGreaterThan(400);
});

itWithTools(['verilator'], 'an async FIFO with two clocks: the same, clocks included', async () => {
  const wr = new ClockDomain('wr', { periodPs: 1000 });
  const rd = new ClockDomain('rd', { periodPs: 1700 });
  const changes = await agree(() => new AsyncFifo(8, 3, wr, rd), 600, 5);
  expect(changes).toBeGreaterThan(600);
});
