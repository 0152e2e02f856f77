/**
 * The memory under a view, and whether it is still there. JavaScript can take memory
 * away from under a view: `ArrayBuffer.prototype.transfer` and `postMessage` detach it,
 * a resizable ArrayBuffer shrinks, and `WebAssembly.Memory.prototype.grow` detaches the
 * memory's old buffer. A consumer checks, on access, that the bytes it reaches are still
 * there, and reports the cause with `deadMemoryError`.
 *
 * Invariants: a buffer's DataView is made once and shared by every consumer of that
 * buffer; it tracks the length of a resizable buffer, so it never outlives its bytes.
 */

import { BufferError } from '../errors.js';

/** The part of `WebAssembly.Memory` memview uses (declared here: the core needs no DOM types). */
export interface WasmMemory {
  /** The memory's current ArrayBuffer; `grow` detaches it and makes a new one. */
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

const WasmMemoryClass = (
  globalThis as { WebAssembly?: { Memory?: abstract new (...args: never[]) => WasmMemory } }
).WebAssembly?.Memory;

/** True for a `WebAssembly.Memory` (false where the runtime has no WebAssembly). */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return WasmMemoryClass !== undefined && value instanceof WasmMemoryClass;
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

/** True when `buffer` was detached (transferred, or replaced by `WebAssembly.Memory.grow`). */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0 || !(buffer instanceof ArrayBuffer)) return false;
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
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
 * The BufferError for memory that went away under a view, naming the cause: the
 * WebAssembly memory grew, the buffer was detached, or it shrank below what the view needs.
 */
export function deadMemoryError(obj: unknown, buffer: ArrayBufferLike, end: number): BufferError {
  if (isWasmMemory(obj) && obj.buffer !== buffer) {
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
  return new BufferError(
    `the underlying ArrayBuffer shrank to ${buffer.byteLength} bytes; this view reaches byte ${end - 1}`,
  );
}
