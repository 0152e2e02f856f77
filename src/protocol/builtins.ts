/**
 * Exports of JavaScript's own binary types, as CPython's bytearray and array.array export
 * theirs: ArrayBuffer, SharedArrayBuffer, DataView, Node's Buffer and `WebAssembly.Memory`
 * as unsigned bytes (`'B'`), and each TypedArray with the struct format of its element.
 *
 * Invariants: every export is one-dimensional, C-contiguous and writable, so every request
 * flag can be honoured and none is checked; the shape is a snapshot, taken at export, of a
 * TypedArray that tracks a resizable buffer's length. Every field is asked of the engine's
 * own getters, never of the value: a subclass or an own property cannot make a TypedArray
 * claim another format, offset or length than the memory it really has.
 */

import { type BufferInfo, NO_SUBOFFSETS } from './info.js';
import {
  arrayBufferLength,
  deadMemoryError,
  isArrayBuffer,
  isDetached,
  isWasmMemory,
  type WasmMemory,
  wasmBuffer,
} from './memory.js';

/** The JavaScript values memview exports without a `[BUFFER]` method. */
export type BinarySource = ArrayBufferLike | ArrayBufferView;

/** The struct format and itemsize of each TypedArray's element, by its class name. */
const TYPED_FORMATS: Readonly<Record<string, readonly [format: string, itemsize: number]>> = {
  Int8Array: ['b', 1],
  Uint8Array: ['B', 1],
  Uint8ClampedArray: ['B', 1],
  Int16Array: ['h', 2],
  Uint16Array: ['H', 2],
  Int32Array: ['i', 4],
  Uint32Array: ['I', 4],
  Float16Array: ['e', 2],
  Float32Array: ['f', 4],
  Float64Array: ['d', 8],
  BigInt64Array: ['q', 8],
  BigUint64Array: ['Q', 8],
};

type Getter<T> = (this: unknown, ...args: unknown[]) => T;

function getter<T>(proto: object, key: PropertyKey): Getter<T> {
  return Object.getOwnPropertyDescriptor(proto, key)!.get as Getter<T>;
}

const TypedArrayPrototype: object = Object.getPrototypeOf(Uint8Array.prototype);
// The class name of a TypedArray (undefined for a DataView): the engine's, not the value's.
const typedName = getter<string | undefined>(TypedArrayPrototype, Symbol.toStringTag);
const typedBuffer = getter<ArrayBufferLike>(TypedArrayPrototype, 'buffer');
const typedByteOffset = getter<number>(TypedArrayPrototype, 'byteOffset');
const typedByteLength = getter<number>(TypedArrayPrototype, 'byteLength');
// Throws for a TypedArray whose memory was detached or shrank below it (out of bounds).
const typedAt = (TypedArrayPrototype as { at: Getter<unknown> }).at;
const viewBuffer = getter<ArrayBufferLike>(DataView.prototype, 'buffer');
const viewByteOffset = getter<number>(DataView.prototype, 'byteOffset');
const viewByteLength = getter<number>(DataView.prototype, 'byteLength');

/** True for the values `builtinExport` exports. */
export function isBuiltinBuffer(value: unknown): value is BinarySource | WasmMemory {
  if (ArrayBuffer.isView(value)) return true;
  if (isArrayBuffer(value)) return arrayBufferLength(value) !== undefined;
  return isWasmMemory(value) && wasmBuffer(value) !== undefined;
}

/**
 * The export of a JavaScript binary value, or undefined when `obj` is not one. BufferError
 * naming the cause for a value whose memory was detached or shrank below it.
 */
export function builtinExport(obj: unknown): BufferInfo | undefined {
  if (ArrayBuffer.isView(obj)) {
    const name = typedName.call(obj);
    if (name === undefined) return dataViewExport(obj);
    const buffer = typedBuffer.call(obj);
    const bytes = typedByteLength.call(obj);
    if (bytes === 0) {
      try {
        typedAt.call(obj, 0);
      } catch {
        throw deadMemoryError(obj, buffer);
      }
    }
    const offset = typedByteOffset.call(obj);
    const typed = TYPED_FORMATS[name];
    if (typed === undefined || typed[0] === 'B') return bytesExport(obj, buffer, offset, bytes);
    const [format, itemsize] = typed;
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
    const length = arrayBufferLength(obj);
    if (length === undefined) return undefined;
    if (length === 0 && isDetached(obj)) throw deadMemoryError(obj, obj, 0);
    return bytesExport(obj, obj, 0, length);
  }
  const buffer = wasmBuffer(obj);
  if (buffer === undefined) return undefined;
  return bytesExport(obj, buffer, 0, arrayBufferLength(buffer)!);
}

function dataViewExport(dv: ArrayBufferView): BufferInfo {
  const buffer = viewBuffer.call(dv);
  let offset: number;
  let bytes: number;
  try {
    offset = viewByteOffset.call(dv);
    bytes = viewByteLength.call(dv);
  } catch {
    // The engine refuses the offset of a DataView whose memory is detached or too short.
    throw deadMemoryError(dv, buffer);
  }
  return bytesExport(dv, buffer, offset, bytes);
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
