/**
 * The number mode for 8-byte integers on views (`memoryview(x, { int64: 'number' })`,
 * `cast(format, { int64: 'number' })`, beyond CPython): every element it reads is the
 * default mode's bigint as a number — through `get` (1-D, N-D, aligned 32-bit halves,
 * unaligned and big-endian DataView reads), `toList`, iteration, `field` and records —
 * and every value beyond ±(2**53 - 1) is struct's OverflowError with the exact value,
 * never a rounded number. Views derived from a view keep its mode. The default mode is
 * the one the golden fixtures check; here it is the reference the number mode must match.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BufferError,
  calcsize,
  MemoryView,
  memoryview,
  OverflowError,
  pack,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { int64Patterns, overflowMessage, SAFE } from './helpers/int64.js';

const patterns = (count: number) => int64Patterns(count, 0x2545f491);

/** `count` bytes filled 8 at a time with `patterns`, little-endian, after `lead` bytes. */
function memory(count: number, lead = 0): Uint8Array {
  const bits = patterns(count);
  const bytes = new Uint8Array(lead + 8 * bits.length);
  const dv = new DataView(bytes.buffer);
  for (let k = 0; k < bits.length; k++) dv.setBigUint64(lead + 8 * k, bits[k], true);
  return bytes;
}

function unsafe(v: unknown): v is bigint {
  return typeof v === 'bigint' && (v > SAFE || v < -SAFE);
}

/** The first unsafe bigint in a (nested) value, depth first, or undefined. */
function firstUnsafe(value: unknown): bigint | undefined {
  if (unsafe(value)) return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = firstUnsafe(v);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** `value` with every bigint made a number (the caller has checked they are safe). */
function asNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(asNumbers);
  return value;
}

/** Asserts that `num(…)` gives `big(…)`'s value as numbers, or the OverflowError for it. */
function agrees(label: string, big: () => unknown, num: () => unknown): void {
  const expected = big();
  const over = firstUnsafe(expected);
  if (over === undefined) {
    assert.deepEqual(num(), asNumbers(expected), label);
  } else {
    expectError(num, OverflowError, overflowMessage(over));
  }
}

/** Asserts that every element read of `num` agrees with the same read of `big`. */
function agreesEverywhere(label: string, big: MemoryView, num: MemoryView): void {
  assert.equal(num.int64, 'number');
  assert.equal(big.int64, 'bigint');
  agrees(
    `${label}: toList`,
    () => big.toList(),
    () => num.toList(),
  );
  const shape = big.shape;
  if (shape.length === 1) {
    for (let i = -shape[0]; i < shape[0]; i++) {
      agrees(
        `${label}: get(${i})`,
        () => big.get(i),
        () => num.get(i),
      );
    }
    // Iteration: element by element, each either a number or the OverflowError.
    const it = num[Symbol.iterator]();
    for (let i = 0; i < shape[0]; i++)
      agrees(
        `${label}: next()`,
        () => big.get(i),
        () => it.next().value,
      );
    assert.equal(it.next().done, true);
  } else if (shape.length === 2) {
    for (let i = 0; i < shape[0]; i++) {
      for (let j = 0; j < shape[1]; j++) {
        agrees(
          `${label}: get(${i}, ${j})`,
          () => big.get(i, j),
          () => num.get(i, j),
        );
      }
      agrees(
        `${label}: sub(${i})`,
        () => big.sub(i).toList(),
        () => num.sub(i).toList(),
      );
    }
  }
}

const SINGLE = ['<q', '>q', '<Q', '>Q', 'q', 'Q', '@q', '=Q', 'n', 'N', 'P', '@l', '@L'];

describe('views: int64: number', () => {
  it('reads what the default mode reads, as numbers, in every layout', () => {
    for (const format of SINGLE) {
      for (const lead of [0, 1, 4]) {
        const bytes = memory(120, lead);
        const base = memoryview(bytes).slice(lead);
        const big = base.cast(format);
        const num = base.cast(format, { int64: 'number' });
        if (big.itemsize !== 8) continue; // native l/L on a 4-byte-long host
        const label = `${format} after ${lead}`;
        agreesEverywhere(label, big, num);
        agreesEverywhere(`${label} [::3]`, big.slice(null, null, 3), num.slice(null, null, 3));
        agreesEverywhere(`${label} [::-2]`, big.slice(null, null, -2), num.slice(null, null, -2));
        agreesEverywhere(`${label} [5:17]`, big.slice(5, 17), num.slice(5, 17));
        const n = big.shape[0] - (big.shape[0] % 4);
        const whole = base.slice(0, 8 * n);
        const column = whole.cast(format, [n, 1]);
        agreesEverywhere(
          `${label} as a column`,
          column,
          whole.cast(format, [n, 1], { int64: 'number' }),
        );
        const grid = whole.cast(format, [n / 4, 4]);
        const numGrid = memoryview(grid, { int64: 'number' });
        agreesEverywhere(`${label} as a grid`, grid, numGrid);
        agreesEverywhere(`${label} transposed`, grid.T, numGrid.T);
      }
    }
  });

  it('reads records and their fields as numbers', () => {
    const bytes = memory(120);
    for (const format of ['<IQ', '<QQ', '>qQ', '<qdq', '@bqxiN', '<3Q']) {
      const size = calcsize(format);
      const base = memoryview(bytes).slice(0, bytes.length - (bytes.length % size));
      const big = base.cast(format);
      const num = base.cast(format, { int64: 'number' });
      agreesEverywhere(format, big, num);
      const fields = big.get(0) as unknown[];
      for (let k = 0; k < fields.length; k++) {
        agreesEverywhere(`${format} field ${k}`, big.field(k), num.field(k));
        assert.equal(num.field(k).int64, 'number');
      }
    }
  });

  it('raises at the first value beyond ±(2**53 - 1), with the exact value', () => {
    const values = new BigInt64Array([1n, SAFE + 1n, -SAFE - 1n, -SAFE, -(2n ** 63n)]);
    const m = memoryview(values, { int64: 'number' });
    assert.equal(m.get(0), 1);
    assert.equal(m.get(3), -(2 ** 53 - 1));
    expectError(() => m.get(1), OverflowError, overflowMessage(SAFE + 1n));
    expectError(() => m.get(-3), OverflowError, overflowMessage(-SAFE - 1n));
    expectError(() => m.get(4), OverflowError, overflowMessage(-(2n ** 63n)));
    expectError(() => m.toList(), OverflowError, overflowMessage(SAFE + 1n));
    expectError(() => [...m], OverflowError, overflowMessage(SAFE + 1n));
    const unsigned = memoryview(new BigUint64Array([2n ** 64n - 1n]), { int64: 'number' });
    expectError(() => unsigned.get(0), OverflowError, overflowMessage(2n ** 64n - 1n));
    const record = memoryview(pack('<IQ', 7, SAFE + 2n)).cast('<IQ', { int64: 'number' });
    expectError(() => record.get(0), OverflowError, overflowMessage(SAFE + 2n));
    expectError(() => record.field(1).get(0), OverflowError, overflowMessage(SAFE + 2n));
    assert.deepEqual(record.field(0).toList(), [7]);
    // The stack of the error starts in the caller, as every error memview raises does.
    try {
      m.get(1);
    } catch (error) {
      assert.doesNotMatch(String((error as Error).stack).split('\n')[1], /memoryview\.[jt]s/);
    }
  });

  it('derived views keep the mode; a cast keeps it unless its options say otherwise', () => {
    const m = memoryview(new BigInt64Array([3n, -4n, 5n, -6n]), { int64: 'number' });
    assert.deepEqual(m.slice(1, 3).toList(), [-4, 5]);
    assert.deepEqual(m.slice(null, null, -1).toList(), [-6, 5, -4, 3]);
    assert.equal(m.toReadonly().get(0), 3);
    assert.equal(memoryview(m).get(1), -4);
    assert.equal(new MemoryView(m).get(1), -4);
    assert.equal(memoryview(m, { int64: 'bigint' }).get(1), -4n);
    assert.equal(memoryview(m, {}).get(1), -4);
    const grid = m.cast('B').cast('<q', [2, 2]);
    assert.equal(grid.int64, 'number');
    assert.deepEqual(grid.toList(), [
      [3, -4],
      [5, -6],
    ]);
    assert.deepEqual(grid.T.toList(), [
      [3, 5],
      [-4, -6],
    ]);
    assert.deepEqual(grid.sub(null, 1).toList(), [-4, -6]);
    assert.deepEqual(grid.transpose(1, 0).sub(0).toList(), [3, 5]);
    const back = grid.cast('B').cast('<q', { int64: 'bigint' });
    assert.deepEqual(back.toList(), [3n, -4n, 5n, -6n]);
    assert.equal(back.cast('B').cast('<q').int64, 'bigint');
    assert.deepEqual(memoryview(new BigInt64Array([1n])).toList(), [1n]);
    // Bytes stay bytes: the mode changes nothing but 8-byte integers.
    const bytes = memoryview(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 0]), { int64: 'number' });
    assert.deepEqual(bytes.toList(), [1, 2, 3, 4, 5, 6, 7, 0]);
    assert.deepEqual(
      bytes.cast('<d').toList(),
      memoryview(bytes.obj as Uint8Array)
        .cast('<d')
        .toList(),
    );
    assert.deepEqual(bytes.cast('<q').toList(), [1976943448883713]);
    assert.deepEqual(bytes.cast('<2i').toList(), [[67305985, 460293]]);
  });

  it('a view of one mode shares nothing with one of the other', () => {
    const data = new BigInt64Array([10n, 20n]);
    const big = memoryview(data);
    big.get(0); // prepared
    const num = memoryview(big, { int64: 'number' });
    assert.equal(num.get(0), 10);
    assert.equal(big.get(0), 10n);
    const again = memoryview(num, { int64: 'bigint' });
    assert.equal(again.get(1), 20n);
    assert.equal(num.get(1), 20);
  });

  it('writes what the default mode writes, with the same errors', () => {
    const values: unknown[] = [
      0,
      -1,
      2 ** 53 - 1,
      2 ** 60,
      -(2 ** 63),
      2 ** 63,
      2 ** 64,
      1.5,
      Number.NaN,
      5n,
      -(2n ** 63n),
      2n ** 63n,
      2n ** 64n - 1n,
      2n ** 64n,
      true,
      false,
      '1',
      null,
      [1],
    ];
    for (const format of ['<q', '>q', '<Q', 'q', 'Q', 'n', 'N', 'P']) {
      for (const value of values) {
        const a = new Uint8Array(16);
        const b = new Uint8Array(16);
        const big = memoryview(a).cast(format);
        const num = memoryview(b).cast(format, { int64: 'number' });
        let expected: unknown;
        try {
          big.set(1, value as number);
        } catch (error) {
          expected = error;
        }
        if (expected === undefined) {
          num.set(1, value as number);
          assert.deepEqual(b, a, `${format} set ${String(value)}`);
        } else {
          const e = expected as Error;
          expectError(() => num.set(1, value as number), e.constructor as typeof Error, e.message);
          assert.deepEqual(b, new Uint8Array(16));
        }
      }
    }
    const grid = memoryview(new BigInt64Array(4), { int64: 'number' }).cast('B').cast('q', [2, 2]);
    grid.set(1, 0, 7);
    grid.set(0, 1, 8n);
    assert.deepEqual(grid.toList(), [
      [0, 8],
      [7, 0],
    ]);
    const record = memoryview(new Uint8Array(24)).cast('<IQ', [2], { int64: 'number' });
    record.set(1, [7, 2 ** 40]);
    // (A record's type asks for its read types; writes take numbers and bigints alike.)
    record.set(0, [1, 2n] as unknown as [number, number]);
    assert.deepEqual(record.toList(), [
      [1, 2],
      [7, 2 ** 40],
    ]);
    const zero = memoryview(new BigInt64Array(1), { int64: 'number' }).cast('B').cast('q', []);
    zero.set(-9);
    assert.equal(zero.get(), -9);
    assert.equal(zero.toList(), -9);
  });

  it('assigns from views of either mode and from bigint arrays', () => {
    const target = memoryview(new BigInt64Array(3), { int64: 'number' });
    target.assign(new BigInt64Array([1n, SAFE + 1n, 3n]));
    assert.equal(target.get(0), 1);
    expectError(() => target.get(1), OverflowError, overflowMessage(SAFE + 1n));
    target.slice(1, 2).assign(memoryview(new BigInt64Array([-2n]), { int64: 'number' }));
    assert.deepEqual(target.toList(), [1, -2, 3]);
    const plain = memoryview(new BigInt64Array(3));
    plain.assign(target);
    assert.deepEqual(plain.toList(), [1n, -2n, 3n]);
  });

  it('compares, copies and exports bytes as the default mode does, unsafe values too', () => {
    const data = new BigInt64Array([1n, SAFE + 1n]);
    const num = memoryview(data, { int64: 'number' });
    assert.equal(num.equals(memoryview(data)), true);
    assert.equal(memoryview(data).equals(num), true);
    assert.equal(num.equals(new BigInt64Array([1n, SAFE + 2n])), false);
    assert.deepEqual(num.toBytes(), memoryview(data).toBytes());
    assert.equal(num.hex(), memoryview(data).hex());
    assert.equal(num.toTypedArray() instanceof BigInt64Array, true);
  });

  it('raises for released views and vanished memory as the default mode does', () => {
    const num = memoryview(new BigInt64Array(2), { int64: 'number' });
    num.release();
    expectError(() => num.get(0), ValueError, 'operation forbidden on released memoryview object');
    assert.equal(num.int64, 'number');
    for (const mode of ['bigint', 'number'] as const) {
      const buffer = new ArrayBuffer(16);
      const m = memoryview(new BigInt64Array(buffer), { int64: mode });
      const it = m[Symbol.iterator]();
      assert.equal(it.next().value, mode === 'number' ? 0 : 0n);
      structuredClone(buffer, { transfer: [buffer] }); // detaches it
      for (const read of [() => m.get(0), () => m.toList(), () => it.next()]) {
        assert.throws(read, BufferError);
      }
    }
    // A shrunk buffer: the parent's span is cut, a slice's own bytes remain and still read.
    const failures: string[] = [];
    for (const mode of ['bigint', 'number'] as const) {
      const resizable = new ArrayBuffer(32, { maxByteLength: 32 });
      const wide = memoryview(new BigInt64Array(resizable), { int64: mode });
      const head = wide.slice(0, 1);
      assert.equal(head.get(0), mode === 'number' ? 0 : 0n);
      resizable.resize(8);
      assert.equal(head.get(0), mode === 'number' ? 0 : 0n);
      assert.equal([...head][0], mode === 'number' ? 0 : 0n);
      for (const read of [() => wide.get(3), () => wide.toList(), () => [...wide]]) {
        assert.throws(read, (error: unknown) => {
          assert.ok(error instanceof BufferError);
          failures.push(`${mode === 'number' ? 'x' : 'y'}${error.message}`);
          return true;
        });
      }
    }
    assert.deepEqual(
      failures.filter((f) => f[0] === 'x').map((f) => f.slice(1)),
      failures.filter((f) => f[0] === 'y').map((f) => f.slice(1)),
    );
  });

  it('fromLayout and fromShared take the option (a layout does not carry the mode)', () => {
    const data = new BigInt64Array(new SharedArrayBuffer(16));
    data[1] = -3n;
    const num = memoryview(data, { int64: 'number' });
    assert.equal(MemoryView.fromLayout(num.toLayout()).get(1), -3n);
    assert.equal(MemoryView.fromLayout(num.toLayout(), { int64: 'number' }).get(1), -3);
    assert.equal(MemoryView.fromShared(num.toShared()).int64, 'bigint');
    assert.equal(MemoryView.fromShared(num.toShared(), { int64: 'number' }).get(1), -3);
    const options = { int64: 'Number' } as unknown as { int64: 'number' };
    const message = "int64 must be either 'bigint' or 'number'";
    expectError(() => MemoryView.fromLayout(num.toLayout(), options), ValueError, message);
    expectError(() => MemoryView.fromShared(num.toShared(), options), ValueError, message);
  });

  it('refuses any other value of the option', () => {
    for (const bad of ['Number', 'int', 1, null, true]) {
      const options = { int64: bad } as unknown as { int64: 'number' };
      const message = "int64 must be either 'bigint' or 'number'";
      expectError(() => memoryview(new BigInt64Array(1), options), ValueError, message);
      expectError(() => new MemoryView(new BigInt64Array(1), options), ValueError, message);
      expectError(() => memoryview(new Uint8Array(8)).cast('<q', options), ValueError, message);
      expectError(
        () => memoryview(new Uint8Array(8)).cast('<q', [1], options),
        ValueError,
        message,
      );
      expectError(() => memoryview(memoryview(new Uint8Array(8)), options), ValueError, message);
    }
    // An object without `int64` in the shape's place is a shape, as CPython sees it.
    expectError(
      () => memoryview(new Uint8Array(8)).cast('B', {} as never),
      TypeError,
      'shape must be a list or a tuple',
    );
  });

  it('shows the mode', () => {
    const m = memoryview(new BigInt64Array(2), { int64: 'number' });
    assert.equal(String(m), "<memory format 'q' shape [2] strides [8] writable int64 'number'>");
    assert.equal(
      String(memoryview(new BigInt64Array(2))),
      "<memory format 'q' shape [2] strides [8] writable>",
    );
    assert.equal(m.int64, 'number');
    assert.equal(memoryview(new Uint8Array(1)).int64, 'bigint');
  });
});
