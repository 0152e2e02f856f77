/**
 * The scijs `ndarray` bridge's tests. scijs compiles its accessors with `new Function`,
 * which the suite forbids (`--disallow-code-generation-from-strings`), so
 * test/bridges.ndarray.test.ts runs this file in a child process where it is allowed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from '../../src/bridges/ndarray/index.js';
import { memoryview, pack } from '../../src/index.js';
import { elements, iota } from '../helpers/ndarray-elements.js';

describe('memview/ndarray: scijs ndarray → view', () => {
  test('strides in elements become byte strides; the offset, a byte offset; no copy', () => {
    const data = iota(24);
    const a = ndarray(data, [4, 6]).hi(3, 5).lo(1, 1).step(-1, 2);
    const view = fromNdarray(a);
    assert.equal(view.format, 'd');
    assert.deepEqual(view.shape, a.shape);
    assert.deepEqual(
      view.strides,
      a.stride.map((s) => s * 8),
    );
    assert.deepEqual(
      elements(view.shape, (...i) => view.get(...i)),
      elements(a.shape, (...i) => a.get(...i)),
    );
    view.set(0, 0, -1);
    assert.equal(a.get(0, 0), -1, 'a write through the view is the ndarray’s');
  });

  test('every TypedArray kind keeps its format', () => {
    const kinds: [ArrayBufferView, string][] = [
      [new Int8Array(4), 'b'],
      [new Uint8Array(4), 'B'],
      [new Uint8ClampedArray(4), 'B'],
      [new Int16Array(4), 'h'],
      [new Uint16Array(4), 'H'],
      [new Int32Array(4), 'i'],
      [new Uint32Array(4), 'I'],
      [new Float32Array(4), 'f'],
      [new Float64Array(4), 'd'],
      [new BigInt64Array(4), 'q'],
      [new BigUint64Array(4), 'Q'],
    ];
    for (const [data, format] of kinds) {
      assert.equal(fromNdarray(ndarray(data as never, [2, 2])).format, format, format);
    }
  });

  test('an ndarray of JavaScript values is refused', () => {
    assert.throws(() => fromNdarray(ndarray([1, 2, 3])), {
      name: 'TypeError',
      message:
        "fromNdarray: the ndarray's data must be a TypedArray (memview views bytes, not JavaScript values)",
    });
  });

  test('a layout reaching outside the data is refused, not read from neighbouring bytes', () => {
    const buffer = new Float64Array(16);
    const data = buffer.subarray(4, 8);
    assert.throws(() => fromNdarray(ndarray(data, [3], [2], 0)), {
      name: 'ValueError',
      message: 'fromNdarray: the ndarray reaches elements 0…4 of data of 4 elements',
    });
    assert.throws(() => fromNdarray(ndarray(data, [2], [-1], 0)), {
      name: 'ValueError',
      message: 'fromNdarray: the ndarray reaches elements -1…0 of data of 4 elements',
    });
    assert.deepEqual(fromNdarray(ndarray(data, [0], [5], 9)).toList(), []);
  });

  test("a subarray's byteOffset is honoured", () => {
    const data = iota(16).subarray(3, 11);
    const view = fromNdarray(ndarray(data, [2, 4]));
    assert.equal(view.byteOffset, 24);
    assert.deepEqual(view.toList(), [
      [3.5, 4.5, 5.5, 6.5],
      [7.5, 8.5, 9.5, 10.5],
    ]);
  });
});

describe('memview/ndarray: view → scijs ndarray', () => {
  test('a region of a plane: same elements, same memory', () => {
    const plane = new Uint8Array(10 * 12).map((_, k) => k);
    const view = memoryview(plane).cast('B', [10, 12]).sub([2, 7], [null, null, -3]);
    const a = toNdarray(view);
    assert.equal(a.data.length, plane.length);
    assert.deepEqual(a.shape, view.shape);
    assert.deepEqual(
      elements(a.shape, (...i) => a.get(...i)),
      elements(view.shape, (...i) => view.get(...i)),
    );
    a.set(1, 1, 255);
    assert.equal(view.get(1, 1), 255);
  });

  test('8-byte integers stay bigints', () => {
    const view = memoryview(new BigInt64Array([1n, -2n, 3n]));
    const a = toNdarray(view);
    assert.equal(a.get(1), -2n);
  });

  test('what an ndarray cannot represent is refused by name', () => {
    const bytes = new Uint8Array(64);
    assert.throws(() => toNdarray(memoryview(bytes).cast('B').cast('<d', [8]).toReadonly()), {
      name: 'BufferError',
      message: 'toNdarray: the view is read-only and a scijs ndarray cannot refuse writes',
    });
    assert.throws(() => toNdarray(memoryview(bytes).slice(1, 9).cast('d')), {
      name: 'BufferError',
      message:
        'toNdarray: the view is not aligned to its 8-byte items (byte offset 1, strides [8]); an ndarray indexes whole elements',
    });
    assert.throws(() => toNdarray(memoryview(bytes).cast('>d')), {
      name: 'NotImplementedError',
      message:
        "toNdarray: format '>d' is byte-swapped on this host; an ndarray reads native byte order only",
    });
    assert.throws(() => toNdarray(memoryview(bytes).cast('?')), {
      name: 'NotImplementedError',
      message: "toNdarray: format '?' has no TypedArray an ndarray could use",
    });
    const records = memoryview(pack('<IHHd', 1, 2, 3, 4))
      .cast('B')
      .cast('<IHHd');
    assert.throws(() => toNdarray(records), {
      name: 'NotImplementedError',
      message: "toNdarray: an ndarray holds single numbers; format '<IHHd' has more than one item",
    });
  });

  test('round trip: ndarray → view → ndarray reads the same elements', () => {
    const a = ndarray(iota(60), [3, 4, 5]).transpose(2, 0, 1).step(1, -1, 2);
    const b = toNdarray(fromNdarray(a));
    assert.deepEqual(
      elements(b.shape, (...i) => b.get(...i)),
      elements(a.shape, (...i) => a.get(...i)),
    );
  });
});
