/**
 * Stack traces of memview's errors start at the user's call: the public entry points
 * leave memview's own frames out (where the engine has `Error.captureStackTrace`), keep
 * CPython's message, and leave the stack of an error thrown by user code as it was.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  BufferReader,
  BufferWriter,
  ByteArray,
  Bytes,
  calcsize,
  EOFError,
  getBuffer,
  IndexError,
  intFromBytes,
  intToBytes,
  iterUnpack,
  LookupError,
  memoryview,
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

const trims = typeof (Error as { captureStackTrace?: unknown }).captureStackTrace === 'function';

/** The first `at` line of `error`'s stack. */
function firstFrame(error: Error): string {
  const frame = (error.stack ?? '').split('\n').find((line) => /^\s+at /.test(line));
  return frame ?? '';
}

/**
 * Calls `call` from a function of this file named `userCall`, and checks the error's
 * class and message (CPython 3.13's) and, where the engine trims, that the first frame is
 * `userCall`'s, not one of memview's.
 */
function expectFromUser(
  call: () => unknown,
  type: new (...args: never[]) => Error,
  message: string,
): void {
  function userCall(): unknown {
    return call();
  }
  let caught: unknown;
  try {
    userCall();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  assert.equal(caught.name, type.name);
  assert.equal(caught.message, message);
  assert.ok(caught.stack?.startsWith(`${type.name}: ${message}\n`), caught.stack);
  if (!trims) return;
  const frame = firstFrame(caught);
  // The frame of the arrow function passed as `call` is this file's too: either is the
  // user's; what must not come first is memview's code.
  assert.match(frame, /userCall|errors\.stack\.test/, caught.stack);
  assert.doesNotMatch(frame, /[/\\]src[/\\]/, caught.stack);
}

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
