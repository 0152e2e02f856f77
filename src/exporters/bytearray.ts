/**
 * `ByteArray`: Python's `bytearray` — a growable byte buffer that locks its size while
 * its memory is exported.
 *
 * Invariants:
 * - the bytes live in `#buffer[0, #length)`, a plain (fixed-length, never resizable)
 *   ArrayBuffer whose length is the capacity (`#bytes` is an array over all of it). It
 *   grows geometrically by copying into a new, larger buffer, as CPython's bytearray
 *   reallocates: amortised O(1) per append. Platform APIs (TextDecoder, Blob,
 *   crypto.subtle, ImageData) refuse views of resizable buffers, and every view of a
 *   ByteArray must be one they take;
 * - `#exports` counts live exports (every MemoryView made from this ByteArray holds one
 *   through its managed buffer, until the last view derived from it is released; struct
 *   holds one during a call, `iterUnpack` until exhausted). While it is above 0, any
 *   operation that would change the length raises CPython's BufferError, before changing
 *   anything; writes that keep the length are allowed;
 * - the buffer is replaced only by a length change, which is refused while exported, so
 *   no live export ever sees its memory move; the capacity never shrinks.
 */

import {
  BufferError,
  fromCall,
  IndexError,
  MemoryError,
  pyTypeName,
  ValueError,
} from '../errors.js';
import { adjustSlice, type SliceBound } from '../layout/index.js';
import {
  BUFFER,
  type BufferInfo,
  type BufferSource,
  bufferFlags,
  getBuffer,
  isBuffer,
  NO_SUBOFFSETS,
  PyBUF,
  RELEASE,
  releaseBuffer,
  trustExports,
} from '../protocol/index.js';
import * as bytesMethods from '../view/bytesmethods.js';
import { hexGroup, hexSeparator, toHex } from '../view/hex.js';
import type { ViewSource } from '../view/index.js';
import { type ByteSub, sliceBytes } from './bytes.js';
import {
  type BytesInput,
  bufferBytes,
  byteCount,
  bytesFrom,
  bytesRepr,
  byteValue,
  equalsAsView,
  fromHex,
  itemIndex,
} from './input.js';
import { decodeText } from './text.js';

const LOCKED = 'Existing exports of data: object cannot be re-sized';
const MIN_CAPACITY = 16;

/**
 * @internal Appends `n` zero bytes to `ba` (refused while exported, as every size change)
 * and returns the offset of the first. For `BufferWriter`, which then writes them in
 * place through `memoryOf`.
 */
export let appendZeros: (ba: ByteArray, n: number) => number;

/** @internal The array over `ba`'s whole capacity, valid until its next size change. */
export let memoryOf: (ba: ByteArray) => Uint8Array;

/**
 * @internal Locks (`+1`) or unlocks (`-1`) `ba`'s size as an export does, without making
 * one: for `BufferWriter.pack` while user code may run during a write into its memory.
 */
export let lockSize: (ba: ByteArray, delta: 1 | -1) => void;

/**
 * A mutable, growable sequence of bytes: Python's `bytearray`.
 *
 * @example
 * ```ts
 * import { ByteArray, memoryview } from 'memview';
 * const data = new ByteArray([1, 2, 3]);
 * data.append(4);
 * data.extend(new Uint8Array([5, 6]));
 * const view = memoryview(data); // the size is locked while the view holds it
 * view.set(0, 9);
 * view.release();
 * data.toString(); // "bytearray(b'\\t\\x02\\x03\\x04\\x05\\x06')"
 * ```
 */
export class ByteArray implements Iterable<number> {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'bytearray';

  static {
    appendZeros = (ba, n) => ba.#appendZeros(n);
    memoryOf = (ba) => ba.#bytes;
    lockSize = (ba, delta) => {
      ba.#exports += delta;
    };
  }

  #buffer: ArrayBuffer;
  #bytes: Uint8Array;
  #length = 0;
  // Bytes from here to the capacity have never been part of the data, so they are still
  // the zeros the buffer was made with (appends of zeros need not write them).
  #zeroFrom = 0;
  #exports = 0;

  /**
   * Copies `source`: an exporter's bytes (C order), `n` zero bytes for a number, or an
   * iterable of integers in range(0, 256).
   *
   * @throws {TypeError} "string argument without an encoding" for a string.
   * @throws {ValueError} "bytes must be in range(0, 256)" for an integer outside a byte.
   */
  constructor(source: BytesInput = 0) {
    try {
      // A count is allocated once, zeroed; anything else is copied in.
      const data =
        typeof source === 'number' || typeof source === 'bigint'
          ? byteCount(source, 'bytearray')
          : bytesFrom(source, 'bytearray');
      const length = typeof data === 'number' ? data : data.length;
      this.#buffer = allocate(Math.max(MIN_CAPACITY, length));
      this.#bytes = new Uint8Array(this.#buffer);
      if (typeof data !== 'number') this.#bytes.set(data);
      this.#length = length;
      this.#zeroFrom = length;
    } catch (error) {
      throw fromCall(error, ByteArray);
    }
  }

  /** `bytearray.fromhex`. */
  static fromHex(text: string): ByteArray {
    try {
      return new ByteArray(fromHex(text));
    } catch (error) {
      throw fromCall(error, ByteArray.fromHex);
    }
  }

  /** Number of bytes. */
  get length(): number {
    return this.#length;
  }

  /** Bytes that fit before the buffer must grow. */
  get capacity(): number {
    return this.#bytes.length;
  }

  /** Live exports (views and consumers holding this ByteArray's memory). */
  get exports(): number {
    return this.#exports;
  }

  // ---------------------------------------------------------------------------------
  // Reading and same-size writes (allowed while exported)
  // ---------------------------------------------------------------------------------

  /** The byte at `index` (negative counts from the end). */
  get(index: number | bigint): number {
    try {
      return this.#bytes[this.#index(index)];
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.get);
    }
  }

  /** Sets the byte at `index`; allowed while exported. */
  set(index: number | bigint, value: number | bigint | boolean): void {
    try {
      const i = this.#index(index);
      this.#bytes[i] = byteValue(value);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.set);
    }
  }

  #index(index: number | bigint): number {
    // An int32 needs no conversion: the common case, kept free of calls.
    let i =
      typeof index === 'number' && (index | 0) === index ? index : itemIndex(index, 'bytearray');
    if (i < 0) i += this.#length;
    if (i < 0 || i >= this.#length) throw new IndexError('bytearray index out of range');
    return i;
  }

  /** `ba[start:stop:step]`, a new ByteArray. */
  slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): ByteArray {
    try {
      return new ByteArray(sliceBytes(this.#bytes.subarray(0, this.#length), start, stop, step));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.slice);
    }
  }

  /**
   * `ba[start:stop:step] = source`: replaces a slice with the bytes of `source` (an
   * exporter or an iterable of ints). With a step, the lengths must match; without, the
   * ByteArray grows or shrinks, which is refused while it is exported.
   */
  setSlice(start: SliceBound, stop: SliceBound, source: BytesInput, step?: SliceBound): void {
    try {
      const data = sliceSource(source);
      const s = adjustSlice(this.#length, start, stop, step);
      if (s.step !== 1) {
        if (data.length !== s.length) {
          throw new ValueError(
            `attempt to assign bytes of size ${data.length} to extended slice of size ${s.length}`,
          );
        }
        for (let i = 0, k = s.start; i < s.length; i++, k += s.step) this.#bytes[k] = data[i];
        return;
      }
      this.#splice(s.start, s.length, data);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.setSlice);
    }
  }

  /** Replaces `count` bytes at `at` with `data`, moving the tail; checks the lock first. */
  #splice(at: number, count: number, data: Uint8Array): void {
    const newLength = this.#length - count + data.length;
    if (newLength !== this.#length) {
      this.#assertResizable();
      if (newLength > this.#bytes.length) this.#grow(newLength);
      this.#bytes.copyWithin(at + data.length, at + count, this.#length);
    }
    this.#bytes.set(data, at);
    this.#length = newLength;
    if (newLength > this.#zeroFrom) this.#zeroFrom = newLength;
  }

  /** Reverses the bytes in place (allowed while exported). */
  reverse(): void {
    this.#bytes.subarray(0, this.#length).reverse();
  }

  // ---------------------------------------------------------------------------------
  // Size changes (refused while exported)
  // ---------------------------------------------------------------------------------

  /**
   * Appends one byte.
   *
   * @throws {ValueError} "byte must be in range(0, 256)".
   * @throws {BufferError} "Existing exports of data: object cannot be re-sized" while a view
   * or consumer holds the ByteArray's memory (as every change of length).
   */
  append(value: number | bigint | boolean): void {
    try {
      const byte = byteValue(value);
      this.#assertResizable();
      const n = this.#length;
      if (n === this.#bytes.length) this.#grow(n + 1);
      this.#bytes[n] = byte;
      this.#length = n + 1;
      if (n + 1 > this.#zeroFrom) this.#zeroFrom = n + 1;
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.append);
    }
  }

  /** Appends the bytes of an exporter, or the ints of an iterable. */
  extend(source: BytesInput): void {
    try {
      if (source instanceof Uint8Array) {
        // The common case, kept allocation-free: one bounds check and one copy.
        const n = source.length;
        if (n === 0) return;
        this.#assertResizable();
        const end = this.#length + n;
        if (end > this.#bytes.length) this.#grow(end);
        this.#bytes.set(source, this.#length);
        this.#length = end;
        if (end > this.#zeroFrom) this.#zeroFrom = end;
        return;
      }
      if (typeof source === 'string') {
        throw new TypeError("expected iterable of integers; got: 'str'");
      }
      if (typeof source === 'number' || typeof source === 'bigint' || source === null) {
        throw new TypeError(`can't extend bytearray with ${pyTypeName(source)}`);
      }
      this.extend(isBuffer(source) ? simpleBytes(source) : bytesFrom(source, 'bytearray'));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.extend);
    }
  }

  /** Inserts one byte before `index` (clamped, as Python's `insert`). */
  insert(index: number | bigint, value: number | bigint | boolean): void {
    try {
      let i = bytesMethods.ssize(index);
      const byte = byteValue(value);
      const n = this.#length;
      if (i < 0) i = Math.max(i + n, 0);
      else if (i > n) i = n;
      this.#splice(i, 0, Uint8Array.of(byte));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.insert);
    }
  }

  /** Removes and returns the byte at `index` (default: the last). */
  pop(index: number | bigint = -1): number {
    try {
      const n = this.#length;
      if (n === 0) throw new IndexError('pop from empty bytearray');
      let i = bytesMethods.ssize(index);
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw new IndexError('pop index out of range');
      this.#assertResizable();
      const value = this.#bytes[i];
      this.#bytes.copyWithin(i, i + 1, n);
      this.#length = n - 1;
      return value;
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.pop);
    }
  }

  /** Removes the first occurrence of `value`; ValueError "value not found in bytearray". */
  remove(value: number | bigint | boolean): void {
    try {
      const byte = byteValue(value);
      const i = this.#bytes.subarray(0, this.#length).indexOf(byte);
      if (i < 0) throw new ValueError('value not found in bytearray');
      this.#assertResizable();
      this.#bytes.copyWithin(i, i + 1, this.#length);
      this.#length--;
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.remove);
    }
  }

  /** Removes every byte. */
  clear(): void {
    try {
      if (this.#length === 0) return;
      this.#assertResizable();
      this.#length = 0;
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.clear);
    }
  }

  /**
   * Sets the length to `size`: new bytes are zero, extra bytes are dropped.
   *
   * @throws {BufferError} "Existing exports of data: object cannot be re-sized" while
   * exported.
   */
  resize(size: number): void {
    try {
      const n = bytesMethods.ssize(size);
      if (n < 0) throw new ValueError(`Can only resize to positive sizes, got ${n}`);
      if (n === this.#length) return;
      this.#assertResizable();
      if (n > this.#bytes.length) this.#grow(n);
      if (n > this.#length) this.#bytes.fill(0, this.#length, n);
      this.#length = n;
      if (n > this.#zeroFrom) this.#zeroFrom = n;
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.resize);
    }
  }

  #appendZeros(n: number): number {
    this.#assertResizable();
    const at = this.#length;
    const end = at + n;
    if (end > this.#bytes.length) this.#grow(end);
    // Bytes past the length may hold what a pop or a shrink left there; past `#zeroFrom`
    // they are zero already.
    const zeroFrom = this.#zeroFrom;
    if (at < zeroFrom) this.#bytes.fill(0, at, end < zeroFrom ? end : zeroFrom);
    if (end > zeroFrom) this.#zeroFrom = end;
    this.#length = end;
    return at;
  }

  #assertResizable(): void {
    if (this.#exports > 0) throw new BufferError(LOCKED);
  }

  /** Makes room for at least `needed` bytes: doubles the capacity, copying the bytes. */
  #grow(needed: number): void {
    const bytes = new Uint8Array(allocate(Math.max(needed, this.#bytes.length * 2, MIN_CAPACITY)));
    bytes.set(this.#bytes.subarray(0, this.#length));
    this.#buffer = bytes.buffer;
    this.#bytes = bytes;
    this.#zeroFrom = this.#length;
  }

  // ---------------------------------------------------------------------------------
  // Conversions
  // ---------------------------------------------------------------------------------

  /** Lowercase hex, as `bytearray.hex(sep, bytes_per_sep)`. */
  hex(sep?: string | Uint8Array, bytesPerSep: number | bigint = 1): string {
    try {
      return toHex(this.#bytes.subarray(0, this.#length), hexSeparator(sep), hexGroup(bytesPerSep));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.hex);
    }
  }

  /**
   * `ba == other`: compared as memoryviews are (any exporter; format-aware); a string
   * compares as latin-1 text (beyond Python).
   */
  equals(other: unknown): boolean {
    try {
      return equalsAsView(this, other);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.equals);
    }
  }

  /** A copy of the bytes as a Uint8Array. */
  toUint8Array(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  /**
   * The bytes decoded as text, as Python's `decode(encoding)`: Python's codec names (UTF-8
   * by default), a byte-order mark kept as U+FEFF, UnicodeDecodeError (CPython's message)
   * for invalid input and LookupError for an unknown codec.
   */
  decode(encoding = 'utf-8'): string {
    try {
      return decodeText(this.#bytes.subarray(0, this.#length), encoding);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.decode);
    }
  }

  /** Python's repr: `bytearray(b'abc')`. */
  toString(): string {
    return `bytearray(${bytesRepr(this.#bytes.subarray(0, this.#length))})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The bytes as numbers 0–255, as iterating Python's `bytearray` gives ints. */
  [Symbol.iterator](): IterableIterator<number> {
    return this.#bytes.slice(0, this.#length).values();
  }

  // ---------------------------------------------------------------------------------
  // Export
  // ---------------------------------------------------------------------------------

  /** Exports the bytes, writable; the length is locked until the export is released. */
  [BUFFER](flags: number | bigint): BufferInfo {
    bufferFlags(flags);
    this.#exports++;
    return {
      obj: this,
      buffer: this.#buffer,
      offset: 0,
      len: this.#length,
      readonly: false,
      format: 'B',
      itemsize: 1,
      ndim: 1,
      shape: [this.#length],
      strides: [1],
      suboffsets: NO_SUBOFFSETS,
    };
  }

  /** Takes an export back. */
  [RELEASE](_view: unknown): void {
    if (this.#exports > 0) this.#exports--;
  }

  // ---------------------------------------------------------------------------------
  // bytearray's search, split and strip methods (view/bytesmethods.ts); results that
  // are bytes are new ByteArrays, as CPython's are bytearrays
  // ---------------------------------------------------------------------------------

  /** `ba.find(sub, start, end)`: the lowest index of `sub` (bytes-like or a byte value), or -1. */
  find(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.find(() => this.#current(), sub, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.find);
    }
  }

  /** `ba.rfind(sub, start, end)`: the highest index of `sub`, or -1. */
  rfind(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.rfind(() => this.#current(), sub, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.rfind);
    }
  }

  /** `ba.index(sub, start, end)`: as `find`; ValueError "subsection not found". */
  index(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.index(() => this.#current(), sub, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.index);
    }
  }

  /** `ba.rindex(sub, start, end)`: as `rfind`; ValueError "subsection not found". */
  rindex(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.rindex(() => this.#current(), sub, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.rindex);
    }
  }

  /** `ba.count(sub, start, end)`: non-overlapping occurrences of `sub`. */
  count(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.count(() => this.#current(), sub, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.count);
    }
  }

  /** `ba.startswith(prefix, start, end)`; an array of prefixes is Python's tuple form. */
  startsWith(
    prefix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    try {
      return bytesMethods.startsWith(() => this.#current(), prefix, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.startsWith);
    }
  }

  /** `ba.endswith(suffix, start, end)`; an array of suffixes is Python's tuple form. */
  endsWith(
    suffix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    try {
      return bytesMethods.endsWith(() => this.#current(), suffix, start, end);
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.endsWith);
    }
  }

  /** `ba.partition(sep)`: [before, sep, after] at the first `sep`, as new ByteArrays. */
  partition(sep: ViewSource): [ByteArray, ByteArray, ByteArray] {
    try {
      return copies(bytesMethods.partition(() => this.#current(), sep));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.partition);
    }
  }

  /** `ba.rpartition(sep)`: [before, sep, after] at the last `sep`, as new ByteArrays. */
  rpartition(sep: ViewSource): [ByteArray, ByteArray, ByteArray] {
    try {
      return copies(bytesMethods.rpartition(() => this.#current(), sep));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.rpartition);
    }
  }

  /** `ba.split(sep, maxsplit)`: as `Bytes.split`, the parts new ByteArrays. */
  split(sep?: ViewSource | null, maxsplit: number | bigint = -1): ByteArray[] {
    try {
      return copies(bytesMethods.split(() => this.#current(), sep, maxsplit));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.split);
    }
  }

  /** `ba.rsplit(sep, maxsplit)`: as `Bytes.rsplit`, the parts new ByteArrays. */
  rsplit(sep?: ViewSource | null, maxsplit: number | bigint = -1): ByteArray[] {
    try {
      return copies(bytesMethods.rsplit(() => this.#current(), sep, maxsplit));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.rsplit);
    }
  }

  /** `ba.join(items)`: the items (bytes-like) with `ba` between them, a new ByteArray. */
  join(items: Iterable<ViewSource>): ByteArray {
    try {
      return new ByteArray(bytesMethods.join(() => this.#current(), items));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.join);
    }
  }

  /** `ba.strip(chars)`: a new ByteArray without leading and trailing bytes in `chars`. */
  strip(chars?: ViewSource | null): ByteArray {
    try {
      return new ByteArray(bytesMethods.strip(() => this.#current(), chars, 0));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.strip);
    }
  }

  /** `ba.lstrip(chars)`: a new ByteArray without leading bytes in `chars`. */
  lstrip(chars?: ViewSource | null): ByteArray {
    try {
      return new ByteArray(bytesMethods.strip(() => this.#current(), chars, -1));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.lstrip);
    }
  }

  /** `ba.rstrip(chars)`: a new ByteArray without trailing bytes in `chars`. */
  rstrip(chars?: ViewSource | null): ByteArray {
    try {
      return new ByteArray(bytesMethods.strip(() => this.#current(), chars, 1));
    } catch (error) {
      throw fromCall(error, ByteArray.prototype.rstrip);
    }
  }

  /** The bytes now, in place (valid until the next size change). */
  #current(): Uint8Array {
    return memoryOf(this).subarray(0, this.length);
  }
}

/** New ByteArrays with copies of `parts`. */
function copies<T extends Uint8Array[]>(parts: T): { [K in keyof T]: ByteArray } {
  return parts.map((p) => new ByteArray(p)) as { [K in keyof T]: ByteArray };
}

trustExports(ByteArray.prototype);

/** A new zeroed ArrayBuffer; MemoryError, as CPython's, when it cannot be allocated. */
function allocate(capacity: number): ArrayBuffer {
  if (capacity > Number.MAX_SAFE_INTEGER) throw new MemoryError('');
  try {
    return new ArrayBuffer(capacity);
  } catch {
    throw new MemoryError('');
  }
}

/**
 * A copy of an exporter's bytes asked for as CPython's `extend` asks (`PyBUF_SIMPLE`, so a
 * strided view is refused); any failure is CPython's "can't set bytearray slice from X".
 */
function simpleBytes(source: BufferSource): Uint8Array {
  let info: BufferInfo;
  try {
    info = getBuffer(source, PyBUF.SIMPLE);
  } catch {
    throw new TypeError(`can't set bytearray slice from ${pyTypeName(source)}`);
  }
  try {
    return info.len === 0
      ? new Uint8Array(0)
      : new Uint8Array(info.buffer, info.offset, info.len).slice();
  } finally {
    releaseBuffer(info);
  }
}

/** The bytes of a slice assignment's source; CPython's TypeError for anything else. */
function sliceSource(source: unknown): Uint8Array {
  if (isBuffer(source)) return bufferBytes(source);
  if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
    return bytesFrom(source, 'bytearray');
  }
  throw new TypeError('can assign only bytes, buffers, or iterables of ints in range(0, 256)');
}
