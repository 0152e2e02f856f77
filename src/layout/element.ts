/**
 * The byte offset of one element: CPython's `memory_item_multi` and `ptr_from_tuple`,
 * which serve `m[i, j, k]` and `m[i]`, with their checks in CPython's order.
 *
 * Invariants:
 * - a 0-dimensional layout takes only the empty index (`m[()]`);
 * - every index must be an int, before any other check ("memoryview: invalid slice key");
 * - fewer indices than dimensions is NotImplementedError "sub-views are not implemented"
 *   (use `subLayout` for those), more is TypeError;
 * - then, dimension by dimension: convert (IndexError "cannot fit 'int' into an
 *   index-sized integer"), wrap once if negative, bounds-check.
 */

import { NotImplementedError } from '../errors.js';
import { asIndex, invalidKey, isPyInt, lookupDimension } from './integers.js';
import type { Layout } from './types.js';

/**
 * The byte offset of the element at `indices`, one per dimension; negative indices count
 * from the end. Raises exactly what `m[indices]` raises in CPython.
 */
export function elementOffset(layout: Layout, indices: readonly (number | bigint)[]): number {
  const { shape, strides } = layout;
  const ndim = shape.length;
  const count = indices.length;
  if (ndim === 0) {
    if (count === 0) return layout.offset;
    throw new TypeError('invalid indexing of 0-dim memory');
  }
  for (let d = 0; d < count; d++) if (!isPyInt(indices[d])) invalidKey();
  if (count < ndim) throw new NotImplementedError('sub-views are not implemented');
  if (count > ndim) {
    throw new TypeError(`cannot index ${ndim}-dimension view with ${count}-element tuple`);
  }
  let offset = layout.offset;
  for (let d = 0; d < ndim; d++) {
    offset += strides[d] * lookupDimension(shape[d], asIndex(indices[d]), d);
  }
  return offset;
}
