/**
 * Slices: CPython's `PySlice_Unpack` + `PySlice_AdjustIndices`, and `init_slice`, which
 * applies one to a dimension of a layout.
 *
 * Invariants:
 * - an adjusted slice has `step != 0`, `|step| <= 2**63`, and `start`, `stop` in
 *   [-1, length]; `length` (CPython's slicelength) is in [0, length];
 * - slicing is pure arithmetic, exactly as memoryobject.c does it, even when the result is
 *   empty: `offset += stride * start` and `stride *= step`. So `[10:20]` of 6 items points
 *   one past the end, `[-100:-200:-1]` one before the start, and `[0:0:2]` keeps a doubled
 *   stride (which makes that 1-D view non-contiguous, as in CPython). An empty layout
 *   reaches no byte, so these offsets are never dereferenced.
 */

import { ValueError } from '../errors.js';
import {
  asSliceIndex,
  normalizeAxis,
  SSIZE_MAX,
  SSIZE_MAX_NUMBER,
  SSIZE_MIN_NUMBER,
} from './integers.js';
import type { AdjustedSlice, Layout, SliceBound } from './types.js';

/**
 * `slice(start, stop, step).indices(length)` with C's clamping, plus the slice length.
 * `null`/`undefined` mean None; ints beyond 64 bits clamp; ValueError "slice step cannot
 * be zero"; TypeError "slice indices must be integers or None or have an __index__ method".
 */
export function adjustSlice(
  length: number,
  start: SliceBound,
  stop: SliceBound,
  step: SliceBound,
): AdjustedSlice {
  // PySlice_Unpack: the step first, then start and stop, each defaulting by the step's sign.
  // (Its clamp of step to -PY_SSIZE_T_MAX is a no-op here: as doubles, both are -2**63.)
  let by = 1;
  if (!isNone(step)) {
    by = asSliceIndex(step);
    if (by === 0) throw new ValueError('slice step cannot be zero');
  }
  const from = isNone(start) ? (by < 0 ? SSIZE_MAX_NUMBER : 0) : asSliceIndex(start);
  const to = isNone(stop) ? (by < 0 ? SSIZE_MIN_NUMBER : SSIZE_MAX_NUMBER) : asSliceIndex(stop);

  // PySlice_AdjustIndices. Once a bound is in [-length, length) its sum with length is
  // exact; outside that range only its sign matters, and rounding keeps signs.
  const first = clampIndex(from, length, by);
  const end = clampIndex(to, length, by);
  let count = 0;
  if (by < 0) {
    if (end < first) count = Math.floor((first - end - 1) / -by) + 1;
  } else if (first < end) {
    count = Math.floor((end - first - 1) / by) + 1;
  }
  return { start: first, stop: end, step: by, length: count };
}

/**
 * Slices dimension `dim` (negative counts from the end) as `m[start:stop:step]` slices
 * dimension 0 of a memoryview: `offset += stride * start`, `shape[dim] = slicelength`,
 * `stride *= step`.
 */
export function sliceDim(
  layout: Layout,
  dim: number,
  start: SliceBound,
  stop: SliceBound,
  step: SliceBound,
): Layout {
  const d = normalizeAxis(dim, layout.shape.length);
  const slice = adjustSlice(layout.shape[d], start, stop, step);
  const stride = layout.strides[d];
  const shape = layout.shape.slice();
  const strides = layout.strides.slice();
  shape[d] = slice.length;
  strides[d] = scaleStride(stride, slice.step, step);
  return {
    offset: layout.offset + stride * slice.start,
    itemsize: layout.itemsize,
    shape,
    strides,
  };
}

/**
 * `stride * step` as C computes it for `init_slice`: never JavaScript's `-0`, and, when a
 * huge step (clamped to ±SSIZE_MAX, taken exactly from `rawStep`) overflows 64 bits,
 * wrapped modulo 2**64 like CPython's Py_ssize_t product. Such a dimension has at most one
 * item, so the stride is never used to reach memory; it only shows in `strides` and flags.
 */
export function scaleStride(stride: number, step: number, rawStep: SliceBound): number {
  const scaled = stride * step;
  if (Number.isSafeInteger(scaled) || !Number.isSafeInteger(stride)) return scaled + 0;
  let exact = typeof rawStep === 'bigint' ? rawStep : BigInt(step);
  if (exact > SSIZE_MAX) exact = SSIZE_MAX;
  else if (exact < -SSIZE_MAX) exact = -SSIZE_MAX;
  return Number(BigInt.asIntN(64, BigInt(stride) * exact));
}

/** True for Python's None: `null` or `undefined`. */
export function isNone(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function clampIndex(index: number, length: number, step: number): number {
  if (index < 0) {
    index += length;
    if (index < 0) return step < 0 ? -1 : 0;
    return index;
  }
  if (index >= length) return step < 0 ? length - 1 : length;
  return index;
}
