/**
 * One export shared by a consumer (a `BufferReader`, a `FrameDecoder.push`) and the views
 * it hands out, so that the exporter stays locked as long as any of them can reach its
 * memory: a ByteArray under a payload view cannot grow into new memory while the view
 * still reads the old bytes.
 *
 * Invariants: the consumer holds one share from construction until `drop()`; every view
 * made by `view()` holds one more (through its managed buffer) until it and every view
 * derived from it are released; the export is given back exactly once, when the last
 * share goes.
 */

import { BufferError } from '../errors.js';
import {
  assertAlive,
  BUFFER,
  type BufferInfo,
  getBuffer,
  isDetached,
  NO_SUBOFFSETS,
  PyBUF,
  RELEASE,
  releaseBuffer,
  trustExports,
} from '../protocol/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';

/** An export of a C-contiguous source, seen as bytes, shared by a consumer and its views. */
export class SharedExport {
  /** The export taken from the source. */
  readonly info: BufferInfo;
  // The same memory as one run of unsigned bytes: what the views describe.
  readonly #bytesInfo: BufferInfo;
  #shares = 1;
  #root: MemoryView | undefined;

  /**
   * Takes an export of `source` (`PyBUF.SIMPLE`: BufferError for a non-contiguous one);
   * the caller holds the first share.
   */
  constructor(source: ViewSource) {
    const info = getBuffer(source, PyBUF.SIMPLE);
    this.info = info;
    this.#bytesInfo = {
      obj: info.obj,
      buffer: info.buffer,
      offset: info.offset,
      len: info.len,
      readonly: info.readonly,
      format: 'B',
      itemsize: 1,
      ndim: 1,
      shape: [info.len],
      strides: [1],
      suboffsets: NO_SUBOFFSETS,
    };
  }

  /** Bytes `[start, end)` as a view (format `'B'`) that holds a share until released. */
  view(start: number, end: number): MemoryView {
    if (this.#shares === 0) throw new BufferError('the export was given back');
    this.#root ??= memoryview(this as never);
    return this.#root.slice(start, end);
  }

  /** The consumer lets go of its share; the export goes back once no view holds one. */
  drop(): void {
    // The root view is the consumer's: its slices keep the managed buffer alive.
    const root = this.#root;
    this.#root = undefined;
    root?.release();
    this.#release();
  }

  #release(): void {
    if (this.#shares === 0) return;
    if (--this.#shares === 0) releaseBuffer(this.info);
  }

  /** One share for the managed buffer of the views. */
  [BUFFER](flags: number): BufferInfo {
    if (flags & PyBUF.WRITABLE && this.info.readonly) {
      throw new BufferError('Object is not writable.');
    }
    this.#shares++;
    return { ...this.#bytesInfo };
  }

  /** The views' managed buffer lets go of its share. */
  [RELEASE](_info: unknown): void {
    this.#release();
  }
}

trustExports(SharedExport.prototype);

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/**
 * The bytes of a C-contiguous export as a Uint8Array (no copy). An empty export may lie at
 * any offset, even past its buffer's end (as an empty slice of a memoryview can): it reads
 * as an array of its own. BufferError if the memory is already gone.
 */
export function bytesOf(info: BufferInfo): Uint8Array {
  if (info.len === 0) {
    if (isDetached(info.buffer)) assertAlive(info.obj, info.buffer, 0);
    return EMPTY;
  }
  assertAlive(info.obj, info.buffer, info.offset + info.len);
  return new Uint8Array(info.buffer, info.offset, info.len);
}
