/**
 * A worker for the shared-view tests: rebuilds the view it is sent with
 * `MemoryView.fromShared` and answers with what it read, after writing where asked.
 */

import { parentPort } from 'node:worker_threads';
import { MemoryView, type SharedViewLayout } from '../../src/index.js';

interface Request {
  readonly layout: SharedViewLayout;
  /** Adds this to every element, when set. */
  readonly add?: number;
}

parentPort?.on('message', ({ layout, add }: Request) => {
  try {
    const view = MemoryView.fromShared(layout);
    const before = view.toList();
    if (add !== undefined) {
      const [rows, cols] = view.shape;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) view.set(i, j, (view.get(i, j) as number) + add);
      }
    }
    parentPort?.postMessage({ before, readonly: view.readonly, shape: view.shape });
    view.release();
  } catch (error) {
    const e = error as Error;
    parentPort?.postMessage({ error: `${e.name}: ${e.message}` });
  }
});
