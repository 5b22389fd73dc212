// Random traffic on every port of the stash at once, checked against the reference memory (tb/stash/stash-ref.ts):
// each port offers requests at random (held until ready, as the protocols require), the stash back-pressures them
// with bank conflicts; every wide-port read must come back exactly readLatency cycles after its handshake, in
// order, with the bytes the reference held at the handshake; every cpu read must return a value the word held
// while the request was pending. At the end every word is read back through the dma port.
import type { Testbench } from '../runtime/index.ts';
import type { Stash } from '../../rtl/corsair/stash/stash.ts';
import { randomBits, uniform } from '../lib/stream-bfm.ts';
import { PortScoreboard, RefMemory } from './stash-ref.ts';

export interface TrafficOptions {
  cycles: number;
  seed: number;
  /** Chance (0..1) a free port offers a request in a cycle, per port (cpu, dma, pcieIn, pcieOut, mu...). */
  offer: number[];
  /** Chance a request is a write (ports that can write). */
  writePct?: number;
  /** Addresses are drawn from [0, span) bytes (default the whole stash; a little more tests out-of-range). */
  span?: number;
}

export interface TrafficStats {
  handshakes: number[];
  /** Cycles a port offered a request that was not taken. */
  stalls: number[];
  cpuReads: number;
  cpuWrites: number;
  ref: RefMemory;
}

interface Held { we: boolean; addr: number; wdata: bigint; be: bigint }

export async function allPortTraffic(tb: Testbench<Stash>, o: TrafficOptions): Promise<TrafficStats> {
  const { dut } = tb;
  const st = tb.top;
  const { wordBytes, readLatency: L, sizeBytes } = st.options;
  const rand = uniform(o.seed);
  const ref = new RefMemory(sizeBytes, wordBytes);
  const wide = [dut.dma, dut.pcieIn, dut.pcieOut, ...(dut.mu ?? [])];
  const canWrite = (j: number) => j < 3;
  const boards = ['dma', 'pcieIn', 'pcieOut', ...(dut.mu ?? []).map((_, i) => `mu${i}`)].map((n) => new PortScoreboard(n));
  const held: Array<Held | undefined> = wide.map(() => undefined);
  const stats: TrafficStats = { handshakes: [0, ...wide.map(() => 0)], stalls: [0, ...wide.map(() => 0)], cpuReads: 0, cpuWrites: 0, ref };
  const span = o.span ?? sizeBytes;
  const wp = o.writePct ?? 0.5;
  const allBe = (1n << BigInt(wordBytes)) - 1n;
  // the cpu: one access at a time, held until ready; a read may return any value the word held while pending
  let cpu: (Held & { size: number; seen: Set<number> }) | undefined;
  const cpuWord = (a: number) => Number(ref.readWord(a & ~3) >> BigInt(8 * (a % wordBytes & ~3)) & 0xffff_ffffn);
  const errors: string[] = [];
  for (let c = 0; c < o.cycles + L + 2; c++) {
    const issuing = c < o.cycles;
    // new requests
    for (let j = 0; j < wide.length; j++) {
      if (!held[j] && issuing && rand() < o.offer[j + 1]!) {
        const we = canWrite(j) && rand() < wp;
        held[j] = { we, addr: Math.floor(rand() * span), wdata: randomBits(rand, wordBytes * 8), be: rand() < 0.3 ? allBe : randomBits(rand, wordBytes) };
      }
      const h = held[j];
      const p = wide[j]!;
      p.req.valid.value = h ? 1 : 0;
      // a matrix-unit port only reads: its we is ignored, so drive it at random
      p.req.we.value = h && canWrite(j) ? (h.we ? 1 : 0) : rand() < 0.5 ? 1 : 0;
      p.req.addr.value = h ? h.addr : Math.floor(rand() * sizeBytes);
      p.req.wdata.big = h ? h.wdata : randomBits(rand, wordBytes * 8);
      p.req.be.big = h ? h.be : randomBits(rand, wordBytes);
    }
    if (!cpu && issuing && rand() < o.offer[0]!) {
      const size = [1, 2, 4][Math.floor(rand() * 3)]!;
      const addr = Math.floor((rand() * Math.min(span, sizeBytes)) / size) * size;
      const we = rand() < wp;
      // wdata in its byte lanes (the other lanes random: be must mask them)
      cpu = { we, addr, size, wdata: randomBits(rand, 32), be: BigInt(((1 << size) - 1) << (addr & 3)), seen: new Set([cpuWord(addr)]) };
    }
    dut.cpu.valid.value = cpu ? 1 : 0;
    dut.cpu.we.value = cpu?.we ? 1 : 0;
    dut.cpu.addr.value = cpu ? cpu.addr : 0;
    dut.cpu.wdata.value = cpu ? Number(cpu.wdata) : 0;
    dut.cpu.be.value = cpu ? Number(cpu.be) : 0;
    await tb.falling();
    // responses
    wide.forEach((p, j) => {
      if (p.rsp.valid.value) {
        const e = boards[j]!.check(c, p.rsp.data.big);
        if (e) errors.push(e);
      }
    });
    // handshakes: reads see the memory before this edge's writes (no two accesses share a bank in one cycle)
    const writes: Held[] = [];
    wide.forEach((p, j) => {
      const h = held[j];
      if (!h) return;
      if (p.req.ready.value) {
        stats.handshakes[j + 1]!++;
        if (h.we) {
          writes.push(h);
          boards[j]!.writes++;
        } else {
          boards[j]!.reads++;
          boards[j]!.queue.push({ addr: h.addr, data: ref.readWord(h.addr), due: c + L });
        }
        held[j] = undefined;
      } else stats.stalls[j + 1]!++;
    });
    if (cpu) {
      if (dut.cpu.ready.value) {
        stats.handshakes[0]!++;
        if (cpu.we) {
          stats.cpuWrites++;
          writes.push({ we: true, addr: cpu.addr, wdata: cpu.wdata << BigInt(8 * (cpu.addr % wordBytes & ~3)), be: cpu.be << BigInt(cpu.addr % wordBytes & ~3) });
        } else {
          stats.cpuReads++;
          const got = dut.cpu.rdata.value >>> 0;
          if (!cpu.seen.has(got)) errors.push(`cpu: read of 0x${cpu.addr.toString(16)} at cycle ${c} returned 0x${got.toString(16)}, the word held ${[...cpu.seen].map((x) => `0x${x.toString(16)}`).join(', ')}`);
        }
        cpu = undefined;
      } else stats.stalls[0]!++;
    }
    for (const w of writes) ref.writeWord(w.addr, w.wdata, w.be);
    if (cpu && !cpu.we) cpu.seen.add(cpuWord(cpu.addr));
    if (errors.length) throw new Error(errors.join('\n'));
    await tb.rising();
  }
  for (const b of boards) if (b.queue.length) throw new Error(`${b.name}: ${b.queue.length} reads never answered`);
  dut.cpu.valid.value = 0;
  for (const p of wide) p.req.valid.value = 0;
  return stats;
}

/** Read every word of the stash through the dma port (front door) and compare with the reference. */
export async function readBack(tb: Testbench<Stash>, ref: RefMemory): Promise<void> {
  const { dut } = tb;
  const { wordBytes, readLatency: L, sizeBytes } = tb.top.options;
  const board = new PortScoreboard('dma read-back');
  let next = 0;
  for (let c = 0; next < sizeBytes || board.queue.length; c++) {
    dut.dma.req.valid.value = next < sizeBytes ? 1 : 0;
    dut.dma.req.we.value = 0;
    dut.dma.req.addr.value = Math.min(next, sizeBytes - 1);
    await tb.falling();
    if (dut.dma.rsp.valid.value) {
      const e = board.check(c, dut.dma.rsp.data.big);
      if (e) throw new Error(e);
    }
    if (next < sizeBytes && dut.dma.req.ready.value) {
      board.queue.push({ addr: next, data: ref.readWord(next), due: c + L });
      next += wordBytes;
    }
    await tb.rising();
    if (c > sizeBytes * 4 + 100) throw new Error('read-back stalled');
  }
  dut.dma.req.valid.value = 0;
}

