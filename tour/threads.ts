/**
 * The threads scenario: the video scenario's ten ROIs per 1080p frame, split between
 * threads that see the one frame through views rebuilt from `toShared()` layouts. The
 * frame lives in a `SharedArrayBuffer`; per frame, each worker is told a frame number
 * through `Atomics`, takes ROIs from a counter it shares with the other threads, and
 * writes its figures into its own shared memory. No pixel is copied.
 */

import { Worker } from 'node:worker_threads';
import { median } from '../bench/harness.js';
import { settle } from './measure.js';
import { makeRow } from './rows.js';
import {
  CONTROL_BYTES,
  COUNTER_BYTES,
  DONE,
  FRAME,
  JOB,
  type ThreadsInit,
  takeRois,
  WOKE,
  waitChange,
} from './threads-worker.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';
import {
  BINS,
  FRAME_BYTES,
  FrameStats,
  type Planes,
  planeViews,
  ROI_SIZES,
  roisFor,
  Totals,
  writeFrame,
} from './video.js';

/** A worker, started and handed the frame. */
interface Helper {
  /** The worker's figures (only the ROIs it took are written). */
  readonly stats: FrameStats;
  /** Starts the worker on frame `frame`. */
  start(frame: number): void;
  /** Blocks until the job `start` gave is done, polling for `spinMs` before sleeping. */
  finish(spinMs: number): void;
  /** When the worker woke for the last job (`performance.timeOrigin` + now). */
  readonly woke: number;
  stop(): Promise<void>;
}

async function startHelper(
  frame: SharedArrayBuffer,
  planes: Planes,
  counter: Int32Array,
): Promise<Helper> {
  const worker = new Worker(new URL('./threads-worker.js', import.meta.url));
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  const timing = new Float64Array(new SharedArrayBuffer(CONTROL_BYTES));
  const statsMemory = new SharedArrayBuffer(FrameStats.BYTES);
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const init: ThreadsInit = {
    frame,
    y: planes.y.toShared(),
    u: planes.u.toShared(),
    v: planes.v.toShared(),
    stats: statsMemory,
    control: control.buffer as SharedArrayBuffer,
    counter: counter.buffer as SharedArrayBuffer,
    timing: timing.buffer as SharedArrayBuffer,
  };
  worker.postMessage(init);
  await ready;
  let job = 0;
  return {
    stats: new FrameStats(statsMemory),
    start(f) {
      Atomics.store(control, FRAME, f);
      Atomics.store(control, JOB, ++job);
      Atomics.notify(control, JOB);
    },
    finish(spinMs) {
      let done = Atomics.load(control, DONE);
      while (done !== job) done = waitChange(control, DONE, done, spinMs);
    },
    get woke() {
      return timing[WOKE];
    },
    async stop() {
      Atomics.store(control, JOB, -1);
      Atomics.notify(control, JOB);
      await worker.terminate();
    },
  };
}

/**
 * Adds each ROI's figures to `totals`, from whichever of `stats` has them (each thread
 * writes only the ROIs it took; the others' are NaN). False when a ROI was analysed by
 * no thread or by more than one.
 */
function addOnce(totals: Totals, stats: readonly FrameStats[]): boolean {
  let once = true;
  for (let k = 0; k < ROI_SIZES.length; k++) {
    const by = stats.filter((s) => !Number.isNaN(s.ySum[k]));
    if (by.length !== 1) {
      once = false;
      continue;
    }
    const s = by[0];
    totals.ySum += s.ySum[k];
    totals.uSum += s.uSum[k];
    totals.vSum += s.vSum[k];
    for (let b = 0; b < BINS; b++) totals.histWeight += s.hist[k * BINS + b] * (b + 1);
  }
  return once;
}

/** One way of analysing a frame, and what it measured. */
interface Way {
  readonly name: string;
  /** True when this thread takes ROIs too (false: it only waits for the workers). */
  readonly takes: boolean;
  /**
   * True when each thread analyses the whole frame on its own (no work is shared): two
   * independent loops, the most two threads can gain on this machine.
   */
  readonly independent: boolean;
  readonly helpers: readonly Helper[];
  /** The ROI counters: one the threads share, or one per thread when `independent`. */
  readonly counters: readonly Int32Array[];
  /** The figures over every frame: of all threads together, or of each thread when `independent`. */
  readonly totals: readonly Totals[];
  /** Every ROI analysed exactly once (by each thread when `independent`), every frame. */
  once: boolean;
  /** Per frame: wall time of the frame's analysis, ms. */
  readonly ms: number[];
  /** Per frame and worker: from the signal to the worker awake, ms. */
  readonly wakeMs: number[];
  /** Per frame: ROIs this thread took. */
  readonly mine: number[];
}

async function makeWay(
  name: string,
  takes: boolean,
  workers: number,
  start: (counter: Int32Array) => Promise<Helper>,
  independent = false,
): Promise<Way> {
  const counter = () => new Int32Array(new SharedArrayBuffer(COUNTER_BYTES));
  const shared = counter();
  const counters = [shared];
  const helpers: Helper[] = [];
  for (let i = 0; i < workers; i++) {
    const own = independent ? counter() : shared;
    if (independent) counters.push(own);
    helpers.push(await start(own));
  }
  return {
    name,
    takes,
    independent,
    helpers,
    counters,
    totals: Array.from({ length: independent ? workers + 1 : 1 }, () => new Totals()),
    once: true,
    ms: [],
    wakeMs: [],
    mine: [],
  };
}

/** The `q` quantile of `values` (nearest rank). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The threads scenario. */
export const threadsScenario: Scenario = {
  name: 'threads',
  title: 'the video ROIs split across 2 threads over one shared frame (toShared/fromShared)',
  run: runThreads,
};

/** How long this thread polls for the workers to finish before it sleeps, in ms. */
const FINISH_SPIN_MS = 2;

async function runThreads(context: ScenarioContext): Promise<ScenarioResult> {
  const frames = context.quick ? 4 : 300;
  const shared = new SharedArrayBuffer(FRAME_BYTES);
  const frame = new Uint8Array(shared);
  const planes = planeViews(frame);
  const stats = new FrameStats();
  const start = (counter: Int32Array) => startHelper(shared, planes, counter);
  // One thread; this thread and a worker; two workers while this thread sleeps. The three
  // take turns frame by frame (each frame's first turn rotates), so that each meets the
  // same machine: other processes, and a frame just written by this thread.
  const ways = [
    await makeWay('one thread', true, 0, start),
    await makeWay('this thread + 1 worker', true, 1, start),
    await makeWay('2 workers', false, 2, start),
    await makeWay('2 independent loops', true, 1, start, true),
  ];
  const [one, mainPlusOne, twoWorkers, ceiling] = ways;
  const warm = context.quick ? 1 : 30;
  const origin = performance.timeOrigin;
  context.log(`threads: ${frames} frames, ${ways.map((w) => w.name).join(', ')}, in turns`);
  try {
    for (let f = -warm; f < frames; f++) {
      const n = Math.max(f, 0); // warm-up rounds repeat frame 0
      writeFrame(frame, n);
      const rois = roisFor(n);
      for (let i = 0; i < ways.length; i++) {
        const w = ways[(i + f + warm) % ways.length];
        const all = [stats, ...w.helpers.map((h) => h.stats)];
        for (const s of all) s.ySum.fill(Number.NaN);
        for (const c of w.counters) c[0] = 0;
        const t0 = performance.now();
        for (const h of w.helpers) h.start(n);
        if (w.takes) takeRois(w.counters[0], planes, frame, rois, stats);
        // This thread polls only while it has a core to itself (the workers use both).
        for (const h of w.helpers) h.finish(w.takes ? FINISH_SPIN_MS : 0);
        const t1 = performance.now();
        if (f < 0) continue;
        w.ms.push(t1 - t0);
        for (const h of w.helpers) w.wakeMs.push(h.woke - (origin + t0));
        w.mine.push(stats.ySum.filter((x) => !Number.isNaN(x)).length);
        const once = w.independent
          ? all.every((s, j) => addOnce(w.totals[j], [s]))
          : addOnce(w.totals[0], all);
        w.once = once && w.once;
      }
    }
  } finally {
    for (const w of ways) for (const h of w.helpers) await h.stop();
    planes.release();
  }
  await settle();
  const fps = (w: Way) => 1000 / median(w.ms);
  const speedUp = (w: Way) => fps(w) / fps(one);
  const agree = ways.every((w) => w.once && w.totals.every((t) => t.equals(one.totals[0])));
  const best = speedUp(twoWorkers) > speedUp(mainPlusOne) ? twoWorkers : mainPlusOne;
  // Two threads each analysing the whole frame do twice the work: frames/s counts both.
  const ceilingFps = 2 * fps(ceiling);
  const ceilingSpeedUp = ceilingFps / fps(one);
  const note = (w: Way) =>
    `speed-up ${speedUp(w).toFixed(2)}× on 2 cores (median frame time, ${frames} frames in turns with one thread), ` +
    `where two independent loops reached ${ceilingSpeedUp.toFixed(2)}× in the same turns; ` +
    `a worker wakes ${(median(w.wakeMs) * 1000).toFixed(0)} µs after the signal (median)`;
  return {
    name: 'threads',
    title: threadsScenario.title,
    available: true,
    rows: [
      makeRow({
        scenario: 'threads',
        label: 'frames/s, 10 ROIs over this thread and 1 worker vs one thread',
        unit: 'frames/s',
        better: 'higher',
        memview: fps(mainPlusOne),
        baseline: fps(one),
        python: null,
        claim: 'one frame, many threads, no copies',
        target: '≥ 1.6× one thread',
        met: speedUp(mainPlusOne) >= 1.6,
        note: `${note(mainPlusOne)}; this thread took ${(median(mainPlusOne.mine) / ROI_SIZES.length) * 100}% of the ROIs (median)`,
      }),
      makeRow({
        scenario: 'threads',
        label: 'frames/s, 10 ROIs over 2 workers (this thread waits) vs one thread',
        unit: 'frames/s',
        better: 'higher',
        memview: fps(twoWorkers),
        baseline: fps(one),
        python: null,
        claim: 'one frame, many threads, no copies',
        target: '≥ 1.6× one thread',
        met: speedUp(twoWorkers) >= 1.6,
        note: note(twoWorkers),
      }),
      makeRow({
        scenario: 'threads',
        label:
          'frames/s, this thread and 1 worker each analysing whole frames on their own vs one thread: what 2 cores give here',
        unit: 'frames/s',
        better: 'higher',
        memview: ceilingFps,
        baseline: fps(one),
        python: null,
        claim: 'the ceiling of the rows above',
        note: 'two independent loops, no work shared and nothing handed off, in the same turns as the rows above',
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
        met: agree,
        note: 'the workers read the frame and write their figures through shared memory: the figures agree with one thread only if they saw the same bytes',
      }),
    ],
    check: {
      ok: agree,
      description:
        'every split, the workers reading the shared frame through rebuilt views, analyses each ROI exactly once and gives the same Y/U/V sums and histograms as one thread (each of the independent loops too)',
      values: {
        frames,
        ySum: one.totals[0].ySum,
        histWeight: one.totals[0].histWeight,
        workersAgree: agree,
      },
    },
    details: {
      frames,
      threads: 2,
      oneThreadFps: fps(one),
      mainPlusOneFps: fps(mainPlusOne),
      twoWorkersFps: fps(twoWorkers),
      speedUp: speedUp(best),
      mainPlusOneSpeedUp: speedUp(mainPlusOne),
      twoWorkersSpeedUp: speedUp(twoWorkers),
      ceilingSpeedUp,
      best: best.name,
      // The fastest tenth of frames: the machine at its quietest during the run.
      mainPlusOneSpeedUpP10: quantile(one.ms, 0.1) / quantile(mainPlusOne.ms, 0.1),
      twoWorkersSpeedUpP10: quantile(one.ms, 0.1) / quantile(twoWorkers.ms, 0.1),
      ceilingSpeedUpP10: (2 * quantile(one.ms, 0.1)) / quantile(ceiling.ms, 0.1),
      mainPlusOneWakeUs: median(mainPlusOne.wakeMs) * 1000,
      twoWorkersWakeUs: median(twoWorkers.wakeMs) * 1000,
      mainPlusOneRoisHere: median(mainPlusOne.mine),
    },
  };
}
