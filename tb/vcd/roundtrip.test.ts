// Property: what VcdWriter dumps from a synthetic Int32Array state, readVcd reads back bit for bit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { VcdWriter, type VcdVar } from './writer.ts';
import { readVcd } from './reader.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-roundtrip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stores a width-bit value into the state the way the simulator does (int32 slot or 32-bit limbs). */
function store(state: Int32Array, v: VcdVar, value: bigint): void {
  const limbs = Math.ceil(v.width / 32);
  for (let k = 0; k < limbs; k++) state[v.slot + k] = Number(BigInt.asIntN(32, value >> BigInt(32 * k)));
}

const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;

const arbVarShape = fc.record({
  scope: fc.array(fc.constantFrom('fifo0', 'core', 'alu', 'u_mac', 'lane3'), { maxLength: 3 }),
  name: fc.constantFrom('count', 'data', 'valid', 'pc', 'acc', 'q'),
  width: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(1, 2, 31, 32, 33, 63, 64, 65, 96, 128)),
  aliasOf: fc.option(fc.nat(), { freq: 5 }), // sometimes a second name for an earlier var (same slot)
});

const arbValue = fc.oneof(
  fc.bigInt({ min: 0n, max: mask(300) }),
  fc.bigInt({ min: 0n, max: 255n }),
  fc.constantFrom(0n, 1n, mask(300), 1n << 31n, 1n << 32n, 1n << 299n),
);

const arbCase = fc.record({
  shapes: fc.array(arbVarShape, { minLength: 1, maxLength: 12 }),
  t0: fc.integer({ min: 0, max: 3 }),
  steps: fc.array(
    fc.record({
      dt: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100_000 })),
      values: fc.array(fc.option(arbValue, { freq: 2 }), { minLength: 12, maxLength: 12 }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
});

describe('VcdWriter -> readVcd round trip', () => {
  it('reads back every value at every sampled time', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(arbCase, async ({ shapes, t0, steps }) => {
        // Vars: unique full names, consecutive slots; aliases reuse an earlier var's slot and width.
        const vars: VcdVar[] = [];
        const seen = new Set<string>();
        let slots = 0;
        shapes.forEach((s, i) => {
          const scope = ['top', ...s.scope];
          const name = `${s.name}_${i}`;
          const full = [...scope, name].join('.');
          if (seen.has(full)) return;
          seen.add(full);
          const target = s.aliasOf !== null && vars.length > 0 ? vars[s.aliasOf % vars.length]! : undefined;
          if (target) {
            vars.push({ scope, name, width: target.width, slot: target.slot });
          } else {
            vars.push({ scope, name, width: s.width, slot: slots });
            slots += Math.ceil(s.width / 32);
          }
        });
        const file = path.join(dir, `case${run++}.vcd`);
        const state = new Int32Array(slots + 1);
        const model = new Map<number, bigint>(); // slot -> current value
        for (const v of vars) model.set(v.slot, 0n);
        const expected: Array<{ t: number; values: bigint[] }> = [];

        const w = new VcdWriter(file, vars);
        let t = t0;
        for (const step of steps) {
          t += step.dt;
          vars.forEach((v, i) => {
            const nv = step.values[i % step.values.length];
            if (nv === null || nv === undefined) return;
            const val = nv & mask(v.width);
            model.set(v.slot, val);
            // Aliases share the slot: keep every var on that slot in step.
            store(state, v, val);
          });
          w.sample(t, state);
          const values = vars.map((v) => model.get(v.slot)!);
          if (expected.length > 0 && expected[expected.length - 1]!.t === t) expected[expected.length - 1] = { t, values };
          else expected.push({ t, values });
        }
        w.close();

        const dump = await readVcd(file);
        expect(dump.timescale).toBe('1 ps');
        expect(dump.endTime).toBe(t);
        expect([...dump.signals.keys()].sort()).toEqual(vars.map((v) => [...v.scope, v.name].join('.')).sort());
        for (const v of vars) expect(dump.signals.get([...v.scope, v.name].join('.'))!.width).toBe(v.width);
        for (const { t: at, values } of expected) {
          vars.forEach((v, i) => {
            const name = [...v.scope, v.name].join('.');
            const got = dump.valueAt(name, at);
            if (got !== values[i]) throw new Error(`${name} @${at}: got 0x${got.toString(16)}, want 0x${values[i]!.toString(16)}`);
          });
        }
        fs.rmSync(file);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips thousands of vars (several generated scan chunks) and wide vars past the unrolled limit', async () => {
    const widths = [1, 5, 32, 33, 600, 17, 64, 1000];
    const vars: VcdVar[] = [];
    let slots = 0;
    for (let i = 0; i < 2500; i++) {
      const width = widths[i % widths.length]!;
      vars.push({ scope: ['top', `u${i % 7}`, `v${i % 3}`], name: `sig${i}`, width, slot: slots });
      slots += Math.ceil(width / 32);
    }
    const file = path.join(dir, 'many.vcd');
    const state = new Int32Array(slots);
    const model = vars.map(() => 0n);
    const history: bigint[][] = [];
    const w = new VcdWriter(file, vars, { bufferBytes: 4096 }); // small buffer: many flushes
    let x = 7;
    for (let c = 0; c < 20; c++) {
      for (let n = 0; n < 300; n++) {
        x = (Math.imul(x, 1103515245) + 12345) | 0;
        const i = (x >>> 8) % vars.length;
        const v = vars[i]!;
        const val = (BigInt(x >>> 0) * 0x9e3779b97f4a7c15n ** BigInt(1 + (c % 5))) & mask(v.width);
        model[i] = val;
        store(state, v, val);
      }
      w.sample(c * 10, state);
      history.push([...model]);
    }
    w.close();
    const dump = await readVcd(file);
    history.forEach((values, c) => {
      vars.forEach((v, i) => {
        const got = dump.valueAt(`top.${v.scope[1]}.${v.scope[2]}.${v.name}`, c * 10);
        if (got !== values[i]) throw new Error(`${v.name} @${c * 10}: got 0x${got.toString(16)}, want 0x${values[i]!.toString(16)}`);
      });
    });
  });

  it('samples at the same time append changes without a new #t; unchanged samples write nothing', async () => {
    const file = path.join(dir, 'same-time.vcd');
    const vars: VcdVar[] = [
      { scope: ['top'], name: 'a', width: 1, slot: 0 },
      { scope: ['top'], name: 'b', width: 4, slot: 1 },
    ];
    const s = new Int32Array(2);
    const w = new VcdWriter(file, vars);
    w.sample(0, s);
    s[0] = 1;
    w.sample(5, s);
    s[1] = 9;
    w.sample(5, s);
    w.sample(6, s); // nothing changed
    w.sample(7, s); // nothing changed: the final time is written by close()
    w.close();
    const body = fs.readFileSync(file, 'utf8').split('$enddefinitions $end\n')[1];
    expect(body).toBe('#0\n$dumpvars\n0!\nb0 "\n$end\n#5\n1!\nb1001 "\n#7\n');
    const dump = await readVcd(file);
    expect(dump.endTime).toBe(7);
    expect(dump.valueAt('top.b', 5)).toBe(9n);
    expect(dump.valueAt('top.b', 4)).toBe(0n);
  });

  it('rejects time going backwards, bad vars, a short state, and sample after close', () => {
    const file = path.join(dir, 'errors.vcd');
    const vars: VcdVar[] = [{ scope: ['top'], name: 'x', width: 40, slot: 2 }];
    const w = new VcdWriter(file, vars);
    expect(() => w.sample(0, new Int32Array(3))).toThrow(/state has 3 int32 slots, vars need 4/);
    w.sample(10, new Int32Array(4));
    expect(() => w.sample(9, new Int32Array(4))).toThrow(/time 9/);
    expect(() => w.sample(10.5, new Int32Array(4))).toThrow(/not an integer/);
    w.close();
    w.close();
    expect(() => w.sample(11, new Int32Array(4))).toThrow(/after close/);
    expect(() => new VcdWriter(file, [{ scope: ['top'], name: 'a b', width: 1, slot: 0 }])).toThrow(/whitespace/);
    expect(() => new VcdWriter(file, [{ scope: ['top'], name: 'a', width: 0, slot: 0 }])).toThrow(/bad width/);
  });
});
