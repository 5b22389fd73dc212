// Testbench side of the system: what the hosts do ahead of time (load each stage's weights and the first input
// into the stashes, through the simulator's backdoor, as a host would by DMA before the run), packing PCIe writes
// onto a TLP port, reading results back, and the firmware images.
import type { Memory } from '../../rtl/core/index.ts';
import type { Stash } from '../../rtl/corsair/stash/stash.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import type { Simulator } from '../sim/simulator.ts';
import { assemble } from '../rv/asm.ts';
import { imageWords, programImage } from '../rv/elf.ts';
import { STASH_LAYOUT, stageFirmware, type StageFirmware } from './firmware.ts';
import { VEC, type Layer } from './network.ts';

/** Where byte `offset` of a stash lives: bank, row in the bank, byte in the word (word w is in bank w mod banks). */
function stashWord(stash: Stash, offset: number): { bank: number; row: number; byte: number } {
  const { wordBytes, banks, sizeBytes } = stash.options;
  if (!Number.isInteger(offset) || offset < 0 || offset >= sizeBytes) throw new RangeError(`stash offset 0x${offset.toString(16)} is outside the ${sizeBytes}-byte stash`);
  const w = Math.floor(offset / wordBytes);
  return { bank: w % banks, row: Math.floor(w / banks), byte: offset % wordBytes };
}

/** Backdoor write of bytes into a stash (word by word, read-modify-write at the edges). */
export function writeStash(sim: Simulator, stash: Stash, offset: number, bytes: Uint8Array | Int8Array): void {
  const { wordBytes } = stash.options;
  if (offset + bytes.length > stash.options.sizeBytes) throw new RangeError(`stash write of ${bytes.length} bytes at 0x${offset.toString(16)} runs past the ${stash.options.sizeBytes}-byte stash`);
  let i = 0;
  while (i < bytes.length) {
    const { bank, row, byte } = stashWord(stash, offset + i);
    const mem: Memory = stash.bank[bank]!;
    let word = sim.readMemory(mem, row);
    for (let b = byte; b < wordBytes && i < bytes.length; b++, i++) {
      const sh = BigInt(8 * b);
      word = (word & ~(0xffn << sh)) | (BigInt(bytes[i]! & 0xff) << sh);
    }
    sim.writeMemory(mem, row, word);
  }
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

/** The layers of one stage in the stash layout the firmware expects, and the batch in its IN buffer. */
export function loadStage(sim: Simulator, stash: Stash, layers: readonly Layer[], input?: readonly Int8Array[]): void {
  layers.forEach((l, k) => {
    const base = STASH_LAYOUT.WEIGHTS + k * STASH_LAYOUT.LAYER_STRIDE;
    writeStash(sim, stash, base, l.w);
    writeStash(sim, stash, base + STASH_LAYOUT.EXP_OFFSET, l.e);
  });
  input?.forEach((x, v) => writeStash(sim, stash, STASH_LAYOUT.IN + v * VEC, x));
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
