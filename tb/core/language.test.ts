// The language end to end on small designs: bundles and connect(), hierarchy, FSMs, memories (read-during-write,
// masks, initial contents), resets, several clock domains. Expected values come from plain arithmetic in the test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ClockDomain, In, Module, Out, U, cat, connect, elaborate, flip, select, when, withDomain, type BundleSpec,
} from '../../rtl/core/index.ts';
import { Simulator, simulate } from '../runtime/index.ts';

const Req = (w: number) => ({ valid: Out(1), ready: In(1), data: Out(w) }) satisfies BundleSpec;

/** Adds a constant to each item passing through (combinational). */
class AddK extends Module {
  in = this.port(flip(Req(8)));
  out = this.port(Req(8));
  constructor(k: number) {
    super();
    connect(this.in, this.out);
    this.out.data.assign(this.in.data.add(k)); // overrides nothing: connect() drove data already -> see below
  }
}

describe('bundles and hierarchy', () => {
  it('connect() rejects a second driver of a field it drove (multiple drivers)', () => {
    expect(() => elaborate(new AddK(1))).toThrow(/more than one driver/);
  });

  it('chains two instances of one class with connect() and keeps their names', async () => {
    class Plus extends Module {
      in = this.port(flip(Req(8)));
      out = this.port(Req(8));
      constructor(k: number) {
        super();
        this.out.valid.assign(this.in.valid);
        this.in.ready.assign(this.out.ready);
        this.out.data.assign(this.in.data.add(k));
      }
    }
    class Chain extends Module {
      in = this.port(flip(Req(8)));
      out = this.port(Req(8));
      first = new Plus(3);
      constructor() {
        super();
        const second = new Plus(5); // held only in a local variable: adopted, named after it
        connect(this.in, this.first.in);
        connect(this.first.out, second.in);
        connect(second.out, this.out);
      }
    }
    const top = new Chain();
    const nl = elaborate(top);
    expect(nl.instances.map((i) => i.path)).toEqual(['chain', 'chain.first', 'chain.second']);
    expect(nl.top.ports.map((p) => p.name)).toEqual(['in_valid', 'in_ready', 'in_data', 'out_valid', 'out_ready', 'out_data']);
    await simulate(top, async (tb) => {
      const { dut } = tb;
      dut.in.valid.value = 1;
      dut.out.ready.value = 1;
      for (const x of [0, 1, 100, 247, 255]) {
        dut.in.data.value = x;
        expect(dut.out.data.value).toBe((x + 8) & 255);
        expect(dut.in.ready.value).toBe(1);
        expect(dut.out.valid.value).toBe(1);
      }
    });
  });
});

describe('state machines', () => {
  it('walks its named states', async () => {
    class Blink extends Module {
      go = this.input(1);
      busy = this.output(1);
      state = this.fsm(['IDLE', 'RUN', 'DONE'] as const);
      constructor() {
        super();
        const n = this.reg(2);
        this.busy.assign(this.state.is('RUN'));
        this.state.on({
          IDLE: () => when(this.go, () => { this.state.goto('RUN'); n.set(0); }),
          RUN: () => { n.set(n.add(1)); when(n.eq(2), () => this.state.goto('DONE')); },
          DONE: () => this.state.goto('IDLE'),
        });
      }
    }
    const top = new Blink();
    await simulate(top, async (tb) => {
      await tb.reset();
      const trace: string[] = [];
      tb.dut.go.value = 1;
      for (let i = 0; i < 7; i++) {
        await tb.rising();
        trace.push(top.state.states[Number(tb.peek(top.state.state))]!);
        tb.dut.go.value = 0;
      }
      expect(trace).toEqual(['RUN', 'RUN', 'RUN', 'DONE', 'IDLE', 'IDLE', 'IDLE']);
    });
  });
});

describe('memories', () => {
  class Ram extends Module {
    we = this.input(1);
    waddr = this.input(4);
    raddr = this.input(4);
    wdata = this.input(32);
    be = this.input(4);
    rold = this.output(32);
    rnew = this.output(32);
    rasync = this.output(32);
    constructor() {
      super();
      const old = this.memory({ depth: 12, width: 32, readDuringWrite: 'old', init: (i) => i * 0x01010101 });
      const neu = this.memory({ depth: 12, width: 32, readDuringWrite: 'new', init: (i) => i * 0x01010101 });
      for (const m of [old, neu]) m.write(this.waddr, this.wdata, { en: this.we, mask: this.be });
      this.rold.assign(old.read(this.raddr));
      this.rnew.assign(neu.read(this.raddr));
      this.rasync.assign(old.readAsync(this.raddr));
    }
  }

  it('matches a model under random traffic: masks, both read-during-write modes, out-of-range addresses', async () => {
    const top = new Ram();
    await simulate(top, async (tb) => {
      const { dut } = tb;
      const model = Array.from({ length: 12 }, (_, i) => (i * 0x01010101) >>> 0);
      const rnd = fc.sample(fc.tuple(fc.boolean(), fc.nat(15), fc.nat(15), fc.nat(0xffffffff), fc.nat(15)), { numRuns: 400, seed: 7 });
      for (const [we, wa, ra, wd, be] of rnd) {
        dut.we.value = we ? 1 : 0;
        dut.waddr.value = wa;
        dut.raddr.value = ra;
        dut.wdata.value = wd;
        dut.be.value = be;
        expect(dut.rasync.value).toBe(ra < 12 ? model[ra] : 0);
        const before = ra < 12 ? model[ra]! : 0;
        if (we && wa < 12) {
          const mask = [0, 1, 2, 3].reduce((m, i) => (be & (1 << i) ? m | (0xff << (8 * i)) : m), 0) >>> 0;
          model[wa] = ((model[wa]! & ~mask) | (wd & mask)) >>> 0;
        }
        const after = ra < 12 ? model[ra]! : 0;
        await tb.rising();
        expect(dut.rold.value).toBe(before);
        expect(dut.rnew.value).toBe(after);
      }
    });
  });

  it('keeps a 6 MB memory in one typed array', () => {
    class Big extends Module {
      a = this.input(23);
      q = this.output(8);
      constructor() {
        super();
        const m = this.memory({ depth: 6 * 1024 * 1024, width: 8 });
        m.write(this.a, this.a.trunc(8));
        this.q.assign(m.read(this.a));
      }
    }
    const before = process.memoryUsage().arrayBuffers;
    const sim = new Simulator(elaborate(new Big()));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(sim.compiled.mems[0]).toBeInstanceOf(Uint8Array);
    expect(sim.compiled.mems[0]!.length).toBe(6 * 1024 * 1024);
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('resets and clock domains', () => {
  it('sync reset waits for an edge, async reset acts at once', async () => {
    class R extends Module {
      s = this.output(8);
      a = this.output(8);
      constructor() {
        super();
        const s = this.reg(8, { init: 7, reset: 'sync' });
        const a = this.reg(8, { init: 9, reset: 'async' });
        s.set(s.add(1));
        a.set(a.add(1));
        this.s.assign(s);
        this.a.assign(a);
      }
    }
    const top = new R();
    await simulate(top, async (tb) => {
      await tb.cycles(3);
      expect([tb.dut.s.value, tb.dut.a.value]).toEqual([3, 3]);
      await tb.falling();
      tb.sim.poke(tb.netlist.resets.values().next().value!, 1);
      expect([tb.dut.s.value, tb.dut.a.value]).toEqual([3, 9]);
      await tb.rising();
      expect([tb.dut.s.value, tb.dut.a.value]).toEqual([7, 9]);
    });
  });

  it('runs two clocks at their own periods, edges ordered on one time axis', async () => {
    const core = new ClockDomain('core', { periodPs: 1000 });
    const mac = new ClockDomain('mac', { periodPs: 2560 });
    class Sub extends Module {
      n = this.output(16);
      constructor() {
        super();
        const n = this.reg(16);
        n.set(n.add(1));
        this.n.assign(n);
      }
    }
    class Two extends Module {
      a = withDomain(core, () => new Sub());
      b = withDomain(mac, () => new Sub());
      na = this.output(16);
      nb = this.output(16);
      constructor() {
        super();
        this.na.assign(this.a.n);
        this.nb.assign(this.b.n);
      }
    }
    const top = new Two();
    await simulate(top, async (tb) => {
      await tb.reset(1);
      const t0 = tb.time;
      const [a0, b0] = [tb.dut.na.value, tb.dut.nb.value];
      await tb.delay(1_000_000 - (t0 % 1000));
      const t = tb.time;
      // edges in (t0, t]: core at multiples of 1000, mac at multiples of 2560
      expect(tb.dut.na.value - a0).toBe(Math.floor(t / 1000) - Math.floor(t0 / 1000));
      expect(tb.dut.nb.value - b0).toBe(Math.floor(t / 2560) - Math.floor(t0 / 2560));
      expect(tb.cycle(mac)).toBe(Math.floor(t / 2560));
    });
  });

  it('random initial state (x-initial) is reproducible by seed and cleared by reset', async () => {
    class W extends Module {
      q = this.output(100);
      constructor() {
        super();
        const r = this.reg(100, { init: 1n });
        r.set(r);
        this.q.assign(r);
      }
    }
    const a = new Simulator(elaborate(new W()), { randomInit: 42 });
    const b = new Simulator(elaborate(new W()), { randomInit: 42 });
    const c = new Simulator(elaborate(new W()), { randomInit: 43 });
    const va = a.peek(a.netlist.outputs[0]!);
    expect(va).toBe(b.peek(b.netlist.outputs[0]!));
    expect(va).not.toBe(c.peek(c.netlist.outputs[0]!));
    expect(va).not.toBe(0n);
    await simulate(new W(), async (tb) => {
      expect(tb.dut.q.big).not.toBe(0n);
      await tb.reset();
      expect(tb.dut.q.big).toBe(1n);
    }, { randomInit: 5 });
  });
});

describe('select and cat', () => {
  it('select picks by index; indexes past the end give the last value', async () => {
    class Sel extends Module {
      i = this.input(3);
      y = this.output(8);
      constructor() {
        super();
        this.y.assign(select(this.i, [U(10, 8), U(11, 8), U(12, 8), U(13, 8), U(14, 8)]));
      }
    }
    await simulate(new Sel(), async ({ dut }) => {
      for (let i = 0; i < 8; i++) {
        dut.i.value = i;
        expect(dut.y.value).toBe(10 + Math.min(i, 4));
      }
    });
  });

  it('cat places the first part at the top', async () => {
    class C extends Module {
      a = this.input(4);
      b = this.input(36);
      y = this.output(40);
      constructor() {
        super();
        this.y.assign(cat(this.a, this.b));
      }
    }
    await simulate(new C(), async ({ dut }) => {
      dut.a.value = 0xa;
      dut.b.big = 0x123456789n;
      expect(dut.y.big).toBe(0xa123456789n);
    });
  });
});
