/**
 * Exports of JavaScript's own binary types, as CPython's bytearray and array.array export
 * theirs: ArrayBuffer, SharedArrayBuffer, DataView, Node's Buffer and `WebAssembly.Memory`
 * as unsigned bytes (`'B'`), and each TypedArray with the struct format of its element.
 *
 * Invariants: every export is one-dimensional, C-contiguous and writable, so every request
 * flag can be honoured and none is checked; the shape is a snapshot, taken at export, of a
 * TypedArray that tracks a resizable buffer's length.
 */

import { type BufferInfo, NO_SUBOFFSETS } from './info.js';
import {
  deadMemoryError,
  isArrayBuffer,
  isDetached,
  isWasmMemory,
  type WasmMemory,
} from './memory.js';

/** The JavaScript values memview exports without a `[BUFFER]` method. */
export type BinarySource = ArrayBufferLike | ArrayBufferView;

/** The struct format of each TypedArray's element, by `Symbol.toStringTag`. */
const TYPED_FORMATS: Readonly<Record<string, string>> = {
  Int8Array: 'b',
  Uint8Array: 'B',
  Uint8ClampedArray: 'B',
  Int16Array: 'h',
  Uint16Array: 'H',
  Int32Array: 'i',
  Uint32Array: 'I',
  Float16Array: 'e',
  Float32Array: 'f',
  Float64Array: 'd',
  BigInt64Array: 'q',
  BigUint64Array: 'Q',
};

/** True for the values `builtinExport` exports. */
export function isBuiltinBuffer(value: unknown): value is BinarySource | WasmMemory {
  return ArrayBuffer.isView(value) || isArrayBuffer(value) || isWasmMemory(value);
}

/** The export of a JavaScript binary value, or undefined when `obj` is not one. */
export function builtinExport(obj: unknown): BufferInfo | undefined {
  if (ArrayBuffer.isView(obj)) {
    const buffer = obj.buffer;
    const offset = obj.byteOffset;
    const bytes = obj.byteLength;
    if (bytes === 0 && isDetached(buffer)) throw deadMemoryError(obj, buffer, 0);
    const format =
      obj instanceof DataView ? 'B' : TYPED_FORMATS[(obj as Uint8Array)[Symbol.toStringTag]];
    if (format === undefined || format === 'B') return bytesExport(obj, buffer, offset, bytes);
    const itemsize = (obj as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    return {
      obj,
      buffer,
      offset,
      len: bytes,
      readonly: false,
      format,
      itemsize,
      ndim: 1,
      shape: [bytes / itemsize],
      strides: [itemsize],
      suboffsets: NO_SUBOFFSETS,
    };
  }
  if (isArrayBuffer(obj)) {
    if (obj.byteLength === 0 && isDetached(obj)) throw deadMemoryError(obj, obj, 0);
    return bytesExport(obj, obj, 0, obj.byteLength);
  }
  if (isWasmMemory(obj)) return bytesExport(obj, obj.buffer, 0, obj.buffer.byteLength);
  return undefined;
}

function bytesExport(
  obj: unknown,
  buffer: ArrayBufferLike,
  offset: number,
  length: number,
): BufferInfo {
  return {
    obj,
    buffer,
    offset,
    len: length,
    readonly: false,
    format: 'B',
    itemsize: 1,
    ndim: 1,
    shape: [length],
    strides: [1],
    suboffsets: NO_SUBOFFSETS,
  };
}
