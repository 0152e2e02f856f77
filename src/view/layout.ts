/**
 * A view's place in memory as plain data — buffer, byte offset, format, shape, strides,
 * read-only flag — and the exporter that turns such a description back into a view.
 *
 * This is how a view crosses to a worker (a `SharedArrayBuffer` travels through
 * `postMessage` as the same memory, so its description rebuilds the same view there) and
 * how views are handed to and taken from libraries with their own N-D arrays: both sides
 * describe memory by these six fields, so no byte is copied either way.
 *
 * Invariants: a description is read once, field by field, and checked in full when its
 * `LayoutExporter` is made (a getter cannot answer one thing to the check and another to
 * the view); the checked export is frozen and made once, so rebuilding a view costs the
 * same whatever the memory's size. Each later export checks only what can change: that
 * the memory is still there, and the consumer's request.
 */

import { BufferError, pyTypeName, ValueError } from '../errors.js';
import { parseFormat } from '../format/index.js';
import {
  byteSpan,
  checkBounds,
  type Layout,
  MAX_NDIM,
  nbytes,
  validateLayout,
} from '../layout/index.js';
import {
  arrayBufferLength,
  BUFFER,
  type BufferInfo,
  deadMemoryError,
  type Exporter,
  exportRefusal,
  isAlive,
  isDetached,
  NO_SUBOFFSETS,
  trustExports,
} from '../protocol/index.js';

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
 * An exporter of the memory `layout` describes. The description is checked when the
 * exporter is made, with the checks every export from JavaScript code gets (`getBuffer`):
 * the fields' types, a known format, the shape and strides, every element inside the
 * buffer, and memory not detached, each with its named error. Nothing is given back when
 * an export ends: the exporter holds no state for it.
 */
export class LayoutExporter implements Exporter {
  readonly #info: BufferInfo;
  // One past the last byte the layout reaches (0 when it reaches none).
  readonly #end: number;

  constructor(layout: ViewLayout) {
    const { info, end } = checkedExport(layout, this);
    this.#info = info;
    this.#end = end;
  }

  /**
   * @internal The checked export, for a view made straight from it: the memory is checked
   * to be there still, as `[BUFFER]` checks it.
   */
  export(): BufferInfo {
    const info = this.#info;
    if (!isAlive(info.buffer, this.#end)) throw deadMemoryError(this, info.buffer, this.#end);
    return info;
  }

  /**
   * Exports the described memory, refusing a request it cannot honour as `getBuffer`
   * refuses one for an exporter written in JavaScript.
   */
  [BUFFER](flags: number): BufferInfo {
    const info = this.#info;
    const refusal = exportRefusal(info, flags);
    if (refusal !== undefined) throw new BufferError(refusal);
    // A copy per export: each export is given back on its own.
    return Object.freeze({ ...this.export() });
  }

  /** @internal True for a real LayoutExporter (its exports are trusted, see `trustExports`). */
  static isInstance(obj: unknown): boolean {
    return typeof obj === 'object' && obj !== null && #info in obj;
  }
}

trustExports(LayoutExporter.prototype, LayoutExporter.isInstance);

const LAYOUT_FIELDS =
  'a view layout must be an object with buffer, byteOffset, format, shape, strides and readonly';

/**
 * The export `layout` describes, checked and frozen, `exporter` its `obj`, and one past
 * the last byte it reaches (0 when none). Each field is read once. TypeError for a field
 * of the wrong type, StructError for a bad format, BufferError (or ValueError for too many
 * dimensions) for a shape, strides or offset that is not a layout inside the buffer, and
 * for detached memory.
 */
function checkedExport(
  layout: ViewLayout,
  exporter: LayoutExporter,
): { readonly info: BufferInfo; readonly end: number } {
  if (typeof layout !== 'object' || layout === null) throw new TypeError(LAYOUT_FIELDS);
  const { buffer, byteOffset, format, shape, strides, readonly } = layout;
  const bufferLength = arrayBufferLength(buffer);
  if (bufferLength === undefined) {
    const name = pyTypeName(buffer);
    throw new TypeError(
      name === 'ArrayBuffer' || name === 'SharedArrayBuffer'
        ? `layout buffer only looks like a ${name} (the engine does not know it as one)`
        : `layout buffer must be an ArrayBuffer or SharedArrayBuffer, not '${name}'`,
    );
  }
  if (typeof format !== 'string') {
    throw new TypeError(`layout format must be str, not ${typeof format}`);
  }
  if (typeof readonly !== 'boolean') {
    throw new TypeError(`layout readonly must be a boolean, not '${pyTypeName(readonly)}'`);
  }
  const itemsize = parseFormat(format).size;
  const checked: Layout = {
    offset: byteOffset,
    itemsize,
    shape: Object.freeze(integers(shape, 'shape')),
    strides: Object.freeze(integers(strides, 'strides')),
  };
  validateLayout(checked);
  const span = byteSpan(checked);
  const end = span === null ? 0 : span.end;
  if (isDetached(buffer)) throw deadMemoryError(exporter, buffer, end);
  // Out of bounds: `checkBounds` says where, as for any export.
  if (span !== null && (span.start < 0 || end > bufferLength)) checkBounds(checked, bufferLength);
  return {
    end,
    info: Object.freeze({
      obj: exporter,
      buffer,
      offset: checked.offset,
      len: nbytes(checked),
      readonly,
      format,
      itemsize,
      ndim: checked.shape.length,
      shape: checked.shape,
      strides: checked.strides,
      suboffsets: NO_SUBOFFSETS,
    }),
  };
}

/**
 * The entries of the array `value` (a layout's `field`), read once each into a new array;
 * longer than `MAX_NDIM` is refused before anything is read (a `length` may be 2**32 - 1).
 * The entries are checked with the rest of the layout. The same loop as protocol's
 * `copyIntegers`, kept apart: a shared function there costs the `unpack`-only bundle
 * 18 bytes, and it is at 7,982 of its 8,000.
 */
function integers(value: unknown, field: string): number[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`layout ${field} must be an array, not '${pyTypeName(value)}'`);
  }
  const length = value.length;
  if (length > MAX_NDIM) {
    throw new ValueError(`memoryview: number of dimensions must not exceed ${MAX_NDIM}`);
  }
  const copy = new Array<number>(length);
  for (let i = 0; i < length; i++) copy[i] = value[i];
  return copy;
}
