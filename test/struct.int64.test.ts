/**
 * The number mode for 8-byte integers (`int64: 'number'`, beyond CPython): every value it
 * reads is the default mode's bigint as a number, on every engine path (straight-line
 * closures, the interpreter, long runs, one-value reads), and every value beyond
 * ±(2**53 - 1) is an OverflowError with the exact value, never a rounded number.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BufferReader,
  iterUnpack,
  OverflowError,
  pack,
  Struct,
  unpack,
  unpackFrom,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { int64Patterns, overflowMessage, SAFE } from './helpers/int64.js';

const patterns = (count: number) => int64Patterns(count, 0x9e3779b9);

const FORMATS = [
  '<q',
  '>q',
  '<Q',
  '>Q',
  '@q',
  '@Q',
  'n',
  'N',
  'P',
  '<QQ',
  '>qQ',
  '<IQdq',
  '<5Q',
  '>3q2Q',
  '<20q',
  '>18Q',
  '@bqxiN',
];

describe('int64: number', () => {
  it('reads what the default mode reads, as numbers, on every engine path', () => {
    const bits = patterns(300);
    for (const format of FORMATS) {
      const big = new Struct(format);
      const num = new Struct(format, { int64: 'number' });
      assert.equal(num.int64, 'number');
      assert.equal(big.int64, 'bigint');
      const buffer = new Uint8Array(big.size * bits.length);
      const dv = new DataView(buffer.buffer);
      for (let k = 0; k + 8 <= buffer.length; k += 8) {
        dv.setBigUint64(k, bits[(k / 8) % bits.length], true);
      }
      for (let at = 0; at + big.size <= buffer.length; at += big.size) {
        const expected = big.unpackFrom(buffer, at);
        const unsafe = expected.find((v) => typeof v === 'bigint' && (v > SAFE || v < -SAFE));
        if (unsafe === undefined) {
          const got = num.unpackFrom(buffer, at);
          assert.deepEqual(
            got,
            expected.map((v) => (typeof v === 'bigint' ? Number(v) : v)),
          );
          assert.deepEqual(num.unpackInto([], buffer, at), got, `${format} at ${at}: unpackInto`);
        } else {
          expectError(
            () => num.unpackFrom(buffer, at),
            OverflowError,
            overflowMessage(unsafe as bigint),
          );
          expectError(
            () => num.unpackInto([], buffer, at),
            OverflowError,
            overflowMessage(unsafe as bigint),
          );
        }
        for (let i = 0; i < expected.length; i++) {
          const v = expected[i];
          if (typeof v === 'bigint' && (v > SAFE || v < -SAFE)) {
            expectError(
              () => num.unpackValueFrom(buffer, at, i),
              OverflowError,
              overflowMessage(v),
            );
          } else {
            assert.equal(num.unpackValueFrom(buffer, at, i), typeof v === 'bigint' ? Number(v) : v);
          }
        }
      }
    }
  });

  it('raises at the first value beyond ±(2**53 - 1), with the exact value', () => {
    const cases: [string, bigint][] = [
      ['<q', SAFE + 1n],
      ['<q', -SAFE - 1n],
      ['>q', -(2n ** 63n)],
      ['<Q', 2n ** 64n - 1n],
      ['>Q', SAFE + 1n],
      ['N', 2n ** 63n],
      ['P', 2n ** 60n],
    ];
    for (const [format, value] of cases) {
      const bytes = pack(format, value);
      expectError(
        () => unpack(format, bytes, { int64: 'number' }),
        OverflowError,
        overflowMessage(value),
      );
    }
    expectError(
      () => unpack('<qq', pack('<qq', SAFE + 5n, -SAFE - 9n), { int64: 'number' }),
      OverflowError,
      "int too large to convert to number: 9007199254740996 (int64: 'number' holds integers up to ±2**53 - 1)",
    );
    assert.deepEqual(unpack('<qQ', pack('<qQ', -SAFE, SAFE), { int64: 'number' }), [
      -Number(SAFE),
      Number(SAFE),
    ]);
  });

  it('leaves other codes, and 4-byte standard l/L, as they are', () => {
    const bytes = pack('<lLd?3s', -5, 7, 2.5, true, Uint8Array.of(1, 2, 3));
    assert.deepEqual(unpack('<lLd?3s', bytes, { int64: 'number' }), unpack('<lLd?3s', bytes));
    const native = pack('@lL', -3, 4);
    assert.deepEqual(unpack('@lL', native, { int64: 'number' }), [-3, 4]);
  });

  it('packs numbers and bigints, as the default mode does', () => {
    const s = new Struct('<qQ', { int64: 'number' });
    assert.deepEqual(s.pack(-2, 3n), new Struct('<qQ').pack(-2n, 3));
    assert.deepEqual(s.unpack(s.pack(-(2 ** 53 - 1), 2 ** 53 - 1)), [-(2 ** 53 - 1), 2 ** 53 - 1]);
    // A number beyond the safe range is an integer all the same; it packs exactly.
    assert.deepEqual(new Struct('<qQ').unpack(s.pack(2 ** 60, 2 ** 63)), [2n ** 60n, 2n ** 63n]);
  });

  it('the module functions take it as an option, cached apart from the default', () => {
    const bytes = pack('<QQ', 1n, 2n);
    assert.deepEqual(unpack('<QQ', bytes, { int64: 'number' }), [1, 2]);
    assert.deepEqual(unpack('<QQ', bytes), [1n, 2n]);
    assert.deepEqual(unpackFrom('<Q', bytes, 8, { int64: 'number' }), [2]);
    assert.deepEqual(unpackFrom('<Q', bytes, 8), [2n]);
    assert.deepEqual(unpack('<QQ', bytes, { int64: 'bigint' }), [1n, 2n]);
    assert.deepEqual(unpack('<QQ', bytes, {}), [1n, 2n]);
    assert.deepEqual([...iterUnpack('<Q', bytes, { int64: 'number' })], [[1], [2]]);
    assert.deepEqual([...iterUnpack('<Q', bytes)], [[1n], [2n]]);
    const format = new TextEncoder().encode('<Q');
    assert.deepEqual(unpackFrom(format, bytes, 0, { int64: 'number' }), [1]);
  });

  it('BufferReader.unpack takes it too, switching modes on the same format', () => {
    const reader = new BufferReader(pack('<QQQ', 1n, 2n, 3n));
    assert.deepEqual(reader.unpack('<Q', { int64: 'number' }), [1]);
    assert.deepEqual(reader.unpack('<Q'), [2n]);
    assert.deepEqual(reader.unpack('<Q', { int64: 'number' }), [3]);
    const over = new BufferReader(pack('<Q', SAFE + 1n));
    expectError(
      () => over.unpack('<Q', { int64: 'number' }),
      OverflowError,
      overflowMessage(SAFE + 1n),
    );
  });

  it('refuses any other value of the option', () => {
    for (const bad of ['Number', 'int', 1, null, true]) {
      const options = { int64: bad } as unknown as { int64: 'number' };
      expectError(
        () => new Struct('<q', options),
        ValueError,
        "int64 must be either 'bigint' or 'number'",
      );
      expectError(
        () => unpack('<q', new Uint8Array(8), options),
        ValueError,
        "int64 must be either 'bigint' or 'number'",
      );
      const reader = new BufferReader(new Uint8Array(8));
      expectError(
        () => reader.unpack('<q', options),
        ValueError,
        "int64 must be either 'bigint' or 'number'",
      );
    }
  });

  it('shows the mode in its repr', () => {
    assert.equal(String(new Struct('<q', { int64: 'number' })), "Struct('<q', int64='number')");
    assert.equal(String(new Struct('<q', { int64: 'bigint' })), "Struct('<q')");
  });
});
