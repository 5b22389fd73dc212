// The register port every Corsair block exposes to the dispatch engine's interconnect: a word-addressed strobe
// with combinational read data. The chiplet interconnect turns the core's DispatchBus into one of these per block.
import { In, Out, type BundleSpec } from '../core/index.ts';

/**
 * A minimal register port, from the initiator's side (the dispatch engine): a write happens at the clock edge
 * where `en` and `we` are high; `rdata` is the register at `addr`, combinationally (reads have no side effects).
 */
export const CsrBus = (addrWidth = 4) =>
  ({
    en: Out(1, { doc: 'access strobe' }),
    we: Out(1, { doc: '1 = write wdata to addr at the clock edge' }),
    addr: Out(addrWidth, { doc: 'register word address' }),
    wdata: Out(32, { doc: 'write data' }),
    rdata: In(32, { doc: 'the register at addr (combinational)' }),
  }) satisfies BundleSpec;
