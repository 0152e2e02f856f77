/**
 * MemoryView against the platform (`subarray`, TypedArray indexing, `Uint8Array#set`,
 * `Array.from`) and CPython 3.13's `memoryview`, in one run. The CPython side is
 * `view_bench.py`, which builds the same bytes and times the same operations.
 *
 * Cases (ns per operation; the element loops in ns per element):
 * 1. `m.slice(a, b)` of a 1-D 'B' view, against `u8.subarray(a, b)` and `mv[a:b]`;
 * 2. `m.get(i)` over 1M doubles, contiguous and every 10th (`m.slice(null, null, 10)`),
 *    against a Float64Array read loop and CPython's `mv[i]` loop;
 * 3. `m.toList()` of 1M doubles, against `mv.tolist()` (and `Array.from` as a floor);
 * 4. `toBytes()` of a 200×200 region of a 1920×1080 'B' plane, against copying its rows
 *    with `out.set(plane.subarray(…))` and CPython's `bytes()` of a `_testbuffer.ndarray`
 *    sub-view; `toBytes()` of 16 MiB contiguous, against `new Uint8Array(n).set(src)`;
 * 5. the last 1 MB (1,000,000 B) of a 100 MB buffer: copy (`buf.slice(-1e6)`) against view
 *    (`memoryview(buf).slice(-1e6)`), and CPython's own copy ÷ view beside it;
 * 6. export bookkeeping: `memoryview(u8)`, `memoryview(m)`, `m.slice(a, b).release()`, and a
 *    slice taken while 100,000 other slices of the same buffer are alive.
 *
 * Every case keeps its last result; after timing, a checksum of that result (CRC-32 of its
 * bytes, or the loop's sum) becomes the figure's `check`, and run.ts reports any case whose
 * checksum differs from the figures it is compared with (same work on every side).
 */

import { crc32 } from 'node:zlib';
import { measure } from 'mitata';
import { type MemoryView, memoryview } from '../src/index.js';
import type { Comparison, Figure, Figures, Suite } from './harness.js';

/** The byte pattern of every 'B' buffer: a 64 KiB block, tiled. The same on the CPython side. */
const BLOCK = 65536;
const byteAt = (i: number) => (i * 131 + (i >>> 8)) & 0xff;

function patternBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const block = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) block[i] = byteAt(i);
  for (let at = 0; at < n; at += BLOCK) out.set(block.subarray(0, Math.min(BLOCK, n - at)), at);
  return out;
}

/** Case 1 and 6: a 1 MiB 'B' buffer and the slice taken from it. */
const SMALL = 1 << 20;
const A = 1000;
const B = A + 4096;
/** Case 2 and 3: 1M doubles `i + 0.25`. */
const DOUBLES = 1 << 20;
const STEP = 10;
/** Case 4: the plane and the region. */
const WIDTH = 1920;
const HEIGHT = 1080;
const ROW0 = 100;
const COL0 = 640;
const SIDE = 200;
const CONTIGUOUS = 16 << 20;
/** Case 5. */
const BIG = 100_000_000;
const TAIL = 1_000_000;
/** Case 6: slices alive while one more is taken. */
const LIVE = 100_000;

type Log = (line: string) => void;

/** The bytes of a result, for its checksum (`toBytes` for a view: it is checked, too). */
function bytesOf(r: unknown): Uint8Array {
  if (r instanceof Uint8Array) return r;
  if (ArrayBuffer.isView(r)) return new Uint8Array(r.buffer, r.byteOffset, r.byteLength);
  return (r as MemoryView).toBytes();
}

const crcOf = (r: unknown) => crc32(bytesOf(r));
/** A list of doubles, checksummed as its little-endian float64 bytes (x64 is little-endian). */
const crcOfDoubles = (r: unknown) => crc32(new Uint8Array(Float64Array.from(r as number[]).buffer));
const sumOf = (r: unknown) => r as number;

/**
 * One case. `op` is its own function literal (so its call sites have feedback of their own)
 * and stores its result in `last`, which keeps it alive; `elements` turns ns per call into
 * ns per element.
 */
interface Case {
  readonly id: string;
  readonly op: () => void;
  readonly check?: (result: unknown) => number;
  readonly elements?: number;
  /** Untimed preparation, run just before the case. */
  readonly setup?: () => void;
}

let last: unknown = null;

function sliceCases(): Case[] {
  const u8 = patternBytes(SMALL);
  const m = memoryview(u8);
  return [
    { id: 'slice.memview', op: () => (last = m.slice(A, B)), check: crcOf },
    { id: 'slice.subarray', op: () => (last = u8.subarray(A, B)), check: crcOf },
  ];
}

function getCases(): Case[] {
  const f64 = new Float64Array(DOUBLES);
  for (let i = 0; i < DOUBLES; i++) f64[i] = i + 0.25;
  const m = memoryview(f64);
  const strided = m.slice(null, null, STEP);
  const stridedLength = Math.ceil(DOUBLES / STEP);
  return [
    {
      id: 'get.contiguous.memview',
      op: () => {
        let sum = 0;
        for (let i = 0, n = m.length; i < n; i++) sum += m.get(i) as number;
        last = sum;
      },
      check: sumOf,
      elements: DOUBLES,
    },
    {
      id: 'get.contiguous.f64',
      op: () => {
        let sum = 0;
        for (let i = 0, n = f64.length; i < n; i++) sum += f64[i];
        last = sum;
      },
      check: sumOf,
      elements: DOUBLES,
    },
    {
      id: 'get.strided.memview',
      op: () => {
        let sum = 0;
        for (let i = 0, n = strided.length; i < n; i++) sum += strided.get(i) as number;
        last = sum;
      },
      check: sumOf,
      elements: stridedLength,
    },
    {
      id: 'get.strided.f64',
      op: () => {
        let sum = 0;
        for (let i = 0, n = f64.length; i < n; i += STEP) sum += f64[i];
        last = sum;
      },
      check: sumOf,
      elements: stridedLength,
    },
    { id: 'toList.memview', op: () => (last = m.toList()), check: crcOfDoubles },
    { id: 'toList.arrayFrom', op: () => (last = Array.from(f64)), check: crcOfDoubles },
    {
      id: 'toList.loop',
      op: () => {
        const list = new Array<number>(DOUBLES).fill(0);
        for (let i = 0; i < DOUBLES; i++) list[i] = f64[i];
        last = list;
      },
      check: crcOfDoubles,
    },
  ];
}

function toBytesCases(): Case[] {
  const plane = patternBytes(WIDTH * HEIGHT);
  const roi = memoryview(plane)
    .cast('B', [HEIGHT, WIDTH])
    .sub([ROW0, ROW0 + SIDE], [COL0, COL0 + SIDE]);
  const src = patternBytes(CONTIGUOUS);
  const whole = memoryview(src);
  return [
    { id: 'roi.toBytes.memview', op: () => (last = roi.toBytes()), check: crcOf },
    {
      id: 'roi.rows.set',
      op: () => {
        const out = new Uint8Array(SIDE * SIDE);
        for (let k = 0; k < SIDE; k++) {
          const rowStart = (ROW0 + k) * WIDTH + COL0;
          out.set(plane.subarray(rowStart, rowStart + SIDE), k * SIDE);
        }
        last = out;
      },
      check: crcOf,
    },
    { id: 'contiguous.toBytes.memview', op: () => (last = whole.toBytes()), check: crcOf },
    {
      id: 'contiguous.set',
      op: () => {
        const out = new Uint8Array(src.length);
        out.set(src);
        last = out;
      },
      check: crcOf,
    },
  ];
}

function tailCases(): Case[] {
  const buf = patternBytes(BIG);
  return [
    { id: 'tail.view.memview', op: () => (last = memoryview(buf).slice(-TAIL)), check: crcOf },
    { id: 'tail.copy.slice', op: () => (last = buf.slice(-TAIL)), check: crcOf },
  ];
}

function exportCases(): Case[] {
  const u8 = patternBytes(SMALL);
  const m = memoryview(u8);
  const other = patternBytes(SMALL);
  const crowded = memoryview(other);
  let live: MemoryView[] = [];
  return [
    { id: 'export.memoryview', op: () => (last = memoryview(u8)), check: crcOf },
    { id: 'export.memoryviewOfView', op: () => (last = memoryview(m)), check: crcOf },
    {
      id: 'export.sliceRelease',
      op: () => {
        const s = m.slice(A, B);
        s.release();
        last = s;
      },
      check: (r) => ((r as MemoryView).released ? 1 : 0),
    },
    {
      id: 'export.sliceLive',
      setup: () => {
        live = Array.from({ length: LIVE }, (_, i) => crowded.slice(i, i + 16));
      },
      op: () => (last = crowded.slice(A, B)),
      check: (r) => (live.length === LIVE ? crcOf(r) : -1),
    },
  ];
}

async function measureCase(c: Case, figures: Figures, log: Log): Promise<void> {
  c.setup?.();
  const stats = await measure(c.op);
  const per = c.elements ?? 1;
  const figure: Figure = {
    value: stats.p50 / per,
    unit: 'ns/op',
    n: stats.samples.length,
    min: stats.min / per,
    max: stats.max / per,
    ...(c.check === undefined ? {} : { check: c.check(last) }),
  };
  figures[c.id] = figure;
  last = null;
  const each = c.elements === undefined ? 'op' : 'element';
  log(`  ${c.id}: ${figure.value.toFixed(2)} ns/${each} (check ${figure.check ?? '—'})`);
}

/**
 * The cases in a fixed order, each group's data made just before it runs (the 100 MB buffer
 * is dropped before the bookkeeping cases).
 */
async function measureAll(log: Log): Promise<Figures> {
  const figures: Figures = {};
  const groups = [sliceCases, getCases, toBytesCases, tailCases, exportCases];
  for (const group of groups) {
    for (const c of group()) await measureCase(c, figures, log);
  }
  return figures;
}

const comparisons: Comparison[] = [
  {
    label: "1. `m.slice(a, b)`, 1-D 'B' view (4096 of 1 MiB)",
    memview: 'slice.memview',
    cpython: 'slice',
    peer: { name: 'subarray', id: 'slice.subarray' },
    against: 'peer',
    target: 0.667, // ≤ 1.5× subarray's time
  },
  {
    label: '… vs CPython `mv[a:b]`',
    memview: 'slice.memview',
    cpython: 'slice',
    against: 'cpython',
    target: 2,
  },
  {
    label: "2. `m.get(i)` loop, contiguous 'd', 1M (ns/element)",
    memview: 'get.contiguous.memview',
    cpython: 'get.contiguous',
    peer: { name: 'Float64Array[i]', id: 'get.contiguous.f64' },
    against: 'peer',
    target: 0.5,
  },
  {
    label: '… vs CPython `mv[i]` loop',
    memview: 'get.contiguous.memview',
    cpython: 'get.contiguous',
    against: 'cpython',
  },
  {
    label: '2. `m.get(i)` loop, every 10th (`m.slice(null, null, 10)`)',
    memview: 'get.strided.memview',
    cpython: 'get.strided',
    peer: { name: 'f64[i], i += 10', id: 'get.strided.f64' },
    against: 'peer',
    target: 0.5,
  },
  {
    label: '… vs CPython `mv[::10][i]` loop',
    memview: 'get.strided.memview',
    cpython: 'get.strided',
    against: 'cpython',
  },
  {
    label: '3. `toList()`, 1M doubles',
    memview: 'toList.memview',
    cpython: 'tolist',
    against: 'cpython',
    target: 5,
  },
  {
    label: '… vs a hand loop into `new Array(n).fill(0)` (floor)',
    memview: 'toList.memview',
    peer: { name: 'hand loop', id: 'toList.loop' },
    against: 'peer',
  },
  {
    label: '… vs `Array.from(f64)`',
    memview: 'toList.memview',
    peer: { name: 'Array.from', id: 'toList.arrayFrom' },
    against: 'peer',
  },
  {
    label: "4. `toBytes()`, 200×200 of a 1920×1080 'B' plane",
    memview: 'roi.toBytes.memview',
    cpython: 'roi.bytes',
    peer: { name: '200 × set(subarray)', id: 'roi.rows.set' },
    against: 'peer',
    target: 2,
  },
  {
    label: '… vs CPython `bytes(ndarray[100:300, 640:840])`',
    memview: 'roi.toBytes.memview',
    cpython: 'roi.bytes',
    against: 'cpython',
  },
  {
    label: '4. `toBytes()`, 16 MiB contiguous',
    memview: 'contiguous.toBytes.memview',
    cpython: 'contiguous.tobytes',
    peer: { name: 'new Uint8Array(n).set', id: 'contiguous.set' },
    against: 'peer',
    target: 0.8,
  },
  {
    label: '… vs CPython `mv.tobytes()`',
    memview: 'contiguous.toBytes.memview',
    cpython: 'contiguous.tobytes',
    against: 'cpython',
  },
  {
    label: '5. last 1 MB of 100 MB: copy ÷ view, `buf.slice(-1e6)` ÷ `memoryview(buf).slice(-1e6)`',
    memview: 'tail.view.memview',
    cpython: 'tail.view',
    peer: { name: 'buf.slice', id: 'tail.copy.slice' },
    against: 'peer',
  },
  {
    label: "5. CPython's own copy ÷ view: `bytes(b[-1e6:])` ÷ `memoryview(b)[-1e6:]`",
    memview: 'tail.view',
    peer: { name: 'CPython bytes(b[-1e6:])', id: 'tail.copy' },
    against: 'peer',
    side: 'cpython',
  },
  {
    label: '… view vs CPython `memoryview(b)[-1e6:]`',
    memview: 'tail.view.memview',
    cpython: 'tail.view',
    against: 'cpython',
  },
  {
    label: '… copy: `buf.slice(-1e6)` vs CPython `bytes(b[-1e6:])`',
    memview: 'tail.copy.slice',
    cpython: 'tail.copy',
    against: 'cpython',
  },
  {
    label: '6. `memoryview(u8)` (new managed buffer)',
    memview: 'export.memoryview',
    cpython: 'export.memoryview',
    against: 'cpython',
  },
  {
    label: '6. `memoryview(m)` (a view of a view)',
    memview: 'export.memoryviewOfView',
    cpython: 'export.memoryview_of_view',
    against: 'cpython',
  },
  {
    label: '6. `m.slice(a, b).release()`',
    memview: 'export.sliceRelease',
    cpython: 'export.slice_release',
    against: 'cpython',
  },
  {
    label: `6. \`m.slice(a, b)\` with ${LIVE.toLocaleString('en')} slices alive`,
    memview: 'export.sliceLive',
    cpython: 'export.slice_live',
    peer: { name: 'no live slices', id: 'slice.memview' },
    against: 'peer',
  },
];

export const viewSuite: Suite = {
  name: 'view',
  title:
    'MemoryView: memview vs the platform (subarray, TypedArray, set) and CPython 3.13 memoryview',
  python: 'bench/view_bench.py',
  measure: measureAll,
  comparisons,
};
