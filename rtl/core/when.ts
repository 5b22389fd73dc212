// Conditional blocks: when / elsewhen / otherwise and switch/case. They only record conditions; every set()
// inside becomes a multiplexer at elaboration, with the signal's default (or a register's held value) on the
// paths that assign nothing.
import { Sig, coerce, lit, type Operand } from './signal.ts';
import { currentCondition, withCondition } from './scope.ts';

function and(a: Sig | undefined, b: Sig): Sig {
  return a ? a.and(b) : b;
}

function checkCond(c: Sig): Sig {
  if (c.width !== 1) c.addFinding('width', `a when() condition must be 1 bit, got ${c.describe()}`);
  return c;
}

export class WhenChain {
  /** The AND of "no earlier branch of this chain was taken". */
  private notTaken: Sig;
  constructor(first: Sig) {
    this.notTaken = first.not();
  }
  /** Taken when no earlier branch was and `cond` is 1. */
  elsewhen(cond: Sig, body: () => void): WhenChain {
    checkCond(cond);
    withCondition(and(currentCondition(), this.notTaken.and(cond)), body);
    this.notTaken = this.notTaken.and(cond.not());
    return this;
  }
  /** Taken when no earlier branch was. */
  otherwise(body: () => void): void {
    withCondition(and(currentCondition(), this.notTaken), body);
  }
}

/** `when(c, () => { x.set(1) }).elsewhen(d, ...).otherwise(...)`, like SV if / else if / else. */
export function when(cond: Sig, body: () => void): WhenChain {
  checkCond(cond);
  withCondition(and(currentCondition(), cond), body);
  return new WhenChain(cond);
}

export class SwitchBlock {
  private chain: WhenChain | undefined;
  constructor(private readonly sel: Sig) {}
  /** Case: the selector equals `value` (or any of `values`). */
  is(values: Operand | readonly Operand[], body: () => void): SwitchBlock {
    const list = Array.isArray(values) ? (values as readonly Operand[]) : [values as Operand];
    let c: Sig | undefined;
    for (const v of list) {
      const e = this.sel.eq(coerce(v, this.sel));
      c = c ? c.or(e) : e;
    }
    const cond = c ?? lit(0, 1);
    this.chain = this.chain ? this.chain.elsewhen(cond, body) : when(cond, body);
    return this;
  }
  /** Default case. */
  default(body: () => void): void {
    if (this.chain) this.chain.otherwise(body);
    else body();
  }
}

/** `switchOn(op).is(0, ...).is([1, 2], ...).default(...)`, like SV `case` (first match wins). */
export function switchOn(sel: Sig): SwitchBlock {
  return new SwitchBlock(sel);
}
