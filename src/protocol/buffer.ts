/**
 * The consumer side of the handshake: `getBuffer` asks an object for its memory,
 * `releaseBuffer` gives the export back, `isBuffer` tells exporters from other values.
 *
 * An export made by JavaScript code (a `[BUFFER]` method) is not trusted: its fields are
 * read once into a frozen copy, which is checked (and its layout must lie inside its
 * buffer) before any consumer sees it. A `[BUFFER]` that returns memory memview exports
 * itself (a MemoryView, as PEP 688's `__buffer__` does) passes that export on; releasing
 * it releases that export first, then calls `[RELEASE]` with the very object `[BUFFER]`
 * returned, as CPython does.
 *
 * Invariants: only memview's own `[BUFFER]` methods are trusted, and they run no user
 * code; `[BUFFER]` of a user exporter runs once per `getBuffer`, and never again through
 * what it returned, so no exporter can recurse; every export registered here is given
 * back exactly once, and an export that fails after `[BUFFER]` returned is given back
 * before the error propagates.
 */

import { BufferError, fromCall, pyTypeName, ValueError } from '../errors.js';
import {
  byteSpan,
  checkBounds,
  isCContiguous,
  isFContiguous,
  MAX_NDIM,
  nbytes,
  validateLayout,
} from '../layout/index.js';
import { type BinarySource, builtinExport, isBuiltinBuffer } from './builtins.js';
import { bufferFlags, PyBUF, requests } from './flags.js';
import { BUFFER, type BufferInfo, type Exporter, NO_SUBOFFSETS, RELEASE } from './info.js';
import { arrayBufferLength, deadMemoryError, isDetached, type WasmMemory } from './memory.js';

/** Anything `getBuffer` accepts: JavaScript's binary types, WebAssembly memory, exporters. */
export type BufferSource = BinarySource | WasmMemory | Exporter;

// The release step of each live export; an export released once is removed, so a second
// release is a no-op (CPython clears `view->obj`).
const releasers = new WeakMap<BufferInfo, () => void>();

// The `[BUFFER]` methods of this library's classes, whose results are correct by
// construction (they read private fields and run no user code), so their exports skip
// the checks made for exporters written by users; each with the test that tells a real
// instance of its class. The method found on the object is what counts: an own
// `[BUFFER]` on an instance, or a subclass that overrides it, is checked like any other
// exporter.
const trusted = new WeakMap<object, (obj: unknown) => boolean>();

/**
 * @internal Marks a memview class whose exports need no checking (see `trusted`).
 * `isInstance` (a private-field brand check) tells its real instances from a Proxy or an
 * `Object.create` of the prototype, which find the method but have no state: those are
 * not buffers at all, as CPython's `weakref.proxy(bytearray())` is not.
 */
export function trustExports(prototype: object, isInstance?: (obj: unknown) => boolean): void {
  const method: unknown = (prototype as { [BUFFER]?: unknown })[BUFFER];
  if (typeof method === 'function') trusted.set(method, isInstance ?? (() => true));
}

/** True when `obj` can export memory: a JavaScript binary value or an object with `[BUFFER]`. */
export function isBuffer(obj: unknown): obj is BufferSource {
  return isBuiltinBuffer(obj) || bufferMethod(obj) !== undefined;
}

type BufferMethod = (this: unknown, flags: number) => unknown;

/** `obj[BUFFER]`, read once, when it is a function. */
function bufferMethod(obj: unknown): BufferMethod | undefined {
  if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null) return undefined;
  const method: unknown = (obj as { [BUFFER]?: unknown })[BUFFER];
  if (typeof method !== 'function') return undefined;
  const isInstance = trusted.get(method);
  return isInstance === undefined || isInstance(obj) ? (method as BufferMethod) : undefined;
}

/**
 * Asks `obj` for its memory with the request `flags` (`PyBUF`, a number or a bigint):
 * `PyObject_GetBuffer`. TypeError "a bytes-like object is required, not 'str'" for a
 * value that exports nothing; TypeError/OverflowError for flags that are not a C `int`,
 * as `__buffer__` has them; BufferError when the exporter cannot honour the request.
 * Every export must be given back with `releaseBuffer`.
 *
 * The result is memview's own: for an exporter written in JavaScript, a frozen copy of
 * what `[BUFFER]` returned, each field read once and checked. If the export fails after
 * `[BUFFER]` returned, `[RELEASE]` is called once with what it returned, then the error
 * is thrown.
 */
export function getBuffer(obj: unknown, flags: number | bigint = 0): BufferInfo {
  try {
    const request = bufferFlags(flags);
    const builtin = builtinExport(obj);
    if (builtin !== undefined) return builtin;
    const method = bufferMethod(obj);
    if (method === undefined) throw notBytesLike(obj);
    const exporter = obj as Exporter;
    if (trusted.has(method)) return trustedExport(exporter, method, request);
    const result: unknown = method.call(exporter, request);
    let info: BufferInfo;
    try {
      info = exportOf(result, exporter, request);
    } catch (err) {
      try {
        giveBack(exporter, result);
      } catch {
        // The export's own failure is the error to report; CPython, too, only notes an
        // error raised while a buffer is given back.
      }
      throw err;
    }
    return info;
  } catch (error) {
    throw fromCall(error, getBuffer);
  }
}

/**
 * The export that `exporter[BUFFER](request)` stands for, registered for release: a
 * checked snapshot of a BufferInfo, or the export of memory memview exports itself (a
 * MemoryView, a Bytes or ByteArray, a JavaScript binary value) passed on, as PEP 688's
 * `__buffer__` returns a memoryview. Anything else, such as the exporter itself or
 * another exporter written in JavaScript (whose `[BUFFER]` could lead back here), is
 * CPython's "returned non-memoryview object".
 */
function exportOf(result: unknown, exporter: Exporter, request: number): BufferInfo {
  const builtin = builtinExport(result);
  const method = builtin === undefined ? bufferMethod(result) : undefined;
  if (builtin !== undefined || (method !== undefined && trusted.has(method))) {
    const inner = builtin ?? trustedExport(result as Exporter, method!, request);
    const info = Object.freeze({ ...inner, obj: exporter });
    releasers.set(info, () => {
      try {
        releaseBuffer(inner);
      } finally {
        giveBack(exporter, result);
      }
    });
    return info;
  }
  if (method !== undefined) throw nonView(result);
  const info = snapshot(result, exporter);
  const refusal = exportRefusal(info, request);
  if (refusal !== undefined) throw new BufferError(refusal);
  releasers.set(info, () => giveBack(exporter, result));
  return info;
}

/** The export made by one of this library's own `[BUFFER]` methods, registered for release. */
function trustedExport(exporter: Exporter, method: BufferMethod, request: number): BufferInfo {
  let info: BufferInfo;
  try {
    info = method.call(exporter, request) as BufferInfo;
  } catch (err) {
    // These methods raise no TypeError of their own: this one is the engine refusing a
    // receiver without their private state (a class that registered no instance test).
    if (err instanceof TypeError) throw notBytesLike(exporter);
    throw err;
  }
  releasers.set(info, () => giveBack(exporter, info));
  return info;
}

/**
 * Why an export made by JavaScript code does not satisfy `flags`, if it does not: the
 * exporter should have refused, so the consumer is protected here whatever it returned.
 * An exporter refuses a request with the same words (`BufferError` of this message).
 */
export function exportRefusal(info: BufferInfo, flags: number): string | undefined {
  if (info.readonly && flags & PyBUF.WRITABLE) return 'Object is not writable.';
  const c = isCContiguous(info);
  if (requests(flags, PyBUF.C_CONTIGUOUS) && !c) return 'underlying buffer is not C-contiguous';
  if (requests(flags, PyBUF.F_CONTIGUOUS) && !isFContiguous(info)) {
    return 'underlying buffer is not Fortran contiguous';
  }
  if (requests(flags, PyBUF.ANY_CONTIGUOUS) && !c && !isFContiguous(info)) {
    return 'underlying buffer is not contiguous';
  }
  if (!requests(flags, PyBUF.STRIDES) && !c) return 'underlying buffer is not C-contiguous';
  return undefined;
}

/** Calls `obj[RELEASE](result)`, if `obj` has one (read once, as CPython looks it up). */
function giveBack(obj: Exporter, result: unknown): void {
  const release: unknown = obj[RELEASE];
  if (release === undefined || release === null) return;
  if (typeof release !== 'function') {
    throw new TypeError(`'${pyTypeName(release)}' object is not callable`);
  }
  release.call(obj, result);
}

/** True when `info` has an exporter to give it back to (a JavaScript binary value has none). */
export function needsRelease(info: BufferInfo): boolean {
  return releasers.has(info);
}

/** Gives an export back to its exporter (`PyBuffer_Release`); releasing twice does nothing. */
export function releaseBuffer(info: BufferInfo): void {
  try {
    const release = releasers.get(info);
    if (release === undefined) return;
    releasers.delete(info);
    release();
  } catch (error) {
    throw fromCall(error, releaseBuffer);
  }
}

/**
 * A frozen copy of an export made by JavaScript code. Each field is read exactly once
 * (a getter cannot answer one thing to the check and another to the consumer), then the
 * copy is checked: every field, and that the layout lies inside the buffer. TypeError
 * when the value is not an export at all.
 */
function snapshot(value: unknown, exporter: Exporter): BufferInfo {
  if (typeof value !== 'object' || value === null) throw nonView(value);
  const v = value as Partial<Record<keyof BufferInfo, unknown>>;
  const buffer = v.buffer;
  const bufferLength = arrayBufferLength(buffer);
  if (bufferLength === undefined) throw nonView(value);
  const memory = buffer as ArrayBufferLike;
  const offset = v.offset;
  const len = v.len;
  const readonly = v.readonly;
  const format = v.format;
  const itemsize = v.itemsize;
  const ndim = v.ndim;
  const shape = copyIntegers(v.shape, 'shape');
  const strides = copyIntegers(v.strides, 'strides');
  const suboffsets = v.suboffsets;
  if (typeof format !== 'string') throw badField('format', 'a string', format);
  if (typeof readonly !== 'boolean') throw badField('readonly', 'a boolean', readonly);
  if (suboffsets !== undefined && !(Array.isArray(suboffsets) && suboffsets.length === 0)) {
    throw new BufferError(
      'BufferInfo.suboffsets must be empty: JavaScript memory has no indirection',
    );
  }
  if (ndim !== undefined && ndim !== shape.length) {
    throw new BufferError(
      `BufferInfo.ndim is ${String(ndim)} but shape has ${shape.length} entries`,
    );
  }
  const layout = { offset: offset as number, itemsize: itemsize as number, shape, strides };
  validateLayout(layout);
  if (isDetached(memory)) {
    const span = byteSpan(layout);
    throw deadMemoryError(exporter, memory, span === null ? 0 : span.end);
  }
  checkBounds(layout, bufferLength);
  const size = nbytes(layout);
  if (len !== undefined && len !== size) {
    throw new BufferError(
      `BufferInfo.len is ${String(len)} but product(shape) * itemsize is ${size}`,
    );
  }
  return Object.freeze({
    obj: exporter,
    buffer: memory,
    offset: layout.offset,
    len: size,
    readonly,
    format,
    itemsize: layout.itemsize,
    ndim: shape.length,
    shape: Object.freeze(shape),
    strides: Object.freeze(strides),
    suboffsets: NO_SUBOFFSETS,
  });
}

/**
 * The entries of an array, read once each into a new array. Longer than `MAX_NDIM` is
 * refused before anything is copied (an exporter's `length` may be 2**32 - 1).
 */
function copyIntegers(value: unknown, field: string): number[] {
  if (!Array.isArray(value)) throw badField(field, 'an array', value);
  const length = value.length;
  if (length > MAX_NDIM) {
    throw new ValueError(`memoryview: number of dimensions must not exceed ${MAX_NDIM}`);
  }
  const copy = new Array<number>(length);
  for (let i = 0; i < length; i++) copy[i] = value[i];
  return copy;
}

function badField(field: string, wanted: string, value: unknown): BufferError {
  return new BufferError(`BufferInfo.${field} must be ${wanted}, not '${pyTypeName(value)}'`);
}

/** `TypeError: a bytes-like object is required, not 'str'`. */
export function notBytesLike(value: unknown): TypeError {
  return new TypeError(`a bytes-like object is required, not '${pyTypeName(value)}'`);
}

function nonView(value: unknown): TypeError {
  return new TypeError(
    `[BUFFER]() returned non-memoryview object: expected a MemoryView or a BufferInfo, not '${pyTypeName(value)}'`,
  );
}
