// IEEE 802.3 (Ethernet FCS) CRC-32 over 1 to 128 bytes per clock: reflected polynomial 0x04C11DB7, register
// preset to 0xFFFFFFFF, FCS = complement of the register, sent least significant byte first. The update is an XOR
// network whose equations are computed here, at elaboration, by the matrix method: each output bit is the XOR of
// the input bits whose unit vectors flip it.
import { Module, U, bitsFor, cat, mux, when, type Input, type Output, type Sig } from '../core/index.ts';

/** The reflected CRC-32 polynomial (0x04C11DB7 bit-reversed). */
export const CRC32_POLY_REFLECTED = 0xedb88320;
/** Register value after a frame followed by its own FCS (the FCS of that is 0x2144DF1C). */
export const CRC32_RESIDUE = 0xdebb20e3;

/** The raw register update over whole bytes (no preset, no complement), bit by bit. Reference for the generator. */
export function crc32Update(state: number, bytes: ArrayLike<number>): number {
  let c = state >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i]! & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32_POLY_REFLECTED : c >>> 1;
  }
  return c >>> 0;
}

/**
 * The XOR equations of the register update from state 0 over `nBytes` bytes (byte 0 first, bit 0 of each byte
 * first): for each of the 32 result bits, the indexes of the data bits (8 * nBytes of them) it is the XOR of.
 * Since the update is linear, column j of the matrix is the update of the unit vector e_j.
 */
export function crc32Equations(nBytes: number): number[][] {
  const rows: number[][] = Array.from({ length: 32 }, () => []);
  const unit = new Uint8Array(nBytes);
  for (let j = 0; j < 8 * nBytes; j++) {
    unit.fill(0);
    unit[j >> 3] = 1 << (j & 7);
    const col = crc32Update(0, unit);
    for (let i = 0; i < 32; i++) if ((col >>> i) & 1) rows[i]!.push(j);
  }
  return rows;
}

/**
 * CRC-32 generator/checker, `bytesPerBeat` (1..128) bytes per cycle. A beat has `bytes` valid bytes (1..bytesPerBeat)
 * in data[8*bytes-1:0], byte 0 being the first on the wire; only a frame's last beat may be partial (bytes = 0
 * leaves the CRC as it is). The outputs are registered: they cover the beats up to the last clock edge.
 *
 * How partial beats are done with one XOR network: since the CRC is linear, the register's contribution equals
 * that of XORing it into the first four message bytes (the part of it beyond a short beat just shifts down);
 * and leading zero bytes do not change a zero register. So the beat (XORed with the register) is shifted up by
 * the missing bytes, put through the full-width network, and XORed with the register shifted down by 8 * bytes.
 */
export class Crc32 extends Module {
  readonly valid: Input;
  readonly first: Input;
  readonly data: Input;
  readonly bytes: Input;
  /** The CRC register (not complemented): 0xFFFFFFFF at the start of a frame. */
  readonly crc: Output;
  /** The FCS of the bytes so far: the complemented register, what zlib's crc32() returns. */
  readonly fcs: Output;
  /** The bytes so far end in a correct FCS (the register holds the residue 0xDEBB20E3). */
  readonly fcsOk: Output;

  constructor(readonly bytesPerBeat: number) {
    super();
    const nb = bytesPerBeat;
    if (!Number.isInteger(nb) || nb < 1 || nb > 128) throw new Error(`Crc32: bytesPerBeat must be an integer 1..128, got ${nb}`);
    const dw = 8 * nb;
    this.valid = this.input(1, { doc: 'a beat is on data' });
    this.first = this.input(1, { doc: 'the beat starts a frame: the CRC restarts from 0xFFFFFFFF' });
    this.data = this.input(dw, { doc: 'the beat: byte 0 (bits 7..0) is the first on the wire' });
    this.bytes = this.input(bitsFor(nb), { doc: `valid bytes in the beat, 1..${nb}, from byte 0 up` });
    this.crc = this.output(32, { doc: 'CRC register (not complemented) after the beats so far' });
    this.fcs = this.output(32, { doc: 'FCS of the bytes so far (complemented register), sent LSB first' });
    this.fcsOk = this.output(1, { doc: 'the bytes so far end with their correct FCS' });

    const state = this.reg(32, { init: 0xffffffff });
    const start = mux(this.first, U(0xffffffff, 32), state);
    const seeded = this.data.xor(dw >= 32 ? start.zext(dw) : start.trunc(dw));
    const missing = U(nb, this.bytes.width).sub(this.bytes);
    const aligned = seeded.shl(cat(missing, U(0, 3)));
    const bit: Sig[] = [];
    const bitOf = (j: number): Sig => (bit[j] ??= aligned.bit(j));
    const network = crc32Equations(nb).map((row) => cat(...row.map(bitOf)).xorR());
    const carried = start.shr(cat(this.bytes, U(0, 3)));
    const next = cat(...network.reverse()).xor(carried);
    when(this.valid, () => state.set(next));

    this.crc.assign(state);
    this.fcs.assign(state.not());
    this.fcsOk.assign(state.eq(CRC32_RESIDUE));
  }
}
