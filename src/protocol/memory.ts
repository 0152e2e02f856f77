/**
 * The memory under a view, and whether it is still there. JavaScript can take memory
 * away from under a view: `ArrayBuffer.prototype.transfer` and `postMessage` detach it,
 * a resizable ArrayBuffer shrinks, and `WebAssembly.Memory.prototype.grow` detaches the
 * memory's old buffer. Any code that may have let user code or I/O run since it last
 * looked (a getter, a Proxy, an exporter's `[BUFFER]`/`[RELEASE]`, an `await`) checks
 * again with `assertLive` (or `liveError`/`isAlive`) before it touches the bytes, and
 * reports the cause with `deadMemoryError`.
 *
 * Invariants: a buffer's DataView is made once and shared by every consumer of that
 * buffer; it tracks the length of a resizable buffer, so it never outlives its bytes.
 * `arrayBufferLength` answers from the engine's own getters, so a value dressed up as an
 * ArrayBuffer (a Proxy, `Object.create(ArrayBuffer.prototype)`, an own `byteLength`) is
 * never taken for one.
 */

import { BufferError } from '../errors.js';
import { byteSpan } from '../layout/index.js';
import type { BufferInfo } from './info.js';

/** The part of `WebAssembly.Memory` memview uses (declared here: the core needs no DOM types). */
export interface WasmMemory {
  /** The memory's current ArrayBuffer; `grow` detaches it and makes a new one. */
  readonly buffer: ArrayBuffer;
  /** Grows the memory by `delta` 64 KiB pages, detaching `buffer`. */
  grow(delta: number): number;
}

const WasmMemoryClass = /* @__PURE__ */ (() =>
  (globalThis as { WebAssembly?: { Memory?: abstract new (...args: never[]) => WasmMemory } })
    .WebAssembly?.Memory)();

/** True for a `WebAssembly.Memory` (false where the runtime has no WebAssembly). */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return WasmMemoryClass !== undefined && value instanceof WasmMemoryClass;
}

// The WebAssembly.Memory each exported buffer came from, so that whoever finds that
// buffer detached can say the memory grew, whichever object it was reached through.
const wasmOwners = new WeakMap<ArrayBufferLike, WasmMemory>();

const wasmBufferGetter = /* @__PURE__ */ (() =>
  intrinsicGetter(WasmMemoryClass?.prototype, 'buffer'))() as
  | ((this: unknown) => ArrayBuffer)
  | undefined;

/**
 * @internal The current buffer of `memory` when it really is a `WebAssembly.Memory`
 * (asked of the engine), remembered as that memory's; undefined for anything else.
 */
export function wasmBuffer(memory: unknown): ArrayBuffer | undefined {
  if (!isWasmMemory(memory) || wasmBufferGetter === undefined) return undefined;
  let buffer: ArrayBuffer;
  try {
    buffer = wasmBufferGetter.call(memory);
  } catch {
    return undefined;
  }
  wasmOwners.set(buffer, memory);
  return buffer;
}

let lastBuffer: ArrayBufferLike | undefined;
let lastView: DataView | undefined;
const views = new WeakMap<ArrayBufferLike, DataView>();

/** A DataView over the whole of `buffer`, made once per buffer (length-tracking if resizable). */
export function dataViewOf(buffer: ArrayBufferLike): DataView {
  if (buffer === lastBuffer) return lastView!;
  let dv = views.get(buffer);
  if (dv === undefined) {
    dv = new DataView(buffer);
    views.set(buffer, dv);
  }
  lastBuffer = buffer;
  lastView = dv;
  return dv;
}

/** True for ArrayBuffer and SharedArrayBuffer. */
export function isArrayBuffer(value: unknown): value is ArrayBufferLike {
  return (
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)
  );
}

type Getter = (this: unknown) => unknown;

function intrinsicGetter(proto: object | undefined, key: PropertyKey): Getter | undefined {
  if (proto === undefined) return undefined;
  return Object.getOwnPropertyDescriptor(proto, key)?.get as Getter | undefined;
}

const ArrayBufferPrototype: object = /* @__PURE__ */ (() => ArrayBuffer.prototype)();
const abByteLength = /* @__PURE__ */ intrinsicGetter(ArrayBufferPrototype, 'byteLength')!;
const sabByteLength = /* @__PURE__ */ (() =>
  intrinsicGetter(
    typeof SharedArrayBuffer === 'undefined' ? undefined : SharedArrayBuffer.prototype,
    'byteLength',
  ))();

/**
 * The length of `value` when it really is an ArrayBuffer or SharedArrayBuffer (asked of
 * the engine, not of `value`'s own properties), else undefined: the check an untrusted
 * `BufferInfo.buffer` must pass.
 */
export function arrayBufferLength(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // `instanceof` only picks which getter to ask first (the other one would throw, and a
  // thrown TypeError costs microseconds); the getter alone decides what `value` is.
  const sharedFirst =
    sabByteLength !== undefined &&
    value instanceof (SharedArrayBuffer as abstract new () => object);
  const first = sharedFirst ? sabByteLength : abByteLength;
  const second = sharedFirst ? abByteLength : sabByteLength;
  try {
    return first.call(value) as number;
  } catch {
    // not that kind of buffer; maybe the other
  }
  if (second === undefined) return undefined;
  try {
    return second.call(value) as number;
  } catch {
    return undefined;
  }
}

const abDetached = /* @__PURE__ */ intrinsicGetter(ArrayBufferPrototype, 'detached');

/** True when `buffer` was detached (transferred, or replaced by `WebAssembly.Memory.grow`). */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0 || !(buffer instanceof ArrayBuffer)) return false;
  if (abDetached !== undefined) {
    try {
      return abDetached.call(buffer) === true;
    } catch {
      return false; // not an ArrayBuffer after all, so nothing to detach
    }
  }
  // Runtimes without `ArrayBuffer.prototype.detached`: only a detached buffer refuses a view.
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * True when bytes `[0, end)` of `buffer` can still be reached, and, for an empty region
 * (`end === 0`), when the buffer is not detached.
 */
export function isAlive(buffer: ArrayBufferLike, end: number): boolean {
  const length = buffer.byteLength;
  return length >= end && (length !== 0 || !isDetached(buffer));
}

/** Throws `deadMemoryError` unless bytes `[0, end)` of the exported memory are reachable. */
export function assertAlive(obj: unknown, buffer: ArrayBufferLike, end: number): void {
  if (!isAlive(buffer, end)) throw deadMemoryError(obj, buffer, end);
}

/**
 * Why the bytes `[start, end)` of an export can no longer be reached, as the BufferError
 * to throw, or undefined while every one of them can. Without `start` and `end`, the span
 * is every byte `info`'s layout reaches; a child view passes its own span, which may have
 * survived a shrink that cut off the rest of the export. An empty span (`start >= end`)
 * needs only a buffer that is not detached, wherever it points.
 */
export function liveError(info: BufferInfo, start?: number, end?: number): BufferError | undefined {
  let last: number;
  if (start === undefined || end === undefined) {
    const span = byteSpan(info);
    last = span === null ? 0 : span.end;
  } else {
    last = end > start ? end : 0;
  }
  return isAlive(info.buffer, last) ? undefined : deadMemoryError(info.obj, info.buffer, last);
}

/**
 * Throws the BufferError of `liveError` (the memory was detached, shrank below the span,
 * or belonged to a WebAssembly.Memory that grew) unless bytes `[start, end)` of the
 * export — by default all it reaches — are still there. Call it after anything that may
 * have run user code or waited on I/O, before touching the memory.
 */
export function assertLive(info: BufferInfo, start?: number, end?: number): void {
  const error = liveError(info, start, end);
  if (error !== undefined) throw error;
}

/**
 * The BufferError for memory that went away under a view, naming the cause: the
 * WebAssembly memory grew, the buffer was detached, or it shrank below byte `end - 1`
 * (below the end of the view when `end` is not known).
 */
export function deadMemoryError(obj: unknown, buffer: ArrayBufferLike, end?: number): BufferError {
  const memory = isWasmMemory(obj) ? obj : wasmOwners.get(buffer);
  if (memory !== undefined && memory.buffer !== buffer) {
    return new BufferError(
      'WebAssembly.Memory grew and detached the buffer this view was made over; ' +
        'make a new view of memory.buffer',
    );
  }
  if (isDetached(buffer)) {
    return new BufferError(
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
  }
  const length = buffer.byteLength;
  return new BufferError(
    end === undefined
      ? `the underlying ArrayBuffer shrank to ${length} bytes, below the end of this view`
      : `the underlying ArrayBuffer shrank to ${length} bytes; this view reaches byte ${end - 1}`,
  );
}
