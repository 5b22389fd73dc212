// Arbiters: pick one of n requesters. Fixed priority grants the lowest-numbered request; round robin rotates the
// priority past each requester it serves, so no requester that keeps asking is starved.
import { Module, mux, when, type Input, type Output, type Sig } from '../core/index.ts';

/** The lowest set bit of v, as a one-hot vector (0 if v is 0): v & -v. */
export function lowestOne(v: Sig): Sig {
  return v.and(v.neg());
}

/** Grants the lowest-numbered requester. Combinational. */
export class FixedPriorityArbiter extends Module {
  readonly req: Input;
  /** One-hot, or 0 when nobody requests. */
  readonly grant: Output;

  constructor(readonly n: number) {
    super();
    if (!Number.isInteger(n) || n < 1) throw new Error(`FixedPriorityArbiter: n must be an integer >= 1, got ${n}`);
    this.req = this.input(n, { doc: 'request, one bit per requester' });
    this.grant = this.output(n, { doc: 'one-hot grant: the lowest-numbered request' });
    this.grant.assign(lowestOne(this.req));
  }
}

/**
 * Round-robin arbiter. The grant is combinational: the first request at or above the priority pointer, wrapping
 * around to requester 0. Rule: at a clock edge where `ack` is high and something is granted, the granted requester
 * counts as served and the pointer moves just past it; without ack the pointer stays, so the grant holds as long
 * as the requests do. A requester that keeps requesting is granted within n acked grants (at most n - 1 others
 * are served before it). After reset requester 0 has the highest priority.
 */
export class RoundRobinArbiter extends Module {
  readonly req: Input;
  readonly ack: Input;
  /** One-hot, or 0 when nobody requests. */
  readonly grant: Output;

  constructor(readonly n: number) {
    super();
    if (!Number.isInteger(n) || n < 1) throw new Error(`RoundRobinArbiter: n must be an integer >= 1, got ${n}`);
    this.req = this.input(n, { doc: 'request, one bit per requester' });
    this.ack = this.input(1, { doc: 'the granted requester is served this cycle: move the priority past it' });
    this.grant = this.output(n, { doc: 'one-hot grant' });
    // requesters at or above the pointer, as a thermometer mask
    const upper = this.reg(n, { init: (1n << BigInt(n)) - 1n });
    const above = this.req.and(upper);
    const grant = mux(above.orR(), lowestOne(above), lowestOne(this.req));
    when(this.ack.and(this.req.orR()), () => upper.set(grant.or(grant.sub(1)).not()));
    this.grant.assign(grant);
  }
}
