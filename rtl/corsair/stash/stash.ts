// The Corsair stash: the chiplet's banked SRAM that feeds the matrix units (6 MB in Corsair). Words are interleaved
// over the banks (word w lives in bank w mod banks, row w / banks); each bank serves one access a cycle, chosen by a
// round-robin arbiter (an optional priority port wins over it). Ports: the dispatch core's data bus (`cpu`, 32-bit
// lanes of the wide word), the DMA engine (`dma`), inbound PCIe peer-to-peer writes (`pcieIn`), the PCIe P2P
// engine's outbound reads (`pcieOut`) and the matrix units' wide read ports (`mu[i]`). Reads return after a fixed
// `readLatency`, so every port's responses come back in request order.
import { Module, U, cat, clog2, flip, mux, select, when, type HwBundle, type Memory, type Sig } from '../../core/index.ts';
import { MemPort } from '../../lib/mem-port.ts';
import { RoundRobinArbiter } from '../../lib/arbiter.ts';
import { DispatchBus } from '../dispatch/core.ts';

export interface StashOptions {
  /** Bytes in the stash (default 6 MiB); a multiple of banks x wordBytes. */
  sizeBytes?: number;
  /** Banks (power of two, default 8). */
  banks?: number;
  /** Bytes a word (power of two, 4..256, default 64: one 64-byte matrix-unit input vector or weight row). */
  wordBytes?: number;
  /** Cycles from a read's acceptance to its response (>= 1, default 2: the SRAM read + one output register). */
  readLatency?: number;
  /** Wide read ports for the matrix units (default 2). */
  muPorts?: number;
  /** A port that wins every bank it asks for over the round-robin order: 'cpu', 'dma', 'pcieIn', 'pcieOut' or 'muN'. */
  priority?: string;
}

export type StashMemPort = HwBundle<ReturnType<typeof flip<ReturnType<typeof MemPort>>>>;

/** Names of the requesters, in arbitration order (index = the bit in each bank's request vector). */
export function stashPortNames(muPorts: number): string[] {
  return ['cpu', 'dma', 'pcieIn', 'pcieOut', ...Array.from({ length: muPorts }, (_, i) => `mu${i}`)];
}

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

export class Stash extends Module {
  /** The dispatch core's data port: 32-bit accesses; the address's low bits are the byte offset in the stash. */
  readonly cpu: HwBundle<ReturnType<typeof flip<typeof DispatchBus>>>;
  /** The DMA engine's port (read and write, byte enables). */
  readonly dma: StashMemPort;
  /** Inbound peer-to-peer writes from the card's PCIe endpoint (reads work too). */
  readonly pcieIn: StashMemPort;
  /** The PCIe peer-to-peer engine reads outbound data here (writes work too). */
  readonly pcieOut: StashMemPort;
  /** Wide read ports feeding the matrix units' inputs and weight loading (requests with we = 1 are read too). */
  readonly mu: StashMemPort[];
  /** One memory per bank, for testbench backdoor access. */
  readonly bank: Memory[];
  readonly options: Required<Omit<StashOptions, 'priority'>> & { priority: string | undefined };
  /** Bits of a byte address in the stash. */
  readonly addrBits: number;
  readonly rowsPerBank: number;

  constructor(opts: StashOptions = {}) {
    super();
    const o = {
      sizeBytes: opts.sizeBytes ?? 6 * 2 ** 20,
      banks: opts.banks ?? 8,
      wordBytes: opts.wordBytes ?? 64,
      readLatency: opts.readLatency ?? 2,
      muPorts: opts.muPorts ?? 2,
      priority: opts.priority,
    };
    const names = stashPortNames(o.muPorts);
    if (!isPow2(o.banks) || o.banks > 64) throw new Error(`Stash: banks must be a power of two 1..64, got ${o.banks}`);
    if (!isPow2(o.wordBytes) || o.wordBytes < 4 || o.wordBytes > 256) throw new Error(`Stash: wordBytes must be a power of two 4..256, got ${o.wordBytes}`);
    if (!Number.isInteger(o.readLatency) || o.readLatency < 1 || o.readLatency > 16) throw new Error(`Stash: readLatency must be an integer 1..16, got ${o.readLatency}`);
    if (!Number.isInteger(o.muPorts) || o.muPorts < 0 || o.muPorts > 16) throw new Error(`Stash: muPorts must be an integer 0..16, got ${o.muPorts}`);
    if (!Number.isInteger(o.sizeBytes) || o.sizeBytes < o.banks * o.wordBytes || o.sizeBytes % (o.banks * o.wordBytes) !== 0 || o.sizeBytes > 2 ** 31) {
      throw new Error(`Stash: sizeBytes must be a positive multiple of banks x wordBytes (${o.banks * o.wordBytes}) up to 2^31, got ${o.sizeBytes}`);
    }
    if (o.priority !== undefined && !names.includes(o.priority)) throw new Error(`Stash: priority must be one of ${names.join(', ')}, got '${o.priority}'`);
    this.options = o;
    const W = o.wordBytes * 8;
    const offBits = Math.log2(o.wordBytes);
    const bankBits = Math.log2(o.banks);
    const aw = clog2(o.sizeBytes);
    this.addrBits = aw;
    this.rowsPerBank = o.sizeBytes / (o.banks * o.wordBytes);
    const rowBits = Math.max(1, aw - offBits - bankBits);
    const n = names.length;
    const L = o.readLatency;

    this.cpu = this.port(flip(DispatchBus));
    this.dma = this.port(flip(MemPort(aw, W)));
    this.pcieIn = this.port(flip(MemPort(aw, W)));
    this.pcieOut = this.port(flip(MemPort(aw, W)));
    this.mu = Array.from({ length: o.muPorts }, () => this.port(flip(MemPort(aw, W))));
    const wide = [this.dma, this.pcieIn, this.pcieOut, ...this.mu];

    // ---- the cpu port as one more requester: its 32-bit lane of the wide word
    const lanes = o.wordBytes / 4;
    const cpuAddr = this.cpu.addr.slice(aw - 1, 0);
    const cpuLane = lanes === 1 ? U(0, 1) : this.cpu.addr.slice(offBits - 1, 2);
    /** a cpu read was accepted and its data has not been returned yet (the core holds its request meanwhile) */
    const cpuPending = this.reg(1);
    const cpuValid = this.cpu.valid.and(cpuPending.not());
    const cpuBe = lanes === 1 ? this.cpu.be : this.cpu.be.zext(o.wordBytes).shl(cpuLane.zext(offBits).shl(2));
    const laneShift = lanes === 1 ? undefined : cat(cpuLane, U(0, 5)); // lane x 32 bits
    const cpuWdata = laneShift ? this.cpu.wdata.zext(W).shl(laneShift) : this.cpu.wdata;

    interface Req { valid: Sig; we: Sig; addr: Sig; wdata?: Sig; be?: Sig }
    const reqs: Req[] = [
      { valid: cpuValid, we: this.cpu.we, addr: cpuAddr, wdata: cpuWdata, be: cpuBe },
      ...wide.map((p, i) => (i < 3
        ? { valid: p.req.valid, we: p.req.we, addr: p.req.addr, wdata: p.req.wdata, be: p.req.be }
        : { valid: p.req.valid, we: U(0, 1), addr: p.req.addr })),
    ];
    const bankOf = (a: Sig): Sig => (bankBits === 0 ? U(0, 1) : a.slice(offBits + bankBits - 1, offBits));
    const rowOf = (a: Sig): Sig => (aw - offBits - bankBits <= 0 ? U(0, 1) : a.slice(aw - 1, offBits + bankBits));
    const reqBank = reqs.map((r) => bankOf(r.addr));
    const reqRow = reqs.map((r) => rowOf(r.addr));
    const prio = o.priority === undefined ? -1 : names.indexOf(o.priority);

    // ---- per bank: arbitration, one access a cycle
    const granted: Sig[][] = names.map(() => []); // granted[port][bank]
    const bankData: Sig[] = [];
    const bankRead: Sig[] = [];
    this.bank = [];
    for (let b = 0; b < o.banks; b++) {
      const mem = this.memory({ depth: this.rowsPerBank, width: W, name: `bank${b}` });
      this.bank.push(mem);
      const wants = reqs.map((r, i) => r.valid.and(bankBits === 0 ? U(1, 1) : reqBank[i]!.eq(b)));
      const reqVec = cat(...wants.slice().reverse());
      const arb = new RoundRobinArbiter(n);
      arb.req.assign(prio < 0 ? reqVec : mux(wants[prio]!, U(0, n), reqVec));
      arb.ack.assign(U(1, 1));
      const grant = prio < 0 ? arb.grant : mux(wants[prio]!, U(1n << BigInt(prio), n), arb.grant);
      const g = names.map((_, i) => grant.bit(i));
      g.forEach((x, i) => granted[i]!.push(x));
      // the granted requester as an index
      const ib = clog2(n);
      const idx = n === 1 ? U(0, 1) : g.reduce((acc, x, i) => (i === 0 ? acc : acc.or(mux(x, U(i, ib), U(0, ib)))), U(0, ib));
      const any = grant.orR();
      const row = select(idx, reqRow);
      const we = select(idx, reqs.map((r) => r.we)).and(any);
      const writers = reqs.filter((r) => r.wdata !== undefined);
      // the writers are the first four requesters (a matrix-unit port never writes: we is 0 when one is granted)
      const wIdx = idx.width > 2 ? idx.slice(1, 0) : idx;
      const wdata = select(wIdx, writers.map((r) => r.wdata!));
      const be = select(wIdx, writers.map((r) => r.be!));
      const rowAddr = row.width > rowBits ? row.slice(rowBits - 1, 0) : row;
      mem.write(rowAddr, wdata, { en: we, mask: be });
      const rd = any.and(we.not());
      let data: Sig = mem.read(rowAddr, { en: rd });
      let dataValid: Sig = this.regNext(rd);
      for (let s = 2; s < L; s++) {
        data = this.regNext(data, { reset: 'none' });
        dataValid = this.regNext(dataValid);
      }
      bankData.push(data);
      bankRead.push(dataValid);
    }
    // the last stage of a read (readLatency >= 2): one output register per bank, kept in a small register array
    // written when its bank delivers a word; each port reads the register of the bank its response comes from
    const outRegs = L >= 2 ? this.memory({ depth: o.banks, width: W, name: 'bankOut' }) : undefined;
    if (outRegs) bankData.forEach((d, b) => outRegs.write(U(b, Math.max(1, bankBits)), d, { en: bankRead[b] }));

    // ---- handshakes and in-order responses (fixed latency per port)
    const ready = names.map((_, i) => (o.banks === 1 ? granted[i]![0]! : select(reqBank[i]!, granted[i]!)));
    const rspData: Sig[] = [];
    const rspValid: Sig[] = [];
    for (let i = 0; i < n; i++) {
      const isRead = reqs[i]!.valid.and(ready[i]!).and(reqs[i]!.we.not());
      let v: Sig = isRead;
      let bk: Sig = reqBank[i]!;
      for (let s = 0; s < L; s++) {
        v = this.regNext(v);
        bk = this.regNext(bk, { reset: 'none' });
      }
      rspValid.push(v);
      rspData.push(outRegs ? outRegs.readAsync(bk) : o.banks === 1 ? bankData[0]! : select(bk, bankData));
    }
    wide.forEach((p, j) => {
      p.req.ready.assign(ready[j + 1]!);
      p.rsp.valid.assign(rspValid[j + 1]!);
      p.rsp.data.assign(rspData[j + 1]!);
    });
    // cpu: a write completes at its grant, a read when its data comes back
    const cpuRead = cpuValid.and(ready[0]!).and(this.cpu.we.not());
    when(cpuRead, () => cpuPending.set(1)).elsewhen(rspValid[0]!, () => cpuPending.set(0));
    this.cpu.ready.assign(cpuValid.and(ready[0]!).and(this.cpu.we).or(rspValid[0]!));
    this.cpu.rdata.assign(laneShift ? rspData[0]!.shr(laneShift).slice(31, 0) : rspData[0]!);
  }
}
