// Testbench side of the system: what the hosts do ahead of time (load each stage's weights and the first input
// into the stashes with PCIe writes, as a host DMA would), reading results back through the simulator's backdoor,
// and the firmware images.
import type { Memory } from '../../rtl/core/index.ts';
import type { Stash } from '../../rtl/corsair/stash/stash.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import type { Simulator } from '../sim/simulator.ts';
import { assemble } from '../rv/asm.ts';
import { imageWords, programImage } from '../rv/elf.ts';
import { STASH_LAYOUT, stageFirmware, type StageFirmware } from './firmware.ts';
import { VEC, type Layer } from './network.ts';
import { encodeMemWrite, splitTransfer } from '../pcie/tlp-ref.ts';

/** Where byte `offset` of a stash lives: bank, row in the bank, byte in the word (word w is in bank w mod banks). */
function stashWord(stash: Stash, offset: number): { bank: number; row: number; byte: number } {
  const { wordBytes, banks, sizeBytes } = stash.options;
  if (!Number.isInteger(offset) || offset < 0 || offset >= sizeBytes) throw new RangeError(`stash offset 0x${offset.toString(16)} is outside the ${sizeBytes}-byte stash`);
  const w = Math.floor(offset / wordBytes);
  return { bank: w % banks, row: Math.floor(w / banks), byte: offset % wordBytes };
}

/** Backdoor read of `length` bytes from a stash. */
export function readStash(sim: Simulator, stash: Stash, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const { bank, row, byte } = stashWord(stash, offset + i);
    out[i] = Number((sim.readMemory(stash.bank[bank]!, row) >> BigInt(8 * byte)) & 0xffn);
  }
  return out;
}

/** What a host puts in a stage's stash before the run: the layers in the layout the firmware expects, the batch. */
export function stageImage(layers: readonly Layer[], input?: readonly Int8Array[]): Array<{ offset: number; bytes: Uint8Array }> {
  const out: Array<{ offset: number; bytes: Uint8Array }> = [];
  const u8 = (a: Int8Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.length);
  layers.forEach((l, k) => {
    const base = STASH_LAYOUT.WEIGHTS + k * STASH_LAYOUT.LAYER_STRIDE;
    out.push({ offset: base, bytes: u8(l.w) }, { offset: base + STASH_LAYOUT.EXP_OFFSET, bytes: u8(l.e) });
  });
  input?.forEach((x, v) => out.push({ offset: STASH_LAYOUT.IN + v * VEC, bytes: u8(x) }));
  return out;
}

/**
 * The host's PCIe writes that load a stage into the stash of the chiplet whose window starts at `window` (front door:
 * through the switch and the endpoint, like a host DMA), as TLPs no larger than `mps`.
 */
export function stageLoadTlps(window: bigint, image: ReadonlyArray<{ offset: number; bytes: Uint8Array }>, mps = 256): Uint8Array[] {
  const tlps: Uint8Array[] = [];
  for (const { offset, bytes } of image) {
    const base = window + BigInt(offset);
    for (const p of splitTransfer(base, bytes.length, mps)) {
      const at = Number(p.addr - base);
      tlps.push(encodeMemWrite({ addr: p.addr, data: bytes.subarray(at, at + p.length), requesterId: 0, tag: tlps.length & 0xff }));
    }
  }
  return tlps;
}

/** The batch of output vectors a stage left at `offset`. */
export function readBatch(sim: Simulator, stash: Stash, offset: number, batch: number): Int8Array[] {
  return Array.from({ length: batch }, (_, v) => new Int8Array(readStash(sim, stash, offset + v * VEC, VEC).buffer));
}

/** ITCM words of a stage's firmware. */
export function firmwareImage(f: StageFirmware, itcmBytes: number): number[] {
  return imageWords(programImage(assemble(stageFirmware(f))), A.ITCM_BASE, itcmBytes / 4);
}

/** Has the firmware stored to tohost (word 0 of the DTCM)? */
export function tohost(sim: Simulator, dtcm: Memory): number {
  return Number(sim.readMemory(dtcm, (A.TOHOST - A.DTCM_BASE) / 4));
}
