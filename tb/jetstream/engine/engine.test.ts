// The JetStream engine against the framing reference (framing-ref.ts), byte for byte:
//  - transmit: random peer-to-peer writes (remote window, doorbells, TLPs that must not be carried) under random
//    idle cycles and back-pressure -> exactly the reference's frames, in order, and the TX counters;
//  - receive: frames of several source nodes with injected loss, reordering, duplicates, err, bad EtherType, wrong
//    node, short payloads and MAC padding -> exactly the reference's Memory Writes (tb/pcie/tlp-ref.ts encoding),
//    in order, go withheld after a loss, and every counter and status bit;
//  - the register map (reset values, read/write, write-1-to-clear, counters cleared by a write, interrupt).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JetStreamEngine } from '../../../rtl/corsair/jetstream/engine-top.ts';
import { JS_BIT, JS_REG } from '../../../rtl/corsair/jetstream/engine-regs.ts';
import { simulate, type Testbench } from '../../runtime/index.ts';
import { uniform } from '../../lib/stream-bfm.ts';
import { decodeTlp } from '../../pcie/tlp-ref.ts';
import { RxRef, TxRef } from './framing-ref.ts';
import { hex, receivePackets, sendPackets } from './packet-bfm.ts';
import { faultArb, injectFaults, tlpsOf, writeSpec } from './traffic.ts';

const NODES = 4;
const REQ = 0x0208;

export async function csrRead(tb: Testbench<JetStreamEngine>, addr: number): Promise<number> {
  tb.dut.csr.en.value = 1;
  tb.dut.csr.we.value = 0;
  tb.dut.csr.addr.value = addr;
  await tb.falling();
  const v = tb.dut.csr.rdata.value;
  await tb.rising();
  tb.dut.csr.en.value = 0;
  return v >>> 0;
}

export async function csrWrite(tb: Testbench<JetStreamEngine>, addr: number, value: number): Promise<void> {
  tb.dut.csr.en.value = 1;
  tb.dut.csr.we.value = 1;
  tb.dut.csr.addr.value = addr;
  tb.dut.csr.wdata.value = value >>> 0;
  await tb.rising();
  tb.dut.csr.en.value = 0;
  tb.dut.csr.we.value = 0;
}

describe('JetStream engine, transmit', () => {
  it('turns random peer-to-peer writes into the reference frames, byte for byte, under back-pressure', async () => {
    let framesChecked = 0;
    let droppedChecked = 0;
    let goChecked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeSpec(NODES + 1), { minLength: 8, maxLength: 25 }),
        fc.integer({ min: 0, max: NODES - 1 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(256, 512, 1024),
        async (specs, nodeId, pIn, pOut, seed, width) => {
          const tlps = specs.flatMap((s) => tlpsOf(s, 0x0100));
          const ref = new TxRef({ nodeId, nodes: NODES });
          const expected = tlps.map((t) => ref.tlp(t)).filter((f): f is Uint8Array => f !== null);
          await simulate(new JetStreamEngine({ width, nodes: NODES, nodeId }), async (tb) => {
            await tb.reset();
            const rand = uniform(seed);
            const [, got] = await Promise.all([
              sendPackets(tb, tb.dut.txTlp, tlps.map((bytes) => ({ bytes })), { prob: pIn, rand }),
              receivePackets(tb, tb.dut.txFrame, expected.length, { prob: pOut, rand: uniform(seed ^ 0x5a5a), maxCycles: 20_000 }),
            ]);
            expect(got.map((g) => hex(g.bytes))).toEqual(expected.map(hex));
            expect(got.every((g) => !g.err)).toBe(true);
            await tb.cycles(4);
            expect(await csrRead(tb, JS_REG.TX_FRAMES)).toBe(ref.sent);
            expect(await csrRead(tb, JS_REG.TX_DROPPED)).toBe(ref.dropped);
            framesChecked += expected.length;
            droppedChecked += ref.dropped;
            goChecked += expected.filter((f) => f[15] === 1).length;
          });
        },
      ),
      { numRuns: 30, endOnFailure: true },
    );
    expect(framesChecked).toBeGreaterThan(150);
    expect(droppedChecked).toBeGreaterThan(10);
    expect(goChecked).toBeGreaterThan(5);
  });
});

describe('JetStream engine, receive', () => {
  it('delivers in-order frames as the reference Memory Writes and counts loss, reordering, duplicates and bad frames', async () => {
    const seen = { delivered: 0, gaps: 0, late: 0, dropped: 0, goSuppressed: 0, go: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: NODES - 1 }), writeSpec(NODES, 300)), { minLength: 8, maxLength: 30 }),
        fc.array(faultArb(0.25), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(256, 512),
        async (writes, faults, pIn, pOut, seed, width) => {
          const me = 2;
          // frames from several sources to node `me`, each source numbering its own flow
          const senders = new Map<number, TxRef>();
          const frames: Uint8Array[] = [];
          for (const [src, s] of writes) {
            const tx = senders.get(src) ?? new TxRef({ nodeId: src, nodes: NODES });
            senders.set(src, tx);
            for (const t of tlpsOf({ ...s, node: me, kind: s.kind === 'doorbell' ? 'doorbell' : 'remote' }, 0x0100)) {
              const f = tx.tlp(t);
              if (f) frames.push(f);
            }
          }
          const packets = injectFaults(frames, faults);
          const ref = new RxRef({ nodeId: me, nodes: NODES, requesterId: REQ });
          const outcomes = packets.map((p) => ref.frame(p.bytes, p.err));
          const expected = outcomes.flatMap((o) => (o.kind === 'delivered' ? [o.tlp] : []));
          const dut = new JetStreamEngine({ width, nodes: NODES, nodeId: me, requesterId: REQ });
          await simulate(dut, async (tb) => {
            await tb.reset();
            await csrWrite(tb, JS_REG.CTRL, JS_BIT.CTRL_IRQ_ERR);
            let doneAt: number | undefined;
            const [, got] = await Promise.all([
              sendPackets(tb, tb.dut.rxFrame, packets, { prob: pIn, rand: uniform(seed) }).then(() => (doneAt = tb.cycle())),
              // one packet more than expected, stopping once the last frame is in and the engine is idle: extra writes show
              receivePackets(tb, tb.dut.rxTlp, expected.length + 1, {
                prob: pOut, rand: uniform(seed + 1), stop: () => doneAt !== undefined && tb.cycle() > doneAt + 2 && tb.peek(dut.rx.busy) === 0n,
              }),
            ]);
            expect(got.map((g) => hex(g.bytes))).toEqual(expected.map(hex));
            for (const g of got) expect(() => decodeTlp(g.bytes)).not.toThrow();
            await tb.cycles(6);
            const c = ref.count;
            expect({
              delivered: await csrRead(tb, JS_REG.RX_FRAMES),
              gaps: await csrRead(tb, JS_REG.SEQ_GAPS),
              lost: await csrRead(tb, JS_REG.LOST_FRAMES),
              late: await csrRead(tb, JS_REG.LATE_FRAMES),
              dropped: await csrRead(tb, JS_REG.DROPPED),
              goSuppressed: await csrRead(tb, JS_REG.GO_SUPPRESSED),
              go: await csrRead(tb, JS_REG.RX_GO),
            }).toEqual(c);
            const status = await csrRead(tb, JS_REG.STATUS);
            const sticky = (c.gaps ? JS_BIT.STATUS_GAP : 0) | (c.late ? JS_BIT.STATUS_LATE : 0) | (c.dropped ? JS_BIT.STATUS_DROP : 0) |
              (c.go ? JS_BIT.STATUS_GO_RX : 0) | (c.goSuppressed ? JS_BIT.STATUS_GO_SUPPRESSED : 0);
            expect(status).toBe(sticky);
            expect(tb.dut.irq.value).toBe(sticky & JS_BIT.STATUS_ERR_MASK ? 1 : 0);
            for (const k of Object.keys(seen) as Array<keyof typeof seen>) seen[k] += c[k];
          });
        },
      ),
      { numRuns: 30, endOnFailure: true },
    );
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(2);
  });
});

describe('JetStream engine, registers', () => {
  it('reset values, read/write registers, write-1-to-clear status, counters cleared by a write, interrupt enables', async () => {
    await simulate(new JetStreamEngine({ width: 512, nodes: 8, nodeId: 5, requesterId: 0x1234, bufferDepthLog2: 7 }), async (tb) => {
      await tb.reset();
      expect(await csrRead(tb, JS_REG.NODE_ID)).toBe(5);
      expect(await csrRead(tb, JS_REG.REQUESTER_ID)).toBe(0x1234);
      expect(await csrRead(tb, JS_REG.CONFIG)).toBe(8 | (64 << 8) | (7 << 16) | (1 << 24));
      expect(await csrRead(tb, JS_REG.STATUS)).toBe(0);
      await csrWrite(tb, JS_REG.NODE_ID, 0x1ff);
      expect(await csrRead(tb, JS_REG.NODE_ID)).toBe(0xff);
      await csrWrite(tb, JS_REG.REQUESTER_ID, 0xabcdef);
      expect(await csrRead(tb, JS_REG.REQUESTER_ID)).toBe(0xcdef);
      await csrWrite(tb, JS_REG.NODE_ID, 5);
      // a frame with a bad EtherType: DROPPED counts, STATUS.DROP is set, the irq follows CTRL
      const tx = new TxRef({ nodeId: 1, nodes: 8 });
      const f = tx.tlp(tlpsOf({ kind: 'remote', node: 5, card: 1, chiplet: 0, at: 64, length: 40, seed: 9, tc: 0 }, 0x100)[0]!)!;
      const bad = f.slice();
      bad[12] = 0x08;
      await sendPackets(tb, tb.dut.rxFrame, [{ bytes: bad }]);
      await tb.cycles(3);
      expect(await csrRead(tb, JS_REG.DROPPED)).toBe(1);
      expect(await csrRead(tb, JS_REG.STATUS)).toBe(JS_BIT.STATUS_DROP);
      expect(tb.dut.irq.value).toBe(0);
      await csrWrite(tb, JS_REG.CTRL, JS_BIT.CTRL_IRQ_ERR);
      await tb.falling();
      expect(tb.dut.irq.value).toBe(1);
      await csrWrite(tb, JS_REG.STATUS, JS_BIT.STATUS_GAP); // another bit: no effect
      expect(await csrRead(tb, JS_REG.STATUS)).toBe(JS_BIT.STATUS_DROP);
      await csrWrite(tb, JS_REG.STATUS, JS_BIT.STATUS_DROP);
      expect(await csrRead(tb, JS_REG.STATUS)).toBe(0);
      expect(tb.dut.irq.value).toBe(0);
      await csrWrite(tb, JS_REG.DROPPED, 0);
      expect(await csrRead(tb, JS_REG.DROPPED)).toBe(0);
      // a good frame: delivered, RX_BUSY while it goes through
      tb.dut.rxTlp.ready.value = 1;
      await sendPackets(tb, tb.dut.rxFrame, [{ bytes: f }]);
      expect((await csrRead(tb, JS_REG.STATUS)) & JS_BIT.STATUS_RX_BUSY).toBe(JS_BIT.STATUS_RX_BUSY);
      await tb.cycles(10);
      expect(await csrRead(tb, JS_REG.RX_FRAMES)).toBe(1);
      expect(await csrRead(tb, JS_REG.STATUS)).toBe(0);
      expect(await csrRead(tb, JS_REG.CTRL)).toBe(JS_BIT.CTRL_IRQ_ERR);
    });
  });

  it('rejects bad parameters with a message naming the value', () => {
    expect(() => new JetStreamEngine({ width: 128 })).toThrow(/width must be 256, 512 or 1024 bits, got 128/);
    expect(() => new JetStreamEngine({ nodes: 200 })).toThrow(/nodes must be an integer 1..128, got 200/);
    expect(() => new JetStreamEngine({ nodes: 4, nodeId: 4 })).toThrow(/nodeId must be an integer 0..nodes-1 \(3\), got 4/);
    expect(() => new JetStreamEngine({ width: 256, bufferDepthLog2: 7 })).toThrow(/2\^bufferDepthLog2 >= 129 beats/);
  });
});
