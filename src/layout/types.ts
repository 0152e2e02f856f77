/**
 * The data the layout layer reads and returns: plain, readonly, never holding memory.
 *
 * Invariants of a `Layout` (established by `checkBounds`, assumed by everything else):
 * - `shape.length === strides.length` (= ndim), and ndim <= `MAX_NDIM`;
 * - `itemsize` is a positive safe integer; `offset` is an integer (and, once bounds are
 *   checked, a byte of the buffer whenever the layout has an element);
 * - every `shape[i]` is a non-negative safe integer; every `strides[i]` is an integer
 *   (negative, zero or larger than the buffer are all allowed);
 * - `offset` is the byte offset of the element at index (0, …, 0). When some `shape[i]`
 *   is 0 the layout reaches no byte and `offset` may lie anywhere, even before the buffer
 *   (CPython's `m[-100:-200:-1]` leaves it at `-stride`).
 *
 * Functions of this layer never mutate their inputs and return new objects.
 */

/** An N-dimensional strided arrangement of equally sized items within a byte buffer. */
export interface Layout {
  /** Byte offset of the element at index (0, …, 0); for an empty layout, where it would be. */
  readonly offset: number;
  /** Size of one item in bytes. */
  readonly itemsize: number;
  /** Number of items along each dimension; `[]` for a 0-dimensional (scalar) layout. */
  readonly shape: readonly number[];
  /** Bytes between neighbouring items along each dimension; may be negative or zero. */
  readonly strides: readonly number[];
}

/** A maximal run of consecutive bytes, in the order a C-order traversal reaches them. */
export interface ByteRun {
  /** Byte offset of the run's first byte. */
  readonly offset: number;
  /** Number of bytes in the run (a positive multiple of the itemsize). */
  readonly length: number;
}

/** The bytes a layout can reach: `[start, end)`. */
export interface ByteSpan {
  /** The lowest byte offset reached. */
  readonly start: number;
  /** One past the highest byte offset reached. */
  readonly end: number;
}

/** A slice bound or step as Python takes it: an integer, or `null`/`undefined` for None. */
export type SliceBound = number | bigint | null | undefined;

/** The result of `slice(start, stop, step).indices(length)`, plus the slice's length. */
export interface AdjustedSlice {
  /** First index taken; `-1` or `length` when the slice is empty. */
  readonly start: number;
  /** Index the slice stops before. */
  readonly stop: number;
  /** Step between indices; never 0, clamped to ±(2**63 - 1) as CPython does. */
  readonly step: number;
  /** Number of indices taken (CPython's `slicelength`). */
  readonly length: number;
}

/** A slice written as an array: `[start?, stop?, step?]` means `start:stop:step`. */
export type SliceKey = readonly [start?: SliceBound, stop?: SliceBound, step?: SliceBound];

/**
 * One key of NumPy basic indexing: an integer (takes one index and drops the dimension),
 * a `SliceKey`, or `null`/`undefined` (the whole dimension, `:`).
 */
export type SubKey = number | bigint | SliceKey | null | undefined;

/** The most dimensions a layout may have: CPython's `PyBUF_MAX_NDIM`. */
export const MAX_NDIM = 64;
