// Makes the README's picture of the pipeline waves: GTKWave (headless, under xvfb) opens waves/pipeline.vcd with
// the stage-grouped waves/pipeline.gtkw that `npm start` wrote, zooms to the whole run and grabs its window into
// docs/pipeline-waves.png. Run `npm start` first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../rtl/core/index.ts';
import { gtkwaveScreenshot } from '../vcd/gtkwave.ts';

const vcd = path.join(projectRoot, 'waves', 'pipeline.vcd');
const gtkw = path.join(projectRoot, 'waves', 'pipeline.gtkw');
const png = path.join(projectRoot, 'docs', 'pipeline-waves.png');
for (const f of [vcd, gtkw]) if (!fs.existsSync(f)) throw new Error(`${path.relative(process.cwd(), f)} is missing: run npm start first`);
gtkwaveScreenshot(vcd, gtkw, png);
console.log(`wrote ${path.relative(process.cwd(), png)}`);
