/**
 * Browser-only checks: the page's CSP really forbids code from strings, the page is
 * cross-origin isolated (so SharedArrayBuffer tests run), memview memory goes into
 * ImageData and through window.postMessage without a copy being needed first, and a view
 * of shared memory crosses to a real Web Worker and back.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromImageData, toImageData, videoFramePlanes } from '../../src/bridges/web/index.js';
import { ByteArray, memoryview } from '../../src/index.js';
import type { WorkerAnswer, WorkerRequest } from './web-worker.js';

interface ImageDataLike {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

const page = globalThis as unknown as {
  ImageData: new (data: Uint8ClampedArray, width: number, height: number) => ImageDataLike;
  crossOriginIsolated: boolean;
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
};

describe('the page', () => {
  test("runs under a CSP without 'unsafe-eval': code from strings is refused", () => {
    assert.throws(() => Reflect.construct(Function, ['return 1']), EvalError);
  });

  test('is cross-origin isolated, so SharedArrayBuffer exists', () => {
    assert.equal(page.crossOriginIsolated, true);
    assert.equal(typeof SharedArrayBuffer, 'function');
  });
});

const W = 4;
const H = 2;

const SOURCES: Record<string, () => Uint8Array | ByteArray> = {
  'a Uint8Array': () => new Uint8Array(W * H * 4),
  'a ByteArray': () => new ByteArray(W * H * 4),
};

for (const [name, make] of Object.entries(SOURCES)) {
  describe(`memview memory of ${name} in the DOM`, () => {
    test('ImageData wraps it without a copy', () => {
      const m = memoryview(make());
      try {
        const t = m.toTypedArray();
        const image = new page.ImageData(
          new Uint8ClampedArray(t.buffer, t.byteOffset, t.byteLength),
          W,
          H,
        );
        assert.equal(image.width, W);
        assert.equal(image.data.buffer, t.buffer);
        image.data[5] = 200;
        assert.equal(m.get(5), 200);
      } finally {
        m.release();
      }
    });

    test('window.postMessage clones it', async () => {
      const m = memoryview(make());
      try {
        m.set(3, 42);
        const bytes = m.toTypedArray();
        const got = await new Promise<unknown>((resolve) => {
          const listener = (event: MessageEvent) => {
            page.removeEventListener('message', listener);
            resolve(event.data);
          };
          page.addEventListener('message', listener);
          page.postMessage(bytes, page.location.origin);
        });
        assert.ok(got instanceof Uint8Array);
        assert.equal(got.length, W * H * 4);
        assert.equal(got[3], 42);
        assert.equal(m.get(3), 42);
      } finally {
        m.release();
      }
    });
  });
}

describe('memview/web in a real page', () => {
  test('ImageData both ways over one memory: fromImageData and toImageData', () => {
    const image = new page.ImageData(new Uint8ClampedArray(W * H * 4), W, H);
    const view = fromImageData(image);
    assert.deepEqual(view.shape, [H, W, 4]);
    view.set(1, 2, 3, 77); // alpha of pixel (row 1, column 2)
    assert.equal(image.data[(1 * W + 2) * 4 + 3], 77);
    const again = toImageData(view);
    assert.equal(again.data.buffer, image.data.buffer);
    assert.equal(again.width, W);
    assert.equal(again.height, H);
    assert.equal(again.data[(1 * W + 2) * 4 + 3], 77);
  });

  test('toImageData refuses shared memory by name', () => {
    const view = memoryview(new SharedArrayBuffer(W * H * 4)).cast('B', [H, W, 4]);
    assert.throws(() => toImageData(view), {
      name: 'BufferError',
      message: 'toImageData: the view is over a SharedArrayBuffer, which ImageData refuses',
    });
  });

  const VideoFrameCtor = (
    globalThis as {
      VideoFrame?: new (
        data: Uint8Array,
        init: { format: string; codedWidth: number; codedHeight: number; timestamp: number },
      ) => Parameters<typeof videoFramePlanes>[0] & { close(): void };
    }
  ).VideoFrame;

  test('videoFramePlanes: an RGBA VideoFrame as one [h, w, 4] plane with its real stride', async (t) => {
    if (VideoFrameCtor === undefined) {
      t.todo('this browser build has no WebCodecs VideoFrame');
      return;
    }
    const pixels = new Uint8Array(W * H * 4).map((_, k) => k);
    const frame = new VideoFrameCtor(pixels, {
      format: 'RGBA',
      codedWidth: W,
      codedHeight: H,
      timestamp: 0,
    });
    try {
      const { planes, layout } = await videoFramePlanes(frame);
      assert.equal(planes.length, 1);
      assert.deepEqual(planes[0].shape, [H, W, 4]);
      assert.equal(planes[0].strides[0], layout[0].stride);
      assert.equal(planes[0].get(1, 2, 3), (1 * W + 2) * 4 + 3);
    } finally {
      frame.close();
    }
  });

  test('videoFramePlanes: an I420 VideoFrame as Y, U and V plane views', async (t) => {
    if (VideoFrameCtor === undefined) {
      t.todo('this browser build has no WebCodecs VideoFrame');
      return;
    }
    const w = 8;
    const h = 4;
    const data = new Uint8Array(w * h + 2 * (w / 2) * (h / 2));
    data.fill(10, 0, w * h);
    data.fill(20, w * h, w * h + (w / 2) * (h / 2));
    data.fill(30, w * h + (w / 2) * (h / 2));
    const frame = new VideoFrameCtor(data, {
      format: 'I420',
      codedWidth: w,
      codedHeight: h,
      timestamp: 0,
    });
    try {
      const { planes } = await videoFramePlanes(frame);
      assert.deepEqual(
        planes.map((p) => p.shape),
        [
          [h, w],
          [h / 2, w / 2],
          [h / 2, w / 2],
        ],
      );
      assert.deepEqual(
        planes.map((p) => p.get(p.shape[0] - 1, p.shape[1] - 1)),
        [10, 20, 30],
      );
    } finally {
      frame.close();
    }
  });
});

/** Where the browser suite serves the worker's bundle (see run.ts). */
const WORKER_URL = '/web-worker.js';

interface WebWorker {
  onmessage: ((event: { data: WorkerAnswer }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
  postMessage(message: WorkerRequest): void;
  terminate(): void;
}

/** Sends one request to a new module worker and resolves to its answer. */
function askWorker(request: WorkerRequest): Promise<WorkerAnswer> {
  const WorkerCtor = (
    globalThis as unknown as {
      Worker: new (url: string, options: { type: 'module' }) => WebWorker;
    }
  ).Worker;
  const worker = new WorkerCtor(WORKER_URL, { type: 'module' });
  return new Promise<WorkerAnswer>((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the worker failed: ${event.message}`));
    };
    worker.postMessage(request);
  });
}

/** 4 rows × 4 columns of `'i'`, every other column, over a 6 × 8 grid of `buffer`. */
function grid(buffer: ArrayBufferLike) {
  const all = memoryview(new Int32Array(buffer)).cast('B').cast('i', [6, 8]);
  return all.sub([1, 5], [null, null, 2]);
}

describe('a view over a SharedArrayBuffer in a real Web Worker', () => {
  test('crosses as its layout, is rebuilt with fromShared, and the worker writes what the page reads', async () => {
    const shared = new SharedArrayBuffer(6 * 8 * 4);
    const ints = new Int32Array(shared);
    for (let k = 0; k < ints.length; k++) ints[k] = k;
    const view = grid(shared);
    const before = view.toList();
    const answer = await askWorker({ layout: view.toShared(), add: 1000 });
    assert.equal(answer.error, undefined);
    assert.equal(answer.isolated, true, 'the worker is cross-origin isolated too');
    assert.equal(answer.evalRefused, true, "the worker runs under the CSP without 'unsafe-eval'");
    assert.deepEqual(answer.before, before);
    assert.deepEqual([answer.shape, answer.strides, answer.format], [[4, 4], [32, 8], 'i']);
    assert.equal(answer.readonly, false);
    // The worker's writes are in the page's memory, in the view's elements only.
    assert.deepEqual(
      view.toList(),
      (before as number[][]).map((row) => row.map((v) => v + 1000)),
    );
    assert.equal(ints[8], 8 + 1000);
    assert.equal(ints[9], 9, 'an element outside the view is untouched');
    assert.equal(ints[0], 0, 'a row outside the view is untouched');
  });

  test('read-only stays read-only in the worker, and the memory is unchanged', async () => {
    const shared = new SharedArrayBuffer(6 * 8 * 4);
    const view = grid(shared).toReadonly();
    const looked = await askWorker({ layout: view.toShared() });
    assert.equal(looked.error, undefined);
    assert.equal(looked.readonly, true);
    const refused = await askWorker({ layout: view.toShared(), add: 1 });
    assert.equal(refused.error, 'TypeError: cannot modify read-only memory');
    assert.ok(new Int32Array(shared).every((v) => v === 0));
  });

  test('an ArrayBuffer crosses as a copy, so the worker refuses to take it for the memory', async () => {
    const layout = grid(new ArrayBuffer(6 * 8 * 4)).toLayout();
    const answer = await askWorker({ layout: layout as WorkerRequest['layout'] });
    assert.equal(
      answer.error,
      "BufferError: fromShared: the view's memory is not a SharedArrayBuffer; postMessage would copy it (copy the data into a SharedArrayBuffer first, or transfer its ArrayBuffer)",
    );
  });
});
