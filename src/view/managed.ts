/**
 * The managed buffer: one export from an exporter, shared by every view made from it
 * (CPython's `_PyManagedBufferObject`). Slices, casts, `toReadonly()` and `memoryview(m)`
 * register new views on the same managed buffer; the export goes back to the exporter
 * when the last of them is released.
 *
 * Invariants: `views` counts registered, unreleased views; the export is released exactly
 * once, when `views` drops to 0 — or, as a safety net, when every view was garbage
 * collected without a release (the registry holds the export, never a view; exports of
 * JavaScript binary values, which have nothing to give back, are not registered).
 */

import { type BufferInfo, needsRelease, releaseBuffer } from '../protocol/index.js';

const collected = /* @__PURE__ */ new FinalizationRegistry<BufferInfo>((info) =>
  releaseBuffer(info),
);

/** One export, and the count of views that share it. */
export class ManagedBuffer {
  /** The export all views of this managed buffer describe parts of. */
  readonly info: BufferInfo;
  #views = 0;

  constructor(info: BufferInfo) {
    this.info = info;
    // Registering costs more than the rest of a view; an export of a JavaScript binary
    // value has nothing to give back, so only real exporters are watched.
    if (needsRelease(info)) collected.register(this, info, this);
  }

  /** Counts one more view. */
  register(): void {
    this.#views++;
  }

  /** Counts one view less; the last one gives the export back. */
  unregister(): void {
    if (--this.#views === 0) {
      if (needsRelease(this.info)) collected.unregister(this);
      releaseBuffer(this.info);
    }
  }
}
