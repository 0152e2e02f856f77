/**
 * A worker of the threads scenario: it rebuilds the frame's plane views from their shared
 * layouts once, then, each time it is signalled, analyses its share of the ROIs of the
 * frame in place and writes the figures into the shared `FrameStats`. Nothing but a frame
 * number crosses per frame.
 */

import { parentPort } from 'node:worker_threads';
import { MemoryView, type SharedViewLayout } from '../src/index.js';
import { analyseRoiWithViews, FrameStats, type Planes, roisFor } from './video.js';

/** The first message: where the frame, its planes and the figures are. */
export interface ThreadsInit {
  readonly frame: SharedArrayBuffer;
  readonly y: SharedViewLayout;
  readonly u: SharedViewLayout;
  readonly v: SharedViewLayout;
  readonly stats: SharedArrayBuffer;
  /**
   * Where jobs are signalled, with `Atomics` instead of messages (a futex wakes a waiting
   * thread sooner than a message port): `[job, frame, done]`. The worker analyses ROIs
   * `rois` of frame `control[1]` each time `control[0]` moves, then sets `control[2]` to
   * it; a job of -1 ends the loop.
   */
  readonly control: SharedArrayBuffer;
  readonly rois: readonly number[];
}

parentPort?.once('message', (message: ThreadsInit) => {
  const y = MemoryView.fromShared(message.y);
  const u = MemoryView.fromShared(message.u);
  const v = MemoryView.fromShared(message.v);
  const planes: Planes = {
    y,
    u,
    v,
    release() {
      for (const view of [y, u, v]) view.release();
    },
  };
  const stats = new FrameStats(message.stats);
  parentPort?.postMessage('ready');
  serve(
    new Int32Array(message.control),
    message.rois,
    planes,
    new Uint8Array(message.frame),
    stats,
  );
});

/** Waits for jobs on `control` and runs them until the job is -1 (see `ThreadsInit`). */
function serve(
  control: Int32Array,
  share: readonly number[],
  planes: Planes,
  frameBytes: Uint8Array,
  stats: FrameStats,
): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const job = Atomics.load(control, 0);
    if (job === -1) break;
    seen = job;
    const rois = roisFor(Atomics.load(control, 1));
    for (const k of share) analyseRoiWithViews(planes, frameBytes, rois[k], k, 'strided', stats);
    Atomics.store(control, 2, job);
    Atomics.notify(control, 2);
  }
  planes.release();
}
