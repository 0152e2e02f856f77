/**
 * Reading a selection of a file's records through one reused window buffer, so that
 * inspecting a multi-gigabyte file costs constant memory and reads only the bytes near
 * what is printed.
 *
 * The selection is a layout (offset, itemsize, shape, strides in bytes of the file). Its
 * elements are walked in C order, a batch at a time; consecutive elements are grouped
 * into one read while the group's byte span fits in the window and no gap between them
 * exceeds `MAX_GAP` bytes (a sparse strided selection reads record by record instead of
 * the gaps between records). Each read is seen as a `MemoryView` cast to the record
 * format, and every element of the group is taken from that view.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Layout } from '../layout/index.js';
import { type MemoryView, memoryview } from '../view/index.js';
import { UsageError } from './args.js';

/** Gaps between selected records above this many bytes are skipped rather than read. */
export const MAX_GAP = 4096;

/** How many elements are visited between two waits for the output to drain. */
const BATCH = 4096;

/** An open regular file, read through one reused window buffer. */
export class WindowedFile {
  /** The file's size in bytes when it was opened. */
  readonly size: number;
  /** The most bytes one `read` returns: the window's size. */
  readonly windowLength: number;
  readonly #fd: number;
  readonly #path: string;
  readonly #window: Uint8Array;
  readonly #onRead: ((start: number, length: number) => void) | undefined;

  /**
   * Opens `path` for reading with a window of `windowBytes` bytes, at least `minBytes` (so
   * one record always fits) and at most the file's size (every read lies in the file, so
   * neither a small file nor a record larger than the file sizes the window beyond it). A
   * missing, unreadable or non-regular file is a `UsageError`. `onRead` hears of every
   * read, for tracing.
   */
  constructor(
    path: string,
    windowBytes: number,
    minBytes: number,
    onRead?: (start: number, length: number) => void,
  ) {
    this.#path = path;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new UsageError(`cannot open '${path}': ${describeSystemError(error)}`);
    }
    let size: number;
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        const what = stat.isDirectory() ? 'is a directory' : 'not a regular file';
        throw new UsageError(`cannot read '${path}': ${what}`);
      }
      size = stat.size;
      this.#window = new Uint8Array(Math.min(Math.max(windowBytes, minBytes), size));
    } catch (error) {
      closeSync(fd);
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot read '${path}': ${describeSystemError(error)}`);
    }
    this.#fd = fd;
    this.size = size;
    this.windowLength = this.#window.length;
    this.#onRead = onRead;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.#fd);
  }

  /**
   * Reads `length` bytes (at most `windowLength`) at byte `start` into the window and
   * returns them (valid until the next read). A file that shrank under us is a `UsageError`.
   */
  read(start: number, length: number): Uint8Array {
    if (length > this.#window.length) throw new RangeError('read larger than the window');
    this.#onRead?.(start, length);
    const bytes = this.#window.subarray(0, length);
    let done = 0;
    while (done < length) {
      let got: number;
      try {
        got = readSync(this.#fd, bytes, done, length - done, start + done);
      } catch (error) {
        throw new UsageError(`cannot read '${this.#path}': ${describeSystemError(error)}`);
      }
      if (got === 0) {
        throw new UsageError(
          `cannot read '${this.#path}': the file ended at byte ${start + done}; did it shrink?`,
        );
      }
      done += got;
    }
    return bytes;
  }
}

/** Receives one selected element: the view it lies in, its index there, its C-order ordinal. */
export type ElementVisitor = (
  view: MemoryView,
  index: number,
  ordinal: number,
  fileOffset: number,
) => void;

/**
 * Visits the first `count` elements of `layout` (in C order) as elements of views of
 * `format` over the file's bytes, reading them window by window. `afterBatch` runs
 * every few thousand elements (to let output drain).
 *
 * Two odometers walk the layout: the first looks ahead to find how many of the next
 * elements one read can serve, the second replays them once the read is done, so memory
 * stays constant whatever the window holds.
 */
export async function visitSelection(
  file: WindowedFile,
  layout: Layout,
  format: string,
  count: number,
  visit: ElementVisitor,
  afterBatch: () => Promise<void>,
): Promise<void> {
  const { itemsize } = layout;
  const span = file.windowLength;
  const ahead = new COrderWalker(layout);
  const replay = new COrderWalker(layout);
  let ordinal = 0;
  let sinceBatch = 0;
  while (ordinal < count) {
    replay.copyFrom(ahead);
    let low = ahead.offset;
    let high = low + itemsize;
    let n = 1;
    ahead.advance();
    for (; ordinal + n < count; n++, ahead.advance()) {
      const at = ahead.offset;
      const gap = at >= high ? at - high : at + itemsize <= low ? low - at - itemsize : 0;
      const newLow = Math.min(low, at);
      const newHigh = Math.max(high, at + itemsize);
      if (gap > MAX_GAP || newHigh - newLow > span) break;
      low = newLow;
      high = newHigh;
    }
    const view = memoryview(file.read(low, high - low)).cast(format);
    try {
      for (let k = 0; k < n; k++, replay.advance()) {
        const at = replay.offset;
        visit(view, (at - low) / itemsize, ordinal + k, at);
      }
    } finally {
      view.release();
    }
    ordinal += n;
    sinceBatch += n;
    if (sinceBatch >= BATCH) {
      sinceBatch = 0;
      await afterBatch();
    }
  }
}

/** Walks the byte offsets of a layout's elements in C order with an odometer. */
class COrderWalker {
  readonly #shape: readonly number[];
  readonly #strides: readonly number[];
  readonly #index: number[];
  /** The byte offset of the current element. */
  offset: number;

  constructor(layout: Layout) {
    this.#shape = layout.shape;
    this.#strides = layout.strides;
    this.#index = new Array<number>(layout.shape.length).fill(0);
    this.offset = layout.offset;
  }

  /** Moves to the next element in C order (past the last, it wraps to the first). */
  advance(): void {
    const shape = this.#shape;
    const strides = this.#strides;
    const index = this.#index;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        this.offset += strides[d];
        return;
      }
      this.offset -= strides[d] * (shape[d] - 1);
      index[d] = 0;
    }
  }

  /** Takes the position of `other`, a walker over the same layout. */
  copyFrom(other: COrderWalker): void {
    for (let d = 0; d < this.#index.length; d++) this.#index[d] = other.#index[d];
    this.offset = other.offset;
  }
}

/** A short reason for a failed file operation: `no such file or directory`, … */
export function describeSystemError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
