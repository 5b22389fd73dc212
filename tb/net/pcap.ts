// pcap writer (behavioural, for tests and tools): classic libpcap format, magic 0xa1b2c3d4 (microsecond
// timestamps), link type 1 (Ethernet), each record a frame from DA to the end of its FCS (tshark needs
// `-o eth.fcs:Always` to treat the last 4 bytes as FCS). Timestamps come from simulated time in ps.
import { writeFileSync } from 'node:fs';

export interface PcapRecord {
  /** Simulated time of the frame's start, in ps. */
  timePs: number;
  /** DA to the end of the FCS. */
  bytes: Uint8Array;
}

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_ETHERNET = 1;

/** The whole file as bytes. */
export function pcapBytes(records: readonly PcapRecord[], snaplen = 65535): Buffer {
  const size = 24 + records.reduce((a, r) => a + 16 + Math.min(r.bytes.length, snaplen), 0);
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(PCAP_MAGIC, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeInt32LE(0, 8);
  buf.writeUInt32LE(0, 12);
  buf.writeUInt32LE(snaplen, 16);
  buf.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  let o = 24;
  for (const r of records) {
    if (!(r.timePs >= 0)) throw new Error(`pcap: negative or missing time ${r.timePs}`);
    const us = Math.floor(r.timePs / 1e6);
    const n = Math.min(r.bytes.length, snaplen);
    buf.writeUInt32LE(Math.floor(us / 1e6), o);
    buf.writeUInt32LE(us % 1e6, o + 4);
    buf.writeUInt32LE(n, o + 8);
    buf.writeUInt32LE(r.bytes.length, o + 12);
    buf.set(r.bytes.subarray(0, n), o + 16);
    o += 16 + n;
  }
  return buf;
}

/** Write a pcap file. */
export function writePcap(path: string, records: readonly PcapRecord[]): void {
  writeFileSync(path, pcapBytes(records));
}
