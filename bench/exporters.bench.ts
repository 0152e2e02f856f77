/**
 * The exporters (`ByteArray`) and the export bookkeeping of views, against what Node code
 * writes by hand. The CPython side is `exporters_bench.py` (`bytearray +=`, for reference).
 *
 * Cases (ns per append, or per operation):
 * 1. appending 1,048,576 records of 16 bytes: `ba.extend(record)` on a new `ByteArray`, and
 *    `BufferWriter.pack('<IHHd', …)` (information), against
 *    - collecting the records in an array, then one `Buffer.concat(list)` at the end (the
 *      pattern Node code uses),
 *    - growing a Buffer with `acc = Buffer.concat([acc, record])` per append: quadratic, so it
 *      runs 20,000 appends (a 320,000-byte result) and is reported per append — at 1M it
 *      would be ~50× slower per append still,
 *    - `u8.set(record, off); off += 16` into a `new Uint8Array(16 MiB)` made in the pass (the
 *      hand-written floor), and into one allocated once outside the pass (information).
 *    Every variant appends the same 1024 distinct records (each its own `Uint8Array`, as
 *    packed messages arrive) in the same order, and builds a new result in every pass.
 * 2. export bookkeeping: `m.slice(a, b)` of a 1 MiB 'B' view, in fresh child processes, with
 *    the managed buffer's bookkeeping and with `ManagedBuffer.prototype.register` replaced
 *    by a no-op (imported from the built `dist/src/view/managed.js`, before any view is
 *    made); children alternate, 5 of each, and a figure is the median of their medians.
 *    Also `memoryview(byteArray)` + `release()` (information).
 *
 * Checks: an append case's check is the CRC-32 of the result's first 20,000 records, or -1
 * when the whole result differs from the expected bytes (length and CRC-32 of all of it);
 * every append figure must carry the same check. The slice cases check the CRC-32 of the
 * last slice.
 */

import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { measure } from 'mitata';
import { BufferWriter, ByteArray, memoryview } from '../src/index.js';
import { ManagedBuffer } from '../src/view/managed.js';
import { type Comparison, type Figure, type Figures, median, type Suite } from './harness.js';

const RECORD = 16;
const APPENDS = 1 << 20;
const GROWING_APPENDS = 20_000;
const POOL = 1024;
const PREFIX = GROWING_APPENDS * RECORD;
/** The slice of case 2: bytes [A, B) of a 1 MiB buffer (as in the view suite). */
const SLICE_SOURCE = 1 << 20;
const A = 1000;
const B = A + 4096;
/** Child processes per variant in case 2. */
const SLICE_CHILDREN = 5;
const CHILD_FLAG = '--slice-child';

type Log = (line: string) => void;

/** Record k of the pool: `'<IHHd'` of (k·2654435761 mod 2³², k, k >> 4, k + 0.25). */
const V0 = Array.from({ length: POOL }, (_, k) => Math.imul(k, 2654435761) >>> 0);
const V1 = Array.from({ length: POOL }, (_, k) => k & 0xffff);
const V2 = Array.from({ length: POOL }, (_, k) => (k >> 4) & 0xffff);
const V3 = Array.from({ length: POOL }, (_, k) => k + 0.25);

function makePool(): Uint8Array[] {
  return Array.from({ length: POOL }, (_, k) => {
    const r = new Uint8Array(RECORD);
    const dv = new DataView(r.buffer);
    dv.setUint32(0, V0[k], true);
    dv.setUint16(4, V1[k], true);
    dv.setUint16(6, V2[k], true);
    dv.setFloat64(8, V3[k], true);
    return r;
  });
}

/** The expected result of `n` appends, written by plain code (not the code under test). */
function expected(pool: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n * RECORD);
  for (let i = 0; i < n; i++) out.set(pool[i & (POOL - 1)], i * RECORD);
  return out;
}

function bytesOf(r: unknown): Uint8Array {
  if (r instanceof ByteArray) return r.toUint8Array();
  return r as Uint8Array;
}

let last: unknown = null;

interface Case {
  readonly id: string;
  readonly op: () => void;
  /** Appends per call (the figure is per append). */
  readonly per: number;
  readonly check: (r: unknown) => number;
  /** A long pass (ms): sampled as the struct suite's loops; else mitata's batches. */
  readonly pass: boolean;
}

function appendCases(): Case[] {
  const pool = makePool();
  const full = expected(pool, APPENDS);
  const fullCrc = crc32(full);
  const small = expected(pool, GROWING_APPENDS);
  const smallCrc = crc32(small);
  const prefixCrc = crc32(full.subarray(0, PREFIX));
  const checkOf = (n: number, want: number) => (r: unknown) => {
    const b = bytesOf(r);
    return b.length === n * RECORD && crc32(b) === want ? crc32(b.subarray(0, PREFIX)) : -1;
  };
  const checkFull = checkOf(APPENDS, fullCrc);
  const checkSmall = checkOf(GROWING_APPENDS, smallCrc);
  if (crc32(small) !== prefixCrc) throw new Error('bench: prefix mismatch');
  const reused = new Uint8Array(APPENDS * RECORD);
  const M = POOL - 1;
  return [
    {
      id: 'append.ByteArray.extend',
      op: () => {
        const ba = new ByteArray();
        for (let i = 0; i < APPENDS; i++) ba.extend(pool[i & M]);
        last = ba;
      },
      per: APPENDS,
      check: checkFull,
      pass: true,
    },
    {
      id: 'append.BufferWriter.pack',
      op: () => {
        const w = new BufferWriter();
        for (let i = 0; i < APPENDS; i++) {
          const k = i & M;
          w.pack('<IHHd', V0[k], V1[k], V2[k], V3[k]);
        }
        last = w.target;
      },
      per: APPENDS,
      check: checkFull,
      pass: true,
    },
    {
      id: 'append.chunks.concat',
      op: () => {
        const list: Uint8Array[] = [];
        for (let i = 0; i < APPENDS; i++) list.push(pool[i & M]);
        last = Buffer.concat(list);
      },
      per: APPENDS,
      check: checkFull,
      pass: true,
    },
    {
      id: 'append.hand.set',
      op: () => {
        const u8 = new Uint8Array(APPENDS * RECORD);
        let off = 0;
        for (let i = 0; i < APPENDS; i++) {
          u8.set(pool[i & M], off);
          off += RECORD;
        }
        last = u8;
      },
      per: APPENDS,
      check: checkFull,
      pass: true,
    },
    {
      id: 'append.hand.set.reused',
      op: () => {
        const u8 = reused;
        let off = 0;
        for (let i = 0; i < APPENDS; i++) {
          u8.set(pool[i & M], off);
          off += RECORD;
        }
        last = u8;
      },
      per: APPENDS,
      check: checkFull,
      pass: true,
    },
    {
      id: 'append.ByteArray.extend.20k',
      op: () => {
        const ba = new ByteArray();
        for (let i = 0; i < GROWING_APPENDS; i++) ba.extend(pool[i & M]);
        last = ba;
      },
      per: GROWING_APPENDS,
      check: checkSmall,
      pass: true,
    },
    {
      id: 'append.growing.concat.20k',
      op: () => {
        let acc = Buffer.alloc(0);
        for (let i = 0; i < GROWING_APPENDS; i++) acc = Buffer.concat([acc, pool[i & M]]);
        last = acc;
      },
      per: GROWING_APPENDS,
      check: checkSmall,
      pass: true,
    },
  ];
}

function exportCases(): Case[] {
  const ba = new ByteArray(patternBytes(SLICE_SOURCE));
  return [
    {
      id: 'export.memoryviewByteArray.release',
      op: () => {
        const v = memoryview(ba);
        v.release();
        last = v;
      },
      per: 1,
      check: (r) => ((r as { released: boolean }).released && ba.exports === 0 ? 1 : 0),
      pass: false,
    },
  ];
}

/** Byte i is `(i·131 + (i >> 8)) & 0xff` (the view suite's pattern). */
function patternBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + (i >>> 8)) & 0xff;
  return out;
}

async function measureCase(c: Case, figures: Figures, log: Log): Promise<void> {
  const stats = c.pass
    ? await measure(c.op, { min_samples: 7, min_cpu_time: 500e6 })
    : await measure(c.op);
  const figure: Figure = {
    value: stats.p50 / c.per,
    unit: 'ns/op',
    n: stats.samples.length,
    min: stats.min / c.per,
    max: stats.max / c.per,
    check: c.check(last),
  };
  figures[c.id] = figure;
  last = null;
  log(
    `  ${c.id}: ${figure.value.toFixed(2)} ns/${c.per > 1 ? 'append' : 'op'} (check ${figure.check})`,
  );
}

/** Case 2 in a child: `m.slice(A, B)` with the bookkeeping, or with `register` a no-op. */
async function sliceChild(variant: string): Promise<void> {
  if (variant === 'without') {
    ManagedBuffer.prototype.register = () => {};
  }
  const u8 = patternBytes(SLICE_SOURCE);
  const m = memoryview(u8);
  let s = m.slice(A, B);
  const stats = await measure(() => {
    s = m.slice(A, B);
  });
  // After timing: whether `register` counted (a released view of a ByteArray gives its
  // export back only when its managed buffer counted it).
  const probe = new ByteArray(4);
  memoryview(probe).release();
  const figure = {
    value: stats.p50,
    unit: 'ns/op',
    n: stats.samples.length,
    min: stats.min,
    max: stats.max,
    check: crc32(s.toBytes()),
    counted: probe.exports === 0,
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

function runSliceChild(variant: string): Figure {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, CHILD_FLAG, variant], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`bench: slice child (${variant}) failed`);
  const figure = JSON.parse(child.stdout) as Figure & { counted: boolean };
  if (figure.counted !== (variant === 'with')) {
    throw new Error(
      `bench: slice child (${variant}): register ${figure.counted ? 'counted' : 'did not count'}`,
    );
  }
  return figure;
}

/** The medians of alternating child runs, one figure per variant. */
function measureSlices(figures: Figures, log: Log): void {
  const runs: Record<string, Figure[]> = { with: [], without: [] };
  for (let k = 0; k < SLICE_CHILDREN; k++) {
    for (const variant of ['with', 'without']) {
      const f = runSliceChild(variant);
      runs[variant].push(f);
      log(`  slice (${variant} bookkeeping), child ${k + 1}: ${f.value.toFixed(2)} ns/op`);
    }
  }
  for (const [variant, list] of Object.entries(runs)) {
    const values = list.map((f) => f.value);
    const checks = new Set(list.map((f) => f.check));
    figures[`export.slice.${variant}`] = {
      value: median(values),
      unit: 'ns/op',
      n: list.length,
      min: Math.min(...values),
      max: Math.max(...values),
      check: checks.size === 1 ? (list[0].check as number) : -1,
    };
    log(
      `  export.slice.${variant}: ${median(values).toFixed(2)} ns/op (medians ${values.map((v) => v.toFixed(2)).join(', ')})`,
    );
  }
}

async function measureAll(log: Log): Promise<Figures> {
  const figures: Figures = {};
  measureSlices(figures, log);
  for (const c of appendCases()) await measureCase(c, figures, log);
  for (const c of exportCases()) await measureCase(c, figures, log);
  return figures;
}

const EXTEND = 'append.ByteArray.extend';

const comparisons: Comparison[] = [
  {
    label:
      '1. `ba.extend(record)`, 1M × 16 B, vs growing `acc = Buffer.concat([acc, record])` (20k appends, per append)',
    memview: EXTEND,
    peer: { name: 'growing concat, 20k', id: 'append.growing.concat.20k' },
    against: 'peer',
    target: 3,
  },
  {
    label: '… vs `list.push(record)`, then `Buffer.concat(list)` once',
    memview: EXTEND,
    peer: { name: 'collect + concat', id: 'append.chunks.concat' },
    against: 'peer',
  },
  {
    label: '… vs `u8.set(record, off)` into `new Uint8Array(16 MiB)` (≤ 2× its time)',
    memview: EXTEND,
    peer: { name: 'hand set', id: 'append.hand.set' },
    against: 'peer',
    target: 0.5,
  },
  {
    label: '… vs the same into a Uint8Array allocated once, outside the pass',
    memview: EXTEND,
    peer: { name: 'hand set, reused', id: 'append.hand.set.reused' },
    against: 'peer',
  },
  {
    label: '… vs CPython `ba += record`',
    memview: EXTEND,
    cpython: 'append.bytearray.iadd',
    against: 'cpython',
  },
  {
    label: "`BufferWriter.pack('<IHHd', 4 values)`, 1M, vs `ba.extend(record)`",
    memview: 'append.BufferWriter.pack',
    cpython: 'append.struct.pack.iadd',
    peer: { name: 'ByteArray.extend', id: EXTEND },
    against: 'peer',
  },
  {
    label: '`ba.extend(record)`, 20k appends, vs growing concat, 20k (same N)',
    memview: 'append.ByteArray.extend.20k',
    peer: { name: 'growing concat, 20k', id: 'append.growing.concat.20k' },
    against: 'peer',
  },
  {
    label: '2. `m.slice(a, b)`: bookkeeping vs `register` a no-op (≤ 10 % more time)',
    memview: 'export.slice.with',
    peer: { name: 'no bookkeeping', id: 'export.slice.without' },
    against: 'peer',
    target: 0.909, // ≤ 10 % more time
  },
  {
    label: '2. `memoryview(byteArray)` + `release()`',
    memview: 'export.memoryviewByteArray.release',
    cpython: 'export.memoryview.release',
    against: 'cpython',
  },
];

export const exportersSuite: Suite = {
  name: 'exporters',
  title: 'ByteArray appends and export bookkeeping: memview vs Buffer.concat, hand-written code',
  python: 'bench/exporters_bench.py',
  measure: measureAll,
  comparisons,
};

if (process.argv[2] === CHILD_FLAG && process.argv[1] === fileURLToPath(import.meta.url)) {
  await sliceChild(process.argv[3]);
}
