/**
 * Sub-views: taking one index of a dimension (`indexDim`) and NumPy basic indexing over
 * several dimensions at once (`subLayout`, behind memview's `sub(...keys)` extension).
 *
 * Invariants:
 * - key `d` applies to dimension `d` of the input; missing trailing keys mean `:`;
 * - an integer key wraps once if negative, must then lie in [0, shape[d]) (CPython's
 *   IndexError "index out of bounds on dimension K", K = d + 1), moves the offset by
 *   `index * stride` and drops the dimension;
 * - a slice key is applied exactly as `sliceDim` applies it (CPython's arithmetic, also
 *   for empty results; NumPy instead resets an empty slice to start 0, step 1, which
 *   changes only the offset and strides of a layout that reaches no byte);
 * - keys are checked left to right and the first bad one raises.
 */

import { asIndex, invalidKey, lookupDimension, normalizeAxis } from './integers.js';
import { adjustSlice, isNone, scaleStride } from './slice.js';
import type { Layout, SliceKey, SubKey } from './types.js';

/**
 * The layout of `m[..., index, ...]` with `index` taken on dimension `dim`, which is
 * removed. Negative indices wrap once; IndexError "index out of bounds on dimension K".
 */
export function indexDim(layout: Layout, dim: number, index: number | bigint): Layout {
  const ndim = layout.shape.length;
  const d = normalizeAxis(dim, ndim);
  const i = lookupDimension(layout.shape[d], asIndex(index), d);
  const shape = new Array<number>(ndim - 1);
  const strides = new Array<number>(ndim - 1);
  for (let k = 0, j = 0; k < ndim; k++) {
    if (k === d) continue;
    shape[j] = layout.shape[k];
    strides[j++] = layout.strides[k];
  }
  return {
    offset: layout.offset + layout.strides[d] * i,
    itemsize: layout.itemsize,
    shape,
    strides,
  };
}

/**
 * NumPy basic indexing: `keys[d]` is an int (takes that index, drops the dimension), a
 * `[start?, stop?, step?]` slice, or `null` (the whole dimension). More keys than
 * dimensions is a TypeError; anything else as a key, "memoryview: invalid slice key".
 */
export function subLayout(layout: Layout, keys: readonly SubKey[]): Layout {
  const ndim = layout.shape.length;
  if (keys.length > ndim) {
    throw new TypeError(
      `too many indices for memoryview: memoryview is ${ndim}-dimensional, but ${keys.length} were indexed`,
    );
  }
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = layout.offset;
  for (let d = 0; d < ndim; d++) {
    const key = d < keys.length ? keys[d] : null;
    const length = layout.shape[d];
    const stride = layout.strides[d];
    if (isNone(key)) {
      shape.push(length);
      strides.push(stride);
    } else if (isSliceKey(key)) {
      const slice = adjustSlice(length, key[0], key[1], key[2]);
      offset += stride * slice.start;
      shape.push(slice.length);
      strides.push(scaleStride(stride, slice.step, key[2]));
    } else {
      offset += stride * lookupDimension(length, asIndex(key), d);
    }
  }
  return { offset, itemsize: layout.itemsize, shape, strides };
}

function isSliceKey(key: unknown): key is SliceKey {
  if (!Array.isArray(key)) return false;
  if (key.length > 3) invalidKey();
  return true;
}
