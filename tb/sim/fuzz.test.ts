// Differential fuzzing of the compiled simulator: random circuits (operators of widths 1..130, registers with
// enables and every reset style, memories with sync/async reads, masked writes and both read-during-write modes,
// up to three clock domains with different periods) run on the compiled Simulator and on the BigInt
// ReferenceSim with the same random stimulus; every register, read port, named wire, output and memory word
// must agree after every poke and every clock event. Failures shrink over the circuit description (fast-check
// prints the shrunk description and the first disagreement: step, signal, both values).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClockDomain, Module, elaborate, lit, type Input, type Output, type Sig } from '../../rtl/core/index.ts';
import { circuitArb, runCircuit, type CircuitDesc } from './fuzz.ts';
import { Simulator } from './simulator.ts';
import { ReferenceSim } from './reference.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const runs = (fraction: number) => Math.max(1, Math.ceil(RUNS * fraction));

describe('compiled simulator vs reference interpreter', () => {
  it('random single- and multi-domain circuits agree every step', () => {
    fc.assert(
      fc.property(circuitArb(), fc.nat(), (desc, seed) => {
        runCircuit(desc, { seed, steps: 40 });
      }),
      { numRuns: RUNS },
    );
  });

  it('wide circuits (values up to 300 bits: inline limb code and the loop helpers beyond 256 bits)', () => {
    fc.assert(
      fc.property(circuitArb({ maxWidth: 300, maxNodes: 24 }), fc.nat(), (desc, seed) => {
        runCircuit(desc, { seed, steps: 30 });
      }),
      { numRuns: runs(0.3) },
    );
  });

  it('very wide circuits (300..1100 bits: 512- and 1024-bit datapaths, wide memories with byte masks)', () => {
    fc.assert(
      fc.property(circuitArb({ maxWidth: 1100, maxNodes: 20, maxRegs: 4 }), fc.nat(), (desc, seed) => {
        runCircuit(desc, { seed, steps: 24 });
      }),
      { numRuns: runs(0.2) },
    );
  });

  it('activity tracking: settle split into chunks of 1..4 statements, each run only when an input changed', () => {
    fc.assert(
      fc.property(circuitArb({ maxNodes: 40 }), fc.nat(), fc.integer({ min: 1, max: 4 }), (desc, seed, perChunk) => {
        runCircuit(desc, { seed, steps: 30, statementsPerChunk: perChunk });
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('activity tracking on wide values (up to 1100 bits), fast path and random initial state', () => {
    fc.assert(
      fc.property(circuitArb({ maxWidth: 1100, maxNodes: 20, maxRegs: 4, maxDomains: 1 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 }), (desc, seed, init, perChunk) => {
        runCircuit(desc, { seed, steps: 24, statementsPerChunk: perChunk, randomInit: init, driver: 'runCycles' });
      }),
      { numRuns: runs(0.2) },
    );
  });

  it('random initial state: the reference gets the same state by backdoor; reset registers reach their reset values', () => {
    fc.assert(
      fc.property(circuitArb({ maxNodes: 24 }), fc.nat(), fc.nat(), (desc, seed, init) => {
        runCircuit(desc, { seed, steps: 30, randomInit: init });
      }),
      { numRuns: runs(0.5) },
    );
  });

  it('single-domain circuits clocked with runCycles(1) (the fast path)', () => {
    fc.assert(
      fc.property(circuitArb({ maxDomains: 1, maxNodes: 24 }), fc.nat(), (desc, seed) => {
        runCircuit(desc, { seed, steps: 30, driver: 'runCycles' });
      }),
      { numRuns: runs(0.3) },
    );
  });

  it('large circuits (settle split into chunks, long inlined chains)', () => {
    fc.assert(
      fc.property(circuitArb({ maxNodes: 400, maxRegs: 12, maxMems: 3 }), fc.nat(), (desc, seed) => {
        runCircuit(desc, { seed, steps: 16 });
      }),
      { numRuns: runs(0.05) },
    );
  });

  it('a fixed deep chain of narrow single-use operators (inline depth limit)', () => {
    // 60 nodes, each reading the previous one: exercises MAX_INLINE_DEPTH and chunked settle functions
    const ops = ['add', 'xor', 'not', 'shlk', 'sub', 'srak', 'mul', 'or', 'neg', 'shrk'] as const;
    const desc: CircuitDesc = {
      domains: [{ period: 2, reset: 'sync' }],
      inputs: [{ w: 13, s: true }, { w: 32, s: false }],
      regs: [{ w: 13, s: true, domain: 0, reset: 'default', init: 5n, d: 61, en: undefined, cond: undefined }],
      mems: [],
      nodes: Array.from({ length: 60 }, (_, i) => ({ op: ops[i % ops.length]!, w: i % 3 ? 13 : 32, w2: 7, s: i % 2 === 0, a: 0, b: i % 3, c: 0, k: i, v: 0n })),
      outputs: [62],
    };
    for (let seed = 0; seed < 5; seed++) runCircuit(desc, { seed, steps: 20 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Simulator bugs the fuzzer found, kept as minimal regression tests (all fixed).

/**
 * Was: Simulator.step() ran the edge of each domain rising at one instant completely before the next, so a
 * synchronous read port ('old') of a memory written at the same instant by an earlier domain saw the new word.
 * Fixed by running the edges in phases (sample, write memories, 'new' reads) across all rising domains.
 */
class CrossDomainRam extends Module {
  readonly q: Output;
  constructor() {
    super();
    const a = new ClockDomain('a', { periodPs: 2 });
    const b = new ClockDomain('b', { periodPs: 2 });
    const flag = this.reg(1, { domain: a }); // makes 'a' the first domain of the netlist
    flag.set(lit(1, 1));
    const m = this.memory({ depth: 1, width: 8, readDuringWrite: 'old' });
    m.write(lit(0, 1), lit(0x5a, 8), { domain: a });
    const rd = m.read(lit(0, 1), { domain: b });
    this.q = this.output(8);
    this.q.assign(rd);
  }
}

/** The converse with readDuringWrite 'new': the read runs before the later domain's write. */
class CrossDomainRamNew extends Module {
  readonly q: Output;
  constructor() {
    super();
    const a = new ClockDomain('a', { periodPs: 2 });
    const b = new ClockDomain('b', { periodPs: 2 });
    const m = this.memory({ depth: 1, width: 8, readDuringWrite: 'new' });
    const rd = m.read(lit(0, 1), { domain: a }); // 'a' is the first domain of the netlist
    m.write(lit(0, 1), lit(0x5a, 8), { domain: b });
    this.q = this.output(8);
    this.q.assign(rd);
  }
}

/**
 * Was: a single-use narrow operator node computed inside its reader's expression has no slot value, so peek()
 * returned a stale 0 for it. Fixed by a compiled probe() that computes such nodes on demand.
 */
class InlinedNode extends Module {
  readonly a: Input;
  readonly o: Output;
  readonly sum: Sig;
  constructor() {
    super();
    this.a = this.input(8);
    this.sum = this.a.add(1); // an operator node: not owned, so not named
    this.o = this.output(8);
    this.o.assign(this.sum.xor(lit(0x0f, 8)));
  }
}

/** Run to the first instant at which both domains of a two-domain design rise, on both simulators. */
function firstCommonEdge(nl: ReturnType<typeof elaborate>): { sim: Simulator; ref: ReferenceSim } {
  const sim = new Simulator(nl);
  const ref = new ReferenceSim(nl);
  for (const r of nl.resets.values()) {
    sim.poke(r, 0);
    ref.poke(r, 0n);
  }
  while (!sim.rose[0]) sim.step();
  expect([...sim.rose]).toEqual([1, 1]);
  ref.step(nl.domains.filter((_, i) => sim.rose[i]));
  return { sim, ref };
}

describe('regressions: simulator bugs the fuzzer found', () => {
  it("'new' read port of one domain and a write port of a later domain, rising at the same instant", () => {
    const top = new CrossDomainRamNew();
    const nl = elaborate(top);
    expect(nl.domains.map((d) => d.name)).toEqual(['a', 'b']);
    const { sim, ref } = firstCommonEdge(nl);
    expect(ref.peek(top.q)).toBe(0x5an);
    expect(sim.peek(top.q)).toBe(0x5an); // simulator: 0
  });

  it('peek() of a single-use unnamed operator node', () => {
    const top = new InlinedNode();
    const sim = new Simulator(elaborate(top));
    sim.poke(top.a, 5);
    expect(sim.peek(top.o)).toBe(6n ^ 0x0fn);
    expect(sim.peek(top.sum)).toBe(6n); // simulator: 0
  });

  it("a read port ('old') of one domain and a write port of another, rising at the same instant", () => {
    const top = new CrossDomainRam();
    const nl = elaborate(top);
    expect(nl.domains.map((d) => d.name)).toEqual(['a', 'b']);
    const { sim, ref } = firstCommonEdge(nl);
    // both rose at t=2: the read samples the word from before the write
    expect(ref.peek(top.q)).toBe(0n);
    expect(sim.peek(top.q)).toBe(0n); // simulator: 0x5a
  });
});
