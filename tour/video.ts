/**
 * Scenario `video`: the article's camera pipeline. Synthetic 1920×1080 YUV420p frames — a
 * moving pattern and a moving bright square, written each frame into one reused frame
 * buffer — and ten regions of interest per frame, each a 2-D strided view of the Y plane
 * (`memoryview(y).cast('B', [1080, 1920]).sub([r0, r1], [c0, c1])`) and the matching
 * quarter-size views of the U and V planes. Per ROI: the mean luma, a 16-bin luma
 * histogram, and the mean of U and V.
 *
 * memview's way reads the pixels where they are, through the views: never a copy. The
 * copying way copies each region out (one new Uint8Array per plane per ROI, row by row)
 * and analyses the copy. Both produce the same figures, checked against each other.
 *
 * The article: "60fps … ten concurrent detection zones … only 12MB of heap memory,
 * compared to the 60MB … with copying semantics", and ROIs of 500 KB–1 MB each.
 */

import { type MemoryView, memoryview } from '../src/index.js';
import { type AllocationProbe, MemoryPeak, probeAllocations, settle } from './measure.js';
import { makeRow, pythonAgrees, pythonCheckValues, pythonFigure } from './rows.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** Frame width and height (luma), in pixels. */
export const WIDTH = 1920;
export const HEIGHT = 1080;
/** Bytes of a YUV420p frame: the Y plane, then U and V at half width and half height. */
export const FRAME_BYTES = (WIDTH * HEIGHT * 3) / 2;
const Y_BYTES = WIDTH * HEIGHT;
const C_BYTES = Y_BYTES / 4;
/** Side of the moving bright square, and its luma. */
const BOX = 240;
const BOX_LUMA = 235;
/** Histogram bins of luma (16 bins of 16 values). */
export const BINS = 16;

/** The sizes (width, height) of the ten ROIs: 460 kB to 1.04 MB of Y+U+V each. */
export const ROI_SIZES: readonly (readonly [number, number])[] = [
  [640, 480],
  [720, 540],
  [800, 600],
  [960, 720],
  [640, 360],
  [768, 576],
  [512, 512],
  [864, 486],
  [704, 528],
  [600, 600],
];

/** A region of interest in luma pixels; all four are even, so chroma halves are exact. */
export interface Roi {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where ROI `k` is in frame `f`: each drifts at its own speed, always inside the frame. */
export function roisFor(frame: number): Roi[] {
  return ROI_SIZES.map(([width, height], k) => ({
    x: ((k * 173 + frame * (4 + k)) % (WIDTH - width)) & ~1,
    y: ((k * 97 + frame * (2 + k)) % (HEIGHT - height)) & ~1,
    width,
    height,
  }));
}

/**
 * The 256 possible rows of a plane of `width` bytes: row `o`, byte `c` is
 * `((o + c) * mul) & 255`. Made once, so writing a frame allocates nothing.
 */
function rowTable(width: number, mul: number): Uint8Array[] {
  return Array.from({ length: 256 }, (_, o) =>
    Uint8Array.from({ length: width }, (_, c) => ((o + c) * mul) & 255),
  );
}
const Y_ROWS = rowTable(WIDTH, 1);
const U_ROWS = rowTable(WIDTH / 2, 2);
const V_ROWS = rowTable(WIDTH / 2, 3);

/**
 * Writes frame `f` into `frame` (the camera's reused buffer):
 * - `Y[r][c] = (c + ((3r + 5f) & 255)) & 255`, then a 240×240 square of luma 235 at
 *   `((16f) % 1680, (8f) % 840)`;
 * - `U[r][c] = (2 * (c + ((r + 2f) & 255))) & 255`;
 * - `V[r][c] = (3 * (c + ((r + 7f) & 255))) & 255`.
 * Each row is one copy from a table of the 256 possible rows: about one frame of memcpy,
 * and no allocation (the memory figures are the analysis's alone).
 */
export function writeFrame(frame: Uint8Array, f: number): void {
  for (let r = 0; r < HEIGHT; r++) frame.set(Y_ROWS[(3 * r + 5 * f) & 255], r * WIDTH);
  const bx = (16 * f) % (WIDTH - BOX);
  const by = (8 * f) % (HEIGHT - BOX);
  for (let r = by; r < by + BOX; r++) frame.fill(BOX_LUMA, r * WIDTH + bx, r * WIDTH + bx + BOX);
  const cw = WIDTH / 2;
  for (let r = 0; r < HEIGHT / 2; r++) {
    frame.set(U_ROWS[(r + 2 * f) & 255], Y_BYTES + r * cw);
    frame.set(V_ROWS[(r + 7 * f) & 255], Y_BYTES + C_BYTES + r * cw);
  }
}

/** The three planes of a frame buffer as 2-D views (no copy). */
export interface Planes {
  readonly y: MemoryView;
  readonly u: MemoryView;
  readonly v: MemoryView;
  release(): void;
}

/** `memoryview(frame)` cut into its planes: Y `[1080, 1920]`, U and V `[540, 960]`. */
export function planeViews(frame: Uint8Array): Planes {
  const whole = memoryview(frame);
  const y = whole.slice(0, Y_BYTES).cast('B', [HEIGHT, WIDTH]);
  const u = whole.slice(Y_BYTES, Y_BYTES + C_BYTES).cast('B', [HEIGHT / 2, WIDTH / 2]);
  const v = whole.slice(Y_BYTES + C_BYTES).cast('B', [HEIGHT / 2, WIDTH / 2]);
  return {
    y,
    u,
    v,
    release() {
      for (const view of [y, u, v, whole]) view.release();
    },
  };
}

/**
 * The figures of one frame's ROIs, in storage reused from frame to frame: for ROI `k`,
 * `ySum[k]`, `uSum[k]`, `vSum[k]` and the bins `hist[k * 16 … k * 16 + 15]`.
 */
export class FrameStats {
  readonly ySum: Float64Array;
  readonly uSum: Float64Array;
  readonly vSum: Float64Array;
  readonly hist: Uint32Array;

  /** In their own memory, or in `memory` (`FrameStats.BYTES`), which threads can share. */
  constructor(memory: ArrayBufferLike = new ArrayBuffer(FrameStats.BYTES)) {
    const n = ROI_SIZES.length;
    this.ySum = new Float64Array(memory, 0, n);
    this.uSum = new Float64Array(memory, 8 * n, n);
    this.vSum = new Float64Array(memory, 16 * n, n);
    this.hist = new Uint32Array(memory, 24 * n, n * BINS);
  }

  /** The bytes a `FrameStats` takes. */
  static readonly BYTES = ROI_SIZES.length * (24 + 4 * BINS);

  /** Mean luma of ROI `k`. */
  meanY(k: number, roi: Roi): number {
    return this.ySum[k] / (roi.width * roi.height);
  }

  /** Mean U (`plane` 'u') or V ('v') of ROI `k`'s chroma region. */
  meanChroma(k: number, roi: Roi, plane: 'u' | 'v'): number {
    const sum = plane === 'u' ? this.uSum[k] : this.vSum[k];
    return sum / ((roi.width / 2) * (roi.height / 2));
  }

  /** The 16 bins of ROI `k`. */
  bins(k: number): number[] {
    return Array.from(this.hist.subarray(k * BINS, k * BINS + BINS));
  }
}

/** Running totals over every frame and ROI, to show two ways did the same work. */
export class Totals {
  ySum = 0;
  uSum = 0;
  vSum = 0;
  /** Σ hist[b] · (b + 1): sensitive to which bin each pixel went to. */
  histWeight = 0;

  add(stats: FrameStats): void {
    for (let k = 0; k < ROI_SIZES.length; k++) {
      this.ySum += stats.ySum[k];
      this.uSum += stats.uSum[k];
      this.vSum += stats.vSum[k];
      for (let b = 0; b < BINS; b++) this.histWeight += stats.hist[k * BINS + b] * (b + 1);
    }
  }

  equals(other: Totals): boolean {
    return (
      this.ySum === other.ySum &&
      this.uSum === other.uSum &&
      this.vSum === other.vSum &&
      this.histWeight === other.histWeight
    );
  }
}

/**
 * Adds to `counts` the `rows × cols` bytes of `bytes` from `start`, rows `rowStride` apart
 * and columns `colStride` apart: a count per byte value, in two interleaved tables of 256
 * (even and odd columns, so runs of one value do not wait on one counter). A 256-bin count
 * is the full-resolution histogram: the sum and the 16 bins both follow from it.
 */
function countRegion(
  bytes: Uint8Array,
  start: number,
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
  counts: Int32Array,
): void {
  for (let r = 0, row = start; r < rows; r++, row += rowStride) {
    if (colStride === 1) {
      const end = row + cols;
      let p = row;
      for (; p + 1 < end; p += 2) {
        counts[bytes[p]]++;
        counts[256 | bytes[p + 1]]++;
      }
      if (p < end) counts[bytes[p]]++;
    } else {
      for (let c = 0, p = row; c < cols; c++, p += colStride) counts[bytes[p]]++;
    }
  }
}

/** Sums the `rows × cols` bytes of `bytes` from `start` (strides as in `countRegion`). */
function sumRegion(
  bytes: Uint8Array,
  start: number,
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let r = 0, row = start; r < rows; r++, row += rowStride) {
    if (colStride === 1) {
      const end = row + cols;
      let p = row;
      for (; p + 3 < end; p += 4) {
        a += bytes[p];
        b += bytes[p + 1];
        c += bytes[p + 2];
        d += bytes[p + 3];
      }
      for (; p < end; p++) a += bytes[p];
    } else {
      for (let i = 0, p = row; i < cols; i++, p += colStride) a += bytes[p];
    }
  }
  return a + b + c + d;
}

/** The two 256-bin tables of the luma count (one analysis runs at a time). */
const scratch = new Int32Array(512);

/** Folds the count tables into 16 bins of `hist` at `histAt`, clears them, returns the sum. */
function foldCounts(counts: Int32Array, hist: Uint32Array, histAt: number): number {
  let sum = 0;
  for (let value = 0; value < 256; value++) {
    const n = counts[value] + counts[256 | value];
    sum += value * n;
    hist[histAt + (value >> 4)] += n;
  }
  counts.fill(0);
  return sum;
}

/** How memview's way reads a ROI view's pixels (both read in place; neither copies). */
export type ViewReading = 'strided' | 'rows';

/**
 * Reads the pixels of a 2-D byte view without copying them, adding each to `counts` (luma)
 * or to the returned sum (`counts` null: chroma).
 * - `strided`: the exporter's own bytes (`frameBytes`, the frame buffer the planes were
 *   made from) indexed with the view's geometry: `byteOffset`, `strides`, `shape`;
 * - `rows`: each row `view.sub(r).toTypedArray()`, a zero-copy Uint8Array of that row.
 */
export function readView(
  view: MemoryView,
  reading: ViewReading,
  frameBytes: Uint8Array,
  counts: Int32Array | null,
): number {
  if (reading === 'strided') {
    const [rows, cols] = view.shape;
    const [rowStride, colStride] = view.strides;
    const start = view.byteOffset - frameBytes.byteOffset;
    if (counts === null) return sumRegion(frameBytes, start, rows, cols, rowStride, colStride);
    countRegion(frameBytes, start, rows, cols, rowStride, colStride, counts);
    return 0;
  }
  let sum = 0;
  const rows = view.length;
  for (let r = 0; r < rows; r++) {
    const rowView = view.sub(r);
    const row = rowView.toTypedArray() as Uint8Array;
    if (counts === null) sum += sumRegion(row, 0, 1, row.length, 0, 1);
    else countRegion(row, 0, 1, row.length, 0, 1, counts);
    rowView.release();
  }
  return sum;
}

/** ROI `k` of a frame through views: Y, U and V views of the planes, read in place. */
export function analyseRoiWithViews(
  planes: Planes,
  frameBytes: Uint8Array,
  roi: Roi,
  k: number,
  reading: ViewReading,
  stats: FrameStats,
): void {
  const { x, y, width, height } = roi;
  const yRoi = planes.y.sub([y, y + height], [x, x + width]);
  const uRoi = planes.u.sub([y / 2, (y + height) / 2], [x / 2, (x + width) / 2]);
  const vRoi = planes.v.sub([y / 2, (y + height) / 2], [x / 2, (x + width) / 2]);
  stats.hist.fill(0, k * BINS, k * BINS + BINS);
  readView(yRoi, reading, frameBytes, scratch);
  stats.ySum[k] = foldCounts(scratch, stats.hist, k * BINS);
  stats.uSum[k] = readView(uRoi, reading, frameBytes, null);
  stats.vSum[k] = readView(vRoi, reading, frameBytes, null);
  yRoi.release();
  uRoi.release();
  vRoi.release();
}

/** One frame's analysis through views. */
export function analyseWithViews(
  planes: Planes,
  frameBytes: Uint8Array,
  rois: readonly Roi[],
  reading: ViewReading,
  stats: FrameStats,
): void {
  for (let k = 0; k < rois.length; k++) {
    analyseRoiWithViews(planes, frameBytes, rois[k], k, reading, stats);
  }
}

/** Copies a region of a plane out: a new Uint8Array, one `set` per row. */
export function copyRegion(
  frame: Uint8Array,
  planeStart: number,
  planeWidth: number,
  roi: Roi,
): Uint8Array {
  const out = new Uint8Array(roi.width * roi.height);
  for (let r = 0; r < roi.height; r++) {
    const from = planeStart + (roi.y + r) * planeWidth + roi.x;
    out.set(frame.subarray(from, from + roi.width), r * roi.width);
  }
  return out;
}

/** ROI `k` the copying way: its Y, U and V copied out, then read. */
export function analyseRoiWithCopies(
  frame: Uint8Array,
  roi: Roi,
  k: number,
  stats: FrameStats,
): void {
  const chroma = { x: roi.x / 2, y: roi.y / 2, width: roi.width / 2, height: roi.height / 2 };
  const y = copyRegion(frame, 0, WIDTH, roi);
  const u = copyRegion(frame, Y_BYTES, WIDTH / 2, chroma);
  const v = copyRegion(frame, Y_BYTES + C_BYTES, WIDTH / 2, chroma);
  stats.hist.fill(0, k * BINS, k * BINS + BINS);
  countRegion(y, 0, roi.height, roi.width, roi.width, 1, scratch);
  stats.ySum[k] = foldCounts(scratch, stats.hist, k * BINS);
  stats.uSum[k] = sumRegion(u, 0, chroma.height, chroma.width, chroma.width, 1);
  stats.vSum[k] = sumRegion(v, 0, chroma.height, chroma.width, chroma.width, 1);
}

/** One frame's analysis the copying way. */
export function analyseWithCopies(
  frame: Uint8Array,
  rois: readonly Roi[],
  stats: FrameStats,
): void {
  for (let k = 0; k < rois.length; k++) analyseRoiWithCopies(frame, rois[k], k, stats);
}

/** Bytes the copying way copies for one frame's ROIs (Y + U + V). */
export function bytesCopiedPerFrame(rois: readonly Roi[]): number {
  let n = 0;
  for (const roi of rois) n += (roi.width * roi.height * 3) / 2;
  return n;
}

type Analyse = (rois: readonly Roi[], stats: FrameStats) => void;

/**
 * One way of analysing, run over segments of frames: the ways take turns segment by
 * segment, so a slow patch of a noisy machine does not land on one way only.
 */
class WayRun {
  readonly #analyse: Analyse;
  /** The figures of the last frame analysed. */
  readonly stats = new FrameStats();
  readonly totals = new Totals();
  #frames = 0;
  #analysisMs = 0;
  #totalMs = 0;
  readonly #segmentPeaks: number[] = [];

  constructor(analyse: Analyse) {
    this.#analyse = analyse;
  }

  /** Analyses frames `from` … `to - 1` of `frame` (written here), timing the analysis. */
  async segment(frame: Uint8Array, from: number, to: number): Promise<void> {
    await settle();
    const peak = new MemoryPeak();
    const t0 = performance.now();
    for (let f = from; f < to; f++) {
      writeFrame(frame, f);
      const rois = roisFor(f);
      const a0 = performance.now();
      this.#analyse(rois, this.stats);
      this.#analysisMs += performance.now() - a0;
      this.totals.add(this.stats);
      peak.sample();
    }
    this.#totalMs += performance.now() - t0;
    this.#frames += to - from;
    this.#segmentPeaks.push(peak.peakGrowth);
  }

  /** Analyses a few frames uncounted, so the code is compiled before it is timed. */
  warmUp(frame: Uint8Array): void {
    const stats = new FrameStats();
    for (let f = 0; f < 3; f++) {
      writeFrame(frame, f);
      this.#analyse(roisFor(f), stats);
    }
  }

  /** Frames per second of the analysis (frame synthesis excluded). */
  get fps(): number {
    return this.#frames / (this.#analysisMs / 1000);
  }

  /** Frames per second with the synthesis of each frame counted too. */
  get fpsWithSynthesis(): number {
    return this.#frames / (this.#totalMs / 1000);
  }

  /** Peak growth of JS heap + ArrayBuffer memory within a segment, in bytes. */
  get peakGrowth(): number {
    return Math.max(0, ...this.#segmentPeaks);
  }

  /** The peak growth of each segment, in MB, as text ("2.1, 1.9, …"). */
  get segmentPeaks(): string {
    return this.#segmentPeaks.map((bytes) => (bytes / 1e6).toFixed(1)).join(', ');
  }
}

/** The video scenario. */
export const videoScenario: Scenario = {
  name: 'video',
  title: '1080p YUV420p frames, ten ROIs per frame as strided views: mean, histogram',
  run: runVideo,
};

async function runVideo(context: ScenarioContext): Promise<ScenarioResult> {
  const frames = context.quick ? 4 : 300;
  const frame = new Uint8Array(FRAME_BYTES);
  const planes = planeViews(frame);
  const strided = new WayRun((rois, stats) =>
    analyseWithViews(planes, frame, rois, 'strided', stats),
  );
  const rows = new WayRun((rois, stats) => analyseWithViews(planes, frame, rois, 'rows', stats));
  const copies = new WayRun((rois, stats) => analyseWithCopies(frame, rois, stats));
  const ways = [strided, rows, copies];
  for (const way of ways) way.warmUp(frame);
  const rounds = context.quick ? 1 : 5;
  context.log(
    `video: ${frames} frames × 3 ways (views read strided, views read row by row, copies), in ${rounds} turns`,
  );
  for (let round = 0; round < rounds; round++) {
    const from = Math.floor((round * frames) / rounds);
    const to = Math.floor(((round + 1) * frames) / rounds);
    for (const way of ways) await way.segment(frame, from, to);
  }
  await settle();

  // Bytes copied per ROI, measured: the ArrayBuffer (and JS heap) bytes allocated while
  // analysing all ten ROIs of frame 0, divided by ten. Reading row by row allocates too
  // much for a whole frame to fit between two collections, so it is probed a ROI at a time.
  writeFrame(frame, 0);
  const rois0 = roisFor(0);
  const probeStats = new FrameStats();
  const perRoi = (probe: AllocationProbe, rois: number): AllocationProbe => ({
    heapBytes: probe.heapBytes / rois,
    arrayBufferBytes: probe.arrayBufferBytes / rois,
    operations: probe.operations,
  });
  const probeFrame = async (analyse: Analyse) =>
    perRoi(
      await probeAllocations((n) => {
        for (let i = 0; i < n; i++) analyse(rois0, probeStats);
      }, 1),
      rois0.length,
    );
  const viewAlloc = await probeFrame((rois, stats) =>
    analyseWithViews(planes, frame, rois, 'strided', stats),
  );
  const copyAlloc = await probeFrame((rois, stats) => analyseWithCopies(frame, rois, stats));
  const rowsAlloc = await probeAllocations((n) => {
    for (let i = 0; i < n; i++) {
      analyseRoiWithViews(
        planes,
        frame,
        rois0[i % rois0.length],
        i % rois0.length,
        'rows',
        probeStats,
      );
    }
  }, rois0.length);
  planes.release();
  await settle();

  context.log('video: NumPy views and copies of the same frames');
  const numpy = await context.python({
    scenario: 'video',
    runtime: 'numpy',
    params: { frames: context.quick ? 2 : 60, quick: context.quick },
  });

  const agree = strided.totals.equals(copies.totals) && rows.totals.equals(copies.totals);
  const numpyFrames = context.quick ? 2 : 60;
  // NumPy runs fewer frames; its totals are compared with ours over the same frames.
  const expectedNumpy = await totalsOver(numpyFrames);
  const ok =
    agree &&
    pythonAgrees(numpy, {
      ySum: expectedNumpy.ySum,
      uSum: expectedNumpy.uSum,
      vSum: expectedNumpy.vSum,
      histWeight: expectedNumpy.histWeight,
    });
  const mb = (bytes: number) => bytes / 1e6;
  const copiedPerRoi = copyAlloc.arrayBufferBytes;
  const rowsNote = `read row by row instead (a view and a TypedArray per row, sub(r).toTypedArray()): ${rows.fps.toFixed(0)} frames/s, ${mb(rows.peakGrowth).toFixed(1)} MB peak, ${(rowsAlloc.heapBytes / 1e3).toFixed(0)} kB of JS heap allocated per ROI (strided: ${(viewAlloc.heapBytes / 1e3).toFixed(1)} kB)`;
  const tableRows = [
    makeRow({
      scenario: 'video',
      label: 'frames/s, 10 ROIs: Y mean + 16-bin histogram, U/V means',
      unit: 'frames/s',
      better: 'higher',
      memview: strided.fps,
      baseline: copies.fps,
      python: pythonFigure(numpy, 'viewFps', 'copyFps'),
      claim: '60 fps, ten detection zones',
      target: '≥ 60 frames/s',
      met: strided.fps >= 60,
      note: rowsNote,
    }),
    makeRow({
      scenario: 'video',
      label: 'peak memory growth (JS heap + ArrayBuffers)',
      unit: 'MB',
      better: 'lower',
      memview: mb(strided.peakGrowth),
      baseline: mb(copies.peakGrowth),
      python: null,
      claim: '12 MB vs 60 MB copying',
      target: '≤ 12 MB',
      met: mb(strided.peakGrowth) <= 12,
    }),
    makeRow({
      scenario: 'video',
      label: 'bytes copied per ROI (ArrayBuffer B allocated)',
      unit: 'B/ROI',
      better: 'lower',
      memview: viewAlloc.arrayBufferBytes,
      baseline: copiedPerRoi,
      python: null,
      claim: '0 B copied (copies: 0.5–1 MB/ROI)',
      target: '0',
      met: viewAlloc.arrayBufferBytes === 0 && rowsAlloc.arrayBufferBytes === 0,
    }),
  ];
  const k0 = 0;
  return {
    name: 'video',
    title: videoScenario.title,
    available: true,
    rows: tableRows,
    check: {
      ok,
      description:
        'views (strided and row by row), copies (and NumPy) give the same Y/U/V sums and histograms over every frame and ROI',
      values: {
        frames,
        ySum: copies.totals.ySum,
        uSum: copies.totals.uSum,
        vSum: copies.totals.vSum,
        histWeight: copies.totals.histWeight,
        stridedAgrees: strided.totals.equals(copies.totals),
        rowsAgree: rows.totals.equals(copies.totals),
        lastFrameRoi0MeanY: strided.stats.meanY(k0, roisFor(frames - 1)[k0]),
        ...pythonCheckValues(numpy, 'numpy'),
      },
    },
    details: {
      frames,
      stridedFps: strided.fps,
      rowsFps: rows.fps,
      copyFps: copies.fps,
      stridedFpsWithSynthesis: strided.fpsWithSynthesis,
      copyFpsWithSynthesis: copies.fpsWithSynthesis,
      stridedPeakMB: mb(strided.peakGrowth),
      rowsPeakMB: mb(rows.peakGrowth),
      copyPeakMB: mb(copies.peakGrowth),
      stridedSegmentPeaksMB: strided.segmentPeaks,
      rowsSegmentPeaksMB: rows.segmentPeaks,
      copySegmentPeaksMB: copies.segmentPeaks,
      stridedHeapBytesPerRoi: viewAlloc.heapBytes,
      rowsHeapBytesPerRoi: rowsAlloc.heapBytes,
      copyHeapBytesPerRoi: copyAlloc.heapBytes,
      copyArrayBufferBytesPerRoi: copyAlloc.arrayBufferBytes,
      bytesCopiedPerFrame: bytesCopiedPerFrame(rois0),
    },
  };
}

/** Totals of frames 0…n-1 through views: what the NumPy side must reproduce. */
async function totalsOver(n: number): Promise<Totals> {
  const frame = new Uint8Array(FRAME_BYTES);
  const planes = planeViews(frame);
  const stats = new FrameStats();
  const totals = new Totals();
  for (let f = 0; f < n; f++) {
    writeFrame(frame, f);
    analyseWithViews(planes, frame, roisFor(f), 'strided', stats);
    totals.add(stats);
  }
  planes.release();
  await settle();
  return totals;
}
