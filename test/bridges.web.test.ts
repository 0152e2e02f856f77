import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  frames,
  fromImageData,
  type ImageDataLike,
  type PlaneLayout,
  readFull,
  readInto,
  toImageData,
  type VideoFrameLike,
  videoFramePlanes,
} from '../src/bridges/web/index.js';
import {
  BufferError,
  ByteArray,
  EOFError,
  FrameTooLongError,
  type MemoryView,
  memoryview,
  NotImplementedError,
  pack,
  ValueError,
} from '../src/index.js';

/** An ImageData as the DOM makes one (Node has none): it keeps the array it is given. */
class FakeImageData implements ImageDataLike {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

describe('memview/web: ImageData', () => {
  test('fromImageData views the pixels in place as [h, w, 4]', () => {
    const img = new FakeImageData(new Uint8ClampedArray(3 * 2 * 4), 3, 2);
    const px = fromImageData(img);
    assert.deepEqual([px.format, px.shape, px.strides], ['B', [2, 3, 4], [12, 4, 1]]);
    px.set(1, 2, 3, 77);
    assert.equal(img.data[1 * 12 + 2 * 4 + 3], 77);
  });

  test('fromImageData refuses data of another size', () => {
    assert.throws(
      () => fromImageData(new FakeImageData(new Uint8ClampedArray(5), 1, 1)),
      new ValueError('fromImageData: 1 × 1 pixels need 4 bytes, the data has 5'),
    );
  });

  test('toImageData wraps the view memory, offset included', () => {
    const bytes = new Uint8Array(8 + 2 * 2 * 4);
    const px = memoryview(bytes.subarray(8)).cast('B', [2, 2, 4]);
    const img = toImageData(px, FakeImageData);
    assert.equal(img.data.buffer, bytes.buffer);
    assert.deepEqual([img.data.byteOffset, img.data.length, img.width, img.height], [8, 16, 2, 2]);
    img.data[0] = 9;
    assert.equal(bytes[8], 9);
    // And back: the same memory again.
    const again = fromImageData(img);
    assert.equal(again.get(0, 0, 0), 9);
  });

  const refusals: [string, () => MemoryView, Error][] = [
    [
      'another format',
      () => memoryview(new Uint8Array(16)).cast('b', [2, 2, 4]),
      new ValueError("toImageData: the view's format must be 'B', not 'b'"),
    ],
    [
      'another shape',
      () => memoryview(new Uint8Array(16)).cast('B', [4, 4]),
      new ValueError("toImageData: the view's shape must be [height, width, 4], not [4, 4]"),
    ],
    [
      'a read-only view',
      () => memoryview(new Uint8Array(16)).cast('B', [2, 2, 4]).toReadonly(),
      new BufferError('toImageData: the view is read-only and ImageData cannot refuse writes'),
    ],
    [
      'a non-contiguous view',
      () => memoryview(new Uint8Array(32)).cast('B', [4, 2, 4]).slice(null, null, 2),
      new BufferError('toImageData: the view is not C-contiguous'),
    ],
    [
      'shared memory',
      () => memoryview(new Uint8Array(new SharedArrayBuffer(16))).cast('B', [2, 2, 4]),
      new BufferError('toImageData: the view is over a SharedArrayBuffer, which ImageData refuses'),
    ],
    [
      'resizable memory',
      () =>
        memoryview(new Uint8Array(new ArrayBuffer(16, { maxByteLength: 32 }))).cast('B', [2, 2, 4]),
      new BufferError(
        'toImageData: the view is over a resizable ArrayBuffer, which ImageData refuses',
      ),
    ],
  ];
  for (const [name, make, error] of refusals) {
    test(`toImageData refuses ${name}`, () => {
      assert.throws(() => toImageData(make(), FakeImageData), error);
    });
  }

  test('toImageData without ImageData in the runtime', () => {
    // A browser has ImageData: it is taken away for this test, then put back.
    const own = Object.getOwnPropertyDescriptor(globalThis, 'ImageData');
    if (own !== undefined) Reflect.deleteProperty(globalThis, 'ImageData');
    try {
      assert.equal('ImageData' in globalThis, false);
      const px = memoryview(new Uint8Array(4)).cast('B', [1, 1, 4]);
      assert.throws(
        () => toImageData(px),
        new NotImplementedError('toImageData: this runtime has no ImageData'),
      );
    } finally {
      if (own !== undefined) Object.defineProperty(globalThis, 'ImageData', own);
    }
  });
});

/** A byte stream delivering `chunks`, then closing (or erroring with `error`). */
function byteStream(chunks: number[][], error?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(c) {
      if (i < chunks.length) c.enqueue(new Uint8Array(chunks[i++]));
      else if (error !== undefined) c.error(error);
      else {
        c.close();
        // A byte source gives a pending BYOB read its buffer back, empty, at the end.
        c.byobRequest?.respond(0);
      }
    },
  });
}

describe('memview/web: BYOB reads', () => {
  test('readInto fills the view memory and gives it back under a new ArrayBuffer', async () => {
    const bytes = new Uint8Array(6);
    const view = memoryview(bytes.subarray(2)).cast('H', [2]);
    const reader = byteStream([[1, 0, 2, 0]]).getReader({ mode: 'byob' });
    const r = await readInto(reader, view);
    assert.equal(bytes.buffer.byteLength, 0, 'the original ArrayBuffer is detached');
    assert.equal(view.released, true);
    assert.deepEqual(
      [r.bytesRead, r.done, r.view.format, r.view.toList()],
      [4, false, 'H', [1, 2]],
    );
    assert.equal(r.view.byteOffset, 2);
    const end = await readInto(reader, r.view);
    assert.deepEqual([end.bytesRead, end.done], [0, true]);
  });

  test('readInto refuses memory a transfer would break, or cannot take', async () => {
    const reader = byteStream([]).getReader({ mode: 'byob' });
    await assert.rejects(
      readInto(reader, memoryview(new ByteArray(4))),
      new BufferError(
        "readInto: the view's memory belongs to a ByteArray, which a BYOB read would break by taking it",
      ),
    );
    await assert.rejects(
      readInto(reader, memoryview(new Uint8Array(new SharedArrayBuffer(4)))),
      new BufferError(
        'readInto: the view is over a SharedArrayBuffer, which a BYOB read cannot take',
      ),
    );
    await assert.rejects(
      readInto(reader, memoryview(new Uint8Array(4)).toReadonly()),
      new BufferError('readInto: the view is read-only'),
    );
    await assert.rejects(
      readInto(reader, memoryview(new Uint8Array(4)).slice(null, null, 2)),
      new BufferError('readInto: the view is not C-contiguous'),
    );
  });

  test('readFull gathers chunks into one buffer and releases the lock', async () => {
    const stream = byteStream([[1, 2, 3], [4], [5, 6]]);
    const head = await readFull(stream, 5);
    assert.deepEqual(head.toList(), [1, 2, 3, 4, 5]);
    assert.equal(head.toLayout().buffer.byteLength, 5);
    assert.equal(stream.locked, false);
  });

  test('readFull raises EOFError when the stream ends first, and releases the lock', async () => {
    const stream = byteStream([[1, 2]]);
    await assert.rejects(
      readFull(stream, 3),
      new EOFError('readFull: the stream ended after 2 of 3 bytes'),
    );
    assert.equal(stream.locked, false);
  });
});

/** A stream of `chunks` that records whether it was cancelled. */
function chunkStream(chunks: Uint8Array[], error?: Error) {
  const state = { cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else if (error !== undefined) c.error(error);
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const WIRE = new Uint8Array([...pack('>I', 2), 104, 105, ...pack('>I', 3), 1, 2, 3]);

describe('memview/web: frames over a ReadableStream', () => {
  test('splits frames across chunks; ends with the lock released', async () => {
    const { stream, state } = chunkStream([WIRE.subarray(0, 5), WIRE.subarray(5)]);
    const got: number[][] = [];
    for await (const { header, payload } of frames(stream)) {
      got.push([header[0] as number, ...(payload.toList() as number[])]);
    }
    assert.deepEqual(got, [
      [2, 104, 105],
      [3, 1, 2, 3],
    ]);
    assert.deepEqual([stream.locked, state.cancelled], [false, false]);
  });

  test('the payload of a frame split across chunks is released when the loop ends', async () => {
    const { stream } = chunkStream([WIRE.subarray(0, 5), WIRE.subarray(5)]);
    let first: MemoryView | undefined;
    for await (const { payload } of frames(stream)) first ??= payload;
    assert.equal(first?.released, true);
  });

  test('leaving early cancels the stream, releases the lock and the decoder views', async () => {
    // More chunks follow, so the stream is still open when the loop leaves.
    const { stream, state } = chunkStream([WIRE.subarray(0, 5), WIRE.subarray(5), WIRE, WIRE]);
    let first: MemoryView | undefined;
    for await (const { payload } of frames(stream)) {
      first = payload;
      break;
    }
    assert.deepEqual([stream.locked, state.cancelled, first?.released], [false, true, true]);
  });

  test("a stream's error reaches the loop, with the lock released", async () => {
    const { stream } = chunkStream([WIRE.subarray(0, 6)], new TypeError('network down'));
    await assert.rejects(async () => {
      for await (const _ of frames(stream));
    }, new TypeError('network down'));
    assert.equal(stream.locked, false);
  });

  test("a decoder's error cancels the stream, with the lock released", async () => {
    const { stream, state } = chunkStream([WIRE, WIRE, WIRE]);
    await assert.rejects(async () => {
      for await (const _ of frames(stream, { maxLength: 2 }));
    }, FrameTooLongError);
    assert.deepEqual([stream.locked, state.cancelled], [false, true]);
  });

  test('a stream ending inside a frame raises EOFError', async () => {
    const { stream } = chunkStream([WIRE.subarray(0, 7)]);
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const { payload } of frames(stream)) got.push(payload.nbytes);
    }, new EOFError('frames: the stream ended inside a frame'));
    assert.deepEqual([got, stream.locked], [[2], false]);
  });
});

/** A VideoFrame as WebCodecs makes one (Node has none): planes at their `layout`. */
function fakeFrame(
  format: string,
  width: number,
  height: number,
  source: Uint8Array,
): VideoFrameLike {
  return {
    format,
    visibleRect: { width, height },
    allocationSize: (o) =>
      o?.layout === undefined ? source.length : Math.max(...o.layout.map((p) => p.offset)) + 64,
    async copyTo(destination, o) {
      const layout: PlaneLayout[] = o?.layout ?? [{ offset: 0, stride: width * 4 }];
      destination.set(source.subarray(0, destination.length));
      return layout;
    },
  };
}

describe('memview/web: VideoFrame planes (the shape of the API; Chromium runs the real one)', () => {
  test('an RGBA frame is one [h, w, 4] plane with its stride', async () => {
    const source = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const { planes, layout, format } = await videoFramePlanes(fakeFrame('RGBA', 3, 2, source));
    assert.deepEqual(
      [format, layout, planes[0].shape, planes[0].strides],
      ['RGBA', [{ offset: 0, stride: 12 }], [2, 3, 4], [12, 4, 1]],
    );
    assert.equal(planes[0].get(1, 2, 3), 23);
  });

  test('an I420 frame with a padded layout: Y, U, V views with their strides', async () => {
    const layout = [
      { offset: 0, stride: 8 },
      { offset: 32, stride: 4 },
      { offset: 48, stride: 4 },
    ];
    const source = Uint8Array.from({ length: 128 }, (_, i) => i);
    const got = await videoFramePlanes(fakeFrame('I420', 5, 3, source), layout);
    assert.deepEqual(
      got.planes.map((p) => [p.shape, p.strides, p.byteOffset]),
      [
        [[3, 5], [8, 1], 0],
        [[2, 3], [4, 1], 32],
        [[2, 3], [4, 1], 48],
      ],
    );
    assert.equal(got.planes[1].get(1, 2), 32 + 4 + 2);
  });

  test('refuses a format it cannot view, and a layout of another plane count', async () => {
    await assert.rejects(
      videoFramePlanes(fakeFrame('I444', 2, 2, new Uint8Array(12))),
      new NotImplementedError(
        "videoFramePlanes: format 'I444' is not one of I420, NV12, RGBA, RGBX, BGRA, BGRX",
      ),
    );
    await assert.rejects(
      videoFramePlanes(fakeFrame('NV12', 2, 2, new Uint8Array(12)), [{ offset: 0, stride: 2 }]),
      new ValueError('videoFramePlanes: a NV12 frame has 2 planes, the layout 1'),
    );
  });
});
