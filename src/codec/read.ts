/**
 * Readers of one struct item at a byte offset of a DataView, chosen once per (code, mode,
 * byte order) and shared by every format that uses them. Apart from the writers
 * (write.ts), so that what only reads (`unpack`) loads no value conversion.
 *
 * Invariant: readers never allocate except for the values that are objects (`c s p` give
 * fresh Uint8Arrays, 8-byte integers give bigints).
 */

import { OverflowError, ValueError } from '../errors.js';
import { CODES, type Code } from '../format/codes.js';
import type { Int64Mode } from '../format/types.js';
import { fromHalfBits } from './half.js';

/** A value of one struct item, as memview hands it out. */
export type StructValue = number | bigint | boolean | Uint8Array;

/** Reads one item at `offset` (bytes from the start of the DataView). */
export type Reader = (dv: DataView, offset: number) => StructValue;

const cache = new Map<string, Reader>();

/**
 * The reader of one item. `itemSize` is the item's byte size: the code's size in the
 * mode, or the repeat count for `s` and `p`. `int64` says how 8-byte integers read.
 */
export function itemReader(
  code: Code,
  native: boolean,
  littleEndian: boolean,
  itemSize: number,
  int64: Int64Mode = 'bigint',
): Reader {
  if (code === 's') return (dv, p) => copyOut(dv, p, itemSize);
  if (code === 'p') {
    return (dv, p) =>
      itemSize === 0
        ? new Uint8Array(0)
        : copyOut(dv, p + 1, Math.min(dv.getUint8(p), itemSize - 1));
  }
  const size = native ? CODES[code].nativeSize : CODES[code].standardSize;
  const numbers = int64 === 'number' && size === 8 && CODES[code].kind !== 'float';
  const key = `${code}${native ? '@' : '='}${littleEndian ? '<' : '>'}${numbers ? '#' : ''}`;
  let read = cache.get(key);
  if (read === undefined) {
    read = numbers
      ? numberReader(CODES[code].kind === 'int', littleEndian)
      : makeReader(code, size, littleEndian);
    cache.set(key, read);
  }
  return read;
}

/**
 * The `int64` option's value: `'bigint'` when absent, ValueError "int64 must be either
 * 'bigint' or 'number'" for anything else.
 */
export function int64Option(options: { readonly int64?: unknown } | null | undefined): Int64Mode {
  const mode = options?.int64;
  if (mode === undefined || mode === 'bigint') return 'bigint';
  if (mode === 'number') return 'number';
  throw new ValueError("int64 must be either 'bigint' or 'number'");
}

const SAFE = 9007199254740991; // Number.MAX_SAFE_INTEGER, as a literal (a pure module top level)

/**
 * A signed 8-byte integer as an exact number, read as two 32-bit halves (no bigint is
 * made). `hi * 2**32 + lo` is exact below 2**53 in magnitude, and rounds to 2**53 or
 * beyond above it, so one comparison tells a safe value from one that is not.
 */
export function int64Number(dv: DataView, p: number, le: boolean): number {
  const n = dv.getInt32(le ? p + 4 : p, le) * 4294967296 + dv.getUint32(le ? p : p + 4, le);
  if (n <= SAFE && n >= -SAFE) return n;
  throw unsafeInteger(dv.getBigInt64(p, le));
}

/** An unsigned 8-byte integer as an exact number (see `int64Number`). */
export function uint64Number(dv: DataView, p: number, le: boolean): number {
  const n = dv.getUint32(le ? p + 4 : p, le) * 4294967296 + dv.getUint32(le ? p : p + 4, le);
  if (n <= SAFE) return n;
  throw unsafeInteger(dv.getBigUint64(p, le));
}

/**
 * `OverflowError: int too large to convert to number: 9007199254740992 (int64: 'number'
 * holds integers up to ±2**53 - 1)`, worded as CPython's "int too large to convert to
 * float", with the exact value.
 */
export function unsafeInteger(value: bigint): OverflowError {
  return new OverflowError(
    `int too large to convert to number: ${value} (int64: 'number' holds integers up to ±2**53 - 1)`,
  );
}

/** The reader of an 8-byte integer that reads numbers (`int64: 'number'`). */
function numberReader(signed: boolean, le: boolean): Reader {
  // One closure per case, the halves read inline: a record's reader calls this per value,
  // and a second call level (int64Number) cost number mode a third of its speed once both
  // modes ran through the same record readers.
  if (signed) {
    return le
      ? (dv, p) => {
          const n = dv.getInt32(p + 4, true) * 4294967296 + dv.getUint32(p, true);
          if (n <= SAFE && n >= -SAFE) return n;
          throw unsafeInteger(dv.getBigInt64(p, true));
        }
      : (dv, p) => {
          const n = dv.getInt32(p) * 4294967296 + dv.getUint32(p + 4);
          if (n <= SAFE && n >= -SAFE) return n;
          throw unsafeInteger(dv.getBigInt64(p));
        };
  }
  return le
    ? (dv, p) => {
        const n = dv.getUint32(p + 4, true) * 4294967296 + dv.getUint32(p, true);
        if (n <= SAFE) return n;
        throw unsafeInteger(dv.getBigUint64(p, true));
      }
    : (dv, p) => {
        const n = dv.getUint32(p) * 4294967296 + dv.getUint32(p + 4);
        if (n <= SAFE) return n;
        throw unsafeInteger(dv.getBigUint64(p));
      };
}

function makeReader(code: Code, size: number, le: boolean): Reader {
  switch (CODES[code].kind) {
    case 'int':
      return size === 1
        ? (dv, p) => dv.getInt8(p)
        : size === 2
          ? (dv, p) => dv.getInt16(p, le)
          : size === 4
            ? (dv, p) => dv.getInt32(p, le)
            : (dv, p) => dv.getBigInt64(p, le);
    case 'uint':
      return size === 1
        ? (dv, p) => dv.getUint8(p)
        : size === 2
          ? (dv, p) => dv.getUint16(p, le)
          : size === 4
            ? (dv, p) => dv.getUint32(p, le)
            : (dv, p) => dv.getBigUint64(p, le);
    case 'pointer':
      return (dv, p) => dv.getBigUint64(p, le);
    case 'bool':
      return (dv, p) => dv.getUint8(p) !== 0;
    case 'char':
      return (dv, p) => Uint8Array.of(dv.getUint8(p));
    case 'float':
      return size === 2
        ? (dv, p) => fromHalfBits(dv.getUint16(p, le))
        : size === 4
          ? (dv, p) => dv.getFloat32(p, le)
          : (dv, p) => dv.getFloat64(p, le);
    default:
      throw new Error(`no item codec for '${code}'`);
  }
}

/** A copy of `n` bytes at `p` (CPython's unpack returns fresh bytes). */
export function copyOut(dv: DataView, p: number, n: number): Uint8Array {
  // An empty item touches no memory: its offset may lie past the end of an empty view.
  if (n === 0) return new Uint8Array(0);
  return new Uint8Array(dv.buffer, dv.byteOffset + p, n).slice();
}
