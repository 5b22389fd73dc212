// The README's code is the code the tests run: every ```ts block that starts with a `// file: PATH` line must be
// exactly the content of that file (which has its own test), so the manual's examples never rot.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { projectRoot } from '../rtl/core/index.ts';
import * as path from 'node:path';

it('quotes its example files verbatim', () => {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n\/\/ file: (\S+)\n([\s\S]*?)```/g)];
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  for (const [, file, body] of blocks) {
    const actual = readFileSync(path.join(projectRoot, file!), 'utf8');
    expect(body, `README block for ${file} differs from the file`).toBe(actual);
  }
});
