// Change detection for VcdWriter: generated straight-line code compares each watched state slot with a shadow
// copy and reports the entries that changed (twice as fast as a loop over slot tables, measured).
//
// One generated function per chunk of ~1000 compares keeps each well under V8's optimizable bytecode size.

/** Receives the changes found by a scan; the shadow is already updated when it is called. */
export interface ScanTarget {
  narrowChanged(i: number, value: number): void;
  wideChanged(i: number): void;
}

export interface ScanLayout {
  /** Narrow entry i (width <= 32) watches state[nSlot[i]], shadowed in nShadow[i]. */
  nSlot: Int32Array;
  nShadow: Int32Array;
  /** Wide entry i watches state[wSlot[i] .. + wLimbs[i]), shadowed in wShadow[wShadowOff[i] ..]. */
  wSlot: Int32Array;
  wLimbs: Int32Array;
  wShadowOff: Int32Array;
  wShadow: Int32Array;
}

export type ScanFn = (state: Int32Array) => void;

const CHUNK_COST = 1000; // compares per generated function
const UNROLL_LIMBS = 16; // wider entries use a loop helper

/** Compares and copies limbs [so, so+limbs) of the shadow with state[slot ..]; true if any differed. */
function syncLimbs(state: Int32Array, sh: Int32Array, slot: number, so: number, limbs: number): boolean {
  let k = 0;
  while (k < limbs && state[slot + k] === sh[so + k]) k++;
  if (k === limbs) return false;
  for (; k < limbs; k++) sh[so + k] = state[slot + k]!;
  return true;
}

export function buildScanner(layout: ScanLayout, target: ScanTarget): ScanFn {
  const chunks: string[][] = [[]];
  let cost = 0;
  const add = (stmt: string, c: number): void => {
    if (cost + c > CHUNK_COST && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      cost = 0;
    }
    chunks[chunks.length - 1]!.push(stmt);
    cost += c;
  };
  for (let i = 0; i < layout.nSlot.length; i++) {
    add(`v = state[${layout.nSlot[i]}]; if (v !== ns[${i}]) { ns[${i}] = v; t.narrowChanged(${i}, v); }`, 1);
  }
  for (let i = 0; i < layout.wSlot.length; i++) {
    const slot = layout.wSlot[i]!;
    const so = layout.wShadowOff[i]!;
    const limbs = layout.wLimbs[i]!;
    if (limbs > UNROLL_LIMBS) {
      add(`if (sync(state, ws, ${slot}, ${so}, ${limbs})) t.wideChanged(${i});`, 4);
      continue;
    }
    const differs: string[] = [];
    const copy: string[] = [];
    for (let k = 0; k < limbs; k++) {
      differs.push(`state[${slot + k}] !== ws[${so + k}]`);
      copy.push(`ws[${so + k}] = state[${slot + k}];`);
    }
    add(`if (${differs.join(' || ')}) { ${copy.join(' ')} t.wideChanged(${i}); }`, limbs);
  }
  const fns = chunks.map((stmts, k) => {
    const src = `return function vcdScan${k}(state) {\n  let v = 0;\n  ${stmts.join('\n  ')}\n};`;
    return new Function('ns', 'ws', 't', 'sync', src)(layout.nShadow, layout.wShadow, target, syncLimbs) as ScanFn;
  });
  if (fns.length === 1) return fns[0]!;
  return (state) => {
    for (let k = 0; k < fns.length; k++) fns[k]!(state);
  };
}
