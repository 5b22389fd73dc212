// Records what a testbench did at the ports of the top module, sample by sample: the clock levels, every input
// as the testbench drove it, every output as our simulator computed it. Another simulator replays the inputs
// and must produce the same outputs at every sample (co-simulation). Stored as 32-bit words, growing in chunks.
import type { Netlist, Sig } from '../../rtl/core/index.ts';
import type { Simulator } from '../sim/simulator.ts';
import { nlimbs } from '../sim/wide.ts';

export interface TracePort {
  name: string;
  width: number;
  /** Offset of its first word within a sample record. */
  offset: number;
}

export interface TraceLayout {
  clocks: string[];
  inputs: TracePort[];
  outputs: TracePort[];
  /** Words per sample: time (2 words), clock levels (1), inputs, outputs. */
  words: number;
}

export function traceLayout(nl: Netlist): TraceLayout {
  let off = 3;
  const port = (s: Sig): TracePort => {
    const p = { name: s.name!, width: s.width, offset: off };
    off += nlimbs(s.width);
    return p;
  };
  const inputs = nl.inputs.map(port);
  const outputs = nl.outputs.map(port);
  return { clocks: nl.domains.map((d) => d.clockName), inputs, outputs, words: off };
}

export class PortRecorder {
  readonly layout: TraceLayout;
  private chunks: Uint32Array[] = [];
  private cur: Uint32Array;
  private used = 0;
  samples = 0;
  private readonly slots: Array<[number, number]>;
  private readonly hook: (t: number, S: Int32Array) => void;

  constructor(private readonly sim: Simulator) {
    const nl = sim.netlist;
    this.layout = traceLayout(nl);
    this.cur = new Uint32Array(this.layout.words * 4096);
    this.slots = [...nl.inputs, ...nl.outputs].map((s) => [sim.slotOf(s), nlimbs(s.width)]);
    this.hook = (t, S) => this.sample(t, S);
    sim.sampleHooks.push(this.hook);
  }

  private sample(t: number, S: Int32Array): void {
    if (this.used + this.layout.words > this.cur.length) {
      this.chunks.push(this.cur.subarray(0, this.used));
      this.cur = new Uint32Array(this.layout.words * 65536);
      this.used = 0;
    }
    const r = this.cur;
    let i = this.used;
    r[i++] = t % 2 ** 32;
    r[i++] = Math.floor(t / 2 ** 32);
    let clocks = 0;
    this.sim.clocks.forEach((c, k) => (clocks |= c.level << k));
    r[i++] = clocks;
    for (const [o, n] of this.slots) for (let k = 0; k < n; k++) r[i++] = S[o + k]!;
    this.used = i;
    this.samples++;
  }

  stop(): void {
    this.sim.removeSampleHook(this.hook);
  }

  /** All records as one buffer: a 4-word header (magic, words per sample, samples, clocks) then the samples. */
  toBuffer(): Buffer {
    const parts = [...this.chunks, this.cur.subarray(0, this.used)];
    const header = new Uint32Array([0x434f5349 /* 'COSI' */, this.layout.words, this.samples, this.layout.clocks.length]);
    return Buffer.concat([header, ...parts].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  }
}
