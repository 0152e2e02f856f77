/**
 * A worker of the threads scenario: it rebuilds the frame's plane views from their shared
 * layouts once, then, for each frame it is told about, analyses its share of the ROIs in
 * place and writes the figures into the shared `FrameStats`. Nothing but a frame number and
 * ROI indices crosses per frame.
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
}

/** Each later message: analyse ROIs `rois` of frame `frame`. */
export interface ThreadsJob {
  readonly frame: number;
  readonly rois: readonly number[];
}

let planes: Planes | undefined;
let frameBytes: Uint8Array | undefined;
let stats: FrameStats | undefined;

parentPort?.on('message', (message: ThreadsInit | ThreadsJob | null) => {
  if (message === null) {
    planes?.release();
    parentPort?.close();
    return;
  }
  if ('stats' in message) {
    const y = MemoryView.fromShared(message.y);
    const u = MemoryView.fromShared(message.u);
    const v = MemoryView.fromShared(message.v);
    planes = {
      y,
      u,
      v,
      release() {
        for (const view of [y, u, v]) view.release();
      },
    };
    frameBytes = new Uint8Array(message.frame);
    stats = new FrameStats(message.stats);
    parentPort?.postMessage('ready');
    return;
  }
  if (planes === undefined || frameBytes === undefined || stats === undefined) {
    throw new Error('threads worker: a job before the frame was shared');
  }
  const rois = roisFor(message.frame);
  for (const k of message.rois)
    analyseRoiWithViews(planes, frameBytes, rois[k], k, 'strided', stats);
  parentPort?.postMessage('done');
});
