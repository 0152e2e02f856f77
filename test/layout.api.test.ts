/**
 * The layout layer's own decisions, which no oracle fixture reaches: validation of
 * untrusted layouts, memview's error texts for `sub` and axes, the JavaScript-side edges
 * (bigints, -0, booleans, numbers beyond 2**53), and worked examples of contiguous runs.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BufferError,
  IndexError,
  NotImplementedError,
  OverflowError,
  ValueError,
} from '../src/errors.js';
import {
  adjustSlice,
  byteSpan,
  castShape,
  checkBounds,
  contiguousRuns,
  cStrides,
  elementOffset,
  forEachRun,
  fStrides,
  indexDim,
  isAnyContiguous,
  isCContiguous,
  isFContiguous,
  type Layout,
  MAX_NDIM,
  nbytes,
  product,
  type SubKey,
  sliceDim,
  subLayout,
  transposeLayout,
  validateLayout,
} from '../src/layout/index.js';
import { expectError } from './helpers/expect.js';

const c2x3: Layout = { offset: 0, itemsize: 1, shape: [2, 3], strides: [3, 1] };

function runsOf(layout: Layout): [number, number][] {
  const runs: [number, number][] = [];
  forEachRun(layout, (offset, length) => runs.push([offset, length]));
  return runs;
}

describe('validateLayout and checkBounds', () => {
  const bad: [string, Layout, new (...a: never[]) => Error, string][] = [
    [
      'too many dimensions',
      { offset: 0, itemsize: 1, shape: new Array(65).fill(1), strides: new Array(65).fill(1) },
      ValueError,
      'memoryview: number of dimensions must not exceed 64',
    ],
    [
      'strides of another length',
      { offset: 0, itemsize: 1, shape: [2, 3], strides: [3] },
      BufferError,
      'layout has 1 strides for 2 dimensions',
    ],
    [
      'a zero itemsize',
      { offset: 0, itemsize: 0, shape: [2], strides: [1] },
      BufferError,
      'layout itemsize must be a positive integer, not 0',
    ],
    [
      'a fractional offset',
      { offset: 1.5, itemsize: 1, shape: [2], strides: [1] },
      BufferError,
      'layout offset must be an integer, not 1.5',
    ],
    [
      'a NaN offset',
      { offset: Number.NaN, itemsize: 1, shape: [2], strides: [1] },
      BufferError,
      'layout offset must be an integer, not NaN',
    ],
    [
      'a negative shape entry',
      { offset: 0, itemsize: 1, shape: [2, -3], strides: [1, 1] },
      BufferError,
      'layout shape[1] must be a non-negative integer, not -3',
    ],
    [
      'a shape entry beyond 2**53',
      { offset: 0, itemsize: 1, shape: [2 ** 60], strides: [0] },
      BufferError,
      'layout shape[0] must be a non-negative integer, not 1152921504606846976',
    ],
    [
      'a string shape entry',
      { offset: 0, itemsize: 1, shape: ['2' as unknown as number], strides: [1] },
      BufferError,
      'layout shape[0] must be a non-negative integer, not "2"',
    ],
    [
      'an infinite stride',
      { offset: 0, itemsize: 1, shape: [2], strides: [Number.POSITIVE_INFINITY] },
      BufferError,
      'layout strides[0] must be an integer, not Infinity',
    ],
    [
      'a bigint stride',
      { offset: 0, itemsize: 1, shape: [2], strides: [1n as unknown as number] },
      BufferError,
      'layout strides[0] must be an integer, not 1n',
    ],
    [
      'more than 2**53 - 1 logical bytes (zero strides)',
      { offset: 0, itemsize: 8, shape: [2 ** 26, 2 ** 26], strides: [0, 0] },
      BufferError,
      'layout nbytes (product of shape and itemsize) exceeds 2**53 - 1',
    ],
    [
      'a shape that is not an array',
      { offset: 0, itemsize: 1, shape: 3 as unknown as number[], strides: [] },
      BufferError,
      'layout shape must be an array',
    ],
  ];
  for (const [what, layout, type, message] of bad) {
    it(`rejects ${what}`, () => {
      expectError(() => validateLayout(layout), type, message);
      expectError(() => checkBounds(layout, 1024), type, message);
    });
  }

  it('accepts 64 dimensions', () => {
    const shape = new Array<number>(MAX_NDIM).fill(1);
    checkBounds({ offset: 0, itemsize: 1, shape, strides: shape }, 1);
  });

  it('names the first byte outside the buffer, at either end', () => {
    const layout: Layout = { offset: 0, itemsize: 4, shape: [10, 26], strides: [104, 4] };
    checkBounds(layout, 1040);
    expectError(
      () => checkBounds({ ...layout, offset: 4 }, 1040),
      BufferError,
      'layout reaches byte 1043, beyond the end of the 1040-byte buffer',
    );
    expectError(
      () => checkBounds({ ...layout, strides: [-104, 4], offset: 100 }, 1040),
      BufferError,
      'layout reaches byte -836, before the start of the buffer',
    );
    expectError(
      () => checkBounds({ offset: 0, itemsize: 1, shape: [2], strides: [2 ** 70] }, 1040),
      BufferError,
      'layout reaches byte 1180591620717411303424, beyond the end of the 1040-byte buffer',
    );
  });

  it('lets an empty layout point anywhere, and a 0-d one reach one item', () => {
    checkBounds({ offset: -6, itemsize: 1, shape: [0, 3], strides: [6, 1] }, 24);
    checkBounds({ offset: 2 ** 63, itemsize: 1, shape: [0], strides: [1] }, 0);
    checkBounds({ offset: 3, itemsize: 1, shape: [], strides: [] }, 4);
    expectError(
      () => checkBounds({ offset: 3, itemsize: 2, shape: [], strides: [] }, 4),
      BufferError,
      'layout reaches byte 4, beyond the end of the 4-byte buffer',
    );
    assert.equal(byteSpan({ offset: -6, itemsize: 1, shape: [0, 3], strides: [6, 1] }), null);
    assert.deepEqual(byteSpan({ offset: 3, itemsize: 2, shape: [], strides: [] }), {
      start: 3,
      end: 5,
    });
  });

  it('rejects a bad buffer length', () => {
    expectError(
      () => checkBounds(c2x3, -1),
      BufferError,
      'buffer length must be a non-negative integer, not -1',
    );
    expectError(
      () => checkBounds(c2x3, 6.5),
      BufferError,
      'buffer length must be a non-negative integer, not 6.5',
    );
  });
});

describe('product, nbytes, default strides', () => {
  it('multiplies exactly, with CPython overflow errors', () => {
    assert.equal(product([]), 1);
    assert.equal(product([2, 3, 4]), 24);
    assert.equal(product([2 ** 40, 2 ** 20]), 2 ** 60);
    assert.equal(product([2 ** 50, 2 ** 12, 0]), 0);
    assert.equal(nbytes({ offset: 0, itemsize: 8, shape: [3, 5], strides: [40, 8] }), 120);
    expectError(
      () => product([2 ** 52, 2 ** 11]),
      ValueError,
      'memoryview.cast(): product(shape) > SSIZE_MAX',
    );
    expectError(
      () => nbytes({ offset: 0, itemsize: 8, shape: [2 ** 50, 2 ** 10], strides: [0, 0] }),
      ValueError,
      'memoryview.cast(): product(shape) > SSIZE_MAX',
    );
    expectError(
      () => product([2, -1]),
      BufferError,
      'layout shape[1] must be a non-negative integer, not -1',
    );
  });

  it("follows CPython's strides for shapes with zeros", () => {
    assert.deepEqual(cStrides([3, 0, 2], 4), [0, 8, 4]);
    assert.deepEqual(fStrides([3, 0, 2], 4), [4, 12, 0]);
    assert.deepEqual(cStrides([], 4), []);
  });

  it('castShape: bigints, and JavaScript values that are not ints', () => {
    assert.deepEqual(castShape([2n, 3], 4), { shape: [2, 3], nbytes: 24 });
    assert.deepEqual(castShape([], 8), { shape: [], nbytes: 8 });
    for (const x of [true, '2', null, 2.5, Number.POSITIVE_INFINITY]) {
      expectError(
        () => castShape([x], 1),
        TypeError,
        'memoryview.cast(): elements of shape must be integers',
      );
    }
    expectError(
      () => castShape([2 ** 63], 1),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
    expectError(
      () => castShape([-(2n ** 63n) - 1n], 1),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
    assert.equal(castShape([2n ** 63n - 1n], 1).nbytes, 2 ** 63);
  });
});

describe('adjustSlice and sliceDim', () => {
  it('takes bigints like numbers and clamps them like CPython', () => {
    assert.deepEqual(adjustSlice(10, 2n, -2n, 3n), adjustSlice(10, 2, -2, 3));
    assert.deepEqual(adjustSlice(5, -(2n ** 100n), 2n ** 100n, null), {
      start: 0,
      stop: 5,
      step: 1,
      length: 5,
    });
    assert.deepEqual(adjustSlice(5, undefined, undefined, -1), {
      start: 4,
      stop: -1,
      step: -1,
      length: 5,
    });
  });

  it('raises for a zero step before looking at the bounds', () => {
    expectError(() => adjustSlice(4, 1.5, 2, 0), ValueError, 'slice step cannot be zero');
    expectError(() => adjustSlice(4, 0, 4, 0n), ValueError, 'slice step cannot be zero');
  });

  it('rejects booleans, strings and fractions as slice indices', () => {
    const message = 'slice indices must be integers or None or have an __index__ method';
    for (const x of [true, '1', 0.5, Number.NaN, {}]) {
      expectError(() => adjustSlice(4, x as unknown as number, null, null), TypeError, message);
    }
  });

  it('slices any dimension, and counts negative dimensions from the end', () => {
    const reversedColumns = sliceDim(c2x3, 1, null, null, -1);
    assert.deepEqual(reversedColumns, { offset: 2, itemsize: 1, shape: [2, 3], strides: [3, -1] });
    assert.deepEqual(sliceDim(c2x3, -1, null, null, -1), reversedColumns);
    expectError(
      () => sliceDim(c2x3, 2, null, null, null),
      ValueError,
      'axis 2 is out of bounds for array of dimension 2',
    );
    expectError(
      () => sliceDim(c2x3, 0.5, null, null, null),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
  });

  it('never produces -0, and leaves its input alone', () => {
    const input: Layout = { offset: 0, itemsize: 1, shape: [3], strides: [0] };
    const frozen = structuredClone(input);
    const out = sliceDim(input, 0, null, null, -1);
    assert.ok(Object.is(out.strides[0], 0));
    assert.ok(Object.is(sliceDim(c2x3, 0, 0, 0, -1).strides[0], -3));
    assert.deepEqual(input, frozen);
  });
});

describe('indexDim, elementOffset, subLayout', () => {
  it('indexDim drops any dimension', () => {
    assert.deepEqual(indexDim(c2x3, 1, -1), { offset: 2, itemsize: 1, shape: [2], strides: [3] });
    assert.deepEqual(indexDim(c2x3, 0, 1n), { offset: 3, itemsize: 1, shape: [3], strides: [1] });
    expectError(() => indexDim(c2x3, 1, 3), IndexError, 'index out of bounds on dimension 2');
    expectError(
      () => indexDim(c2x3, 0, 2n ** 63n),
      IndexError,
      "cannot fit 'int' into an index-sized integer",
    );
    expectError(() => indexDim(c2x3, 0, 0.5), TypeError, 'memoryview: invalid slice key');
    expectError(
      () => indexDim(c2x3, -3, 0),
      ValueError,
      'axis -3 is out of bounds for array of dimension 2',
    );
  });

  it("elementOffset raises memoryview's errors", () => {
    assert.equal(elementOffset(c2x3, [1, -1]), 5);
    assert.equal(elementOffset(c2x3, [1n, 2n]), 5);
    expectError(
      () => elementOffset(c2x3, [0]),
      NotImplementedError,
      'sub-views are not implemented',
    );
    expectError(
      () => elementOffset(c2x3, [0, 0, 0]),
      TypeError,
      'cannot index 2-dimension view with 3-element tuple',
    );
    const scalar: Layout = { offset: 7, itemsize: 4, shape: [], strides: [] };
    assert.equal(elementOffset(scalar, []), 7);
    expectError(() => elementOffset(scalar, [0]), TypeError, 'invalid indexing of 0-dim memory');
  });

  it('subLayout: NumPy basic indexing with memview key rules', () => {
    assert.deepEqual(subLayout(c2x3, []), c2x3);
    assert.deepEqual(subLayout(c2x3, [undefined, []]), c2x3);
    assert.deepEqual(subLayout(c2x3, [1]), { offset: 3, itemsize: 1, shape: [3], strides: [1] });
    assert.deepEqual(subLayout(c2x3, [null, [1]]), {
      offset: 1,
      itemsize: 1,
      shape: [2, 2],
      strides: [3, 1],
    });
    assert.deepEqual(subLayout(c2x3, [-1, 2]), { offset: 5, itemsize: 1, shape: [], strides: [] });
    expectError(
      () => subLayout(c2x3, [0, 0, 0]),
      TypeError,
      'too many indices for memoryview: memoryview is 2-dimensional, but 3 were indexed',
    );
    const invalid: unknown[] = ['0', 1.5, {}, [0, 1, 1, 1], true, Symbol('key')];
    for (const key of invalid) {
      expectError(
        () => subLayout(c2x3, [key as SubKey]),
        TypeError,
        'memoryview: invalid slice key',
      );
    }
    expectError(() => subLayout(c2x3, [[0, 1, 0]]), ValueError, 'slice step cannot be zero');
  });
});

describe('transposeLayout', () => {
  it('reverses by default and checks axes in NumPy order', () => {
    assert.deepEqual(transposeLayout(c2x3), {
      offset: 0,
      itemsize: 1,
      shape: [3, 2],
      strides: [1, 3],
    });
    assert.deepEqual(transposeLayout(c2x3, [-1, 0]), transposeLayout(c2x3));
    assert.deepEqual(transposeLayout(c2x3, [0n, 1n]), c2x3);
    expectError(
      () => transposeLayout(c2x3, [0.5, 7]),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
    expectError(() => transposeLayout(c2x3, [0]), ValueError, "axes don't match array");
    expectError(() => transposeLayout(c2x3, [1, 1]), ValueError, 'repeated axis in transpose');
    expectError(
      () => transposeLayout(c2x3, [0, 2]),
      ValueError,
      'axis 2 is out of bounds for array of dimension 2',
    );
  });
});

describe('contiguity flags', () => {
  it("keeps CPython's quirks", () => {
    const flags = (layout: Layout) => [
      isCContiguous(layout),
      isFContiguous(layout),
      isAnyContiguous(layout),
    ];
    // b'abcdef'[0:0:2]: empty, 1-D, odd stride -> not contiguous
    assert.deepEqual(flags({ offset: 0, itemsize: 1, shape: [0], strides: [2] }), [
      false,
      false,
      false,
    ]);
    // the same emptiness in 2-D is contiguous
    assert.deepEqual(flags({ offset: 0, itemsize: 1, shape: [0, 3], strides: [7, 2] }), [
      true,
      true,
      true,
    ]);
    // zero strides: fine on a size-1 dimension, never on a larger one
    assert.deepEqual(flags({ offset: 0, itemsize: 1, shape: [1], strides: [0] }), [
      true,
      true,
      true,
    ]);
    assert.deepEqual(flags({ offset: 0, itemsize: 1, shape: [3], strides: [0] }), [
      false,
      false,
      false,
    ]);
    assert.deepEqual(flags({ offset: 0, itemsize: 4, shape: [], strides: [] }), [true, true, true]);
  });
});

describe('contiguous runs', () => {
  it('a C-contiguous layout is one run; a 0-d layout too; an empty one none', () => {
    const image: Layout = { offset: 16, itemsize: 4, shape: [3, 4, 2], strides: [32, 8, 4] };
    assert.deepEqual(runsOf(image), [[16, 96]]);
    assert.deepEqual(runsOf({ offset: 5, itemsize: 8, shape: [], strides: [] }), [[5, 8]]);
    assert.deepEqual(runsOf({ offset: 5, itemsize: 1, shape: [4, 0], strides: [1, 1] }), []);
    assert.deepEqual([...contiguousRuns({ offset: 5, itemsize: 1, shape: [0], strides: [1] })], []);
  });

  it('a 200x200 window of a 1920-wide plane is 200 runs of 200 bytes', () => {
    const plane: Layout = { offset: 0, itemsize: 1, shape: [1080, 1920], strides: [1920, 1] };
    const roi = subLayout(plane, [
      [100, 300],
      [640, 840],
    ]);
    const runs = runsOf(roi);
    assert.equal(runs.length, 200);
    assert.deepEqual(runs[0], [100 * 1920 + 640, 200]);
    assert.deepEqual(runs[199], [299 * 1920 + 640, 200]);
    assert.ok(runs.every(([, length]) => length === 200));
    // An RGB plane: the window's rows are 600 bytes, the pixel and channel dimensions fold.
    const rgb: Layout = { offset: 0, itemsize: 1, shape: [1080, 1920, 3], strides: [5760, 3, 1] };
    const rgbRuns = runsOf(
      subLayout(rgb, [
        [100, 300],
        [640, 840],
      ]),
    );
    assert.equal(rgbRuns.length, 200);
    assert.ok(rgbRuns.every(([, length]) => length === 600));
  });

  it('merges blocks that happen to abut, keeps repeats and reversals apart', () => {
    // elements at 0, 3, 4, 7: the middle two touch across a row boundary
    assert.deepEqual(runsOf({ offset: 0, itemsize: 1, shape: [2, 2], strides: [4, 3] }), [
      [0, 1],
      [3, 2],
      [7, 1],
    ]);
    assert.deepEqual(runsOf({ offset: 2, itemsize: 2, shape: [3], strides: [0] }), [
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    assert.deepEqual(runsOf({ offset: 4, itemsize: 2, shape: [3], strides: [-2] }), [
      [4, 2],
      [2, 2],
      [0, 2],
    ]);
    // Fortran order is read in C order: one item at a time.
    assert.equal(runsOf({ offset: 0, itemsize: 1, shape: [3, 4], strides: [1, 3] }).length, 12);
  });
});
