// The dispatch engine: the RV32IM + Zicsr + Zifencei core that steers a Corsair chiplet, its divider and its
// address map.
export { DispatchCore, DispatchBus, RetireTrace, type DispatchCoreOptions } from './core.ts';
export { Divider } from './divider.ts';
export { DISPATCH_ADDR, DISPATCH_IRQ, DISPATCH_CSR, DISPATCH_MISA } from './address-map.ts';
