/**
 * Compile-time tests of the type-level format parser: each `expectType` line fails the
 * build (tsc runs before the suite) if the inferred type is wrong, and each
 * `@ts-expect-error` line fails it if a wrong call stops being an error.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnyOutValue,
  BufferReader,
  type ElementOf,
  type Index,
  iterUnpack,
  MemoryView,
  memoryview,
  type NestedList,
  type PackValues,
  pack,
  Struct,
  type Unpacked,
  unpack,
  unpackFrom,
} from '../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {}

const bytes = new Uint8Array(64);

describe('type-level formats', () => {
  it('types literal formats as tuples', () => {
    expectType<Equal<Unpacked<'<IHd'>, [number, number, number]>>();
    expectType<Equal<Unpacked<'<q'>, [bigint]>>();
    expectType<Equal<Unpacked<'3s'>, [Uint8Array]>>();
    expectType<Equal<Unpacked<'10p'>, [Uint8Array]>>();
    expectType<Equal<Unpacked<'<2h?c'>, [number, number, boolean, Uint8Array]>>();
    expectType<Equal<Unpacked<'<i x 3x e'>, [number, number]>>();
    expectType<Equal<Unpacked<''>, []>>();
    expectType<Equal<Unpacked<'<'>, []>>();
    expectType<Equal<Unpacked<'<lL'>, [number, number]>>();
    expectType<Equal<Unpacked<'@l'>, [number | bigint]>>();
    expectType<Equal<Unpacked<'nNP'>, [bigint, bigint, bigint]>>();
  });

  it('falls back to general arrays where the type parser cannot follow', () => {
    expectType<Equal<Unpacked<string>, AnyOutValue[]>>();
    expectType<Equal<Unpacked<'100i'>, AnyOutValue[]>>();
    expectType<Equal<Unpacked<'z'>, AnyOutValue[]>>();
    expectType<Equal<Unpacked<'i3'>, AnyOutValue[]>>();
    expectType<Equal<PackValues<string>, unknown[]>>();
  });

  it('types pack arguments', () => {
    expectType<Equal<PackValues<'<q'>, [number | bigint | boolean]>>();
    expectType<Equal<PackValues<'<d3s'>, [number | bigint | boolean, Uint8Array]>>();
    expectType<Equal<PackValues<'?'>, [unknown]>>();
  });

  it('carries the types through the API', () => {
    const packed = pack('<iq', 1, 2n);
    const [a, b] = unpack('<iq', packed);
    expectType<Equal<typeof a, number>>();
    expectType<Equal<typeof b, bigint>>();
    const s = new Struct('<Hd');
    const record = s.unpackFrom(bytes, 0);
    expectType<Equal<typeof record, [number, number]>>();
    for (const r of iterUnpack('<B', bytes)) expectType<Equal<typeof r, [number]>>();
    const dynamic: string = '<i';
    expectType<Equal<ReturnType<typeof unpackFrom<typeof dynamic>>, AnyOutValue[]>>();
    // @ts-expect-error: 's' takes bytes, not a string
    assert.throws(() => pack('3s', 'abc'));
    // @ts-expect-error: two values for a one-value format
    assert.throws(() => pack('<i', 1, 2));
    assert.deepEqual([a, b], [1, 2n]);
  });

  it('follows the int64 option', () => {
    expectType<Equal<Unpacked<'<QqnNP', 'number'>, [number, number, number, number, number]>>();
    expectType<Equal<Unpacked<'<Qd?', 'number'>, [number, number, boolean]>>();
    expectType<Equal<Unpacked<'@lL', 'number'>, [number, number]>>();
    expectType<Equal<Unpacked<'<Q', 'bigint' | 'number'>, [number | bigint]>>();
    const s = new Struct('<IQ', { int64: 'number' });
    const record = s.unpack(new Uint8Array(12));
    expectType<Equal<typeof record, [number, number]>>();
    expectType<Equal<typeof s.int64, 'number'>>();
    const plain = new Struct('<IQ').unpackFrom(bytes);
    expectType<Equal<typeof plain, [number, bigint]>>();
    const [n] = unpack('<q', new Uint8Array(8), { int64: 'number' });
    expectType<Equal<typeof n, number>>();
    const [m] = unpackFrom('<q', bytes, 0, { int64: 'bigint' });
    expectType<Equal<typeof m, bigint>>();
    for (const r of iterUnpack('<Q', bytes, { int64: 'number' })) {
      expectType<Equal<typeof r, [number]>>();
    }
    const reader = new BufferReader(bytes);
    const header = reader.unpack('<HQ', { int64: 'number' });
    expectType<Equal<typeof header, [number, number]>>();
    // @ts-expect-error: the mode is 'bigint' or 'number'
    assert.throws(() => new Struct('<q', { int64: 'int' }));
    assert.deepEqual([n, m], [0, 0n]);
  });

  it('types views by the int64 option', () => {
    const q = memoryview(new BigInt64Array(6), { int64: 'number' });
    expectType<Equal<typeof q, MemoryView<number, number[], 'number'>>>();
    expectType<Equal<ReturnType<typeof q.get>, number>>();
    expectType<Equal<typeof q.int64, 'number'>>();
    for (const x of q) expectType<Equal<typeof x, number>>();
    const plain = memoryview(new BigUint64Array(4));
    expectType<Equal<typeof plain, MemoryView<bigint, bigint[], 'bigint'>>>();
    const bigOpt = memoryview(new BigUint64Array(4), { int64: 'bigint' });
    expectType<Equal<ReturnType<typeof bigOpt.toList>, bigint[]>>();
    // Derived views and casts keep the mode.
    expectType<Equal<ReturnType<typeof q.slice>, MemoryView<number, number[], 'number'>>>();
    expectType<Equal<typeof q.T, MemoryView<number, number[], 'number'>>>();
    expectType<Equal<ReturnType<typeof q.toReadonly>, MemoryView<number, number[], 'number'>>>();
    const again = memoryview(q);
    expectType<Equal<typeof again, MemoryView<number, number[], 'number'>>>();
    const records = q.cast('B').cast('<IQ', [2, 2]);
    expectType<Equal<ReturnType<typeof records.get>, [number, number]>>();
    expectType<Equal<ReturnType<typeof records.toList>, [number, number][][]>>();
    expectType<Equal<typeof records.int64, 'number'>>();
    expectType<
      Equal<typeof records.field, (k: Index) => MemoryView<unknown, NestedList<unknown>, 'number'>>
    >();
    // A cast's options set the mode of the cast.
    const bytes = memoryview(new Uint8Array(16));
    const numbers = bytes.cast('<q', { int64: 'number' });
    expectType<Equal<typeof numbers, MemoryView<number, number[], 'number'>>>();
    const grid = bytes.cast('<Q', [1, 2], { int64: 'number' });
    expectType<Equal<ReturnType<typeof grid.toList>, number[][]>>();
    const back = numbers.cast('B').cast('<q', { int64: 'bigint' });
    expectType<Equal<ReturnType<typeof back.get>, bigint>>();
    const natives = bytes.cast('@l', { int64: 'number' });
    expectType<Equal<ReturnType<typeof natives.get>, number>>();
    const floats = bytes.cast('<d', { int64: 'number' });
    expectType<Equal<ReturnType<typeof floats.get>, number>>();
    // A view whose mode is not known reads `number | bigint`; every view is a `MemoryView`.
    const any: MemoryView = q;
    const either = any.cast('B').cast('<q');
    expectType<Equal<ReturnType<typeof either.get>, number | bigint>>();
    const rebuilt = MemoryView.fromLayout(q.toLayout(), { int64: 'number' });
    expectType<Equal<typeof rebuilt.int64, 'number'>>();
    expectType<
      Equal<
        ReturnType<typeof MemoryView.fromShared<'number'>>,
        MemoryView<unknown, NestedList<unknown>, 'number'>
      >
    >();
    const views: MemoryView[] = [q, plain, bytes, rebuilt];
    q.set(0, 1);
    q.set(1, 2n);
    // @ts-expect-error: the mode is 'bigint' or 'number'
    assert.throws(() => memoryview(new BigInt64Array(1), { int64: 'int' }));
    // @ts-expect-error: a number view takes no string
    assert.throws(() => q.set(0, 'x'));
    assert.deepEqual(q.toList(), [1, 2, 0, 0, 0, 0]);
    assert.equal(views.length, 4);
    assert.equal(numbers.get(0), 0);
  });

  it('types views by their format and dimensions', () => {
    const d = memoryview(new Float64Array(6));
    expectType<Equal<typeof d, MemoryView<number, number[], 'bigint'>>>();
    expectType<Equal<ReturnType<typeof d.get>, number>>();
    expectType<Equal<ReturnType<typeof d.toList>, number[]>>();
    for (const x of d) expectType<Equal<typeof x, number>>();
    const q = memoryview(new BigInt64Array(2));
    expectType<Equal<ReturnType<typeof q.get>, bigint>>();
    expectType<
      Equal<ReturnType<typeof memoryview<number, number[][]>>, MemoryView<number, number[][]>>
    >();
    const raw = memoryview(new ArrayBuffer(24));
    expectType<Equal<ReturnType<typeof raw.get>, number>>();
    const records = memoryview(new ArrayBuffer(28)).cast('<IHd', [2, 1]);
    expectType<Equal<ReturnType<typeof records.get>, [number, number, number]>>();
    expectType<Equal<ReturnType<typeof records.toList>, [number, number, number][][]>>();
    const flags = raw.cast('?');
    expectType<Equal<ReturnType<typeof flags.toList>, boolean[]>>();
    const chars = raw.cast('c');
    expectType<Equal<ReturnType<typeof chars.get>, Uint8Array>>();
    const longs = raw.cast('<q', [3]);
    expectType<Equal<typeof longs, MemoryView<bigint, bigint[], 'bigint'>>>();
    expectType<Equal<typeof longs.T, MemoryView<bigint, bigint[], 'bigint'>>>();
    expectType<Equal<ReturnType<typeof longs.slice>, MemoryView<bigint, bigint[], 'bigint'>>>();
    expectType<
      Equal<ReturnType<typeof longs.sub>, MemoryView<bigint, NestedList<bigint>, 'bigint'>>
    >();
    const grid = raw.cast('<d', [1, 3, 1]);
    expectType<Equal<ReturnType<typeof grid.toList>, number[][][]>>();
    const scalar = raw.cast('<3d', []);
    expectType<Equal<ReturnType<typeof scalar.toList>, [number, number, number]>>();
    const dynamic: string = '<i';
    const unknownView = raw.cast(dynamic);
    expectType<Equal<ReturnType<typeof unknownView.get>, unknown>>();
    const shape: number[] = [2, 3];
    const unsized = raw.cast('<i', shape);
    expectType<Equal<ReturnType<typeof unsized.toList>, NestedList<number>>>();
    expectType<Equal<ElementOf<'>H'>, number>>();
    expectType<Equal<ElementOf<string>, unknown>>();
    d.set(0, 1.5);
    d.set(0, 2n);
    records.set(0, 0, [1, 2, 0.5]);
    // @ts-expect-error: 'Z' is no format character
    assert.throws(() => raw.cast('<Z'));
    // @ts-expect-error: a number view takes no string
    assert.throws(() => d.set(0, 'x'));
    // @ts-expect-error: a record takes its values as a tuple of its length
    assert.throws(() => records.set(0, 0, [1, 2]));
    assert.deepEqual(records.get(0, 0), [1, 2, 0.5]);
  });
});
