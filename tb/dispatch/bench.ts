// Benchmark of the dispatch core in our simulator: the benchmark program (tb/dispatch/benchmark.ts) run to its
// tohost store, best of several runs after a warm-up, giving CPI and simulated cycles per second. `npm run bench`
// can call measureDispatch(); standalone: `npx tsx tb/dispatch/bench.ts [--json FILE]`.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DispatchCore, type DispatchCoreOptions } from '../../rtl/corsair/dispatch/core.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { Machine } from '../rv/machine.ts';
import { image } from './harness.ts';
import { benchmarkSource } from './benchmark.ts';

export interface DispatchBench {
  cycles: number;
  instret: number;
  cpi: number;
  /** Simulated cycles per second with the runner's per-cycle tohost check (best run). */
  cyclesPerSec: number;
  /** Elaborate + compile, ms. */
  buildMs: number;
  registerBits: number;
}

export function measureDispatch(core: DispatchCoreOptions = {}, runs = 3): DispatchBench {
  const img = image(benchmarkSource());
  const t0 = performance.now();
  const m = new Machine({ core });
  const buildMs = performance.now() - t0;
  let best = 0;
  let last = undefined as ReturnType<Machine['run']> | undefined;
  for (let i = 0; i < runs + 1; i++) {
    m.clearMemories();
    m.load(img);
    m.reset();
    last = m.run(5_000_000);
    if (last.status !== 'pass') throw new Error(`dispatch benchmark: ${last.status} (tohost ${last.tohost})`);
    if (i > 0) best = Math.max(best, last.cycles / last.seconds); // the first run warms up the JIT
  }
  return {
    cycles: last!.cycles,
    instret: last!.instret,
    cpi: last!.cpi,
    cyclesPerSec: best,
    buildMs,
    registerBits: m.sim.netlist.regs.reduce((n, r) => n + r.width, 0),
  };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = measureDispatch();
  console.log(`dispatch core, benchmark program: ${r.cycles} cycles, ${r.instret} instructions, CPI ${r.cpi.toFixed(3)}, ` +
    `${(r.cyclesPerSec / 1e6).toFixed(2)} M cycles/s, build ${r.buildMs.toFixed(0)} ms, ${r.registerBits} register bits`);
  const i = process.argv.indexOf('--json');
  if (i > 0 && process.argv[i + 1]) fs.writeFileSync(process.argv[i + 1]!, JSON.stringify(r, null, 2) + '\n');
}

/**
 * The core with the benchmark program in its memories' initial contents, for running the same program on
 * Verilator and Icarus from our emitted SV (npm run bench): reset, then inputs held at 0.
 */
export function benchmarkCore(core: DispatchCoreOptions = {}): DispatchCore {
  const img = image(benchmarkSource());
  const itcm = new Uint32Array((core.itcmBytes ?? A.ITCM_SIZE) / 4);
  const dtcm = new Uint32Array((core.dtcmBytes ?? A.DTCM_SIZE) / 4);
  for (const s of img.segments) {
    const [mem, base] = s.addr >= A.DTCM_BASE ? [dtcm, A.DTCM_BASE] : [itcm, A.ITCM_BASE];
    for (let i = 0; i < s.data.length; i++) {
      const a = s.addr - base + i;
      mem[a >>> 2] = (mem[a >>> 2]! | (s.data[i]! << (8 * (a & 3)))) >>> 0;
    }
  }
  return new DispatchCore({ ...core, itcmInit: itcm, dtcmInit: dtcm });
}
