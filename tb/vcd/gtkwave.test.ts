// The real GTKWave (headless under xvfb) loads what VcdWriter and writeGtkw produce.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { itWithTools } from '../tools.ts';
import { gtkwTraceName, writeGtkw, type GtkwGroup } from './gtkw.ts';
import { VcdWriter, type VcdVar } from './writer.ts';
import { gtkwaveTraces } from './gtkwave.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-gtkwave-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const VARS: VcdVar[] = [
  { scope: ['top'], name: 'clk', width: 1, slot: 0 },
  { scope: ['top', 'fifo0'], name: 'count', width: 8, slot: 1 },
  { scope: ['top', 'fifo0'], name: 'full', width: 1, slot: 2 },
  { scope: ['top', 'core', 'alu'], name: 'acc', width: 70, slot: 3 },
  { scope: ['top', 'core'], name: 'row', width: 300, slot: 6 },
  { scope: ['top', 'core'], name: 'pc', width: 32, slot: 16 },
];

function writeDump(file: string): void {
  const state = new Int32Array(17);
  const w = new VcdWriter(file, VARS);
  for (let c = 0; c < 200; c++) {
    state[0] = c & 1;
    state[1] = (c >> 1) & 0xff;
    state[2] = c > 100 ? 1 : 0;
    state[3] = c * 7919;
    state[5] = c & 0x3f;
    state[6 + (c % 10)] = c;
    state[16] = (c * 4) | 0x80000000;
    w.sample(c * 500, state);
  }
  w.close();
}

function gtkwave(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('xvfb-run', ['-a', 'gtkwave', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('GTKWave', () => {
  itWithTools(['gtkwave', 'xvfb-run'], 'loads a dump written by VcdWriter (gtkwave -x exits 0)', () => {
    const vcd = path.join(dir, 'load.vcd');
    writeDump(vcd);
    const r = gtkwave(['-x', vcd]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('[99500] end time.');
  }, 90_000);

  itWithTools(['gtkwave', 'xvfb-run'], 'finds every signal a .gtkw written by writeGtkw names', () => {
    const vcd = path.join(dir, 'view.vcd');
    const gtkw = path.join(dir, 'view.gtkw');
    writeDump(vcd);
    const groups: GtkwGroup[] = [
      { label: 'Control', signals: [{ path: 'top.clk', width: 1 }, { path: 'top.fifo0.full', width: 1 }, { path: 'top.core.pc', width: 32 }] },
      { label: 'Data path', signals: [{ path: 'top.fifo0.count', width: 8 }, { path: 'top.core.alu.acc', width: 70 }, { path: 'top.core.row', width: 300 }] },
    ];
    writeGtkw(gtkw, { dumpfile: vcd, groups, treeopen: ['top', 'top.core'] });
    const { facs, traces } = gtkwaveTraces(vcd, gtkw);
    expect(facs.sort()).toEqual(VARS.map((v) => gtkwTraceName([...v.scope, v.name].join('.'), v.width)).sort());
    for (const g of groups) for (const s of g.signals) expect(facs).toContain(gtkwTraceName(s.path, s.width));
    // Every trace of the save file was resolved: group begin, its signals (shown by leaf name), group end.
    const want = groups.flatMap((g) => [g.label, ...g.signals.map((s) => gtkwTraceName(s.path.split('.').pop()!, s.width)), g.label]);
    expect(traces).toEqual(want);
  }, 90_000);
});
