// Memory request port, from the initiator's side: requests on a valid/ready channel (one per handshake, read or
// write with byte enables), read data returned in request order on a response channel the initiator cannot stall.
// The stash's ports, the DMA engine, the PCIe peer-to-peer engine and the off-chip memory model all speak it.
import { In, Out, type BundleSpec } from '../core/index.ts';

/**
 * `addrBits`-bit byte addresses (aligned to the word: the low log2(dataBits/8) bits are ignored), `dataBits`-bit
 * words, byte i of the word at bits 8i+7..8i. Writes complete at their handshake (no response); each read gets
 * exactly one `rsp` beat, in the order the reads were accepted, some cycles later.
 */
export const MemPort = (addrBits: number, dataBits: number) =>
  ({
    req: {
      valid: Out(1, { doc: 'a request is offered (held, unchanged, until ready)' }),
      ready: In(1, { doc: 'the request is taken at this clock edge if valid is high' }),
      we: Out(1, { doc: '1 = write wdata under be, 0 = read' }),
      addr: Out(addrBits, { doc: 'byte address of the word' }),
      wdata: Out(dataBits, { doc: 'write data, byte i at bits 8i+7..8i' }),
      be: Out(dataBits / 8, { doc: 'byte enables of a write (bit i enables byte i)' }),
    },
    rsp: {
      valid: In(1, { doc: 'read data for the oldest outstanding read (cannot be refused)' }),
      data: In(dataBits, { doc: 'the word read' }),
    },
  }) satisfies BundleSpec;
