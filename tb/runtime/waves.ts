// Waveforms of a simulation: a VCD with one scope per module instance (all signals, or only ports), every clock,
// timescale 1 ps, written as the simulation runs; beside it a GTKWave save file that opens with the ports of each
// module in a group. Dumps land in waves/ unless a path says otherwise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sig } from '../../rtl/core/index.ts';
import { Input, Output, projectRoot } from '../../rtl/core/index.ts';
import type { Simulator } from '../sim/simulator.ts';
import { VcdWriter, type VcdVar } from '../vcd/writer.ts';
import { writeGtkw, type GtkwGroup } from '../vcd/gtkw.ts';

export interface WaveOptions {
  /** File name (placed in waves/) or a path containing a slash; default waves/<top>.vcd. */
  file?: string;
  /** 'all' signals (default), only 'ports' of every module, or a list of signals. */
  scope?: 'all' | 'ports' | Sig[];
}

export interface Waves {
  readonly vcdPath: string;
  readonly gtkwPath: string;
  close(timePs: number): void;
}

export const wavesDir = path.join(projectRoot, 'waves');

export function resolveWavePath(file: string | undefined, topName: string): string {
  const name = file ?? `${topName}.vcd`;
  const withExt = name.endsWith('.vcd') ? name : `${name}.vcd`;
  return withExt.includes('/') ? path.resolve(withExt) : path.join(wavesDir, withExt);
}

export function attachWaves(sim: Simulator, opts: WaveOptions = {}): Waves {
  const nl = sim.netlist;
  const vcdPath = resolveWavePath(opts.file, nl.top.name);
  fs.mkdirSync(path.dirname(vcdPath), { recursive: true });
  const only = Array.isArray(opts.scope) ? new Set<Sig>(opts.scope) : undefined;
  const vars: VcdVar[] = [];
  const groups: GtkwGroup[] = [];
  const topScope = nl.top.path.split('.');
  nl.domains.forEach((d, i) => {
    vars.push({ scope: topScope, name: d.clockName, width: 1, slot: sim.compiled.layout.clockSlot[i]! });
  });
  for (const inst of nl.instances) {
    const scope = inst.path.split('.');
    const ports: GtkwGroup['signals'] = [];
    if (inst === nl.top) for (const d of nl.domains) ports.push({ path: `${inst.path}.${d.clockName}`, width: 1 });
    for (const s of inst.signals) {
      const isPort = s instanceof Input || s instanceof Output;
      if (only ? !only.has(s) : opts.scope === 'ports' && !isPort) continue;
      const slot = sim.compiled.layout.slot.get(s);
      if (slot === undefined) continue;
      vars.push({ scope, name: s.name!, width: s.width, slot });
      if (isPort) ports.push({ path: `${inst.path}.${s.name}`, width: s.width });
    }
    if (ports.length) groups.push({ label: `${inst.path} (${inst.className})`, signals: ports });
  }
  const writer = new VcdWriter(vcdPath, vars, { timescale: '1 ps', comment: `design ${nl.top.className}` });
  const hook = (t: number, state: Int32Array) => writer.sample(t, state);
  sim.sampleHooks.push(hook);
  const gtkwPath = vcdPath.replace(/\.vcd$/, '.gtkw');
  writeGtkw(gtkwPath, { dumpfile: vcdPath, groups, treeopen: [nl.top.path] });
  let closed = false;
  return {
    vcdPath,
    gtkwPath,
    close(timePs: number) {
      if (closed) return;
      closed = true;
      if (sim.time === timePs) {
        sim.settle();
        writer.sample(sim.time, sim.S);
      }
      sim.removeSampleHook(hook);
      writer.close();
    },
  };
}
