// Test stimulus: random frames, and a mix of good and bad frames (bad FCS, runt, oversize, truncated by /E/)
// as an XGMII beat stream from the reference encoder.
import { fcsOf, wireFrame } from '../../net/frame.ts';
import { encodeXgmii, type Beat } from '../../net/xgmii-ref.ts';
import { xorshift } from './bfm.ts';

export function randomFrame(rand: () => number, len: number): Uint8Array {
  return Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
}

/** Good and bad frames mixed: [wire bytes DA..FCS, kind]. The truncated ones get an /E/ in place of a byte. */
export function badMix(seed: number, maxFrame = 1518): { wires: Uint8Array[]; truncateAt: (number | undefined)[] } {
  const rand = xorshift(seed);
  const wires: Uint8Array[] = [];
  const truncateAt: (number | undefined)[] = [];
  const add = (w: Uint8Array, t?: number) => (wires.push(w), truncateAt.push(t));
  for (let i = 0; i < 3; i++) {
    add(wireFrame(randomFrame(rand, 60 + Math.floor(rand() * 100))));                       // good
    const bad = wireFrame(randomFrame(rand, 60 + Math.floor(rand() * 100)));
    bad[Math.floor(rand() * bad.length)]! ^= 1 << Math.floor(rand() * 8);                       // bad FCS
    add(bad);
    const runt = randomFrame(rand, 20 + Math.floor(rand() * 36));                               // runt, FCS correct
    add(Uint8Array.from([...runt, ...Buffer.from(Uint32Array.of(fcsOf(runt)).buffer)]));
    add(wireFrame(randomFrame(rand, maxFrame - 4 + 1 + Math.floor(rand() * 20))));              // oversize, FCS correct
    add(wireFrame(randomFrame(rand, 80 + Math.floor(rand() * 50))), 20 + Math.floor(rand() * 40)); // truncated
    add(wireFrame(randomFrame(rand, maxFrame - 4)));                                            // largest good
  }
  return { wires, truncateAt };
}

export function encodeWithErrors(wires: Uint8Array[], truncateAt: (number | undefined)[]): Beat[] {
  const beats = encodeXgmii(wires);
  // put /E/ at the chosen byte of the truncated frames: find each frame's first data byte (after the SFD)
  let frame = 0;
  for (let i = 0; i < beats.length; i++) {
    if (beats[i]!.ctrl[0] && beats[i]!.data[0] === 0xfb) {
      const t = truncateAt[frame++];
      if (t !== undefined) {
        const pos = (i + 1) * 8 + t;
        beats[pos >> 3]!.data[pos & 7] = 0xfe;
        beats[pos >> 3]!.ctrl[pos & 7] = true;
      }
    }
  }
  return beats;
}

