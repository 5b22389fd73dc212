// Under COSIM=verilator every distinct design a property test builds is a Verilator build (3-10 s each here), so
// the random tests run fewer cases then; the explicit equivalence tests (tb/stash/cosim.test.ts) cover the rest.
export const cosimMode = process.env['COSIM'] !== undefined;

/** numRuns for fast-check: n normally, at most `cosim` under COSIM. */
export function runs(n: number, cosim = 5): number {
  return cosimMode ? Math.min(n, cosim) : n;
}

/** Timeout of a property test (ms): longer under COSIM for the Verilator builds. */
export const propTimeout = cosimMode ? 600_000 : 60_000;
