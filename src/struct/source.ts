/**
 * The binary values struct reads and writes: every JavaScript binary type, at its own
 * byteOffset. A source resolves to a DataView over its whole ArrayBuffer plus the
 * region's base and length, so that one DataView serves every subarray of a buffer.
 */

import { pyTypeName } from '../errors.js';
import {
  type BinarySource,
  type BufferInfo,
  dataViewOf,
  getBuffer,
  isArrayBuffer,
  isBuffer,
  PyBUF,
} from '../protocol/index.js';

export type { BinarySource };

/** A resolved region: `length` bytes from `base` of the DataView. */
export interface Region {
  dv: DataView;
  base: number;
  length: number;
}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

// The last TypedArray resolved. V8 does not inline the `buffer`, `byteOffset` and
// `byteLength` getters, while `length` is fast; a TypedArray's buffer and byteOffset never
// change, and its byte length is always `length * BYTES_PER_ELEMENT` (0 once detached or
// out of bounds), so a repeated source costs one `length` read.
let lastArray: TypedArray | undefined;
let lastArrayView: DataView = new DataView(new ArrayBuffer(0));
let lastArrayBase = 0;
let lastArrayItemSize = 1;

/**
 * Fills `out` with the region of a binary source, or returns false when `source` is not
 * one (the caller raises its own TypeError).
 */
export function resolveSource(source: unknown, out: Region): boolean {
  if (source === lastArray && lastArray !== undefined) {
    out.dv = lastArrayView;
    out.base = lastArrayBase;
    out.length = lastArray.length * lastArrayItemSize;
    return true;
  }
  if (ArrayBuffer.isView(source)) {
    out.dv = dataViewOf(source.buffer);
    out.base = source.byteOffset;
    out.length = source.byteLength;
    if (!(source instanceof DataView)) {
      lastArray = source as TypedArray;
      lastArrayView = out.dv;
      lastArrayBase = out.base;
      lastArrayItemSize = lastArray.BYTES_PER_ELEMENT;
    }
    return true;
  }
  if (isArrayBuffer(source)) {
    out.dv = dataViewOf(source);
    out.base = 0;
    out.length = source.byteLength;
    return true;
  }
  return false;
}

/**
 * Borrows the memory of an exporter that is not a JavaScript binary value (a MemoryView,
 * a custom exporter), as CPython's `y*` (read) and `w*` (write) converters do: a
 * C-contiguous export, or CPython's TypeError. The caller releases the export.
 */
export function borrowExport(source: unknown, writable: boolean): BufferInfo {
  if (!writable) {
    if (!isBuffer(source)) throw notBytesLike(source);
    return getBuffer(source, PyBUF.SIMPLE);
  }
  if (!isBuffer(source)) throw notWritable(source);
  try {
    return getBuffer(source, PyBUF.WRITABLE);
  } catch {
    // `w*` replaces the exporter's refusal with its own TypeError, as CPython does.
    throw notWritable(source);
  }
}

/** The bytes of a C-contiguous export, as a Uint8Array over its memory. */
export function exportedBytes(info: BufferInfo): Uint8Array {
  return new Uint8Array(info.buffer, info.offset, info.len);
}

/** `TypeError: a bytes-like object is required, not 'str'`. */
export function notBytesLike(value: unknown): TypeError {
  return new TypeError(`a bytes-like object is required, not '${pyTypeName(value)}'`);
}

/** `TypeError: argument must be read-write bytes-like object, not str`. */
export function notWritable(value: unknown): TypeError {
  // CPython's "w*" converter names None itself rather than its type.
  const name = value === null || value === undefined ? 'None' : pyTypeName(value);
  return new TypeError(`argument must be read-write bytes-like object, not ${name}`);
}
