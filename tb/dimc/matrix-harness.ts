// Testbench pieces for the DIMC matrix unit: a transaction-level model of the whole unit (banks, mode, groups,
// swap) built on the BigInt reference, an in-order driver for a script of CSR writes, weight rows and vectors,
// and helpers to read CSRs and build random operands.
import fc from 'fast-check';
import type { DimcMatrixUnit } from '../../rtl/corsair/dimc/index.ts';
import { DIMC_BIT, DIMC_REG } from '../../rtl/corsair/dimc/index.ts';
import type { Testbench } from '../runtime/index.ts';
import { elemBits, matVec, modeCols, packResult, unpackElems, type DimcMode } from './matrix-ref.ts';

export type DimcOp =
  | { kind: 'vec'; x: bigint }
  | { kind: 'csr'; addr: number; data: number }
  | { kind: 'wr'; row: number; data: bigint }
  | { kind: 'idle'; cycles: number };

/** What the unit should output for a script of operations, in order (the unit's contract, untimed). */
export class DimcModel {
  readonly banks: bigint[][];
  active = 0;
  mode: DimcMode = 'int8';
  accLen = 0;
  group = 0;
  acc: bigint[] = [];
  readonly results: bigint[] = [];
  vectors = 0;

  constructor(readonly rows: number, readonly cols: number, readonly accWidth: number) {
    this.banks = [Array(rows).fill(0n), Array(rows).fill(0n)];
  }

  apply(op: DimcOp): void {
    switch (op.kind) {
      case 'csr':
        if (op.addr === DIMC_REG.CTRL) this.mode = op.data & DIMC_BIT.CTRL_INT4 ? 'int4' : 'int8';
        else if (op.addr === DIMC_REG.ACC_LEN) this.accLen = op.data & 0xffff;
        else if (op.addr === DIMC_REG.CMD) {
          if (op.data & DIMC_BIT.CMD_SWAP) this.active ^= 1;
          if (op.data & DIMC_BIT.CMD_RESTART) this.group = 0;
        }
        break;
      case 'wr':
        if (op.row < this.rows) this.banks[this.active ^ 1]![op.row] = op.data;
        break;
      case 'vec': {
        const b = elemBits(this.mode);
        const n = modeCols(this.cols, this.mode);
        const w = this.banks[this.active]!.map((row) => unpackElems(row, n, b));
        const y = matVec(w, unpackElems(op.x, n, b));
        this.acc = this.group === 0 ? y : this.acc.map((a, i) => a + y[i]!);
        this.vectors++;
        if (this.group + 1 >= this.accLen) {
          this.results.push(packResult(this.acc, this.accWidth));
          this.group = 0;
        } else this.group++;
        break;
      }
      case 'idle':
        break;
    }
  }
}

type Tb = Testbench<DimcMatrixUnit>;

/** Quiet all inputs of the unit. */
export function idleInputs(tb: Tb): void {
  const { dut } = tb;
  dut.in.valid.value = 0;
  dut.wr.valid.value = 0;
  dut.csr.en.value = 0;
  dut.csr.we.value = 0;
}

/** Read a CSR (combinational; no side effects). Call right after a rising edge. */
export function csrRead(tb: Tb, addr: number): number {
  const { dut } = tb;
  dut.csr.addr.value = addr;
  return dut.csr.rdata.value >>> 0;
}

/**
 * Run a script in order, one operation per cycle (a vector waits until in.ready takes it). If `model` is given,
 * every operation is applied to it as it happens, so model.results are the expected outputs.
 */
export async function runScript(tb: Tb, ops: Iterable<DimcOp>, model?: DimcModel): Promise<void> {
  const { dut } = tb;
  for (const op of ops) {
    switch (op.kind) {
      case 'vec':
        dut.in.valid.value = 1;
        dut.in.data.big = op.x;
        for (;;) {
          await tb.falling();
          const taken = dut.in.ready.value === 1;
          await tb.rising();
          if (taken) break;
        }
        dut.in.valid.value = 0;
        break;
      case 'csr':
        dut.csr.en.value = 1;
        dut.csr.we.value = 1;
        dut.csr.addr.value = op.addr;
        dut.csr.wdata.value = op.data >>> 0;
        await tb.rising();
        dut.csr.en.value = 0;
        dut.csr.we.value = 0;
        break;
      case 'wr':
        dut.wr.valid.value = 1;
        dut.wr.row.value = op.row;
        dut.wr.data.big = op.data;
        await tb.rising();
        dut.wr.valid.value = 0;
        break;
      case 'idle':
        await tb.cycles(op.cycles);
        break;
    }
    model?.apply(op);
  }
}

/** Ops that load a whole matrix (rows packed as bigints) into the shadow bank. */
export function loadOps(rowsPacked: readonly bigint[]): DimcOp[] {
  return rowsPacked.map((data, row) => ({ kind: 'wr', row, data }));
}

/** A signed element generator biased to the corners (most negative, most positive, 0, +-1). */
export function elemArb(bits: number): fc.Arbitrary<number> {
  const lo = -(1 << (bits - 1));
  const hi = (1 << (bits - 1)) - 1;
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, 0, 1, -1) },
  );
}

/** A random packed row/vector of `bytes` bytes: random bytes with corners (0x80, 0x7f, 0x88, 0x77, 0, 0xff). */
export function bytesArb(bytes: number): fc.Arbitrary<bigint> {
  const byte = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
    { weight: 1, arbitrary: fc.constantFrom(0x80, 0x7f, 0x88, 0x77, 0x00, 0xff) },
  );
  return fc.array(byte, { minLength: bytes, maxLength: bytes }).map((bs) => bs.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n));
}
