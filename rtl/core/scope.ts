// Construction-time scope: the stack of `when` conditions that procedural assignments are made under, and the
// clock domain that new registers and memory ports default to.
import type { Sig } from './signal.ts';
import { sysDomain, type ClockDomain } from './domain.ts';

const condStack: Sig[] = [];
const domainStack: ClockDomain[] = [];

/** The AND of all enclosing `when` conditions, or undefined at the top level of a block. */
export function currentCondition(): Sig | undefined {
  return condStack[condStack.length - 1];
}

export function withCondition<T>(cond: Sig, body: () => T): T {
  condStack.push(cond);
  try {
    return body();
  } finally {
    condStack.pop();
  }
}

export function currentDomain(): ClockDomain {
  return domainStack[domainStack.length - 1] ?? sysDomain;
}

/** Build `body` (registers, memory ports, submodules) in clock domain `d`. */
export function withDomain<T>(d: ClockDomain, body: () => T): T {
  domainStack.push(d);
  try {
    return body();
  } finally {
    domainStack.pop();
  }
}
