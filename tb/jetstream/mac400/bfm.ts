// Test helpers for the wide MAC: drive frames into an EthStream(width) one frame per beat, collect frames from one.
import type { Testbench } from '../../runtime/index.ts';
import type { EthIn, EthOut, RxFrame } from '../mac/bfm.ts';

function pack(b: Uint8Array, from: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[from + i]!);
  return v;
}

export interface WideTxFrame {
  bytes: Uint8Array;
  idle?: number;
  stomp?: boolean;
  /** Drop valid for this many cycles after the first beat (a client underrun). */
  holeAfterFirst?: number;
}

/** Send frames, width/8 bytes a beat, valid held through each frame. */
export async function sendWide(tb: Testbench, s: EthIn, frames: readonly WideTxFrame[], bytesPerBeat: number): Promise<void> {
  for (const f of frames) {
    s.valid.value = 0;
    for (let i = 0; i < (f.idle ?? 0); i++) await tb.rising();
    const beats = Math.ceil(f.bytes.length / bytesPerBeat);
    for (let j = 0; j < beats; j++) {
      const n = Math.min(bytesPerBeat, f.bytes.length - bytesPerBeat * j);
      s.valid.value = 1;
      s.data.big = pack(f.bytes, bytesPerBeat * j, n);
      s.last.value = j === beats - 1 ? 1 : 0;
      s.bytes.value = n;
      s.err.value = j === beats - 1 && f.stomp ? 1 : 0;
      do await tb.falling(); while (s.ready.value !== 1);
      await tb.rising();
      if (j === 0 && f.holeAfterFirst) {
        s.valid.value = 0;
        for (let i = 0; i < f.holeAfterFirst; i++) await tb.rising();
      }
    }
  }
  s.valid.value = 0;
}

/** Collect frames forever (fork it); `readyPct` of the cycles have ready high. */
export async function collectWide(tb: Testbench, s: EthOut, out: RxFrame[], bytesPerBeat: number, readyPct = 100, rand: () => number = Math.random): Promise<never> {
  let cur: number[] = [];
  for (;;) {
    s.ready.value = rand() * 100 < readyPct ? 1 : 0;
    await tb.falling();
    if (s.valid.value && s.ready.value) {
      const n = s.last.value ? s.bytes.value : bytesPerBeat;
      const d = s.data.big;
      for (let i = 0; i < n; i++) cur.push(Number((d >> BigInt(8 * i)) & 0xffn));
      if (s.last.value) {
        out.push({ bytes: Uint8Array.from(cur), err: s.err.value === 1 });
        cur = [];
      }
    }
    await tb.rising();
  }
}
