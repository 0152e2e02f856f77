/**
 * Sizes and default strides of a shape: `product`, `nbytes`, C and Fortran strides, and
 * the shape check of `memoryview.cast()`.
 *
 * Invariants:
 * - shapes given to `product`, `nbytes`, `cStrides` and `fStrides` hold non-negative safe
 *   integers (BufferError otherwise); a 0 anywhere makes the product 0;
 * - a product above 2**53 - 1 is computed exactly with bigints before it is compared with
 *   SSIZE_MAX, so the overflow errors are exactly CPython's; the value returned is then
 *   the nearest double;
 * - default strides follow CPython's `init_strides_from_shape` and
 *   `init_fortran_strides_from_shape`: a 0 in the shape zeroes the strides outside it.
 */

import { OverflowError, ValueError } from '../errors.js';
import { SSIZE_MAX, SSIZE_MAX_NUMBER, SSIZE_MIN_NUMBER } from './integers.js';
import type { Layout } from './types.js';
import { assertShapeEntry } from './validate.js';

const PRODUCT_OVERFLOW = 'memoryview.cast(): product(shape) > SSIZE_MAX';

/**
 * The number of items in `shape` (1 for `[]`). ValueError "memoryview.cast():
 * product(shape) > SSIZE_MAX" when it does not fit in C's Py_ssize_t.
 */
export function product(shape: readonly number[]): number {
  return checkedProduct(shape, 1);
}

/** The logical size in bytes, `product(shape) * itemsize` (a slice counts what it shows). */
export function nbytes(layout: Layout): number {
  return checkedProduct(layout.shape, layout.itemsize);
}

/** Row-major (C-order) strides of a contiguous array: the last index varies fastest. */
export function cStrides(shape: readonly number[], itemsize: number): number[] {
  const ndim = shape.length;
  const strides = new Array<number>(ndim);
  let stride = itemsize;
  for (let d = ndim - 1; d >= 0; d--) {
    assertShapeEntry(shape[d], d);
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/** Column-major (Fortran-order) strides of a contiguous array: the first index varies fastest. */
export function fStrides(shape: readonly number[], itemsize: number): number[] {
  const ndim = shape.length;
  const strides = new Array<number>(ndim);
  let stride = itemsize;
  for (let d = 0; d < ndim; d++) {
    assertShapeEntry(shape[d], d);
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/** A shape accepted by `memoryview.cast()`, and the number of bytes it covers. */
export interface CastShape {
  /** The shape, as numbers. */
  readonly shape: number[];
  /** `product(shape) * itemsize`. */
  readonly nbytes: number;
}

/**
 * Checks the `shape` argument of `memoryview.cast()` element by element in CPython's
 * order (`copy_shape`): each must be an int (TypeError), fit in Py_ssize_t (OverflowError),
 * be > 0 (ValueError), and keep `product * itemsize` within SSIZE_MAX (ValueError).
 */
export function castShape(shape: readonly unknown[], itemsize: number): CastShape {
  const out = new Array<number>(shape.length);
  let size = itemsize;
  let exact: bigint | undefined; // the exact size, once it has passed 2**53 - 1
  for (let d = 0; d < shape.length; d++) {
    const x = shape[d];
    let value: number;
    if (typeof x === 'number' && Number.isInteger(x)) {
      if (x < SSIZE_MIN_NUMBER || x >= SSIZE_MAX_NUMBER) throw ssizeOverflow();
      value = x;
    } else if (typeof x === 'bigint') {
      if (x < -SSIZE_MAX - 1n || x > SSIZE_MAX) throw ssizeOverflow();
      value = Number(x);
    } else {
      throw new TypeError('memoryview.cast(): elements of shape must be integers');
    }
    if (value <= 0) {
      throw new ValueError('memoryview.cast(): elements of shape must be integers > 0');
    }
    if (exact === undefined && size * value <= Number.MAX_SAFE_INTEGER) {
      size *= value;
    } else {
      exact = (exact ?? BigInt(size)) * BigInt(x);
      if (exact > SSIZE_MAX) throw new ValueError(PRODUCT_OVERFLOW);
    }
    out[d] = value;
  }
  return { shape: out, nbytes: exact === undefined ? size : Number(exact) };
}

/** `start * product(shape)`, exact, with CPython's overflow check; entries are validated. */
function checkedProduct(shape: readonly number[], start: number): number {
  let size = start;
  for (let d = 0; d < shape.length; d++) {
    assertShapeEntry(shape[d], d);
    size *= shape[d];
  }
  // Without a 0 the partial products only grow, so a final product within 2**53 - 1 was
  // exact all along; with a 0 it is exactly 0 however large the partial products were.
  if (size <= Number.MAX_SAFE_INTEGER) return size;
  let exact = BigInt(start);
  for (const x of shape) exact *= BigInt(x);
  if (exact > SSIZE_MAX) throw new ValueError(PRODUCT_OVERFLOW);
  return Number(exact);
}

function ssizeOverflow(): OverflowError {
  return new OverflowError('Python int too large to convert to C ssize_t');
}
