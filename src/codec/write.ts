/**
 * Writers of one struct item at a byte offset of a DataView, chosen once per (code, mode,
 * byte order) and shared by every format that uses them; the readers are in read.ts.
 *
 * Invariant: writers validate the whole value before touching memory, so a failed write
 * changes nothing.
 */

import { CODES, type Code } from '../format/codes.js';
import {
  bytesOf,
  floatOverflow,
  PackError,
  pyTruth,
  toBigInt,
  toFloat,
  toPointer,
  toSmallInt,
} from './coerce.js';
import { toHalfBits } from './half.js';
import { leadingBytes, typedLength } from './intrinsics.js';

/** Validates `value`, then writes it as one item at `offset`. */
export type Writer = (dv: DataView, offset: number, value: unknown) => void;

const cache = new Map<string, Writer>();

/**
 * The writer of one item. `itemSize` is the item's byte size: the code's size in the
 * mode, or the repeat count for `s` and `p`. 8-byte integers write numbers and bigints
 * whatever their `int64` mode.
 */
export function itemWriter(
  code: Code,
  native: boolean,
  littleEndian: boolean,
  itemSize: number,
): Writer {
  if (code === 's') return bytesWriter(itemSize);
  if (code === 'p') return pascalWriter(itemSize);
  const size = native ? CODES[code].nativeSize : CODES[code].standardSize;
  const key = `${code}${native ? '@' : '='}${littleEndian ? '<' : '>'}`;
  let write = cache.get(key);
  if (write === undefined) {
    write = makeWriter(code, size, littleEndian);
    cache.set(key, write);
  }
  return write;
}

function makeWriter(code: Code, size: number, le: boolean): Writer {
  const kind = CODES[code].kind;
  switch (kind) {
    case 'int':
    case 'uint':
      return size === 8
        ? wideIntWriter(code, kind === 'int', le)
        : intWriter(code, size, kind === 'int', le);
    case 'pointer':
      return (dv, p, v) => dv.setBigUint64(p, toPointer(v), le);
    case 'bool':
      return (dv, p, v) => dv.setUint8(p, pyTruth(v) ? 1 : 0);
    case 'char':
      return (dv, p, v) => dv.setUint8(p, charOf(v));
    case 'float':
      return floatWriter(size, le);
    default:
      throw new Error(`no item codec for '${code}'`);
  }
}

function intWriter(code: Code, size: number, signed: boolean, le: boolean): Writer {
  const bits = 8 * size;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  // Each writer tests its common value, an integral number in range, with one integer
  // operation (small enough to inline into a caller's loop); anything else, and every
  // error, goes through `toSmallInt`.
  switch (size * (signed ? -1 : 1)) {
    case 1:
      return (dv, p, v) =>
        dv.setUint8(p, typeof v === 'number' && (v & 0xff) === v ? v : toSmallInt(v, 0, 255, code));
    case -1:
      return (dv, p, v) =>
        dv.setInt8(
          p,
          typeof v === 'number' && (v << 24) >> 24 === v ? v : toSmallInt(v, min, max, code),
        );
    case 2:
      return (dv, p, v) =>
        dv.setUint16(
          p,
          typeof v === 'number' && (v & 0xffff) === v ? v : toSmallInt(v, 0, 65535, code),
          le,
        );
    case -2:
      return (dv, p, v) =>
        dv.setInt16(
          p,
          typeof v === 'number' && (v << 16) >> 16 === v ? v : toSmallInt(v, min, max, code),
          le,
        );
    case 4:
      return (dv, p, v) =>
        dv.setUint32(
          p,
          typeof v === 'number' && v >>> 0 === v ? v : toSmallInt(v, 0, max, code),
          le,
        );
    default:
      return (dv, p, v) =>
        dv.setInt32(
          p,
          typeof v === 'number' && (v | 0) === v ? v : toSmallInt(v, min, max, code),
          le,
        );
  }
}

function wideIntWriter(code: Code, signed: boolean, le: boolean): Writer {
  const min = signed ? -(1n << 63n) : 0n;
  const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
  return signed
    ? (dv, p, v) => dv.setBigInt64(p, toBigInt(v, min, max, code), le)
    : (dv, p, v) => dv.setBigUint64(p, toBigInt(v, min, max, code), le);
}

function floatWriter(size: number, le: boolean): Writer {
  if (size === 2) return (dv, p, v) => dv.setUint16(p, halfOf(v), le);
  if (size === 4) return (dv, p, v) => dv.setFloat32(p, float32Of(v), le);
  return (dv, p, v) => dv.setFloat64(p, toFloat(v), le);
}

/** The byte of a `c` value: a bytes object of length 1. */
export function charOf(value: unknown): number {
  const bytes = bytesOf(value);
  if (bytes === undefined || typedLength(bytes) !== 1) {
    throw new PackError(
      'char format requires a bytes object of length 1',
      bytes ? 'value' : 'type',
    );
  }
  return bytes[0];
}

/** The bits of an `e` value; OverflowError beyond the half float's range. */
export function halfOf(value: unknown): number {
  const bits = toHalfBits(toFloat(value));
  if (bits < 0) throw floatOverflow(value, 'e');
  return bits;
}

/** An `f` value as a float32; OverflowError for a finite value beyond its range. */
export function float32Of(value: unknown): number {
  const x = toFloat(value);
  const f = Math.fround(x);
  // CPython raises in standard mode; memview raises in native mode too (gh-145633).
  if (!Number.isFinite(f) && Number.isFinite(x)) throw floatOverflow(value, 'f');
  return f;
}

/** The bytes of an `s` or `p` value; TypeError-kind PackError for anything else. */
export function bytesArgument(value: unknown, code: string): Uint8Array {
  const bytes = bytesOf(value);
  if (bytes === undefined)
    throw new PackError(`argument for '${code}' must be a bytes object`, 'type');
  return bytes;
}

/** Writes `data` truncated or NUL-padded to `size` bytes; reads `data` by its internal slots. */
export function copyIn(
  dv: DataView,
  p: number,
  size: number,
  data: Uint8Array,
  length: number,
): void {
  if (size === 0) return;
  const target = new Uint8Array(dv.buffer, dv.byteOffset + p, size);
  const n = Math.min(length, size);
  if (n > 0) target.set(leadingBytes(data, n));
  target.fill(0, n);
}

/** `Ns`: N bytes, truncated or NUL-padded. */
function bytesWriter(size: number): Writer {
  return (dv, p, v) => {
    const data = bytesArgument(v, 's');
    copyIn(dv, p, size, data, typedLength(data));
  };
}

/** `Np`: a Pascal string, a length byte then at most N-1 bytes of data. */
function pascalWriter(size: number): Writer {
  return (dv, p, v) => {
    const data = bytesArgument(v, 'p');
    if (size === 0) return;
    const n = Math.min(typedLength(data), size - 1);
    copyIn(dv, p + 1, size - 1, data, n);
    dv.setUint8(p, Math.min(n, 255));
  };
}
