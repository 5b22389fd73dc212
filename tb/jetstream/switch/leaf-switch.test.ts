// The leaf switch under random traffic on every port at once, in both modes: every frame with a known destination
// arrives on its port byte for byte, each (input, output) flow in order, nothing lost under random back-pressure;
// unknown destinations and (store-and-forward) err frames are dropped and counted; in cut-through err frames pass
// with err set. The latency parameter is checked by measuring single frames on an idle switch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LeafSwitch } from '../../../rtl/corsair/jetstream/leaf-switch.ts';
import { simulate } from '../../runtime/index.ts';
import { uniform } from '../../lib/stream-bfm.ts';
import { hex, receivePackets, sendPackets, type Packet } from '../engine/packet-bfm.ts';

const MACS = [0x02_4a_53_00_00_00n, 0x02_4a_53_00_00_01n, 0x02_4a_53_00_00_02n, 0x02_4a_53_00_00_07n];
const UNKNOWN = 0x02_4a_53_00_00_33n;

interface FrameSpec { dst: number; len: number; err: boolean; seed: number }
const frameSpec = fc.record({
  dst: fc.integer({ min: 0, max: MACS.length }), // MACS.length = unknown destination
  len: fc.oneof(fc.integer({ min: 14, max: 80 }), fc.integer({ min: 60, max: 400 })),
  err: fc.integer({ min: 0, max: 9 }).map((x) => x < 2),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});

/** A frame from input `src`, number `k` of that input: DA, SA, EtherType, src, k, then pseudo-random bytes. */
function makeFrame(s: FrameSpec, src: number, k: number): Uint8Array {
  const f = new Uint8Array(Math.max(s.len, 17));
  const da = s.dst < MACS.length ? MACS[s.dst]! : UNKNOWN;
  for (let i = 0; i < 6; i++) f[i] = Number((da >> BigInt(40 - 8 * i)) & 0xffn);
  for (let i = 0; i < 6; i++) f[6 + i] = Number((MACS[src]! >> BigInt(40 - 8 * i)) & 0xffn);
  f[12] = 0x88;
  f[13] = 0xb5;
  f[14] = src;
  f[15] = k >> 8;
  f[16] = k & 0xff;
  let x = s.seed;
  for (let i = 17; i < f.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    f[i] = x >>> 24;
  }
  return f;
}

describe('LeafSwitch', () => {
  for (const mode of ['cut-through', 'store-and-forward'] as const) {
    it(`${mode}: random traffic on 4 ports arrives byte for byte, in order per flow, nothing lost under back-pressure`, async () => {
      let total = 0;
      let contended = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(frameSpec, { minLength: 0, maxLength: 14 }), { minLength: 4, maxLength: 4 }),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.double({ min: 0.2, max: 1, noNaN: true }),
          fc.constantFrom(0, 25),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          async (perPort, pIn, pOut, latencyNs, seed) => {
            const sw = new LeafSwitch({ ports: 4, portMacs: MACS, width: 64, mode, latencyNs, clockPeriodPs: 2560, queueDepthLog2: 7 });
            const sent: Packet[][] = perPort.map((specs, src) => specs.map((s, k) => ({ bytes: makeFrame(s, src, k), err: s.err })));
            // expected at each output: per input, the frames for it in order
            const expected = MACS.map((_, e) => sent.map((fs, src) => fs.filter((f, k) => perPort[src]![k]!.dst === e && (mode === 'cut-through' || !f.err))));
            const count = expected.map((byIn) => byIn.reduce((a, l) => a + l.length, 0));
            const drops = perPort.flat().filter((s) => s.dst === MACS.length || (mode === 'store-and-forward' && s.err)).length;
            await simulate(sw, async (tb) => {
              await tb.reset();
              const results = await Promise.all([
                ...sent.map((fs, i) => sendPackets(tb, tb.dut.in[i]!, fs, { prob: pIn, rand: uniform(seed + i) })),
                ...MACS.map((_, e) => receivePackets(tb, tb.dut.out[e]!, count[e]!, { prob: pOut, rand: uniform(seed + 100 + e) })),
              ]);
              const got = results.slice(4) as Array<Awaited<ReturnType<typeof receivePackets>>>;
              for (let e = 0; e < 4; e++) {
                for (let src = 0; src < 4; src++) {
                  const flow = got[e]!.filter((g) => g.bytes[14] === src);
                  expect(flow.map((g) => hex(g.bytes)), `flow ${src} -> ${e}`).toEqual(expected[e]![src]!.map((f) => hex(f.bytes)));
                  expect(flow.map((g) => g.err), `err flags ${src} -> ${e}`).toEqual(expected[e]![src]!.map((f) => !!f.err));
                }
                if (new Set(got[e]!.map((g) => g.bytes[14])).size > 1) contended++;
              }
              // nothing more comes out
              for (const o of tb.dut.out) o.ready.value = 1;
              for (let c = 0; c < 60; c++) {
                await tb.falling();
                for (const o of tb.dut.out) tb.check(o.valid.value === 0, 'an output offers a frame nobody sent');
                await tb.rising();
              }
              expect(tb.dut.dropped.value).toBe(drops);
              expect(tb.dut.forwarded.value).toBe(perPort.flat().filter((s) => s.dst < MACS.length).length);
              total += count.reduce((a, b) => a + b, 0);
            });
          },
        ),
        { numRuns: 25 },
      );
      expect(total).toBeGreaterThan(200);
      expect(contended).toBeGreaterThan(10);
    });
  }

  it('applies the latency parameter: cut-through first beat to first beat, store-and-forward last beat to first beat', async () => {
    for (const mode of ['cut-through', 'store-and-forward'] as const) {
      for (const latencyNs of [0, 5, 100]) {
        const sw = new LeafSwitch({ ports: 2, portMacs: MACS.slice(0, 2), width: 64, mode, latencyNs, clockPeriodPs: 2560 });
        const cycles = Math.max(2, Math.ceil((latencyNs * 1000) / 2560));
        expect(sw.latencyCycles).toBe(cycles);
        await simulate(sw, async (tb) => {
          await tb.reset();
          const frame = makeFrame({ dst: 1, len: 100, err: false, seed: 5 }, 0, 0);
          let firstIn = 0;
          tb.dut.out[1]!.ready.value = 1;
          const [lastIn, got] = await Promise.all([
            sendPackets(tb, tb.dut.in[0]!, [{ bytes: frame }], { onFirstBeat: (_, c) => (firstIn = c) }),
            receivePackets(tb, tb.dut.out[1]!, 1),
          ]);
          expect(hex(got[0]!.bytes)).toBe(hex(frame));
          const measured = got[0]!.firstCycle - (mode === 'cut-through' ? firstIn : lastIn[0]!);
          expect(measured, `${mode} ${latencyNs} ns`).toBe(cycles);
        });
      }
    }
  });

  it('rejects bad parameters with a message naming the value', () => {
    expect(() => new LeafSwitch({ ports: 1, portMacs: [1n] })).toThrow(/ports must be an integer 2..16, got 1/);
    expect(() => new LeafSwitch({ ports: 2, portMacs: [1n] })).toThrow(/portMacs must list 2 MAC addresses, got 1/);
    expect(() => new LeafSwitch({ ports: 2, portMacs: [1n, 1n] })).toThrow(/duplicate/);
    expect(() => new LeafSwitch({ ports: 2, portMacs: [1n, 2n], mode: 'wormhole' as never })).toThrow(/mode must be/);
    expect(() => new LeafSwitch({ ports: 2, portMacs: [1n, 2n], latencyNs: -1 })).toThrow(/latencyNs must be 0..10000, got -1/);
    expect(() => new LeafSwitch({ ports: 2, portMacs: [1n, 2n], width: 100 })).toThrow(/width must be a multiple of 64 bits, got 100/);
  });
});
