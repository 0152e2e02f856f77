/**
 * Record offsets for `unpackFrom` and `packInto`: CPython's checks and messages, with
 * negative offsets counting from the end. Shared by `Struct` and the module functions.
 */

import { IndexError, OverflowError, pyTypeName, StructError } from '../errors.js';

/** A byte offset: a number (integral) or a bigint; negative offsets count from the end. */
export type Offset = number | bigint;

/** How one function words its offset errors. */
export interface OffsetWording {
  readonly fn: string;
  readonly verb: string;
  readonly negative: string;
  readonly overflow: (message: string) => Error;
  readonly overflowMessage: string;
}

export const UNPACK_FROM: OffsetWording = {
  fn: 'unpack_from',
  verb: 'unpacking',
  negative: 'not enough data to unpack',
  overflow: (m) => new OverflowError(m),
  overflowMessage: 'Python int too large to convert to C ssize_t',
};

export const PACK_INTO: OffsetWording = {
  fn: 'pack_into',
  verb: 'packing',
  negative: 'no space to pack',
  overflow: (m) => new IndexError(m),
  overflowMessage: "cannot fit 'int' into an index-sized integer",
};

const SSIZE_LIMIT = 0x8000_0000_0000_0000; // 2**63

/**
 * The absolute offset of `size` bytes at `offset` in a region of `length` bytes, with
 * CPython's checks and messages (negative offsets count from the end).
 */
export function placeOffset(
  offset: unknown,
  size: number,
  length: number,
  w: OffsetWording,
): number {
  if (
    typeof offset === 'number' &&
    offset >= 0 &&
    offset <= length - size &&
    Number.isInteger(offset)
  ) {
    return offset;
  }
  return placeOther(offset, size, length, w);
}

// The rest of `placeOffset`, out of line so that the common case inlines.
function placeOther(offset: unknown, size: number, length: number, w: OffsetWording): number {
  let at: number;
  if (typeof offset === 'number' && Number.isInteger(offset)) {
    if (offset >= SSIZE_LIMIT || offset < -SSIZE_LIMIT) throw w.overflow(w.overflowMessage);
    at = offset;
  } else if (typeof offset === 'bigint') {
    if (offset >= 1n << 63n || offset < -(1n << 63n)) throw w.overflow(w.overflowMessage);
    at = Number(offset);
  } else if (typeof offset === 'boolean') at = offset ? 1 : 0;
  else {
    throw new TypeError(`'${pyTypeName(offset)}' object cannot be interpreted as an integer`);
  }
  if (at >= 0 && at <= length - size) return at;
  // Slow path: an error, or a negative offset. Messages use exact integers.
  const exact = typeof offset === 'bigint' ? offset : BigInt(at);
  if (exact < 0n) {
    if (exact + BigInt(size) > 0n) {
      throw new StructError(`${w.negative} ${size} bytes at offset ${exact}`);
    }
    if (exact + BigInt(length) < 0n) {
      throw new StructError(`offset ${exact} out of range for ${length}-byte buffer`);
    }
    return at + length;
  }
  throw new StructError(
    `${w.fn} requires a buffer of at least ${BigInt(size) + exact} bytes for ${w.verb} ` +
      `${size} bytes at offset ${exact} (actual buffer size is ${length})`,
  );
}
