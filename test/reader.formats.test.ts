/**
 * The reader's helpers for real file formats: varints (LEB128, zigzag), NUL-terminated
 * strings, `peek`, `readAtMost`, alignment, and their `BufferWriter` counterparts.
 * Varints have no CPython counterpart: they are checked against a plain reference encoder
 * written here (bit by bit over bigints) and the protobuf documentation's examples.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BufferReader,
  BufferWriter,
  ByteArray,
  EOFError,
  memoryview,
  OverflowError,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';

/** The reference encoder: 7 bits at a time, least significant first. */
function encode(value: bigint, signed = false): number[] {
  let u = signed ? (value < 0n ? -2n * value - 1n : 2n * value) : value;
  const out: number[] = [];
  do {
    const low = Number(u % 128n);
    u /= 128n;
    out.push(u > 0n ? low + 128 : low);
  } while (u > 0n);
  return out;
}

const reader = (bytes: number[]) => new BufferReader(new Uint8Array(bytes));
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('BufferReader.readVarint', () => {
  test("decodes protobuf's examples", () => {
    const r = reader([0x01, 0x96, 0x01, 0xac, 0x02, 0x7f, 0x80, 0x01]);
    assert.deepEqual([r.readVarint(), r.readVarint(), r.readVarint()], [1, 150, 300]);
    assert.deepEqual([r.readVarint(), r.readVarint()], [127, 128]);
    assert.equal(r.remaining, 0);
  });

  test('zigzag: 0, 1, 2, 3, 4 are 0, -1, 1, -2, 2', () => {
    const r = reader([0, 1, 2, 3, 4, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    const got = Array.from({ length: 7 }, () => r.readVarint({ signed: true }));
    assert.deepEqual(got, [0, -1, 1, -2, 2, 2147483647, -2147483648]);
    assert.ok(!Object.is(reader([0]).readVarint({ signed: true }), -0), 'zero is +0');
  });

  test('round-trips every 64-bit value through the reference encoder, in each mode', () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 2n ** 64n - 1n),
        fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
        (u, s) => {
          const bytes = [...encode(u), ...encode(s, true)];
          const r = reader(bytes);
          const a = r.readVarint();
          const b = r.readVarint({ signed: true });
          assert.equal(r.remaining, 0);
          // Default: a number while it is exact, a bigint beyond.
          assert.equal(typeof a, u <= SAFE ? 'number' : 'bigint');
          assert.equal(BigInt(a), u);
          assert.equal(typeof b, s <= SAFE && s >= -SAFE ? 'number' : 'bigint');
          assert.equal(BigInt(b), s);
          r.seek(0);
          assert.equal(r.readVarint({ int64: 'bigint' }), u);
          assert.equal(r.readVarint({ int64: 'bigint', signed: true }), s);
          // The writer is the inverse.
          const w = new BufferWriter();
          w.writeVarint(u);
          w.writeVarint(s, { signed: true });
          assert.deepEqual([...w.target.toUint8Array()], bytes);
          if (typeof a === 'number') w.writeVarint(a);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("int64: 'number' gives numbers up to 2**53 - 1 and OverflowError beyond, consuming nothing", () => {
    const max = reader(encode(SAFE));
    assert.equal(max.readVarint({ int64: 'number' }), Number.MAX_SAFE_INTEGER);
    const min = reader(encode(-SAFE, true));
    assert.equal(min.readVarint({ int64: 'number', signed: true }), -Number.MAX_SAFE_INTEGER);
    const r = reader([0, ...encode(SAFE + 1n)]);
    r.skip(1);
    expectError(
      () => r.readVarint({ int64: 'number' }),
      OverflowError,
      "int too large to convert to number: 9007199254740992 (int64: 'number' holds integers up to ±2**53 - 1)",
    );
    assert.equal(r.tell(), 1);
    expectError(
      () => reader(encode(-SAFE - 1n, true)).readVarint({ int64: 'number', signed: true }),
      OverflowError,
      "int too large to convert to number: -9007199254740992 (int64: 'number' holds integers up to ±2**53 - 1)",
    );
    assert.equal(typeof reader([5]).readVarint({ int64: 'bigint' }), 'bigint');
    const bad = reader([0x80, 0x01]);
    expectError(
      () => bad.readVarint({ int64: 'Number' as 'number' }),
      ValueError,
      "int64 must be either 'bigint' or 'number'",
    );
    assert.equal(bad.tell(), 0);
    expectError(
      () => reader([1]).readVarint({ int64: null as unknown as 'number' }),
      ValueError,
      "int64 must be either 'bigint' or 'number'",
    );
  });

  test('accepts redundant zero groups (as protobuf does)', () => {
    assert.equal(reader([0x81, 0x80, 0x00]).readVarint(), 1);
    const ten = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
    assert.equal(reader(ten).readVarint(), 0);
    const top = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert.equal(reader(top).readVarint(), 2n ** 64n - 1n);
  });

  test('a varint cut by the end is an EOFError that consumes nothing', () => {
    for (const bytes of [[0x80], [0xff, 0xff], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]]) {
      const r = reader([1, ...bytes]);
      r.skip(1);
      expectError(
        () => r.readVarint(),
        EOFError,
        `varint at offset 1 is truncated by the end of the ${bytes.length + 1}-byte buffer`,
      );
      assert.equal(r.tell(), 1);
    }
    expectError(
      () => reader([]).readVarint({ signed: true }),
      EOFError,
      'varint at offset 0 is truncated by the end of the 0-byte buffer',
    );
  });

  test('more than 10 bytes, or bits beyond bit 63, is a ValueError that consumes nothing', () => {
    const nine = Array(9).fill(0xff);
    const r = reader([...nine, 0x02]);
    expectError(() => r.readVarint(), ValueError, 'varint at offset 0 does not fit in 64 bits');
    assert.equal(r.tell(), 0);
    expectError(
      () => reader([...nine, 0x81, 0x00]).readVarint({ int64: 'bigint' }),
      ValueError,
      'varint at offset 0 is longer than 10 bytes',
    );
    expectError(
      () => reader([...nine, 0x80]).readVarint(),
      ValueError,
      'varint at offset 0 is longer than 10 bytes',
    );
  });

  test('a released reader refuses', () => {
    const r = reader([1]);
    r.release();
    for (const read of [() => r.readVarint(), () => r.readVarint({ signed: true })]) {
      expectError(read, ValueError, 'operation forbidden on a released BufferReader');
    }
  });
});

describe('BufferReader.readCString', () => {
  test('returns the bytes before the NUL as a view of the source and consumes the NUL', () => {
    const data = new TextEncoder().encode('.text\0\0abc\0');
    const r = new BufferReader(data);
    const name = r.readCString();
    assert.equal(new TextDecoder().decode(name), '.text');
    assert.equal(name.buffer, data.buffer, 'a view, not a copy');
    assert.equal(r.tell(), 6);
    assert.equal(r.readCString().length, 0);
    assert.deepEqual([...r.readCString(4)], [97, 98, 99]);
    assert.equal(r.remaining, 0);
  });

  test('a limit bounds the bytes taken, NUL included', () => {
    const r = reader([65, 66, 0, 67]);
    assert.deepEqual([...r.readCString(3)], [65, 66]);
    r.seek(0);
    expectError(() => r.readCString(2), ValueError, 'no NUL terminator in the 2 bytes at offset 0');
    expectError(() => r.readCString(0), ValueError, 'no NUL terminator in the 0 bytes at offset 0');
    assert.equal(r.tell(), 0);
  });

  test('no NUL before the end is an EOFError that consumes nothing', () => {
    const r = reader([0, 65, 66]);
    r.skip(1);
    for (const read of [() => r.readCString(), () => r.readCString(3)]) {
      expectError(
        read,
        EOFError,
        'no NUL terminator from offset 1 to the end of the 3-byte buffer',
      );
    }
    assert.equal(r.tell(), 1);
    expectError(
      () => reader([]).readCString(),
      EOFError,
      'no NUL terminator from offset 0 to the end of the 0-byte buffer',
    );
  });

  test('a bad limit is refused', () => {
    const r = reader([0]);
    expectError(
      () => r.readCString(-1),
      ValueError,
      'limit must be a non-negative integer, not -1',
    );
    expectError(
      () => r.readCString(1.5),
      ValueError,
      'limit must be a non-negative integer, not 1.5',
    );
    expectError(
      () => r.readCString('2' as unknown as number),
      TypeError,
      "limit must be an integer, not 'str'",
    );
  });
});

describe('BufferReader.peek, readAtMost, align', () => {
  test('peek returns the next bytes without moving', () => {
    const data = new Uint8Array([1, 2, 3]);
    const r = new BufferReader(data);
    r.skip(1);
    const p = r.peek(2);
    assert.deepEqual([...p], [2, 3]);
    assert.equal(p.buffer, data.buffer);
    assert.equal(r.tell(), 1);
    expectError(
      () => r.peek(3),
      EOFError,
      'read of 3 bytes at offset 1 passes the end of the 3-byte buffer',
    );
  });

  test('readAtMost truncates at the end as a Python slice does', () => {
    const r = reader([1, 2, 3, 4, 5]);
    assert.deepEqual([...r.readAtMost(2)], [1, 2]);
    assert.deepEqual([...r.readAtMost(10)], [3, 4, 5]);
    assert.equal(r.readAtMost(10).length, 0);
    assert.equal(r.tell(), 5);
    expectError(
      () => r.readAtMost(-1),
      ValueError,
      'a read needs a non-negative integer count, not -1',
    );
  });

  test('align moves to the next multiple from the start of the source', () => {
    const r = new BufferReader(memoryview(new Uint8Array(16)).slice(3));
    r.skip(1);
    r.align(4);
    assert.equal(r.tell(), 4);
    r.align(4);
    assert.equal(r.tell(), 4);
    r.skip(5);
    r.align(1);
    assert.equal(r.tell(), 9);
    expectError(
      () => r.align(8),
      EOFError,
      'read of 7 bytes at offset 9 passes the end of the 13-byte buffer',
    );
    assert.equal(r.tell(), 9);
    expectError(() => r.align(0), ValueError, 'alignment must be a positive integer, not 0');
    expectError(() => r.align(-4), ValueError, 'alignment must be a non-negative integer, not -4');
  });
});

describe('BufferWriter counterparts', () => {
  test('writeCString appends the bytes and a NUL; refuses an embedded NUL', () => {
    const w = new BufferWriter();
    w.writeCString('héllo');
    w.writeCString(new Uint8Array([1, 2]));
    w.writeCString(memoryview(new Uint8Array([9, 8, 7, 6])).slice(null, null, 2));
    assert.deepEqual(
      [...w.target.toUint8Array()],
      [104, 195, 169, 108, 108, 111, 0, 1, 2, 0, 9, 7, 0],
    );
    expectError(() => w.writeCString('a\0b'), ValueError, 'embedded null byte');
    expectError(() => w.writeCString(new Uint8Array([0])), ValueError, 'embedded null byte');
    assert.equal(w.length, 13, 'nothing appended');
  });

  test('align pads with zeros to the next multiple', () => {
    const w = new BufferWriter(new ByteArray([1, 2, 3]));
    w.align(4);
    assert.deepEqual([...w.target.toUint8Array()], [1, 2, 3, 0]);
    w.align(4);
    assert.equal(w.length, 4);
    w.pack('B', 5);
    w.align(8);
    assert.equal(w.length, 8);
    expectError(() => w.align(0), ValueError, 'alignment must be a positive integer, not 0');
    expectError(() => w.align(2.5), ValueError, 'alignment must be a positive integer, not 2.5');
    expectError(
      () => w.align(null as unknown as number),
      TypeError,
      "alignment must be an integer, not 'NoneType'",
    );
  });

  test('writeVarint refuses values outside 64 bits and non-integers, appending nothing', () => {
    const w = new BufferWriter();
    const unsigned = 'unsigned varint requires 0 <= number <= 18446744073709551615';
    const signed = 'signed varint requires -9223372036854775808 <= number <= 9223372036854775807';
    expectError(() => w.writeVarint(-1), OverflowError, unsigned);
    expectError(() => w.writeVarint(2n ** 64n), OverflowError, unsigned);
    expectError(() => w.writeVarint(2n ** 63n, { signed: true }), OverflowError, signed);
    expectError(() => w.writeVarint(-(2n ** 63n) - 1n, { signed: true }), OverflowError, signed);
    expectError(
      () => w.writeVarint(1.5),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
    expectError(
      () => w.writeVarint(Number.NaN, { signed: true }),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
    expectError(
      () => w.writeVarint('1' as unknown as number),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
    assert.equal(w.length, 0);
  });
});
