/**
 * A fresh process for one format of the peers suite: `node --expose-gc peers-fresh.js IHHd`
 * times `'<IHHd'` (or `'<10I'`) through memview and by hand with nothing else run before,
 * and prints the figures as JSON (ids `fresh.<format>.memview`, `fresh.<format>.hand`).
 * The suite compares them with the same loops after its 24-format stream.
 */

import type { Figures } from './harness.js';
import { LOOP_BUDGET, measureRow } from './peers-measure.js';
import { SINGLE_FORMATS, SINGLE_RECORDS, type SingleFormat, singleCases } from './peers-single.js';

const which = process.argv[2] as SingleFormat;
if (!SINGLE_FORMATS.includes(which)) throw new Error(`peers-fresh: unknown format ${which}`);
const loops = singleCases(which);
const figures: Figures = {};
await measureRow(
  [
    { id: `fresh.${which}.memview`, run: loops.memview, unit: 'M rec/s', ops: SINGLE_RECORDS },
    { id: `fresh.${which}.hand`, run: loops.hand, unit: 'M rec/s', ops: SINGLE_RECORDS },
  ],
  LOOP_BUDGET,
  figures,
  (line) => process.stderr.write(`${line}\n`),
);
process.stdout.write(`${JSON.stringify(figures)}\n`);
