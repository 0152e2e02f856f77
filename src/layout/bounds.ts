/**
 * Memory bounds: which bytes a layout reaches, and whether they all lie in a buffer.
 *
 * Invariants:
 * - a layout with a 0 in its shape reaches no byte, wherever its offset points;
 * - otherwise it reaches from `offset + sum((shape[d] - 1) * strides[d])` over the negative
 *   strides up to `offset + sum((shape[d] - 1) * strides[d])` over the positive strides,
 *   plus `itemsize - 1`: the extreme elements, as `_testbuffer`'s `verify_structure` has it;
 * - the sums of one sign are monotone, so a huge stride (whose product may round) can only
 *   push the span further out, never back inside the buffer.
 */

import { BufferError } from '../errors.js';
import { formatInteger } from './integers.js';
import type { ByteSpan, Layout } from './types.js';
import { assertBufferLength, validateLayout } from './validate.js';

/**
 * Checks that a layout is well formed (see `validateLayout`) and that every byte of every
 * element it reaches lies in `[0, bufferLength)`; BufferError naming the first failure.
 */
export function checkBounds(layout: Layout, bufferLength: number): void {
  validateLayout(layout);
  assertBufferLength(bufferLength);
  if (reachesNothing(layout)) return;
  const low = lowestByte(layout);
  if (low < 0) {
    throw new BufferError(
      `layout reaches byte ${formatInteger(low)}, before the start of the buffer`,
    );
  }
  const high = highestByte(layout);
  if (high >= bufferLength) {
    throw new BufferError(
      `layout reaches byte ${formatInteger(high)}, beyond the end of the ${bufferLength}-byte buffer`,
    );
  }
}

/** The bytes `[start, end)` a layout reaches, or `null` when it reaches none (a 0 in its shape). */
export function byteSpan(layout: Layout): ByteSpan | null {
  if (reachesNothing(layout)) return null;
  return { start: lowestByte(layout), end: highestByte(layout) + 1 };
}

function reachesNothing(layout: Layout): boolean {
  const { shape } = layout;
  for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return true;
  return false;
}

/** The first byte of the element with the lowest offset. Assumes no 0 in the shape. */
function lowestByte(layout: Layout): number {
  const { shape, strides } = layout;
  let low = layout.offset;
  for (let d = 0; d < shape.length; d++) if (strides[d] < 0) low += (shape[d] - 1) * strides[d];
  return low;
}

/** The last byte of the element with the highest offset. Assumes no 0 in the shape. */
function highestByte(layout: Layout): number {
  const { shape, strides } = layout;
  let high = layout.offset + layout.itemsize - 1;
  for (let d = 0; d < shape.length; d++) if (strides[d] > 0) high += (shape[d] - 1) * strides[d];
  return high;
}
