/**
 * `BufferReader`: a cursor over an exporter's bytes that hands out views, not copies.
 *
 * Invariants:
 * - the reader holds one export of its source (a C-contiguous run of bytes) until
 *   `release()`, and every view `read` returned holds it until that view is released, so
 *   a ByteArray under them cannot resize; the export is given back exactly once;
 * - `read` and `readBytes` return views of the source's memory — no byte is copied and no
 *   ArrayBuffer is allocated; only `readString` copies, to decode (and only where the
 *   platform's TextDecoder needs it);
 * - a read that would pass the end throws EOFError and leaves the position unchanged;
 * - `unpack` compiles each format once (the last one used is kept at hand).
 */

import { EOFError, IndexError, PY_TYPE_NAME, pyTypeName, ValueError } from '../errors.js';
import { decodeText } from '../exporters/index.js';
import type { FormatSource, Unpacked } from '../format/index.js';
import { assertAlive, type BufferInfo, dataViewOf } from '../protocol/index.js';
import { cachedStruct, type Struct, type Unpacker, unpackerOf } from '../struct/index.js';
import type { MemoryView, ViewSource } from '../view/index.js';
import { bytesOf, SharedExport } from './shared.js';

/** Reads an exporter's bytes in order, returning views of them. */
export class BufferReader implements Disposable {
  /** Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly [PY_TYPE_NAME] = 'BufferReader';

  readonly #shared: SharedExport;
  readonly #info: BufferInfo;
  readonly #bytes: Uint8Array;
  readonly #length: number;
  #position = 0;
  #released = false;
  readonly #dv: DataView;
  // The exported buffer and where the source ends in it. Liveness is judged by the buffer's
  // own byteLength: optimised code can keep answering a TypedArray's old length after its
  // buffer was detached by a transfer (seen on V8 11).
  readonly #memory: ArrayBufferLike;
  readonly #end: number;
  readonly #base: number;
  #lastFormat: FormatSource | undefined;
  #lastStruct: Struct | undefined;
  #lastUnpacker: Unpacker | undefined;

  /**
   * A reader at the start of `source`'s bytes (any C-contiguous exporter); BufferError
   * "… not C-contiguous" for a strided view, and for memory already gone (the export
   * is given back before the error is raised).
   */
  constructor(source: ViewSource) {
    const shared = new SharedExport(source);
    const info = shared.info;
    let bytes: Uint8Array;
    try {
      bytes = bytesOf(info);
    } catch (error) {
      shared.drop();
      throw error;
    }
    this.#shared = shared;
    this.#info = info;
    this.#bytes = bytes;
    this.#length = info.len;
    // An empty source may lie anywhere (even past its buffer's end): read through its own
    // empty array, never through the buffer.
    this.#dv = dataViewOf(bytes.length === 0 ? bytes.buffer : info.buffer);
    this.#memory = info.buffer;
    this.#end = info.offset + info.len;
    this.#base = bytes.length === 0 ? 0 : info.offset;
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

  /**
   * The next `n` bytes as a MemoryView of the source (format `'B'`, read-only if the source
   * is). The view holds the source's export until it is released, even after the reader's.
   */
  read(n: number): MemoryView {
    const at = this.#take(n);
    return this.#shared.view(at, at + n);
  }

  /**
   * The next `n` bytes as a Uint8Array over the source's memory (no copy). It holds no
   * export: once the reader is released, a ByteArray source may move away from under it.
   */
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

  /**
   * Decodes the next `n` bytes as text, as Python's `bytes.decode(encoding)` (UTF-8 by
   * default; a byte-order mark is kept as U+FEFF). UnicodeDecodeError or LookupError
   * consume nothing.
   */
  readString(n: number, encoding = 'utf-8'): string {
    const at = this.#position;
    const text = decodeText(this.#bytes.subarray(at, at + this.#check(n)), encoding);
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
    this.#shared.drop();
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
      typeof n === 'number' &&
      (n | 0) === n &&
      n >= 0 &&
      n <= this.#length - at &&
      this.#length !== 0 &&
      this.#memory.byteLength >= this.#end &&
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
    if (typeof n !== 'number') {
      throw new TypeError(`a read count must be an integer, not '${pyTypeName(n)}'`);
    }
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
    // A detached or shrunk buffer: say so, never read nothing.
    if (this.#length !== 0) assertAlive(this.#info.obj, this.#memory, this.#end);
    return n;
  }
}

function integer(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what} must be an integer, not ${pyTypeName(value)}`);
  }
  return value;
}
