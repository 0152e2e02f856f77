/**
 * Bulk byte copies between a layout's elements and a contiguous byte array: `gather`
 * reads a view's bytes in C order (for `toBytes`, `hex`, slice assignment's snapshot),
 * `scatter` writes C-ordered bytes into a view's elements (slice assignment).
 *
 * Invariants: both work one maximal contiguous run at a time (`forEachRun`), so a
 * C-contiguous view is one copy and a 200x200 window of a wide plane is 200; bytes are
 * only ever copied as bytes or 32-bit words, never through a float, so NaN payloads pass
 * unchanged; the caller has checked that the memory is alive and the layout in bounds.
 */

import { forEachRun, type Layout } from '../layout/index.js';

// Below this many bytes a run is copied by a loop; above, by `Uint8Array.prototype.set`.
const SET_THRESHOLD = 512;

/** Copies the layout's element bytes, in C order, from `buffer` into `out` at `at`. */
export function gather(buffer: ArrayBufferLike, layout: Layout, out: Uint8Array, at = 0): void {
  const src = new Uint8Array(buffer);
  const copier = new RunCopier(src, out, buffer, out.buffer);
  let k = at + out.byteOffset;
  forEachRun(layout, (offset, length) => {
    copier.copy(offset, k, length);
    k += length;
  });
}

/** Copies C-ordered bytes from `data` into the layout's elements in `buffer`. */
export function scatter(buffer: ArrayBufferLike, layout: Layout, data: Uint8Array): void {
  const dst = new Uint8Array(buffer);
  const copier = new RunCopier(data, dst, data.buffer, buffer);
  let k = data.byteOffset;
  forEachRun(layout, (offset, length) => {
    copier.copy(k, offset, length);
    k += length;
  });
}

/**
 * Copies runs from one buffer to another, both addressed by absolute byte offsets: short
 * runs whose ends are word-aligned on both sides move as 32-bit words, other short runs
 * as bytes, long runs through `set`.
 */
class RunCopier {
  readonly #src: Uint8Array;
  readonly #dst: Uint8Array;
  readonly #srcBuffer: ArrayBufferLike;
  readonly #dstBuffer: ArrayBufferLike;
  #src32: Int32Array | undefined;
  #dst32: Int32Array | undefined;

  constructor(
    src: Uint8Array,
    dst: Uint8Array,
    srcBuffer: ArrayBufferLike,
    dstBuffer: ArrayBufferLike,
  ) {
    // Both arrays are addressed from the start of their buffers.
    this.#src = src.byteOffset === 0 ? src : new Uint8Array(srcBuffer);
    this.#dst = dst.byteOffset === 0 ? dst : new Uint8Array(dstBuffer);
    this.#srcBuffer = srcBuffer;
    this.#dstBuffer = dstBuffer;
  }

  copy(from: number, to: number, length: number): void {
    const src = this.#src;
    const dst = this.#dst;
    if (length >= SET_THRESHOLD) {
      dst.set(src.subarray(from, from + length), to);
      return;
    }
    if (((from | to | length) & 3) === 0) {
      if (this.#src32 === undefined) this.#src32 = words(this.#srcBuffer);
      if (this.#dst32 === undefined) this.#dst32 = words(this.#dstBuffer);
      const s = this.#src32;
      const d = this.#dst32;
      for (let i = from >> 2, j = to >> 2, end = (from + length) >> 2; i < end; i++, j++) {
        d[j] = s[i];
      }
      return;
    }
    for (let i = 0; i < length; i++) dst[to + i] = src[from + i];
  }
}

function words(buffer: ArrayBufferLike): Int32Array {
  return new Int32Array(buffer, 0, buffer.byteLength >> 2);
}
