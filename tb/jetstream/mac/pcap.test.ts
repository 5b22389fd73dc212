// Wire capture: frames seen by the capture tap written to pcap (FCS kept) and decoded by tshark, which checks
// every FCS independently of us. A good loopback run must be all "good"; a run with corrupted frames must have
// tshark call exactly the corrupted ones bad, and our receiver must drop and count them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Mac } from '../../../rtl/corsair/jetstream/mac.ts';
import { MAC_REG } from '../../../rtl/corsair/jetstream/mac-regs.ts';
import { simulate, type Testbench } from '../../runtime/index.ts';
import { FCS_RESIDUE, classify, fcsOf, wireFrame } from '../../net/frame.ts';
import { LINKTYPE_ETHERNET, PCAP_MAGIC, pcapBytes } from '../../net/pcap.ts';
import { XgmiiTap } from '../../net/tap.ts';
import { beatToBits } from '../../net/xgmii-ref.ts';
import { itWithTools } from '../../tools.ts';
import { collectFrames, csrRead, sendFrames, xorshift, type RxFrame } from './bfm.ts';
import { badMix, encodeWithErrors, randomFrame } from './bad-frames.ts';
import { MacLoopback } from './loopback.ts';

/** tshark's FCS verdict per frame: 1 good, 0 bad. */
function tsharkFcs(file: string): number[] {
  const r = spawnSync('tshark', ['-r', file, '-o', 'eth.fcs:Always', '-o', 'eth.check_fcs:TRUE', '-T', 'fields', '-e', 'frame.number', '-e', 'eth.fcs.status'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => Number(l.split('\t')[1]));
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mac-pcap-'));

describe('pcap writer', () => {
  it('writes the libpcap header (magic a1b2c3d4, v2.4, link type 1) and one record per frame with its time', () => {
    const b = pcapBytes([{ timePs: 3_500_000_123, bytes: Uint8Array.of(1, 2, 3) }, { timePs: 2e12 + 7e6, bytes: new Uint8Array(70) }]);
    expect(b.readUInt32LE(0)).toBe(PCAP_MAGIC);
    expect([b.readUInt16LE(4), b.readUInt16LE(6), b.readUInt32LE(20)]).toEqual([2, 4, LINKTYPE_ETHERNET]);
    expect([b.readUInt32LE(24), b.readUInt32LE(28), b.readUInt32LE(32), b.readUInt32LE(36)]).toEqual([0, 3500, 3, 3]);
    expect([...b.subarray(40, 43)]).toEqual([1, 2, 3]);
    expect([b.readUInt32LE(43), b.readUInt32LE(47), b.readUInt32LE(51)]).toEqual([2, 7, 70]);
    expect(b.length).toBe(24 + 16 + 3 + 16 + 70);
  });
});

describe('tshark checks the wire', () => {
  itWithTools(['tshark'], 'a good loopback run: tshark decodes every frame with FCS good, and the bytes are the frames sent', async () => {
    const rand = xorshift(31);
    const frames = Array.from({ length: 40 }, (_, i) => ({ bytes: randomFrame(rand, 1 + ((i * 53) % 300)), idle: i % 3 }));
    const dir = tmp();
    const file = path.join(dir, 'good.pcap');
    const rx: RxFrame[] = [];
    const top = new MacLoopback();
    await simulate(top, async (tb) => {
      const t = tb as unknown as Testbench;
      await tb.reset();
      const tap = new XgmiiTap(t, top.line);
      tb.fork(() => collectFrames(t, tb.dut.rxOut, rx));
      await sendFrames(t, tb.dut.txIn, frames);
      await tb.cycles(100);
      tap.writePcap(file);
      expect(tap.frames.map((f) => Buffer.from(f.bytes).toString('hex'))).toEqual(frames.map((f) => Buffer.from(wireFrame(f.bytes)).toString('hex')));
      const times = tap.frames.map((f) => f.timePs);
      expect(times.every((x, i) => i === 0 || x > times[i - 1]!)).toBe(true);
    });
    const st = tsharkFcs(file);
    expect(st).toEqual(frames.map(() => 1));
    expect(rx.length).toBe(frames.length);
    fs.rmSync(dir, { recursive: true });
  });

  itWithTools(['tshark'], 'corrupted frames: tshark marks exactly them bad, and the receiver drops and counts them', async () => {
    const { wires, truncateAt } = badMix(41);
    const beats = encodeWithErrors(wires, truncateAt);
    const dir = tmp();
    const file = path.join(dir, 'bad.pcap');
    const rx: RxFrame[] = [];
    const counters: Record<string, number> = {};
    const mac = new Mac();
    let captured: Uint8Array[] = [];
    await simulate(mac, async (tb) => {
      const t = tb as unknown as Testbench;
      const { dut } = tb;
      dut.xgmiiRx.data.big = 0x0707070707070707n;
      dut.xgmiiRx.ctrl.value = 0xff;
      await tb.reset();
      const tap = new XgmiiTap(t, mac.xgmiiRx);
      tb.fork(() => collectFrames(t, dut.rxOut, rx));
      for (const b of beats) {
        const { data, ctrl } = beatToBits(b);
        dut.xgmiiRx.data.big = data;
        dut.xgmiiRx.ctrl.value = ctrl;
        await tb.rising();
      }
      dut.xgmiiRx.data.big = 0x0707070707070707n;
      dut.xgmiiRx.ctrl.value = 0xff;
      await tb.cycles(400);
      for (const [k, a] of Object.entries(MAC_REG)) if (typeof a === 'number') counters[k] = await csrRead(t, dut.csr, a);
      tap.writePcap(file);
      captured = tap.frames.map((f) => f.bytes);
    });
    expect(captured.length).toBe(wires.length);
    const st = tsharkFcs(file);
    // tshark's verdict is the FCS alone; ours adds length and truncation checks
    expect(st).toEqual(captured.map((c) => (fcsOf(c) === FCS_RESIDUE ? 1 : 0)));
    const verdicts = wires.map((w, i) => (truncateAt[i] !== undefined ? 'truncated' : classify(w)));
    verdicts.forEach((v, i) => {
      if (v === 'badFcs') expect(st[i]).toBe(0);
      if (v === 'good') expect(st[i]).toBe(1);
    });
    expect(st.filter((s) => s === 0).length).toBeGreaterThanOrEqual(3);
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    expect(counters).toMatchObject({ RX_FRAMES: count('good'), RX_BAD_FCS: count('badFcs'), RX_RUNT: count('runt'), RX_OVERSIZE: count('oversize'), RX_TRUNCATED: count('truncated') });
    expect(rx.map((r) => Buffer.from(r.bytes).toString('hex'))).toEqual(wires.filter((_, i) => verdicts[i] === 'good').map((w) => Buffer.from(w.subarray(0, w.length - 4)).toString('hex')));
    fs.rmSync(dir, { recursive: true });
  });

  itWithTools(['tshark'], 'frames sent with err (stomped FCS) are bad to tshark and dropped by the receiver', async () => {
    const rand = xorshift(51);
    const frames = Array.from({ length: 8 }, (_, i) => ({ bytes: randomFrame(rand, 50 + i * 20), stomp: i % 3 === 1 }));
    const dir = tmp();
    const file = path.join(dir, 'stomp.pcap');
    const rx: RxFrame[] = [];
    const top = new MacLoopback();
    let bad = 0;
    await simulate(top, async (tb) => {
      const t = tb as unknown as Testbench;
      await tb.reset();
      const tap = new XgmiiTap(t, top.line);
      tb.fork(() => collectFrames(t, tb.dut.rxOut, rx));
      await sendFrames(t, tb.dut.txIn, frames);
      await tb.cycles(100);
      tap.writePcap(file);
      bad = await csrRead(t, tb.dut.csr, MAC_REG.RX_BAD_FCS);
    });
    expect(tsharkFcs(file)).toEqual(frames.map((f) => (f.stomp ? 0 : 1)));
    expect(bad).toBe(frames.filter((f) => f.stomp).length);
    expect(rx.length).toBe(frames.filter((f) => !f.stomp).length);
    fs.rmSync(dir, { recursive: true });
  });
});
