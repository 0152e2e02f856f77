/**
 * The consumer side of the handshake: `getBuffer` asks an object for its memory,
 * `releaseBuffer` gives the export back, `isBuffer` tells exporters from other values.
 *
 * An export made by JavaScript code (a `[BUFFER]` method) is not trusted: its fields are
 * checked and copied, and its layout must lie inside its buffer, before any consumer sees
 * it. A `[BUFFER]` that returns another exporter (a MemoryView, as PEP 688's
 * `__buffer__` does) passes that exporter's export on; releasing it releases that export
 * first, then calls `[RELEASE]` with the very object `[BUFFER]` returned, as CPython does.
 */

import { BufferError, pyTypeName } from '../errors.js';
import { checkBounds, isCContiguous, isFContiguous } from '../layout/index.js';
import { type BinarySource, builtinExport, isBuiltinBuffer } from './builtins.js';
import { PyBUF, requests } from './flags.js';
import { BUFFER, type BufferInfo, type Exporter, NO_SUBOFFSETS, RELEASE } from './info.js';
import { isArrayBuffer, type WasmMemory } from './memory.js';

/** Anything `getBuffer` accepts: JavaScript's binary types, WebAssembly memory, exporters. */
export type BufferSource = BinarySource | WasmMemory | Exporter;

// The release step of each live export; an export released once is removed, so a second
// release is a no-op (CPython clears `view->obj`).
const releasers = new WeakMap<BufferInfo, () => void>();

// Classes of this library whose `[BUFFER]` results are correct by construction, so their
// exports skip the checks made for exporters written by users. Only their own prototypes
// are listed: a subclass that overrides `[BUFFER]` is checked like any other exporter.
const trusted = new WeakSet<object>();

/** @internal Marks a memview class whose exports need no checking (see `trusted`). */
export function trustExports(prototype: object): void {
  trusted.add(prototype);
}

/** True when `obj` can export memory: a JavaScript binary value or an object with `[BUFFER]`. */
export function isBuffer(obj: unknown): obj is BufferSource {
  return isBuiltinBuffer(obj) || hasBufferMethod(obj);
}

function hasBufferMethod(obj: unknown): obj is Exporter {
  return (
    (typeof obj === 'object' || typeof obj === 'function') &&
    obj !== null &&
    typeof (obj as { [BUFFER]?: unknown })[BUFFER] === 'function'
  );
}

/**
 * Asks `obj` for its memory with the request `flags` (`PyBUF`): `PyObject_GetBuffer`.
 * TypeError "a bytes-like object is required, not 'str'" for a value that exports nothing;
 * BufferError when the exporter cannot honour the request. Every export must be given
 * back with `releaseBuffer`.
 */
export function getBuffer(obj: unknown, flags = 0): BufferInfo {
  const builtin = builtinExport(obj);
  if (builtin !== undefined) return builtin;
  if (!hasBufferMethod(obj)) {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(obj)}'`);
  }
  const result: unknown = obj[BUFFER](flags);
  const proto: unknown = Object.getPrototypeOf(obj);
  if (typeof proto === 'object' && proto !== null && trusted.has(proto)) {
    const info = result as BufferInfo;
    releasers.set(info, () => giveBack(obj, info));
    return info;
  }
  if (hasBufferMethod(result)) {
    const inner = getBuffer(result, flags);
    const info: BufferInfo = { ...inner, obj };
    releasers.set(info, () => {
      releaseBuffer(inner);
      obj[RELEASE]?.(result);
    });
    return info;
  }
  const info = checkedInfo(result, obj);
  const refusal = refuse(info, flags);
  if (refusal !== undefined) {
    giveBack(obj, result);
    throw new BufferError(refusal);
  }
  releasers.set(info, () => giveBack(obj, result));
  return info;
}

/**
 * Why an export made by JavaScript code does not satisfy `flags`, if it does not: the
 * exporter should have refused, so the consumer is protected here whatever it returned.
 */
function refuse(info: BufferInfo, flags: number): string | undefined {
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

function giveBack(obj: Exporter, result: unknown): void {
  obj[RELEASE]?.(result as BufferInfo);
}

/** True when `info` has an exporter to give it back to (a JavaScript binary value has none). */
export function needsRelease(info: BufferInfo): boolean {
  return releasers.has(info);
}

/** Gives an export back to its exporter (`PyBuffer_Release`); releasing twice does nothing. */
export function releaseBuffer(info: BufferInfo): void {
  const release = releasers.get(info);
  if (release === undefined) return;
  releasers.delete(info);
  release();
}

/**
 * A copy of an export made by JavaScript code, after checking every field and that the
 * layout lies inside the buffer. TypeError when it is not an export at all.
 */
function checkedInfo(value: unknown, exporter: Exporter): BufferInfo {
  if (
    typeof value !== 'object' ||
    value === null ||
    !isArrayBuffer((value as { buffer?: unknown }).buffer)
  ) {
    throw new TypeError(
      `[BUFFER]() returned non-memoryview object: expected a MemoryView or a BufferInfo, not '${pyTypeName(value)}'`,
    );
  }
  const v = value as Partial<Record<keyof BufferInfo, unknown>>;
  const buffer = v.buffer as ArrayBufferLike;
  const shape = copyIntegers(v.shape, 'shape');
  const strides = copyIntegers(v.strides, 'strides');
  const itemsize = v.itemsize;
  const offset = v.offset;
  if (typeof v.format !== 'string') throw badField('format', 'a string', v.format);
  if (typeof v.readonly !== 'boolean') throw badField('readonly', 'a boolean', v.readonly);
  if (v.suboffsets !== undefined && !(Array.isArray(v.suboffsets) && v.suboffsets.length === 0)) {
    throw new BufferError(
      'BufferInfo.suboffsets must be empty: JavaScript memory has no indirection',
    );
  }
  if (v.ndim !== undefined && v.ndim !== shape.length) {
    throw new BufferError(
      `BufferInfo.ndim is ${String(v.ndim)} but shape has ${shape.length} entries`,
    );
  }
  const layout = { offset: offset as number, itemsize: itemsize as number, shape, strides };
  checkBounds(layout, buffer.byteLength);
  let len = layout.itemsize;
  for (const n of shape) len *= n;
  if (v.len !== undefined && v.len !== len) {
    throw new BufferError(
      `BufferInfo.len is ${String(v.len)} but product(shape) * itemsize is ${len}`,
    );
  }
  return {
    obj: v.obj === undefined ? exporter : v.obj,
    buffer,
    offset: layout.offset,
    len,
    readonly: v.readonly,
    format: v.format,
    itemsize: layout.itemsize,
    ndim: shape.length,
    shape,
    strides,
    suboffsets: NO_SUBOFFSETS,
  };
}

function copyIntegers(value: unknown, field: string): number[] {
  if (!Array.isArray(value)) throw badField(field, 'an array', value);
  return value.slice();
}

function badField(field: string, wanted: string, value: unknown): BufferError {
  return new BufferError(`BufferInfo.${field} must be ${wanted}, not '${pyTypeName(value)}'`);
}
