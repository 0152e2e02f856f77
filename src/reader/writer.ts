/**
 * `BufferWriter`: builds binary data in a ByteArray — packed values, raw bytes, and
 * reserved slots filled in later (length prefixes) — and hands the result out as a view.
 *
 * Invariants: every write appends at the end of the ByteArray, which grows geometrically
 * (amortised O(1)); a `pack` whose values fail leaves the length as it was; `finish()`
 * returns a view of the ByteArray's own memory (no final copy), which locks its size
 * until the view is released.
 *
 * `pack` compiles each format once (kept with its value count and size) and writes straight
 * into the ByteArray's memory. While it converts the values — where user code can run (a
 * `?` value's truth test, a Proxy) — the ByteArray's size is locked as by an export, so
 * that code cannot move the memory being written; memory taken away by other means (its
 * ArrayBuffer transferred) is checked for afterwards and raises BufferError.
 */

import { fromCall, OverflowError, pyTypeName, StructError, ValueError } from '../errors.js';
import { appendZeros, ByteArray, lockSize, memoryOf } from '../exporters/index.js';
import { type FormatSource, type PackValues, parseFormat } from '../format/index.js';
import { dataViewOf, deadMemoryError } from '../protocol/index.js';
import { cachedStruct, type Packer, packerOf } from '../struct/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';

/** A slot of `size` bytes at `offset`, zero until `fill` packs values into it. */
export interface Reservation<F extends string = string> {
  /** Byte offset of the slot in the writer's data. */
  readonly offset: number;
  /** Size of the slot: `calcsize(format)`. */
  readonly size: number;
  /** Packs `values` into the slot (allowed after `finish()`: the size does not change). */
  fill(...values: PackValues<F>): void;
}

/** A format as `pack` needs it, compiled once. */
interface PackRecord {
  readonly format: string;
  readonly size: number;
  readonly count: number;
  readonly pack: Packer;
}

const MAX_RECORDS = 256;
const records = new Map<string, PackRecord>();

/** The compiled record of `format` (StructError for a malformed one), shared by writers. */
function recordOf(format: FormatSource): PackRecord {
  const key = typeof format === 'string' ? format : undefined;
  let r = key === undefined ? undefined : records.get(key);
  if (r === undefined) {
    const s = cachedStruct(format);
    r = {
      format: s.format,
      size: s.size,
      count: parseFormat(format).valueCount,
      pack: packerOf(s),
    };
    if (key !== undefined) {
      if (records.size >= MAX_RECORDS) records.clear();
      records.set(key, r);
    }
  }
  return r;
}

/**
 * Appends packed values and bytes to a ByteArray.
 *
 * @example
 * ```ts
 * import { BufferWriter } from 'memview';
 * const writer = new BufferWriter();
 * const length = writer.reserve('>I');
 * writer.pack('<HH', 1, 2);
 * writer.write(new TextEncoder().encode('hello'));
 * length.fill(writer.length - 4);
 * const message = writer.finish(); // a view of the ByteArray's own memory
 * message.nbytes; // 13
 * message.release();
 * ```
 */
export class BufferWriter {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'BufferWriter';

  readonly #target: ByteArray;
  #last: PackRecord | undefined;
  #lastFormat: unknown;

  /** A writer appending to `target` (a new, empty ByteArray by default). */
  constructor(target: ByteArray = new ByteArray()) {
    this.#target = target;
  }

  /** The ByteArray written to. */
  get target(): ByteArray {
    return this.#target;
  }

  /** Bytes written so far (the ByteArray's length). */
  get length(): number {
    return this.#target.length;
  }

  /**
   * Appends `values` packed by `format`. StructError for a bad format, count or value,
   * leaving the length as it was; BufferError if the ByteArray is exported (its size is
   * locked) or its memory was taken away while the values were converted.
   *
   * @throws {StructError} "'b' format requires -128 <= number <= 127" (a value out of range),
   * "pack expected 2 items for packing (got 1)"; the length is left as it was.
   * @throws {BufferError} "Existing exports of data: object cannot be re-sized" while the
   * ByteArray is exported (after `finish()`, until that view is released).
   */
  pack<F extends string>(format: F, ...values: PackValues<F>): void {
    try {
      let r = this.#last;
      if (r === undefined || this.#lastFormat !== format) {
        r = recordOf(format as FormatSource);
        this.#last = r;
        this.#lastFormat = format;
      }
      if (values.length !== r.count) {
        throw new StructError(`pack expected ${r.count} items for packing (got ${values.length})`);
      }
      const target = this.#target;
      // Room made and zeroed in the ByteArray, then the values written straight into it.
      const at = appendZeros(target, r.size);
      const bytes = memoryOf(target);
      lockSize(target, 1);
      try {
        r.pack(dataViewOf(bytes.buffer), at, values, 0);
      } catch (error) {
        lockSize(target, -1);
        // A failure caused by the memory going away is reported as that.
        if (bytes.length === 0) throw deadMemoryError(target, bytes.buffer, at + r.size);
        // (Unless a value's conversion exported the ByteArray: its length then stays.)
        if (target.exports === 0) target.resize(at);
        throw error;
      }
      lockSize(target, -1);
      // Only code given the ArrayBuffer itself can detach it: then the array over the
      // ByteArray's capacity reads as empty.
      if (bytes.length === 0) throw deadMemoryError(target, bytes.buffer, at + r.size);
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.pack);
    }
  }

  /** Appends the bytes of an exporter (C order). */
  write(bytes: ViewSource): void {
    try {
      if (bytes instanceof Uint8Array) {
        this.#target.extend(bytes);
        return;
      }
      // Any layout, copied in C order (ByteArray.extend, as CPython's, takes contiguous ones).
      this.#target.extend(viewBytes(bytes));
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.write);
    }
  }

  /**
   * Appends `value` as a LEB128 varint (zigzag-encoded with `{ signed: true }`), the
   * inverse of `BufferReader.readVarint`: a number or bigint integer, 0 to 2**64 − 1
   * unsigned or −2**63 to 2**63 − 1 signed; OverflowError outside, TypeError for a
   * non-integer, both appending nothing.
   */
  writeVarint(value: number | bigint, options?: { readonly signed?: boolean }): void {
    try {
      const signed = options?.signed === true;
      if (
        typeof value === 'number' &&
        value >= 0 &&
        value < 0x80 &&
        (value | 0) === value &&
        !signed
      ) {
        const at = appendZeros(this.#target, 1);
        memoryOf(this.#target)[at] = value;
        return;
      }
      let u = varintValue(value, signed);
      const target = this.#target;
      let n = 1;
      for (let rest = u >> 7n; rest !== 0n; rest >>= 7n) n++;
      const at = appendZeros(target, n);
      const bytes = memoryOf(target);
      for (let i = 0; i < n; i++, u >>= 7n) {
        bytes[at + i] = Number(u & 0x7fn) | (i < n - 1 ? 0x80 : 0);
      }
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.writeVarint);
    }
  }

  /**
   * Appends `value`'s bytes (a string as UTF-8) and a NUL, the inverse of
   * `BufferReader.readCString`; ValueError "embedded null byte" (CPython's words) if they
   * hold a NUL already, appending nothing.
   */
  writeCString(value: string | ViewSource): void {
    try {
      const bytes =
        typeof value === 'string'
          ? new TextEncoder().encode(value)
          : value instanceof Uint8Array
            ? value
            : viewBytes(value);
      if (bytes.indexOf(0) >= 0) throw new ValueError('embedded null byte');
      this.#target.extend(bytes);
      appendZeros(this.#target, 1);
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.writeCString);
    }
  }

  /** Appends zero bytes up to the next multiple of `n` bytes (ValueError unless n ≥ 1). */
  align(n: number): void {
    try {
      if (typeof n !== 'number') {
        throw new TypeError(`alignment must be an integer, not '${pyTypeName(n)}'`);
      }
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new ValueError(`alignment must be a positive integer, not ${String(n)}`);
      }
      const pad = (n - (this.#target.length % n)) % n;
      if (pad > 0) appendZeros(this.#target, pad);
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.align);
    }
  }

  /** Appends `calcsize(format)` zero bytes to be filled later, e.g. a length prefix. */
  reserve<F extends string>(format: F): Reservation<F> {
    try {
      const s = cachedStruct(format as FormatSource);
      const target = this.#target;
      const offset = target.length;
      target.resize(offset + s.size);
      return {
        offset,
        size: s.size,
        fill: (...values) =>
          (s.packInto as (...args: unknown[]) => void)(target, offset, ...values),
      };
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.reserve);
    }
  }

  /**
   * The data written, as a view of the ByteArray's memory (no copy). The ByteArray cannot
   * change size — so this writer cannot append — until the view is released.
   */
  finish(): MemoryView {
    try {
      return memoryview(this.#target);
    } catch (error) {
      throw fromCall(error, BufferWriter.prototype.finish);
    }
  }
}

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** `value` as the unsigned integer a varint carries (zigzag-mapped if `signed`). */
function varintValue(value: number | bigint, signed: boolean): bigint {
  if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  const v = BigInt(value);
  if (signed) {
    if (v < I64_MIN || v > I64_MAX) {
      throw new OverflowError(
        'signed varint requires -9223372036854775808 <= number <= 9223372036854775807',
      );
    }
    return v < 0n ? (-v << 1n) - 1n : v << 1n;
  }
  if (v < 0n || v > U64_MAX) {
    throw new OverflowError('unsigned varint requires 0 <= number <= 18446744073709551615');
  }
  return v;
}

/** The bytes of any exporter, in C order (a copy for a non-contiguous one). */
function viewBytes(source: ViewSource): Uint8Array {
  const view = memoryview(source);
  try {
    return view.toBytes();
  } finally {
    view.release();
  }
}
