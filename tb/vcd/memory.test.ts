// Memory property of VcdWriter: a long run (10^6 samples) does not grow the heap; output streams to disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VcdWriter, type VcdVar } from './writer.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-memory-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MB = 1 << 20;

describe('VcdWriter memory', () => {
  it('writing 10^6 samples grows memory by less than 64 MB', () => {
    const widths = [1, 1, 3, 8, 16, 32, 32, 48, 64, 100, 1, 7, 12, 20, 33, 128, 1, 5, 9, 300];
    const vars: VcdVar[] = [];
    let slots = 0;
    widths.forEach((width, i) => {
      vars.push({ scope: ['top', `m${i % 4}`], name: `s${i}`, width, slot: slots });
      slots += Math.ceil(width / 32);
    });
    const state = new Int32Array(slots);
    const file = path.join(dir, 'long.vcd');
    const w = new VcdWriter(file, vars);

    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external + m.arrayBuffers;
    };
    const base = used();
    let peak = base;
    let x = 1;
    for (let cycle = 0; cycle < 1_000_000; cycle++) {
      state[0] = cycle & 1; // a clock
      state[3] = cycle & 0xff; // a counter
      x = (x * 1103515245 + 12345) | 0; // a few pseudo-random changes
      if ((x & 7) === 0) state[(x >>> 8) % slots] = x >>> 31; // 0/1 fits every width
      w.sample(cycle * 1000, state);
      if (cycle % 100_000 === 0) peak = Math.max(peak, used());
    }
    w.close();
    peak = Math.max(peak, used());
    const size = fs.statSync(file).size;
    fs.rmSync(file);
    expect(size).toBeGreaterThan(10 * MB); // the dump went to disk...
    expect(peak - base).toBeLessThan(64 * MB); // ...not into memory
  });
});
