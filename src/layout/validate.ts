/**
 * Structural validation of a `Layout` that may come from untrusted code (a user-written
 * exporter): the checks that make the rest of the layer's arithmetic exact and finite.
 *
 * Invariants established by `validateLayout` (see `types.ts`): ndim <= MAX_NDIM, as many
 * strides as dimensions, a positive safe-integer itemsize, an integral offset,
 * non-negative safe-integer shape entries, integral strides, and a logical size
 * (`product(shape) * itemsize`) that is a safe integer, so `nbytes` is always exact.
 *
 * Memory bounds are not checked here; `checkBounds` (bounds.ts) adds them.
 */

import { BufferError, ValueError } from '../errors.js';
import { formatInteger } from './integers.js';
import { type Layout, MAX_NDIM } from './types.js';

/**
 * Checks a layout's structure (not its bounds): BufferError naming the first bad field,
 * or CPython's ValueError when it has more than 64 dimensions.
 */
export function validateLayout(layout: Layout): void {
  const { shape, strides, itemsize, offset } = layout;
  if (!Array.isArray(shape)) throw new BufferError('layout shape must be an array');
  if (!Array.isArray(strides)) throw new BufferError('layout strides must be an array');
  const ndim = shape.length;
  if (ndim > MAX_NDIM) {
    throw new ValueError(`memoryview: number of dimensions must not exceed ${MAX_NDIM}`);
  }
  if (strides.length !== ndim) {
    throw new BufferError(`layout has ${strides.length} strides for ${ndim} dimensions`);
  }
  if (!Number.isSafeInteger(itemsize) || itemsize <= 0) {
    throw new BufferError(`layout itemsize must be a positive integer, not ${show(itemsize)}`);
  }
  // A non-empty layout reaches its offset, so bounds keep that offset in the buffer; an
  // empty one may point anywhere (slicing by a huge step can move it by ±2**63).
  if (!Number.isInteger(offset)) {
    throw new BufferError(`layout offset must be an integer, not ${show(offset)}`);
  }
  let size = itemsize;
  for (let d = 0; d < ndim; d++) {
    assertShapeEntry(shape[d], d);
    size *= shape[d];
  }
  for (let d = 0; d < ndim; d++) {
    if (!Number.isInteger(strides[d])) {
      throw new BufferError(`layout strides[${d}] must be an integer, not ${show(strides[d])}`);
    }
  }
  // Partial products of safe integers stay exact until they pass 2**53, so the final
  // (possibly rounded) product exceeds MAX_SAFE_INTEGER exactly when the true one does.
  if (size > Number.MAX_SAFE_INTEGER) {
    throw new BufferError('layout nbytes (product of shape and itemsize) exceeds 2**53 - 1');
  }
}

/** Checks one shape entry: BufferError unless it is a non-negative safe integer. */
export function assertShapeEntry(value: unknown, dim: number): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new BufferError(
      `layout shape[${dim}] must be a non-negative integer, not ${show(value)}`,
    );
  }
}

/** Checks a buffer length: BufferError unless it is a non-negative safe integer. */
export function assertBufferLength(value: unknown): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new BufferError(`buffer length must be a non-negative integer, not ${show(value)}`);
  }
}

/** A short, unambiguous rendering of an arbitrary value for error messages. */
function show(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? formatInteger(value) : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'undefined':
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : 'an object';
}
