/**
 * Bulk byte copies between a layout's elements and a contiguous byte array: `gather`
 * reads a view's bytes in C order (for `toBytes`, `hex`, the snapshot of an assignment),
 * `scatter` writes C-ordered bytes into a view's elements (assignment).
 *
 * Invariants: both walk the layout one row at a time (`forEachRow`): blocks of 64 bytes
 * or more are one native copy each (a C-contiguous view is one copy, a 200x200 window of
 * a wide plane is 200), shorter ones a loop inside the row, never a call per block; bytes are
 * only ever copied as bytes, never through a number, so NaN payloads pass unchanged; the
 * caller has checked that the memory is alive and the layout in bounds.
 *
 * A view that is gathered again and again (a region of interest read every frame) keeps a
 * `RunCache`: one Uint8Array per long run, made once, so each later gather is one native
 * `set` per run with no allocation but the result.
 */

import { MemoryError } from '../errors.js';
import { forEachRow, forEachRun, type Layout } from '../layout/index.js';

/**
 * The most bytes one copy may hold: V8's largest TypedArray on 64-bit hosts. A larger
 * result (a `toBytes` of 2**40 stride-0 elements) is Python's MemoryError, raised before
 * anything is allocated.
 */
export const MAX_BYTES = 0x1_0000_0000; // 2**32

/** A new zeroed Uint8Array of `n` bytes; MemoryError when the engine cannot allocate it. */
export function newBytes(n: number): Uint8Array {
  if (n > MAX_BYTES) throw new MemoryError();
  try {
    return new Uint8Array(n);
  } catch (error) {
    // "Array buffer allocation failed": the host is out of memory for this size.
    if (error instanceof RangeError) throw new MemoryError();
    throw error;
  }
}

// Runs shorter than this are copied by a loop; longer ones by `Uint8Array.prototype.set`.
const SET_THRESHOLD = 64;
// A layout with more runs than this is streamed, never cached.
const MAX_CACHED_RUNS = 4096;
// Nor are runs longer than this: measured on V8 11.3, `set` from kept Uint8Arrays of 400
// bytes or more (a 640x480 window) runs 5x slower than from fresh subarrays, while for
// shorter runs (a 200x200 window) the kept ones are 1.6x faster.
const MAX_CACHED_RUN = 384;

/** The long runs of one layout in one buffer, as Uint8Arrays ready to `set` from. */
export class RunCache {
  readonly #runs: Uint8Array[];
  readonly #offsets: number[];

  private constructor(runs: Uint8Array[], offsets: number[]) {
    this.#runs = runs;
    this.#offsets = offsets;
  }

  /**
   * The cache for `layout` in `buffer`, or undefined when caching would not pay: too
   * many runs, or runs too short for `set` to beat a loop or too long to gain.
   */
  static of(buffer: ArrayBufferLike, layout: Layout): RunCache | undefined {
    const runs: Uint8Array[] = [];
    const offsets: number[] = [];
    let fits = true;
    let at = 0;
    forEachRun(layout, (offset, length) => {
      if (!fits) return;
      if (length < SET_THRESHOLD || length > MAX_CACHED_RUN || runs.length === MAX_CACHED_RUNS) {
        fits = false;
        return;
      }
      runs.push(new Uint8Array(buffer, offset, length));
      offsets.push(at);
      at += length;
    });
    return fits ? new RunCache(runs, offsets) : undefined;
  }

  /** Copies the runs, in order, into `out` from index `at`. */
  gather(out: Uint8Array, at = 0): void {
    const runs = this.#runs;
    const offsets = this.#offsets;
    for (let r = 0; r < runs.length; r++) out.set(runs[r], at + offsets[r]);
  }
}

const wholes = new WeakMap<ArrayBufferLike, Uint8Array>();

/**
 * A Uint8Array over all of `buffer`, made once per buffer (making one costs more than
 * copying a kilobyte). Over a resizable buffer it tracks the buffer's length. Assumes the
 * buffer is not detached (the caller checked the memory).
 */
function wholeBytes(buffer: ArrayBufferLike): Uint8Array {
  let bytes = wholes.get(buffer);
  if (bytes === undefined) {
    bytes = new Uint8Array(buffer);
    wholes.set(buffer, bytes);
  }
  return bytes;
}

/** Copies the layout's element bytes, in C order, from `buffer` into `out` at `at`. */
export function gather(buffer: ArrayBufferLike, layout: Layout, out: Uint8Array, at = 0): void {
  const src = wholeBytes(buffer);
  let k = at;
  forEachRow(layout, (offset, count, step, block) => {
    if (block >= SET_THRESHOLD) {
      for (let i = 0, p = offset; i < count; i++, p += step, k += block) {
        out.set(src.subarray(p, p + block), k);
      }
    } else {
      copyRow(src, offset, step, out, k, block, count, block);
      k += count * block;
    }
  });
}

/** Copies C-ordered bytes from `data` into the layout's elements in `buffer`. */
export function scatter(buffer: ArrayBufferLike, layout: Layout, data: Uint8Array): void {
  const dst = wholeBytes(buffer);
  let k = 0;
  forEachRow(layout, (offset, count, step, block) => {
    if (block >= SET_THRESHOLD) {
      for (let i = 0, p = offset; i < count; i++, p += step, k += block) {
        dst.set(data.subarray(k, k + block), p);
      }
    } else {
      copyRow(data, k, block, dst, offset, step, count, block);
      k += count * block;
    }
  });
}

/**
 * One row of a strided copy: `count` blocks of `block` bytes (fewer than `SET_THRESHOLD`)
 * from `from` at `p`, every `fromStep` bytes, to `to` at `q`, every `toStep` bytes.
 * A function of its own, whose arrays are locals rather than the row visitor's captured
 * variables (`toBytes` of `[::2]`, measured alone: 1.1× faster at 1 KiB, 1.25× at 1 MiB).
 */
function copyRow(
  from: Uint8Array,
  p: number,
  fromStep: number,
  to: Uint8Array,
  q: number,
  toStep: number,
  count: number,
  block: number,
): void {
  if (block === 1) {
    for (let i = 0; i < count; i++, p += fromStep, q += toStep) to[q] = from[p];
    return;
  }
  for (let i = 0; i < count; i++, p += fromStep, q += toStep) {
    for (let b = 0; b < block; b++) to[q + b] = from[p + b];
  }
}
