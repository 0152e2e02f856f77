/**
 * Exporters that own memory: `Bytes` (read-only exports), `ByteArray` (size locked while
 * exported — the full matrix of size changes × derived views), release by `using` and by
 * garbage collection, and views of WebAssembly memory handed to WebAssembly code.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BufferError,
  BufferReader,
  BufferWriter,
  ByteArray,
  Bytes,
  FrameDecoder,
  getBuffer,
  IndexError,
  iterUnpack,
  type MemoryView,
  memoryview,
  PyBUF,
  packInto,
  releaseBuffer,
  Struct,
  unpackFrom,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { sumAndFillModule, wasm } from './helpers/wasm.js';

const LOCKED = 'Existing exports of data: object cannot be re-sized';

describe('Bytes', () => {
  test('copies what it is built from', () => {
    const source = new Uint8Array([1, 2, 3]);
    const b = new Bytes(source);
    source[0] = 9;
    assert.deepEqual([...b], [1, 2, 3]);
    assert.deepEqual([...new Bytes(3)], [0, 0, 0]);
    assert.deepEqual([...new Bytes([65, 66n, true])], [65, 66, 1]);
    assert.deepEqual(
      [...new Bytes(memoryview(new Uint8Array([1, 2, 3, 4])).slice(null, null, -2))],
      [4, 2],
    );
    assert.deepEqual([...new Bytes(new Uint16Array([0x0102]))], [2, 1]);
    assert.equal(new Bytes().length, 0);
  });

  test("rejects what Python's bytes() rejects, with its messages", () => {
    expectError(() => new Bytes('abc' as never), TypeError, 'string argument without an encoding');
    expectError(() => new Bytes(-1), ValueError, 'negative count');
    expectError(() => new Bytes(1.5), TypeError, "cannot convert 'float' object to bytes");
    expectError(() => new Bytes({} as never), TypeError, "cannot convert 'dict' object to bytes");
    expectError(() => new Bytes([256]), ValueError, 'bytes must be in range(0, 256)');
    expectError(
      () => new Bytes(['a'] as never),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
  });

  test('reads like Python bytes', () => {
    const b = Bytes.fromHex('61 62 63 27 00');
    assert.equal(b.length, 5);
    assert.equal(b.get(0), 0x61);
    assert.equal(b.get(-1), 0);
    expectError(() => b.get(5), IndexError, 'index out of range');
    assert.deepEqual([...b.slice(1, null, 2)], [0x62, 0x27]);
    assert.equal(b.hex(':', 2), '61:6263:2700');
    assert.equal(String(b), `b"abc'\\x00"`);
    assert.equal(new Bytes([104, 105]).decode(), 'hi');
    assert.equal(b.equals(new Uint8Array([0x61, 0x62, 0x63, 0x27, 0])), true);
    assert.equal(b.equals(new Bytes([1])), false);
    expectError(
      () => Bytes.fromHex('0g'),
      ValueError,
      'non-hexadecimal number found in fromhex() arg at position 1',
    );
  });

  test('exports read-only memory', () => {
    const b = new Bytes([1, 2]);
    const m = memoryview(b);
    assert.equal(m.readonly, true);
    assert.equal(m.obj, b);
    expectError(() => m.set(0, 5), TypeError, 'cannot modify read-only memory');
    expectError(() => getBuffer(b, PyBUF.WRITABLE), BufferError, 'Object is not writable.');
    expectError(
      () => packInto('B', b, 0, 1),
      TypeError,
      'argument must be read-write bytes-like object, not bytes',
    );
    assert.deepEqual(unpackFrom('<H', b), [0x0201]);
  });
});

describe('ByteArray', () => {
  test("grows and shrinks like Python's bytearray", () => {
    const ba = new ByteArray([1, 2, 3]);
    ba.append(4);
    ba.extend(new Uint8Array(100).fill(7));
    ba.extend([8, 9]);
    ba.insert(0, 0);
    ba.insert(-1, 5);
    ba.insert(1000, 6);
    assert.equal(ba.length, 109);
    assert.deepEqual([...ba].slice(0, 6), [0, 1, 2, 3, 4, 7]);
    assert.deepEqual([...ba].slice(-4), [8, 5, 9, 6]);
    assert.equal(ba.pop(), 6);
    assert.equal(ba.pop(0), 0);
    ba.remove(7);
    assert.equal(ba.length, 106);
    ba.setSlice(0, 3, new Uint8Array([42]));
    assert.deepEqual([...ba].slice(0, 3), [42, 4, 7]);
    ba.setSlice(0, 4, [1, 2], 2);
    expectError(
      () => ba.setSlice(0, 4, [1], 2),
      ValueError,
      'attempt to assign bytes of size 1 to extended slice of size 2',
    );
    ba.resize(3);
    assert.deepEqual([...ba], [1, 4, 2]);
    ba.resize(5);
    assert.deepEqual([...ba], [1, 4, 2, 0, 0]);
    ba.reverse();
    assert.deepEqual([...ba], [0, 0, 2, 4, 1]);
    ba.resize(5000);
    assert.deepEqual([...ba].slice(0, 6), [0, 0, 2, 4, 1, 0]);
    assert.ok(ba.capacity >= 5000);
    ba.clear();
    assert.equal(ba.length, 0);
    assert.equal(String(new ByteArray([97, 98])), "bytearray(b'ab')");
  });

  test('keeps its bytes on a plain ArrayBuffer, which Web APIs accept views of', () => {
    const ba = new ByteArray([1, 2, 3]);
    const info = getBuffer(ba, PyBUF.SIMPLE);
    const first = info.buffer;
    assert.ok(first instanceof ArrayBuffer);
    assert.equal(first.resizable, false);
    assert.equal(first.byteLength, ba.capacity);
    releaseBuffer(info);
    const m = memoryview(ba);
    assert.equal((m.toTypedArray().buffer as ArrayBuffer).resizable, false);
    m.release();
    // Growing past the capacity moves the bytes to a new, larger plain buffer.
    ba.extend(new Uint8Array(ba.capacity).fill(9));
    const grown = getBuffer(ba, PyBUF.SIMPLE);
    assert.notEqual(grown.buffer, first);
    assert.equal((grown.buffer as ArrayBuffer).resizable, false);
    assert.deepEqual([...new Uint8Array(grown.buffer, 0, 4)], [1, 2, 3, 9]);
    releaseBuffer(grown);
  });

  test('grows geometrically: a million appends move the bytes a few times only', () => {
    const ba = new ByteArray();
    let moves = 0;
    let capacity = ba.capacity;
    for (let i = 0; i < 1 << 20; i++) {
      ba.append(i & 0xff);
      if (ba.capacity !== capacity) {
        assert.ok(ba.capacity >= capacity * 2, `${capacity} -> ${ba.capacity}`);
        capacity = ba.capacity;
        moves++;
      }
    }
    assert.equal(ba.length, 1 << 20);
    assert.equal(ba.get(-1), 0xff);
    assert.equal(moves, 16); // 16 bytes doubled to 1 MiB
  });

  test("rejects what Python's bytearray rejects, with its messages", () => {
    const ba = new ByteArray([1, 2, 3]);
    expectError(() => ba.append(256), ValueError, 'byte must be in range(0, 256)');
    expectError(
      () => ba.append('a' as never),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
    expectError(() => new ByteArray().pop(), IndexError, 'pop from empty bytearray');
    expectError(() => ba.pop(10), IndexError, 'pop index out of range');
    expectError(() => ba.remove(120), ValueError, 'value not found in bytearray');
    expectError(() => ba.set(10, 1), IndexError, 'bytearray index out of range');
    expectError(() => ba.get(-4), IndexError, 'bytearray index out of range');
    expectError(
      () => ba.extend('abc' as never),
      TypeError,
      "expected iterable of integers; got: 'str'",
    );
    expectError(() => ba.extend(5), TypeError, "can't extend bytearray with int");
    expectError(
      () => ba.setSlice(0, 1, 5),
      TypeError,
      'can assign only bytes, buffers, or iterables of ints in range(0, 256)',
    );
    assert.deepEqual([...ba], [1, 2, 3], 'failed calls change nothing');
  });

  test('a view of a ByteArray sees its bytes and writes through', () => {
    const ba = new ByteArray([1, 2, 3, 4]);
    const m = memoryview(ba);
    m.set(0, 9);
    ba.set(1, 8);
    assert.deepEqual(m.toList(), [9, 8, 3, 4]);
    assert.equal(m.obj, ba);
    m.release();
  });

  /** Size-changing operations, each on a 4-byte ByteArray. */
  const RESIZES: [string, (ba: ByteArray) => void][] = [
    ['append', (ba) => ba.append(1)],
    ['extend', (ba) => ba.extend(new Uint8Array([1]))],
    ['extend (iterable)', (ba) => ba.extend([1])],
    ['insert', (ba) => ba.insert(0, 1)],
    ['pop', (ba) => ba.pop()],
    ['remove', (ba) => ba.remove(ba.get(0))],
    ['clear', (ba) => ba.clear()],
    ['resize larger', (ba) => ba.resize(64)],
    ['resize smaller', (ba) => ba.resize(1)],
    ['setSlice growing', (ba) => ba.setSlice(0, 1, [1, 2])],
    ['setSlice shrinking', (ba) => ba.setSlice(0, 2, [1])],
  ];

  /** Ways to hold an export of a ByteArray; each returns its release. */
  const HOLDERS: [string, (ba: ByteArray) => () => void][] = [
    ['memoryview', (ba) => viewHolder(memoryview(ba))],
    ['slice', (ba) => derivedHolder(ba, (m) => m.slice(1))],
    ['cast', (ba) => derivedHolder(ba, (m) => m.cast('I'))],
    ['memoryview(m)', (ba) => derivedHolder(ba, (m) => memoryview(m))],
    ['toReadonly', (ba) => derivedHolder(ba, (m) => m.toReadonly())],
    ['sub', (ba) => derivedHolder(ba, (m) => viaCast(m, (c) => c.sub(null, 0)))],
    ['transpose', (ba) => derivedHolder(ba, (m) => viaCast(m, (c) => c.T))],
    [
      'getBuffer',
      (ba) => {
        const info = getBuffer(ba, PyBUF.SIMPLE);
        return () => releaseBuffer(info);
      },
    ],
    [
      'iterUnpack',
      (ba) => {
        const it = iterUnpack('<H', ba);
        it.next();
        return () => {
          for (const _ of it);
        };
      },
    ],
  ];

  /** A view derived from a 2x2 cast of `m`, the cast itself released. */
  function viaCast(m: MemoryView, derive: (cast: MemoryView) => MemoryView): MemoryView {
    const cast = m.cast('B', [2, 2]);
    const derived = derive(cast);
    cast.release();
    return derived;
  }

  /** Holds a view. */
  function viewHolder(m: MemoryView): () => void {
    return () => m.release();
  }

  /** Holds only a view derived from a released one: the derived view keeps the lock. */
  function derivedHolder(ba: ByteArray, derive: (m: MemoryView) => MemoryView): () => void {
    const base = memoryview(ba);
    const derived = derive(base);
    base.release();
    return () => derived.release();
  }

  for (const [holderName, hold] of HOLDERS) {
    for (const [opName, op] of RESIZES) {
      test(`${opName} is refused while a ${holderName} is alive, allowed after release`, () => {
        const ba = new ByteArray([0, 1, 2, 3]);
        const release = hold(ba);
        expectError(() => op(ba), BufferError, LOCKED);
        assert.deepEqual([...ba], [0, 1, 2, 3], 'a refused resize changes nothing');
        ba.set(0, 5); // same-size writes are allowed while exported
        ba.setSlice(1, 2, [6]);
        ba.reverse();
        ba.resize(4);
        ba.extend(new Uint8Array(0));
        release();
        assert.equal(ba.exports, 0);
        op(ba);
      });
    }
  }

  test('struct calls hold an export only while they run', () => {
    const ba = new ByteArray(8);
    packInto('<I', ba, 0, 7);
    assert.deepEqual(unpackFrom('<I', ba), [7]);
    assert.equal(ba.exports, 0);
    ba.append(1);
  });

  test('a release with live sub-views keeps the lock until the last view goes', () => {
    const ba = new ByteArray(4);
    const m = memoryview(ba);
    const a = m.slice(1);
    const b = a.cast('B', [3]);
    m.release();
    a.release();
    expectError(() => ba.append(1), BufferError, LOCKED);
    b.release();
    b.release();
    ba.append(1);
    assert.equal(ba.length, 5);
  });

  test('a view that is garbage collected without release gives its export back', async (t) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) {
      t.skip('run node with --expose-gc to test release by garbage collection');
      return;
    }
    const ba = new ByteArray(4);
    (() => {
      memoryview(ba).slice(1);
    })();
    assert.equal(ba.exports, 1);
    for (let i = 0; i < 50 && ba.exports > 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(ba.exports, 0);
    ba.append(1);
  });
});

describe("memview's classes in CPython's messages", () => {
  const CLASSES: [string, () => object, string][] = [
    ['Bytes', () => new Bytes(1), 'bytes'],
    ['ByteArray', () => new ByteArray(1), 'bytearray'],
    ['MemoryView', () => memoryview(new Uint8Array(1)), 'memoryview'],
    ['Struct', () => new Struct('B'), 'Struct'],
    ['StructIterator', () => iterUnpack('B', new Uint8Array(0)), 'StructIterator'],
    ['BufferReader', () => new BufferReader(new Uint8Array(1)), 'BufferReader'],
    ['BufferWriter', () => new BufferWriter(), 'BufferWriter'],
    ['FrameDecoder', () => new FrameDecoder(), 'FrameDecoder'],
  ];

  test('keep their names when a bundler renames the class (esbuild: Bytes -> _Bytes)', () => {
    const m = memoryview(new Uint8Array(1));
    for (const [cls, make, name] of CLASSES) {
      const value = make();
      const ctor = value.constructor;
      const saved = Object.getOwnPropertyDescriptor(ctor, 'name');
      Object.defineProperty(ctor, 'name', { value: `_${cls}`, configurable: true });
      try {
        expectError(
          () => m.cast(value as never),
          TypeError,
          `cast() argument 'format' must be str, not ${name}`,
        );
      } finally {
        Object.defineProperty(ctor, 'name', saved as PropertyDescriptor);
      }
    }
    m.release();
  });

  test('a subclass is named as its author named it, as in CPython', () => {
    class MyBytes extends Bytes {}
    class Bytes2 {}
    Object.defineProperty(Bytes2, 'name', { value: 'Bytes' });
    const m = memoryview(new Uint8Array(1));
    for (const [value, name] of [
      [new MyBytes(1), 'MyBytes'],
      [new Bytes2(), 'Bytes'],
    ] as const) {
      expectError(
        () => m.cast(value as never),
        TypeError,
        `cast() argument 'format' must be str, not ${name}`,
      );
    }
    m.release();
  });
});

describe('WebAssembly memory', () => {
  test('a view hands its region to WebAssembly code by offset and length', () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 4 });
    const { exports } = new wasm.Instance(new wasm.Module(sumAndFillModule()), {
      env: { memory },
    });
    const sum = exports.sum as (p: number, n: number) => number;
    const fill = exports.fill as (p: number, n: number, v: number) => void;
    const region = memoryview(memory).slice(1000, 1010);
    region.assign(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    assert.equal(sum(region.byteOffset, region.nbytes), 55);
    fill(region.byteOffset + 2, 3, 200);
    assert.deepEqual(region.toList(), [1, 2, 200, 200, 200, 6, 7, 8, 9, 10]);

    memory.grow(1);
    expectError(
      () => region.toList(),
      BufferError,
      'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer',
    );
    const fresh = memoryview(memory).slice(1000, 1010);
    assert.equal(memoryview(memory).nbytes, 2 * 65536);
    assert.equal(sum(fresh.byteOffset, fresh.nbytes), 1 + 2 + 600 + 6 + 7 + 8 + 9 + 10);
  });
});
