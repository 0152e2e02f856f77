/**
 * The buffer-protocol side of Node I/O: asking the caller's objects for their memory
 * (writable for reads, any for writes), checking the memory is still there before Node
 * sees it (Node treats a detached or shrunk view as empty, silently), and cutting an
 * export into one Uint8Array per contiguous run — the iovecs of `readv`/`writev`.
 *
 * Invariants: every export made here is given back by the caller with `releaseBuffer`
 * (exactly once, also on failure); a failed export leaves nothing exported.
 */

import { pyTypeName } from '../errors.js';
import { forEachRun } from '../layout/index.js';
import {
  assertLive,
  type BufferInfo,
  getBuffer,
  isBuffer,
  PyBUF,
  releaseBuffer,
} from '../protocol/index.js';
import type { ViewSource } from '../view/index.js';

/** Anything the I/O functions read from or write into: an exporter, a JS binary value, a view. */
export type BytesLike = ViewSource;

/** Linux's IOV_MAX: the most iovecs one `readv`/`writev` call takes. */
export const IOV_MAX = 1024;

/**
 * The writable export of `obj` for `caller`'s argument `name`, with the request `flags`
 * (plus `PyBUF.WRITABLE`). A read-only or non-exporting object gives CPython's TypeError
 * "readinto() argument must be read-write bytes-like object, not bytes" (spelled with
 * `caller`); a released view its ValueError; other refusals (contiguity) their BufferError.
 */
export function exportWritable(
  obj: unknown,
  caller: string,
  name: string,
  flags: number,
): BufferInfo {
  if (!isBuffer(obj)) throw notReadWrite(obj, caller, name);
  try {
    return getBuffer(obj, flags | PyBUF.WRITABLE);
  } catch (err) {
    if (isReadonly(obj)) throw notReadWrite(obj, caller, name, err);
    throw err;
  }
}

function notReadWrite(obj: unknown, caller: string, name: string, cause?: unknown): TypeError {
  return new TypeError(
    `${caller}() argument '${name}' must be read-write bytes-like object, not ${pyTypeName(obj)}`,
    cause === undefined ? undefined : { cause },
  );
}

/** True when `obj` exports, but only read-only memory (asked again without WRITABLE). */
function isReadonly(obj: unknown): boolean {
  let info: BufferInfo;
  try {
    info = getBuffer(obj, PyBUF.STRIDES);
  } catch {
    return false;
  }
  releaseBuffer(info);
  return info.readonly;
}

/**
 * The exports of `views` (read-only allowed, any strides), in order. TypeError
 * "a bytes-like object is required, not 'str'" for an element that exports nothing; on
 * any failure, the exports already made are released before the error propagates.
 */
export function exportAll(views: Iterable<unknown>): BufferInfo[] {
  const infos: BufferInfo[] = [];
  try {
    for (const view of views) {
      const info = getBuffer(view, PyBUF.STRIDES);
      infos.push(info);
      assertLive(info);
    }
  } catch (err) {
    releaseAll(infos);
    throw err;
  }
  return infos;
}

/** Releases every export of `infos`. */
export function releaseAll(infos: readonly BufferInfo[]): void {
  for (const info of infos) releaseBuffer(info);
}

/** Throws the `liveError` of the first export of `infos` whose memory went away. */
export function assertAllLive(infos: readonly BufferInfo[]): void {
  for (const info of infos) assertLive(info);
}

/** The bytes of a C-contiguous export as one Uint8Array over its memory (no copy). */
export function bytesOf(info: BufferInfo): Uint8Array {
  return new Uint8Array(info.buffer, info.offset, info.len);
}

/**
 * Appends one Uint8Array per maximal contiguous run of the export's bytes (C order) to
 * `out` — a C-contiguous export is one run — and returns the number of bytes appended.
 */
export function pushRuns(info: BufferInfo, out: Uint8Array[]): number {
  let total = 0;
  const buffer = info.buffer;
  forEachRun(info, (offset, length) => {
    out.push(new Uint8Array(buffer, offset, length));
    total += length;
  });
  return total;
}

/** Sum of the lengths of `chunks`. */
export function byteCount(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const chunk of chunks) n += chunk.byteLength;
  return n;
}
