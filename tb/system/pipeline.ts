// The multi-server pipeline scenario: build the cluster with each server's firmware, load every stage's weights
// (and the first input) into the stashes as the hosts would ahead of time, let host 0 say "go" with a PCIe write
// to card 0's doorbell, and run until the last server reports completion. Probes on the path record when the last
// write of each hop (the "go" flag, which no data can pass) crosses each stage, which splits every hop into its
// stages; the host-mediated baseline is computed from the same hardware figures plus the host's named latencies.
import * as path from 'node:path';
import type { Netlist, Sig } from '../../rtl/core/index.ts';
import { Cluster } from '../../rtl/corsair/system/cluster.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { simulate, wavesDir, type Testbench } from '../runtime/index.ts';
import type { Simulator } from '../sim/simulator.ts';
import { writeGtkw, type GtkwGroup } from '../vcd/gtkw.ts';
import { pathOf } from '../../rtl/core/netlist.ts';
import { encodeMemWrite } from '../pcie/tlp-ref.ts';
import { sendPackets } from '../pcie/harness.ts';
import { STASH_LAYOUT, outputBuffer } from './firmware.ts';
import { firmwareImage, readBatch, stageImage, stageLoadTlps, tohost } from './harness.ts';
import { layerSlices, makeInput, makeNetwork, networkForward, VEC } from './network.ts';
import { DEFAULT_HOST, hostMediatedHop, type HostParams, type Stage } from './baseline.ts';
import type { ScenarioOptions } from './options.ts';
import { XgmiiTap } from '../net/tap.ts';
import { writePcap, type PcapRecord } from '../net/pcap.ts';

const ITCM = 16 * 1024;
const remote = (node: number, offset: number) => BigInt(PCIE_MAP.REMOTE_BASE) + (BigInt(node) << 32n) + BigInt(offset);

/** The device-initiated stages of one hop, named as in the table. */
export const HOP_STAGES = ['compute', 'PCIe write (tx)', 'JetStream tx, MAC', 'wire and switch', 'MAC, JetStream rx', 'PCIe write (rx)', 'go'] as const;

export interface HopResult {
  from: number;
  to: number;
  bytes: number;
  /** Device-initiated: one entry per HOP_STAGES, ns. */
  device: number[];
  /** Host-mediated, mapped onto the same rows (ns), and its own finer stages. */
  host: number[];
  hostStages: Stage[];
}

export interface PipelineResult {
  hops: HopResult[];
  /** Computation of the last server (no hop after it), ns. */
  lastComputeNs: number;
  outputsMatch: boolean;
  mismatch?: string;
  simulatedNs: number;
  cycles: number;
  wallMs: number;
  buildMs: number;
  vcd?: string;
  gtkw?: string;
  pcap?: string;
  frames: number;
  host: HostParams;
  /** The simulated design (for the SystemVerilog of exactly what ran, firmware included). */
  netlist: Netlist;
}

/** A 1-bit condition on live signals, with the times (ps) it was seen true at a clock edge. */
interface Probe {
  name: string;
  sigs: Sig[];
  times: number[];
}

/**
 * Call `fn` once a cycle of clock domain `d`, with the settled state the coming rising edge will sample and that
 * edge's time (sample hooks run before every event of every domain; this keeps one per cycle).
 */
function everyCycle(sim: Simulator, d: number, fn: (edgePs: number, S: Int32Array) => void): void {
  const clk = sim.clocks[d]!;
  let seen = -1;
  sim.sampleHooks.push((_t, S) => {
    if (clk.level !== 0 || clk.cycles === seen) return;
    seen = clk.cycles;
    fn(clk.nextRise, S);
  });
}

/** Record every rising edge (ps) at which all of `sigs` are 1 (valid & ready & last of a stream, or an irq level). */
function probe(sim: Simulator, name: string, sigs: Sig[]): Probe {
  const p: Probe = { name, sigs, times: [] };
  const slots = sigs.map((s) => sim.slotOf(s));
  everyCycle(sim, 0, (t, S) => {
    for (const o of slots) if ((S[o]! & 1) === 0) return;
    p.times.push(t);
  });
  return p;
}
const streamEnd = (s: { valid: Sig; ready: Sig; last: Sig }) => [s.valid, s.ready, s.last];

/** The last time a probe fired at or before `t` (ps). */
function lastBefore(p: Probe, t: number): number {
  let r = -1;
  for (const x of p.times) if (x <= t) r = x;
  if (r < 0) throw new Error(`pipeline: probe '${p.name}' never fired before ${t} ps`);
  return r;
}
/** Start time of the last frame a tap saw begin at or before `t` (ps). */
function lastFrameBefore(tap: XgmiiTap, t: number): number {
  const starts = tap.frames.map((f) => f.timePs).filter((x) => x <= t);
  if (!starts.length) throw new Error(`pipeline: no frame crossed the tap before ${t} ps`);
  return starts[starts.length - 1]!;
}
function firstAfter(p: Probe, t: number): number {
  for (const x of p.times) if (x >= t) return x;
  throw new Error(`pipeline: probe '${p.name}' never fired after ${t} ps`);
}

/** Run the scenario; `name` names the files written in waves/ (name.vcd, .gtkw, .pcap). */
export async function runPipeline(o: ScenarioOptions, progress: (done: number, what: string) => void = () => {}, host: HostParams = DEFAULT_HOST, name = 'pipeline'): Promise<PipelineResult> {
  const n = o.servers;
  const slices = layerSlices(o.layers, n);
  const net = makeNetwork(o.layers, 1);
  const input = makeInput(o.batch, 2);
  const t0 = performance.now();
  const firmware = slices.map((sl, s) => [[firmwareImage({
    layers: sl.count,
    lastStage: s === n - 1,
    batch: o.batch,
    nextData: s < n - 1 ? remote(s + 1, STASH_LAYOUT.IN) : undefined,
    nextDoorbell: s < n - 1 ? remote(s + 1, PCIE_MAP.DOORBELL_OFFSET) : undefined,
    requesterId: 0x0100,
    mps: 256,
  }, ITCM)]]);
  const cluster = new Cluster({ servers: n, stashBytes: o.stashBytes, firmware, itcmBytes: ITCM });
  const chip = (s: number) => cluster.servers[s]!.cards[0]!.chiplets[0]!;
  progress(0.02, 'built');

  const watched: Sig[] = [];
  const groups: Array<{ label: string; sigs: Sig[] }> = [];
  const group = (label: string, sigs: Sig[]) => {
    watched.push(...sigs);
    groups.push({ label, sigs });
  };
  for (let s = 0; s < n; s++) {
    const c = chip(s);
    const srv = cluster.servers[s]!;
    group(`server ${s}: go and compute`, [c.ep.irq, c.core.trace.valid, c.core.trace.pc, c.mu.in.valid, c.mu.out.valid, c.dma.irq]);
    group(`server ${s}: PCIe write out`, [c.tlpOut.valid, c.tlpOut.ready, c.tlpOut.last, srv.jetstream.txTlp.valid, srv.jetstream.txTlp.last]);
    group(`server ${s}: Ethernet out and in`, [srv.xgmiiTx.ctrl, srv.xgmiiTx.data, srv.xgmiiRx.ctrl, srv.xgmiiRx.data]);
    group(`server ${s}: JetStream rx`, [srv.jetstream.rxTlp.valid, srv.jetstream.rxTlp.ready, srv.jetstream.rxTlp.last]);
    group(`server ${s}: PCIe write in`, [c.tlpIn.valid, c.tlpIn.ready, c.tlpIn.last]);
  }

  let result: PipelineResult | undefined;
  const frames: PcapRecord[] = [];
  const buildMs = performance.now() - t0;
  const tb = await simulate(cluster, async (tb: Testbench<Cluster>) => {
    const sim = tb.sim;
    const go = [] as Probe[];
    const p2pOut = [] as Probe[];
    const jsIn = [] as Probe[];
    const wireOut: XgmiiTap[] = [];
    const wireIn: XgmiiTap[] = [];
    const tlpOut = [] as Probe[];
    const epIn = [] as Probe[];
    for (let s = 0; s < n; s++) {
      const c = chip(s);
      const srv = cluster.servers[s]!;
      go.push(probe(sim, `server ${s} go`, [c.ep.irq]));
      p2pOut.push(probe(sim, `server ${s} p2p out`, [c.tlpOut.valid, c.tlpOut.ready]));
      jsIn.push(probe(sim, `server ${s} JetStream in`, streamEnd(srv.jetstream.txTlp)));
      wireOut.push(new XgmiiTap(tb, srv.xgmiiTx, { domain: cluster.macDomain }));
      wireIn.push(new XgmiiTap(tb, srv.xgmiiRx, { domain: cluster.macDomain }));
      tlpOut.push(probe(sim, `server ${s} JetStream out`, streamEnd(srv.jetstream.rxTlp)));
      epIn.push(probe(sim, `server ${s} endpoint in`, streamEnd(c.tlpIn)));
    }
    await tb.reset();
    // every host loads its stage (weights, and host 0 the input) into card 0's stash with PCIe writes, then host 0
    // says go; the doorbell write follows the data on the same path, so it cannot pass it
    const bar = BigInt(PCIE_MAP.CARD_BAR_BASE);
    const loads = slices.map((sl, s) => tb.fork(async () => {
      await sendPackets(tb, tb.dut.hosts[s]!.rx, 512, stageLoadTlps(bar, stageImage(net.slice(sl.first, sl.first + sl.count), s === 0 ? input : undefined)));
    }, `host ${s}`));
    await tb.join(...loads);
    const goTlp = encodeMemWrite({ addr: bar + BigInt(PCIE_MAP.DOORBELL_OFFSET), data: new Uint8Array([1, 0, 0, 0]), requesterId: 0, tag: 0 });
    await sendPackets(tb, tb.dut.hosts[0]!.rx, 512, [goTlp]);
    progress(0.05, 'loaded');
    for (let s = 0; s < n; s++) {
      await tb.until(() => tohost(sim, chip(s).core.dtcm) !== 0, { timeoutCycles: 2_000_000 });
      progress(0.05 + (0.9 * (s + 1)) / n, `server ${s} done`);
    }
    const want = networkForward(net, input);
    const got = readBatch(sim, chip(n - 1).stash, outputBuffer(slices[n - 1]!.count), o.batch);
    let mismatch: string | undefined;
    for (let v = 0; v < o.batch && !mismatch; v++) {
      for (let i = 0; i < VEC; i++) if (got[v]![i] !== want[v]![i]) { mismatch = `vector ${v} element ${i}: hardware ${got[v]![i]}, reference ${want[v]![i]}`; break; }
    }
    const ns = (ps: number) => ps / 1000;
    const hops: HopResult[] = [];
    for (let s = 0; s < n - 1; s++) {
      const tGo = go[s]!.times[0]!;
      const tStart = firstAfter(p2pOut[s]!, tGo);
      const tNextGo = go[s + 1]!.times[0]!;
      const b = [tGo, tStart, lastBefore(jsIn[s]!, tNextGo), lastFrameBefore(wireOut[s]!, tNextGo), lastFrameBefore(wireIn[s + 1]!, tNextGo),
        lastBefore(tlpOut[s + 1]!, tNextGo), lastBefore(epIn[s + 1]!, tNextGo), tNextGo];
      const device = HOP_STAGES.map((_, k) => ns(b[k + 1]! - b[k]!));
      const firstIn = firstAfter(jsIn[s]!, tStart);
      const hw = {
        pcieWriteNs: ns(firstIn - tStart),
        pcieTransferNs: ns(b[2]! - firstIn),
        macTxNs: device[2]!,
        wireAndSwitchNs: device[3]!,
        macRxNs: device[4]!,
      };
      const hostStages = hostMediatedHop(hw, host);
      const sum = (names: string[]) => hostStages.filter((st) => names.includes(st.name)).reduce((a, st) => a + st.ns, 0);
      const hostRows = [
        device[0]!,
        sum(['completion to host', 'host posts send', 'doorbell to NIC (PCIe write)', 'NIC fetches work request', 'NIC reads accelerator (PCIe read)']),
        hw.macTxNs, hw.wireAndSwitchNs, hw.macRxNs,
        sum(['NIC writes accelerator (PCIe write)']),
        sum(['receive completion to host', 'host decides go', 'go (PCIe MMIO write)']),
      ];
      hops.push({ from: s, to: s + 1, bytes: o.batch * VEC, device, host: hostRows, hostStages });
    }
    for (const tap of wireOut) frames.push(...tap.records());
    const lastGo = go[n - 1]!.times[0]!;
    result = {
      hops,
      lastComputeNs: (tb.time - lastGo) / 1000,
      outputsMatch: mismatch === undefined,
      mismatch,
      simulatedNs: tb.time / 1000,
      cycles: tb.cycle(),
      wallMs: 0,
      buildMs,
      frames: 0,
      host,
      netlist: tb.netlist,
    };
  }, o.waves ? { vcd: path.join(wavesDir, `${name}.vcd`), vcdScope: watched } : {});
  const r = result!;
  r.wallMs = performance.now() - t0;
  r.frames = frames.length;
  if (o.waves) {
    r.pcap = path.join(wavesDir, `${name}.pcap`);
    writePcap(r.pcap, frames.sort((a, b) => a.timePs - b.timePs));
  }
  if (o.waves && tb.waves) {
    r.vcd = tb.waves.vcdPath;
    r.gtkw = tb.waves.gtkwPath;
    const nl = tb.netlist;
    writeGtkw(r.gtkw, {
      dumpfile: r.vcd,
      groups: groups.map((g): GtkwGroup => ({ label: g.label, signals: g.sigs.map((x) => ({ path: pathOf(nl, x), width: x.width })) })),
      treeopen: [nl.top.path],
    });
  }
  return r;
}
