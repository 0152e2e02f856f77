/**
 * The views-that-travel bridges against the sizes they must not depend on: `toShared` +
 * `fromShared` (a view handed to a worker and rebuilt), `fromNdarray`/`toNdarray` (scijs)
 * and `toStdlib` (`@stdlib/ndarray`), each over a 1 KiB and a 100 MiB 2-D `'d'` region, in
 * ns per call; the 100 MiB figure against the 1 KiB one (target ≥ 0.8×: the same within
 * noise, O(1) in the data). No CPython side. scijs compiles its classes with
 * `new Function`, which the bench allows (see the peers suite).
 */

import { measure } from 'mitata';
import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from '../src/bridges/ndarray/index.js';
import { toStdlib } from '../src/bridges/ndarray/stdlib.js';
import { MemoryView, memoryview } from '../src/index.js';
import type { Comparison, Figures, Suite } from './harness.js';

const SIZES = [
  ['1KB', 1024],
  ['100MB', 100 * 1024 * 1024],
] as const;

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  for (const [label, bytes] of SIZES) {
    const cols = 64;
    const rows = bytes / 8 / cols;
    const shared = memoryview(new SharedArrayBuffer(bytes)).cast('d', [rows, cols]);
    const region = shared.sub([1, rows - 1], [1, cols - 1]);
    const layout = region.toShared();
    const nd = ndarray(new Float64Array(bytes / 8), [rows, cols])
      .hi(rows - 1, cols - 1)
      .lo(1, 1);
    const cases: [string, () => unknown][] = [
      [
        `bridges.shared.${label}`,
        () => {
          const v = MemoryView.fromShared(region.toShared());
          v.release();
          return v;
        },
      ],
      [
        `bridges.fromShared.${label}`,
        () => {
          const v = MemoryView.fromShared(layout);
          v.release();
          return v;
        },
      ],
      [
        `bridges.fromNdarray.${label}`,
        () => {
          const v = fromNdarray(nd);
          v.release();
          return v;
        },
      ],
      [`bridges.toNdarray.${label}`, () => toNdarray(region)],
      [`bridges.toStdlib.${label}`, () => toStdlib(region)],
    ];
    for (const [id, run] of cases) {
      const stats = await measure(run, { min_samples: 12, min_cpu_time: 200e6 });
      figures[id] = {
        value: stats.p50,
        unit: 'ns/op',
        n: stats.samples.length,
        min: stats.min,
        max: stats.max,
      };
      log(`  ${id}: ${stats.p50.toFixed(0)} ns per call`);
    }
  }
  return figures;
}

const o1 = (what: string, title: string): Comparison => ({
  label: `${title} over 100 MiB vs over 1 KiB (O(1): ≥ 0.8×)`,
  memview: `bridges.${what}.100MB`,
  peer: { name: '1 KiB', id: `bridges.${what}.1KB` },
  against: 'peer',
  target: 0.8,
});

export const bridgesSuite: Suite = {
  name: 'bridges',
  title: 'views that travel: toShared/fromShared and the ndarray bridges are O(1)',
  measure: measureAll,
  comparisons: [
    o1('shared', '`fromShared(view.toShared())`'),
    o1('fromShared', '`fromShared(layout)`'),
    o1('fromNdarray', '`fromNdarray` (scijs)'),
    o1('toNdarray', '`toNdarray` (scijs)'),
    o1('toStdlib', '`toStdlib`'),
  ],
  packages: ['ndarray', '@stdlib/ndarray'],
};
