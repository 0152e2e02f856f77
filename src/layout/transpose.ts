/**
 * Transposition: permuting the dimensions of a layout, as NumPy's `transpose` does.
 *
 * Invariants:
 * - the offset and itemsize never change; dimension `i` of the result is dimension
 *   `axes[i]` of the input, so the result reaches exactly the same bytes;
 * - checks run in NumPy's order: every axis an int (TypeError), then as many axes as
 *   dimensions ("axes don't match array"), then each axis in range (NumPy's AxisError
 *   text, as ValueError) and not repeated ("repeated axis in transpose").
 */

import { ValueError } from '../errors.js';
import { assertAxisType, normalizeAxis } from './integers.js';
import type { Layout } from './types.js';

/**
 * The layout with its dimensions permuted: dimension `i` of the result is dimension
 * `axes[i]` of `layout` (negative axes count from the end). Without `axes`, reversed.
 */
export function transposeLayout(
  layout: Layout,
  axes?: readonly (number | bigint)[] | null,
): Layout {
  const ndim = layout.shape.length;
  if (axes === null || axes === undefined) {
    return {
      offset: layout.offset,
      itemsize: layout.itemsize,
      shape: layout.shape.slice().reverse(),
      strides: layout.strides.slice().reverse(),
    };
  }
  for (const axis of axes) assertAxisType(axis);
  if (axes.length !== ndim) throw new ValueError("axes don't match array");
  const taken = new Array<boolean>(ndim).fill(false);
  const shape = new Array<number>(ndim);
  const strides = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const axis = normalizeAxis(axes[i], ndim);
    if (taken[axis]) throw new ValueError('repeated axis in transpose');
    taken[axis] = true;
    shape[i] = layout.shape[axis];
    strides[i] = layout.strides[axis];
  }
  return { offset: layout.offset, itemsize: layout.itemsize, shape, strides };
}
