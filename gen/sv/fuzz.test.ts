// Random circuits (tb/sim/fuzz.ts: every operator, registers of every reset kind, memories with masks, up to two
// clock domains) through the SV backend: each must lint clean with `verilator --lint-only -Wall` and replay the
// JavaScript simulator's trace exactly. The samples come from a fixed seed, so a failure reproduces; the SV is left
// in the temporary folder named in the failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { elaborate } from '../../rtl/core/index.ts';
import { FuzzTop, circuitArb, showCircuit } from '../../tb/sim/fuzz.ts';
import { itWithTools } from '../../tb/tools.ts';
import { emitDesign } from './emit.ts';
import { writeDesign } from './write.ts';
import { buildHarness, recordTrace, replay } from './verilator.ts';

const CIRCUITS = 12;
// memories keep their ports in one domain: a 'new' read at an instant where another domain writes the same word is
// a race between unrelated clocks, which the SV and the simulator resolve differently (see README.md)
const samples = fc.sample(circuitArb({ maxDomains: 2, maxNodes: 40, crossDomainMemories: false }), { numRuns: CIRCUITS, seed: 2024 });

describe('random circuits', () => {
  samples.forEach((desc, i) => {
    itWithTools(['verilator'], `circuit ${i}: lints clean and matches the simulator`, () => {
      const nl = elaborate(new FuzzTop(desc));
      const design = emitDesign(nl);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sv-fuzz-${i}-`));
      writeDesign(design, dir);
      const lint = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', design.top, ...design.fileList], { cwd: dir, encoding: 'utf8' });
      const lintOut = `${lint.stdout}${lint.stderr}`.trim();
      expect(lintOut, `${lintOut}\nSV in ${dir}\n${showCircuit(desc)}`).toBe('');
      const r = replay(buildHarness(design), recordTrace(nl, design, { events: 600, seed: i }));
      expect(r.message, `SV in ${dir}\n${showCircuit(desc)}`).toBe('OK 601 events');
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
