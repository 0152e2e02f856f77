/**
 * What the shared-view test workers do, in Node's worker_threads and in a browser's Web
 * Worker alike: rebuild the view they are sent with `MemoryView.fromShared`, read it, add
 * `add` to every element of the 2-D view when asked, and say what they saw.
 */

import { MemoryView, type SharedViewLayout } from '../../src/index.js';

/** What the test sends a worker. */
export interface SharedViewRequest {
  readonly layout: SharedViewLayout;
  /** Adds this to every element of the 2-D view, when set. */
  readonly add?: number;
}

/** What the worker read, or the error it met. */
export interface SharedViewAnswer {
  readonly before?: unknown;
  readonly shape?: readonly number[];
  readonly strides?: readonly number[];
  readonly format?: string;
  readonly readonly?: boolean;
  /** `name: message` of an error fromShared or a write threw. */
  readonly error?: string;
}

/** Rebuilds the view of `request`, reads it, writes where asked, and releases it. */
export function answerSharedView({ layout, add }: SharedViewRequest): SharedViewAnswer {
  try {
    const view = MemoryView.fromShared(layout);
    const before = view.toList();
    if (add !== undefined) {
      const [rows, cols] = view.shape;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) view.set(i, j, (view.get(i, j) as number) + add);
      }
    }
    const answer = {
      before,
      shape: view.shape,
      strides: view.strides,
      format: view.format,
      readonly: view.readonly,
    };
    view.release();
    return answer;
  } catch (error) {
    const e = error as Error;
    return { error: `${e.name}: ${e.message}` };
  }
}
