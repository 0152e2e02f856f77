/**
 * Buffer request flags: CPython's `PyBUF_*` constants, with their values, so code ported
 * from C or Python passes the same numbers. A consumer ORs the flags of what it needs; the
 * exporter fails the request with a BufferError when it cannot give that.
 */

/** CPython's `PyBUF_*` request flags (and `inspect.BufferFlags`), by name. */
export const PyBUF = Object.freeze({
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
  CONTIG: 0x0008 | 0x0001,
  CONTIG_RO: 0x0008,
  STRIDED: 0x0018 | 0x0001,
  STRIDED_RO: 0x0018,
  RECORDS: 0x0018 | 0x0001 | 0x0004,
  RECORDS_RO: 0x0018 | 0x0004,
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
