// The emitted SystemVerilog of every test design passes the three tools: `verilator --lint-only -Wall` with no
// warning at all, `iverilog -g2012 -Wall` with no message, yosys `hierarchy -check; proc; opt; check -assert` with no
// warning, and yosys `synth`. The files go to a temporary folder (kept, and named in the failure, when a tool
// complains; KEEP_SV=1 keeps them always).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { elaborate } from '../../rtl/core/index.ts';
import { itWithTools } from '../../tb/tools.ts';
import { designs } from './designs.ts';
import { emitDesign, type SvDesign } from './emit.ts';
import { writeDesign } from './write.ts';
import { iverilogCompile, verilatorLint, yosysCheck, yosysSynth, type ToolResult } from './lint-tools.ts';

const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sv-lint-'));
let failed = false;
afterAll(() => {
  if (!failed && process.env['KEEP_SV'] !== '1') fs.rmSync(outRoot, { recursive: true, force: true });
});

const written = new Map<string, { dir: string; design: SvDesign }>();
function prepare(name: string): { dir: string; design: SvDesign } {
  let w = written.get(name);
  if (!w) {
    const d = designs.find((x) => x.name === name)!;
    const design = emitDesign(elaborate(d.make()));
    const dir = path.join(outRoot, name);
    fs.rmSync(dir, { recursive: true, force: true });
    writeDesign(design, dir);
    w = { dir, design };
    written.set(name, w);
  }
  return w;
}

function check(r: ToolResult): void {
  if (r.out !== '' || r.status !== 0) failed = true;
  expect(r.out, r.out).toBe('');
  expect(r.status).toBe(0);
}

describe.each(designs.map((d) => d.name))('%s', (name) => {
  itWithTools(['verilator'], 'verilator --lint-only -Wall: no warnings', () => {
    const { dir, design } = prepare(name);
    check(verilatorLint(dir, design.top, design.fileList));
  });

  itWithTools(['iverilog'], 'iverilog -g2012 -Wall: no errors or warnings', () => {
    const { dir, design } = prepare(name);
    check(iverilogCompile(dir, design.fileList));
  });

  itWithTools(['yosys'], 'yosys hierarchy -check; proc; opt; check -assert', () => {
    const { dir, design } = prepare(name);
    check(yosysCheck(dir, design.top, design.fileList));
  });

  itWithTools(['yosys'], 'yosys synth', () => {
    const { dir, design } = prepare(name);
    check(yosysSynth(dir, design.top, design.fileList));
  });
});
