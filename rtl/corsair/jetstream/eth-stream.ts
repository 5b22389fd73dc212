// The MAC client interface: Ethernet frames (destination address to the end of the payload; no preamble, no FCS)
// as a packet stream, plus an error bit on the last beat for cut-through paths.
import { Out, type BundleSpec } from '../../core/index.ts';
import { PacketStream } from '../../lib/packet.ts';

/**
 * Frame bytes DA, SA, EtherType, payload (the MAC adds padding and FCS on transmit and strips the FCS on receive).
 * `err` on the last beat: on receive, the frame turned out bad (FCS, truncated, oversize) after its first bytes were
 * already passed on (cut-through); on transmit, send this frame with a corrupted FCS so the next hop drops it.
 */
export const EthStream = (width: number) =>
  ({
    ...PacketStream(width),
    err: Out(1, { doc: 'last beat only: the frame is bad (receive) / stomp its FCS (transmit)' }),
  }) satisfies BundleSpec;
