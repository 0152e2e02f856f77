/**
 * Stack traces of memview's errors start at the user's call: the public entry points
 * leave memview's own frames out (where the engine has `Error.captureStackTrace`), keep
 * CPython's message, and leave the stack of an error thrown by user code as it was.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toArrow } from '../src/bridges/arrow/index.js';
import { toStdlib } from '../src/bridges/ndarray/stdlib.js';
import { frames, fromImageData, readFull } from '../src/bridges/web/index.js';
import {
  BUFFER,
  BufferError,
  BufferReader,
  BufferWriter,
  ByteArray,
  Bytes,
  calcsize,
  EOFError,
  FrameDecoder,
  FrameTooLongError,
  getBuffer,
  IndexError,
  intFromBytes,
  intToBytes,
  iterUnpack,
  LookupError,
  memoryview,
  NotImplementedError,
  OverflowError,
  PyBUF,
  pack,
  packInto,
  releaseBuffer,
  Struct,
  StructError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  unpack,
  unpackFrom,
  ValueError,
} from '../src/index.js';
import { expectFromUser, expectFromUserAsync, firstFrame } from './helpers/stack.js';

/** A byte stream of one chunk (a byte source closes with its BYOB request answered). */
function byteStream(bytes: number[]): ReadableStream {
  let sent = false;
  return new ReadableStream({
    type: 'bytes',
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(Uint8Array.from(bytes));
      } else {
        c.close();
        c.byobRequest?.respond(0);
      }
    },
  });
}

const trims = typeof (Error as { captureStackTrace?: unknown }).captureStackTrace === 'function';

describe('stack traces start at the call into memview', () => {
  test('struct module functions', () => {
    expectFromUser(
      () => unpack('<I', new Uint8Array(2)),
      StructError,
      'unpack requires a buffer of 4 bytes',
    );
    expectFromUser(() => pack('<b', 200), StructError, "'b' format requires -128 <= number <= 127");
    expectFromUser(() => calcsize('<Z'), StructError, 'bad char in struct format');
    expectFromUser(
      () => unpackFrom('<H', new Uint8Array(3), 2),
      StructError,
      'unpack_from requires a buffer of at least 4 bytes for unpacking 2 bytes at offset 2 ' +
        '(actual buffer size is 3)',
    );
    expectFromUser(
      () => packInto('<H', new Uint8Array(3), 2, 1),
      StructError,
      'pack_into requires a buffer of at least 4 bytes for packing 2 bytes at offset 2 ' +
        '(actual buffer size is 3)',
    );
    expectFromUser(
      () => iterUnpack('<H', new Uint8Array(3)),
      StructError,
      'iterative unpacking requires a buffer of a multiple of 2 bytes',
    );
  });

  test('Struct', () => {
    expectFromUser(() => new Struct('<Z'), StructError, 'bad char in struct format');
    const s: Struct = new Struct('<I');
    expectFromUser(() => s.pack(1, 2), StructError, 'pack expected 1 items for packing (got 2)');
    expectFromUser(
      () => s.unpack(new Uint8Array(2)),
      StructError,
      'unpack requires a buffer of 4 bytes',
    );
  });

  test('memoryview and MemoryView', () => {
    expectFromUser(
      () => memoryview('abc' as never),
      TypeError,
      "memoryview: a bytes-like object is required, not 'str'",
    );
    const m = memoryview(new Uint8Array(3));
    expectFromUser(() => m.get(10), IndexError, 'index out of bounds on dimension 1');
    expectFromUser(() => m.set(0, 300), ValueError, "memoryview: invalid value for format 'B'");
    expectFromUser(() => m.slice(0, 1, 0), ValueError, 'slice step cannot be zero');
    expectFromUser(() => m.toBytes('X' as never), ValueError, "order must be 'C', 'F' or 'A'");
    const info = getBuffer(m, PyBUF.SIMPLE);
    expectFromUser(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
    releaseBuffer(info);
  });

  test('BufferReader and BufferWriter', () => {
    const reader = new BufferReader(new Uint8Array(2));
    expectFromUser(
      () => reader.read(3),
      EOFError,
      'read of 3 bytes at offset 0 passes the end of the 2-byte buffer',
    );
    expectFromUser(
      () => reader.unpack('<I'),
      EOFError,
      'read of 4 bytes at offset 0 passes the end of the 2-byte buffer',
    );
    const writer = new BufferWriter(new ByteArray());
    expectFromUser(
      () => writer.pack('<b', 200),
      StructError,
      "'b' format requires -128 <= number <= 127",
    );
  });

  test('Bytes', () => {
    expectFromUser(
      () => new Bytes('abc' as never),
      TypeError,
      'string argument without an encoding',
    );
    expectFromUser(
      () => Bytes.fromHex('zz'),
      ValueError,
      'non-hexadecimal number found in fromhex() arg at position 0',
    );
    const b = new Bytes([97]);
    expectFromUser(() => b.get(5), IndexError, 'index out of range');
    expectFromUser(
      () => b.get(1.5),
      TypeError,
      'byte indices must be integers or slices, not float',
    );
    assert.equal(b.get(false as never), 97); // a bool is an int index, as in Python
    expectFromUser(() => b.slice(0, 1, 0), ValueError, 'slice step cannot be zero');
    expectFromUser(
      () => Bytes.fromLatin1('\u20ac'),
      UnicodeEncodeError,
      "'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)",
    );
    expectFromUser(
      () => new Bytes([0xff]).decode(),
      UnicodeDecodeError,
      "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    );
    expectFromUser(() => b.decode('nope'), LookupError, 'unknown encoding: nope');
  });

  test('ByteArray', () => {
    expectFromUser(() => new ByteArray(-1), ValueError, 'negative count');
    expectFromUser(
      () => ByteArray.fromHex('0'),
      ValueError,
      'non-hexadecimal number found in fromhex() arg at position 1',
    );
    const ba = new ByteArray([97, 98, 99]);
    expectFromUser(() => ba.get(5), IndexError, 'bytearray index out of range');
    expectFromUser(() => ba.set(5, 1), IndexError, 'bytearray index out of range');
    expectFromUser(
      () => ba.set(null as never, 1),
      TypeError,
      'bytearray indices must be integers or slices, not NoneType',
    );
    expectFromUser(
      () => ba.insert(1.5, 1),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
    expectFromUser(
      () => ba.pop(2n ** 70n),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
    expectFromUser(() => ba.append(256), ValueError, 'byte must be in range(0, 256)');
    expectFromUser(
      () => ba.extend('abc' as never),
      TypeError,
      "expected iterable of integers; got: 'str'",
    );
    expectFromUser(() => new ByteArray().pop(), IndexError, 'pop from empty bytearray');
    expectFromUser(() => ba.remove(1), ValueError, 'value not found in bytearray');
    expectFromUser(
      () => ba.setSlice(0, 3, new Uint8Array(1), 2),
      ValueError,
      'attempt to assign bytes of size 1 to extended slice of size 2',
    );
    const view = memoryview(ba);
    expectFromUser(
      () => ba.append(1),
      BufferError,
      'Existing exports of data: object cannot be re-sized',
    );
    expectFromUser(
      () => ba.extend([1, 2]),
      BufferError,
      'Existing exports of data: object cannot be re-sized',
    );
    view.release();
  });

  test('intFromBytes and intToBytes', () => {
    expectFromUser(() => intToBytes(256), OverflowError, 'int too big to convert');
    expectFromUser(
      () => intFromBytes('abc' as never),
      TypeError,
      "cannot convert 'str' object to bytes",
    );
    expectFromUser(
      () => intFromBytes(new Uint8Array(1), 'middle' as never),
      ValueError,
      "byteorder must be either 'little' or 'big'",
    );
  });

  test("bytes' methods on Bytes, ByteArray and MemoryView", () => {
    for (const target of [new Bytes([97]), new ByteArray([97]), memoryview(new Uint8Array([97]))]) {
      expectFromUser(
        () => target.find('x' as never),
        TypeError,
        "argument should be integer or bytes-like object, not 'str'",
      );
      expectFromUser(() => target.index(new Uint8Array([120])), ValueError, 'subsection not found');
      expectFromUser(
        () => target.startsWith('x' as never),
        TypeError,
        'startswith first arg must be bytes or a tuple of bytes, not str',
      );
    }
    for (const target of [new Bytes([97]), new ByteArray([97])]) {
      expectFromUser(() => target.split(new Uint8Array(0)), ValueError, 'empty separator');
      expectFromUser(() => target.partition(new Uint8Array(0)), ValueError, 'empty separator');
      expectFromUser(
        () => target.join([1] as never),
        TypeError,
        'sequence item 0: expected a bytes-like object, int found',
      );
      expectFromUser(
        () => target.strip('x' as never),
        TypeError,
        "a bytes-like object is required, not 'str'",
      );
    }
  });

  test('FrameDecoder: the constructor, and push() in a loop, a spread and next()', () => {
    expectFromUser(
      () => new FrameDecoder({ header: 5 as never }),
      TypeError,
      "FrameDecoder header must be a str, not 'int'",
    );
    const decoder = new FrameDecoder({ header: '>B', maxLength: 1 });
    const tooLong = 'frame of 5 bytes exceeds the maximum of 1; it is skipped';
    const wire = () => Uint8Array.of(5, 1, 2, 3, 4, 5);
    expectFromUser(
      () => {
        for (const _ of decoder.push(wire()));
      },
      FrameTooLongError,
      tooLong,
    );
    expectFromUser(() => [...decoder.push(wire())], FrameTooLongError, tooLong);
    expectFromUser(() => decoder.push(wire()).next(), FrameTooLongError, tooLong);
    // A generator of the user's that delegates keeps its frame on top.
    function* userFrames(): Generator<unknown> {
      yield* decoder.push(wire());
    }
    let caught: Error | undefined;
    try {
      for (const _ of userFrames());
    } catch (error) {
      caught = error as Error;
    }
    assert.equal(caught?.message, tooLong);
    if (trims) assert.match(firstFrame(caught!), /userFrames/, caught?.stack);
  });

  test('getBuffer and releaseBuffer', () => {
    expectFromUser(() => getBuffer('abc'), TypeError, "a bytes-like object is required, not 'str'");
    expectFromUser(
      () => getBuffer(new Bytes([1]), PyBUF.WRITABLE),
      BufferError,
      'Object is not writable.',
    );
    const ba = new ByteArray([1]);
    const info = getBuffer(memoryview(ba), PyBUF.SIMPLE);
    const inner = getBuffer(info.obj, PyBUF.SIMPLE);
    const view = info.obj as ReturnType<typeof memoryview>;
    expectFromUser(() => view.release(), BufferError, 'memoryview has 2 exported buffers');
    releaseBuffer(inner);
    releaseBuffer(info);
  });

  test('the bridges: arrow, ndarray (stdlib) and web', async () => {
    expectFromUser(
      () => toArrow(memoryview(new ArrayBuffer(8)).cast('?')),
      BufferError,
      "toArrow: format '?' stores a byte per bool, and Arrow's booleans are bit-packed",
    );
    expectFromUser(
      () => toStdlib(memoryview(new BigInt64Array(2))),
      NotImplementedError,
      "toStdlib: @stdlib/ndarray has no dtype for format 'q'",
    );
    expectFromUser(
      () => fromImageData({ data: new Uint8ClampedArray(5), width: 1, height: 1 }),
      ValueError,
      'fromImageData: 1 × 1 pixels need 4 bytes, the data has 5',
    );
    await expectFromUserAsync(
      () => readFull(byteStream([1, 2]), 3),
      EOFError,
      'readFull: the stream ended after 2 of 3 bytes',
    );
  });

  test('frames() of memview/web: errors raised in its async generator', async () => {
    await expectFromUserAsync(
      async () => {
        for await (const _ of frames(byteStream([0, 0, 0, 9, 1])));
      },
      EOFError,
      'frames: the stream ended inside a frame',
    );
    await expectFromUserAsync(
      async () => {
        for await (const _ of frames(byteStream([0, 0, 0, 9, 1]), { maxLength: 2 }));
      },
      FrameTooLongError,
      'frame of 9 bytes exceeds the maximum of 2; it is skipped',
    );
  });

  test("an error thrown by the user's exporter keeps the user's frames", () => {
    function userExport(): never {
      throw new Error('refused');
    }
    const exporter = { [BUFFER]: userExport } as never;
    let caught: Error | undefined;
    try {
      unpack('<I', exporter);
    } catch (error) {
      caught = error as Error;
    }
    assert.equal(caught?.message, 'refused');
    // The user's frame is kept: the throw in this file (a bundler may rename `userExport`).
    assert.match(firstFrame(caught!), /userExport|errors\.stack\.test/, caught?.stack);
    // Judged without the checkout's own path, which may itself hold a word like `struct`.
    const frame = firstFrame(caught!)
      .split(new URL('../../', import.meta.url).href)
      .join('');
    assert.doesNotMatch(frame, /\/src\/|memoryview|struct/, caught?.stack);
  });
});
