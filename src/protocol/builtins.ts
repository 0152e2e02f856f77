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

const TypedArrayPrototype: object = /* @__PURE__ */ (() =>
  Object.getPrototypeOf(Uint8Array.prototype))();
const DataViewPrototype: object = /* @__PURE__ */ (() => DataView.prototype)();
// The class name of a TypedArray (undefined for a DataView): the engine's, not the value's.
const typedName = /* @__PURE__ */ getter<string | undefined>(
  TypedArrayPrototype,
  Symbol.toStringTag,
);
const typedBuffer = /* @__PURE__ */ getter<ArrayBufferLike>(TypedArrayPrototype, 'buffer');
const typedByteOffset = /* @__PURE__ */ getter<number>(TypedArrayPrototype, 'byteOffset');
const typedByteLength = /* @__PURE__ */ getter<number>(TypedArrayPrototype, 'byteLength');
// Throws for a TypedArray whose memory was detached or shrank below it (out of bounds).
const typedAt = /* @__PURE__ */ (() => (TypedArrayPrototype as { at: Getter<unknown> }).at)();
const viewBuffer = /* @__PURE__ */ getter<ArrayBufferLike>(DataViewPrototype, 'buffer');
const viewByteOffset = /* @__PURE__ */ getter<number>(DataViewPrototype, 'byteOffset');
const viewByteLength = /* @__PURE__ */ getter<number>(DataViewPrototype, 'byteLength');

/** True for the values `builtinExport` exports. */
export function isBuiltinBuffer(value: unknown): value is BinarySource | WasmMemory {
  if (ArrayBuffer.isView(value)) return true;
  if (isArrayBuffer(value)) return arrayBufferLength(value) !== undefined;
  return isWasmMemory(value) && wasmBuffer(value) !== undefined;
}

/** Where a JavaScript binary value's bytes are, as `binaryRegion` reads them. */
export interface BinaryRegion {
  /** The memory. */
  buffer: ArrayBufferLike;
  /** Byte offset of the first byte in `buffer`. */
  offset: number;
  /** Number of bytes. */
  length: number;
  /** The struct format of one element (`'B'` for untyped memory). */
  format: string;
  /** Bytes per element. */
  itemsize: number;
}

/**
 * Fills `out` with the region of a JavaScript binary value (a TypedArray, DataView,
 * ArrayBuffer, SharedArrayBuffer or WebAssembly.Memory) and returns true, or returns false
 * when `obj` is not one. Every field comes from the engine's own getters, never from
 * `obj`'s properties (which a subclass can override), and no user code runs. BufferError
 * naming the cause for a value whose memory was detached or shrank below it.
 */
export function binaryRegion(obj: unknown, out: BinaryRegion): boolean {
  if (ArrayBuffer.isView(obj)) {
    const name = typedName.call(obj);
    if (name === undefined) {
      const buffer = viewBuffer.call(obj);
      try {
        out.offset = viewByteOffset.call(obj);
        out.length = viewByteLength.call(obj);
      } catch {
        // The engine refuses the offset of a DataView whose memory is detached or too short.
        throw deadMemoryError(obj, buffer);
      }
      out.buffer = buffer;
      out.format = 'B';
      out.itemsize = 1;
      return true;
    }
    const buffer = typedBuffer.call(obj);
    const bytes = typedByteLength.call(obj);
    if (bytes === 0) {
      try {
        typedAt.call(obj, 0);
      } catch {
        throw deadMemoryError(obj, buffer);
      }
    }
    const typed = TYPED_FORMATS[name] ?? BYTES;
    out.buffer = buffer;
    out.offset = typedByteOffset.call(obj);
    out.length = bytes;
    out.format = typed[0];
    out.itemsize = typed[1];
    return true;
  }
  let buffer: ArrayBufferLike | undefined;
  if (isArrayBuffer(obj)) {
    if (arrayBufferLength(obj) === undefined) return false;
    buffer = obj;
  } else {
    buffer = wasmBuffer(obj);
    if (buffer === undefined) return false;
  }
  const length = arrayBufferLength(buffer)!;
  if (length === 0 && isDetached(buffer)) throw deadMemoryError(obj, buffer, 0);
  out.buffer = buffer;
  out.offset = 0;
  out.length = length;
  out.format = 'B';
  out.itemsize = 1;
  return true;
}

const BYTES = ['B', 1] as const;

/**
 * The export of a JavaScript binary value, or undefined when `obj` is not one. BufferError
 * naming the cause for a value whose memory was detached or shrank below it.
 */
export function builtinExport(obj: unknown): BufferInfo | undefined {
  const region: BinaryRegion = { buffer: EMPTY, offset: 0, length: 0, format: 'B', itemsize: 1 };
  if (!binaryRegion(obj, region)) return undefined;
  const { buffer, offset, length, format, itemsize } = region;
  return {
    obj,
    buffer,
    offset,
    len: length,
    readonly: false,
    format,
    itemsize,
    ndim: 1,
    shape: [length / itemsize],
    strides: [itemsize],
    suboffsets: NO_SUBOFFSETS,
  };
}

const EMPTY = /* @__PURE__ */ new ArrayBuffer(0);
