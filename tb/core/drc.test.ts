// Design-rule checks: each error is provoked on purpose; the message must name the problem and the file:line of
// the TypeScript that made it, and all errors of a design are reported together.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClockDomain, ElaborationError, Module, U, elaborate, mux, when, type Finding } from '../../rtl/core/index.ts';

const FILE = 'tb/core/drc.test.ts';

/** The line in this file that contains `marker` (so tests don't hard-code line numbers). */
function lineOf(marker: string): number {
  const src = readFileSync(new URL(import.meta.url), 'utf8');
  const i = src.split('\n').findIndex((l) => l.includes(marker) && !l.includes('lineOf('));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

function findings(top: Module): Finding[] {
  try {
    elaborate(top);
  } catch (e) {
    expect(e).toBeInstanceOf(ElaborationError);
    return [...(e as ElaborationError).findings];
  }
  throw new Error('expected an ElaborationError');
}

function expectFinding(fs: Finding[], rule: string, text: RegExp, marker: string): Finding {
  const f = fs.find((x) => x.rule === rule && text.test(x.message));
  expect(f, `no ${rule} finding matching ${text} in:\n${fs.map((x) => x.message).join('\n')}`).toBeDefined();
  expect(`${f!.loc.file}:${f!.loc.line}`).toBe(`${FILE}:${lineOf(marker)}`);
  return f!;
}

describe('design-rule checks', () => {
  it('reports a width mismatch of an operator at the line that made it', () => {
    class M extends Module {
      a = this.input(8);
      b = this.input(9);
      y = this.output(8);
      constructor() {
        super();
        this.y.assign(this.a.add(this.b)); // @width-op
      }
    }
    expectFinding(findings(new M()), 'width', /add: operand widths differ .*u8.*u9/, '@width-op');
  });

  it('reports a width mismatch of an assignment', () => {
    class M extends Module {
      a = this.input(8);
      y = this.output(4);
      constructor() {
        super();
        this.y.assign(this.a); // @width-assign
      }
    }
    expectFinding(findings(new M()), 'width', /assigning .*u8.* to 'y' \(u4\)/, '@width-assign');
  });

  it('reports a constant out of range', () => {
    class M extends Module {
      y = this.output(8);
      constructor() {
        super();
        this.y.assign(U(300, 8)); // @const
      }
    }
    expectFinding(findings(new M()), 'constant', /300 does not fit in unsigned 8 bits/, '@const');
  });

  it('reports a literal operand that does not fit the other operand', () => {
    class M extends Module {
      a = this.input(4);
      y = this.output(4);
      constructor() {
        super();
        this.y.assign(this.a.add(16)); // @lit
      }
    }
    expectFinding(findings(new M()), 'constant', /16 does not fit in unsigned 4 bits/, '@lit');
  });

  it('reports a combinational loop with its path', () => {
    class M extends Module {
      a = this.input(1);
      y = this.output(1);
      constructor() {
        super();
        const p = this.wire(1); // @loop-p
        const q = this.wire(1); // @loop-q
        p.assign(q.xor(this.a));
        q.assign(p.not());
        this.y.assign(q);
      }
    }
    const f = findings(new M()).find((x) => x.rule === 'comb-loop')!;
    expect(f.message).toMatch(/combinational loop/);
    expect(f.message).toContain(`p (${FILE}:${lineOf('@loop-p')})`);
    expect(f.message).toContain(`q (${FILE}:${lineOf('@loop-q')})`);
  });

  it('reports two drivers and names both places', () => {
    class M extends Module {
      a = this.input(1);
      y = this.output(1);
      constructor() {
        super();
        this.y.assign(this.a); // @drv1
        this.y.assign(this.a.not()); // @drv2
      }
    }
    const f = expectFinding(findings(new M()), 'multiple-drivers', /'m\.y' has more than one driver/, '@drv2');
    expect(f.message).toContain(`${FILE}:${lineOf('@drv1')}`);
    expect(f.message).toContain(`${FILE}:${lineOf('@drv2')}`);
  });

  it('reports an undriven output and an undriven wire', () => {
    class M extends Module {
      y = this.output(1); // @undriven-out
      z = this.output(1);
      constructor() {
        super();
        const w = this.wire(1); // @undriven-wire
        this.z.assign(w);
      }
    }
    const fs = findings(new M());
    expectFinding(fs, 'undriven', /output 'm\.y' is never driven/, '@undriven-out');
    expectFinding(fs, 'undriven', /wire 'm\.w' is never driven/, '@undriven-wire');
  });

  it('reports a latch: a conditional assignment without a default', () => {
    class M extends Module {
      c = this.input(1);
      y = this.output(1);
      constructor() {
        super();
        when(this.c, () => this.y.set(1)); // @latch
      }
    }
    expectFinding(findings(new M()), 'latch', /set under a condition but has no default/, '@latch');
  });

  it('accepts a conditional assignment with a default', () => {
    class M extends Module {
      c = this.input(1);
      y = this.output(2);
      constructor() {
        super();
        this.y.set(0);
        when(this.c, () => this.y.set(1)).otherwise(() => this.y.set(2));
      }
    }
    expect(() => elaborate(new M())).not.toThrow();
  });

  it('reports duplicate names', () => {
    class M extends Module {
      a = this.input(1, { name: 'x' }); // @dup1
      b = this.output(1, { name: 'x' }); // @dup2
      constructor() {
        super();
        this.b.assign(this.a);
      }
    }
    expectFinding(findings(new M()), 'name', /duplicate name 'x'/, '@dup2');
  });

  it('reports reading a signal of another module that is not a port', () => {
    class Inner extends Module {
      o = this.output(1);
      secret: ReturnType<Inner['makeSecret']>;
      constructor() {
        super();
        this.secret = this.makeSecret();
        this.o.assign(this.secret);
      }
      makeSecret() {
        const r = this.reg(1);
        r.set(r.not());
        return r;
      }
    }
    class Outer extends Module {
      inner = new Inner();
      y = this.output(1);
      constructor() {
        super();
        this.y.assign(this.inner.secret.not()); // @hier
      }
    }
    expectFinding(findings(new Outer()), 'hierarchy', /outer reads 'secret' of 'outer\.inner', which is not a port/, '@hier');
  });

  it('collects every error of a design into one report', () => {
    class M extends Module {
      a = this.input(8);
      y = this.output(4);
      z = this.output(8);
      constructor() {
        super();
        this.y.assign(this.a); // @many1
        this.z.assign(mux(this.a, this.a, this.a)); // @many2
      }
    }
    try {
      elaborate(new M());
      expect.unreachable();
    } catch (e) {
      const err = e as ElaborationError;
      expect(err.findings.filter((f) => f.severity === 'error').length).toBeGreaterThanOrEqual(2);
      expect(err.message).toContain(`${FILE}:${lineOf('@many1')}`);
      expect(err.message).toContain(`${FILE}:${lineOf('@many2')}`);
      expect(err.message).toMatch(/^\d+ design-rule errors:/);
    }
  });

  it('warns when a register reads another clock domain without a synchronizer', () => {
    const fast = new ClockDomain('fast', { periodPs: 1000 });
    const slow = new ClockDomain('slow', { periodPs: 3000 });
    class M extends Module {
      y = this.output(1);
      constructor() {
        super();
        const a = this.reg(1, { domain: fast });
        a.set(a.not());
        const b = this.reg(1, { domain: slow }); // @cdc
        b.set(a);
        const s1 = this.reg(1, { domain: slow, cdc: true });
        s1.set(a);
        const s2 = this.reg(1, { domain: slow });
        s2.set(s1);
        this.y.assign(b.xor(s2));
      }
    }
    const nl = elaborate(new M());
    expect(nl.warnings).toHaveLength(1);
    const w = nl.warnings[0]!;
    expect(w.rule).toBe('cdc');
    expect(w.message).toMatch(/register 'b' \(domain slow\) reads state of domain fast without a synchronizer/);
    expect(`${w.loc.file}:${w.loc.line}`).toBe(`${FILE}:${lineOf('@cdc')}`);
  });

  it('warns when a memory port takes its address or data from another domain', () => {
    const a = new ClockDomain('a', { periodPs: 1000 });
    const b = new ClockDomain('b', { periodPs: 1300 });
    class M extends Module {
      q = this.output(8);
      constructor() {
        super();
        const addrA = this.reg(4, { domain: a });
        addrA.set(addrA.add(1));
        const dataB = this.reg(8, { domain: b });
        dataB.set(dataB.add(3));
        const mem = this.memory({ depth: 16, width: 8 });
        mem.write(addrA, dataB, { domain: a }); // @cdc-mem-w
        this.q.assign(mem.read(addrA, { domain: b })); // @cdc-mem-r
      }
    }
    const ws = elaborate(new M()).warnings;
    expect(ws.map((w) => w.rule)).toEqual(['cdc', 'cdc']);
    expect(ws[0]!.message).toMatch(/memory 'mem': a write port in domain a takes address\/data\/enable from domain b/);
    expect(`${ws[0]!.loc.file}:${ws[0]!.loc.line}`).toBe(`${FILE}:${lineOf('@cdc-mem-w')}`);
    expect(ws[1]!.message).toMatch(/read port .* in domain b takes its address\/enable from domain a/);
    expect(`${ws[1]!.loc.file}:${ws[1]!.loc.line}`).toBe(`${FILE}:${lineOf('@cdc-mem-r')}`);
  });
});
