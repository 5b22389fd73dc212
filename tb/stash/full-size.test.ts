// The default chiplet stash (6 MB, 8 banks of 64-byte words, 2 matrix-unit ports) at full size: elaboration in
// under a second, memory held in typed arrays (heap growth beyond the 6 MB of data under 64 MB), random traffic on
// every port against the reference memory, and SystemVerilog with one unpacked array per bank and no contents.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../rtl/core/index.ts';
import { Stash } from '../../rtl/corsair/stash/stash.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { Simulator, simulate } from '../runtime/index.ts';
import { allPortTraffic } from './traffic.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MB = 2 ** 20;

describe('Stash at 6 MB', () => {
  it('elaborates in under a second, and its simulator holds the data in typed arrays', () => {
    gc();
    const before = process.memoryUsage();
    const t0 = performance.now();
    const st = new Stash();
    const nl = elaborate(st);
    const elabMs = performance.now() - t0;
    const sim = new Simulator(nl);
    sim.runCycles(10);
    gc();
    const after = process.memoryUsage();
    const data = 6 * MB;
    const heap = after.heapUsed - before.heapUsed;
    const buffers = after.arrayBuffers - before.arrayBuffers;
    console.log(`6 MB stash: elaboration ${elabMs.toFixed(0)} ms, heap +${(heap / MB).toFixed(1)} MB, array buffers +${(buffers / MB).toFixed(1)} MB`);
    expect(st.options.sizeBytes).toBe(data);
    expect(st.bank.map((b) => b.depth * b.width / 8).reduce((a, b) => a + b, 0)).toBe(data);
    expect(elabMs).toBeLessThan(1000);
    expect(buffers).toBeGreaterThanOrEqual(data);
    expect(heap + buffers - data).toBeLessThan(64 * MB);
    expect(sim.memoryArray(st.bank[0]!).byteLength).toBe(data / 8);
  });

  it('serves random traffic on every port at full size', async () => {
    const st = new Stash();
    await simulate(st, async (tb) => {
      await tb.reset();
      const s = await allPortTraffic(tb, { cycles: 400, seed: 6, offer: [0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9] });
      expect(Math.min(...s.handshakes)).toBeGreaterThan(50);
      // and a hot region, so reads find earlier writes and banks conflict
      const h = await allPortTraffic(tb, { cycles: 400, seed: 7, offer: [0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], span: 4096 });
      expect(h.stalls.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    });
  }, 60_000);

  it('emits SystemVerilog with one 12288 x 512 array per bank and no initial contents', () => {
    const d = emitDesign(elaborate(new Stash()));
    const top = d.modules.find((m) => m.name === d.top)!;
    const arrays = top.text.match(/logic \[511:0\] \w+ \[0:12287\];/g) ?? [];
    expect(arrays.length).toBe(8);
    expect(d.dataFiles.length).toBe(0);
    expect(top.text.length).toBeLessThan(400_000);
  });
});
