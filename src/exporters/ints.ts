/**
 * `int.from_bytes` and `int.to_bytes` as CPython 3.13 computes them, for integers of any
 * width (24-bit, 48-bit, 128-bit fields): `intFromBytes` and `intToBytes`.
 *
 * Python's int is arbitrary-precision, so the JavaScript value is a bigint; `{ int64:
 * 'number' }` asks for a number instead, exact or an OverflowError, never a rounded value.
 */

import { unsafeInteger } from '../codec/index.js';
import { fromCall, MemoryError, OverflowError, pyTypeName, ValueError } from '../errors.js';
import type { Int64Mode } from '../format/index.js';
import { isBuffer } from '../protocol/index.js';
import { Bytes } from './bytes.js';
import { type BytesInput, bufferBytes, bytesFrom } from './input.js';

/** Byte order of `intFromBytes` and `intToBytes`: Python's `byteorder`. */
export type IntByteOrder = 'little' | 'big';

/** Options of `intFromBytes`. */
export interface IntFromBytesOptions {
  /** Two's complement (`signed=True`); unsigned by default, as Python's. */
  readonly signed?: boolean;
  /**
   * `'number'`: a number instead of a bigint (the option that chooses numbers for 8-byte
   * integers across memview), exact, or OverflowError beyond ±(2**53 - 1), where a
   * number would round.
   */
  readonly int64?: Int64Mode;
}

/** Options of `intToBytes`. */
export interface IntToBytesOptions {
  /** Two's complement (`signed=True`); unsigned by default, so a negative n is refused. */
  readonly signed?: boolean;
}

const SSIZE_MAX = 2n ** 63n - 1n;

/**
 * `int.from_bytes(source, order, signed=...)`: the integer the bytes encode. `source` is
 * anything `bytes()` takes but a count (an exporter, in C order, or an iterable of ints in
 * range(0, 256)); `order` defaults to `'big'`, as in Python 3.11+.
 */
export function intFromBytes(
  source: BytesInput,
  order?: IntByteOrder,
  options?: IntFromBytesOptions & { readonly int64?: 'bigint' },
): bigint;
export function intFromBytes(
  source: BytesInput,
  order: IntByteOrder | undefined,
  options: IntFromBytesOptions & { readonly int64: 'number' },
): number;
export function intFromBytes(
  source: BytesInput,
  order: IntByteOrder = 'big',
  options: IntFromBytesOptions = {},
): bigint | number {
  try {
    const little = littleEndian(order, 'from_bytes');
    const signed = options.signed === true;
    if (
      typeof source === 'string' ||
      typeof source === 'number' ||
      typeof source === 'bigint' ||
      source === null ||
      source === undefined
    ) {
      throw new TypeError(`cannot convert '${pyTypeName(source)}' object to bytes`);
    }
    const data = isBuffer(source) ? bufferBytes(source) : bytesFrom(source, 'bytes');
    const n = data.length;
    let value = 0n;
    if (n <= 6) {
      // Fits a number exactly: no bigint arithmetic per byte.
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + data[little ? n - 1 - i : i];
      if (signed && n > 0 && v >= 2 ** (8 * n - 1)) v -= 2 ** (8 * n);
      if (options.int64 === 'number') return v;
      value = BigInt(v);
    } else {
      let hex = '';
      for (let i = 0; i < n; i++) {
        hex += data[little ? n - 1 - i : i].toString(16).padStart(2, '0');
      }
      value = BigInt(`0x${hex}`);
      if (signed && (data[little ? n - 1 : 0] & 0x80) !== 0) value -= 1n << BigInt(8 * n);
    }
    if (options.int64 !== 'number') return value;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(-Number.MAX_SAFE_INTEGER)) {
      throw unsafeInteger(value);
    }
    return Number(value);
  } catch (error) {
    throw fromCall(error, intFromBytes);
  }
}

/**
 * `n.to_bytes(length, order, signed=...)`: `n` as `length` bytes (default 1, `order`
 * `'big'`, as Python's). OverflowError "int too big to convert" when it does not fit,
 * "can't convert negative int to unsigned" for a negative `n` unless signed.
 */
export function intToBytes(
  n: number | bigint,
  length: number | bigint = 1,
  order: IntByteOrder = 'big',
  options: IntToBytesOptions = {},
): Bytes {
  try {
    if (typeof n !== 'bigint' && !(typeof n === 'number' && Number.isInteger(n))) {
      throw new TypeError(
        `descriptor 'to_bytes' for 'int' objects doesn't apply to a '${pyTypeName(n)}' object`,
      );
    }
    const size = byteLength(length);
    const little = littleEndian(order, 'to_bytes');
    if (size < 0) throw new ValueError('length argument must be non-negative');
    const signed = options.signed === true;
    let value = BigInt(n);
    if (value < 0n && !signed) throw new OverflowError("can't convert negative int to unsigned");
    let out: Uint8Array;
    try {
      out = new Uint8Array(size);
    } catch {
      throw new MemoryError('');
    }
    // Bits the value needs (beside the sign bit when signed); CPython lets -1 through as
    // zero bytes when signed, as its sign extension needs none.
    const magnitude = value < 0n ? -value - 1n : value;
    const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
    if (size === 0 ? bits > 0 : bits > 8 * size - (signed ? 1 : 0)) {
      throw new OverflowError('int too big to convert');
    }
    if (value < 0n) value += 1n << BigInt(8 * size);
    for (let i = 0; i < size && value !== 0n; i++) {
      out[little ? i : size - 1 - i] = Number(value & 0xffn);
      value >>= 8n;
    }
    return new Bytes(out);
  } catch (error) {
    throw fromCall(error, intToBytes);
  }
}

/** `byteorder`, as CPython checks it: TypeError for a non-str, then its value. */
function littleEndian(order: unknown, method: string): boolean {
  if (typeof order !== 'string') {
    const name = order === null || order === undefined ? 'None' : pyTypeName(order);
    throw new TypeError(`${method}() argument 'byteorder' must be str, not ${name}`);
  }
  if (order === 'little') return true;
  if (order === 'big') return false;
  throw new ValueError("byteorder must be either 'little' or 'big'");
}

/** `length` as a Py_ssize_t; a length no engine can allocate is MemoryError later. */
function byteLength(length: unknown): number {
  if (typeof length === 'number' && Number.isInteger(length)) {
    if (length >= -(2 ** 63) && length < 2 ** 63) return length;
  } else if (typeof length === 'bigint') {
    if (length <= SSIZE_MAX && length >= -SSIZE_MAX - 1n) return Number(length);
  } else if (typeof length === 'boolean') {
    return length ? 1 : 0;
  } else {
    throw new TypeError(`'${pyTypeName(length)}' object cannot be interpreted as an integer`);
  }
  throw new OverflowError('Python int too large to convert to C ssize_t');
}
