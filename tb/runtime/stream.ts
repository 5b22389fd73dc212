// Testbench components for valid/ready streams: a driver that offers items with random idle cycles, a monitor
// that applies random back-pressure and records every transfer, and an in-order scoreboard. Inputs change just
// after a rising edge; transfers are sampled at the falling edge (what the next rising edge will take).
import type { ClockDomain } from '../../rtl/core/index.ts';
import { mulberry32 } from '../sim/random.ts';
import type { InPort, OutPort } from './ports.ts';
import { TestbenchError } from './errors.ts';
import type { Task, Testbench } from './testbench.ts';

/** The testbench view of a stream the testbench produces into (the DUT's input). */
export interface StreamSource {
  valid: InPort;
  ready: OutPort;
  data: InPort;
}

/** The testbench view of a stream the DUT produces (the DUT's output). */
export interface StreamSink {
  valid: OutPort;
  ready: InPort;
  data: OutPort;
}

export interface StreamTiming {
  /** Probability (0..1) of a cycle without valid (driver) or without ready (monitor). */
  idle?: number;
  seed?: number;
  domain?: ClockDomain;
}

export class StreamDriver {
  private readonly rnd: () => number;
  /** Items accepted by the DUT so far. */
  sent = 0;
  constructor(private readonly tb: Testbench, private readonly port: StreamSource, private readonly timing: StreamTiming = {}) {
    this.rnd = mulberry32(timing.seed ?? 1);
    port.valid.value = 0;
  }

  private chance(): number {
    return (this.rnd() >>> 0) / 2 ** 32;
  }

  /** Offer each item until the DUT takes it; resolves after the last one was accepted. */
  async send(items: Iterable<number | bigint>): Promise<void> {
    const { tb, port } = this;
    const d = this.timing.domain;
    for (const item of items) {
      for (;;) {
        const offer = this.chance() >= (this.timing.idle ?? 0);
        port.valid.value = offer ? 1 : 0;
        if (offer) port.data.value = item;
        await tb.falling(d);
        const taken = offer && port.ready.value === 1;
        await tb.rising(d);
        if (taken) break;
      }
      this.sent++;
    }
    port.valid.value = 0;
  }
}

export class StreamMonitor {
  private readonly rnd: () => number;
  /** Every item transferred, in order. */
  readonly received: bigint[] = [];
  /** Called for each transfer (e.g. a scoreboard's got()). */
  onItem: ((v: bigint) => void) | undefined;
  private task: Task | undefined;
  constructor(private readonly tb: Testbench, private readonly port: StreamSink, private readonly timing: StreamTiming = {}) {
    this.rnd = mulberry32(timing.seed ?? 2);
    port.ready.value = 0;
  }

  /** Start accepting (in a forked task that runs until the test ends). */
  start(): this {
    const { tb, port } = this;
    const d = this.timing.domain;
    this.task ??= tb.fork(async () => {
      for (;;) {
        port.ready.value = (this.rnd() >>> 0) / 2 ** 32 >= (this.timing.idle ?? 0) ? 1 : 0;
        await tb.falling(d);
        if (port.valid.value === 1 && port.ready.value === 1) {
          const v = port.data.big;
          this.received.push(v);
          this.onItem?.(v);
        }
        await tb.rising(d);
      }
    }, 'stream-monitor');
    return this;
  }

  /** Wait until n items have been received (in total). */
  async waitFor(n: number, timeoutCycles = 100_000): Promise<bigint[]> {
    await this.tb.until(() => this.received.length >= n, { timeoutCycles, domain: this.timing.domain });
    return this.received;
  }
}

/** Checks that items arrive in the order expected. Failures name the item index and both values. */
export class Scoreboard {
  private readonly pending: bigint[] = [];
  matched = 0;
  constructor(private readonly tb: Testbench, readonly name = 'scoreboard') {}

  expect(v: number | bigint): void {
    this.pending.push(BigInt(v));
  }

  got(v: number | bigint): void {
    const want = this.pending.shift();
    if (want === undefined) throw new TestbenchError(`${this.name}: unexpected item #${this.matched}: ${v}\n    ${this.tb.where()}`);
    if (want !== BigInt(v)) throw new TestbenchError(`${this.name}: item #${this.matched}: expected ${want}, got ${v}\n    ${this.tb.where()}`);
    this.matched++;
  }

  /** Throws if expected items never arrived. */
  done(): void {
    if (this.pending.length) {
      throw new TestbenchError(`${this.name}: ${this.pending.length} expected items never arrived (next: ${this.pending[0]}); ${this.matched} matched\n    ${this.tb.where()}`);
    }
  }
}
