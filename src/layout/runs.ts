/**
 * Contiguous runs: the bytes of a layout's elements, visited in C (row-major) order and
 * grouped into as few `(offset, length)` runs as that order allows. This is what bulk
 * copies (`toBytes`, slice assignment) and vectored I/O (one iovec per run) iterate.
 *
 * Invariants:
 * - concatenating the runs gives exactly the bytes of every element, element after
 *   element in C order (an element reached twice through a zero stride appears twice);
 * - runs are maximal: no run starts where the previous one ended, so a C-contiguous
 *   layout is one run and a 200x200 window of a 1920-byte-wide plane is 200 runs of 200;
 * - a layout with a 0 in its shape has no runs; a 0-dimensional one has one;
 * - assumes a validated layout (`checkBounds`): finite, integral shape and strides.
 *
 * How: the trailing dimensions whose stride equals the bytes inside them (or whose size
 * is 1) form one block; an odometer walks the remaining outer dimensions, and each block
 * is merged into the pending run when it starts where that run ends.
 */

import type { ByteRun, Layout } from './types.js';

/** Receives one run: `length` bytes starting at byte `offset`. */
export type RunVisitor = (offset: number, length: number) => void;

/**
 * Calls `visit(offset, length)` for each maximal contiguous run of the layout's bytes, in
 * C order, and returns the number of runs. Allocates only an odometer of length ndim.
 */
export function forEachRun(layout: Layout, visit: RunVisitor): number {
  const { shape, strides } = layout;
  const inner = innerDimension(layout);
  if (inner === EMPTY) return 0;
  const block = blockLength(layout, inner);
  if (inner < 0) {
    visit(layout.offset, block);
    return 1;
  }
  const count = shape[inner];
  const step = strides[inner];
  const odometer = inner > 0 ? new Array<number>(inner).fill(0) : NO_COUNTERS;
  let runs = 0;
  let runStart = layout.offset;
  let runLength = 0;
  let base = layout.offset;
  for (;;) {
    for (let i = 0, at = base; i < count; i++, at += step) {
      if (at === runStart + runLength) {
        runLength += block;
      } else {
        visit(runStart, runLength);
        runs++;
        runStart = at;
        runLength = block;
      }
    }
    let d = inner - 1;
    for (; d >= 0; d--) {
      if (++odometer[d] < shape[d]) {
        base += strides[d];
        break;
      }
      odometer[d] = 0;
      base -= strides[d] * (shape[d] - 1);
    }
    if (d < 0) break;
  }
  visit(runStart, runLength);
  return runs + 1;
}

/**
 * Receives one row of a layout's bytes in C order: `count` blocks of `block` contiguous
 * bytes, the first at byte `offset`, each `step` bytes after the one before.
 */
export type RowVisitor = (offset: number, count: number, step: number, block: number) => void;

/**
 * Calls `visit` for each row of the layout in C order: the innermost dimension that does
 * not fold into a contiguous block, walked by the caller's own loop — so copying short
 * blocks (a `[::2]` view's single bytes) costs a loop step each, not a call. A
 * contiguous layout is one row of one block; a layout with no elements has no rows.
 * Blocks are not merged across rows (see `forEachRun` for maximal runs).
 */
export function forEachRow(layout: Layout, visit: RowVisitor): void {
  const { shape, strides } = layout;
  const inner = innerDimension(layout);
  if (inner === EMPTY) return;
  const block = blockLength(layout, inner);
  if (inner < 0) {
    visit(layout.offset, 1, 0, block);
    return;
  }
  const count = shape[inner];
  const step = strides[inner];
  const odometer = inner > 0 ? new Array<number>(inner).fill(0) : NO_COUNTERS;
  let base = layout.offset;
  for (;;) {
    visit(base, count, step, block);
    let d = inner - 1;
    for (; d >= 0; d--) {
      if (++odometer[d] < shape[d]) {
        base += strides[d];
        break;
      }
      odometer[d] = 0;
      base -= strides[d] * (shape[d] - 1);
    }
    if (d < 0) return;
  }
}

/**
 * The maximal contiguous runs of the layout's bytes in C order, as `{offset, length}`
 * objects (collected by `forEachRun`). Convenient; prefer `forEachRun` on hot paths.
 */
export function* contiguousRuns(layout: Layout): Generator<ByteRun, void, undefined> {
  const runs: ByteRun[] = [];
  forEachRun(layout, (offset, length) => {
    runs.push({ offset, length });
  });
  yield* runs;
}

/** `innerDimension`'s answer for a layout with no elements. */
const EMPTY = -2;
const NO_COUNTERS: number[] = [];

/**
 * The innermost dimension that does not fold into the contiguous block: -1 when every
 * dimension folds (one run), `EMPTY` when the layout has no elements.
 */
function innerDimension(layout: Layout): number {
  const { shape, strides } = layout;
  for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return EMPTY;
  let block = layout.itemsize;
  let d = shape.length - 1;
  while (d >= 0 && (shape[d] === 1 || strides[d] === block)) block *= shape[d--];
  return d;
}

/** Bytes in the block formed by the dimensions after `inner`. */
function blockLength(layout: Layout, inner: number): number {
  let block = layout.itemsize;
  for (let d = layout.shape.length - 1; d > inner; d--) block *= layout.shape[d];
  return block;
}
