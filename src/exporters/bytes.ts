/**
 * `Bytes`: Python's `bytes` — an immutable byte sequence that exports its memory
 * read-only. It is built by copying, so nothing else holds its bytes; a consumer that asks
 * to write (`PyBUF.WRITABLE`) is refused with CPython's "Object is not writable.".
 */

import { BufferError, fromCall, IndexError, pyTypeName } from '../errors.js';
import { assertEncodable } from '../format/index.js';
import { adjustSlice, type SliceBound } from '../layout/index.js';
import {
  BUFFER,
  type BufferInfo,
  bufferFlags,
  NO_SUBOFFSETS,
  PyBUF,
  trustExports,
} from '../protocol/index.js';
import * as bytesMethods from '../view/bytesmethods.js';
import { hexGroup, hexSeparator, toHex } from '../view/hex.js';
import type { ViewSource } from '../view/index.js';
import {
  type BytesInput,
  bytesFrom,
  bytesRepr,
  equalsAsView,
  fromHex,
  itemIndex,
} from './input.js';
import { decodeText } from './text.js';

/** What the search methods accept as `sub`: a bytes-like object or a byte value (0..255). */
export type ByteSub = ViewSource | number | bigint | boolean;

/**
 * An immutable sequence of bytes: Python's `bytes`.
 *
 * @example
 * ```ts
 * import { Bytes } from 'memview';
 * const b = new Bytes(new TextEncoder().encode('key=value'));
 * b.find(new Uint8Array([0x3d])); // 3
 * b.toString(); // "b'key=value'"
 * Bytes.fromHex('ff00').hex(); // 'ff00'
 * ```
 */
export class Bytes implements Iterable<number> {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'bytes';

  #data: Uint8Array;

  /**
   * Copies `source`: an exporter's bytes (C order), `n` zero bytes for a number, or an
   * iterable of integers in range(0, 256). A string is a TypeError, as in Python.
   *
   * @throws {TypeError} "string argument without an encoding" for a string.
   * @throws {ValueError} "bytes must be in range(0, 256)" for an integer outside a byte.
   */
  constructor(source: BytesInput = 0) {
    try {
      this.#data = bytesFrom(source, 'bytes');
    } catch (error) {
      throw fromCall(error, Bytes);
    }
  }

  /** `bytes.fromhex`: hex digit pairs, optionally separated by whitespace. */
  static fromHex(text: string): Bytes {
    try {
      return new Bytes(fromHex(text));
    } catch (error) {
      throw fromCall(error, Bytes.fromHex);
    }
  }

  /** Number of bytes. */
  get length(): number {
    return this.#data.length;
  }

  /**
   * The byte at `index` (negative counts from the end); IndexError "index out of range".
   *
   * @throws {IndexError} "index out of range".
   */
  get(index: number | bigint): number {
    try {
      const n = this.#data.length;
      // An int32 needs no conversion: the common case, kept free of calls.
      let i = typeof index === 'number' && (index | 0) === index ? index : itemIndex(index, 'byte');
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw new IndexError('index out of range');
      return this.#data[i];
    } catch (error) {
      throw fromCall(error, Bytes.prototype.get);
    }
  }

  /** `b[start:stop:step]`, a new Bytes. */
  slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): Bytes {
    try {
      return new Bytes(sliceBytes(this.#data, start, stop, step));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.slice);
    }
  }

  /** Lowercase hex, as `bytes.hex(sep, bytes_per_sep)`. */
  hex(sep?: string | Uint8Array, bytesPerSep: number | bigint = 1): string {
    try {
      return toHex(this.#data, hexSeparator(sep), hexGroup(bytesPerSep));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.hex);
    }
  }

  /**
   * `text.encode('latin-1')`: one byte per character, for magic numbers and chunk ids
   * written as strings; CPython's UnicodeEncodeError for a character above U+00FF.
   */
  static fromLatin1(text: string): Bytes {
    try {
      if (typeof text !== 'string') {
        throw new TypeError(
          `descriptor 'encode' for 'str' objects doesn't apply to a '${pyTypeName(text)}' object`,
        );
      }
      assertEncodable(text, 'latin-1', 0x100);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(i);
      return Bytes.#own(out);
    } catch (error) {
      throw fromCall(error, Bytes.fromLatin1);
    }
  }

  /**
   * `b == other`: compared as memoryviews are (any exporter; format-aware); a string
   * compares as latin-1 text (beyond Python): `b.equals('\x89PNG\r\n\x1a\n')`.
   */
  equals(other: unknown): boolean {
    try {
      return equalsAsView(this, other);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.equals);
    }
  }

  /** A copy of the bytes as a Uint8Array. */
  toUint8Array(): Uint8Array {
    return this.#data.slice();
  }

  /**
   * The bytes decoded as text, as Python's `decode(encoding)`: Python's codec names (UTF-8
   * by default), a byte-order mark kept as U+FEFF, UnicodeDecodeError (CPython's message)
   * for invalid input and LookupError for an unknown codec.
   *
   * @throws {UnicodeDecodeError} "'utf-8' codec can't decode byte 0xff in position 0: invalid
   * start byte" for bytes that are not valid text in the codec.
   */
  decode(encoding = 'utf-8'): string {
    try {
      return decodeText(this.#data, encoding);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.decode);
    }
  }

  /** Python's repr: `b'abc'`. */
  toString(): string {
    return bytesRepr(this.#data);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The bytes as numbers 0–255, as iterating Python's `bytes` gives ints. */
  [Symbol.iterator](): IterableIterator<number> {
    return this.#data.values();
  }

  // ---------------------------------------------------------------------------------
  // bytes' search, split and strip methods (view/bytesmethods.ts)
  // ---------------------------------------------------------------------------------

  /** `b.find(sub, start, end)`: the lowest index of `sub` (bytes-like or a byte value), or -1. */
  find(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.find(this.#hay(), sub, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.find);
    }
  }

  /** `b.rfind(sub, start, end)`: the highest index of `sub`, or -1. */
  rfind(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.rfind(this.#hay(), sub, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.rfind);
    }
  }

  /** `b.index(sub, start, end)`: as `find`; ValueError "subsection not found". */
  index(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.index(this.#hay(), sub, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.index);
    }
  }

  /** `b.rindex(sub, start, end)`: as `rfind`; ValueError "subsection not found". */
  rindex(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.rindex(this.#hay(), sub, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.rindex);
    }
  }

  /** `b.count(sub, start, end)`: non-overlapping occurrences of `sub`. */
  count(sub: ByteSub, start?: SliceBound, end?: SliceBound): number {
    try {
      return bytesMethods.count(this.#hay(), sub, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.count);
    }
  }

  /** `b.startswith(prefix, start, end)`; an array of prefixes is Python's tuple form. */
  startsWith(
    prefix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    try {
      return bytesMethods.startsWith(this.#hay(), prefix, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.startsWith);
    }
  }

  /** `b.endswith(suffix, start, end)`; an array of suffixes is Python's tuple form. */
  endsWith(
    suffix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    try {
      return bytesMethods.endsWith(this.#hay(), suffix, start, end);
    } catch (error) {
      throw fromCall(error, Bytes.prototype.endsWith);
    }
  }

  /** `b.partition(sep)`: [before, sep, after] at the first `sep`; [b, b'', b''] without one. */
  partition(sep: ViewSource): [Bytes, Bytes, Bytes] {
    try {
      return this.#parts(bytesMethods.partition(this.#hay(), sep));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.partition);
    }
  }

  /** `b.rpartition(sep)`: [before, sep, after] at the last `sep`; [b'', b'', b] without one. */
  rpartition(sep: ViewSource): [Bytes, Bytes, Bytes] {
    try {
      return this.#parts(bytesMethods.rpartition(this.#hay(), sep));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.rpartition);
    }
  }

  /**
   * `b.split(sep, maxsplit)`: the parts between occurrences of `sep`; with no `sep` (or
   * null), runs of ASCII whitespace separate and no part is empty.
   */
  split(sep?: ViewSource | null, maxsplit: number | bigint = -1): Bytes[] {
    try {
      return this.#parts(bytesMethods.split(this.#hay(), sep, maxsplit));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.split);
    }
  }

  /** `b.rsplit(sep, maxsplit)`: as `split`, with the splits counted from the right. */
  rsplit(sep?: ViewSource | null, maxsplit: number | bigint = -1): Bytes[] {
    try {
      return this.#parts(bytesMethods.rsplit(this.#hay(), sep, maxsplit));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.rsplit);
    }
  }

  /** `b.join(items)`: the items (bytes-like) concatenated with `b` between them. */
  join(items: Iterable<ViewSource>): Bytes {
    try {
      return Bytes.#own(bytesMethods.join(this.#hay(), items));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.join);
    }
  }

  /** `b.strip(chars)`: without leading and trailing bytes in `chars` (ASCII whitespace by default). */
  strip(chars?: ViewSource | null): Bytes {
    try {
      return this.#part(bytesMethods.strip(this.#hay(), chars, 0));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.strip);
    }
  }

  /** `b.lstrip(chars)`: without leading bytes in `chars`. */
  lstrip(chars?: ViewSource | null): Bytes {
    try {
      return this.#part(bytesMethods.strip(this.#hay(), chars, -1));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.lstrip);
    }
  }

  /** `b.rstrip(chars)`: without trailing bytes in `chars`. */
  rstrip(chars?: ViewSource | null): Bytes {
    try {
      return this.#part(bytesMethods.strip(this.#hay(), chars, 1));
    } catch (error) {
      throw fromCall(error, Bytes.prototype.rstrip);
    }
  }

  #hay(): () => Uint8Array {
    const data = this.#data;
    return () => data;
  }

  /** A part of these bytes as Bytes: this one itself when it is the whole (immutable). */
  #part(part: Uint8Array): Bytes {
    return part === this.#data ? this : new Bytes(part);
  }

  #parts<T extends Uint8Array[]>(parts: T): { [K in keyof T]: Bytes } {
    return parts.map((p) => this.#part(p)) as { [K in keyof T]: Bytes };
  }

  /** Bytes over `data`, which nothing else holds (no copy). */
  static #own(data: Uint8Array): Bytes {
    const b = new Bytes();
    b.#data = data;
    return b;
  }

  /** Exports the bytes read-only; BufferError "Object is not writable." for a write request. */
  [BUFFER](flags: number | bigint): BufferInfo {
    if (bufferFlags(flags) & PyBUF.WRITABLE) throw new BufferError('Object is not writable.');
    const data = this.#data;
    return {
      obj: this,
      buffer: data.buffer,
      offset: data.byteOffset,
      len: data.length,
      readonly: true,
      format: 'B',
      itemsize: 1,
      ndim: 1,
      shape: [data.length],
      strides: [1],
      suboffsets: NO_SUBOFFSETS,
    };
  }
}

trustExports(Bytes.prototype);

/** `data[start:stop:step]` as a new Uint8Array. */
export function sliceBytes(
  data: Uint8Array,
  start: SliceBound,
  stop: SliceBound,
  step: SliceBound,
): Uint8Array {
  const s = adjustSlice(data.length, start, stop, step);
  if (s.step === 1) return data.slice(s.start, s.start + s.length);
  const out = new Uint8Array(s.length);
  for (let i = 0, k = s.start; i < s.length; i++, k += s.step) out[i] = data[k];
  return out;
}
