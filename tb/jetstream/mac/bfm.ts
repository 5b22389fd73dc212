// Test helpers: drive frames into an EthStream(64) input, collect frames from an EthStream(64) output, read the
// MAC's counters over its CsrBus port.
import type { Testbench } from '../../runtime/index.ts';

type Bits = { value: number; big: bigint };
export interface EthIn { valid: Bits; ready: { value: number }; data: Bits; last: Bits; bytes: Bits; err: Bits }
export interface EthOut { valid: { value: number }; ready: Bits; data: { big: bigint }; last: { value: number }; bytes: { value: number }; err: { value: number } }
export interface Csr { en: Bits; we: Bits; addr: Bits; wdata: Bits; rdata: { value: number } }

function pack(b: Uint8Array, from: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[from + i]!);
  return v;
}

export interface TxFrame {
  bytes: Uint8Array;
  /** Idle cycles before the frame is offered. */
  idle?: number;
  stomp?: boolean;
  /** Leave the frame open (no `last` on its final beat): the next entry continues it. */
  open?: boolean;
}

/** Send frames, 8 bytes a beat, valid held through each frame. */
export async function sendFrames(tb: Testbench, s: EthIn, frames: readonly TxFrame[]): Promise<void> {
  for (const f of frames) {
    s.valid.value = 0;
    for (let i = 0; i < (f.idle ?? 0); i++) await tb.rising();
    const beats = Math.ceil(f.bytes.length / 8);
    for (let j = 0; j < beats; j++) {
      const n = Math.min(8, f.bytes.length - 8 * j);
      s.valid.value = 1;
      s.data.big = pack(f.bytes, 8 * j, n);
      s.last.value = j === beats - 1 && !f.open ? 1 : 0;
      s.bytes.value = n;
      s.err.value = j === beats - 1 && f.stomp ? 1 : 0;
      do await tb.falling(); while (s.ready.value !== 1);
      await tb.rising();
    }
  }
  s.valid.value = 0;
}

export interface RxFrame {
  bytes: Uint8Array;
  err: boolean;
}

/** Collect frames forever (fork it); `readyPct` of the cycles have ready high. */
export async function collectFrames(tb: Testbench, s: EthOut, out: RxFrame[], readyPct = 100, rand: () => number = Math.random): Promise<never> {
  let cur: number[] = [];
  for (;;) {
    s.ready.value = rand() * 100 < readyPct ? 1 : 0;
    await tb.falling();
    if (s.valid.value && s.ready.value) {
      const n = s.last.value ? s.bytes.value : 8;
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

/** Read a register (combinational read data). */
export async function csrRead(tb: Testbench, c: Csr, addr: number): Promise<number> {
  c.en.value = 1;
  c.we.value = 0;
  c.addr.value = addr;
  await tb.falling();
  const v = c.rdata.value >>> 0;
  await tb.rising();
  c.en.value = 0;
  return v;
}

/** A deterministic PRNG (xorshift32) for stimulus that must replay. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}
