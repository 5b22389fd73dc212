// Design-rule findings: elaboration collects every problem, each with the TypeScript location that caused it,
// and reports them together in one error.
import { formatLoc, type SrcLoc } from './loc.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** Short class of problem: 'width', 'comb-loop', 'multiple-drivers', 'undriven', 'constant', 'name', 'cdc', ... */
  readonly rule: string;
  readonly message: string;
  readonly loc: SrcLoc;
  /** Other locations involved (the second driver, the rest of a loop). */
  readonly related?: readonly SrcLoc[];
}

export function formatFinding(f: Finding): string {
  return `${formatLoc(f.loc)}: ${f.severity} [${f.rule}] ${f.message}`;
}

/** Thrown by elaborate(): lists every error found, each with its file:line. */
export class ElaborationError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(`${errors.length} design-rule error${errors.length === 1 ? '' : 's'}:\n` + errors.map((f) => '  ' + formatFinding(f)).join('\n'));
    this.name = 'ElaborationError';
  }
}
