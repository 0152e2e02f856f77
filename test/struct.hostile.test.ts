/**
 * struct under hostile timing, moving memory and odd input: user code that runs in the
 * middle of a pack (a truth test, a getter), memory detached, shrunk or grown by it,
 * iterators left early, empty views at offsets outside their buffer, sizes beyond what
 * the engine can allocate. Each case checks the error's class and exact message and the
 * state left behind (bytes, export counts).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  ByteArray,
  iterUnpack,
  MemoryError,
  memoryview,
  OverflowError,
  pack,
  packInto,
  RELEASE,
  Struct,
  StructError,
  StructIterator,
  unpack,
  unpackFrom,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';
const GREW =
  'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer';

function detach(buffer: ArrayBufferLike): void {
  structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
}

/** A value whose Python truth test (`?`) runs `action` first, through a Proxy's `length`. */
function truthRuns(action: () => void): unknown {
  return new Proxy([1], {
    get(target, key, receiver) {
      if (key === 'length') action();
      return Reflect.get(target, key, receiver);
    },
  });
}

/** An exporter over `bytes` that counts its releases. */
function countingExporter(bytes: Uint8Array) {
  const state = { exports: 0, releases: 0 };
  const exporter = {
    [BUFFER](): BufferInfo {
      state.exports++;
      return {
        obj: exporter,
        buffer: bytes.buffer,
        offset: bytes.byteOffset,
        len: bytes.length,
        readonly: false,
        format: 'B',
        itemsize: 1,
        ndim: 1,
        shape: [bytes.length],
        strides: [1],
        suboffsets: [],
      };
    },
    [RELEASE](): void {
      state.releases++;
    },
  };
  return { exporter, state };
}

describe('re-entrant calls share no state', () => {
  it("pack('B?', 5, v) whose truth test packs again gives 05 01", () => {
    const inner: Uint8Array[] = [];
    const v = truthRuns(() => inner.push(pack('B?', 9, false)));
    assert.deepEqual([...pack('B?', 5, v)], [5, 1]);
    assert.deepEqual([...inner[0]], [9, 0]);
  });

  it('getters of Map and TypedArray subclasses may re-enter the same Struct', () => {
    const s = new Struct('B?');
    class SizedMap extends Map {
      override get size(): number {
        s.pack(9, false);
        return 1;
      }
    }
    class Sized extends Uint8Array {
      override get byteLength(): number {
        s.pack(9, false);
        return 1;
      }
    }
    assert.deepEqual([...s.pack(5, new SizedMap())], [5, 1]);
    assert.deepEqual([...s.pack(5, new Sized(1))], [5, 1]);
  });

  it('a re-entrant packInto lands where CPython lands it (zeroed region, values in order)', () => {
    const b = new Uint8Array(4).fill(0xee);
    const v = truthRuns(() => {
      assert.deepEqual([...b], [5, 0, 0, 0]);
      packInto('B?', b, 0, 9, false);
    });
    packInto('B?H', b, 0, 5, v, 7);
    assert.deepEqual([...b], [9, 1, 7, 0]); // CPython 3.13: 09010700
  });

  it('reads c, s and p values by their internal slots, never their getters', () => {
    class Lying extends Uint8Array {
      override get length(): number {
        throw new Error('length getter called');
      }
    }
    Object.defineProperty(Lying.prototype, 'subarray', {
      value() {
        throw new Error('subarray called');
      },
    });
    const data = new Lying([1, 2, 3]);
    assert.deepEqual([...pack('<4s', data)], [1, 2, 3, 0]);
    assert.deepEqual([...pack('<3p', data)], [2, 1, 2]);
    assert.deepEqual([...pack('c', new Lying([7]))], [7]);
    expectError(
      () => pack('c', new Lying(2)),
      StructError,
      'char format requires a bytes object of length 1',
    );
    // A Proxy is not a Uint8Array, whatever its prototype says.
    expectError(
      () => pack('2s', new Proxy(new Uint8Array(2), {})),
      StructError,
      "argument for 's' must be a bytes object",
    );
  });

  it('takes the region of a lying TypedArray source from its slots', () => {
    class Shifted extends Uint8Array {
      override get byteOffset(): number {
        return 1000;
      }
      override get byteLength(): number {
        return 1000;
      }
    }
    const source = new Shifted([1, 2, 3, 4]);
    assert.deepEqual(unpack('<I', source), [0x04030201]);
    packInto('<H', source, 2, 0x0605);
    assert.deepEqual([...new Uint8Array(source.buffer)], [1, 2, 5, 6]);
  });
});

describe('memory that moves during a call', () => {
  it('packInto: a truth test that detaches the buffer is a BufferError', () => {
    for (const call of [
      (b: Uint8Array, v: unknown) => packInto('<B?I', b, 0, 1, v, 7),
      (b: Uint8Array, v: unknown) => new Struct('<B?I').packInto(b, 0, 1, v, 7),
    ]) {
      const b = new Uint8Array(8);
      expectError(
        () =>
          call(
            b,
            truthRuns(() => detach(b.buffer)),
          ),
        BufferError,
        DETACHED,
      );
      assert.equal(b.length, 0);
    }
  });

  it('packInto: a truth test that shrinks a resizable buffer is a BufferError', () => {
    const ab = new ArrayBuffer(8, { maxByteLength: 16 });
    const b = new Uint8Array(ab);
    b.fill(0xee);
    expectError(
      () =>
        packInto(
          '<B?I',
          b,
          0,
          1,
          truthRuns(() => ab.resize(2)),
          7,
        ),
      BufferError,
      'the underlying ArrayBuffer shrank to 2 bytes; this view reaches byte 5',
    );
    // Written while the bytes were there: the region zeroed, 1, then the truth (1).
    assert.deepEqual([...b], [1, 1]);
  });

  it('packInto: a truth test that grows WebAssembly memory is a BufferError', () => {
    const memory = new wasm.Memory({ initial: 1, maximum: 2 });
    expectError(
      () =>
        packInto(
          '<B?I',
          memory,
          0,
          1,
          truthRuns(() => memory.grow(1)),
          7,
        ),
      BufferError,
      GREW,
    );
    assert.equal(memory.buffer.byteLength, 2 * 65536);
  });

  it('iterUnpack checks the memory before each record', () => {
    const b = new Uint8Array([1, 0, 2, 0]);
    const it = iterUnpack('<H', b);
    assert.deepEqual(it.next(), { value: [1], done: false });
    detach(b.buffer);
    expectError(() => it.next(), BufferError, DETACHED);
    assert.deepEqual(it.next(), { value: undefined, done: true });
    assert.equal(it.lengthHint(), 0);

    const ab = new ArrayBuffer(4, { maxByteLength: 8 });
    const shrinking = iterUnpack('<H', new Uint8Array(ab));
    shrinking.next();
    ab.resize(3);
    expectError(
      () => shrinking.next(),
      BufferError,
      'the underlying ArrayBuffer shrank to 3 bytes; this view reaches byte 3',
    );
  });

  it('a detached source is a BufferError, not a raw TypeError', () => {
    const b = new Uint8Array(4);
    detach(b.buffer);
    expectError(() => unpack('0s', b), BufferError, DETACHED);
    expectError(() => packInto('', b, 0), BufferError, DETACHED);
    expectError(() => iterUnpack('B', b), BufferError, DETACHED);
  });
});

describe('exports taken by iterUnpack are given back once', () => {
  it('on a break out of for…of', () => {
    const ba = new ByteArray([1, 2, 3]);
    for (const _ of iterUnpack('B', ba)) break;
    assert.equal(ba.exports, 0);
    ba.append(4);
    assert.equal(ba.length, 4);
  });

  it('on a next() that throws, and on checks that throw after the export', () => {
    const ab = new ArrayBuffer(4);
    const { exporter, state } = countingExporter(new Uint8Array(ab));
    const it = iterUnpack('<H', exporter);
    it.next();
    detach(ab);
    expectError(() => it.next(), BufferError, DETACHED);
    assert.deepEqual(state, { exports: 1, releases: 1 });
    it.return();
    assert.deepEqual(state, { exports: 1, releases: 1 });

    const odd = countingExporter(new Uint8Array(3));
    expectError(
      () => iterUnpack('<H', odd.exporter),
      StructError,
      'iterative unpacking requires a buffer of a multiple of 2 bytes',
    );
    assert.deepEqual(odd.state, { exports: 1, releases: 1 });
  });

  it('cannot be made by user code', () => {
    const Ctor = StructIterator as unknown as new () => unknown;
    expectError(() => new Ctor(), TypeError, "cannot create '_struct.unpack_iterator' instances");
  });
});

describe('empty views at offsets outside their buffer', () => {
  const empty = () => memoryview(new Uint8Array(12)).cast('B', [3, 4]).slice(-100, -200, -1);

  it("give CPython's answers", () => {
    assert.deepEqual(unpack('0s', empty()), [new Uint8Array(0)]);
    assert.deepEqual([...iterUnpack('B', empty())], []);
    assert.equal(packInto('0s', empty(), 0, new Uint8Array(0)), undefined);
    assert.deepEqual(unpackFrom('0s', empty(), 0), [new Uint8Array(0)]);
    expectError(
      () => packInto('B', empty(), 0, 1),
      StructError,
      'pack_into requires a buffer of at least 1 bytes for packing 1 bytes at offset 0 (actual buffer size is 0)',
    );
    expectError(
      () => unpackFrom('B', empty(), 0),
      StructError,
      'unpack_from requires a buffer of at least 1 bytes for unpacking 1 bytes at offset 0 (actual buffer size is 0)',
    );
    expectError(
      () => packInto('0s', empty(), -1, new Uint8Array(0)),
      StructError,
      'offset -1 out of range for 0-byte buffer',
    );
  });
});

describe('sizes beyond what can be allocated', () => {
  it("raise CPython's MemoryError and OverflowError, never V8's RangeError", () => {
    expectError(() => pack('1000000000000x'), MemoryError, '');
    expectError(() => new Struct('9223372036854775774x').pack(), MemoryError, '');
    expectError(() => pack('9223372036854775775x'), OverflowError, 'byte string is too large');
    expectError(() => pack('9223372036854775808x'), StructError, 'total struct size too long');
  });
});

describe('big-endian q and Q that overflow', () => {
  it('leave the truncated bytes CPython 3.13 leaves', () => {
    const cases: [string, bigint, number[]][] = [
      ['>q', 2n ** 64n + 0x1122n, [0, 0, 0, 0, 0, 0, 0x11, 0x22]],
      ['!q', -(2n ** 64n) - 5n, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb]],
      ['>Q', 2n ** 70n + 0x0102030405060708n, [1, 2, 3, 4, 5, 6, 7, 8]],
      ['>Q', -5n, [0, 0, 0, 0, 0, 0, 0, 0]],
      ['<q', 2n ** 64n + 0x1122n, [0, 0, 0, 0, 0, 0, 0, 0]],
    ];
    for (const [format, value, bytes] of cases) {
      const b = new Uint8Array(12).fill(0xee);
      const code = format[1];
      const range =
        code === 'q'
          ? "'q' format requires -9223372036854775808 <= number <= 9223372036854775807"
          : "'Q' format requires 0 <= number <= 18446744073709551615";
      expectError(() => packInto(format, b, 2, value), StructError, range);
      assert.deepEqual([...b], [0xee, 0xee, ...bytes, 0xee, 0xee], format);
    }
  });
});
