/**
 * Measuring for the tour: time per operation (median of calibrated batches), the garbage
 * collections and allocations of a run (V8's GC profiler), exact allocation per operation
 * (a probe run between two collections), and peak memory while a loop runs.
 *
 * Every figure is taken in this process, one measurement at a time; nothing runs beside
 * it (the Python side runs before or after, never during).
 */

import { GCProfiler, getHeapStatistics } from 'node:v8';
import { median } from '../bench/harness.js';

/** A sink for computed values, so V8 cannot drop the work that produced them. */
let sinkValue = 0;

/** Keeps `value` alive as far as the optimiser can tell. */
export function consume(value: number): void {
  sinkValue = (sinkValue + value) | 0;
}

/** The sink's current value (read it once at the end so the stores stay observable). */
export function sinkState(): number {
  return sinkValue;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc` (collections between measurements). */
export const canCollect = typeof collect === 'function';

/**
 * Lets the process settle before a measurement: a full collection when `--expose-gc` is
 * on, then a turn of the event loop so finalizers and pending callbacks run.
 */
export async function settle(): Promise<void> {
  collect?.();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The median and spread of a timing, in nanoseconds per operation. */
export interface OpTiming {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Timed batches. */
  readonly samples: number;
  /** Operations per batch. */
  readonly batch: number;
}

/** How long to time for. */
export interface TimingBudget {
  /** Shortest batch, in ms (the batch size is raised until a batch takes this long). */
  readonly batchMs: number;
  /** Number of timed batches (at least). */
  readonly samples: number;
}

/**
 * Nanoseconds per call of `op`: the batch size is doubled until one batch takes at least
 * `budget.batchMs`, one untimed batch warms up, then `budget.samples` batches are timed
 * and the median batch gives the figure.
 */
export function timePerOp(op: () => number, budget: TimingBudget): OpTiming {
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    runBatch(op, batch);
    const elapsed = performance.now() - t0;
    if (elapsed >= budget.batchMs || batch >= 1 << 30) break;
    batch *= elapsed <= 0 ? 16 : Math.min(16, Math.max(2, Math.ceil(budget.batchMs / elapsed)));
  }
  runBatch(op, batch);
  const perOp: number[] = [];
  for (let i = 0; i < budget.samples; i++) {
    const t0 = performance.now();
    runBatch(op, batch);
    perOp.push(((performance.now() - t0) * 1e6) / batch);
  }
  perOp.sort((a, b) => a - b);
  return {
    median: median(perOp),
    min: perOp[0],
    max: perOp[perOp.length - 1],
    samples: perOp.length,
    batch,
  };
}

function runBatch(op: () => number, n: number): void {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += op();
  consume(acc);
}

/** What the garbage collector did during a run, and what the run allocated. */
export interface GcReport {
  /** Wall time of the run, in ms. */
  readonly elapsedMs: number;
  /** Collections of the young generation (scavenges). */
  readonly minorGcs: number;
  /** Every other collection (mark-sweep-compact, incremental marking). */
  readonly majorGcs: number;
  /** Time spent in collections, in ms. */
  readonly gcMs: number;
  /**
   * Bytes allocated on the JS heap: the growth of used heap between collections, summed.
   * Exact up to V8's allocation-buffer granularity.
   */
  readonly heapAllocated: number;
  /**
   * Bytes of external memory (ArrayBuffer backing stores) allocated, counted the same way.
   * A lower bound: V8 may account a freed backing store a little after the collection.
   */
  readonly externalAllocated: number;
}

/** Runs `run` under V8's GC profiler and reports collections and allocation. */
export function trackGc<T>(run: () => T): { readonly result: T; readonly gc: GcReport } {
  const session = startGcSession();
  const result = run();
  return { result, gc: session.stop() };
}

/** `trackGc` for an asynchronous run (other work in the process is counted too). */
export async function trackGcAsync<T>(
  run: () => Promise<T>,
): Promise<{ readonly result: T; readonly gc: GcReport }> {
  const session = startGcSession();
  const result = await run();
  return { result, gc: session.stop() };
}

function startGcSession(): { stop(): GcReport } {
  const profiler = new GCProfiler();
  const before = getHeapStatistics();
  profiler.start();
  const t0 = performance.now();
  return {
    stop() {
      const elapsedMs = performance.now() - t0;
      const after = getHeapStatistics();
      const profile = profiler.stop();
      let minorGcs = 0;
      let majorGcs = 0;
      let gcMs = 0;
      let heapAllocated = 0;
      let externalAllocated = 0;
      let used = before.used_heap_size;
      let external = before.external_memory;
      for (const event of profile.statistics) {
        if (event.gcType === 'Scavenge' || event.gcType === 'MinorMarkCompact') minorGcs++;
        else majorGcs++;
        gcMs += event.cost / 1000;
        heapAllocated += Math.max(0, event.beforeGC.heapStatistics.usedHeapSize - used);
        externalAllocated += Math.max(0, event.beforeGC.heapStatistics.externalMemory - external);
        used = event.afterGC.heapStatistics.usedHeapSize;
        external = event.afterGC.heapStatistics.externalMemory;
      }
      heapAllocated += Math.max(0, after.used_heap_size - used);
      externalAllocated += Math.max(0, after.external_memory - external);
      return { elapsedMs, minorGcs, majorGcs, gcMs, heapAllocated, externalAllocated };
    },
  };
}

/** Exact bytes allocated per operation, measured between two collections. */
export interface AllocationProbe {
  /** JS heap bytes per operation (objects: views, TypedArray headers, arrays). */
  readonly heapBytes: number;
  /** ArrayBuffer bytes per operation (backing stores: copied data). */
  readonly arrayBufferBytes: number;
  /** Operations per probe run. */
  readonly operations: number;
}

/** Waits until ArrayBuffer memory stops changing: V8 frees dead backing stores concurrently. */
async function quietArrayBuffers(): Promise<void> {
  let last = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 50; i++) {
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    const now = process.memoryUsage().arrayBuffers;
    if (now === last) return;
    last = now;
  }
}

/**
 * Bytes allocated per operation by `run(n)` (which performs `n` operations): the growth of
 * the used heap and of `process.memoryUsage().arrayBuffers` across a run during which no
 * collection happened. Collections free memory, so a run without one sees every byte it
 * allocated; a backing store freed late by a past collection can only lower a reading, so
 * the largest of three clean runs is taken. Runs with a collection are retried with fewer
 * operations.
 */
export async function probeAllocations(
  run: (n: number) => void,
  operations: number,
): Promise<AllocationProbe> {
  run(Math.min(operations, 64)); // compile the paths before measuring them
  let n = operations;
  let heapBytes = Number.NaN;
  let arrayBufferBytes = Number.NaN;
  let clean = 0;
  for (let attempt = 0; attempt < 16 && clean < 3; attempt++) {
    await settle();
    await quietArrayBuffers();
    const profiler = new GCProfiler();
    profiler.start();
    const heap0 = getHeapStatistics().used_heap_size;
    const buffers0 = process.memoryUsage().arrayBuffers;
    run(n);
    const buffers1 = process.memoryUsage().arrayBuffers;
    const heap1 = getHeapStatistics().used_heap_size;
    const collections = profiler.stop().statistics.length;
    if (collections !== 0) {
      if (attempt % 2 === 1) n = Math.max(1, Math.floor(n / 2));
      continue;
    }
    const heap = Math.max(0, heap1 - heap0) / n;
    const buffers = Math.max(0, buffers1 - buffers0) / n;
    heapBytes = clean === 0 ? heap : Math.max(heapBytes, heap);
    arrayBufferBytes = clean === 0 ? buffers : Math.max(arrayBufferBytes, buffers);
    clean++;
  }
  return { heapBytes, arrayBufferBytes, operations: n };
}

/** Tracks the peak of the JS heap plus ArrayBuffer memory above a baseline. */
export class MemoryPeak {
  readonly #baseline: number;
  #peak = 0;

  /** Takes the baseline now (call after `settle()`). */
  constructor() {
    this.#baseline = MemoryPeak.#inUse();
  }

  static #inUse(): number {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  }

  /** Samples the memory in use and keeps the peak. */
  sample(): void {
    const growth = MemoryPeak.#inUse() - this.#baseline;
    if (growth > this.#peak) this.#peak = growth;
  }

  /** The largest growth seen above the baseline, in bytes. */
  get peakGrowth(): number {
    return this.#peak;
  }
}
