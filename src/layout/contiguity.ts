/**
 * Contiguity flags, exactly as a CPython 3.13 memoryview computes `c_contiguous`,
 * `f_contiguous` and `contiguous` (`init_flags` in memoryobject.c).
 *
 * Rules (suboffsets do not exist in this layer):
 * - ndim 0: C, F and any-contiguous;
 * - ndim 1 (`MV_CONTIGUOUS_NDIM1`): `shape[0] == 1 || strides[0] == itemsize`. An empty
 *   1-D layout with any other stride is therefore NOT contiguous (`b'abcdef'[0:0:2]`);
 * - ndim >= 2 (`PyBuffer_IsContiguous`): a layout with no items is contiguous; otherwise
 *   dimensions of size 1 are skipped and every other stride must equal the product of the
 *   itemsize and the sizes of the dimensions inside it. A zero stride on a dimension of
 *   size > 1 is never contiguous.
 */

import type { Layout } from './types.js';

/** `memoryview.c_contiguous`: the items lie back to back in row-major (C) order. */
export function isCContiguous(layout: Layout): boolean {
  return isBackToBack(layout, false);
}

/** `memoryview.f_contiguous`: the items lie back to back in column-major (Fortran) order. */
export function isFContiguous(layout: Layout): boolean {
  return isBackToBack(layout, true);
}

/** `memoryview.contiguous`: C- or Fortran-contiguous. */
export function isAnyContiguous(layout: Layout): boolean {
  return isCContiguous(layout) || isFContiguous(layout);
}

/** memoryview's rule for ndim 0 and 1, where C and Fortran order coincide. */
function isContiguous1D(layout: Layout): boolean {
  return (
    layout.shape.length === 0 || layout.shape[0] === 1 || layout.strides[0] === layout.itemsize
  );
}

function hasNoItems(shape: readonly number[]): boolean {
  for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return true;
  return false;
}

/** PyBuffer_IsContiguous for one order: strides walked from the fastest-varying dimension. */
function isBackToBack(layout: Layout, fortran: boolean): boolean {
  const { shape, strides, itemsize } = layout;
  const ndim = shape.length;
  if (ndim <= 1) return isContiguous1D(layout);
  if (hasNoItems(shape)) return true;
  let expected = itemsize;
  for (let k = 0; k < ndim; k++) {
    const d = fortran ? k : ndim - 1 - k;
    if (shape[d] > 1 && strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}
