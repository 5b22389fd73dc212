// `npm start`: the main job. Runs the multi-server Corsair/JetStream inference pipeline on the cycle-accurate
// models (device-initiated: PCIe peer-to-peer -> JetStream -> leaf switch -> JetStream -> PCIe peer-to-peer), checks
// the last server's output against the TypeScript reference network bit for bit, and prints each hop's latency
// per stage next to the host-mediated (RoCE-style) baseline. Writes waves/pipeline.vcd + .gtkw, waves/pipeline.pcap
// and the system's SystemVerilog in gen/out/. `npm start -- --help` lists the options.
import * as path from 'node:path';
import { projectRoot } from '../rtl/core/index.ts';
import { writeSv } from '../gen/sv/write.ts';
import { OptionError, USAGE, parseOptions, type ScenarioOptions } from './system/options.ts';
import { runPipeline } from './system/pipeline.ts';
import { hopTable } from './system/report.ts';
import { DEFAULT_HOST, hostMediatedHop } from './system/baseline.ts';

function bar(done: number, what: string): void {
  if (!process.stdout.isTTY) {
    console.log(`[${Math.round(done * 100).toString().padStart(3)}%] ${what}`);
    return;
  }
  const w = 30;
  const k = Math.round(done * w);
  process.stdout.write(`\r[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${Math.round(done * 100)}% ${what}`.padEnd(70));
  if (done >= 1) process.stdout.write('\n');
}

async function main(o: ScenarioOptions): Promise<number> {
  if (o.baselineOnly) {
    // published/default hardware figures: 650 ns switch, 400 ns leaf switch, a few ns of MAC; no simulation
    const stages = hostMediatedHop({ pcieWriteNs: 650, pcieTransferNs: (o.batch * 64) / 63, macTxNs: 20, wireAndSwitchNs: 410, macRxNs: 20 }, DEFAULT_HOST);
    console.log('Host-mediated hop (no simulation; hardware figures from the defaults):');
    for (const s of stages) console.log(`  ${s.name.padEnd(40)} ${s.ns.toFixed(1).padStart(8)} ns`);
    console.log(`  ${'total'.padEnd(40)} ${stages.reduce((a, s) => a + s.ns, 0).toFixed(1).padStart(8)} ns`);
    return 0;
  }
  console.log(`Pipeline: ${o.servers} servers, ${o.layers} layers of 64x64 INT8 (BFP16_64), batch ${o.batch} (${o.batch * 64} B a hop), stash ${o.stashBytes / 1024} KiB a chiplet`);
  const r = await runPipeline(o, bar);
  bar(1, 'done');
  console.log(`simulated ${r.cycles.toLocaleString()} cycles (${(r.simulatedNs / 1000).toFixed(2)} us) in ${(r.wallMs / 1000).toFixed(1)} s ` +
    `(${Math.round(r.cycles / ((r.wallMs - r.buildMs) / 1000)).toLocaleString()} cycles/s after ${(r.buildMs / 1000).toFixed(1)} s of construction)`);
  console.log(r.outputsMatch ? 'output of the last server = reference network, bit for bit' : `OUTPUT DIFFERS from the reference: ${r.mismatch}`);
  console.log('');
  console.log(hopTable(r));
  if (r.vcd) {
    console.log('');
    console.log(`waves: ${path.relative(process.cwd(), r.vcd)} (stage groups in ${path.relative(process.cwd(), r.gtkw!)})`);
    console.log(`open them with: gtkwave ${path.relative(process.cwd(), r.gtkw!)}`);
  }
  if (r.pcap) console.log(`frames on the wire: ${path.relative(process.cwd(), r.pcap)} (tshark -r ${path.relative(process.cwd(), r.pcap)} -o eth.check_fcs:TRUE)`);
  if (o.sv) {
    const dir = path.join(projectRoot, 'gen', 'out', 'Cluster');
    const files = writeSv(r.netlist, dir);
    console.log(`SystemVerilog of the system that ran (firmware images included): ${files.length} files in ${path.relative(process.cwd(), dir)}/`);
  }
  return r.outputsMatch ? 0 : 1;
}

let opts: ScenarioOptions | null;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof OptionError)) throw e;
  console.error(`npm start: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (opts === null) {
  console.log(USAGE);
} else {
  process.exitCode = await main(opts);
}
