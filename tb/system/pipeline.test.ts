// The main scenario at a reduced size: two servers, each loaded by its host over PCIe; the pipeline runs
// device-initiated from one server to the next through JetStream and the leaf switch, and the last server's output
// must equal the reference network bit for bit. Also checks what `npm start` writes: the hop's stages add up, the
// hop stays under the published 2 us, tshark reads every captured frame with a good FCS, and GTKWave finds every
// signal the stage-grouped save file names.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect } from 'vitest';
import { itWithTools } from '../tools.ts';
import { gtkwaveTraces } from '../vcd/gtkwave.ts';
import { DEFAULT_OPTIONS } from './options.ts';
import { HOP_STAGES, runPipeline, type PipelineResult } from './pipeline.ts';
import { hopTable } from './report.ts';

let result: PipelineResult | undefined;
async function run(): Promise<PipelineResult> {
  result ??= await runPipeline({ ...DEFAULT_OPTIONS, servers: 2, layers: 2, batch: 2, stashBytes: 64 * 1024, waves: true, sv: false }, undefined, undefined, 'pipeline-test');
  return result;
}

describe('pipeline scenario', () => {
  itWithTools([], 'two servers: the last output equals the reference network, each hop under 2 us', async () => {
    const r = await run();
    expect(r.mismatch).toBeUndefined();
    expect(r.outputsMatch).toBe(true);
    expect(r.hops).toHaveLength(1);
    const h = r.hops[0]!;
    expect(h.device).toHaveLength(HOP_STAGES.length);
    for (const [k, ns] of h.device.entries()) expect(ns, HOP_STAGES[k]).toBeGreaterThanOrEqual(0);
    const transfer = h.device.slice(1).reduce((a, b) => a + b, 0);
    expect(transfer).toBeLessThan(2000);
    // the host-mediated path shares compute and the network stages, and adds host round trips everywhere else
    expect(h.host[0]).toBe(h.device[0]);
    expect(h.host.reduce((a, b) => a + b, 0)).toBeGreaterThan(h.device.reduce((a, b) => a + b, 0));
    expect(hopTable(r)).toContain('| **total** |');
  }, 600_000);

  itWithTools(['tshark'], 'tshark decodes every captured frame with FCS status good', async () => {
    const r = await run();
    expect(r.frames).toBeGreaterThanOrEqual(2);
    const out = spawnSync('tshark', ['-r', r.pcap!, '-o', 'eth.fcs:Always', '-o', 'eth.check_fcs:TRUE', '-T', 'fields', '-e', 'frame.number', '-e', 'eth.type', '-e', 'eth.fcs.status'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const rows = out.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(r.frames);
    for (const [n, type, fcs] of rows) {
      expect(type, `frame ${n}`).toBe('0x88b5');
      expect(fcs, `frame ${n} FCS status`).toBe('1');
    }
  }, 600_000);

  itWithTools(['gtkwave', 'xvfb-run'], 'GTKWave loads the dump with the stage-grouped save file and finds every signal it names', async () => {
    const r = await run();
    const gtkw = fs.readFileSync(r.gtkw!, 'utf8');
    const named = gtkw.split('\n').filter((l) => /^[a-z]/i.test(l) && !l.startsWith('[')).map((l) => l.trim());
    expect(named.length).toBeGreaterThan(20);
    const { facs, traces } = gtkwaveTraces(r.vcd!, r.gtkw!);
    for (const s of named) expect(facs, s).toContain(s);
    for (const label of ['server 0: PCIe write out', 'server 1: JetStream rx', 'server 1: go and compute', 'server 0: Ethernet out and in']) expect(traces).toContain(label);
  }, 600_000);
});
