/**
 * What the int64 number mode (`{ int64: 'number' }`) costs against the default bigint mode,
 * on the same bytes, in one process. CPython has one int type, so there is no CPython side.
 *
 * Cases, over 1,048,576 records or elements each, in M rec/s:
 * 1. `Struct('<qQ').unpackFrom(buf, off)` over 16 MiB, each tuple kept in a 1024-slot ring
 *    (so V8 cannot drop it), bigint mode against number mode (target: number mode costs
 *    ≤ 10 % over bigint mode, i.e. its rate ≥ 0.91 of bigint mode's);
 * 2. `get(i)` over a `'q'` view of 8 MiB, each value kept in the ring, the same way.
 * The two modes run in turns, 3 rounds (bench/peers-measure.ts).
 * Every value fits in ±(2**53 − 1), so both modes read the same integers. The check is the
 * sum of the ring's values after the loop, as numbers, which both modes must reproduce.
 */

import { memoryview, Struct } from '../src/index.js';
import type { Comparison, Figures, Suite } from './harness.js';
import { type Case, LOOP_BUDGET, measureRow } from './peers-measure.js';

const COUNT = 1 << 20;
const RING = 1024;

/** `COUNT` records `'<qQ'`: (−i·1,000,003, i·2**20 + 7), all exact as numbers. */
function records(): Uint8Array {
  const out = new Uint8Array(16 * COUNT);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < COUNT; i++) {
    dv.setBigInt64(16 * i, BigInt(-i * 1_000_003), true);
    dv.setBigUint64(16 * i + 8, BigInt(i * 2 ** 20 + 7), true);
  }
  return out;
}

/** The ring's first field (records) or values (elements) summed as numbers. */
function ringSum(ring: readonly unknown[]): number {
  let sum = 0;
  for (const x of ring) sum += Number(Array.isArray(x) ? x[1] : x);
  return sum;
}

type Unpacker = { unpackFrom(b: Uint8Array, o: number): unknown };
type Getter = { get(i: number): unknown };

// One loop per mode, written twice on purpose: a user's program runs one mode at a call
// site, and a loop shared by both modes would measure V8's polymorphic call site instead
// (number mode then reads 0.73× bigint mode's rate; with a loop each, 0.95–1.03×).
function unpackBigint(s: Unpacker, buf: Uint8Array): number {
  const ring: unknown[] = new Array(RING).fill(0);
  for (let i = 0; i < COUNT; i++) ring[i & (RING - 1)] = s.unpackFrom(buf, 16 * i);
  return ringSum(ring);
}

function unpackNumber(s: Unpacker, buf: Uint8Array): number {
  const ring: unknown[] = new Array(RING).fill(0);
  for (let i = 0; i < COUNT; i++) ring[i & (RING - 1)] = s.unpackFrom(buf, 16 * i);
  return ringSum(ring);
}

function getBigint(view: Getter): number {
  const ring: unknown[] = new Array(RING).fill(0);
  for (let i = 0; i < COUNT; i++) ring[i & (RING - 1)] = view.get(i);
  return ringSum(ring);
}

function getNumber(view: Getter): number {
  const ring: unknown[] = new Array(RING).fill(0);
  for (let i = 0; i < COUNT; i++) ring[i & (RING - 1)] = view.get(i);
  return ringSum(ring);
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const buf = records();
  const bigintStruct = new Struct('<qQ');
  const numberStruct = new Struct('<qQ', { int64: 'number' });
  const elements = buf.subarray(0, 8 * COUNT);
  const bigintView = memoryview(elements).cast('q');
  const numberView = memoryview(elements, { int64: 'number' }).cast('q');
  const loop = (id: string, run: () => number): Case => ({ id, run, unit: 'M rec/s', ops: COUNT });
  // Both modes in turns: the engine's shared code then serves both, as in a program that
  // uses both, and neither side profits from running first.
  await measureRow(
    [
      loop('int64.unpackFrom.bigint', () => unpackBigint(bigintStruct, buf)),
      loop('int64.unpackFrom.number', () => unpackNumber(numberStruct, buf)),
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
  await measureRow(
    [
      loop('int64.get.bigint', () => getBigint(bigintView)),
      loop('int64.get.number', () => getNumber(numberView)),
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
  return figures;
}

const comparisons: Comparison[] = [
  {
    label: "1. `Struct('<qQ', { int64: 'number' }).unpackFrom` vs bigint mode (≤ 10 % slower)",
    memview: 'int64.unpackFrom.number',
    peer: { name: 'bigint mode', id: 'int64.unpackFrom.bigint' },
    against: 'peer',
    target: 0.91,
  },
  {
    label: "2. `'q'` view `get(i)` in number mode vs bigint mode (≤ 10 % slower)",
    memview: 'int64.get.number',
    peer: { name: 'bigint mode', id: 'int64.get.bigint' },
    against: 'peer',
    target: 0.91,
  },
];

export const int64Suite: Suite = {
  name: 'int64',
  title: "The int64 number mode ({ int64: 'number' }) against the default bigint mode",
  measure: measureAll,
  comparisons,
};
