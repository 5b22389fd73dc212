// Finite-state machines with named states: a state register, `is('IDLE')` tests, `goto('RUN')` transitions made
// under the enclosing `when`, and `on({...})` to write one branch per state. The state names travel with the
// register so waveforms and SV can show them.
import type { Sig } from './signal.ts';
import type { Reg } from './wire.ts';
import { switchOn } from './when.ts';

export class Fsm<S extends string> {
  private readonly codes: Map<S, number>;
  constructor(
    /** The state register (binary encoded, in declaration order). */
    readonly state: Reg,
    readonly states: readonly S[],
  ) {
    this.codes = new Map(states.map((s, i) => [s, i]));
    state.labels = [...states];
  }
  /** The code of a state. */
  code(s: S): number {
    const c = this.codes.get(s);
    if (c === undefined) throw new Error(`FSM has no state '${s}' (states: ${this.states.join(', ')})`);
    return c;
  }
  /** 1 while in state s. */
  is(s: S): Sig {
    return this.state.eq(this.code(s));
  }
  /** Go to state s at the next edge (under the enclosing conditions). */
  goto(s: S): void {
    this.state.set(this.code(s));
  }
  /** One branch per state, like a SV `case (state)`. */
  on(cases: Partial<Record<S, () => void>>): void {
    let sw = switchOn(this.state);
    for (const s of this.states) {
      const body = cases[s];
      if (body) sw = sw.is(this.code(s), body);
    }
  }
}
