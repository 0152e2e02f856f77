import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  BufferError,
  getBuffer,
  MemoryView,
  memoryview,
  PyBUF,
  type SharedViewLayout,
  type ViewLayout,
} from '../src/index.js';

function grid(buffer: ArrayBufferLike): MemoryView {
  const all = memoryview(new Int32Array(buffer)).cast('B').cast('i', [6, 8]);
  return all.sub([1, 5], [null, null, 2]); // 4 rows × 4 columns, every other column
}

function ask(layout: SharedViewLayout, add?: number): Promise<Record<string, unknown>> {
  const worker = new Worker(new URL('./helpers/shared-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    worker.once('message', (m: Record<string, unknown>) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
    worker.postMessage({ layout, add });
  });
}

describe('a view as plain data: toLayout and fromLayout', () => {
  test('the layout names the memory, offset, format, shape and strides', () => {
    const buffer = new ArrayBuffer(6 * 8 * 4);
    const view = grid(buffer);
    const layout = view.toLayout();
    assert.equal(layout.buffer, buffer);
    assert.equal(layout.byteOffset, 32);
    assert.equal(layout.format, 'i');
    assert.deepEqual(layout.shape, [4, 4]);
    assert.deepEqual(layout.strides, [32, 8]);
    assert.equal(layout.readonly, false);
  });

  test('fromLayout views the same memory: a write through one is read through the other', () => {
    const ints = new Int32Array(6 * 8).map((_, k) => k);
    const view = grid(ints.buffer);
    const again = MemoryView.fromLayout(view.toLayout());
    assert.deepEqual(again.toList(), view.toList());
    again.set(3, 3, -7);
    assert.equal(view.get(3, 3), -7);
    assert.equal(ints[4 * 8 + 6], -7);
  });

  test('a read-only layout gives a read-only view', () => {
    const view = memoryview(new Uint8Array(4)).toReadonly();
    const again = MemoryView.fromLayout(view.toLayout());
    assert.equal(again.readonly, true);
    assert.throws(() => again.set(0, 1), {
      name: 'TypeError',
      message: 'cannot modify read-only memory',
    });
  });

  test('a layout reaching past its buffer is refused as any export is', () => {
    assert.throws(
      () =>
        MemoryView.fromLayout({
          buffer: new ArrayBuffer(8),
          byteOffset: 4,
          format: 'i',
          shape: [2],
          strides: [4],
          readonly: false,
        }),
      (e: unknown) => e instanceof BufferError,
    );
  });

  test('a layout with a bad format is a StructError', () => {
    assert.throws(
      () =>
        MemoryView.fromLayout({
          buffer: new ArrayBuffer(8),
          byteOffset: 0,
          format: 'Z',
          shape: [1],
          strides: [1],
          readonly: false,
        }),
      { name: 'StructError', message: 'bad char in struct format' },
    );
  });
});

describe('views across threads: toShared and fromShared', () => {
  test('a view of unshared memory refuses instead of copying', () => {
    assert.throws(() => grid(new ArrayBuffer(192)).toShared(), {
      name: 'BufferError',
      message:
        "toShared: the view's memory is not a SharedArrayBuffer; postMessage would copy it (copy the data into a SharedArrayBuffer first, or transfer its ArrayBuffer)",
    });
    const layout = grid(new ArrayBuffer(192)).toLayout();
    assert.throws(() => MemoryView.fromShared(layout as SharedViewLayout), {
      name: 'BufferError',
      message:
        "fromShared: the view's memory is not a SharedArrayBuffer; postMessage would copy it (copy the data into a SharedArrayBuffer first, or transfer its ArrayBuffer)",
    });
  });

  test('a worker reads and writes the same memory through the rebuilt view', async () => {
    const shared = new SharedArrayBuffer(6 * 8 * 4);
    const ints = new Int32Array(shared);
    for (let k = 0; k < ints.length; k++) ints[k] = k;
    const view = grid(shared);
    const before = view.toList();
    const answer = await ask(view.toShared(), 1000);
    assert.deepEqual(answer.before, before);
    assert.deepEqual(answer.shape, [4, 4]);
    assert.equal(answer.readonly, false);
    // The worker's writes landed in this thread's memory: the view's elements only.
    assert.equal(view.get(0, 0), 8 + 1000);
    assert.equal(ints[8 + 1], 9, 'an element outside the view is untouched');
    assert.deepEqual(
      view.toList(),
      (before as number[][]).map((row) => row.map((v) => v + 1000)),
    );
  });

  test('a growable SharedArrayBuffer crosses as the same memory, grown bytes included', async () => {
    const shared = new SharedArrayBuffer(6 * 8 * 4, { maxByteLength: 12 * 8 * 4 });
    const before = grid(shared);
    shared.grow(12 * 8 * 4);
    // A view of rows that exist only since the grow: the worker's buffer has grown too.
    const grown = memoryview(new Int32Array(shared)).cast('B').cast('i', [12, 8]).sub([8, 12]);
    const answer = await ask(grown.toShared(), 5);
    assert.equal(answer.error, undefined);
    assert.deepEqual(answer.shape, [4, 8]);
    assert.deepEqual(grown.toList(), new Array(4).fill(new Array(8).fill(5)));
    const first = await ask(before.toShared(), 1);
    assert.deepEqual(first.shape, [4, 4]);
    assert.equal(before.get(3, 3), 1);
  });

  test('read-only stays read-only on the other side', async () => {
    const view = grid(new SharedArrayBuffer(192)).toReadonly();
    const answer = await ask(view.toShared());
    assert.equal(answer.readonly, true);
    const refused = await ask(view.toShared(), 1);
    assert.equal(refused.error, 'TypeError: cannot modify read-only memory');
  });
});

/** A layout of 4 `'i'` over a 16-byte SharedArrayBuffer, with `changes` made to it. */
function lying(changes: Record<string, unknown>): SharedViewLayout {
  return {
    buffer: new SharedArrayBuffer(16),
    byteOffset: 0,
    format: 'i',
    shape: [4],
    strides: [4],
    readonly: false,
    ...changes,
  } as unknown as SharedViewLayout;
}

describe('a lying layout is refused, whoever sent it', () => {
  const cases: [string, Record<string, unknown>, { name: string; message: string }][] = [
    [
      'a buffer that only looks like shared memory',
      { buffer: Object.create(SharedArrayBuffer.prototype) },
      {
        name: 'TypeError',
        message:
          'layout buffer only looks like a SharedArrayBuffer (the engine does not know it as one)',
      },
    ],
    [
      'a typed array instead of its buffer',
      { buffer: new Int32Array(new SharedArrayBuffer(16)) },
      {
        name: 'TypeError',
        message: "layout buffer must be an ArrayBuffer or SharedArrayBuffer, not 'Int32Array'",
      },
    ],
    [
      'a format that is not a string',
      { format: 4 },
      { name: 'TypeError', message: 'layout format must be str, not number' },
    ],
    [
      'an unknown format',
      { format: 'Z' },
      { name: 'StructError', message: 'bad char in struct format' },
    ],
    [
      'a read-only flag that is not a boolean',
      { readonly: 'no' },
      { name: 'TypeError', message: "layout readonly must be a boolean, not 'str'" },
    ],
    [
      'a shape that is not an array',
      { shape: 4 },
      { name: 'TypeError', message: "layout shape must be an array, not 'int'" },
    ],
    [
      'more dimensions than strides',
      { shape: [2, 2] },
      { name: 'BufferError', message: 'layout has 1 strides for 2 dimensions' },
    ],
    [
      'a negative dimension',
      { shape: [-1] },
      { name: 'BufferError', message: 'layout shape[0] must be a non-negative integer, not -1' },
    ],
    [
      'a fractional stride',
      { strides: [4.5] },
      { name: 'BufferError', message: 'layout strides[0] must be an integer, not 4.5' },
    ],
    [
      'a fractional offset',
      { byteOffset: 0.5 },
      { name: 'BufferError', message: 'layout offset must be an integer, not 0.5' },
    ],
    [
      'elements past the end of the buffer',
      { shape: [5] },
      {
        name: 'BufferError',
        message: 'layout reaches byte 19, beyond the end of the 16-byte buffer',
      },
    ],
    [
      'elements before the start of the buffer',
      { byteOffset: 8, strides: [-4] },
      { name: 'BufferError', message: 'layout reaches byte -4, before the start of the buffer' },
    ],
    [
      'too many dimensions',
      { shape: new Array(65).fill(1), strides: new Array(65).fill(4) },
      { name: 'ValueError', message: 'memoryview: number of dimensions must not exceed 64' },
    ],
  ];
  for (const [what, changes, error] of cases) {
    test(`${what}: ${error.name}`, () => {
      assert.throws(() => MemoryView.fromShared(lying(changes)), error);
      assert.throws(() => MemoryView.fromLayout(lying(changes)), error);
    });
  }

  test('a layout that is not an object is a TypeError', () => {
    const error = {
      name: 'TypeError',
      message:
        'a view layout must be an object with buffer, byteOffset, format, shape, strides and readonly',
    };
    assert.throws(() => MemoryView.fromShared(null as never), error);
    assert.throws(() => MemoryView.fromLayout('layout' as never), error);
  });

  test('a detached buffer is refused by fromLayout', () => {
    const buffer = new ArrayBuffer(16);
    structuredClone(buffer, { transfer: [buffer] });
    assert.throws(() => MemoryView.fromLayout(lying({ buffer }) as ViewLayout), {
      name: 'BufferError',
      message:
        'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    });
  });

  test('each field is read once: a getter cannot pass the check with one buffer and view another', () => {
    const shared = new SharedArrayBuffer(16);
    let reads = 0;
    const layout: SharedViewLayout = {
      ...lying({}),
      get buffer() {
        reads++;
        return (reads === 1 ? shared : new ArrayBuffer(16)) as SharedArrayBuffer;
      },
    };
    const view = MemoryView.fromShared(layout);
    assert.equal(reads, 1);
    assert.equal(view.toLayout().buffer, shared);
    let shapeReads = 0;
    const growing = {
      ...lying({}),
      get shape() {
        shapeReads++;
        return shapeReads === 1 ? [4] : [1000];
      },
    };
    assert.deepEqual(MemoryView.fromShared(growing).shape, [4]);
    assert.equal(shapeReads, 1);
  });

  test('changing the layout afterwards does not change the view', () => {
    const shape = [4];
    const view = MemoryView.fromShared(lying({ shape }));
    shape[0] = 1000;
    assert.deepEqual(view.shape, [4]);
  });

  test("the view's exporter exports again with the checks any export gets", () => {
    const readonly = MemoryView.fromShared(lying({ readonly: true }));
    assert.throws(() => getBuffer(readonly.obj, PyBUF.WRITABLE), {
      name: 'BufferError',
      message: 'Object is not writable.',
    });
    const strided = MemoryView.fromShared(lying({ shape: [2], strides: [8] }));
    assert.throws(() => getBuffer(strided.obj, PyBUF.SIMPLE), {
      name: 'BufferError',
      message: 'underlying buffer is not C-contiguous',
    });
    const again = memoryview(strided.obj as MemoryView);
    assert.deepEqual([again.shape, again.strides], [[2], [8]]);
    const buffer = new ArrayBuffer(16);
    const before = MemoryView.fromLayout(lying({ buffer }) as ViewLayout);
    structuredClone(buffer, { transfer: [buffer] });
    assert.throws(() => memoryview(before.obj as MemoryView), {
      name: 'BufferError',
      message:
        'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    });
  });
});
