// The RTL language: everything a hardware block is written with.
export { Sig, U, S, lit, cat, mux, select, fits, bitsFor, clog2, type Operand, type NodeKind, type OpKind } from './signal.ts';
export { Wire, Input, Output, Reg, type RegOptions, type Assignment } from './wire.ts';
export { Memory, MemRead, type MemoryOptions, type MemWritePort, type ReadDuringWrite } from './memory.ts';
export { Module, type SignalOptions, type WireOptions } from './module.ts';
export { In, Out, flip, connect, type BundleSpec, type Field, type Flip, type HwBundle, type WireBundle } from './bundle.ts';
export { when, switchOn } from './when.ts';
export { Fsm } from './fsm.ts';
export { ClockDomain, sysDomain, type ResetKind } from './domain.ts';
export { withDomain } from './scope.ts';
export { elaborate, type ElaborateOptions } from './elaborate.ts';
export { ElaborationError, formatFinding, type Finding } from './findings.ts';
export { pathOf, type Netlist, type ModuleInst } from './netlist.ts';
export { levelize } from './levelize.ts';
export { formatLoc, projectRoot, type SrcLoc } from './loc.ts';
export { constants, constantGroups, type ConstantGroup } from './constants.ts';
