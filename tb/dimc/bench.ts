// Simulation speed of the full 64x64 DIMC matrix unit at full rate (a vector in and a result out every cycle):
// elaboration and compile time, the JIT warm-up, then steady simulated cycles per second and matrix-vector
// products per wall-clock second; with --verilator, the same on Verilator. Run:
// npx tsx tb/dimc/bench.ts [--verilator] [rows cols treeStages]
import { spawnSync } from 'node:child_process';
import { elaborate } from '../../rtl/core/index.ts';
import { DimcMatrixUnit } from '../../rtl/corsair/dimc/index.ts';
import { Simulator } from '../sim/simulator.ts';
import { emitDesign } from '../../gen/sv/emit.ts';
import { verilatorName } from '../../gen/sv/names.ts';
import { buildVerilated } from '../../gen/sv/verilator.ts';

export interface DimcBenchResult {
  elaborateMs: number;
  compileMs: number;
  warmupS: number;
  cyclesPerSec: number;
  productsPerSec: number;
}

export function benchDimc(rows = 64, cols = 64, treeStages = 2, log = false): DimcBenchResult {
  const t0 = performance.now();
  const top = new DimcMatrixUnit({ rows, cols, treeStages });
  const nl = elaborate(top);
  const t1 = performance.now();
  const sim = new Simulator(nl);
  const t2 = performance.now();
  for (const r of nl.resets.values()) sim.poke(r, 1);
  sim.runCycles(2);
  for (const r of nl.resets.values()) sim.poke(r, 0);
  // load a weight row pattern into both banks, then stream vectors with the output always ready
  sim.poke(top.wr.valid, 1);
  for (let bank = 0; bank < 2; bank++) {
    for (let r = 0; r < rows; r++) {
      sim.poke(top.wr.row, r);
      let d = 0n;
      for (let j = 0; j < cols; j++) d |= BigInt((r * 37 + j * 11 + 128) & 255) << BigInt(8 * j);
      sim.poke(top.wr.data, d);
      sim.runCycles(1);
    }
    sim.poke(top.wr.valid, 0);
    sim.poke(top.csr.en, 1);
    sim.poke(top.csr.we, 1);
    sim.poke(top.csr.addr, 2);
    sim.poke(top.csr.wdata, 1);
    sim.runCycles(1);
    sim.poke(top.csr.en, 0);
    sim.poke(top.wr.valid, 1);
  }
  sim.poke(top.wr.valid, 0);
  let x = 0n;
  for (let j = 0; j < cols; j++) x |= BigInt((j * 73 + 5) & 255) << BigInt(8 * j);
  sim.poke(top.in.data, x);
  sim.poke(top.in.valid, 1);
  sim.poke(top.out.ready, 1);
  // warm up until the rate stops improving (V8 compiles the big chunks in the background)
  const w0 = performance.now();
  let best = 0;
  let flat = 0;
  while (performance.now() - w0 < 60_000 && flat < 3) {
    const s = performance.now();
    sim.runCycles(1000);
    const rate = 1000 / ((performance.now() - s) / 1000);
    if (log) console.log(`warm-up ${((performance.now() - w0) / 1000).toFixed(1)} s: ${rate.toFixed(0)} cycles/s`);
    if (rate > best * 1.05) {
      best = rate;
      flat = 0;
    } else flat++;
  }
  const warmupS = (performance.now() - w0) / 1000;
  let bestMs = Infinity;
  const n = 5000;
  for (let k = 0; k < 3; k++) {
    const s = performance.now();
    sim.runCycles(n);
    bestMs = Math.min(bestMs, performance.now() - s);
  }
  const cyclesPerSec = n / (bestMs / 1000);
  if (sim.peekNumber(top.in.ready) !== 1 || sim.peekNumber(top.out.valid) !== 1) throw new Error('bench: the unit is not at full rate');
  return { elaborateMs: t1 - t0, compileMs: t2 - t1, warmupS, cyclesPerSec, productsPerSec: cyclesPerSec };
}

/**
 * The same run on Verilator (-O3) over the SV we emit: the same weights and vector, then `cycles` cycles timed.
 * (bench/tools.ts's generic harness cannot drive inputs wider than 64 bits yet, so this one writes the words.)
 */
export function benchDimcVerilator(rows = 64, cols = 64, treeStages = 2, cycles = 200_000): { cyclesPerSec: number; buildSeconds: number; outValid: number } {
  const design = emitDesign(elaborate(new DimcMatrixUnit({ rows, cols, treeStages })));
  const v = (n: string) => `top->${verilatorName(n)}`;
  const words = (name: string, bytes: (j: number) => string) =>
    Array.from({ length: cols / 4 }, (_, i) => `${v(name)}[${i}] = ${[0, 1, 2, 3].map((b) => `((uint32_t)(${bytes(4 * i + b)}) & 255u) << ${8 * b}`).join(' | ')};`).join(' ');
  if (cols % 4 !== 0 || cols * 8 <= 64) throw new Error('benchDimcVerilator: cols must be a multiple of 4 above 8');
  const tick = `${v('clk')} = 0; top->eval(); ${v('clk')} = 1; top->eval();`;
  const main = `// DIMC benchmark harness (tb/dimc/bench.ts)
#include "V${design.top}.h"
#include "verilated.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
int main(int argc, char** argv) {
  Verilated::commandArgs(1, argv);
  long long n = atoll(argv[1]);
  V${design.top}* top = new V${design.top};
  ${v('rst')} = 1; ${tick} ${tick} ${v('rst')} = 0;
  for (int bank = 0; bank < 2; bank++) {
    ${v('wr_valid')} = 1;
    for (int r = 0; r < ${rows}; r++) { ${v('wr_row')} = r; ${words('wr_data', (j) => `r * 37 + ${j} * 11 + 128`)} ${tick} }
    ${v('wr_valid')} = 0; ${v('csr_en')} = 1; ${v('csr_we')} = 1; ${v('csr_addr')} = 2; ${v('csr_wdata')} = 1; ${tick} ${v('csr_en')} = 0;
  }
  ${words('in_data', (j) => `${j} * 73 + 5`)}
  ${v('in_valid')} = 1; ${v('out_ready')} = 1;
  for (int i = 0; i < 100; i++) { ${tick} }
  auto t0 = std::chrono::steady_clock::now();
  for (long long i = 0; i < n; i++) { ${tick} }
  auto t1 = std::chrono::steady_clock::now();
  printf("SECONDS %.9f\\n", std::chrono::duration<double>(t1 - t0).count());
  printf("OUT_VALID %d IN_READY %d LANE0 %08x\\n", (int)${v('out_valid')}, (int)${v('in_ready')}, (unsigned)${v('out_data')}[0]);
  top->final();
  delete top;
  return 0;
}
`;
  const b = buildVerilated(design, main, { cxx: 'fast-run', verilatorArgs: ['-O3'] });
  const r = spawnSync(b.exe, [String(cycles)], { encoding: 'utf8', cwd: b.srcDir });
  if (r.status !== 0) throw new Error(`verilator run failed: ${r.stderr}`);
  const secs = Number(/SECONDS ([\d.]+)/.exec(r.stdout)?.[1]);
  const outValid = Number(/OUT_VALID (\d)/.exec(r.stdout)?.[1]);
  return { cyclesPerSec: cycles / secs, buildSeconds: b.built ? b.ms / 1000 : 0, outValid };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2).filter((a) => a !== '--verilator');
  const [rows, cols, st] = args.map(Number);
  if (process.argv.includes('--verilator')) {
    const vr = benchDimcVerilator(rows || 64, cols || 64, st ?? 2);
    console.log(`Verilator: build ${vr.buildSeconds.toFixed(1)} s, ${vr.cyclesPerSec.toFixed(0)} cycles/s (out.valid ${vr.outValid})`);
  }
  const r = benchDimc(rows || 64, cols || 64, st ?? 2, true);
  console.log(
    `DIMC ${rows || 64}x${cols || 64} INT8: elaborate ${r.elaborateMs.toFixed(0)} ms, compile ${r.compileMs.toFixed(0)} ms, ` +
      `warm-up ${r.warmupS.toFixed(1)} s, ${r.cyclesPerSec.toFixed(0)} cycles/s = ${r.productsPerSec.toFixed(0)} matrix-vector products/s ` +
      `(${((r.productsPerSec * (rows || 64) * (cols || 64) * 2) / 1e6).toFixed(1)} M simulated MAC-ops/s); at 1 GHz simulated: 1e9 products per simulated second`,
  );
}
