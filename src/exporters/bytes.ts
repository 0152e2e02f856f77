/**
 * `Bytes`: Python's `bytes` — an immutable byte sequence that exports its memory
 * read-only. It is built by copying, so nothing else holds its bytes; a consumer that asks
 * to write (`PyBUF.WRITABLE`) is refused with CPython's "Object is not writable.".
 */

import { BufferError, IndexError, PY_TYPE_NAME } from '../errors.js';
import { adjustSlice, type SliceBound } from '../layout/index.js';
import { asIndex } from '../layout/integers.js';
import {
  BUFFER,
  type BufferInfo,
  bufferFlags,
  NO_SUBOFFSETS,
  PyBUF,
  trustExports,
} from '../protocol/index.js';
import { hexGroup, hexSeparator, toHex } from '../view/hex.js';
import { type BytesInput, bytesFrom, bytesRepr, equalsAsView, fromHex } from './input.js';
import { decodeText } from './text.js';

/** An immutable sequence of bytes: Python's `bytes`. */
export class Bytes implements Iterable<number> {
  /** Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly [PY_TYPE_NAME] = 'bytes';

  readonly #data: Uint8Array;

  /**
   * Copies `source`: an exporter's bytes (C order), `n` zero bytes for a number, or an
   * iterable of integers in range(0, 256). A string is a TypeError, as in Python.
   */
  constructor(source: BytesInput = 0) {
    this.#data = bytesFrom(source, 'bytes');
  }

  /** `bytes.fromhex`: hex digit pairs, optionally separated by whitespace. */
  static fromHex(text: string): Bytes {
    return new Bytes(fromHex(text));
  }

  /** Number of bytes. */
  get length(): number {
    return this.#data.length;
  }

  /** The byte at `index` (negative counts from the end); IndexError "index out of range". */
  get(index: number | bigint): number {
    const n = this.#data.length;
    let i = asIndex(index);
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw new IndexError('index out of range');
    return this.#data[i];
  }

  /** `b[start:stop:step]`, a new Bytes. */
  slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): Bytes {
    return new Bytes(sliceBytes(this.#data, start, stop, step));
  }

  /** Lowercase hex, as `bytes.hex(sep, bytes_per_sep)`. */
  hex(sep?: string | Uint8Array, bytesPerSep: number | bigint = 1): string {
    return toHex(this.#data, hexSeparator(sep), hexGroup(bytesPerSep));
  }

  /** `b == other`: compared as memoryviews are (any exporter; format-aware). */
  equals(other: unknown): boolean {
    return equalsAsView(this, other);
  }

  /** A copy of the bytes as a Uint8Array. */
  toUint8Array(): Uint8Array {
    return this.#data.slice();
  }

  /**
   * The bytes decoded as text, as Python's `decode(encoding)`: Python's codec names (UTF-8
   * by default), a byte-order mark kept as U+FEFF, UnicodeDecodeError (CPython's message)
   * for invalid input and LookupError for an unknown codec.
   */
  decode(encoding = 'utf-8'): string {
    return decodeText(this.#data, encoding);
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
