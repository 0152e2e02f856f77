/**
 * Files: `readInto` (Python's `readinto` / `os.preadv`) reads straight into the memory of
 * any writable exporter, and the file half of `writev` (`os.pwritev`) writes the contiguous
 * runs of any views; both work on a `FileHandle` or a file descriptor.
 *
 * Invariants:
 * - the caller's exports are held from the call until Node's read or write completed
 *   (or failed), and released exactly once;
 * - the memory is checked before the first system call and after each one (it may be
 *   detached, shrunk or grown away while the call waits): a count is only returned for
 *   memory that is still there;
 * - a C-contiguous target is one `read`; a strided one is one `readv` per 1024 runs
 *   (IOV_MAX: libuv silently drops iovecs past it on reads), stopping at the first short
 *   read; writes also go 1024 iovecs at a time;
 * - the only bytes changed in the caller's memory are those the system call read.
 */

import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fromCall, OverflowError, pyTypeName, ValueError } from '../errors.js';
import { isCContiguous } from '../layout/index.js';
import { assertLive, PyBUF, releaseBuffer } from '../protocol/index.js';
import { ioError } from './errors.js';
import {
  type BytesLike,
  byteCount,
  bytesOf,
  exportWritable,
  IOV_MAX,
  pushRuns,
} from './exports.js';

/** A file to read or write: a `FileHandle` (`fs.promises.open`) or a file descriptor. */
export type FileLike = FileHandle | number;

/**
 * Where in a file an operation starts: a byte offset (`number` or `bigint`), or
 * `null`/`undefined` for the file's current position, which the operation then advances.
 */
export type FilePosition = number | bigint | null | undefined;

/** True for a `FileHandle` (checked by shape: Node does not export the class). */
export function isFileHandle(value: unknown): value is FileHandle {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FileHandle).fd === 'number' &&
    typeof (value as FileHandle).readv === 'function' &&
    typeof (value as FileHandle).writev === 'function'
  );
}

/** True for a value that names a file: a FileHandle or a non-negative int32. */
export function isFileLike(value: unknown): value is FileLike {
  return isFileHandle(value) || isDescriptor(value);
}

function isDescriptor(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff;
}

/** `file` checked: TypeError unless it is a FileHandle or a file descriptor. */
export function checkFile(file: unknown, caller: string): FileLike {
  if (isFileLike(file)) return file;
  throw new TypeError(
    `${caller}: file must be a FileHandle or a file descriptor (a non-negative integer), not '${pyTypeName(file)}'`,
  );
}

/**
 * A byte offset argument as a safe integer: TypeError for a non-integer, ValueError for a
 * negative one (Node would take -1 as "the current position"), OverflowError past 2**53 - 1.
 */
export function checkOffset(value: unknown, caller: string, name: string): number {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new ValueError(`${caller}: ${name} must be non-negative, not ${value}`);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new OverflowError(`${caller}: ${name} ${value} is larger than 2**53 - 1`);
    }
    return Number(value);
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${caller}: ${name} must be an integer, not '${pyTypeName(value)}'`);
  }
  if (value < 0) throw new ValueError(`${caller}: ${name} must be non-negative, not ${value}`);
  if (!Number.isSafeInteger(value)) {
    throw new OverflowError(`${caller}: ${name} ${value} is larger than 2**53 - 1`);
  }
  return value;
}

/** A `FilePosition` checked: a safe non-negative integer, or null for the current position. */
export function checkPosition(position: unknown, caller: string): number | null {
  return position === null || position === undefined
    ? null
    : checkOffset(position, caller, 'position');
}

/**
 * Reads from `file` into the memory of `view` — any writable exporter: a MemoryView, a
 * ByteArray, a Uint8Array or other TypedArray, an ArrayBuffer… — and resolves with the
 * number of bytes read: fewer than the view holds on a short read, 0 at the end of the file
 * (Python's `readinto`). Reads at `position` when given (the file position is not used or
 * moved), else at the file's current position, which advances.
 *
 * A C-contiguous view is filled by one `read`; a strided one (a column, a window of an
 * image) gets its elements in C order, one `readv` iovec per contiguous run, 1024 runs per
 * call; after a short read the remaining runs are left untouched. The view is exported
 * (a ByteArray cannot resize, a MemoryView cannot be released) until the read completes.
 * A zero-length view resolves with 0 without a system call.
 *
 * Errors: TypeError "readInto() argument 'view' must be read-write bytes-like object, not
 * bytes" for a read-only or non-exporting view; ValueError for a released view; BufferError
 * naming the cause for memory that is detached, shrunk or replaced by a grown
 * WebAssembly.Memory — before the read, or after it: the memory went away while the read
 * waited (the bytes read are lost; a read at the current position has moved it past them);
 * `OSError` (Node's error as `cause`) when the read fails.
 *
 * @throws {TypeError} "readInto() argument 'view' must be read-write bytes-like object, not
 * bytes" for read-only memory.
 * @throws {OSError} Node's failure, wrapped (`code`, `errno`, `syscall`, `cause`).
 * @example
 * ```ts
 * import { open } from 'node:fs/promises';
 * import { memoryview } from 'memview';
 * import { readInto } from 'memview/node';
 * const file = await open(process.execPath);
 * const plane = memoryview(new Uint8Array(64 * 64)).cast('B', [64, 64]);
 * await readInto(file, plane.sub([0, 32], [0, 32]), 0); // 1024: a 32x32 window, one readv
 * await file.close();
 * ```
 */
export async function readInto(
  file: FileLike,
  view: BytesLike,
  position?: FilePosition,
): Promise<number> {
  try {
    const target = checkFile(file, 'readInto');
    const at = checkPosition(position, 'readInto');
    const info = exportWritable(view, 'readInto', 'view', PyBUF.STRIDES);
    const check = (): void => assertLive(info);
    try {
      if (info.len === 0) return 0;
      check();
      if (isCContiguous(info)) {
        const n = await readAt(target, bytesOf(info), at);
        check();
        return n;
      }
      const runs: Uint8Array[] = [];
      pushRuns(info, runs);
      return await readRuns(target, runs, at, check);
    } catch (err) {
      throw ioError('readInto', err);
    } finally {
      releaseBuffer(info);
    }
  } catch (error) {
    throw fromCall(error, readInto);
  }
}

/** One `read` of `target.byteLength` bytes into `target` at `at` (null: current position). */
export function readAt(file: FileLike, target: Uint8Array, at: number | null): Promise<number> {
  if (typeof file !== 'number') {
    return file.read(target, 0, target.byteLength, at).then((r) => r.bytesRead);
  }
  return new Promise((resolve, reject) => {
    fs.read(file, target, 0, target.byteLength, at, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/**
 * `readv` into `runs`, IOV_MAX at a time, until they are full or a read comes up short;
 * `check` runs after each call (it throws when the memory went away meanwhile: the next
 * batch's runs would be empty, and a short count would pass for the end of the file).
 */
async function readRuns(
  file: FileLike,
  runs: Uint8Array[],
  at: number | null,
  check: () => void,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < runs.length; i += IOV_MAX) {
    const batch = runs.length <= IOV_MAX ? runs : runs.slice(i, i + IOV_MAX);
    const n = await readvAt(file, batch, at === null ? null : at + total);
    check();
    total += n;
    if (n < byteCount(batch)) break;
  }
  return total;
}

function readvAt(file: FileLike, runs: Uint8Array[], at: number | null): Promise<number> {
  if (typeof file !== 'number') return file.readv(runs, at ?? undefined).then((r) => r.bytesRead);
  return new Promise((resolve, reject) => {
    fs.readv(file, runs, at, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/**
 * Writes `chunks` to `file` with `writev`, IOV_MAX iovecs per call, at `at` (null: the
 * current position), stopping at the first short write; resolves with the bytes written.
 * `check` runs after each call and throws when the memory went away meanwhile.
 */
export async function writeRuns(
  file: FileLike,
  chunks: readonly Uint8Array[],
  at: number | null,
  check: () => void,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < chunks.length; i += IOV_MAX) {
    const batch = chunks.length <= IOV_MAX ? chunks : chunks.slice(i, i + IOV_MAX);
    const n = await writevAt(file, batch, at === null ? null : at + total);
    check();
    total += n;
    if (n < byteCount(batch)) break;
  }
  return total;
}

function writevAt(file: FileLike, chunks: readonly Uint8Array[], at: number | null) {
  if (typeof file !== 'number') {
    return file.writev(chunks, at ?? undefined).then((r) => r.bytesWritten);
  }
  return new Promise<number>((resolve, reject) => {
    fs.writev(file, chunks, at, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** The size of `file` and whether it is a regular file (from `fstat`). */
export async function fileSize(file: FileLike): Promise<{ size: number; regular: boolean }> {
  const stats =
    typeof file === 'number'
      ? await new Promise<fs.Stats>((resolve, reject) => {
          fs.fstat(file, (err, s) => (err ? reject(err) : resolve(s)));
        })
      : await file.stat();
  return { size: stats.size, regular: stats.isFile() };
}
