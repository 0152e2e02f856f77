/**
 * The JavaScript side of struct: which values are binary sources, how JS values map to
 * Python's in messages, untrusted formats, and the paths the golden fixtures cannot reach
 * (scratch reuse, large formats, the partial-write replay).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calcsize,
  iterUnpack,
  OverflowError,
  pack,
  packInto,
  Struct,
  StructError,
  UnicodeEncodeError,
  unpack,
  unpackFrom,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';

describe('binary sources', () => {
  const record = pack('<Ihd', 7, -2, 1.5);
  const at = (ab: ArrayBufferLike, offset: number) => {
    new Uint8Array(ab).set(record, offset);
    return ab;
  };
  const kinds: [string, () => unknown][] = [
    ['ArrayBuffer', () => at(new ArrayBuffer(14), 0)],
    ['SharedArrayBuffer', () => at(new SharedArrayBuffer(14), 0)],
    ['resizable ArrayBuffer', () => at(new ArrayBuffer(14, { maxByteLength: 64 }), 0)],
    ['Uint8Array at an offset', () => new Uint8Array(at(new ArrayBuffer(20), 3), 3, 14)],
    ['Uint8ClampedArray', () => new Uint8ClampedArray(at(new ArrayBuffer(14), 0))],
    ['Int8Array', () => new Int8Array(at(new ArrayBuffer(14), 0))],
    ['Int16Array at an offset', () => new Int16Array(at(new ArrayBuffer(16), 2), 2, 7)],
    ['Uint16Array', () => new Uint16Array(at(new ArrayBuffer(14), 0))],
    ['BigInt64Array + 2 bytes over', () => new Uint8Array(at(new ArrayBuffer(16), 0), 0, 14)],
    ['DataView at an offset', () => new DataView(at(new ArrayBuffer(30), 9), 9, 14)],
    ['Node Buffer (pooled)', () => Buffer.from(record)],
  ];
  for (const [name, make] of kinds) {
    it(`reads and writes a ${name} at its own byteOffset`, () => {
      const source = make() as ArrayBufferView;
      assert.deepEqual(unpack('<Ihd', source), [7, -2, 1.5]);
      assert.deepEqual(unpackFrom('<h', source, 4), [-2]);
      packInto('<h', source, -10, 300);
      assert.deepEqual(unpackFrom('<h', source, 4), [300]);
    });
  }

  it('reads 14-byte windows of 4-byte arrays by bytes, not elements', () => {
    const words = new Uint32Array(4);
    assert.equal(unpackFrom('<Q', words, 8).length, 1);
    expectError(() => unpack('<Ihd', words), StructError, 'unpack requires a buffer of 14 bytes');
  });

  it("names the JS value's Python type when it is not a buffer", () => {
    const cases: [unknown, string][] = [
      ['abcd', 'str'],
      [[1, 2, 3, 4], 'list'],
      [5, 'int'],
      [5.5, 'float'],
      [5n, 'int'],
      [null, 'NoneType'],
      [undefined, 'NoneType'],
      [true, 'bool'],
      [{}, 'dict'],
      [new Map(), 'Map'],
    ];
    for (const [value, name] of cases) {
      expectError(
        () => unpack('<i', value as Uint8Array),
        TypeError,
        `a bytes-like object is required, not '${name}'`,
      );
      expectError(
        () => packInto('<i', value as Uint8Array, 0, 1),
        TypeError,
        `argument must be read-write bytes-like object, not ${name === 'NoneType' ? 'None' : name}`,
      );
      expectError(
        () => iterUnpack('<i', value as Uint8Array),
        TypeError,
        `a bytes-like object is required, not '${name}'`,
      );
    }
  });
});

describe('formats', () => {
  it('takes ASCII bytes as a format, and reports a string format', () => {
    const s = new Struct(new TextEncoder().encode('<hi'));
    assert.equal(s.format, '<hi');
    assert.equal(s.size, 6);
    assert.equal(String(s), "Struct('<hi')");
    expectError(() => calcsize(new Uint8Array([0xff])), StructError, 'bad char in struct format');
  });

  it('rejects non-string formats and non-ASCII text as CPython does', () => {
    expectError(
      () => calcsize(3 as unknown as string),
      TypeError,
      'Struct() argument 1 must be a str or bytes object, not int',
    );
    expectError(
      () => new Struct(null as unknown as string),
      TypeError,
      'Struct() argument 1 must be a str or bytes object, not NoneType',
    );
    expectError(
      () => calcsize('i\u00e9\u20ac'),
      UnicodeEncodeError,
      "'ascii' codec can't encode characters in position 1-2: ordinal not in range(128)",
    );
    expectError(
      () => calcsize('<\u{1f600}'),
      UnicodeEncodeError,
      "'ascii' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(128)",
    );
  });

  it('answers huge counts at once, without allocating by the count', () => {
    const started = performance.now();
    assert.equal(calcsize('4294967295x'), 4294967295);
    assert.equal(calcsize('1000000000000i'), 4000000000000);
    expectError(() => calcsize('99999999999999999999i'), StructError, 'total struct size too long');
    const s = new Struct('1000000000000q');
    expectError(
      () => s.pack(),
      StructError,
      'pack expected 1000000000000 items for packing (got 0)',
    );
    expectError(
      () => s.unpack(new Uint8Array(8)),
      StructError,
      'unpack requires a buffer of 8000000000000 bytes',
    );
    assert.ok(performance.now() - started < 1000);
  });

  it('packs formats larger than the scratch buffer, and many values through the run loop', () => {
    const values = Array.from({ length: 100 }, (_, i) => i * 1.25);
    const packed = pack('<100d', ...values);
    assert.equal(packed.length, 800);
    assert.deepEqual(unpack('<100d', packed), values);
    assert.deepEqual(unpack('<3x2h5x', pack('<3x2h5x', 1, -1)), [1, -1]);
  });

  it('keeps the pad bytes of a reused scratch zero after a failed pack', () => {
    const s = new Struct('<bxxh');
    expectError(
      () => s.pack(1, 1 << 20),
      StructError,
      "'h' format requires -32768 <= number <= 32767",
    );
    assert.deepEqual([...s.pack(-1, -1)], [0xff, 0, 0, 0xff, 0xff]);
  });
});

describe('packInto', () => {
  it('leaves the partial write CPython leaves, gaps included', () => {
    const ok = new Uint8Array(20).fill(0xee);
    expectError(
      () => packInto('<hxxiq', ok, 2, 1, 2, 2n ** 64n),
      StructError,
      "'q' format requires -9223372036854775808 <= number <= 9223372036854775807",
    );
    assert.deepEqual(
      [...ok],
      [0xee, 0xee, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xee, 0xee],
    );
  });

  it('writes nothing when the offset check fails', () => {
    const buffer = new Uint8Array(4).fill(9);
    expectError(
      () => packInto('<i', buffer, 1, 1),
      StructError,
      'pack_into requires a buffer of at least 5 bytes for packing 4 bytes at offset 1 (actual buffer size is 4)',
    );
    assert.deepEqual([...buffer], [9, 9, 9, 9]);
  });

  it('takes bigint and boolean offsets, and names huge ones', () => {
    const buffer = new Uint8Array(8);
    packInto('<h', buffer, 2n, 513);
    packInto('<B', buffer, true as unknown as number, 7);
    assert.deepEqual([...buffer], [0, 7, 1, 2, 0, 0, 0, 0]);
    expectError(
      () => unpackFrom('<h', buffer, 2n ** 63n),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
    expectError(
      () => unpackFrom('<h', buffer, 2n ** 62n),
      StructError,
      'unpack_from requires a buffer of at least 4611686018427387906 bytes for unpacking 2 bytes at offset 4611686018427387904 (actual buffer size is 8)',
    );
    expectError(
      () => unpackFrom('<h', buffer, 1.5),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    );
    expectError(
      () => unpackFrom('<h', buffer, '1' as unknown as number),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
  });
});

describe('values', () => {
  it('maps Python truth for ?', () => {
    const truth = (v: unknown) => unpack('?', pack('?', v))[0];
    for (const v of [0, 0n, '', null, undefined, [], new Uint8Array(), new Map(), false])
      assert.equal(truth(v), false, String(v));
    for (const v of [1, -1, Number.NaN, 1n, 'a', [0], new Uint8Array(1), {}, true])
      assert.equal(truth(v), true, String(v));
  });

  it('takes integral numbers for 8-byte codes and bigints for small ones', () => {
    assert.deepEqual(unpack('<q', pack('<q', 2 ** 60)), [2n ** 60n]);
    assert.deepEqual(unpack('<b', pack('<b', -5n)), [-5]);
    assert.deepEqual(unpack('<Q?', pack('<Q?', true, 1)), [1n, true]);
    expectError(() => pack('<q', 0.5), StructError, 'required argument is not an integer');
    expectError(
      () => pack('<d', '1' as unknown as number),
      StructError,
      'required argument is not a float',
    );
    expectError(() => pack('<d', 2n ** 1024n), StructError, 'required argument is not a float');
  });

  it('returns fresh copies for c, s and p', () => {
    const source = pack(
      '<c3s4p',
      new Uint8Array([1]),
      new Uint8Array([2, 3, 4]),
      new Uint8Array([5]),
    );
    const [c, s, p] = unpack('<c3s4p', source);
    source.fill(0);
    assert.deepEqual(
      [c, s, p],
      [new Uint8Array([1]), new Uint8Array([2, 3, 4]), new Uint8Array([5])],
    );
  });
});
