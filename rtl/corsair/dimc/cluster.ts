// Several DIMC matrix units tied together for a larger product (Corsair ties 8 per chiplet). The input bus is
// broadcast to every unit; the results are combined:
//   split 'k': unit u takes the u-th cols-byte slice of a units*cols-byte vector and holds the matching
//              columns of W; the row sums of all units are added (K = units x cols, M = rows)
//   split 'm': every unit takes the whole vector and holds its own rows; the results are side by side
//              (K = cols, M = units x rows)
// The units run in lockstep: they see the same handshakes and the same register writes, so their pipelines,
// credits and FIFOs stay identical; in.ready and out.valid are the AND of theirs (always equal). Register reads
// come from unit 0. Weight rows are addressed to one unit.
import { Module, U, clog2, cat, flip, type HwBundle, type Flip, type Sig } from '../../core/index.ts';
import { Stream } from '../../lib/stream.ts';
import { DimcMatrixUnit } from './matrix-unit.ts';
import { CsrBus, WeightPort } from './regs.ts';

export interface DimcClusterParams {
  units: number;
  rows: number;
  cols: number;
  split: 'k' | 'm';
  treeStages?: number;
}

export class DimcCluster extends Module {
  /** Vectors: units*cols bytes (split 'k') or cols bytes (split 'm'). */
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  /** Results: rows lanes (split 'k', sums over the units) or units*rows lanes (split 'm'), 32-bit signed. */
  readonly out: HwBundle<ReturnType<typeof Stream<number>>>;
  /** Weight rows: `row` = unit * 2^clog2(rows) + row within the unit. */
  readonly wr: HwBundle<Flip<ReturnType<typeof WeightPort>>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  readonly units: DimcMatrixUnit[];
  /** Lane width of each unit: 32 - clog2(units) for split 'k', so the sum over the units fits 32 bits. */
  readonly unitAccWidth: number;
  readonly latency: number;

  constructor(p: DimcClusterParams) {
    super();
    const { units: n, rows, cols, split } = p;
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`DimcCluster: units must be 1..16, got ${n}`);
    const unitBits = n === 1 ? 0 : clog2(n);
    const rowBits = clog2(rows);
    const accW = split === 'k' ? 32 - unitBits : 32;
    this.unitAccWidth = accW;
    this.in = this.port(flip(Stream((split === 'k' ? n : 1) * cols * 8)));
    this.out = this.port(Stream((split === 'k' ? 1 : n) * rows * 32));
    this.wr = this.port(flip(WeightPort(rowBits + unitBits, cols * 8)));
    this.csr = this.port(flip(CsrBus(4)));
    this.units = [];
    for (let u = 0; u < n; u++) this.units.push(new DimcMatrixUnit({ rows, cols, treeStages: p.treeStages, accWidth: accW }));
    this.latency = this.units[0]!.latency;

    let inReady: Sig = U(1, 1);
    let outValid: Sig = U(1, 1);
    this.units.forEach((m, u) => {
      m.in.valid.assign(this.in.valid);
      m.in.data.assign(split === 'k' ? this.in.data.slice((u + 1) * cols * 8 - 1, u * cols * 8) : this.in.data);
      m.out.ready.assign(this.out.ready);
      m.csr.en.assign(this.csr.en);
      m.csr.we.assign(this.csr.we);
      m.csr.addr.assign(this.csr.addr);
      m.csr.wdata.assign(this.csr.wdata);
      const mine = unitBits === 0 ? U(1, 1) : this.wr.row.slice(rowBits + unitBits - 1, rowBits).eq(u);
      m.wr.valid.assign(this.wr.valid.and(mine));
      m.wr.row.assign(this.wr.row.slice(rowBits - 1, 0));
      m.wr.data.assign(this.wr.data);
      inReady = inReady.and(m.in.ready);
      outValid = outValid.and(m.out.valid);
    });
    this.in.ready.assign(inReady);
    this.out.valid.assign(outValid);
    this.wr.ready.assign(U(1, 1));
    this.csr.rdata.assign(this.units[0]!.csr.rdata);

    const lanes: Sig[] = [];
    if (split === 'k') {
      for (let r = 0; r < rows; r++) {
        // an adder tree over the units' lanes, sign-extended to 32 bits (exact: each lane fits 32 - clog2(units))
        let level = this.units.map((m) => m.out.data.slice(accW * r + accW - 1, accW * r).asSigned().sext(32));
        while (level.length > 1) {
          const next: Sig[] = [];
          for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i]!.add(level[i + 1]!) : level[i]!);
          level = next;
        }
        lanes.push(level[0]!.asUnsigned());
      }
      this.out.data.assign(cat(...lanes.slice().reverse()));
    } else {
      this.out.data.assign(cat(...this.units.map((m) => m.out.data).reverse()));
    }
  }
}
