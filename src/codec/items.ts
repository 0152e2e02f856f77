/**
 * Readers and writers of one struct item at a byte offset of a DataView, chosen once
 * per (code, mode, byte order) and shared by every format that uses them.
 *
 * Invariants: readers never allocate except for the values that are objects (`c s p`
 * give fresh Uint8Arrays, 8-byte integers give bigints); writers validate the whole value
 * before touching memory, so a failed write changes nothing.
 */

import { OverflowError, ValueError } from '../errors.js';
import { CODES, type Code } from '../format/codes.js';
import type { Int64Mode } from '../format/types.js';
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
import { fromHalfBits, toHalfBits } from './half.js';
import { leadingBytes, typedLength } from './intrinsics.js';

/** A value of one struct item, as memview hands it out. */
export type StructValue = number | bigint | boolean | Uint8Array;

/** Reads one item at `offset` (bytes from the start of the DataView). */
export type Reader = (dv: DataView, offset: number) => StructValue;
/** Validates `value`, then writes it as one item at `offset`. */
export type Writer = (dv: DataView, offset: number, value: unknown) => void;

/** How to read and write one item of one code, mode and byte order. */
export interface ItemCodec {
  readonly code: Code;
  readonly size: number;
  readonly read: Reader;
  readonly write: Writer;
}

const cache = new Map<string, ItemCodec>();

/**
 * The codec of one item. `itemSize` is the item's byte size: the code's size in the
 * mode, or the repeat count for `s` and `p`. `int64` says how 8-byte integers read.
 */
export function itemCodec(
  code: Code,
  native: boolean,
  littleEndian: boolean,
  itemSize: number,
  int64: Int64Mode = 'bigint',
): ItemCodec {
  if (code === 's') return bytesCodec(itemSize);
  if (code === 'p') return pascalCodec(itemSize);
  const size = native ? CODES[code].nativeSize : CODES[code].standardSize;
  const numbers = int64 === 'number' && size === 8 && CODES[code].kind !== 'float';
  const key = `${code}${native ? '@' : '='}${littleEndian ? '<' : '>'}${numbers ? '#' : ''}`;
  let codec = cache.get(key);
  if (codec === undefined) {
    codec = makeCodec(code, size, littleEndian);
    if (numbers) codec = numberCodec(codec, CODES[code].kind === 'int', littleEndian);
    cache.set(key, codec);
  }
  return codec;
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

/** An 8-byte integer codec that reads numbers; it writes as the bigint codec does. */
function numberCodec(codec: ItemCodec, signed: boolean, le: boolean): ItemCodec {
  return {
    code: codec.code,
    size: 8,
    read: signed ? (dv, p) => int64Number(dv, p, le) : (dv, p) => uint64Number(dv, p, le),
    write: codec.write,
  };
}

function makeCodec(code: Code, size: number, le: boolean): ItemCodec {
  const kind = CODES[code].kind;
  switch (kind) {
    case 'int':
    case 'uint':
      return size === 8
        ? wideIntCodec(code, kind === 'int', le)
        : intCodec(code, size, kind === 'int', le);
    case 'pointer':
      return {
        code,
        size,
        read: (dv, p) => dv.getBigUint64(p, le),
        write: (dv, p, v) => dv.setBigUint64(p, toPointer(v), le),
      };
    case 'bool':
      return {
        code,
        size,
        read: (dv, p) => dv.getUint8(p) !== 0,
        write: (dv, p, v) => dv.setUint8(p, pyTruth(v) ? 1 : 0),
      };
    case 'char':
      return {
        code,
        size,
        read: (dv, p) => Uint8Array.of(dv.getUint8(p)),
        write: (dv, p, v) => {
          const bytes = bytesOf(v);
          if (bytes === undefined || typedLength(bytes) !== 1) {
            throw new PackError(
              'char format requires a bytes object of length 1',
              bytes ? 'value' : 'type',
            );
          }
          dv.setUint8(p, bytes[0]);
        },
      };
    case 'float':
      return floatCodec(code, size, le);
    default:
      throw new Error(`no item codec for '${code}'`);
  }
}

function intCodec(code: Code, size: number, signed: boolean, le: boolean): ItemCodec {
  const bits = 8 * size;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  let read: Reader;
  let write: Writer;
  if (size === 1) {
    read = signed ? (dv, p) => dv.getInt8(p) : (dv, p) => dv.getUint8(p);
    write = (dv, p, v) => dv.setUint8(p, toSmallInt(v, min, max, code) & 0xff);
  } else if (size === 2) {
    read = signed ? (dv, p) => dv.getInt16(p, le) : (dv, p) => dv.getUint16(p, le);
    write = (dv, p, v) => dv.setUint16(p, toSmallInt(v, min, max, code) & 0xffff, le);
  } else {
    read = signed ? (dv, p) => dv.getInt32(p, le) : (dv, p) => dv.getUint32(p, le);
    write = (dv, p, v) => dv.setUint32(p, toSmallInt(v, min, max, code) >>> 0, le);
  }
  return { code, size, read, write };
}

function wideIntCodec(code: Code, signed: boolean, le: boolean): ItemCodec {
  const min = signed ? -(1n << 63n) : 0n;
  const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
  return signed
    ? {
        code,
        size: 8,
        read: (dv, p) => dv.getBigInt64(p, le),
        write: (dv, p, v) => dv.setBigInt64(p, toBigInt(v, min, max, code), le),
      }
    : {
        code,
        size: 8,
        read: (dv, p) => dv.getBigUint64(p, le),
        write: (dv, p, v) => dv.setBigUint64(p, toBigInt(v, min, max, code), le),
      };
}

function floatCodec(code: Code, size: number, le: boolean): ItemCodec {
  if (size === 2) {
    return {
      code,
      size,
      read: (dv, p) => fromHalfBits(dv.getUint16(p, le)),
      write: (dv, p, v) => {
        const bits = toHalfBits(toFloat(v));
        if (bits < 0) throw floatOverflow(v, 'e');
        dv.setUint16(p, bits, le);
      },
    };
  }
  if (size === 4) {
    return {
      code,
      size,
      read: (dv, p) => dv.getFloat32(p, le),
      write: (dv, p, v) => {
        const x = toFloat(v);
        const f = Math.fround(x);
        // CPython raises in standard mode; memview raises in native mode too (gh-145633).
        if (!Number.isFinite(f) && Number.isFinite(x)) throw floatOverflow(v, 'f');
        dv.setFloat32(p, f, le);
      },
    };
  }
  return {
    code,
    size,
    read: (dv, p) => dv.getFloat64(p, le),
    write: (dv, p, v) => dv.setFloat64(p, toFloat(v), le),
  };
}

function bytesArgument(value: unknown, code: string): Uint8Array {
  const bytes = bytesOf(value);
  if (bytes === undefined)
    throw new PackError(`argument for '${code}' must be a bytes object`, 'type');
  return bytes;
}

function copyOut(dv: DataView, p: number, n: number): Uint8Array {
  // An empty item touches no memory: its offset may lie past the end of an empty view.
  if (n === 0) return new Uint8Array(0);
  return new Uint8Array(dv.buffer, dv.byteOffset + p, n).slice();
}

/** Writes `data` truncated or NUL-padded to `size` bytes; reads `data` by its internal slots. */
function copyIn(dv: DataView, p: number, size: number, data: Uint8Array, length: number): void {
  if (size === 0) return;
  const target = new Uint8Array(dv.buffer, dv.byteOffset + p, size);
  const n = Math.min(length, size);
  if (n > 0) target.set(leadingBytes(data, n));
  target.fill(0, n);
}

/** `Ns`: N bytes, truncated or NUL-padded on pack, returned whole on unpack. */
function bytesCodec(size: number): ItemCodec {
  return {
    code: 's',
    size,
    read: (dv, p) => copyOut(dv, p, size),
    write: (dv, p, v) => {
      const data = bytesArgument(v, 's');
      copyIn(dv, p, size, data, typedLength(data));
    },
  };
}

/** `Np`: a Pascal string, a length byte then at most N-1 bytes of data. */
function pascalCodec(size: number): ItemCodec {
  return {
    code: 'p',
    size,
    read: (dv, p) =>
      size === 0 ? new Uint8Array(0) : copyOut(dv, p + 1, Math.min(dv.getUint8(p), size - 1)),
    write: (dv, p, v) => {
      const data = bytesArgument(v, 'p');
      if (size === 0) return;
      const n = Math.min(typedLength(data), size - 1);
      copyIn(dv, p + 1, size - 1, data, n);
      dv.setUint8(p, Math.min(n, 255));
    },
  };
}
