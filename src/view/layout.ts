/**
 * A view's place in memory as plain data — buffer, byte offset, format, shape, strides,
 * read-only flag — and the exporter that turns such a description back into a view.
 *
 * This is how a view crosses to a worker (a `SharedArrayBuffer` travels through
 * `postMessage` as the same memory, so its description rebuilds the same view there) and
 * how views are handed to and taken from libraries with their own N-D arrays: both sides
 * describe memory by these six fields, so no byte is copied either way.
 */

import { BufferError } from '../errors.js';
import { parseFormat } from '../format/index.js';
import { BUFFER, type BufferInfo, type Exporter, NO_SUBOFFSETS } from '../protocol/index.js';

/** Where a view's elements are, as plain (structured-clonable) data. */
export interface ViewLayout {
  /** The memory the elements live in. */
  readonly buffer: ArrayBufferLike;
  /** Byte offset in `buffer` of the element at index (0, …, 0). */
  readonly byteOffset: number;
  /** The struct format of one element (`'B'`, `'<d'`, `'<IHHd'`, …). */
  readonly format: string;
  /** Elements along each dimension. */
  readonly shape: readonly number[];
  /** Bytes between neighbouring elements along each dimension (may be negative or 0). */
  readonly strides: readonly number[];
  /** True when the rebuilt view may not write. */
  readonly readonly: boolean;
}

/** A `ViewLayout` over shared memory: what `MemoryView.toShared()` gives a worker. */
export interface SharedViewLayout extends ViewLayout {
  readonly buffer: SharedArrayBuffer;
}

/** The buffer of a layout is shared memory (not copied when it crosses to a worker). */
export function isSharedMemory(buffer: unknown): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
}

/** BufferError for a view that cannot cross to a worker without a copy. */
export function unsharedError(caller: string): BufferError {
  return new BufferError(
    `${caller}: the view's memory is not a SharedArrayBuffer; postMessage would copy it ` +
      '(copy the data into a SharedArrayBuffer first, or transfer its ArrayBuffer)',
  );
}

/**
 * An exporter of the memory `layout` describes. Its export is checked as every
 * exporter's is (`getBuffer`): the fields' types, the shape and strides, the bounds of
 * every element in the buffer, and detached memory, each with its named error.
 */
export class LayoutExporter implements Exporter {
  readonly #info: Omit<BufferInfo, 'obj'>;

  constructor(layout: ViewLayout) {
    if (typeof layout !== 'object' || layout === null) {
      throw new TypeError(
        'a view layout must be an object with buffer, byteOffset, format, shape, strides and readonly',
      );
    }
    const { buffer, byteOffset, format, shape, strides, readonly } = layout;
    if (typeof format !== 'string') {
      throw new TypeError(`layout format must be str, not ${typeof format}`);
    }
    const itemsize = parseFormat(format).size;
    // `len` and `ndim` follow from the shape; a shape that is not an array of integers is
    // refused by the consumer's check before they are compared.
    const dims: readonly number[] = Array.isArray(shape) ? shape : [];
    this.#info = Object.freeze({
      buffer,
      offset: byteOffset,
      len: dims.reduce((n, d) => n * d, itemsize),
      readonly,
      format,
      itemsize,
      ndim: dims.length,
      shape,
      strides,
      suboffsets: NO_SUBOFFSETS,
    });
  }

  /** Exports the described memory (checked by the consumer's `getBuffer`). */
  [BUFFER](): BufferInfo {
    return this.#info as BufferInfo;
  }
}
