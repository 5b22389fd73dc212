// The testbench runtime: cocotb-style async testbenches, typed. Tasks `await` clock edges, cycle counts, delays or
// conditions; the simulator advances only when every task is waiting. fork() starts concurrent tasks; if any task
// fails, all are cancelled and the failure (with simulated time and cycle) is what the test reports.
import type { ClockDomain, Module, Netlist, Sig } from '../../rtl/core/index.ts';
import { elaborate } from '../../rtl/core/index.ts';
import { Simulator, type SimOptions } from '../sim/simulator.ts';
import { portView, type PortView } from './ports.ts';
import { TestbenchError, TimeoutError } from './errors.ts';
import { attachWaves, type WaveOptions, type Waves } from './waves.ts';

type WaiterKind = 'rise' | 'fall' | 'time' | 'cond';

interface Waiter {
  kind: WaiterKind;
  /** Domain index, or -1 for "any domain" (cond). */
  domain: number;
  count: number;
  deadline: number;
  pred?: () => boolean;
  timeoutCycles: number;
  what: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface TestbenchOptions extends SimOptions {
  /** Write a VCD (and .gtkw) of the run: a file name under waves/, a path, or true for waves/<top>.vcd. */
  vcd?: string | boolean;
  /** Which signals to dump (default all). */
  vcdScope?: WaveOptions['scope'];
}

export interface UntilOptions {
  /** Give up after this many cycles of the domain (default 10,000). */
  timeoutCycles?: number;
  domain?: ClockDomain;
}

/**
 * Extensions that watch every testbench (co-simulation registers here when COSIM is set): `created` runs when a
 * testbench is built, `passed` after its main task finished without failure (and may throw to fail the test).
 */
export const testbenchHooks: {
  created: Array<(tb: Testbench) => void>;
  passed: Array<(tb: Testbench) => Promise<void> | void>;
} = { created: [], passed: [] };

/** A forked task: join() waits for it and rethrows its failure. */
export interface Task {
  readonly name: string;
  join(): Promise<void>;
  readonly done: boolean;
}

export class Testbench<M extends Module = Module> {
  readonly netlist: Netlist;
  readonly sim: Simulator;
  readonly dut: PortView<M>;
  readonly waves: Waves | undefined;
  private waiters: Waiter[] = [];
  private scheduled = false;
  private failure: unknown = undefined;
  private failed = false;
  private finished = false;
  private taskCount = 0;

  constructor(readonly top: M, opts: TestbenchOptions = {}) {
    this.netlist = elaborate(top);
    this.sim = new Simulator(this.netlist, opts);
    this.dut = portView(this.sim, top);
    if (opts.vcd) this.waves = attachWaves(this.sim, { file: opts.vcd === true ? undefined : opts.vcd, scope: opts.vcdScope });
    this.options = opts;
    for (const h of testbenchHooks.created) h(this as unknown as Testbench);
  }

  /** The options this testbench was made with. */
  readonly options: TestbenchOptions;

  // ------------------------------------------------------------------------------------------------------------
  // Time

  /** Simulated time in picoseconds. */
  get time(): number {
    return this.sim.time;
  }

  /** Rising edges so far of a domain (default the first). */
  cycle(domain?: ClockDomain): number {
    return this.sim.clocks[this.domainIndex(domain)]!.cycles;
  }

  /** "t=1234 ps, cycle 12 of clk" */
  where(): string {
    const clocks = this.sim.clocks.map((c) => `cycle ${c.cycles} of ${c.name}`).join(', ');
    return `at t=${this.sim.time} ps (${clocks})`;
  }

  private domainIndex(d: ClockDomain | undefined): number {
    if (!d) return 0;
    const i = this.netlist.domains.indexOf(d);
    if (i < 0) throw new TestbenchError(`clock domain '${d.name}' is not used by the design (domains: ${this.netlist.domains.map((x) => x.name).join(', ')})`);
    return i;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Triggers

  private wait(w: Omit<Waiter, 'resolve' | 'reject'>): Promise<void> {
    if (this.failed) return Promise.reject(this.failure);
    if (this.finished) return new Promise(() => {}); // the test is over: background tasks stop here
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ ...w, resolve, reject });
      this.schedule();
    });
  }

  /** The next rising edge of a domain's clock (default the first domain). Values read after it are post-edge. */
  rising(domain?: ClockDomain): Promise<void> {
    return this.wait({ kind: 'rise', domain: this.domainIndex(domain), count: 1, deadline: 0, timeoutCycles: 0, what: 'rising edge' });
  }

  /** The next falling edge: the middle of the cycle, where monitors sample what the next rising edge will take. */
  falling(domain?: ClockDomain): Promise<void> {
    return this.wait({ kind: 'fall', domain: this.domainIndex(domain), count: 1, deadline: 0, timeoutCycles: 0, what: 'falling edge' });
  }

  /** n rising edges. */
  cycles(n: number, domain?: ClockDomain): Promise<void> {
    if (!Number.isInteger(n) || n < 0) throw new TestbenchError(`cycles(${n}): need a non-negative integer`);
    if (n === 0) return Promise.resolve();
    return this.wait({ kind: 'rise', domain: this.domainIndex(domain), count: n, deadline: 0, timeoutCycles: 0, what: `${n} cycles` });
  }

  /** A delay in picoseconds (inputs poked after it change between edges). */
  delay(ps: number): Promise<void> {
    if (!(ps >= 0)) throw new TestbenchError(`delay(${ps}): need a non-negative number of ps`);
    return this.wait({ kind: 'time', domain: -1, count: 0, deadline: this.sim.time + ps, timeoutCycles: 0, what: `${ps} ps` });
  }

  /**
   * Wait until `pred()` holds after a rising edge of the domain (checked now first); rejects with a TimeoutError
   * after `timeoutCycles` cycles.
   */
  until(pred: () => boolean, opts: UntilOptions = {}): Promise<void> {
    if (pred()) return Promise.resolve();
    const timeoutCycles = opts.timeoutCycles ?? 10_000;
    return this.wait({ kind: 'cond', domain: this.domainIndex(opts.domain), count: 0, deadline: 0, pred, timeoutCycles, what: `condition ${pred.toString().slice(0, 80)}` });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Tasks

  /** Start a concurrent task. If it throws, the whole testbench fails with its error. */
  fork(body: () => Promise<unknown>, name = `task${++this.taskCount}`): Task {
    let done = false;
    const p = (async () => {
      try {
        await body();
      } catch (e) {
        this.fail(e);
        throw e;
      } finally {
        done = true;
      }
    })();
    p.catch(() => {}); // reported through fail()
    return {
      name,
      join: () => p,
      get done() {
        return done;
      },
    };
  }

  /** Wait for all tasks. */
  async join(...tasks: Task[]): Promise<void> {
    await Promise.all(tasks.map((t) => t.join()));
  }

  /** Fail the testbench now with a message that says when. */
  fail(e: unknown): void {
    if (this.failed) return;
    const err = e instanceof Error ? e : new TestbenchError(String(e));
    if (!err.message.includes(' ps (cycle')) err.message += `\n    ${this.where()}`;
    this.failed = true;
    this.failure = err;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(err);
  }

  /** Throw a TestbenchError (with the time) unless cond holds. */
  check(cond: boolean, message: string): void {
    if (!cond) throw new TestbenchError(`check failed: ${message}\n    ${this.where()}`);
  }

  /** Throw unless actual equals expected (numbers and bigints compare by value). */
  expectEqual(actual: number | bigint, expected: number | bigint, what: string): void {
    if (BigInt(actual) !== BigInt(expected)) {
      throw new TestbenchError(`${what}: expected ${expected}, got ${actual}\n    ${this.where()}`);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Convenience

  /** Read any signal of the design (internal ones too), as an unsigned bigint. */
  peek(s: Sig): bigint {
    return this.sim.peek(s);
  }

  /** Assert every domain's reset for `cycles` rising edges of each, then release it. */
  async reset(cycles = 2): Promise<void> {
    for (const r of this.netlist.resets.values()) this.sim.poke(r, 1);
    const start = this.sim.clocks.map((c) => c.cycles);
    const all = () => this.sim.clocks.every((c, i) => c.cycles - start[i]! >= cycles);
    await this.wait({ kind: 'cond', domain: -1, count: 0, deadline: 0, pred: all, timeoutCycles: Infinity, what: 'reset' });
    for (const r of this.netlist.resets.values()) this.sim.poke(r, 0);
  }

  /** Run the main task `body` to completion; background tasks still waiting are cancelled. */
  async run(body: (tb: this) => Promise<unknown>): Promise<void> {
    try {
      const main = this.fork(() => body(this), 'main');
      await main.join();
      if (this.failed) throw this.failure;
    } finally {
      this.finished = true;
      this.waiters = [];
      this.waves?.close(this.sim.time);
    }
    for (const h of testbenchHooks.passed) await h(this as unknown as Testbench);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Scheduler: runs after all tasks woken at this time have run (setImmediate comes after the microtasks).

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.advance();
      } catch (e) {
        this.fail(e);
      }
    });
  }

  private advance(): void {
    if (this.failed || this.finished) return;
    const sim = this.sim;
    for (;;) {
      if (this.waiters.length === 0) return;
      // fast path: everybody waits for rising edges of the only clock
      if (sim.clocks.length === 1 && sim.sampleHooks.length === 0 && this.waiters.every((w) => w.kind === 'rise')) {
        let n = Infinity;
        for (const w of this.waiters) n = Math.min(n, w.count);
        if (n > 1) {
          sim.runCycles(n - 1);
          for (const w of this.waiters) w.count -= n - 1;
        }
      }
      let deadline = Infinity;
      for (const w of this.waiters) if (w.kind === 'time') deadline = Math.min(deadline, w.deadline);
      sim.step(deadline);
      const still: Waiter[] = [];
      const woken: Waiter[] = [];
      for (const w of this.waiters) {
        let fire = false;
        switch (w.kind) {
          case 'rise':
            if (sim.rose[w.domain] && --w.count === 0) fire = true;
            break;
          case 'fall':
            if (sim.fell[w.domain] && --w.count === 0) fire = true;
            break;
          case 'time':
            fire = sim.time >= w.deadline;
            break;
          case 'cond': {
            const edge = w.domain < 0 ? sim.rose.some((x) => x === 1) : sim.rose[w.domain] === 1;
            if (!edge) break;
            let ok: boolean;
            try {
              ok = w.pred!();
            } catch (e) {
              w.reject(e);
              continue;
            }
            if (ok) fire = true;
            else if (w.domain >= 0 && ++w.count >= w.timeoutCycles) {
              w.reject(new TimeoutError(`timed out after ${w.timeoutCycles} cycles waiting for ${w.what}\n    ${this.where()}`));
              continue;
            }
            break;
          }
        }
        (fire ? woken : still).push(w);
      }
      this.waiters = still;
      if (woken.length) {
        for (const w of woken) w.resolve();
        // the woken tasks run now (microtasks); advance again once they all wait
        this.schedule();
        return;
      }
    }
  }
}

/** Elaborate `top`, run `body` as a testbench on it, and close the waveform. The usual way to write a test. */
export async function simulate<M extends Module>(top: M, body: (tb: Testbench<M>) => Promise<unknown>, opts: TestbenchOptions = {}): Promise<Testbench<M>> {
  const tb = new Testbench(top, opts);
  await tb.run(body);
  return tb;
}
