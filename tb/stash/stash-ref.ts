// Reference model of the stash for the testbenches: a plain byte array (no banks, no arbitration). Writes land at
// their handshake; a read returns the bytes as they were at its handshake. Also the scoreboard of one port: the
// reads it expects back, in order, each with the cycle it is due.
export class RefMemory {
  readonly bytes: Uint8Array;
  constructor(readonly sizeBytes: number, readonly wordBytes: number) {
    this.bytes = new Uint8Array(sizeBytes);
  }
  /** The word holding byte address `addr` (low bits ignored), byte i at bits 8i+7..8i; 0 outside the memory. */
  readWord(addr: number): bigint {
    const base = addr - (addr % this.wordBytes);
    let v = 0n;
    for (let i = this.wordBytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(base + i < this.sizeBytes ? this.bytes[base + i]! : 0);
    return v;
  }
  /** Write the bytes of `data` whose bit in `be` is set. */
  writeWord(addr: number, data: bigint, be: bigint): void {
    const base = addr - (addr % this.wordBytes);
    for (let i = 0; i < this.wordBytes; i++) {
      if (((be >> BigInt(i)) & 1n) && base + i < this.sizeBytes) this.bytes[base + i] = Number((data >> BigInt(8 * i)) & 0xffn);
    }
  }
}

export interface Expected {
  addr: number;
  data: bigint;
  due: number;
}

/** Reads of one port waiting for their response, oldest first. */
export class PortScoreboard {
  readonly queue: Expected[] = [];
  reads = 0;
  writes = 0;
  responses = 0;
  constructor(readonly name: string) {}
  /** A response arrived at `cycle`: it must be the oldest read, due now, with its data. */
  check(cycle: number, data: bigint): string | undefined {
    const e = this.queue.shift();
    this.responses++;
    if (!e) return `${this.name}: a response at cycle ${cycle} with no read outstanding`;
    if (e.due !== cycle) return `${this.name}: the read of 0x${e.addr.toString(16)} answered at cycle ${cycle}, due at ${e.due}`;
    if (e.data !== data) return `${this.name}: the read of 0x${e.addr.toString(16)} returned 0x${data.toString(16)}, expected 0x${e.data.toString(16)}`;
    return undefined;
  }
}
