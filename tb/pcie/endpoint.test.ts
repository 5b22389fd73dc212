// The inbound endpoint against the reference model: random streams of well-formed writes (any alignment, byte
// enables, sizes up to MPS), doorbell writes, writes outside the window or the stash, other TLP types, and
// malformed TLPs (Length disagreeing with the payload, 4 KB crossing, over MPS, bad byte enables, TD/EP, 4DW below
// 4 GB), under random idle cycles and stash back-pressure: the stash, the flag and every counter must match, and a
// malformed TLP never writes a byte.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulate } from '../runtime/index.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { PCIE_EP_REG } from '../../rtl/corsair/pcie/regs.ts';
import { mulberry32 } from '../sim/random.ts';
import { encodeMemRead, encodeMemWrite } from './tlp-ref.ts';
import { EndpointModel } from './endpoint-ref.ts';
import { EndpointTop, csrRead, csrWrite, readRam, sendPackets } from './harness.ts';

const STASH = 1 << 14;
const BASE = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.CARD_BAR_SIZE) + 2n * BigInt(PCIE_MAP.CHIPLET_WINDOW); // card 1, chiplet 2

/** A random TLP: mostly good writes, some doorbells, strays and corruptions. */
const tlpArb = (mps: number) => fc.record({
  kind: fc.constantFrom('write', 'write', 'write', 'bell', 'outside', 'beyond', 'read', 'mangle'),
  off: fc.integer({ min: 0, max: STASH - 1 }),
  len: fc.integer({ min: 0, max: mps }),
  seed: fc.integer(),
  mangle: fc.constantFrom('short', 'long', 'td', 'ep', 'be', 'cross', 'mps', 'low4dw', 'lenfield'),
}).map((r) => {
  const rnd = mulberry32(r.seed);
  const data = Uint8Array.from({ length: 0 }, () => 0);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => rnd() & 0xff);
  const room = Math.min(4096 - (r.off & 0xfff), STASH - r.off, mps - (r.off & 3));
  const len = Math.min(r.len, room);
  const mk = (addr: bigint, n: number) => encodeMemWrite({ addr, data: bytes(n), requesterId: 0x0100, tag: r.seed & 0xff });
  void data;
  switch (r.kind) {
    case 'write': return mk(BASE + BigInt(r.off), len);
    case 'bell': return mk(BASE + BigInt(PCIE_MAP.DOORBELL_OFFSET) + BigInt(r.off & 0xffc), 4 - (r.seed & 3));
    case 'outside': return mk(BASE + BigInt(PCIE_MAP.CHIPLET_WINDOW) + BigInt(r.off), len);
    case 'beyond': return mk(BASE + BigInt(STASH - 8), 16);
    case 'read': return encodeMemRead({ addr: BASE + BigInt(r.off), length: 4, requesterId: 0x100, tag: 1 });
    default: {
      let t = mk(BASE + BigInt(r.off & ~0xfff), Math.max(8, Math.min(len, 64)));
      switch (r.mangle) {
        case 'short': t = t.slice(0, t.length - 4); break;
        case 'long': t = Uint8Array.from([...t, 1, 2, 3, 4]); break;
        case 'td': t[2]! |= 0x80; break;
        case 'ep': t[2]! |= 0x40; break;
        case 'be': t[7] = 0x0f; break; // Last BE 0 on a multi-DW write
        case 'cross': t = mk(BASE + 0xff0n + BigInt(r.off & 0xf000), 32); t[15] = 0xf0; break; // re-aim at a page end
        case 'mps': t = mk(BASE + BigInt(r.off & 0x3000), mps + 4 - (mps + 4 > 4096 ? 8 : 0)); if (mps === 4096) t[11] = 0; break;
        case 'low4dw': t[8] = 0; t[9] = 0; t[10] = 0; t[11] = 0; break;
        case 'lenfield': t[3] = (t[3]! + 1) & 0xff; break;
      }
      return t;
    }
  }
});

describe('PcieEndpoint against the reference model', () => {
  for (const [width, mps] of [[128, 256], [512, 512]] as const) {
    it(`width ${width}, MPS ${mps}: random TLP streams with malformed and stray TLPs`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(tlpArb(mps), { minLength: 1, maxLength: 25 }), fc.constantFrom(0, 0.3), fc.integer(),
        async (tlps, idle, seed) => {
          const model = new EndpointModel({ card: 1, chiplet: 2, stashBytes: STASH, mps });
          const acts = tlps.map((t) => model.apply(t));
          await simulate(new EndpointTop({ width, addrBits: 14, mps, card: 1, chiplet: 2, stashBytes: STASH, stall: true }), async (tb) => {
            const { dut } = tb;
            await tb.reset();
            const rnd = mulberry32(seed);
            tb.fork(async () => { for (;;) { dut.stall!.value = (rnd() >>> 0) / 2 ** 32 < idle ? 1 : 0; await tb.rising(); } });
            await sendPackets(tb, dut.tlp, width, tlps, { idle, seed });
            await tb.until(() => csrRead(dut.csr, PCIE_EP_REG.WRITES) + csrRead(dut.csr, PCIE_EP_REG.MALFORMED) + csrRead(dut.csr, PCIE_EP_REG.UNSUPPORTED) === tlps.length, { timeoutCycles: 20_000 });
            await tb.cycles(3);
            const counts = [PCIE_EP_REG.WRITES, PCIE_EP_REG.BYTES, PCIE_EP_REG.MALFORMED, PCIE_EP_REG.UNSUPPORTED].map((a) => csrRead(dut.csr, a));
            expect(counts, acts.join(",")).toEqual([model.writes, model.bytes, model.malformed, model.unsupported]);
            expect(csrRead(dut.csr, PCIE_EP_REG.STATUS)).toBe(model.go ? 1 : 0);
            expect(dut.irq.value).toBe(model.go ? 1 : 0);
            if (model.go) expect(csrRead(dut.csr, PCIE_EP_REG.FLAG)).toBe(model.flag);
            const got = readRam(tb, tb.top.ram, STASH);
            expect(Buffer.compare(Buffer.from(got), Buffer.from(model.stash))).toBe(0);
            await csrWrite(tb, dut.csr, PCIE_EP_REG.STATUS, 1);
            expect(dut.irq.value).toBe(0);
          });
        }), { numRuns: 12 });
    });
  }

  it('each malformed kind alone is counted and writes nothing', async () => {
    const good = encodeMemWrite({ addr: BASE + 0x100n, data: new Uint8Array(64).fill(0xaa), requesterId: 1, tag: 0 });
    const cases: Array<[string, Uint8Array]> = [
      ['payload short', good.slice(0, good.length - 4)],
      ['payload long', Uint8Array.from([...good, 0, 0, 0, 0])],
      ['4 KB crossing', (() => { const t = encodeMemWrite({ addr: BASE + 0xfe0n, data: new Uint8Array(32).fill(0xaa), requesterId: 1, tag: 0 }); t[15] = 0xf0; return t; })()],
      ['over MPS', encodeMemWrite({ addr: BASE, data: new Uint8Array(260).fill(0xaa), requesterId: 1, tag: 0 })],
      ['bad byte enables', (() => { const t = good.slice(); t[7] = 0xf5; return t; })()],
      ['poisoned', (() => { const t = good.slice(); t[2]! |= 0x40; return t; })()],
    ];
    for (const [what, t] of cases) {
      await simulate(new EndpointTop({ width: 128, addrBits: 14, mps: 256, card: 1, chiplet: 2, stashBytes: STASH }), async (tb) => {
        const { dut } = tb;
        await tb.reset();
        await sendPackets(tb, dut.tlp, 128, [t]);
        await tb.cycles(40);
        expect(csrRead(dut.csr, PCIE_EP_REG.MALFORMED), what).toBe(1);
        expect(csrRead(dut.csr, PCIE_EP_REG.WRITES), what).toBe(0);
        expect(readRam(tb, tb.top.ram, STASH).some((b) => b !== 0), what).toBe(false);
      });
    }
  });
});
