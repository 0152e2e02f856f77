/**
 * MemoryView by hand: what the CPython and NumPy fixtures cannot show — memory that
 * vanishes under a view (detached, shrunk, regrown WebAssembly memory), `toTypedArray`,
 * records, release and disposal, struct over views, and how a view prints.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  BufferError,
  getBuffer,
  iterUnpack,
  type MemoryView,
  memoryview,
  packInto,
  releaseBuffer,
  StructError,
  unpack,
  unpackFrom,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';

/** Every way to touch a view's elements, each of which must notice vanished memory. */
const ACCESSES: [string, (m: MemoryView) => unknown][] = [
  ['get', (m) => m.get(0)],
  ['get (last)', (m) => m.get(-1)],
  ['set', (m) => m.set(0, 1)],
  ['toList', (m) => m.toList()],
  ['toBytes', (m) => m.toBytes()],
  ['toBytes F', (m) => m.toBytes('F')],
  ['hex', (m) => m.hex()],
  ['iterate', (m) => [...m]],
  ['equals', (m) => m.equals(new Uint8Array(m.nbytes))],
  ['assign', (m) => m.assign(new Uint8Array(m.nbytes))],
  ['toTypedArray', (m) => m.toTypedArray()],
  ['getBuffer', (m) => getBuffer(m)],
  ['struct.unpack', (m) => unpack(`${m.nbytes}B`, m)],
  ['strided toBytes', (m) => m.slice(1, null, 2).toBytes()],
];

describe('memory that vanishes under a view', () => {
  for (const [name, access] of ACCESSES) {
    test(`${name} on a detached buffer is a BufferError`, () => {
      const ab = new ArrayBuffer(8);
      const m = memoryview(ab);
      m.get(0); // prepared accessors must notice too
      structuredClone(ab, { transfer: [ab] });
      expectError(() => access(m), BufferError, DETACHED);
    });

    test(`${name} on a shrunk resizable buffer is a BufferError; regrown, it works`, () => {
      const rab = new ArrayBuffer(16, { maxByteLength: 64 });
      const m = memoryview(rab).slice(8);
      m.toBytes();
      rab.resize(12);
      expectError(
        () => access(m),
        BufferError,
        'the underlying ArrayBuffer shrank to 12 bytes; this view reaches byte 15',
      );
      rab.resize(16);
      access(m);
    });

    test(`${name} after WebAssembly.Memory.grow is a BufferError naming the cause`, () => {
      const memory = new wasm.Memory({ initial: 1, maximum: 2 });
      const m = memoryview(memory).slice(0, 8);
      m.get(0);
      memory.grow(1);
      expectError(
        () => access(m),
        BufferError,
        'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer',
      );
      assert.equal(memoryview(memory).nbytes, 2 * 65536, 'a new view sees the grown memory');
    });
  }

  test('a view of 8-byte items notices a shrink that leaves its first item', () => {
    const rab = new ArrayBuffer(32, { maxByteLength: 32 });
    const m = memoryview(rab).cast('d');
    m.set(0, 1.5);
    assert.equal(m.get(0), 1.5);
    rab.resize(16);
    expectError(
      () => m.get(0),
      BufferError,
      'the underlying ArrayBuffer shrank to 16 bytes; this view reaches byte 31',
    );
    expectError(
      () => m.set(0, 2),
      BufferError,
      'the underlying ArrayBuffer shrank to 16 bytes; this view reaches byte 31',
    );
  });

  test('an empty view of a detached buffer still reports the detachment', () => {
    const ab = new ArrayBuffer(8);
    const m = memoryview(ab).slice(0, 0);
    structuredClone(ab, { transfer: [ab] });
    expectError(() => m.toBytes(), BufferError, DETACHED);
    expectError(() => m.toList(), BufferError, DETACHED);
  });

  test('bad values still raise their own errors on live memory', () => {
    const m = memoryview(new Uint8Array(2));
    expectError(() => m.set(0, 256), ValueError, "memoryview: invalid value for format 'B'");
    expectError(() => m.set(0, 'x' as never), TypeError, "memoryview: invalid type for format 'B'");
  });
});

describe('toTypedArray', () => {
  test('is zero-copy for a contiguous, aligned, host-order view', () => {
    const bytes = new Uint8Array(32);
    const t = memoryview(bytes).slice(8).cast('d').toTypedArray();
    assert.ok(t instanceof Float64Array);
    assert.equal(t.length, 3);
    (t as Float64Array)[0] = 2.5;
    assert.equal(new DataView(bytes.buffer).getFloat64(8, true), 2.5);
  });

  test('gives the TypedArray of each format', () => {
    const m = memoryview(new Uint8Array(16));
    assert.ok(m.cast('b').toTypedArray() instanceof Int8Array);
    assert.ok(m.cast('H').toTypedArray() instanceof Uint16Array);
    assert.ok(m.cast('<i').toTypedArray() instanceof Int32Array);
    assert.ok(m.cast('f').toTypedArray() instanceof Float32Array);
    assert.ok(m.cast('q').toTypedArray() instanceof BigInt64Array);
    assert.ok(m.cast('Q').toTypedArray() instanceof BigUint64Array);
    assert.ok(m.cast('B', [4, 4]).toTypedArray() instanceof Uint8Array);
  });

  test('names the condition that failed', () => {
    const m = memoryview(new Uint8Array(16));
    expectError(
      () => m.slice(null, null, 2).toTypedArray(),
      BufferError,
      'toTypedArray: the view is not C-contiguous',
    );
    expectError(
      () => m.slice(1, 9).cast('d').toTypedArray(),
      BufferError,
      'toTypedArray: the view starts at byte 1, which is not aligned to its 8-byte items',
    );
    expectError(
      () => m.cast('>i').toTypedArray(),
      BufferError,
      "toTypedArray: format '>i' is not in the host's byte order (little-endian)",
    );
    expectError(
      () => m.cast('?').toTypedArray(),
      BufferError,
      "toTypedArray: no TypedArray holds elements of format '?'",
    );
    expectError(
      () => m.toReadonly().toTypedArray(),
      BufferError,
      'toTypedArray: the view is read-only, and a TypedArray cannot forbid writes',
    );
    if (!('Float16Array' in globalThis)) {
      expectError(
        () => m.cast('e').toTypedArray(),
        BufferError,
        "toTypedArray: no TypedArray holds elements of format 'e'",
      );
    }
    expectError(
      () => m.cast('<IHH').toTypedArray(),
      BufferError,
      "toTypedArray: no TypedArray holds elements of format '<IHH'",
    );
  });
});

describe('records and explicit byte orders (beyond CPython)', () => {
  test('a record element is an array; a bad value leaves memory untouched', () => {
    const bytes = new Uint8Array(32);
    const m = memoryview(bytes).cast('<IHHd');
    m.set(1, [1, 2, 3, 4.5]);
    assert.deepEqual(m.get(1), [1, 2, 3, 4.5]);
    assert.deepEqual(unpackFrom('<IHHd', bytes, 16), [1, 2, 3, 4.5]);
    const before = bytes.slice();
    expectError(
      () => m.set(1, [9, 9, 70000, 1]),
      StructError,
      "'H' format requires 0 <= number <= 65535",
    );
    assert.deepEqual(bytes, before);
    expectError(
      () => m.set(0, [1, 2] as never),
      StructError,
      'pack expected 4 items for packing (got 2)',
    );
    expectError(
      () => m.set(0, 5),
      TypeError,
      "memoryview: an element of format '<IHHd' is an array of 4 values, not 'int'",
    );
  });

  test("'>I' reads big-endian integers in place", () => {
    const m = memoryview(new Uint8Array([0, 0, 1, 2, 0xff, 0, 0, 0])).cast('>I');
    assert.deepEqual(m.toList(), [258, 0xff000000]);
  });

  test("a native 'f' stores inf for a value beyond float32, as CPython's C cast", () => {
    const m = memoryview(new Uint8Array(4)).cast('f');
    m.set(0, 1e300);
    assert.equal(m.get(0), Number.POSITIVE_INFINITY);
    expectError(
      () => m.set(0, 10n ** 400n),
      ValueError,
      "memoryview: invalid value for format 'f'",
    );
  });
});

describe('release and disposal', () => {
  test('every operation on a released view raises ValueError', () => {
    const m = memoryview(new Uint8Array(4));
    m.release();
    const message = 'operation forbidden on released memoryview object';
    for (const op of [
      () => m.obj,
      () => m.nbytes,
      () => m.readonly,
      () => m.itemsize,
      () => m.format,
      () => m.ndim,
      () => m.shape,
      () => m.strides,
      () => m.suboffsets,
      () => m.cContiguous,
      () => m.fContiguous,
      () => m.contiguous,
      () => m.length,
      () => m.get(0),
      () => m.set(0, 1),
      () => m.slice(1),
      () => m.sub(0),
      () => m.transpose(),
      () => m.T,
      () => m.cast('B'),
      () => m.toList(),
      () => m.toBytes(),
      () => m.hex(),
      () => m.toReadonly(),
      () => m.toTypedArray(),
      () => m.assign(new Uint8Array(4)),
      () => [...m],
      () => getBuffer(m),
      () => unpack('4B', m),
    ]) {
      expectError(op, ValueError, message);
    }
    assert.equal(m.released, true);
    assert.equal(m.equals(m), true, 'a released view equals itself');
    assert.equal(m.equals(new Uint8Array(4)), false);
    m.release();
  });

  test('using releases at the end of the block', () => {
    let outer: MemoryView | undefined;
    {
      using m = memoryview(new Uint8Array(2));
      outer = m;
      assert.equal(m.released, false);
    }
    assert.equal(outer.released, true);
  });

  test('an iterator notices a release between steps', () => {
    const m = memoryview(new Uint8Array(3));
    const it = m[Symbol.iterator]();
    assert.deepEqual(it.next(), { value: 0, done: false });
    m.release();
    expectError(() => it.next(), ValueError, 'operation forbidden on released memoryview object');
  });
});

describe('struct over views', () => {
  test('pack_into and unpack work through a view; a strided view is refused', () => {
    const bytes = new Uint8Array(8);
    const m = memoryview(bytes);
    packInto('<HI', m.slice(2), 0, 7, 9);
    assert.deepEqual(unpack('<HI', m.slice(2)), [7, 9]);
    expectError(
      () => unpack('4B', m.slice(null, null, 2)),
      BufferError,
      'memoryview: underlying buffer is not C-contiguous',
    );
    expectError(
      () => packInto('B', m.slice(null, null, 2), 0, 1),
      TypeError,
      'argument must be read-write bytes-like object, not memoryview',
    );
    expectError(
      () => packInto('B', m.toReadonly(), 0, 1),
      TypeError,
      'argument must be read-write bytes-like object, not memoryview',
    );
  });

  test('iterUnpack holds an export of the view until it is exhausted', () => {
    const m = memoryview(new Uint8Array(8));
    const it = iterUnpack('<I', m);
    assert.equal(it.next().done, false);
    assert.equal(it.next().done, false);
    expectError(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
    assert.equal(it.next().done, true);
    m.release();
  });

  test('an export is given back even when unpacking fails', () => {
    const m = memoryview(new Uint8Array(3));
    expectError(() => unpack('<I', m), StructError, 'unpack requires a buffer of 4 bytes');
    m.release();
    assert.equal(m.released, true);
  });
});

describe('how a view shows itself', () => {
  test('util.inspect shows format, shape, strides and access', () => {
    const m = memoryview(new Uint8Array(12)).cast('B', [3, 4]);
    assert.equal(inspect(m), "<memory format 'B' shape [3, 4] strides [4, 1] writable>");
    assert.equal(
      String(m.T.toReadonly()),
      "<memory format 'B' shape [4, 3] strides [1, 4] readonly>",
    );
    m.release();
    assert.equal(inspect(m), '<released memory>');
  });

  test('shape and strides are frozen, as CPython tuples are', () => {
    const m = memoryview(new Uint8Array(4));
    assert.throws(() => {
      (m.shape as number[])[0] = 99;
    }, TypeError);
    assert.throws(() => {
      (m.strides as number[]).push(1);
    }, TypeError);
    assert.deepEqual([m.shape, m.strides, m.slice(1).shape], [[4], [1], [3]]);
    assert.equal(m.shape, m.shape, 'no copy per call');
  });

  test('an export taken with getBuffer can be released in any order', () => {
    const m = memoryview(new Uint8Array(4));
    const s = m.slice(1);
    const info = getBuffer(s);
    m.release();
    expectError(() => s.release(), BufferError, 'memoryview has 1 exported buffer');
    releaseBuffer(info);
    s.release();
  });
});

describe('copies are fresh memory', () => {
  test('toBytes of a view of a SharedArrayBuffer is not shared', () => {
    const sab = new SharedArrayBuffer(8);
    new Uint8Array(sab).set([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bytes of [
      memoryview(sab).toBytes(),
      memoryview(sab).slice(null, null, 2).toBytes(),
    ]) {
      assert.ok(bytes.buffer instanceof ArrayBuffer);
      assert.ok(!(bytes.buffer instanceof SharedArrayBuffer));
    }
    assert.deepEqual([...memoryview(sab).slice(1, 4).toBytes()], [2, 3, 4]);
  });
});
