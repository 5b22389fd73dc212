// The chiplet bus decoder against a plain address-map model: random accesses (mapped, unmapped, every window)
// must reach exactly the window that owns the address, with the right word address, and complete with that
// window's data; and the DIMC result buffer hands vectors to the core lane by lane, in order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BusDecoder, type BusWindow } from '../../rtl/corsair/system/bus-decoder.ts';
import { DimcResultBuffer, RESULT_REG } from '../../rtl/corsair/dimc/result-buffer.ts';
import { simulate } from '../runtime/index.ts';

const CSR: BusWindow[] = [
  { name: 'mu0', base: 0x4000_0000, size: 0x800 },
  { name: 'rb0', base: 0x4000_0800, size: 0x800 },
  { name: 'dma', base: 0x4001_0000, size: 0x1_0000 },
];
const MEM: BusWindow[] = [{ name: 'stash', base: 0x4800_0000, size: 0x80_0000 }];

describe('BusDecoder', () => {
  it('routes every access to the one window that owns it, and unmapped ones to a fault', async () => {
    const addrs = fc.oneof(
      ...[...CSR, ...MEM].map((w) => fc.integer({ min: 0, max: w.size / 4 - 1 }).map((i) => w.base + 4 * i)),
      fc.integer({ min: 0, max: 0x3fff_ffff }).map((a) => (0x4000_0000 + a * 4) >>> 0),
    );
    const access = fc.record({ addr: addrs, we: fc.boolean(), wdata: fc.nat(), be: fc.integer({ min: 1, max: 15 }), stall: fc.boolean() });
    await fc.assert(fc.asyncProperty(fc.array(access, { minLength: 1, maxLength: 40 }), async (list) => {
      await simulate(new BusDecoder({ csr: CSR, mem: MEM }), async (tb) => {
        const { dut } = tb;
        for (const a of list) {
          dut.cpu.valid.value = 1;
          dut.cpu.we.value = a.we ? 1 : 0;
          dut.cpu.addr.value = a.addr;
          dut.cpu.wdata.value = a.wdata;
          dut.cpu.be.value = a.be;
          CSR.forEach((_, i) => (dut.csr[i]!.rdata.value = 0x1000 + i));
          dut.mem[0]!.ready.value = a.stall ? 0 : 1;
          dut.mem[0]!.rdata.value = 0xabcd;
          await tb.falling();
          const owner = [...CSR, ...MEM].findIndex((w) => a.addr >= w.base && a.addr < w.base + w.size);
          CSR.forEach((w, i) => {
            tb.expectEqual(dut.csr[i]!.en.value, owner === i ? 1 : 0, `csr ${w.name} en for 0x${a.addr.toString(16)}`);
            if (owner === i) {
              tb.expectEqual(dut.csr[i]!.addr.value, ((a.addr - w.base) >>> 2) & ((1 << dut.csr[i]!.addr.width) - 1), 'word address');
              tb.expectEqual(dut.csr[i]!.we.value, a.we ? 1 : 0, 'we');
              tb.expectEqual(dut.csr[i]!.wdata.value, a.wdata, 'wdata');
            }
          });
          const isMem = owner === CSR.length;
          tb.expectEqual(dut.mem[0]!.valid.value, isMem ? 1 : 0, 'mem valid');
          if (isMem) tb.expectEqual(dut.mem[0]!.addr.value, a.addr - MEM[0]!.base, 'mem offset');
          tb.expectEqual(dut.fault.value, owner < 0 ? 1 : 0, 'fault');
          tb.expectEqual(dut.cpu.ready.value, isMem && a.stall ? 0 : 1, 'ready');
          const want = owner < 0 ? 0 : isMem ? 0xabcd : 0x1000 + owner;
          if (!(isMem && a.stall)) tb.expectEqual(dut.cpu.rdata.value, want, 'rdata');
          await tb.rising();
        }
      });
    }), { numRuns: 20 });
  });

  it('rejects overlapping, misaligned and badly sized windows, naming them', () => {
    expect(() => new BusDecoder({ csr: [{ name: 'a', base: 0x1000, size: 0x1000 }, { name: 'b', base: 0x1800, size: 0x800 }] })).toThrow(/'a' and 'b' overlap/);
    expect(() => new BusDecoder({ csr: [{ name: 'a', base: 0x1800, size: 0x1000 }] })).toThrow(/'a' base 0x1800 is not a 32-bit multiple/);
    expect(() => new BusDecoder({ csr: [{ name: 'a', base: 0, size: 24 }] })).toThrow(/'a' size 24 is not a power of two/);
  });
});

describe('DimcResultBuffer', () => {
  it('holds each vector until POP and reads lanes sign-extended, in order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(fc.integer({ min: -(2 ** 21), max: 2 ** 21 - 1 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }), async (vectors) => {
      await simulate(new DimcResultBuffer(4, 22), async (tb) => {
        const { dut } = tb;
        await tb.reset();
        const pack = (v: number[]) => v.reduce((acc, x, i) => acc | ((BigInt(x) & ((1n << 22n) - 1n)) << BigInt(22 * i)), 0n);
        const read = async (addr: number) => {
          dut.csr.en.value = 1;
          dut.csr.we.value = 0;
          dut.csr.addr.value = addr;
          await tb.falling();
          const v = dut.csr.rdata.value | 0;
          dut.csr.en.value = 0;
          return v;
        };
        for (const [k, v] of vectors.entries()) {
          dut.in.valid.value = 1;
          dut.in.data.big = pack(v);
          await tb.falling();
          expect(dut.in.ready.value).toBe(1);
          await tb.rising();
          dut.in.valid.value = 1;
          dut.in.data.big = 0n;
          expect(await read(RESULT_REG.STATUS)).toBe(1);
          expect(dut.in.ready.value, 'a held vector blocks the stream').toBe(0);
          expect(await read(RESULT_REG.COUNT)).toBe(k + 1);
          for (let i = 0; i < 4; i++) expect(await read(RESULT_REG.LANE0 + i), `vector ${k} lane ${i}`).toBe(v[i]);
          dut.in.valid.value = 0;
          dut.csr.en.value = 1;
          dut.csr.we.value = 1;
          dut.csr.addr.value = RESULT_REG.STATUS;
          await tb.rising();
          dut.csr.en.value = 0;
          expect(await read(RESULT_REG.STATUS)).toBe(0);
          await tb.rising();
        }
      });
    }), { numRuns: 15 });
  });
});
