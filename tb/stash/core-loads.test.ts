// The dispatch core with the stash as its data memory (tb/stash/core-stash.ts): random programs of byte, half and
// word stores and signed/unsigned loads at random offsets in the stash, run on the core and on the reference
// model (tb/dispatch/iss.ts, whose bus is a plain byte array) in lockstep, every retirement compared (register
// writes carry the loaded values, stores their data and byte enables).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { simulate } from '../runtime/index.ts';
import { image, imageWords, program } from '../dispatch/harness.ts';
import { RefModel } from '../dispatch/iss.ts';
import { CoreWithStash } from './core-stash.ts';
import { cosimMode, propTimeout, runs } from './cosim-runs.ts';

type Op = { op: 'sb' | 'sh' | 'sw' | 'lb' | 'lbu' | 'lh' | 'lhu' | 'lw'; off: number; value: number };
const SIZE: Record<Op['op'], number> = { sb: 1, lb: 1, lbu: 1, sh: 2, lh: 2, lhu: 2, sw: 4, lw: 4 };
const STASH_BYTES = 1024;

function source(ops: Op[]): string {
  const body = ops.map((o) => o.op.startsWith('s')
    ? `  li t1, ${o.value | 0}\n  ${o.op} t1, ${o.off}(s0)`
    : `  ${o.op} t2, ${o.off}(s0)\n  add s1, s1, t2`).join('\n');
  // s0 = the stash window, moved to the middle so 12-bit offsets reach all of it
  return program(`  li s0, ${A.BUS_STASH + STASH_BYTES / 2}\n  li s1, 0\n${body}\n  la t0, result\n  sw s1, 0(t0)`, 'result: .word 0');
}

async function runLockstep(ops: Op[], readLatency: number): Promise<{ compared: number; loads: number }> {
  const img = image(source(ops));
  const top = new CoreWithStash(imageWords(img, A.ITCM_BASE, 1024), imageWords(img, A.DTCM_BASE, 256), { sizeBytes: STASH_BYTES, banks: 4, wordBytes: 16, readLatency, muPorts: 1 });
  const model = new RefModel({ itcmBytes: 4096, dtcmBytes: 1024 });
  model.load(img);
  const ram = new Uint8Array(STASH_BYTES);
  model.bus = (addr, write, wdata, be) => {
    const a = (addr - A.BUS_STASH) & ~3;
    if (a < 0 || a >= STASH_BYTES) return 0;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (write && (be >> i) & 1) ram[a + i] = (wdata >>> (8 * i)) & 0xff;
      v |= ram[a + i]! << (8 * i);
    }
    return v >>> 0;
  };
  let compared = 0;
  let loads = 0;
  await simulate(top, async (tb) => {
    const t = tb.dut.trace;
    await tb.reset();
    for (let c = 0; c < 20_000; c++) {
      await tb.falling();
      if (t.valid.value) {
        const e = model.step(false);
        const got = { trap: !!t.trap.value, pc: t.pc.value >>> 0, rd: t.rd.value, rdData: t.rdData.value >>> 0, memWe: !!t.memWe.value, memAddr: t.memAddr.value >>> 0, memWdata: t.memWdata.value >>> 0, memBe: t.memBe.value };
        const want = { trap: e.trap, pc: e.pc >>> 0, rd: e.rd, rdData: e.rdData >>> 0, memWe: e.memWe, memAddr: e.memWe ? e.memAddr >>> 0 : got.memAddr, memWdata: e.memWe ? e.memWdata >>> 0 : got.memWdata, memBe: e.memWe ? e.memBe : got.memBe };
        expect(got, `retirement ${compared}`).toEqual(want);
        compared++;
        if ((e.insn & 0x7f) === 0x03 && e.rd === 7) loads++; // the loads from the stash write t2
        if (got.memWe && got.memAddr === A.TOHOST) {
          expect(got.memWdata, 'tohost').toBe(1);
          return;
        }
      }
      await tb.rising();
    }
    throw new Error('the program did not finish');
  });
  return { compared, loads };
}

describe('dispatch core on the stash', () => {
  it('byte, half and word loads and stores, signed and unsigned, agree with the reference model', async () => {
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
          op: fc.constantFrom('sb', 'sh', 'sw', 'lb', 'lbu', 'lh', 'lhu', 'lw', 'sw', 'sb'),
          off: fc.integer({ min: -STASH_BYTES / 2, max: STASH_BYTES / 2 - 4 }),
          value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        }), { minLength: 20, maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        async (raw, lat) => {
          // hot offsets so loads find what stores wrote; aligned to the access size
          const ops = raw.map((o, i) => ({ ...o, off: (i % 3 === 0 ? o.off : o.off % 64) & -SIZE[o.op as Op['op']] })) as Op[];
          const r = await runLockstep(ops, lat);
          expect(r.compared).toBeGreaterThan(ops.length);
          total += r.compared;
        },
      ),
      { numRuns: runs(8), seed: 0xc0de },
    );
    expect(total).toBeGreaterThan(cosimMode ? 200 : 500); // fewer cases under COSIM
  }, propTimeout);

  it('reads what it wrote in every lane and sign (directed)', async () => {
    const ops: Op[] = [];
    for (let off = -16; off < 16; off += 4) ops.push({ op: 'sw', off, value: (0x80f0_7f01 + off * 0x0101_0101) | 0 });
    for (let off = -16; off < 16; off++) for (const op of ['lb', 'lbu'] as const) ops.push({ op, off, value: 0 });
    for (let off = -16; off < 16; off += 2) for (const op of ['lh', 'lhu'] as const) ops.push({ op, off, value: 0 });
    for (let off = -16; off < 16; off += 4) ops.push({ op: 'lw', off, value: 0 });
    const r = await runLockstep(ops, 2);
    expect(r.loads).toBe(32 * 2 + 16 * 2 + 8);
  });
});
