// The block library: streams and their pipeline stages, FIFOs, synchronizers, arbiters, counters and CRC-32.
export { Stream, fire, StreamReg, SkidBuffer } from './stream.ts';
export { Fifo } from './fifo.ts';
export { Sync2 } from './sync.ts';
export { AsyncFifo } from './async-fifo.ts';
export { FixedPriorityArbiter, RoundRobinArbiter, lowestOne } from './arbiter.ts';
export { Counter, UpDownCounter, type CounterOptions } from './counter.ts';
export { Crc32, crc32Update, crc32Equations, CRC32_POLY_REFLECTED, CRC32_RESIDUE } from './crc32.ts';
export { CsrBus } from './csr-bus.ts';
export { MemPort } from './mem-port.ts';
export { PacketStream } from './packet.ts';
export { PacketDownsizer, PacketUpsizer, packetWidthConverter, PacketStreamWithErr, type PacketSinkPorts, type PacketSourcePorts, type PacketWidthOptions } from './packet-width.ts';
export { PacketAsyncFifo, type PacketAsyncFifoOptions } from './packet-async-fifo.ts';
