// The 1024-bit MAC's wire captured to pcap and decoded by tshark, which checks every FCS independently of us:
// good frames must be "FCS good", stomped frames (err on transmit) "FCS bad", and the bytes the frames sent.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect } from 'vitest';
import { simulate, type Testbench } from '../../runtime/index.ts';
import { wireFrame } from '../../net/frame.ts';
import { XgmiiTap } from '../../net/tap.ts';
import { itWithTools } from '../../tools.ts';
import { randomFrame } from '../mac/bad-frames.ts';
import { xorshift, type RxFrame } from '../mac/bfm.ts';
import { collectWide, sendWide } from './bfm.ts';
import { Mac400Loopback } from './loopback.ts';

function tsharkFcs(file: string): number[] {
  const r = spawnSync('tshark', ['-r', file, '-o', 'eth.fcs:Always', '-o', 'eth.check_fcs:TRUE', '-T', 'fields', '-e', 'frame.number', '-e', 'eth.fcs.status'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => Number(l.split('\t')[1]));
}

describe('tshark checks the 400G wire', () => {
  itWithTools(['tshark'], '1024-bit loopback: tshark calls every frame FCS good except the stomped ones, bytes as sent', async () => {
    const rand = xorshift(31);
    const frames = Array.from({ length: 40 }, (_, i) => ({ bytes: randomFrame(rand, 1 + ((i * 151) % 1500)), idle: i % 2, stomp: i % 7 === 3 }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mac400-pcap-'));
    const file = path.join(dir, 'wire.pcap');
    const rx: RxFrame[] = [];
    const top = new Mac400Loopback();
    await simulate(top, async (tb) => {
      const t = tb as unknown as Testbench;
      await tb.reset();
      const tap = new XgmiiTap(t, top.line);
      tb.fork(() => collectWide(t, tb.dut.rxOut, rx, 128));
      await sendWide(t, tb.dut.txIn, frames, 128);
      await tb.cycles(60);
      tap.writePcap(file);
      expect(tap.frames.map((f) => Buffer.from(f.bytes).toString('hex'))).toEqual(frames.map((f) => Buffer.from(wireFrame(f.bytes, { stomp: f.stomp })).toString('hex')));
    });
    expect(tsharkFcs(file)).toEqual(frames.map((f) => (f.stomp ? 0 : 1)));
    expect(rx.length).toBe(frames.filter((f) => !f.stomp).length);
    fs.rmSync(dir, { recursive: true });
  });
});
