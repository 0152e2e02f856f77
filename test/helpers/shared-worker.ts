/**
 * A worker for the shared-view tests: rebuilds the view it is sent with
 * `MemoryView.fromShared` and answers with what it read, after writing where asked.
 */

import { parentPort } from 'node:worker_threads';
import { answerSharedView, type SharedViewRequest } from './shared-view.js';

parentPort?.on('message', (request: SharedViewRequest) => {
  parentPort?.postMessage(answerSharedView(request));
});
