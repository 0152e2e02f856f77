import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { BufferError, MemoryView, memoryview, type SharedViewLayout } from '../src/index.js';

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

  test('read-only stays read-only on the other side', async () => {
    const view = grid(new SharedArrayBuffer(192)).toReadonly();
    const answer = await ask(view.toShared());
    assert.equal(answer.readonly, true);
    const refused = await ask(view.toShared(), 1);
    assert.equal(refused.error, 'TypeError: cannot modify read-only memory');
  });
});
