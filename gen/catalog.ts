// The designs `npm run gen` writes and the generator tests check: every module of the project at a
// representative parameterisation. New blocks add an entry here.
import type { Module } from '../rtl/core/index.ts';
import { ClockDomain } from '../rtl/core/index.ts';
import { PulseCounter } from '../rtl/examples/pulse-counter.ts';
import {
  AsyncFifo, Counter, Crc32, Fifo, FixedPriorityArbiter, RoundRobinArbiter, SkidBuffer, StreamReg, Sync2, UpDownCounter,
} from '../rtl/lib/index.ts';
import { MediumBench, SmallBench } from '../bench/designs.ts';
import { DispatchCore } from '../rtl/corsair/dispatch/index.ts';
import { BfpQuantizer, DimcBfpUnit, DimcCluster, DimcMatrixUnit, IntToFp32, MX_FP } from '../rtl/corsair/dimc/index.ts';
import { Stash } from '../rtl/corsair/stash/stash.ts';
import { StashDma } from '../rtl/corsair/stash/dma.ts';
import { LpddrChannel } from '../rtl/corsair/stash/lpddr.ts';
import { MemPortRam } from '../rtl/lib/mem-port-ram.ts';
import { P2pEngine } from '../rtl/corsair/pcie/p2p-engine.ts';
import { PcieEndpoint } from '../rtl/corsair/pcie/endpoint.ts';
import { PcieLink } from '../rtl/corsair/pcie/link.ts';
import { PcieSwitch, cardWindow, remoteWindow } from '../rtl/corsair/pcie/switch.ts';
import { JetStreamEngine } from '../rtl/corsair/jetstream/engine-top.ts';
import { JetStreamTx } from '../rtl/corsair/jetstream/engine-tx.ts';
import { JetStreamRx } from '../rtl/corsair/jetstream/engine-rx.ts';
import { PacketBuffer } from '../rtl/corsair/jetstream/engine-packet-buffer.ts';
import { LeafSwitch } from '../rtl/corsair/jetstream/leaf-switch.ts';
import { MacTx } from '../rtl/corsair/jetstream/mac-tx.ts';
import { MacRx } from '../rtl/corsair/jetstream/mac-rx.ts';
import { Mac } from '../rtl/corsair/jetstream/mac.ts';
import { EthLink } from '../rtl/corsair/jetstream/link.ts';
import { Mac400Tx } from '../rtl/corsair/jetstream/mac400-tx.ts';
import { Mac400Rx } from '../rtl/corsair/jetstream/mac400-rx.ts';
import { Mac400 } from '../rtl/corsair/jetstream/mac400.ts';
import { PacketAsyncFifo, PacketDownsizer, PacketUpsizer } from '../rtl/lib/index.ts';
import { JetStreamNic } from '../rtl/corsair/jetstream/nic.ts';
import { LeafSwitchPorts } from '../rtl/corsair/jetstream/leaf-switch-ports.ts';

export interface CatalogEntry {
  /** Name on the command line and of the output folder. */
  readonly name: string;
  readonly make: () => Module;
  /** Also run Yosys `synth` on it in the tests (false for designs whose synthesis takes minutes). */
  readonly synth?: boolean;
  /** Yosys takes over a minute even to check it: the tests leave it to Verilator and Icarus (a smaller instance of
   * the same class gets the Yosys check). */
  readonly heavy?: boolean;
}

const wr = new ClockDomain('wr', { periodPs: 1000 });
const rd = new ClockDomain('rd', { periodPs: 2560 });

export const catalog: readonly CatalogEntry[] = [
  { name: 'PulseCounter', make: () => new PulseCounter(5) },
  { name: 'StreamReg', make: () => new StreamReg(32) },
  { name: 'SkidBuffer', make: () => new SkidBuffer(32) },
  { name: 'Fifo', make: () => new Fifo(32, 16) },
  { name: 'AsyncFifo', make: () => new AsyncFifo(32, 4, wr, rd) },
  { name: 'Sync2', make: () => new Sync2(4) },
  { name: 'FixedPriorityArbiter', make: () => new FixedPriorityArbiter(8) },
  { name: 'RoundRobinArbiter', make: () => new RoundRobinArbiter(8) },
  { name: 'Counter', make: () => new Counter(16) },
  { name: 'UpDownCounter', make: () => new UpDownCounter(16) },
  { name: 'Crc32', make: () => new Crc32(8) },
  { name: 'SmallBench', make: () => new SmallBench() },
  { name: 'MediumBench', make: () => new MediumBench(), synth: false },
  { name: 'DispatchCore', make: () => new DispatchCore(), synth: false },
  { name: 'DimcMatrixUnit', make: () => new DimcMatrixUnit({ rows: 64, cols: 64, treeStages: 2 }), synth: false, heavy: true },
  { name: 'DimcMatrixUnit8x16', make: () => new DimcMatrixUnit({ rows: 8, cols: 16, treeStages: 2 }), synth: false },
  { name: 'BfpQuantizerMxInt8', make: () => new BfpQuantizer({ k: 32, bits: 8 }), synth: false },
  { name: 'BfpQuantizerMxFp8', make: () => new BfpQuantizer({ k: 32, fp: MX_FP.E4M3 }), synth: false },
  { name: 'IntToFp32', make: () => new IntToFp32({ lanes: 4 }) },
  { name: 'DimcBfpUnit', make: () => new DimcBfpUnit({ rows: 8, cols: 16, format: 'int8' }), synth: false },
  { name: 'DimcCluster', make: () => new DimcCluster({ units: 2, rows: 4, cols: 8, split: 'k' }), synth: false },
  { name: 'Stash', make: () => new Stash(), synth: false, heavy: true },
  { name: 'StashSmall', make: () => new Stash({ sizeBytes: 4096, banks: 4, wordBytes: 16, muPorts: 2 }), synth: false },
  { name: 'StashDma', make: () => new StashDma(), synth: false },
  { name: 'LpddrChannel', make: () => new LpddrChannel({ sizeBytes: 4096, latency: 40, bytesPerCycle: 16 }), synth: false },
  { name: 'MemPortRam', make: () => new MemPortRam({ addrBits: 12, dataBits: 64, readLatency: 2 }) },
  { name: 'P2pEngine', make: () => new P2pEngine({ width: 512 }), synth: false },
  { name: 'P2pEngine128', make: () => new P2pEngine({ width: 128, addrBits: 16 }), synth: false },
  { name: 'PcieEndpoint', make: () => new PcieEndpoint({ width: 512 }), synth: false },
  { name: 'PcieEndpoint128', make: () => new PcieEndpoint({ width: 128, addrBits: 16, mps: 256 }), synth: false },
  { name: 'PcieLink', make: () => new PcieLink({ width: 128, latencyNs: 20, phCredits: 8, pdCredits: 256 }), synth: false },
  { name: 'PcieSwitch', make: () => new PcieSwitch({ width: 512, downstream: [[cardWindow(0)], [cardWindow(1)], [remoteWindow()]] }), synth: false, heavy: true },
  { name: 'PcieSwitch128', make: () => new PcieSwitch({ width: 128, downstream: [[cardWindow(0)], [cardWindow(1)]], latencyNs: 20, link: { phCredits: 4, pdCredits: 256 } }), synth: false },
  { name: 'JetStreamEngine', make: () => new JetStreamEngine({ width: 512, nodes: 16 }), synth: false },
  { name: 'JetStreamEngine256', make: () => new JetStreamEngine({ width: 256, nodes: 4 }), synth: false },
  { name: 'JetStreamTx', make: () => new JetStreamTx({ width: 512, nodes: 16 }), synth: false },
  { name: 'JetStreamRx', make: () => new JetStreamRx({ width: 512, nodes: 16 }), synth: false },
  { name: 'PacketBuffer', make: () => new PacketBuffer({ width: 64, depthLog2: 4, mode: 'store-and-forward', latencyCycles: 4 }) },
  { name: 'LeafSwitch', make: () => new LeafSwitch({ ports: 4, width: 1024, portMacs: [0x024a53000000n, 0x024a53000001n, 0x024a53000002n, 0x024a53000003n], latencyNs: 300 }), synth: false, heavy: true },
  { name: 'LeafSwitchSmall', make: () => new LeafSwitch({ ports: 3, width: 64, portMacs: [0n, 1n, 2n], mode: 'store-and-forward', queueDepthLog2: 4 }), synth: false },
  { name: 'MacTx', make: () => new MacTx() },
  { name: 'MacRx', make: () => new MacRx({ bufferBeats: 256 }), synth: false },
  { name: 'MacRxCutThrough', make: () => new MacRx({ cutThrough: true }) },
  { name: 'Mac', make: () => new Mac(), synth: false },
  { name: 'EthLink', make: () => new EthLink({ latencyNs: 20, periodPs: 6400 }) },
  { name: 'PacketDownsizer', make: () => new PacketDownsizer({ inWidth: 512, outWidth: 64, err: true }) },
  { name: 'PacketUpsizer', make: () => new PacketUpsizer({ inWidth: 64, outWidth: 512, err: true }) },
  { name: 'PacketAsyncFifo', make: () => new PacketAsyncFifo({ width: 64, depthLog2: 4, err: true, wrDomain: wr, rdDomain: rd }) },
  { name: 'JetStreamNic', make: () => new JetStreamNic({ engineWidth: 512, macWidth: 1024, nodes: 16 }), synth: false, heavy: true },
  { name: 'JetStreamNic64', make: () => new JetStreamNic({ engineWidth: 256, macWidth: 64, nodes: 4 }), synth: false, heavy: true },
  { name: 'LeafSwitchPorts', make: () => new LeafSwitchPorts({ ports: 2, width: 64, portMacs: [0x024a53000000n, 0x024a53000001n], queueDepthLog2: 9 }), synth: false, heavy: true },
  { name: 'Mac400Tx', make: () => new Mac400Tx({ width: 1024 }), synth: false },
  { name: 'Mac400Rx', make: () => new Mac400Rx({ width: 1024 }), synth: false, heavy: true },
  { name: 'Mac400', make: () => new Mac400({ width: 1024 }), synth: false, heavy: true },
  { name: 'Mac400x512', make: () => new Mac400({ width: 512, maxFrame: 300, bufferGroups: 128 }), synth: false },
];
