// The table `npm start` prints: for each hop, the latency of every stage on the device-initiated path (JetStream)
// and on the host-mediated baseline, in ns and in cycles of the 1 GHz card clock, with totals and their ratio.
import { HOP_STAGES, type PipelineResult } from './pipeline.ts';

const CYCLE_NS = 1;

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function hopTable(r: PipelineResult): string {
  const out: string[] = [];
  const f = (ns: number) => ns.toFixed(1);
  const c = (ns: number) => String(Math.round(ns / CYCLE_NS));
  for (const h of r.hops) {
    out.push(`Hop server ${h.from} -> server ${h.to} (${h.bytes} bytes of activations and the "go" flag)`);
    out.push(`| stage | device-initiated ns | cycles | host-mediated ns | cycles |`);
    out.push(`|---|---:|---:|---:|---:|`);
    HOP_STAGES.forEach((st, k) => out.push(`| ${st} | ${f(h.device[k]!)} | ${c(h.device[k]!)} | ${f(h.host[k]!)} | ${c(h.host[k]!)} |`));
    const dev = h.device.reduce((a, b) => a + b, 0);
    const host = h.host.reduce((a, b) => a + b, 0);
    const devXfer = dev - h.device[0]!;
    const hostXfer = host - h.host[0]!;
    out.push(`| **total** | **${f(dev)}** | ${c(dev)} | **${f(host)}** | ${c(host)} |`);
    out.push(`| transfer (total - compute) | ${f(devXfer)} | ${c(devXfer)} | ${f(hostXfer)} | ${c(hostXfer)} |`);
    out.push(`host-mediated / device-initiated: ${(host / dev).toFixed(2)}x end to end, ${(hostXfer / devXfer).toFixed(2)}x for the transfer; ` +
      `JetStream hop ${f(devXfer)} ns ${devXfer < 2000 ? '< 2 us (published bound)' : '>= 2 us: OVER the published bound'}`);
    out.push('');
  }
  out.push(`Host-mediated stages (named parameters in tb/system/baseline.ts): ` +
    Object.entries(r.host).map(([k, v]) => `${k} ${v} ns`).join(', '));
  return out.join('\n');
}
