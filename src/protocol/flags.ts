/**
 * Buffer request flags: CPython's `PyBUF_*` constants, with their values, so code ported
 * from C or Python passes the same numbers. A consumer ORs the flags of what it needs; the
 * exporter fails the request with a BufferError when it cannot give that.
 */

import { OverflowError, pyTypeName } from '../errors.js';

/** CPython's `PyBUF_*` request flags (and `inspect.BufferFlags`), by name. */
export const PyBUF = /* @__PURE__ */ Object.freeze({
  /** A contiguous run of bytes, nothing else (`struct.unpack` asks this). */
  SIMPLE: 0,
  /** The consumer will write (`struct.pack_into` asks this). */
  WRITABLE: 0x0001,
  /** The consumer reads `format`. */
  FORMAT: 0x0004,
  /** The consumer reads `shape`. */
  ND: 0x0008,
  /** The consumer reads `strides` (implies ND). */
  STRIDES: 0x0010 | 0x0008,
  /** The memory must be C-contiguous (implies STRIDES). */
  C_CONTIGUOUS: 0x0020 | 0x0010 | 0x0008,
  /** The memory must be Fortran-contiguous (implies STRIDES). */
  F_CONTIGUOUS: 0x0040 | 0x0010 | 0x0008,
  /** The memory must be C- or Fortran-contiguous (implies STRIDES). */
  ANY_CONTIGUOUS: 0x0080 | 0x0010 | 0x0008,
  /** The consumer understands suboffsets (implies STRIDES). */
  INDIRECT: 0x0100 | 0x0010 | 0x0008,
  /** ND and WRITABLE: a writable contiguous array with its shape. */
  CONTIG: 0x0008 | 0x0001,
  /** ND: a contiguous array with its shape, read-only allowed. */
  CONTIG_RO: 0x0008,
  /** STRIDES and WRITABLE: a writable strided array. */
  STRIDED: 0x0018 | 0x0001,
  /** STRIDES: a strided array, read-only allowed. */
  STRIDED_RO: 0x0018,
  /** STRIDES, WRITABLE and FORMAT: a writable strided array with its item format. */
  RECORDS: 0x0018 | 0x0001 | 0x0004,
  /** STRIDES and FORMAT: a strided array with its item format, read-only allowed. */
  RECORDS_RO: 0x0018 | 0x0004,
  /** INDIRECT, WRITABLE and FORMAT: everything, writable. */
  FULL: 0x0118 | 0x0001 | 0x0004,
  /** What `memoryview()` asks: everything, read-only allowed. */
  FULL_RO: 0x0118 | 0x0004,
  /** `PyMemoryView_GetContiguous` / `inspect.BufferFlags.READ`. */
  READ: 0x100,
  /** `PyMemoryView_GetContiguous` / `inspect.BufferFlags.WRITE`. */
  WRITE: 0x200,
} as const);

/** True when `flags` holds every bit of `wanted` (CPython's `REQ_*` macros). */
export function requests(flags: number, wanted: number): boolean {
  return (flags & wanted) === wanted;
}

const INT_MAX = 0x7fff_ffff;

/**
 * Request flags as `__buffer__(flags)` converts its argument: a Python int (an integral
 * number, a bigint, or a boolean) within C's `int`; below `INT_MIN` it wraps as CPython's
 * cast to `int` does. TypeError "'str' object cannot be interpreted as an integer" for
 * any other type; OverflowError "buffer flags too large" above `INT_MAX`, and
 * "cannot fit 'int' into an index-sized integer" outside `Py_ssize_t`.
 */
export function bufferFlags(flags: unknown): number {
  if (typeof flags === 'number' && Number.isInteger(flags)) {
    if (flags >= 0 && flags <= INT_MAX) return flags;
    if (flags >= 2 ** 63 || flags < -(2 ** 63)) throw new OverflowError(CANNOT_FIT);
    if (flags > INT_MAX) throw new OverflowError(TOO_LARGE);
    return flags | 0;
  }
  if (typeof flags === 'bigint') {
    if (flags > 2n ** 63n - 1n || flags < -(2n ** 63n)) throw new OverflowError(CANNOT_FIT);
    if (flags > BigInt(INT_MAX)) throw new OverflowError(TOO_LARGE);
    return Number(BigInt.asIntN(32, flags));
  }
  if (typeof flags === 'boolean') return flags ? 1 : 0;
  throw new TypeError(`'${pyTypeName(flags)}' object cannot be interpreted as an integer`);
}

const CANNOT_FIT = "cannot fit 'int' into an index-sized integer";
const TOO_LARGE = 'buffer flags too large';
