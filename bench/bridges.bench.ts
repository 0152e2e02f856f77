/**
 * The views-that-travel bridges against the sizes they must not depend on: `toShared` +
 * `fromShared` (a view handed to a worker and rebuilt), `fromNdarray`/`toNdarray` (scijs)
 * and `toStdlib` (`@stdlib/ndarray`), each over a 1 KiB and a 100 MiB 2-D `'d'` region
 * (rows and columns cut off both ends), and `fromImageData`/`toImageData` (`memview/web`)
 * over 16 × 16 and 4096 × 6400 pixels, in ns per call; the 100 MiB figure against the
 * 1 KiB one (target ≥ 0.8×: the same within noise, O(1) in the data). Beside them, what
 * rebuilding a shared view costs against the cheapest view there is, `memoryview` of a
 * Uint8Array, and what `toShared` alone costs. No CPython side. scijs compiles its classes
 * with `new Function`, which the bench allows (see the peers suite).
 *
 * Figures are CPU time of this process (medians of 15 samples of 2,000 calls, after 3
 * warm-up samples), with the 1 KiB and 100 MiB cases of a bridge alternating sample by
 * sample, so both meet the same machine.
 */

import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from '../src/bridges/ndarray/index.js';
import { toStdlib } from '../src/bridges/ndarray/stdlib.js';
import { fromImageData, toImageData } from '../src/bridges/web/index.js';
import { MemoryView, memoryview } from '../src/index.js';
import { type Comparison, type Figures, median, type Suite } from './harness.js';

const SIZES = [
  ['1KB', 1024],
  ['100MB', 100 * 1024 * 1024],
] as const;
const COLS = 16;

/** Node has no ImageData: a class of its shape stands in (`toImageData` takes a constructor). */
class Pixels {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

/** This process's CPU time in ns (user + system): a wall clock would time the neighbours too. */
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
}

type Cases = Record<string, () => unknown>;

/** The cases over a region of `bytes` bytes of `'d'`: `COLS` columns, first and last rows and columns cut off. */
function sized(bytes: number): Cases {
  const rows = bytes / 8 / COLS;
  const shared = memoryview(new SharedArrayBuffer(bytes)).cast('d', [rows, COLS]);
  const region = shared.sub([1, rows - 1], [1, COLS - 1]);
  const layout = region.toShared();
  const bytesOfIt = new Uint8Array(new SharedArrayBuffer(bytes));
  const width = bytes >= 1 << 20 ? 4096 : 16; // 1 KiB: 16 × 16 pixels; 100 MiB: 4096 × 6400
  const image = new Pixels(new Uint8ClampedArray(bytes), width, bytes / 4 / width);
  const pixels = fromImageData(image);
  const nd = ndarray(new Float64Array(bytes / 8), [rows, COLS])
    .hi(rows - 1, COLS - 1)
    .lo(1, 1);
  return {
    shared: () => {
      const v = MemoryView.fromShared(region.toShared());
      v.release();
      return v;
    },
    fromShared: () => {
      const v = MemoryView.fromShared(layout);
      v.release();
      return v;
    },
    toShared: () => region.toShared(),
    memoryview: () => {
      const v = memoryview(bytesOfIt);
      v.release();
      return v;
    },
    fromNdarray: () => {
      const v = fromNdarray(nd);
      v.release();
      return v;
    },
    toNdarray: () => toNdarray(region),
    toStdlib: () => toStdlib(region),
    fromImageData: () => {
      const v = fromImageData(image);
      v.release();
      return v;
    },
    toImageData: () => toImageData(pixels, Pixels),
  };
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const bySize = SIZES.map(([label, bytes]) => [label, sized(bytes)] as const);
  for (const what of Object.keys(bySize[0][1])) {
    const perCall: number[][] = bySize.map(() => []);
    for (let s = 0; s < 18; s++) {
      bySize.forEach(([, cases], r) => {
        const run = cases[what];
        const t0 = cpuNs();
        for (let i = 0; i < 2000; i++) run();
        if (s >= 3) perCall[r].push((cpuNs() - t0) / 2000);
      });
    }
    bySize.forEach(([label], r) => {
      const id = `bridges.${what}.${label}`;
      const ns = perCall[r].sort((a, b) => a - b);
      figures[id] = {
        value: median(ns),
        unit: 'ns/op',
        n: ns.length,
        min: ns[0],
        max: ns[ns.length - 1],
      };
      log(`  ${id}: ${figures[id].value.toFixed(0)} CPU ns per call`);
    });
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
  title: 'views that travel: toShared/fromShared, the ndarray and ImageData bridges are O(1)',
  measure: measureAll,
  comparisons: [
    o1('shared', '`fromShared(view.toShared())`'),
    o1('fromShared', '`fromShared(layout)`'),
    {
      label: '`fromShared(layout)` (every field checked) vs `memoryview(uint8Array)`, 1 KiB',
      memview: 'bridges.fromShared.1KB',
      peer: { name: 'memoryview', id: 'bridges.memoryview.1KB' },
      against: 'peer',
    },
    {
      label: '`view.toShared()` alone, 100 MiB',
      memview: 'bridges.toShared.100MB',
      peer: { name: '1 KiB', id: 'bridges.toShared.1KB' },
      against: 'peer',
      target: 0.8,
    },
    o1('fromNdarray', '`fromNdarray` (scijs)'),
    o1('toNdarray', '`toNdarray` (scijs)'),
    o1('toStdlib', '`toStdlib`'),
    o1('fromImageData', '`fromImageData`'),
    o1('toImageData', '`toImageData`'),
  ],
  packages: ['ndarray', '@stdlib/ndarray'],
};
