// The VCD header VcdWriter writes: timescale, nested scopes, $var lines, ids, and the $dumpvars block.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { VcdWriter, type VcdVar } from './writer.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcd-header-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function dumpText(vars: VcdVar[], opts = {}): string {
  const file = path.join(dir, 'h.vcd');
  const w = new VcdWriter(file, vars, opts);
  w.sample(0, new Int32Array(64));
  w.close();
  return fs.readFileSync(file, 'utf8');
}

describe('VCD header', () => {
  it('is well formed: timescale 1 ps, nested scopes, ranges only for vectors, #0 before $dumpvars', () => {
    const text = dumpText(
      [
        { scope: ['top'], name: 'clk', width: 1, slot: 0 },
        { scope: ['top', 'fifo0'], name: 'count', width: 8, slot: 1 },
        { scope: ['top', 'fifo0', 'mem'], name: 'row', width: 100, slot: 2 },
        { scope: ['top', 'fifo1'], name: 'count', width: 8, slot: 6 },
        { scope: ['top'], name: 'count_alias', width: 8, slot: 1 },
      ],
      { date: 'today', comment: 'unit test' },
    );
    expect(text).toBe(
      [
        '$date',
        '\ttoday',
        '$end',
        '$version',
        '\tcorsair-rtl tb/vcd/writer.ts',
        '$end',
        '$comment',
        '\tunit test',
        '$end',
        '$timescale 1 ps $end',
        '$scope module top $end',
        '$var wire 1 ! clk $end',
        '$var wire 8 " count_alias [7:0] $end',
        '$scope module fifo0 $end',
        '$var wire 8 " count [7:0] $end',
        '$scope module mem $end',
        '$var wire 100 # row [99:0] $end',
        '$upscope $end',
        '$upscope $end',
        '$scope module fifo1 $end',
        '$var wire 8 $ count [7:0] $end',
        '$upscope $end',
        '$upscope $end',
        '$enddefinitions $end',
        '#0',
        '$dumpvars',
        '0!',
        'b0 "',
        'b0 $',
        'b0 #',
        '$end',
        '', // close() adds no #t: the last sample's time is already written
      ].join('\n'),
    );
  });

  it('keeps scopes balanced and ids printable and unique for any hierarchy', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            scope: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }),
            width: fc.integer({ min: 1, max: 200 }),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        (shapes) => {
          const vars = shapes.map((s, i) => ({ scope: ['top', ...s.scope], name: `s${i}`, width: s.width, slot: i * 7 }));
          const file = path.join(dir, 'p.vcd');
          const w = new VcdWriter(file, vars);
          w.sample(0, new Int32Array(shapes.length * 7));
          w.close();
          const lines = fs.readFileSync(file, 'utf8').split('\n');
          const stack: string[] = [];
          const ids = new Set<string>();
          const declared = new Map<string, number>();
          for (const line of lines) {
            if (line === '$enddefinitions $end') break;
            let m: RegExpExecArray | null;
            if ((m = /^\$scope module (\S+) \$end$/.exec(line))) stack.push(m[1]!);
            else if (line === '$upscope $end') expect(stack.pop()).toBeDefined();
            else if ((m = /^\$var wire (\d+) (\S+) (\S+)( \[(\d+):0\])? \$end$/.exec(line))) {
              const width = Number(m[1]);
              expect(m[4] === undefined).toBe(width === 1);
              if (m[5] !== undefined) expect(Number(m[5])).toBe(width - 1);
              for (const ch of m[2]!) expect(ch.charCodeAt(0) >= 33 && ch.charCodeAt(0) <= 126).toBe(true);
              expect(ids.has(m[2]!)).toBe(false);
              ids.add(m[2]!);
              declared.set([...stack, m[3]!].join('.'), width);
            }
          }
          expect(stack).toEqual([]);
          expect(declared).toEqual(new Map(vars.map((v) => [[...v.scope, v.name].join('.'), v.width])));
        },
      ),
      { numRuns: 50 },
    );
  });
});
