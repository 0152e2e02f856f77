/**
 * MemoryView under hostile input and timing, one describe per class of defect: fast paths
 * that must accept exactly what the slow path accepts, user code that re-enters or moves
 * the memory while a value converts, empty views at offsets outside their buffer, and
 * sizes beyond what the engine can allocate. Each test checks the error's class and exact
 * message and the state of the memory afterwards.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  MemoryError,
  memoryview,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

const INVALID_KEY = 'memoryview: invalid slice key';
const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** An array whose `length` (read by `?`'s truth test and by record packing) runs `hook`. */
function withLengthHook(values: unknown[], hook: () => void): unknown[] {
  return new Proxy(values, {
    get(target, key, receiver) {
      if (key === 'length') hook();
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('fast paths accept exactly what the slow path accepts', () => {
  const keys: [string, unknown][] = [
    ['0.5', 0.5],
    ['1.5', 1.5],
    ['-0.5', -0.5],
    ['NaN', Number.NaN],
    ['a string', '1'],
    ['true', true],
    ['null', null],
  ];
  for (const [name, key] of keys) {
    test(`get(${name}) of a strided 1-D view is an invalid key, warm or cold`, () => {
      const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const cold = memoryview(bytes).slice(0, null, 2);
      expectError(() => cold.get(key as number), TypeError, INVALID_KEY);
      const warm = memoryview(bytes).slice(0, null, 2);
      for (let i = 0; i < 4; i++) assert.equal(warm.get(i), 2 * i + 1);
      expectError(() => warm.get(key as number), TypeError, INVALID_KEY);
      expectError(() => warm.set(key as number, 0), TypeError, INVALID_KEY);
      assert.deepEqual([...bytes], [1, 2, 3, 4, 5, 6, 7, 8], 'nothing written');
    });

    test(`get/set with ${name} among N-D indices is an invalid key`, () => {
      const bytes = new Uint8Array(24).map((_, i) => i);
      for (const shape of [
        [4, 6],
        [2, 3, 4],
        [2, 3, 2, 2],
      ]) {
        const m = memoryview(bytes).cast('B', shape);
        const zeros = shape.map(() => 0);
        assert.equal(m.get(...zeros), 0);
        for (let d = 0; d < shape.length; d++) {
          const at = [...zeros];
          at[d] = key as number;
          expectError(() => m.get(...at), TypeError, INVALID_KEY);
          expectError(() => m.set(...at, 7), TypeError, INVALID_KEY);
          const flipped = m.sub(...shape.map(() => [null, null, -1] as const));
          expectError(() => flipped.get(...at), TypeError, INVALID_KEY);
        }
      }
      assert.deepEqual(
        [...bytes],
        Array.from({ length: 24 }, (_, i) => i),
        'nothing written',
      );
    });
  }

  test('a field view takes only int indices', () => {
    const m = memoryview(new Uint8Array(7)).cast('<BHi', [1]).slice(0);
    const f = m.field(2);
    f.set(0, -5);
    assert.equal(f.get(0), -5);
    expectError(() => f.get(0.5), TypeError, INVALID_KEY);
    expectError(() => f.set(0.5, 1), TypeError, INVALID_KEY);
    assert.equal(f.get(0), -5);
  });

  test('iteration of a strided view reads exactly the elements get reads', () => {
    const bytes = new Uint8Array(10).map((_, i) => i * 3);
    const m = memoryview(bytes).slice(9, null, -3);
    assert.deepEqual([...m], [27, 18, 9, 0]);
    assert.deepEqual([...m], m.toList());
  });
});

describe('re-entrant user code during a write sees no shared scratch', () => {
  test('a record whose ? value writes another record through the same view', () => {
    const bytes = new Uint8Array(4);
    const m = memoryview(bytes).cast('B?', [2]);
    const truthy = withLengthHook([1], () => m.set(1, [9, false]));
    m.set(0, [5, truthy] as never);
    assert.deepEqual([...bytes], [5, 1, 9, 0]);
    assert.deepEqual(m.toList(), [
      [5, true],
      [9, false],
    ]);
  });

  test('a ? value whose truth test writes the same element: the outer write lands last', () => {
    const bytes = new Uint8Array(2);
    const m = memoryview(bytes).cast('?');
    const truthy = withLengthHook([1], () => m.set(0, false));
    m.set(0, truthy as never);
    assert.deepEqual([...bytes], [1, 0]);
  });

  test('a record that fails while converting leaves memory untouched after a nested write', () => {
    const bytes = new Uint8Array(4);
    const m = memoryview(bytes).cast('BB', [2]);
    const bad = withLengthHook([7, 'x'], () => m.set(1, [3, 4]));
    assert.throws(() => m.set(0, bad as never));
    assert.deepEqual([...bytes], [0, 0, 3, 4], 'only the nested write happened');
  });
});

describe('memory that moves while a value converts', () => {
  test('detached by a ? value: BufferError, nothing written', () => {
    const ab = new ArrayBuffer(4);
    const m = memoryview(ab).cast('?');
    const truthy = withLengthHook([1], () => detach(ab));
    expectError(() => m.set(0, truthy as never), BufferError, DETACHED);
    assert.equal(ab.byteLength, 0);
  });

  test('shrunk by a record value: BufferError naming the shrink, survivors untouched', () => {
    const ab = new ArrayBuffer(16, { maxByteLength: 16 });
    const m = memoryview(ab).cast('<dd');
    const values = withLengthHook([1.5, 2.5], () => ab.resize(4));
    expectError(
      () => m.set(0, values as never),
      BufferError,
      'the underlying ArrayBuffer shrank to 4 bytes; this view reaches byte 15',
    );
    assert.deepEqual([...new Uint8Array(ab)], [0, 0, 0, 0]);
  });

  test('a view released by the value it converts: ValueError, nothing written', () => {
    const bytes = new Uint8Array(2);
    const m = memoryview(bytes).cast('B?', [1]);
    const values = withLengthHook([1, true], () => m.release());
    expectError(
      () => m.set(0, values as never),
      ValueError,
      'operation forbidden on released memoryview object',
    );
    assert.deepEqual([...bytes], [0, 0]);
  });

  test('grown (regrown WebAssembly.Memory) by a record value: BufferError', () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2 });
    const m = memoryview(memory).slice(0, 8).cast('<ii');
    const values = withLengthHook([1, 2], () => memory.grow(1));
    expectError(
      () => m.set(0, values as never),
      BufferError,
      'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer',
    );
    assert.deepEqual([...new Uint8Array(memory.buffer, 0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  for (const format of ['>i', '<i', 'i']) {
    for (const warm of [false, true]) {
      test(`a ${format} child whose span survived a partial shrink reads and writes (parent ${warm ? 'read' : 'unread'})`, () => {
        const ab = new ArrayBuffer(16, { maxByteLength: 16 });
        new Uint8Array(ab).set([0, 0, 0, 1, 0, 0, 0, 2]);
        const parent = memoryview(ab).cast(format);
        if (warm) parent.get(0);
        const child = parent.slice(0, 2);
        ab.resize(8);
        const big = format === '>i';
        assert.equal(child.get(1), big ? 2 : 0x02000000);
        assert.deepEqual(child.toList(), big ? [1, 2] : [0x01000000, 0x02000000]);
        child.set(0, 7);
        assert.equal(child.get(0), 7);
        expectError(
          () => parent.get(0),
          BufferError,
          'the underlying ArrayBuffer shrank to 8 bytes; this view reaches byte 15',
        );
      });
    }
  }
});

describe('empty views at offsets outside their buffer', () => {
  const odd = () => memoryview(new Uint8Array(12)).cast('B', [3, 4]).slice(-100, -200, -1);

  test('toTypedArray, toList, toBytes and hex agree with CPython: empty', () => {
    const m = odd();
    assert.deepEqual(m.shape, [0, 4]);
    assert.equal(m.byteOffset, -4);
    const t = m.toTypedArray();
    assert.ok(t instanceof Uint8Array);
    assert.equal(t.length, 0);
    assert.deepEqual(m.toList(), []);
    assert.equal(m.toBytes().length, 0);
    assert.equal(m.hex(), '');
  });

  test('an empty N-D view before its buffer gives an empty TypedArray of its format', () => {
    const m = memoryview(new Uint8Array(16)).cast('i', [2, 2]).slice(-100, -200, -1);
    assert.equal(m.byteOffset, -8);
    assert.equal(m.cContiguous, true);
    const t = m.toTypedArray();
    assert.ok(t instanceof Int32Array);
    assert.equal(t.length, 0);
  });

  test('an empty reversed 1-D view is not contiguous, as in CPython, and says so', () => {
    const m = memoryview(new Uint8Array(16)).cast('i').slice(-100, -200, -1);
    assert.equal(m.byteOffset, -4);
    assert.equal(m.cContiguous, false);
    expectError(() => m.toTypedArray(), BufferError, 'toTypedArray: the view is not C-contiguous');
    assert.deepEqual([...m], []);
    assert.deepEqual(m.toList(), []);
  });

  test('iterating an empty view over detached memory raises as toList does', () => {
    const ab = new ArrayBuffer(8);
    const m = memoryview(ab).slice(0, 0);
    detach(ab);
    expectError(() => [...m], BufferError, DETACHED);
    expectError(() => m.toList(), BufferError, DETACHED);
    expectError(() => m.toTypedArray(), BufferError, DETACHED);
  });
});

describe('sizes beyond what the engine can allocate', () => {
  /** An exporter of `n` stride-0 bytes over one real byte. */
  const strideZero = (n: number) => ({
    [BUFFER](): BufferInfo {
      const buffer = new ArrayBuffer(1);
      return {
        obj: this,
        buffer,
        offset: 0,
        len: n,
        readonly: false,
        format: 'B',
        itemsize: 1,
        ndim: 1,
        shape: [n],
        strides: [0],
        suboffsets: [],
      };
    },
  });

  test('toBytes, hex and toList of 2**40 stride-0 elements raise MemoryError', () => {
    const m = memoryview(strideZero(2 ** 40));
    assert.equal(m.nbytes, 2 ** 40);
    expectError(() => m.toBytes(), MemoryError, '');
    expectError(() => m.toBytes('F'), MemoryError, '');
    expectError(() => m.hex(), MemoryError, '');
    expectError(() => m.toList(), MemoryError, '');
    expectError(() => m.assign(m), MemoryError, '');
    assert.equal(m.get(2 ** 40 - 1), 0, 'the view still reads');
  });

  test('hex whose text would pass the longest string raises MemoryError', () => {
    const m = memoryview(strideZero(2 ** 28));
    expectError(() => m.hex(), MemoryError, '');
  });

  test('hex with a 1 MB separator: ValueError, never a stack overflow', () => {
    const m = memoryview(new Uint8Array([1, 2, 3]));
    expectError(() => m.hex(new Uint8Array(1 << 20)), ValueError, 'sep must be length 1.');
    expectError(() => m.hex('-'.repeat(1 << 20)), ValueError, 'sep must be length 1.');
    expectError(() => m.hex(new Uint8Array([0xe9])), ValueError, 'sep must be ASCII.');
    assert.equal(m.hex(new Uint8Array([0x2d])), '01-02-03');
  });
});
