/**
 * Scenario `slice`: the last 1 MB of a 100 MB buffer, taken as a view
 * (`memoryview(buf).slice(-1MB)`) and as a copy (`buf.slice(-1MB)`), timed per operation in
 * the same run — and CPython's own ratio (`memoryview(b)[-N:]` against `b[-N:]`).
 *
 * The article's benchmark: "Speedup factor: 1729.8x".
 */

import { type MemoryView, memoryview } from '../src/index.js';
import { settle, timePerOp } from './measure.js';
import { makeRow, pythonAgrees, pythonCheckValues, pythonFigure } from './rows.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** Sizes of the scenario: the buffer and the tail taken from it, in bytes. */
export interface SliceSizes {
  readonly total: number;
  readonly tail: number;
}

/** 100 MB and its last 1 MB (the article's sizes); 1 MB and 10 kB in quick mode. */
export function sliceSizes(quick: boolean): SliceSizes {
  return quick ? { total: 1_000_000, tail: 10_000 } : { total: 100_000_000, tail: 1_000_000 };
}

/** Length of the repeating block of the synthetic buffer (a prime, so tails differ). */
export const SLICE_PERIOD = 65_521;

/** Byte `j` of the repeating block: `(j * 131 + (j >> 7)) & 255`. */
export function sliceByte(j: number): number {
  return (j * 131 + (j >> 7)) & 255;
}

/** The synthetic buffer: byte `i` is `sliceByte(i % SLICE_PERIOD)` (the Python side agrees). */
export function makeSliceBuffer(total: number): Uint8Array {
  const buffer = new Uint8Array(total);
  const head = Math.min(total, SLICE_PERIOD);
  for (let j = 0; j < head; j++) buffer[j] = sliceByte(j);
  for (let filled = head; filled < total; filled *= 2) {
    buffer.copyWithin(filled, 0, Math.min(filled, total - filled));
  }
  return buffer;
}

/** Sum of the bytes of a 1-D byte view, read through the view (a zero-copy TypedArray). */
export function sumOfView(view: MemoryView): number {
  const bytes = view.toTypedArray() as Uint8Array;
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i];
  return sum;
}

function sumOf(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i];
  return sum;
}

/** The slice scenario. */
export const sliceScenario: Scenario = {
  name: 'slice',
  title: 'the last 1 MB of a 100 MB buffer: a view against a copy',
  run: runSlice,
};

async function runSlice(context: ScenarioContext): Promise<ScenarioResult> {
  const { total, tail } = sliceSizes(context.quick);
  const budget = context.quick ? { batchMs: 2, samples: 5 } : { batchMs: 40, samples: 15 };
  context.log(`slice: building a ${mb(total)} buffer`);
  const buffer = makeSliceBuffer(total);
  const whole = memoryview(buffer);
  await settle();

  // Correctness first: the view and the copy hold the same bytes, the view is the buffer's.
  const view = whole.slice(-tail);
  const copy = buffer.slice(-tail);
  const expectedSum = sumOf(buffer.subarray(total - tail));
  const viewSum = sumOfView(view);
  const copySum = sumOf(copy);
  const last = buffer[total - 1];
  buffer[total - 1] = last ^ 0xff;
  const aliases = view.get(tail - 1) === (last ^ 0xff) && copy[tail - 1] === last;
  buffer[total - 1] = last;
  const viewIsTail = view.nbytes === tail && view.byteOffset === total - tail && view.equals(copy);
  view.release();

  context.log(`slice: timing view and copy of the last ${mb(tail)}`);
  const viewTiming = timePerOp(() => whole.slice(-tail).nbytes, budget);
  const releasedTiming = timePerOp(() => {
    const v = whole.slice(-tail);
    const n = v.nbytes;
    v.release();
    return n;
  }, budget);
  const subarrayTiming = timePerOp(() => buffer.subarray(total - tail).length, budget);
  await settle();
  const copyTiming = timePerOp(() => buffer.slice(-tail).length, budget);
  whole.release();
  await settle();

  context.log('slice: CPython 3.13 memoryview and bytes slices');
  const python = await context.python({
    scenario: 'slice',
    runtime: 'cpython',
    params: { total, tail, quick: context.quick },
  });
  const ok =
    viewSum === expectedSum &&
    copySum === expectedSum &&
    aliases &&
    viewIsTail &&
    pythonAgrees(python, { tailSum: expectedSum });
  const ratio = copyTiming.median / viewTiming.median;
  const row = makeRow({
    scenario: 'slice',
    label: `time per slice: last ${mb(tail)} of ${mb(total)}`,
    unit: 'ns/op',
    better: 'lower',
    memview: viewTiming.median,
    baseline: copyTiming.median,
    python: pythonFigure(python, 'viewNs', 'copyNs'),
    claim: '1729× (CPython: copy ÷ view)',
    target: '≥ 1729×',
    met: ratio >= 1729,
  });
  return {
    name: 'slice',
    title: sliceScenario.title,
    available: true,
    rows: [row],
    check: {
      ok,
      description:
        'the view and the copy hold the bytes of the buffer’s tail (same sum), the view starts at its offset and sees a write to the buffer, the copy does not',
      values: {
        tailSum: expectedSum,
        viewSum,
        copySum,
        viewSeesWrites: aliases,
        viewIsTail,
        ...pythonCheckValues(python, 'python'),
      },
    },
    details: {
      totalBytes: total,
      tailBytes: tail,
      viewNs: viewTiming.median,
      viewReleasedNs: releasedTiming.median,
      subarrayNs: subarrayTiming.median,
      copyNs: copyTiming.median,
      copyOverView: ratio,
      copyMinNs: copyTiming.min,
      copyMaxNs: copyTiming.max,
    },
  };
}

/** Bytes as "100 MB", "1 MB" or "10 kB" (decimal units, as the article's sizes are). */
export function mb(bytes: number): string {
  if (bytes >= 1e6) return `${+(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${+(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
