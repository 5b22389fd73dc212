// Capture tap (behavioural, for tests): watches an Xgmii bundle in a running simulation, one beat per clock at
// the falling edge, decodes the frames crossing it and records each with the simulated time of its start, for
// a pcap file or a scoreboard.
import type { ClockDomain, Sig } from '../../rtl/core/index.ts';
import type { Testbench } from '../runtime/index.ts';
import { writePcap, type PcapRecord } from './pcap.ts';
import { XgmiiDecoder, bitsToBeat, type Beat, type WireFrame } from './xgmii-ref.ts';

export interface CapturedFrame extends WireFrame {
  /** Simulated time (ps) of the beat holding the start character. */
  timePs: number;
}

export class XgmiiTap {
  readonly decoder: XgmiiDecoder;
  /** Every beat seen, when `keepBeats` is set. */
  readonly beats: Beat[] = [];
  private times: number[] = [];
  private stopped = false;

  /** Start watching `bus` (the data and ctrl signals of an Xgmii bundle, clocked by `domain`) from now on. */
  constructor(readonly tb: Testbench, readonly bus: { data: Sig; ctrl: Sig }, opts: { keepBeats?: boolean; domain?: ClockDomain } = {}) {
    const lanes = bus.data.width / 8;
    this.decoder = new XgmiiDecoder(lanes);
    tb.fork(async () => {
      for (;;) {
        await tb.falling(opts.domain);
        if (this.stopped) return;
        const beat = bitsToBeat(tb.peek(bus.data), tb.peek(bus.ctrl), lanes);
        this.times.push(tb.time);
        if (opts.keepBeats) this.beats.push(beat);
        this.decoder.push(beat);
      }
    }, 'xgmii-tap');
  }

  /** Stop recording. */
  stop(): void {
    this.stopped = true;
  }

  /** Frames seen so far, with their start times. */
  get frames(): CapturedFrame[] {
    return this.decoder.frames.map((f) => ({ ...f, timePs: this.times[f.startBeat]! }));
  }

  /** The frames as pcap records (FCS kept). */
  records(): PcapRecord[] {
    return this.frames.map((f) => ({ timePs: f.timePs, bytes: f.bytes }));
  }

  /** Write the frames seen to a pcap file. */
  writePcap(path: string): void {
    writePcap(path, this.records());
  }
}
