// readVcd on hand-written dumps: clear errors for saturating times and garbage, x/z tolerated, names resolved.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readVcd } from './reader.ts';
import { VcdWriter } from './writer.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-reader-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const f = path.join(dir, `r${n++}.vcd`);
  fs.writeFileSync(f, text);
  return f;
}

const HEADER = [
  '$timescale 1ps $end',
  '$scope module top $end',
  '$var wire 1 ! clk $end',
  '$scope module fifo0 $end',
  '$var reg 8 " count [7:0] $end',
  '$var wire 3 # st $end',
  '$upscope $end',
  '$upscope $end',
  '$enddefinitions $end',
  '#0',
  '$dumpvars',
  '0!',
  'b0 "',
  'b0 #',
  '$end',
  '',
].join('\n');

describe('readVcd', () => {
  it('reads a hand-written dump: names, widths, values over time, timescale normalized', async () => {
    const d = await readVcd(file(HEADER + '#5\n1!\nb101 "\n#10\n0!\nb11 #\n#12\n'));
    expect(d.timescale).toBe('1 ps');
    expect(d.endTime).toBe(12);
    expect([...d.signals.keys()]).toEqual(['top.clk', 'top.fifo0.count', 'top.fifo0.st']);
    expect(d.signals.get('top.fifo0.count')!.width).toBe(8);
    expect(d.valueAt('top.clk', 4)).toBe(0n);
    expect(d.valueAt('top.clk', 5)).toBe(1n);
    expect(d.valueAt('top.clk', 10)).toBe(0n);
    expect(d.valueAt('top.fifo0.count', 100)).toBe(5n);
    expect(d.valueAt('top.fifo0.st', 11)).toBe(3n);
  });

  it('throws listing the known names for an unknown signal', async () => {
    const d = await readVcd(file(HEADER));
    expect(() => d.valueAt('top.nope', 0)).toThrow(/unknown signal 'top.nope'; known: top.clk, top.fifo0.count, top.fifo0.st/);
  });

  it('throws a clear error on a time the wasm parser saturates (>= 2^32-1)', async () => {
    await expect(readVcd(file(HEADER + '#4294967294\n1!\n#4294967296\n0!\n'))).rejects.toThrow(/time saturated.*2\^32-1/);
    await expect(readVcd(file(HEADER + '#99999999999\n'))).rejects.toThrow(/time saturated/);
    const ok = await readVcd(file(HEADER + '#4294967294\n1!\n'));
    expect(ok.endTime).toBe(4294967294);
  });

  it('throws on garbage input instead of logging', async () => {
    await expect(readVcd(file('hello, this is not a VCD file\n#12 b11 q\n'))).rejects.toThrow(/parse error: expected a declaration command/);
    await expect(readVcd(file(HEADER + '#1\n1!\n&&& garbage !!\n#2\n0!\n'))).rejects.toThrow(/parse error: expected a simulation command.*#1/);
    await expect(readVcd(file(''))).rejects.toThrow(/not a VCD file/);
    await expect(readVcd(file('$timescale 1ps $end\n$scope module top $end\n'))).rejects.toThrow(/not a VCD file/);
    await expect(readVcd(file(HEADER + '#1\n1?\n'))).rejects.toThrow(/undeclared id "\?"/);
    await expect(readVcd(path.join(dir, 'missing.vcd'))).rejects.toThrow(/ENOENT/);
  });

  it('maps x/z to 0 and records them in xmask', async () => {
    const d = await readVcd(file(HEADER + '#1\nx!\nb1x0z "\n#2\nz!\nbx #\n#3\n1!\nb111 #\n'));
    const clk = d.signals.get('top.clk')!.changes;
    expect(clk.map((c) => [c.t, c.v, c.xmask])).toEqual([
      [0, 0n, undefined],
      [1, 0n, 1n],
      [2, 0n, 1n],
      [3, 1n, undefined],
    ]);
    const count = d.signals.get('top.fifo0.count')!.changes[1]!;
    expect(count).toEqual({ t: 1, v: 0b1000n, xmask: 0b0101n });
    expect(d.valueAt('top.fifo0.st', 2)).toBe(0n);
    expect(d.signals.get('top.fifo0.st')!.changes[1]!.xmask).not.toBe(undefined); // `bx`: the parser marks one bit
    expect(d.valueAt('top.fifo0.st', 3)).toBe(7n);
  });

  it('gives the same dump whatever the chunk size (declarations are never split mid-command)', async () => {
    const f = path.join(dir, 'chunks.vcd');
    const vars = Array.from({ length: 400 }, (_, i) => ({
      scope: ['top', `blk${i % 5}`, `sub${i % 3}`],
      name: `signal_${i}`,
      width: [1, 8, 40, 130][i % 4]!,
      slot: i * 5,
    }));
    const state = new Int32Array(2000);
    const w = new VcdWriter(f, vars);
    for (let c = 0; c < 50; c++) {
      for (let k = 0; k < 40; k++) state[(c * 37 + k * 11) % 2000] = (c * 2654435761 + k) | 0;
      for (const v of vars) if (v.width < 32) state[v.slot] = state[v.slot]! & ((1 << v.width) - 1);
      for (const v of vars) if (v.width === 40) state[v.slot + 1] = state[v.slot + 1]! & 0xff;
      for (const v of vars) if (v.width === 130) state[v.slot + 4] = state[v.slot + 4]! & 3;
      w.sample(c * 3, state);
    }
    w.close();
    expect(fs.readFileSync(f, 'utf8').indexOf('$enddefinitions')).toBeGreaterThan(5000); // the header spans chunks
    const ref = await readVcd(f);
    expect(ref.signals.size).toBe(400);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 128, max: 5000 }), async (chunkBytes) => {
        const d = await readVcd(f, { chunkBytes });
        expect(d.signals).toEqual(ref.signals);
        expect(d.endTime).toBe(ref.endTime);
      }),
      { numRuns: 15 },
    );
  });

  it('reads wide values across 64 KiB chunks and rejects vars wider than the parser can hold', async () => {
    const width = 200_000;
    const f = path.join(dir, 'wide.vcd');
    const limbs = Math.ceil(width / 32);
    const state = new Int32Array(limbs);
    const w = new VcdWriter(f, [{ scope: ['top'], name: 'huge', width, slot: 0 }]);
    w.sample(0, state);
    state[0] = 5;
    state[limbs - 1] = 1 << ((width - 1) % 32);
    w.sample(1, state);
    w.close();
    const d = await readVcd(f);
    expect(d.valueAt('top.huge', 1)).toBe((1n << BigInt(width - 1)) | 5n);

    const g = path.join(dir, 'too-wide.vcd');
    const w2 = new VcdWriter(g, [{ scope: ['top'], name: 'huger', width: 600_000, slot: 0 }]);
    w2.sample(0, new Int32Array(Math.ceil(600_000 / 32)));
    w2.close();
    await expect(readVcd(g)).rejects.toThrow(/600000 bits wide: the wasm parser loses values wider than 524288 bits/);
  });
});
