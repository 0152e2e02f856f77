/**
 * A worker of the threads scenario: it rebuilds the frame's plane views from their shared
 * layouts once, then, each time it is signalled, takes ROIs of the frame one at a time
 * from a counter it shares with the other threads (`Atomics.add`), analyses each in place
 * and writes its figures into its own shared `FrameStats`. Nothing but a frame number
 * crosses per frame.
 */

import { parentPort } from 'node:worker_threads';
import { MemoryView, type SharedViewLayout } from '../src/index.js';
import {
  analyseRoiWithViews,
  FrameStats,
  type Planes,
  ROI_SIZES,
  type Roi,
  roisFor,
} from './video.js';

/**
 * Slots of a worker's control array (`Int32Array` of `CONTROL_BYTES`), each on a 64-byte
 * cache line of its own, so that a thread writing one does not take the line another
 * thread is polling: `JOB` moves to start a job (-1 ends the worker), `FRAME` is the
 * frame's number, `DONE` is set to the job once the worker is done.
 */
export const JOB = 0;
export const FRAME = 16;
export const DONE = 32;
/** Bytes of a control array (and of a timing array). */
export const CONTROL_BYTES = 192;
/**
 * The ROI counter the threads of one split share (`Int32Array` of `COUNTER_BYTES`, the
 * counter in slot 0 and nothing else on its cache line): the ROIs taken so far this frame.
 */
export const COUNTER_BYTES = 64;
/** The slot of the timing array (`Float64Array`) where the worker notes when it woke. */
export const WOKE = 0;

/** How long a thread polls for a change before it sleeps on the futex, in ms. */
export const SPIN_MS = 0.2;

/**
 * The ROIs in the order threads take them: largest first, so that the last ones taken,
 * while the other thread finishes, are the smallest (the threads end close together).
 */
export const ROI_ORDER: readonly number[] = ROI_SIZES.map(([w, h], k) => ({ k, area: w * h }))
  .sort((a, b) => b.area - a.area)
  .map(({ k }) => k);

/** The first message: where the frame, its planes and the figures are. */
export interface ThreadsInit {
  readonly frame: SharedArrayBuffer;
  readonly y: SharedViewLayout;
  readonly u: SharedViewLayout;
  readonly v: SharedViewLayout;
  /** This worker's own `FrameStats` memory: no other thread writes there. */
  readonly stats: SharedArrayBuffer;
  /** This worker's control array (see `JOB`), shared with the thread that signals it. */
  readonly control: SharedArrayBuffer;
  /** The ROI counter (see `COUNTER_BYTES`), shared with the other threads of the split. */
  readonly counter: SharedArrayBuffer;
  /** Where the worker notes when it woke for a job (`performance.timeOrigin` + now). */
  readonly timing: SharedArrayBuffer;
}

/**
 * Waits until `control[slot]` is no longer `seen` and returns the new value: polls for
 * `spinMs` first, then sleeps on the futex.
 */
export function waitChange(
  control: Int32Array,
  slot: number,
  seen: number,
  spinMs: number,
): number {
  if (spinMs > 0) {
    const until = performance.now() + spinMs;
    do {
      const now = Atomics.load(control, slot);
      if (now !== seen) return now;
    } while (performance.now() < until);
  }
  for (;;) {
    Atomics.wait(control, slot, seen);
    const now = Atomics.load(control, slot);
    if (now !== seen) return now;
  }
}

/**
 * Analyses ROIs of `rois` taken one at a time from `counter[0]` until none is left: the
 * threads sharing the counter split the frame between them as they go.
 */
export function takeRois(
  counter: Int32Array,
  planes: Planes,
  frameBytes: Uint8Array,
  rois: readonly Roi[],
  stats: FrameStats,
): void {
  for (let i = Atomics.add(counter, 0, 1); i < ROI_ORDER.length; i = Atomics.add(counter, 0, 1)) {
    const k = ROI_ORDER[i];
    analyseRoiWithViews(planes, frameBytes, rois[k], k, 'strided', stats);
  }
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
  parentPort?.postMessage('ready');
  serve(
    new Int32Array(message.control),
    new Int32Array(message.counter),
    new Float64Array(message.timing),
    planes,
    new Uint8Array(message.frame),
    new FrameStats(message.stats),
  );
});

/** Waits for jobs on `control` and runs them until the job is -1 (see `JOB`). */
function serve(
  control: Int32Array,
  counter: Int32Array,
  timing: Float64Array,
  planes: Planes,
  frameBytes: Uint8Array,
  stats: FrameStats,
): void {
  const origin = performance.timeOrigin;
  let seen = 0;
  for (;;) {
    const job = waitChange(control, JOB, seen, SPIN_MS);
    if (job === -1) break;
    timing[WOKE] = origin + performance.now();
    seen = job;
    takeRois(counter, planes, frameBytes, roisFor(Atomics.load(control, FRAME)), stats);
    Atomics.store(control, DONE, job);
    Atomics.notify(control, DONE);
  }
  planes.release();
}
