// The switch: TLPs from every port are routed by the downstream ports' base/limit windows (two cards and a
// JetStream's remote window), everything else goes upstream, writes from upstream that nobody claims are dropped
// and counted; packets arrive intact and in order per path; the port-to-port latency is the parameter.
import { describe, expect, it } from 'vitest';
import { simulate } from '../runtime/index.ts';
import { PcieSwitch, cardWindow, remoteWindow } from '../../rtl/corsair/pcie/switch.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { mulberry32 } from '../sim/random.ts';
import { encodeMemWrite } from './tlp-ref.ts';
import { collectPackets, sendPackets } from './harness.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const windows = [[cardWindow(0)], [cardWindow(1)], [remoteWindow()]];

/** Independent routing rule: which egress (0 = upstream, p + 1 = downstream p) an address goes to. */
function route(addr: bigint): number {
  const p = windows.findIndex((ws) => ws.some((w) => addr >= w.base && addr <= w.limit));
  return p + 1;
}

describe('PcieSwitch', () => {
  it('routes by window, sends the rest upstream, drops and counts unclaimed writes from upstream', async () => {
    const width = 128;
    const r = mulberry32(5);
    const targets = [
      BigInt(PCIE_MAP.CARD_BAR_BASE), BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.CARD_BAR_SIZE) + 0x1234n,
      BigInt(PCIE_MAP.REMOTE_BASE) + (3n << 32n) + 0x100n, 0x8000_0000n, 0x20_0000_0000n,
    ];
    // per ingress port, a list of TLPs
    const sent: Uint8Array[][] = [0, 1, 2, 3].map((i) => Array.from({ length: 12 }, (_, k) => {
      const addr = targets[(r() >>> 0) % targets.length]! + BigInt(((r() >>> 0) % 64) * 4);
      return encodeMemWrite({ addr, data: Uint8Array.from({ length: (r() >>> 0) % 100 }, () => r() & 0xff), requesterId: i, tag: k });
    }));
    await simulate(new PcieSwitch({ width, downstream: windows, latencyNs: 40 }), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      const ports = [dut.up, ...dut.down];
      const got = ports.map((p, i) => collectPackets(tb, p.tx, width, { idle: 0.2, seed: i }));
      const tasks = ports.map((p, i) => tb.fork(() => sendPackets(tb, p.rx, width, sent[i]!, { idle: 0.3, seed: 10 + i })));
      await tb.join(...tasks);
      await tb.cycles(400);
      // expected per egress: in order per ingress (interleaving between ingresses is the arbiter's)
      let dropped = 0;
      for (let e = 0; e < 4; e++) {
        for (let i = 0; i < 4; i++) {
          const want = sent[i]!.filter((t) => {
            const a = t[0] === 0x60 ? (BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE()) << 32n) | BigInt(Buffer.from(t.slice(12, 16)).readUInt32BE()) : BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE());
            return route(a) === e && e !== i;
          });
          const fromI = got[e]!.filter((t) => ((t[4]! << 8) | t[5]!) === i);
          expect(fromI.map(hex), `ingress ${i} -> egress ${e}`).toEqual(want.map(hex));
        }
      }
      for (const t of sent[0]!) {
        const a = t[0] === 0x60 ? (BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE()) << 32n) | BigInt(Buffer.from(t.slice(12, 16)).readUInt32BE()) : BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE());
        if (route(a) === 0) dropped++;
      }
      for (let i = 1; i < 4; i++) for (const t of sent[i]!) {
        const a = t[0] === 0x60 ? (BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE()) << 32n) | BigInt(Buffer.from(t.slice(12, 16)).readUInt32BE()) : BigInt(Buffer.from(t.slice(8, 12)).readUInt32BE());
        if (route(a) === i) dropped++; // would go back out of the port it came in on
      }
      expect(dropped).toBeGreaterThan(0);
      expect(dut.unclaimed.value).toBe(dropped);
    });
  });

  it('latency through the switch is the parameter (650 ns at 1 GHz: 650 cycles + the egress buffer)', async () => {
    await simulate(new PcieSwitch({ width: 512, downstream: windows }), async (tb) => {
      const { dut } = tb;
      await tb.reset();
      const got = collectPackets(tb, dut.down[1]!.tx, 512);
      const t0 = tb.cycle();
      await sendPackets(tb, dut.down[0]!.rx, 512, [encodeMemWrite({ addr: cardWindow(1).base, data: new Uint8Array(4), requesterId: 0, tag: 0 })]);
      await tb.until(() => got.length === 1, { timeoutCycles: 1000 });
      // 1 edge to take the beat, 650 cycles of delay, 1 through the egress buffer, 1 for the monitor to take it
      expect(tb.cycle() - t0).toBe(1 + 650 + 1 + 1);
    });
  });

  it('rejects overlapping or unaligned windows', () => {
    expect(() => new PcieSwitch({ downstream: [[cardWindow(0)], [cardWindow(0)]] })).toThrow(/overlap/);
    expect(() => new PcieSwitch({ downstream: [[{ base: 0x1000n, limit: 0xfffffn }]] })).toThrow(/1 MB/);
  });
});
