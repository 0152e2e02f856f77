/**
 * The Web Worker of the browser suite's shared-view tests (bundled on its own and started
 * as a module worker from the page's origin): rebuilds the view it is sent with
 * `MemoryView.fromShared`, answers with what it read, after adding `add` to every element
 * when asked, and says whether its own scope refuses code from strings (the page's CSP
 * reaches the worker through the script's response).
 */

import { MemoryView, type SharedViewLayout } from '../../src/index.js';

/** What the page sends. */
export interface WorkerRequest {
  readonly layout: SharedViewLayout;
  /** Adds this to every element of the 2-D view, when set. */
  readonly add?: number;
}

/** What the worker answers. */
export interface WorkerAnswer {
  readonly before?: unknown;
  readonly shape?: readonly number[];
  readonly strides?: readonly number[];
  readonly format?: string;
  readonly readonly?: boolean;
  /** The worker's own `crossOriginIsolated`. */
  readonly isolated?: boolean;
  /** True when `Function('…')` threw in the worker. */
  readonly evalRefused?: boolean;
  /** `name: message` of an error fromShared or a write threw. */
  readonly error?: string;
}

const scope = globalThis as unknown as {
  crossOriginIsolated: boolean;
  onmessage: ((event: { data: WorkerRequest }) => void) | null;
  postMessage(message: WorkerAnswer): void;
};

function evalRefused(): boolean {
  try {
    Reflect.construct(Function, ['return 1']);
    return false;
  } catch {
    return true;
  }
}

scope.onmessage = ({ data: { layout, add } }) => {
  const common = { isolated: scope.crossOriginIsolated, evalRefused: evalRefused() };
  try {
    const view = MemoryView.fromShared(layout);
    const before = view.toList();
    if (add !== undefined) {
      const [rows, cols] = view.shape;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) view.set(i, j, (view.get(i, j) as number) + add);
      }
    }
    scope.postMessage({
      ...common,
      before,
      shape: view.shape,
      strides: view.strides,
      format: view.format,
      readonly: view.readonly,
    });
    view.release();
  } catch (error) {
    const e = error as Error;
    scope.postMessage({ ...common, error: `${e.name}: ${e.message}` });
  }
};
