/**
 * Properties of the struct engine over random formats and values (fast-check):
 * unpack inverts pack, `calcsize` is the packed length, and every binary source type
 * reads and writes the same bytes at its own byteOffset.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromHalfBits } from '../src/codec/index.js';
import { calcsize, iterUnpack, pack, packInto, Struct, unpack, unpackFrom } from '../src/index.js';

type Item = { text: string; values: fc.Arbitrary<unknown>[] };

const intRange = (bits: number, signed: boolean) =>
  signed
    ? fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 })
    : fc.integer({ min: 0, max: 2 ** bits - 1 });
const bigRange = (signed: boolean) =>
  signed
    ? fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })
    : fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const exactFloat32 = fc.float({ noDefaultInfinity: false }).map((x) => (Object.is(x, -0) ? -0 : x));
const exactHalf = fc.integer({ min: 0, max: 0xffff }).map(fromHalfBits);
const bytesOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

/** One `count code` item of a format in the given mode, with arbitraries for its values. */
function item(native: boolean): fc.Arbitrary<Item> {
  const long = native ? 8 : 4;
  const scalar: [string, () => fc.Arbitrary<unknown>][] = [
    ['b', () => intRange(8, true)],
    ['B', () => intRange(8, false)],
    ['h', () => intRange(16, true)],
    ['H', () => intRange(16, false)],
    ['i', () => intRange(32, true)],
    ['I', () => intRange(32, false)],
    ['l', () => (long === 8 ? bigRange(true) : intRange(32, true))],
    ['L', () => (long === 8 ? bigRange(false) : intRange(32, false))],
    ['q', () => bigRange(true)],
    ['Q', () => bigRange(false)],
    ['e', () => exactHalf],
    ['f', () => exactFloat32],
    ['d', () => fc.double()],
    ['?', () => fc.boolean()],
    ['c', () => bytesOf(1)],
  ];
  if (native) {
    scalar.push(
      ['n', () => bigRange(true)],
      ['N', () => bigRange(false)],
      ['P', () => bigRange(false)],
    );
  }
  return fc.oneof(
    fc
      .record({ entry: fc.constantFrom(...scalar), count: fc.integer({ min: 0, max: 3 }) })
      .chain(({ entry: [code, arb], count }) =>
        fc.constant({
          text: `${count === 1 ? '' : count}${code}`,
          values: Array.from({ length: count }, arb),
        }),
      ),
    fc.integer({ min: 0, max: 12 }).map((n) => ({ text: `${n}s`, values: [bytesOf(n)] })),
    fc.integer({ min: 1, max: 12 }).map((n) => ({
      text: `${n}p`,
      values: [fc.uint8Array({ maxLength: n - 1 })],
    })),
    fc.integer({ min: 0, max: 3 }).map((n) => ({ text: `${n}x`, values: [] })),
  );
}

const formatWithValues = fc
  .constantFrom('', '@', '=', '<', '>', '!')
  .chain((prefix) =>
    fc
      .array(item(prefix === '' || prefix === '@'), { maxLength: 6 })
      .chain((items) =>
        fc.tuple(
          fc.constant(prefix + items.map((i) => i.text).join(' ')),
          fc.tuple(...items.flatMap((i) => i.values)),
        ),
      ),
  );

describe('struct properties', () => {
  it('unpack(pack(values)) gives the values back, and calcsize is the packed length', () => {
    fc.assert(
      fc.property(formatWithValues, ([format, values]) => {
        const packed = pack(format, ...values);
        assert.equal(packed.length, calcsize(format));
        assert.deepEqual(unpack(format, packed), values);
      }),
      { numRuns: 500 },
    );
  });

  it('packInto and unpackFrom agree with pack at any offset of any binary source', () => {
    const sources = [
      (ab: ArrayBuffer) => ab,
      (ab: ArrayBuffer) => new Uint8Array(ab, 3),
      (ab: ArrayBuffer) => new DataView(ab, 5),
      (ab: ArrayBuffer) => Buffer.from(ab, 1),
      (ab: ArrayBuffer) => new Int16Array(ab, 2),
      (ab: ArrayBuffer) => new Float64Array(ab, 8),
    ];
    fc.assert(
      fc.property(
        formatWithValues,
        fc.integer({ min: 0, max: 5 }),
        fc.nat(8),
        ([format, values], kind, slack) => {
          const size = calcsize(format);
          const ab = new ArrayBuffer(Math.ceil((16 + size + slack * 8) / 8) * 8);
          const source = sources[kind](ab);
          const base = ArrayBuffer.isView(source) ? source.byteOffset : 0;
          const room = (ArrayBuffer.isView(source) ? source.byteLength : ab.byteLength) - size;
          const offset = Math.min(slack, room);
          packInto(format, source, offset, ...values);
          assert.deepEqual(new Uint8Array(ab, base + offset, size), pack(format, ...values));
          assert.deepEqual(unpackFrom(format, source, offset), values);
          assert.deepEqual(new Struct(format).unpackFrom(source, offset - room - size), values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('iterUnpack yields every record in order', () => {
    fc.assert(
      fc.property(formatWithValues, fc.integer({ min: 0, max: 5 }), ([format, values], n) => {
        fc.pre(calcsize(format) > 0);
        const one = pack(format, ...values);
        const all = new Uint8Array(one.length * n);
        for (let i = 0; i < n; i++) all.set(one, i * one.length);
        const it = iterUnpack(format, all);
        assert.equal(it.lengthHint(), n);
        assert.deepEqual(
          [...it],
          Array.from({ length: n }, () => values),
        );
        assert.equal(it.lengthHint(), 0);
      }),
      { numRuns: 200 },
    );
  });
});
