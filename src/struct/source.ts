/**
 * The binary values struct reads and writes: every JavaScript binary type, at its own
 * byteOffset. A source resolves to a DataView over its whole ArrayBuffer plus the
 * region's base and length, so that one DataView serves every subarray of a buffer.
 */

import { hasIntrinsicLength, typedArrayName, typedLength } from '../codec/index.js';
import { pyTypeName } from '../errors.js';
import {
  assertAlive,
  type BinaryRegion,
  type BinarySource,
  type BufferInfo,
  binaryRegion,
  dataViewOf,
  getBuffer,
  isBuffer,
  notBytesLike,
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
// out of bounds), so a repeated source costs one read of its length. Only arrays whose
// `length` is the intrinsic getter are kept (a subclass cannot lie through it).
let lastArray: ArrayBufferView & { readonly length: number } = /* @__PURE__ */ new Uint8Array(0);
const NO_BUFFER = /* @__PURE__ */ new ArrayBuffer(0);
/** A DataView over no memory: what a Region holds before it is filled. */
export const NO_MEMORY: DataView = /* @__PURE__ */ new DataView(NO_BUFFER);
let lastArrayView: DataView = NO_MEMORY;
// Its buffer: optimised code can keep answering a TypedArray's old length after the buffer
// was detached by a transfer (seen on V8 11), while the buffer's own byteLength drops to 0.
let lastArrayBuffer: ArrayBufferLike = NO_BUFFER;
let lastArrayBase = 0;
let lastArrayItemSize = 1;
// Filled by `binaryRegion`, which runs no user code, and read at once.
const found: BinaryRegion = {
  buffer: NO_BUFFER,
  offset: 0,
  length: 0,
  format: 'B',
  itemsize: 1,
};

/**
 * Fills `out` with the region of a binary source, or returns false when `source` is not
 * one (the caller raises its own TypeError). Reads internal slots only (a subclass's
 * getters are never called); BufferError for detached memory.
 */
export function resolveSource(source: unknown, out: Region): boolean {
  if (source === lastArray) {
    const length = lastArray.length * lastArrayItemSize;
    if (length !== 0 && lastArrayBuffer.byteLength >= lastArrayBase + length) {
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
  if (!binaryRegion(source, found)) return false;
  out.dv = dataViewOf(found.buffer);
  out.base = found.offset;
  out.length = found.length;
  if (
    found.length !== 0 &&
    typedArrayName(source) !== undefined &&
    hasIntrinsicLength(source as ArrayBufferView)
  ) {
    lastArray = source as Uint8Array;
    lastArrayView = out.dv;
    lastArrayBuffer = found.buffer;
    lastArrayBase = found.offset;
    lastArrayItemSize = found.length / typedLength(lastArray);
  }
  return true;
}

/**
 * Borrows the memory of an exporter that is not a JavaScript binary value (a MemoryView,
 * a custom exporter), as CPython's `y*` (read) and `w*` (write) converters do: a
 * C-contiguous export, or CPython's TypeError. The caller releases the export.
 */
export function borrowExport(source: unknown, writable: boolean): BufferInfo {
  return writable ? borrowWritable(source) : borrowReadable(source);
}

/** `borrowExport` for reading (`y*`), apart so that what only reads loads no `w*`. */
export function borrowReadable(source: unknown): BufferInfo {
  if (!isBuffer(source)) throw notBytesLike(source);
  return getBuffer(source, PyBUF.SIMPLE);
}

function borrowWritable(source: unknown): BufferInfo {
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

/** `TypeError: argument must be read-write bytes-like object, not str`. */
export function notWritable(value: unknown): TypeError {
  // CPython's "w*" converter names None itself rather than its type.
  const name = value === null || value === undefined ? 'None' : pyTypeName(value);
  return new TypeError(`argument must be read-write bytes-like object, not ${name}`);
}
