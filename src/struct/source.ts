/**
 * The binary values struct reads and writes: every JavaScript binary type, at its own
 * byteOffset. A source resolves to a DataView over its whole ArrayBuffer plus the
 * region's base and length, so that one DataView serves every subarray of a buffer.
 */

import { typedArrayName, typedLength, viewSlots } from '../codec/index.js';
import { pyTypeName } from '../errors.js';
import {
  assertAlive,
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

// The last TypedArray resolved, with its memory. A TypedArray's buffer and byteOffset never
// change, and its byte length is always `length * BYTES_PER_ELEMENT` (0 once detached or
// out of bounds), so a repeated source costs one read of its length slot.
let lastArray: ArrayBufferView | undefined;
let lastArrayView: DataView = new DataView(new ArrayBuffer(0));
let lastArrayBase = 0;
let lastArrayItemSize = 1;

/**
 * Fills `out` with the region of a binary source, or returns false when `source` is not
 * one (the caller raises its own TypeError). Reads internal slots only (a subclass's
 * getters are never called); BufferError for detached memory.
 */
export function resolveSource(source: unknown, out: Region): boolean {
  if (source === lastArray && lastArray !== undefined) {
    const length = typedLength(lastArray) * lastArrayItemSize;
    if (length !== 0) {
      out.dv = lastArrayView;
      out.base = lastArrayBase;
      out.length = length;
      return true;
    }
  }
  return resolveOther(source, out);
}

// The rest of `resolveSource`, out of line so that the repeated-source check inlines.
function resolveOther(source: unknown, out: Region): boolean {
  if (ArrayBuffer.isView(source)) {
    const slots = viewSlots(source);
    if (slots.byteLength === 0) assertAlive(source, slots.buffer, 0);
    out.dv = dataViewOf(slots.buffer);
    out.base = slots.byteOffset;
    out.length = slots.byteLength;
    if (slots.byteLength !== 0 && typedArrayName(source) !== undefined) {
      lastArray = source;
      lastArrayView = out.dv;
      lastArrayBase = out.base;
      lastArrayItemSize = slots.byteLength / typedLength(source);
    }
    return true;
  }
  if (isArrayBuffer(source)) {
    const length = source.byteLength;
    if (length === 0) assertAlive(source, source, 0);
    out.dv = dataViewOf(source);
    out.base = 0;
    out.length = length;
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

/**
 * The bytes of a C-contiguous export, as a Uint8Array over its memory. An empty export
 * reaches no memory (its offset may lie past the end of its buffer, as in CPython).
 */
export function exportedBytes(info: BufferInfo): Uint8Array {
  if (info.len === 0) return new Uint8Array(0);
  assertAlive(info.obj, info.buffer, info.offset + info.len);
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
