/**
 * memview/ndarray: zero-copy both ways between memview's views and scijs `ndarray`
 * (an optional peer dependency), and views of `@stdlib/ndarray` arrays.
 *
 * Both sides describe an N-D array the same way — memory, offset, shape and strides —
 * so a bridge moves no byte: `fromNdarray` views the ndarray's own elements and
 * `toNdarray` indexes the view's own memory. Keep the view (unreleased) while the
 * ndarray built from it is in use: the view's export is what keeps an exporter such as
 * a `ByteArray` from moving its memory.
 *
 * @module memview/ndarray
 */

import ndarray from 'ndarray';
import { fromCall } from '../../errors.js';
import { BufferError, type MemoryView } from '../../index.js';
import { elementsOfView, type NumericArray, viewOfElements } from './layout.js';

export type { NumericArray } from './layout.js';

/** A scijs `ndarray`, as far as this bridge reads and makes one. */
export interface ScijsNdarray {
  /** The elements: a TypedArray (or, in an ndarray of dtype `array`/`generic`, JavaScript values). */
  readonly data: NumericArray | ArrayLike<unknown>;
  /** Elements along each dimension. */
  readonly shape: number[];
  /** Elements (not bytes) between neighbours along each dimension. */
  readonly stride: number[];
  /** Index in `data` of the element at (0, …, 0). */
  readonly offset: number;
  /** The library's name for the element type (`float64`, `uint8`, …). */
  readonly dtype: string;
  /** The element at `indices`. */
  get(...indices: number[]): number | bigint;
  /** Writes the last argument at the indices before it. */
  set(...indicesAndValue: (number | bigint)[]): number | bigint;
}

/** A `@stdlib/ndarray` array, as far as `fromNdarray` reads one. */
export interface StdlibNdarrayLike {
  /** The elements: a TypedArray (or, in an ndarray of dtype `array`/`generic`, JavaScript values). */
  readonly data: NumericArray | ArrayLike<unknown>;
  /** Elements along each dimension. */
  readonly shape: readonly number[];
  /** Elements (not bytes) between neighbours along each dimension. */
  readonly strides: readonly number[];
  /** Index in `data` of the element at (0, …, 0). */
  readonly offset: number;
  /** The library's flags; only `READONLY` is read here. */
  readonly flags?: {
    /** True when the array refuses writes. */
    readonly READONLY?: boolean;
  };
}

/**
 * A view of an ndarray's elements, over the same memory: scijs `ndarray` or
 * `@stdlib/ndarray` (`stride`/`strides` in elements become the view's byte strides, the
 * element offset its byte offset, the data's TypedArray its format). A read-only stdlib
 * array gives a read-only view.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { fromNdarray } from 'memview/ndarray';
 * const a = ndarray(new Float64Array(12), [3, 4]).step(-1, 2); // rows reversed, every other column
 * const view = fromNdarray(a); // format 'd', shape [3, 2], strides [-32, 16]
 * ```
 * @throws {TypeError} when the ndarray keeps JavaScript values (dtype 'array' or 'generic'), not a TypedArray
 * @throws {ValueError} when its layout reaches elements outside its data
 */
export function fromNdarray(a: ScijsNdarray | StdlibNdarrayLike): MemoryView {
  try {
    const strides = 'stride' in a ? a.stride : a.strides;
    const readonly = 'flags' in a && a.flags?.READONLY === true;
    return viewOfElements('fromNdarray', {
      data: a.data as NumericArray,
      shape: a.shape,
      strides,
      offset: a.offset,
      readonly,
    });
  } catch (error) {
    throw fromCall(error, fromNdarray);
  }
}

/**
 * A scijs `ndarray` over the view's memory (no copy): the same shape, its strides and
 * offset in elements.
 *
 * @example
 * ```ts
 * import { memoryview } from 'memview';
 * import { toNdarray } from 'memview/ndarray';
 * const plane = memoryview(new Uint8Array(1080 * 1920)).cast('B', [1080, 1920]);
 * const roi = toNdarray(plane.sub([40, 1040], [460, 1460])); // 1000 × 1000, same memory
 * roi.set(0, 0, 255); // plane.get(40, 460) is now 255
 * ```
 * @throws {NotImplementedError} for a format no TypedArray holds (records, `?`, `c`, `s`) or a byte-swapped one
 * @throws {BufferError} for an unaligned view, or a read-only one (a scijs ndarray cannot refuse writes)
 */
export function toNdarray(view: MemoryView): ScijsNdarray {
  try {
    if (view.readonly) {
      throw new BufferError(
        'toNdarray: the view is read-only and a scijs ndarray cannot refuse writes',
      );
    }
    const e = elementsOfView('toNdarray', view);
    return ndarray(e.data, e.shape, e.strides, e.offset) as ScijsNdarray;
  } catch (error) {
    throw fromCall(error, toNdarray);
  }
}
