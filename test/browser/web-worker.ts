/**
 * The Web Worker of the browser suite's shared-view tests (bundled on its own and started
 * as a module worker from the page's origin): rebuilds the view it is sent with
 * `MemoryView.fromShared`, answers with what it read, after adding `add` to every element
 * when asked, and says whether its own scope refuses code from strings (the page's CSP
 * reaches the worker through the script's response).
 */

import {
  answerSharedView,
  type SharedViewAnswer,
  type SharedViewRequest,
} from '../helpers/shared-view.js';

/** What the page sends. */
export type WorkerRequest = SharedViewRequest;

/** What the worker answers: what it read, and what its own scope allows. */
export interface WorkerAnswer extends SharedViewAnswer {
  /** The worker's own `crossOriginIsolated`. */
  readonly isolated?: boolean;
  /** True when `Function('…')` threw in the worker. */
  readonly evalRefused?: boolean;
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

scope.onmessage = ({ data }) => {
  scope.postMessage({
    isolated: scope.crossOriginIsolated,
    evalRefused: evalRefused(),
    ...answerSharedView(data),
  });
};
