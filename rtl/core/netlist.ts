// The netlist: the one intermediate form both backends read. Elaboration produces it from a top module; the
// JavaScript simulator compiles it and the SystemVerilog emitter prints it. Signals keep their graph form
// (nodes with arguments); this adds the hierarchy, the resolved drivers and the evaluation order.
import type { SrcLoc } from './loc.ts';
import type { Finding } from './findings.ts';
import type { Sig } from './signal.ts';
import type { Input, Output, Reg, Wire } from './wire.ts';
import type { Memory, MemRead } from './memory.ts';
import type { Module } from './module.ts';
import type { ClockDomain } from './domain.ts';

export interface ModuleInst {
  readonly module: Module;
  /** Instance name: the property (or variable) that holds it; the top's is its class name in lower case. */
  readonly name: string;
  /** Dotted hierarchical path, e.g. `top.fifo0`. */
  readonly path: string;
  readonly parent: ModuleInst | undefined;
  readonly children: ModuleInst[];
  /** The TypeScript class: becomes the SV module name. */
  readonly className: string;
  /** Input and output ports in declaration order. */
  readonly ports: Wire[];
  /** Every named signal of this module: ports, wires, registers, memory read data. */
  readonly signals: Sig[];
  readonly memories: Memory[];
  readonly loc: SrcLoc;
}

export interface Netlist {
  readonly top: ModuleInst;
  /** All instances, parents before children. */
  readonly instances: readonly ModuleInst[];
  readonly instanceOf: ReadonlyMap<Module, ModuleInst>;
  readonly domains: readonly ClockDomain[];
  /** The active-high reset input of each domain (a top-level input). */
  readonly resets: ReadonlyMap<ClockDomain, Input>;
  /** Top-level inputs (including the resets) and outputs. */
  readonly inputs: readonly Input[];
  readonly outputs: readonly Output[];
  readonly regs: readonly Reg[];
  readonly memories: readonly Memory[];
  /** Synchronous memory read ports (state, like registers). */
  readonly memReads: readonly MemRead[];
  /** Combinational nodes (operators, wires, ports below the top, asynchronous reads) in evaluation order. */
  readonly comb: readonly Sig[];
  /** Constants used anywhere. */
  readonly consts: readonly Sig[];
  readonly warnings: readonly Finding[];
}

/** Full dotted name of a named signal, e.g. `top.fifo0.count`. */
export function pathOf(nl: Netlist, s: Sig): string {
  const inst = s.owner ? nl.instanceOf.get(s.owner as Module) : undefined;
  return `${inst ? inst.path : '?'}.${s.name ?? `_n${s.id}`}`;
}
