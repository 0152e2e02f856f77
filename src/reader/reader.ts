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
 * - `unpack` compiles each format once (the last one used is kept at hand);
 * - `readVarint`, `readCString` and `peek` fail as the other reads do: consuming nothing.
 */

import { unsafeInteger } from '../codec/index.js';
import { EOFError, fromCall, IndexError, pyTypeName, ValueError } from '../errors.js';
import { decodeText } from '../exporters/index.js';
import type { FormatSource, Int64Mode, Unpacked } from '../format/index.js';
import { assertAlive, type BufferInfo, dataViewOf } from '../protocol/index.js';
import { cachedReading, type Reading, type StructOptions, type Unpacker } from '../struct/index.js';
import type { MemoryView, ViewSource } from '../view/index.js';
import { bytesOf, SharedExport } from './shared.js';

/**
 * How `readVarint` decodes: `signed` for zigzag encoding (0, -1, 1, -2, … as 0, 1, 2, 3, …);
 * `int64` picks the type of the result — `'number'` always (OverflowError beyond
 * ±(2**53 − 1)), `'bigint'` always, or by default a number when it is a safe integer and a
 * bigint beyond.
 */
export interface VarintOptions {
  /** Zigzag-decode (protobuf's `sint64`); false by default. */
  readonly signed?: boolean;
  /** The type of the result; by default a number while it is exact, a bigint beyond. */
  readonly int64?: 'number' | 'bigint';
}

/** The longest 64-bit varint: 10 bytes of 7 bits. */
const VARINT_MAX_BYTES = 10;
/** Bytes that always decode to a safe integer (7 × 7 = 49 bits). */
const VARINT_SAFE_BYTES = 7;

/**
 * Reads an exporter's bytes in order, returning views of them.
 *
 * @example
 * ```ts
 * import { BufferReader, pack } from 'memview';
 * const reader = new BufferReader(pack('>IH', 7, 2));
 * reader.unpack('>I'); // [7]
 * reader.unpack('>H'); // [2]
 * reader.remaining; // 0
 * reader.release();
 * ```
 */
export class BufferReader implements Disposable {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'BufferReader';

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
  #lastReading: Reading | undefined;
  #lastUnpacker: Unpacker | undefined;

  /**
   * A reader at the start of `source`'s bytes (any C-contiguous exporter); BufferError
   * "… not C-contiguous" for a strided view, and for memory already gone (the export
   * is given back before the error is raised).
   */
  constructor(source: ViewSource) {
    try {
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
    } catch (error) {
      throw fromCall(error, BufferReader);
    }
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
   *
   * @throws {EOFError} "read of 3 bytes at offset 0 passes the end of the 2-byte buffer" when
   * fewer than `n` bytes are left (nothing is consumed).
   */
  read(n: number): MemoryView {
    try {
      const at = this.#take(n);
      return this.#shared.view(at, at + n);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.read);
    }
  }

  /**
   * The next `n` bytes as a Uint8Array over the source's memory (no copy). It holds no
   * export: once the reader is released, a ByteArray source may move away from under it.
   */
  readBytes(n: number): Uint8Array {
    try {
      const at = this.#take(n);
      return this.#bytes.subarray(at, at + n);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.readBytes);
    }
  }

  /**
   * The next `n` bytes as `readBytes` returns them, without moving the position; EOFError
   * if fewer are left.
   */
  peek(n: number): Uint8Array {
    try {
      const at = this.#position;
      return this.#bytes.subarray(at, at + this.#check(n));
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.peek);
    }
  }

  /**
   * Up to `n` bytes (fewer at the end of the source, none past it), as a Uint8Array view —
   * Python's `data[p:p + n]`, which truncates where `readBytes` raises EOFError.
   */
  readAtMost(n: number): Uint8Array {
    const left = this.#length - this.#position;
    return this.readBytes(typeof n === 'number' && n > left ? left : n);
  }

  /**
   * A NUL-terminated string's bytes, without the NUL, as a Uint8Array view; the position
   * moves past the NUL. `limit` bounds the bytes the string may take, NUL included (a
   * fixed-size field): ValueError if none of them is NUL; EOFError if the source ends
   * first. Both consume nothing.
   */
  readCString(limit?: number): Uint8Array {
    try {
      const at = this.#position;
      const left = this.#length - at;
      const span = limit === undefined ? left : this.#count(limit, 'limit');
      this.#check(0);
      const bytes = this.#bytes;
      const stop = span < left ? at + span : this.#length;
      const nul = bytes.subarray(0, stop).indexOf(0, at);
      if (nul < 0) {
        if (limit !== undefined && span <= left) {
          throw new ValueError(`no NUL terminator in the ${span} bytes at offset ${at}`);
        }
        throw new EOFError(
          `no NUL terminator from offset ${at} to the end of the ${this.#length}-byte buffer`,
        );
      }
      this.#position = nul + 1;
      return bytes.subarray(at, nul);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.readCString);
    }
  }

  /**
   * A LEB128 varint (as protobuf, WebAssembly and DWARF write them): 7 bits a byte, least
   * significant first, the high bit set on every byte but the last; up to 64 bits, so up
   * to 10 bytes. Zigzag-decoded with `{ signed: true }`; the result's type follows
   * `int64` (see `VarintOptions`). Redundant trailing zero groups are accepted, as
   * protobuf does. EOFError if the source ends inside the varint; ValueError for more
   * than 10 bytes or a value beyond 64 bits; both consume nothing.
   */
  readVarint(options: VarintOptions & { readonly int64: 'bigint' }): bigint;
  readVarint(options: VarintOptions & { readonly int64: 'number' }): number;
  readVarint(options?: VarintOptions): number | bigint;
  readVarint(options?: VarintOptions): number | bigint {
    try {
      const at = this.#position;
      // Inline fast path: one byte, live memory.
      if (at < this.#length && this.#memory.byteLength >= this.#end && !this.#released) {
        const b = this.#bytes[at];
        if (b < 0x80) {
          if (options === undefined) {
            this.#position = at + 1;
            return b;
          }
          const v = options.signed === true ? (b >>> 1) ^ -(b & 1) : b;
          const mode = options.int64;
          if (mode === undefined || mode === 'number') {
            this.#position = at + 1;
            return v;
          }
          if (mode === 'bigint') {
            this.#position = at + 1;
            return BigInt(v);
          }
        }
      }
      const mode = options?.int64;
      if (mode !== undefined && mode !== 'number' && mode !== 'bigint') {
        throw new ValueError("int64 must be either 'bigint' or 'number'");
      }
      return this.#varint(options?.signed === true, mode);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.readVarint);
    }
  }

  /** Moves to the next multiple of `n` bytes from the start; EOFError past the end. */
  align(n: number): void {
    try {
      const size = this.#count(n, 'alignment');
      if (size === 0) throw new ValueError('alignment must be a positive integer, not 0');
      const pad = (size - (this.#position % size)) % size;
      this.#take(pad);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.align);
    }
  }

  /**
   * Unpacks the next `calcsize(format)` bytes with `format` (a Struct compiled once).
   * `options` as a Struct's: `{ int64: 'number' }` reads 8-byte integers as numbers.
   *
   * @throws {EOFError} "read of 4 bytes at offset 0 passes the end of the 2-byte buffer" when
   * the record does not fit (nothing is consumed).
   * @throws {StructError} "bad char in struct format" for a malformed format.
   */
  unpack<F extends string, M extends Int64Mode = 'bigint'>(
    format: F,
    options?: StructOptions<M>,
  ): Unpacked<F, M> {
    try {
      let r = this.#lastReading;
      let unpack = this.#lastUnpacker;
      if (
        format !== this.#lastFormat ||
        r === undefined ||
        unpack === undefined ||
        r.int64 !== (options === undefined ? 'bigint' : options.int64)
      ) {
        r = cachedReading(format, options);
        unpack = r.plan.unpack;
        this.#lastFormat = format;
        this.#lastReading = r;
        this.#lastUnpacker = unpack;
      }
      // `#take` has checked the bytes are there and alive: read them straight away.
      const at = this.#take(r.plan.size);
      return unpack(this.#dv, this.#base + at) as Unpacked<F, M>;
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.unpack);
    }
  }

  /**
   * Decodes the next `n` bytes as text, as Python's `bytes.decode(encoding)` (UTF-8 by
   * default; a byte-order mark is kept as U+FEFF). UnicodeDecodeError or LookupError
   * consume nothing.
   */
  readString(n: number, encoding = 'utf-8'): string {
    try {
      const at = this.#position;
      const text = decodeText(this.#bytes.subarray(at, at + this.#check(n)), encoding);
      this.#position = at + n;
      return text;
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.readString);
    }
  }

  /** Moves forward `n` bytes without reading them. */
  skip(n: number): void {
    try {
      this.#take(n);
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.skip);
    }
  }

  /** Moves to byte `position` (negative counts from the end); IndexError outside the source. */
  seek(position: number): void {
    try {
      let p = integer(position, 'position');
      if (p < 0) p += this.#length;
      if (p < 0 || p > this.#length) {
        throw new IndexError(
          `seek position ${position} is outside the ${this.#length}-byte buffer`,
        );
      }
      this.#position = p;
    } catch (error) {
      throw fromCall(error, BufferReader.prototype.seek);
    }
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

  #varint(signed: boolean, mode: 'number' | 'bigint' | undefined): number | bigint {
    this.#check(0);
    const bytes = this.#bytes;
    const at = this.#position;
    const end = this.#length;
    let value = 0;
    let scale = 1;
    let i = at;
    for (;;) {
      if (i >= end) {
        throw new EOFError(
          `varint at offset ${at} is truncated by the end of the ${end}-byte buffer`,
        );
      }
      const b = bytes[i++];
      if (i - at > VARINT_SAFE_BYTES) return this.#bigVarint(at, signed, mode);
      value += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    this.#position = i;
    if (signed) value = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    return mode === 'bigint' ? BigInt(value) : value;
  }

  /** A varint of 8 to 10 bytes (beyond 49 bits): decoded as a bigint. */
  #bigVarint(at: number, signed: boolean, mode: 'number' | 'bigint' | undefined): number | bigint {
    const bytes = this.#bytes;
    const end = this.#length;
    let value = 0n;
    let i = at;
    for (;;) {
      if (i >= end) {
        throw new EOFError(
          `varint at offset ${at} is truncated by the end of the ${end}-byte buffer`,
        );
      }
      const b = bytes[i];
      if (i - at === VARINT_MAX_BYTES - 1 && b > 1) {
        throw new ValueError(
          b >= 0x80
            ? `varint at offset ${at} is longer than ${VARINT_MAX_BYTES} bytes`
            : `varint at offset ${at} does not fit in 64 bits`,
        );
      }
      value |= BigInt(b & 0x7f) << BigInt(7 * (i - at));
      i++;
      if (b < 0x80) break;
    }
    if (signed) value = value & 1n ? -((value + 1n) >> 1n) : value >> 1n;
    if (mode !== 'bigint') {
      if (value <= MAX_SAFE && value >= -MAX_SAFE) {
        this.#position = i;
        return Number(value);
      }
      if (mode === 'number') throw unsafeInteger(value);
    }
    this.#position = i;
    return value;
  }

  /** `n` as a count (a TypeError or ValueError naming `what` if it is not one). */
  #count(n: number, what: string): number {
    if (typeof n !== 'number') {
      throw new TypeError(`${what} must be an integer, not '${pyTypeName(n)}'`);
    }
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ValueError(`${what} must be a non-negative integer, not ${String(n)}`);
    }
    return n;
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

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function integer(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what} must be an integer, not ${pyTypeName(value)}`);
  }
  return value;
}
