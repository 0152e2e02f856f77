/**
 * `memview/arrow` against the sizes it must not depend on, and its one copy against the
 * hand-written floor. No CPython side (pyarrow is not a dependency).
 *
 * Cases:
 * 1. `recordsToTable` of 1,048,576 `'<IHHd'` records (16 MiB) into four Arrow columns, in
 *    M records/s (target: ≥ 62.5 M/s, which is 1 GB/s of records), against a hand-written
 *    gather into four TypedArrays (no Arrow objects; the floor). The check is the sum of
 *    the `kind` column.
 * 2. building a bridge is O(1): `toArrow` of a `'d'` view, `fromArrow` of a Float64 vector
 *    and `fromArrowWithValidity` of a nullable Int32 vector, each over 1 KiB and over
 *    100 MiB, in ns per call; the 100 MiB figure against the 1 KiB one (target ≥ 0.8×,
 *    i.e. the same within noise).
 * Figures are CPU time of this process (medians of 21 or 15 samples, after 10 or more
 * warm-up runs), not wall time.
 */

import { Int32, makeData, Vector } from 'apache-arrow';
import {
  fromArrow,
  fromArrowWithValidity,
  recordsToTable,
  toArrow,
} from '../src/bridges/arrow/index.js';
import { memoryview, Struct } from '../src/index.js';
import { type Comparison, type Figures, median, rateFigure, type Suite } from './harness.js';

const RECORDS = 1 << 20;
const SMALL = 1024;
const LARGE = 100 * 1024 * 1024;

function records(): ArrayBuffer {
  const s = new Struct('<IHHd');
  const buffer = new ArrayBuffer(RECORDS * s.size);
  for (let i = 0; i < RECORDS; i++)
    s.packInto(buffer, i * s.size, i, i & 0xffff, (i >> 4) & 0xffff, i + 0.25);
  return buffer;
}

/** The floor: the same four columns gathered by hand, in one pass per column. */
function handGather(buffer: ArrayBuffer): number {
  const u32 = new Uint32Array(buffer);
  const u16 = new Uint16Array(buffer);
  const f64 = new Float64Array(buffer);
  const id = new Uint32Array(RECORDS);
  const kind = new Uint16Array(RECORDS);
  const flags = new Uint16Array(RECORDS);
  const value = new Float64Array(RECORDS);
  for (let i = 0; i < RECORDS; i++) id[i] = u32[i * 4];
  for (let i = 0; i < RECORDS; i++) kind[i] = u16[i * 8 + 2];
  for (let i = 0; i < RECORDS; i++) flags[i] = u16[i * 8 + 3];
  for (let i = 0; i < RECORDS; i++) value[i] = f64[i * 2 + 1];
  return sum(kind);
}

function sum(column: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < column.length; i++) total += column[i];
  return total;
}

/** A nullable Int32 vector over `bytes` bytes, every eighth value null. */
function nullable(bytes: number): Vector {
  const n = bytes / 4;
  const bitmap = new Uint8Array((n + 7) >> 3).fill(0xfe);
  return new Vector([
    makeData({
      type: new Int32(),
      data: new Int32Array(n),
      nullBitmap: bitmap,
      nullCount: bitmap.length,
    }),
  ]);
}

/**
 * This process's CPU time in ns (user + system). CPU time rather than wall time: on a
 * shared machine a wall clock measures the neighbours too (CPU time still counts the
 * process's own cache misses and page faults).
 */
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const buffer = records();
  const view = memoryview(buffer).cast('B').cast('<IHHd');
  const names = ['id', 'kind', 'flags', 'value'];
  const gathers: [string, () => number][] = [
    [
      'arrow.records.recordsToTable',
      () => sum(recordsToTable(view, names).getChild('kind')?.data[0].values as Uint16Array),
    ],
    ['arrow.records.hand', () => handGather(buffer)],
  ];
  // The two gathers alternate sample by sample, so that both meet the same machine (a
  // fresh heap's page faults, the neighbours' load) rather than whichever ran first.
  const checks = gathers.map(() => 0);
  const samples: number[][] = gathers.map(() => []);
  for (let s = 0; s < 31; s++) {
    gathers.forEach(([, run], g) => {
      const t0 = cpuNs();
      checks[g] = run();
      if (s >= 10) samples[g].push(cpuNs() - t0);
    });
  }
  gathers.forEach(([id], g) => {
    const ns = samples[g].sort((a, b) => a - b);
    figures[id] = rateFigure(
      'M rec/s',
      RECORDS,
      { median: median(ns), min: ns[0], max: ns[ns.length - 1], n: ns.length },
      checks[g],
    );
    log(
      `  ${id}: ${figures[id].value.toFixed(1)} M rec/s = ${((figures[id].value * 16) / 1000).toFixed(2)} GB/s of CPU time (check ${checks[g]})`,
    );
  });
  // Each bridge over 1 KiB and over 100 MiB alternates sample by sample, as the gathers do.
  const sized = (bytes: number) => {
    const d = memoryview(new Float64Array(bytes / 8));
    const vector = toArrow(d);
    const withNulls = nullable(bytes);
    return {
      toArrow: () => toArrow(d),
      fromArrow: () => fromArrow(vector),
      fromArrowWithValidity: () => fromArrowWithValidity(withNulls),
    };
  };
  const small = sized(SMALL);
  const large = sized(LARGE);
  for (const what of ['toArrow', 'fromArrow', 'fromArrowWithValidity'] as const) {
    const runs: [string, () => unknown][] = [
      [`arrow.${what}.1KB`, small[what]],
      [`arrow.${what}.100MB`, large[what]],
    ];
    const perCall: number[][] = [[], []];
    for (let s = 0; s < 18; s++) {
      runs.forEach(([, run], r) => {
        const t0 = cpuNs();
        for (let i = 0; i < 2000; i++) run();
        if (s >= 3) perCall[r].push((cpuNs() - t0) / 2000);
      });
    }
    runs.forEach(([id], r) => {
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

const o1 = (what: string): Comparison => ({
  label: `2. \`${what}\` over 100 MiB vs over 1 KiB (O(1): ≥ 0.8×)`,
  memview: `arrow.${what}.100MB`,
  peer: { name: '1 KiB', id: `arrow.${what}.1KB` },
  against: 'peer',
  target: 0.8,
});

const comparisons: Comparison[] = [
  {
    label: "1. `recordsToTable`, 1M `'<IHHd'` records (≥ 62.5 M rec/s = 1 GB/s)",
    memview: 'arrow.records.recordsToTable',
    against: 'none',
    absolute: 62.5,
  },
  {
    label: '… vs a hand-written gather into TypedArrays',
    memview: 'arrow.records.recordsToTable',
    peer: { name: 'hand gather', id: 'arrow.records.hand' },
    against: 'peer',
  },
  o1('toArrow'),
  o1('fromArrow'),
  o1('fromArrowWithValidity'),
];

export const arrowSuite: Suite = {
  name: 'arrow',
  title: 'memview/arrow: the record gather and O(1) bridges',
  measure: measureAll,
  comparisons,
  packages: ['apache-arrow'],
};
