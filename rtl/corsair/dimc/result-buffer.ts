// The register window through which the dispatch engine reads a matrix unit's results: it takes one result
// vector from the unit's output stream, holds it for the core to read lane by lane (sign-extended to 32 bits), and
// takes the next one when the core writes POP. While it holds a vector, the unit's output stream waits.
import { Module, U, clog2, constants, flip, select, when, type Flip, type HwBundle } from '../../core/index.ts';
import { CsrBus } from '../../lib/csr-bus.ts';
import { Stream, fire } from '../../lib/stream.ts';

/** Word addresses on the CSR port (lane i at LANE0 + i). */
export const RESULT_REG = constants('dimc_result_reg', {
  /** R. bit 0: a result vector is held. W: any value pops it (takes the next). */
  STATUS: 0,
  /** R. Result vectors taken from the unit since reset (wraps at 2^32). */
  COUNT: 1,
  /** R. Lane i of the held vector, sign-extended, at word LANE0 + i. */
  LANE0: 64,
}, { doc: 'DIMC result buffer CSR word addresses' });

export class DimcResultBuffer extends Module {
  readonly in: HwBundle<Flip<ReturnType<typeof Stream<number>>>>;
  readonly csr: HwBundle<Flip<ReturnType<typeof CsrBus>>>;
  /** 1 while a vector is held (for an interrupt line). */
  readonly full = this.output(1, { doc: 'a result vector is held' });

  constructor(readonly lanes: number, readonly laneWidth: number) {
    super();
    if (!Number.isInteger(lanes) || lanes < 1 || lanes > RESULT_REG.LANE0) throw new Error(`DimcResultBuffer: lanes must be 1..${RESULT_REG.LANE0}, got ${lanes}`);
    if (!Number.isInteger(laneWidth) || laneWidth < 1 || laneWidth > 32) throw new Error(`DimcResultBuffer: laneWidth must be 1..32, got ${laneWidth}`);
    this.in = this.port(flip(Stream(lanes * laneWidth)));
    const aw = clog2(RESULT_REG.LANE0 * 2);
    this.csr = this.port(flip(CsrBus(aw)));
    const held = this.reg(1, { name: 'held' });
    const vector = this.reg(lanes * laneWidth, { name: 'vector' });
    const count = this.reg(32, { name: 'count' });
    const pop = this.csr.en.and(this.csr.we).and(this.csr.addr.eq(RESULT_REG.STATUS));
    this.in.ready.assign(held.not());
    when(fire(this.in), () => {
      vector.set(this.in.data);
      held.set(1);
      count.set(count.add(1).trunc(32));
    }).elsewhen(pop, () => held.set(0));
    this.full.assign(held);
    const laneRegs = Array.from({ length: RESULT_REG.LANE0 }, (_, i) =>
      i < lanes ? vector.slice((i + 1) * laneWidth - 1, i * laneWidth).asSigned().resize(32).asUnsigned() : U(0, 32));
    const regs = [held.zext(32), count, ...Array.from({ length: RESULT_REG.LANE0 - 2 }, () => U(0, 32)), ...laneRegs];
    this.csr.rdata.assign(select(this.csr.addr, regs));
  }
}
