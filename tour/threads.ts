/**
 * The threads scenario: the video scenario's ten ROIs per 1080p frame, split across worker
 * threads that see the one frame through views rebuilt from `toShared()` layouts. The
 * frame lives in a `SharedArrayBuffer`; per frame, each worker is sent a frame number and
 * its ROI indices, and writes its figures into shared memory. No pixel is copied.
 */

import { Worker } from 'node:worker_threads';
import { settle } from './measure.js';
import { makeRow } from './rows.js';
import type { ThreadsJob } from './threads-worker.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';
import {
  analyseWithViews,
  FRAME_BYTES,
  FrameStats,
  type Planes,
  planeViews,
  ROI_SIZES,
  roisFor,
  Totals,
  writeFrame,
} from './video.js';

/** A worker, started and handed the frame; `run` sends a job and resolves when it is done. */
interface Helper {
  run(job: ThreadsJob): Promise<void>;
  stop(): Promise<void>;
}

async function startHelper(
  frame: SharedArrayBuffer,
  planes: Planes,
  stats: SharedArrayBuffer,
): Promise<Helper> {
  const worker = new Worker(new URL('./threads-worker.js', import.meta.url));
  let pending: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  let failure: unknown;
  worker.on('message', () => {
    const p = pending;
    pending = undefined;
    p?.resolve();
  });
  worker.on('error', (error) => {
    failure = error;
    pending?.reject(error);
  });
  const next = () =>
    new Promise<void>((resolve, reject) => {
      if (failure !== undefined) reject(failure);
      else pending = { resolve, reject };
    });
  const ready = next();
  worker.postMessage({
    frame,
    y: planes.y.toShared(),
    u: planes.u.toShared(),
    v: planes.v.toShared(),
    stats,
  });
  await ready;
  return {
    run(job) {
      const done = next();
      worker.postMessage(job);
      return done;
    },
    async stop() {
      worker.postMessage(null);
      await worker.terminate();
    },
  };
}

/**
 * The ROIs split into `n` shares of about equal area (largest first, each to the share
 * with the least so far): the ROIs' sizes differ by 2.3×.
 */
export function shares(n: number): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const order = ROI_SIZES.map(([w, h], k) => ({ k, area: w * h })).sort((a, b) => b.area - a.area);
  for (const { k, area } of order) {
    const i = load.indexOf(Math.min(...load));
    out[i].push(k);
    load[i] += area;
  }
  return out;
}

/** The threads scenario. */
export const threadsScenario: Scenario = {
  name: 'threads',
  title: 'the video ROIs split across 2 worker threads over one shared frame (toShared/fromShared)',
  run: runThreads,
};

async function runThreads(context: ScenarioContext): Promise<ScenarioResult> {
  const frames = context.quick ? 4 : 200;
  const shared = new SharedArrayBuffer(FRAME_BYTES);
  const frame = new Uint8Array(shared);
  const planes = planeViews(frame);
  const statsMemory = new SharedArrayBuffer(FrameStats.BYTES);
  const stats = new FrameStats(statsMemory);
  const helpers = [
    await startHelper(shared, planes, statsMemory),
    await startHelper(shared, planes, statsMemory),
  ];
  const split = shares(helpers.length);
  const oneThread = new Totals();
  const twoThreads = new Totals();
  let oneMs = 0;
  let twoMs = 0;
  const warm = context.quick ? 1 : 10;
  context.log(`threads: ${frames} frames, one thread and then ${helpers.length} workers, in turns`);
  try {
    for (let f = -warm; f < frames; f++) {
      writeFrame(frame, Math.max(f, 0));
      const rois = roisFor(Math.max(f, 0));
      const t0 = performance.now();
      analyseWithViews(planes, frame, rois, 'strided', stats);
      const t1 = performance.now();
      if (f >= 0) {
        oneMs += t1 - t0;
        oneThread.add(stats);
      }
      stats.ySum.fill(Number.NaN);
      const t2 = performance.now();
      await Promise.all(helpers.map((h, i) => h.run({ frame: Math.max(f, 0), rois: split[i] })));
      const t3 = performance.now();
      if (f >= 0) {
        twoMs += t3 - t2;
        twoThreads.add(stats);
      }
    }
  } finally {
    for (const h of helpers) await h.stop();
    planes.release();
  }
  await settle();
  const oneFps = frames / (oneMs / 1000);
  const twoFps = frames / (twoMs / 1000);
  const speedUp = twoFps / oneFps;
  const ok = oneThread.equals(twoThreads);
  return {
    name: 'threads',
    title: threadsScenario.title,
    available: true,
    rows: [
      makeRow({
        scenario: 'threads',
        label: `frames/s, 10 ROIs split over ${helpers.length} worker threads (vs one thread)`,
        unit: 'frames/s',
        better: 'higher',
        memview: twoFps,
        baseline: oneFps,
        python: null,
        claim: 'one frame, many threads, no copies',
        target: '≥ 1.6× one thread',
        met: speedUp >= 1.6,
        note: `speed-up ${speedUp.toFixed(2)}× with ${helpers.length} workers on ${helpers.length} cores; each frame's message is a frame number and ROI indices`,
      }),
      makeRow({
        scenario: 'threads',
        label: 'pixel bytes copied to the workers per frame',
        unit: 'B/frame',
        better: 'lower',
        memview: 0,
        baseline: FRAME_BYTES,
        python: null,
        claim: '0 B (postMessage of an unshared frame copies it)',
        target: '0',
        met: ok,
        note: 'the workers read the frame and write their figures through shared memory: the figures agree with one thread only if they saw the same bytes',
      }),
    ],
    check: {
      ok,
      description:
        'the workers, reading the shared frame through rebuilt views, give the same Y/U/V sums and histograms as one thread, frame by frame',
      values: {
        frames,
        ySum: oneThread.ySum,
        histWeight: oneThread.histWeight,
        workersAgree: ok,
      },
    },
    details: { frames, workers: helpers.length, oneThreadFps: oneFps, workersFps: twoFps, speedUp },
  };
}
