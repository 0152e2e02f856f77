/**
 * struct beyond CPython: the allocation-free read path (`unpackInto`, `unpackValueFrom`,
 * `valueCount`), checked against `unpackFrom` on formats of every engine path (straight
 * and interpreted, long runs, bytes, bigints), and packInto's argument counting.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUFFER,
  type BufferInfo,
  IndexError,
  memoryview,
  OverflowError,
  packInto,
  RELEASE,
  Struct,
  StructError,
  unpackFrom,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';

const FORMATS = [
  '<IHHd',
  '>h',
  '<16sHHIQQQIHHHHHH',
  '<20H',
  '>3e2f?c4p',
  '@bqxi',
  '<10I',
  '!Qq',
  '0s',
  '',
];

function sample(size: number): Uint8Array {
  const bytes = new Uint8Array(size + 7);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
  return bytes;
}

describe('unpackInto', () => {
  it('fills the caller array with what unpackFrom returns, and returns it', () => {
    for (const format of FORMATS) {
      const s = new Struct(format);
      const bytes = sample(s.size);
      for (const offset of [0, 3, 7]) {
        const out: unknown[] = ['stale'];
        assert.equal(s.unpackInto(out, bytes, offset), out);
        const expected = s.unpackFrom(bytes, offset);
        assert.deepEqual(out.slice(0, s.valueCount), expected, `${format} at ${offset}`);
        assert.equal(s.valueCount, expected.length);
      }
    }
  });

  it("keeps unpackFrom's checks and messages, and releases an exporter's memory", () => {
    const s = new Struct('<I');
    const out = [0];
    expectError(
      () => s.unpackInto(out, new Uint8Array(3)),
      StructError,
      'unpack_from requires a buffer of at least 4 bytes for unpacking 4 bytes at offset 0 (actual buffer size is 3)',
    );
    expectError(
      () => s.unpackInto(out, new Uint8Array(8), 2n ** 63n),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
    expectError(
      () => s.unpackInto('x' as unknown as unknown[], new Uint8Array(4)),
      TypeError,
      'unpackInto() argument 1 must be an array, not str',
    );
    assert.deepEqual(out, [0]);
    let releases = 0;
    const bytes = new Uint8Array([1, 0, 0, 0]);
    const exporter = {
      [BUFFER]: (): BufferInfo => ({
        obj: exporter,
        buffer: bytes.buffer,
        offset: 0,
        len: 4,
        readonly: true,
        format: 'B',
        itemsize: 1,
        ndim: 1,
        shape: [4],
        strides: [1],
        suboffsets: [],
      }),
      [RELEASE]: () => {
        releases++;
      },
    };
    assert.deepEqual(s.unpackInto(out, exporter), [1]);
    assert.equal(releases, 1);
    assert.deepEqual(s.unpackInto(out, memoryview(bytes)), [1]);
  });
});

describe('unpackValueFrom', () => {
  it('is unpackFrom(buffer, offset)[index], negative indices included', () => {
    for (const format of FORMATS) {
      const s = new Struct(format);
      const bytes = sample(s.size);
      const all = unpackFrom(format, bytes, 5);
      for (let i = -all.length; i < all.length; i++) {
        assert.deepEqual(
          s.unpackValueFrom(bytes, 5, i),
          all[i < 0 ? i + all.length : i],
          `${format}[${i}]`,
        );
      }
    }
  });

  it('checks the buffer and offset first, then the index, as a tuple would', () => {
    const s = new Struct('<hh');
    expectError(
      () => s.unpackValueFrom(new Uint8Array(2), 0, 9),
      StructError,
      'unpack_from requires a buffer of at least 4 bytes for unpacking 4 bytes at offset 0 (actual buffer size is 2)',
    );
    expectError(
      () => s.unpackValueFrom(new Uint8Array(4), 0, 2),
      IndexError,
      'tuple index out of range',
    );
    expectError(
      () => s.unpackValueFrom(new Uint8Array(4), 0, -3),
      IndexError,
      'tuple index out of range',
    );
    expectError(
      () => s.unpackValueFrom(new Uint8Array(4), 0, 0.5),
      TypeError,
      'tuple indices must be integers or slices, not float',
    );
  });
});

describe('packInto counts its arguments', () => {
  it('takes undefined values as values, and forwards every count from the module function', () => {
    const b = new Uint8Array(16).fill(0xee);
    packInto('??', b, 0, undefined, 1);
    assert.deepEqual([...b.subarray(0, 3)], [0, 1, 0xee]);
    expectError(
      () => (new Struct('??') as Struct).packInto(b, 0, undefined),
      StructError,
      'pack_into expected 2 items for packing (got 1)',
    );
    const values = Array.from({ length: 9 }, (_, i) => i + 1);
    const nine: string = '<9B';
    packInto(nine, b, 1, ...values);
    assert.deepEqual([...b.subarray(0, 11)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xee]);
    expectError(
      () => packInto(nine, b, 1, ...values, 10),
      StructError,
      'pack_into expected 9 items for packing (got 10)',
    );
    expectError(
      () => (packInto as (...a: unknown[]) => void)('<9B', b),
      StructError,
      'pack_into expected offset argument',
    );
  });
});
