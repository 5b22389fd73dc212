// Levelization: orders combinational nodes so each is computed after everything it reads; a combinational loop
// is reported with the whole path and the file:line of every node on it.
import { formatLoc } from './loc.ts';
import type { Finding } from './findings.ts';
import type { Sig } from './signal.ts';
import { Wire } from './wire.ts';

/** The combinational inputs of a node (registers, constants and top inputs are sources, not dependencies). */
export function combDeps(n: Sig): readonly Sig[] {
  if (n instanceof Wire) return n.driver ? [n.driver] : [];
  return n.args;
}

/**
 * Sort `nodes` (the combinational ones) so dependencies come first. `isComb` says which nodes are in the set.
 * Returns the order and, for each loop, a finding.
 */
export function levelize(nodes: readonly Sig[], isComb: (n: Sig) => boolean): { order: Sig[]; loops: Finding[] } {
  const indeg = new Map<Sig, number>();
  const users = new Map<Sig, Sig[]>();
  for (const n of nodes) {
    let d = 0;
    for (const a of combDeps(n)) {
      if (!isComb(a)) continue;
      d++;
      let u = users.get(a);
      if (!u) users.set(a, (u = []));
      u.push(n);
    }
    indeg.set(n, d);
  }
  const order: Sig[] = [];
  const ready: Sig[] = nodes.filter((n) => indeg.get(n) === 0);
  while (ready.length) {
    const n = ready.pop()!;
    order.push(n);
    for (const u of users.get(n) ?? []) {
      const d = indeg.get(u)! - 1;
      indeg.set(u, d);
      if (d === 0) ready.push(u);
    }
  }
  const loops: Finding[] = [];
  if (order.length < nodes.length) {
    const stuck = new Set(nodes.filter((n) => indeg.get(n)! > 0));
    const reported = new Set<Sig>();
    for (const start of stuck) {
      if (reported.has(start)) continue;
      const path = findCycle(start, stuck);
      if (!path) continue;
      for (const p of path) reported.add(p);
      const named = path.find((p) => p.name) ?? path[0]!;
      loops.push({
        severity: 'error',
        rule: 'comb-loop',
        message: `combinational loop through ${path.length} node${path.length === 1 ? '' : 's'}: ` +
          path.map((p) => `${p.name ?? p.kind} (${formatLoc(p.loc)})`).join(' -> ') + ` -> ${path[0]!.name ?? path[0]!.kind}`,
        loc: named.loc,
        related: path.map((p) => p.loc),
      });
    }
  }
  return { order, loops };
}

/** A cycle through `start` within `set`, following dependencies, or undefined. */
function findCycle(start: Sig, set: Set<Sig>): Sig[] | undefined {
  // iterative DFS keeping the current path
  const onPath = new Map<Sig, number>();
  const path: Sig[] = [];
  const iters: number[] = [];
  const done = new Set<Sig>();
  path.push(start);
  iters.push(0);
  onPath.set(start, 0);
  while (path.length) {
    const n = path[path.length - 1]!;
    const deps = combDeps(n).filter((d) => set.has(d));
    const i = iters[iters.length - 1]!;
    if (i >= deps.length) {
      path.pop();
      iters.pop();
      onPath.delete(n);
      done.add(n);
      continue;
    }
    iters[iters.length - 1] = i + 1;
    const d = deps[i]!;
    const at = onPath.get(d);
    if (at !== undefined) return path.slice(at).reverse();
    if (done.has(d)) continue;
    onPath.set(d, path.length);
    path.push(d);
    iters.push(0);
  }
  return undefined;
}
