/**
 * The bytes search methods (`find`, `rfind`, `count`) on long buffers, against CPython's
 * `bytes` methods (bench/search_bench.py) and, for `find`, Node's `Buffer.indexOf`.
 *
 * The haystack is 64 MiB, the same bytes on both sides: a 64 KiB block of LCG bytes in
 * 0..253, repeated, with a 16-byte needle `00 ff…ff` in its last 16 bytes and `00 fe…fe`
 * in its first 16 (0xfe and 0xff occur nowhere else; 0x00, the needles' first byte, about
 * once in 254 bytes, as a real needle's first byte would). Cases, in GB/s of haystack:
 * 1. `Bytes.find(needle)` for the needle at the end (target ≥ 1 GB/s);
 * 2. the same on a `MemoryView` (format 'B', in place);
 * 3. `Bytes.rfind(needle)` for the needle at the start;
 * 4. `Bytes.count(0x41)`, a 1-byte needle (target ≥ 1 GB/s);
 * 5. `find` on a strided view (every other byte of 32 MiB; information).
 * The check is the result (an index or a count), which both sides must reproduce.
 */

import { measure } from 'mitata';
import { Bytes, memoryview } from '../src/index.js';
import { type Comparison, type Figures, mitataTimes, rateFigure, type Suite } from './harness.js';

const BLOCK = 1 << 16;
const SIZE = 64 << 20;

/** The haystack both sides search (see the opening comment). */
export function haystack(): Uint8Array {
  const block = new Uint8Array(BLOCK);
  let x = 2024;
  for (let i = 0; i < BLOCK; i++) {
    x = ((Math.imul(x, 1103515245) + 12345) >>> 0) & 0x7fffffff;
    block[i] = (x >>> 16) % 254;
  }
  const data = new Uint8Array(SIZE);
  for (let at = 0; at < SIZE; at += BLOCK) data.set(block, at);
  data.set(NEEDLE_START, 0);
  data.set(NEEDLE_END, SIZE - 16);
  return data;
}

const NEEDLE_END = Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0 : 0xff));
const NEEDLE_START = Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0 : 0xfe));

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const data = haystack();
  const bytes = new Bytes(data);
  const view = memoryview(data);
  const spread = new Uint8Array(SIZE / 2);
  for (let i = 0; i < SIZE / 4; i++) spread[2 * i] = data[SIZE - SIZE / 4 + i];
  const strided = memoryview(spread).slice(null, null, 2);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.length);
  const cases: [string, number, () => number][] = [
    ['search.find16.bytes', SIZE, () => bytes.find(NEEDLE_END)],
    ['search.find16.view', SIZE, () => view.find(NEEDLE_END)],
    ['search.find16.buffer', SIZE, () => buffer.indexOf(NEEDLE_END)],
    ['search.rfind16.bytes', SIZE, () => bytes.rfind(NEEDLE_START)],
    ['search.count1.bytes', SIZE, () => bytes.count(0x41)],
    ['search.find16.strided', SIZE / 4, () => strided.find(NEEDLE_END)],
  ];
  for (const [id, size, run] of cases) {
    let check = 0;
    const stats = await measure(
      () => {
        check = run();
      },
      { min_samples: 5, min_cpu_time: 200e6 },
    );
    figures[id] = rateFigure('GB/s', size, mitataTimes(stats), check);
    log(`  ${id}: ${figures[id].value.toFixed(2)} GB/s (check ${check})`);
  }
  return figures;
}

const comparisons: Comparison[] = [
  {
    label: '1. `Bytes.find`, 16-byte needle at the end of 64 MiB (≥ 1 GB/s)',
    memview: 'search.find16.bytes',
    against: 'none',
    absolute: 1,
  },
  {
    label: '… vs CPython `bytes.find`',
    memview: 'search.find16.bytes',
    cpython: 'search.find16.bytes',
    against: 'cpython',
  },
  {
    label: "… vs Node's `Buffer.indexOf`",
    memview: 'search.find16.bytes',
    peer: { name: 'Buffer.indexOf', id: 'search.find16.buffer' },
    against: 'peer',
  },
  {
    label: "2. `MemoryView.find` (format 'B', in place)",
    memview: 'search.find16.view',
    against: 'none',
    absolute: 1,
  },
  {
    label: '3. `Bytes.rfind`, 16-byte needle at the start, vs CPython',
    memview: 'search.rfind16.bytes',
    cpython: 'search.rfind16.bytes',
    against: 'cpython',
  },
  {
    label: '4. `Bytes.count` of a 1-byte needle (≥ 1 GB/s)',
    memview: 'search.count1.bytes',
    against: 'none',
    absolute: 1,
  },
  {
    label: '… vs CPython `bytes.count`',
    memview: 'search.count1.bytes',
    cpython: 'search.count1.bytes',
    against: 'cpython',
  },
  {
    label: '5. `find` on a strided view (every other byte), GB/s of the view',
    memview: 'search.find16.strided',
    against: 'none',
  },
];

export const searchSuite: Suite = {
  name: 'search',
  title: 'Bytes and MemoryView search methods on 64 MiB vs CPython bytes',
  python: 'bench/search_bench.py',
  measure: measureAll,
  comparisons,
};
