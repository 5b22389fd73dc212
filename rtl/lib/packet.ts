// Packet streams: a valid/ready stream of beats that carries variable-length packets (PCIe TLPs, Ethernet frames),
// AXI-stream style. Byte i of a beat is at bits 8i+7..8i; byte 0 of the first beat is byte 0 of the packet.
import { In, Out, bitsFor, type BundleSpec } from '../core/index.ts';

/**
 * `width`-bit beats (a multiple of 8). Every beat but the last of a packet is full; `bytes` says how many bytes
 * of the last beat are valid (1..width/8, low bytes first) and is ignored on other beats. A packet starts on the
 * beat after a `last` (or the first beat after reset).
 */
export const PacketStream = (width: number) =>
  ({
    valid: Out(1, { doc: 'a beat is offered (held, unchanged, until ready)' }),
    ready: In(1, { doc: 'the beat is taken at this clock edge if valid is high' }),
    data: Out(width, { doc: 'the beat: byte i at bits 8i+7..8i' }),
    last: Out(1, { doc: 'the last beat of the packet' }),
    bytes: Out(bitsFor(width / 8), { doc: 'valid bytes in the last beat (1..width/8); ignored when last is 0' }),
  }) satisfies BundleSpec;
