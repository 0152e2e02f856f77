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
  calcsize,
  EOFError,
  getBuffer,
  IndexError,
  iterUnpack,
  memoryview,
  PyBUF,
  pack,
  packInto,
  releaseBuffer,
  Struct,
  StructError,
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
    assert.doesNotMatch(firstFrame(caught!), /\/src\/|memoryview|struct/, caught?.stack);
  });
});
