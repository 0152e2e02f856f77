/**
 * `BufferReader`: a cursor over an exporter's bytes that hands out views, not copies.
 *
 * Invariants:
 * - the reader holds one export of its source (a C-contiguous run of bytes) until
 *   `release()`, so a ByteArray under it cannot resize;
 * - `read` and `readBytes` return views of the source's memory — no byte is copied and no
 *   ArrayBuffer is allocated; only `readString` copies, to decode;
 * - a read that would pass the end throws EOFError and leaves the position unchanged;
 * - `unpack` compiles each format once (the last one used is kept at hand).
 */

import { EOFError, IndexError, pyTypeName, ValueError } from '../errors.js';
import type { FormatSource, Unpacked } from '../format/index.js';
import {
  assertAlive,
  type BufferInfo,
  dataViewOf,
  getBuffer,
  PyBUF,
  releaseBuffer,
} from '../protocol/index.js';
import { cachedStruct, type Struct, type Unpacker, unpackerOf } from '../struct/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';

/** Reads an exporter's bytes in order, returning views of them. */
export class BufferReader implements Disposable {
  readonly #info: BufferInfo;
  readonly #bytes: Uint8Array;
  readonly #length: number;
  #view: MemoryView | undefined;
  #position = 0;
  #released = false;
  readonly #dv: DataView;
  readonly #base: number;
  #lastFormat: FormatSource | undefined;
  #lastStruct: Struct | undefined;
  #lastUnpacker: Unpacker | undefined;

  /**
   * A reader at the start of `source`'s bytes (any C-contiguous exporter); BufferError
   * "… not C-contiguous" for a strided view.
   */
  constructor(source: ViewSource) {
    const info = getBuffer(source, PyBUF.SIMPLE);
    this.#info = info;
    this.#bytes = new Uint8Array(info.buffer, info.offset, info.len);
    this.#length = info.len;
    this.#dv = dataViewOf(info.buffer);
    this.#base = info.offset;
  }

  /** The current position, in bytes from the start. */
  tell(): number {
    return this.#position;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#length - this.#position;
  }

  /** Total length of the source, in bytes. */
  get length(): number {
    return this.#length;
  }

  /** The next `n` bytes as a MemoryView of the source (format `'B'`). */
  read(n: number): MemoryView {
    const at = this.#take(n);
    let view = this.#view;
    if (view === undefined) {
      view = memoryview(this.#bytes);
      this.#view = view;
    }
    return view.slice(at, at + n);
  }

  /** The next `n` bytes as a Uint8Array over the source's memory (no copy). */
  readBytes(n: number): Uint8Array {
    const at = this.#take(n);
    return this.#bytes.subarray(at, at + n);
  }

  /** Unpacks the next `calcsize(format)` bytes with `format` (a Struct compiled once). */
  unpack<F extends string>(format: F): Unpacked<F> {
    let s = this.#lastStruct;
    let unpack = this.#lastUnpacker;
    if (format !== this.#lastFormat || s === undefined || unpack === undefined) {
      s = cachedStruct(format);
      unpack = unpackerOf(s);
      this.#lastFormat = format;
      this.#lastStruct = s;
      this.#lastUnpacker = unpack;
    }
    // `#take` has checked the bytes are there and alive: read them straight away.
    const at = this.#take(s.size);
    return unpack(this.#dv, this.#base + at) as Unpacked<F>;
  }

  /** Decodes the next `n` bytes as text (UTF-8 unless told otherwise); copies only to decode. */
  readString(n: number, encoding = 'utf-8'): string {
    const decoder = new TextDecoder(encoding, { fatal: true });
    const at = this.#position;
    const text = decoder.decode(this.#bytes.subarray(at, at + this.#check(n)));
    this.#position = at + n;
    return text;
  }

  /** Moves forward `n` bytes without reading them. */
  skip(n: number): void {
    this.#take(n);
  }

  /** Moves to byte `position` (negative counts from the end); IndexError outside the source. */
  seek(position: number): void {
    let p = integer(position, 'position');
    if (p < 0) p += this.#length;
    if (p < 0 || p > this.#length) {
      throw new IndexError(`seek position ${position} is outside the ${this.#length}-byte buffer`);
    }
    this.#position = p;
  }

  /** Gives the source's export back; the reader cannot be used afterwards. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#view?.release();
    releaseBuffer(this.#info);
  }

  /** `using reader = new BufferReader(x)` releases at the end of the block. */
  [Symbol.dispose](): void {
    this.release();
  }

  /** Advances past `n` bytes and returns where they start. */
  #take(n: number): number {
    const at = this.#position;
    // Inline fast path; errors, large counts and vanished memory go through `#check`.
    if (
      (n | 0) === n &&
      n >= 0 &&
      n <= this.#length - at &&
      this.#bytes.length !== 0 &&
      !this.#released
    ) {
      this.#position = at + n;
      return at;
    }
    this.#position = at + this.#check(n);
    return at;
  }

  /** Checks that `n` more bytes can be read; EOFError, consuming nothing, if not. */
  #check(n: number): number {
    if (this.#released) throw new ValueError('operation forbidden on a released BufferReader');
    const left = this.#length - this.#position;
    if (!((n | 0) === n && n >= 0 && n <= left)) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new ValueError(`a read needs a non-negative integer count, not ${String(n)}`);
      }
      if (n > left) {
        throw new EOFError(
          `read of ${n} bytes at offset ${this.#position} passes the end of the ${this.#length}-byte buffer`,
        );
      }
    }
    // A detached or shrunk buffer leaves the byte array empty: say so, never read nothing.
    if (this.#bytes.length === 0 && this.#length !== 0) {
      const info = this.#info;
      assertAlive(info.obj, info.buffer, info.offset + this.#length);
    }
    return n;
  }
}

function integer(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what} must be an integer, not ${pyTypeName(value)}`);
  }
  return value;
}
