// State layout: every value of the design gets a place in one flat Int32Array (a value of 32 bits or less one
// int32, a wider one ceil(w/32) limbs). Wires and casts share the slot of what drives them; a register input
// that is itself state gets a copy, so that all edges of one time step sample values from before any of them.
import type { Netlist, Sig } from '../../rtl/core/index.ts';
import { Wire } from '../../rtl/core/index.ts';
import { nlimbs } from './wide.ts';

export type SlotKind = 'input' | 'state' | 'const' | 'comb' | 'clock';

export interface Layout {
  /** Offset of each node's value. */
  readonly slot: Map<Sig, number>;
  /** Per state index, what kind of value lives there. */
  readonly kind: SlotKind[];
  /** Clock level slot of each domain (for waveforms). */
  readonly clockSlot: number[];
  /** Copies made at the end of settling: [from, to, limbs]. */
  readonly copies: Array<[number, number, number]>;
  /** Slot to sample for each edge input (register d/en, memory port inputs). */
  edgeIn(s: Sig): number;
  size: number;
}

export function layout(nl: Netlist): Layout {
  const slot = new Map<Sig, number>();
  const kind: SlotKind[] = [];
  let size = 0;
  const alloc = (w: number, k: SlotKind): number => {
    const o = size;
    for (let i = 0, n = nlimbs(w); i < n; i++) kind.push(k);
    size += nlimbs(w);
    return o;
  };
  const clockSlot = nl.domains.map(() => alloc(1, 'clock'));
  for (const s of nl.inputs) slot.set(s, alloc(s.width, 'input'));
  for (const r of nl.regs) slot.set(r, alloc(r.width, 'state'));
  for (const r of nl.memReads) slot.set(r, alloc(r.width, 'state'));
  for (const c of nl.consts) slot.set(c, alloc(c.width, 'const'));
  for (const n of nl.comb) {
    if (n instanceof Wire || n.kind === 'cast') {
      const src = n instanceof Wire ? n.driver : n.args[0];
      const o = src ? slot.get(src) : undefined;
      if (o !== undefined) {
        slot.set(n, o);
        continue;
      }
    }
    slot.set(n, alloc(n.width, 'comb'));
  }
  const copies: Array<[number, number, number]> = [];
  const copyOf = new Map<number, number>();
  const edgeIn = (s: Sig): number => {
    const o = slot.get(s);
    if (o === undefined) throw new Error(`internal: no slot for ${s.describe()}`);
    if (kind[o] !== 'state') return o;
    let c = copyOf.get(o);
    if (c === undefined) {
      c = alloc(s.width, 'comb');
      copyOf.set(o, c);
      copies.push([o, c, nlimbs(s.width)]);
    }
    return c;
  };
  return {
    slot,
    kind,
    clockSlot,
    copies,
    edgeIn,
    get size() {
      return size;
    },
  };
}
