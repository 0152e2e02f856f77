/**
 * memview/stdlib: zero-copy both ways between memview's views and `@stdlib/ndarray`
 * (an optional peer dependency). Keep the view (unreleased) while the array built from
 * it is in use: the view's export is what keeps its exporter's memory in place.
 *
 * @module memview/stdlib
 */

import StdlibCtor from '@stdlib/ndarray/ctor/lib/index.js';
import { fromCall } from '../../errors.js';
import { type MemoryView, NotImplementedError } from '../../index.js';
import { elementsOfView, type NumericArray, viewOfElements } from './layout.js';

/** A `@stdlib/ndarray` array, as far as this bridge reads and makes one. */
export interface StdlibNdarray {
  /** The elements: a TypedArray (or, in an ndarray of dtype `array`/`generic`, JavaScript values). */
  readonly data: NumericArray | ArrayLike<unknown>;
  /** The library's name for the element type (`float64`, `uint8`, …). */
  readonly dtype: unknown;
  /** Elements along each dimension. */
  readonly shape: readonly number[];
  /** Elements (not bytes) between neighbours along each dimension. */
  readonly strides: readonly number[];
  /** Index in `data` of the element at (0, …, 0). */
  readonly offset: number;
  /** `row-major` or `column-major`: the order the library iterates in. */
  readonly order: string;
  /** The library's flags; only `READONLY` is read here. */
  readonly flags: {
    /** True when the array refuses writes. */
    readonly READONLY: boolean;
  };
  /** The element at `indices`. */
  get(...indices: number[]): unknown;
  /** Writes the last argument at the indices before it. */
  set(...indicesAndValue: unknown[]): unknown;
}

const DTYPES = new Map<unknown, string>([
  [Int8Array, 'int8'],
  [Uint8Array, 'uint8'],
  [Uint8ClampedArray, 'uint8c'],
  [Int16Array, 'int16'],
  [Uint16Array, 'uint16'],
  [Int32Array, 'int32'],
  [Uint32Array, 'uint32'],
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
]);

/**
 * A view of a `@stdlib/ndarray` array's elements, over the same memory; a read-only
 * array gives a read-only view.
 *
 * @throws {TypeError} when the array keeps JavaScript values (dtype 'generic'), not a TypedArray
 * @throws {ValueError} when its layout reaches elements outside its data
 */
export function fromStdlib(a: StdlibNdarray): MemoryView {
  try {
    return viewOfElements('fromStdlib', {
      data: a.data as NumericArray,
      shape: a.shape,
      strides: a.strides,
      offset: a.offset,
      readonly: a.flags.READONLY === true,
    });
  } catch (error) {
    throw fromCall(error, fromStdlib);
  }
}

/**
 * A `@stdlib/ndarray` array over the view's memory (no copy); a read-only view gives a
 * read-only array.
 *
 * @example
 * ```ts
 * import { memoryview } from 'memview';
 * import { toStdlib } from 'memview/stdlib';
 * const m = memoryview(new Float64Array(12)).cast('B').cast('d', [3, 4]);
 * const a = toStdlib(m.T); // dtype 'float64', shape [4, 3], strides [1, 4]
 * ```
 * @throws {NotImplementedError} for a format with no stdlib dtype (records, `?`, 8-byte integers, byte-swapped)
 * @throws {BufferError} for an unaligned view
 */
export function toStdlib(view: MemoryView): StdlibNdarray {
  try {
    const e = elementsOfView('toStdlib', view);
    const dtype = DTYPES.get(e.data.constructor);
    if (dtype === undefined) {
      throw new NotImplementedError(
        `toStdlib: @stdlib/ndarray has no dtype for format '${view.format}'`,
      );
    }
    const order = view.fContiguous && !view.cContiguous ? 'column-major' : 'row-major';
    return new StdlibCtor(
      dtype as never,
      e.data as never,
      e.shape as number[],
      e.strides as number[],
      e.offset,
      order,
      {
        readonly: e.readonly,
      },
    ) as unknown as StdlibNdarray;
  } catch (error) {
    throw fromCall(error, toStdlib);
  }
}
