/**
 * The element-access engine: `get`/`set` fast paths of 1 to 4 dimensions and the general
 * path beyond, iteration and fields, checked against the slow paths they stand in for.
 * Reference values come from `toList` (a separate walk) and from views whose elements are
 * unaligned, which read and write through the codec's DataView path.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BufferError,
  IndexError,
  MemoryView,
  memoryview,
  NotImplementedError,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';

const RELEASED = 'operation forbidden on released memoryview object';

/** Every index tuple of `shape`, in C order. */
function* indicesOf(shape: readonly number[]): Generator<number[]> {
  if (shape.includes(0)) return;
  const at = shape.map(() => 0);
  for (;;) {
    yield [...at];
    let d = shape.length - 1;
    while (d >= 0 && ++at[d] === shape[d]) at[d--] = 0;
    if (d < 0) return;
  }
}

function nested(list: unknown, at: readonly number[]): unknown {
  let v = list;
  for (const i of at) v = (v as unknown[])[i];
  return v;
}

/** Views of 1 to 5 dimensions: contiguous, strided, flipped, offset. */
function views(): [string, MemoryView][] {
  const bytes = new Uint8Array(720).map((_, i) => (i * 13) & 255);
  const base = memoryview(bytes);
  const out: [string, MemoryView][] = [];
  const shapes = [[720], [24, 30], [6, 10, 12], [4, 5, 6, 6], [2, 3, 4, 5, 6]];
  for (const shape of shapes) {
    const m = base.cast('B', shape);
    out.push([`${shape.length}-D`, m]);
    out.push([`${shape.length}-D flipped`, m.sub(...shape.map(() => [null, null, -1] as const))]);
    out.push([
      `${shape.length}-D strided`,
      m.sub(...shape.map((n) => [n > 2 ? 1 : 0, null, 2] as const)),
    ]);
  }
  const h = memoryview(new Uint8Array(240).map((_, i) => i)).cast('h', [4, 5, 6]);
  out.push(['3-D h transposed', h.transpose(2, 0, 1)]);
  out.push([
    '2-D d',
    memoryview(new Float64Array(24).map((_, i) => i / 3))
      .cast('B')
      .cast('d', [4, 6]),
  ]);
  return out;
}

describe('get at every rank agrees with toList', () => {
  for (const [name, m] of views()) {
    test(name, () => {
      const list = m.toList();
      const shape = m.shape;
      for (const at of indicesOf(shape)) {
        const expected = nested(list, at);
        assert.equal(m.get(...at), expected, `get(${at})`);
        const negative = at.map((i, d) => i - shape[d]);
        assert.equal(m.get(...negative), expected, `get(${negative})`);
      }
      for (let d = 0; d < shape.length; d++) {
        const at = shape.map(() => 0);
        at[d] = shape[d];
        expectError(() => m.get(...at), IndexError, `index out of bounds on dimension ${d + 1}`);
        at[d] = -shape[d] - 1;
        expectError(() => m.get(...at), IndexError, `index out of bounds on dimension ${d + 1}`);
        at[d] = 2 ** 31;
        expectError(() => m.get(...at), IndexError, `index out of bounds on dimension ${d + 1}`);
        at[d] = shape[d] - 1;
        const big = at.map(BigInt);
        assert.equal(m.get(...big), m.get(...at), 'bigint indices read the same element');
      }
    });
  }
});

describe('set at every rank writes what get reads', () => {
  for (const [name, m] of views()) {
    test(name, () => {
      const shape = m.shape;
      const isFloat = m.format === 'd';
      let k = 0;
      for (const at of indicesOf(shape)) {
        const value = isFloat ? k / 4 : k % 100;
        m.set(...at, value);
        assert.equal(m.get(...at), value);
        k++;
      }
      k = 0;
      for (const at of indicesOf(shape)) {
        assert.equal(nested(m.toList(), at), isFloat ? k / 4 : k % 100);
        k++;
      }
    });
  }

  test('a read-only view refuses every write, fast-shaped or not', () => {
    const bytes = new Uint8Array(16);
    const m = memoryview(bytes).cast('B', [4, 4]).toReadonly();
    expectError(() => m.set(1, 1, 5), TypeError, 'cannot modify read-only memory');
    expectError(() => m.set(1, 1, 5.5), TypeError, 'cannot modify read-only memory');
    assert.deepEqual([...bytes], new Array(16).fill(0));
  });
});

describe('fast writes store exactly what the codec writes', () => {
  const values: unknown[] = [
    0,
    -0,
    1,
    -1,
    127,
    128,
    -129,
    255,
    256,
    32767,
    65535,
    65536,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    2 ** 32 - 1,
    2 ** 32,
    1.5,
    -2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e300,
    3.4028234663852886e38,
    3.4028235677973366e38,
    1e-50,
    true,
    7n,
    '1',
  ];
  for (const format of ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'f', 'd', '<f', '<d', '<i', '<H']) {
    test(`format ${format}: aligned (TypedArray) and unaligned (DataView) views agree`, () => {
      const fast = memoryview(new Uint8Array(16)).cast(format);
      const slowBytes = new Uint8Array(17);
      const slow = memoryview(slowBytes).slice(1).cast(format);
      for (const v of values) {
        let fastOutcome: unknown;
        let slowOutcome: unknown;
        try {
          fast.set(0, v as number);
          fastOutcome = fast.toBytes().subarray(0, fast.itemsize).join(',');
        } catch (e) {
          fastOutcome = `${(e as Error).name}: ${(e as Error).message}`;
        }
        try {
          slow.set(0, v as number);
          slowOutcome = slow.toBytes().subarray(0, slow.itemsize).join(',');
        } catch (e) {
          slowOutcome = `${(e as Error).name}: ${(e as Error).message}`;
        }
        assert.equal(fastOutcome, slowOutcome, `${format} set(0, ${String(v)})`);
        assert.ok(
          Object.is(fast.get(0), slow.get(0)) ||
            (Number.isNaN(fast.get(0) as number) && Number.isNaN(slow.get(0) as number)),
          `${format} reads back the same after ${String(v)}`,
        );
      }
    });
  }
});

describe('N-D fast writes store exactly what the codec writes', () => {
  // The same values as the 1-D case, through `set` of 2, 3 and 4 indices: an aligned view
  // (TypedArray, fast path) against an unaligned one (DataView, slow path).
  const values: unknown[] = [
    0,
    -0,
    255,
    256,
    -1,
    -129,
    32767,
    65536,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 32,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e300,
    3.4028235677973366e38,
    true,
    false,
    7n,
    '1',
    null,
    undefined,
    {},
  ];
  for (const format of ['b', 'B', 'h', 'H', 'i', 'I', 'f', 'd', '<f', '<i']) {
    for (const rank of [2, 3, 4]) {
      test(`format ${format}, ${rank}-D: aligned and unaligned views agree`, () => {
        const shape = [2, ...new Array(rank - 1).fill(1)];
        const itemsize = memoryview(new Uint8Array(8)).cast(format).itemsize;
        const fastBytes = new Uint8Array(2 * itemsize);
        const fast = memoryview(fastBytes).cast(format, shape);
        const slowBytes = new Uint8Array(2 * itemsize + 1);
        const slow = memoryview(slowBytes).slice(1).cast(format, shape);
        const at = [1, ...new Array(rank - 1).fill(0)];
        for (const v of values) {
          const outcome = (m: MemoryView, bytes: Uint8Array, offset: number): unknown => {
            try {
              m.set(...at, v as number);
              return bytes.slice(offset + itemsize, offset + 2 * itemsize).join(',');
            } catch (e) {
              return `${(e as Error).name}: ${(e as Error).message}`;
            }
          };
          assert.equal(
            outcome(fast, fastBytes, 0),
            outcome(slow, slowBytes, 1),
            `${format} set(${at}, ${String(v)})`,
          );
          assert.deepEqual(fast.toList(), slow.toList(), `${format} after ${String(v)}`);
        }
      });
    }
  }

  test('2-D, 3-D and 4-D set: CPython messages for values out of range or of the wrong type', () => {
    for (const shape of [
      [4, 4],
      [2, 2, 4],
      [2, 2, 2, 2],
    ]) {
      const bytes = new Uint8Array(16);
      const m = memoryview(bytes).cast('B', shape);
      const at = shape.map((n) => n - 1);
      for (let r = 0; r < 3; r++) m.set(...at, r);
      expectError(() => m.set(...at, 256), ValueError, "memoryview: invalid value for format 'B'");
      expectError(() => m.set(...at, -1), ValueError, "memoryview: invalid value for format 'B'");
      expectError(() => m.set(...at, 1.5), TypeError, "memoryview: invalid type for format 'B'");
      expectError(
        () => m.set(...at, '1' as unknown as number),
        TypeError,
        "memoryview: invalid type for format 'B'",
      );
      const h = memoryview(new Uint8Array(32)).cast('h', shape);
      expectError(
        () => h.set(...at, 32768),
        ValueError,
        "memoryview: invalid value for format 'h'",
      );
      const past = [...at];
      past[shape.length - 1] = shape[shape.length - 1];
      expectError(
        () => m.set(...past, 1),
        IndexError,
        `index out of bounds on dimension ${shape.length}`,
      );
      assert.equal(bytes[15], 2, 'the refused writes left the last element as it was');
    }
  });

  test('negative indices of a flipped view, at every rank, read and write through the wrap', () => {
    for (const shape of [
      [3, 4],
      [2, 3, 4],
      [2, 2, 3, 2],
    ]) {
      const bytes = new Uint8Array(shape.reduce((a, b) => a * b)).map((_, i) => i);
      const m = memoryview(bytes).cast('B', shape);
      const flip = m.sub(...shape.map(() => [null, null, -1] as const));
      const last = shape.map((n) => n - 1);
      const first = shape.map(() => 0);
      assert.equal(flip.get(...first), bytes.length - 1);
      assert.equal(flip.get(...shape.map(() => -1)), 0);
      assert.equal(flip.get(...last), 0);
      flip.set(...shape.map(() => -1), 200);
      assert.equal(bytes[0], 200);
      flip.set(...first, 201);
      assert.equal(bytes[bytes.length - 1], 201);
    }
  });
});

describe('views made every way read through their own elements', () => {
  test('a subclass of MemoryView constructs instances of itself, which read and write', () => {
    class Grid extends MemoryView {
      readonly label = 'grid';
    }
    const bytes = new Uint8Array(12);
    const g = new Grid(bytes);
    assert.ok(g instanceof Grid);
    assert.equal(g.label, 'grid');
    const two = g.cast('B', [3, 4]);
    two.set(2, 3, 7);
    assert.equal(bytes[11], 7);
    g.set(0, 9);
    assert.equal(g.get(0), 9);
    g.release();
    expectError(() => g.get(0), ValueError, RELEASED);
    assert.equal(two.get(2, 3), 7, 'a view derived from a released one keeps its memory');
  });

  test('new MemoryView(view) and memoryview(view) are views of their own', () => {
    const bytes = new Uint8Array(8).map((_, i) => i);
    const m = memoryview(bytes).cast('B', [2, 4]);
    const copy = new MemoryView(m);
    assert.ok(copy instanceof MemoryView);
    assert.notEqual(copy, m);
    assert.equal(Object.getPrototypeOf(copy), MemoryView.prototype);
    assert.equal(copy.get(1, 3), 7);
    m.release();
    assert.equal(copy.get(1, 2), 6, 'releasing the source leaves the copy open');
    copy.set(0, 0, 99);
    assert.equal(bytes[0], 99);
  });

  test('a release between loops leaves every other view reading and writing', () => {
    const bytes = new Uint8Array(64).map((_, i) => i);
    const a = memoryview(bytes).cast('B', [8, 8]);
    const b = memoryview(bytes).cast('B', [4, 4, 4]);
    let sum = 0;
    for (let r = 0; r < 3; r++)
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) sum += a.get(i, j);
    memoryview(bytes).release();
    const c = a.sub([null, null, -1]);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) sum -= a.get(i, j) + c.get(i, 7 - j);
    assert.equal(sum, 3 * 2016 - 2 * 2016);
    b.set(3, 3, 3, 1);
    assert.equal(a.get(7, 7), 1);
    a.release();
    expectError(() => a.get(0, 0), ValueError, RELEASED);
    expectError(() => a.set(0, 0, 1), ValueError, RELEASED);
    assert.equal(b.get(0, 0, 1), 1);
  });

  test('get and set with another count of indices than the rank take CPython errors', () => {
    const m = memoryview(new Uint8Array(16)).cast('B', [4, 4]);
    const t = memoryview(new Uint8Array(16)).cast('B', [2, 2, 4]);
    for (let r = 0; r < 3; r++) assert.equal(m.get(1, 1) + t.get(1, 1, 1), 0);
    expectError(
      () => m.get(0, 0, 0),
      TypeError,
      'cannot index 2-dimension view with 3-element tuple',
    );
    expectError(
      () => m.get(0, 0, 0, 0),
      TypeError,
      'cannot index 2-dimension view with 4-element tuple',
    );
    expectError(() => t.get(0, 0), NotImplementedError, 'sub-views are not implemented');
    expectError(
      () => t.get(0),
      NotImplementedError,
      'multi-dimensional sub-views are not implemented',
    );
    expectError(
      () => m.set(0, 0, 0, 1),
      TypeError,
      'cannot index 2-dimension view with 3-element tuple',
    );
    expectError(() => t.set(0, 0, 1), NotImplementedError, 'sub-views are not implemented');
    expectError(() => t.set(0, 1), NotImplementedError, 'sub-views are not implemented');
    expectError(
      () => t.set(0, 0, 0, 0, 0, 1),
      TypeError,
      'cannot index 3-dimension view with 5-element tuple',
    );
  });
});

describe('released views and vanished memory behind a warm fast path', () => {
  test('get and set of a released view raise ValueError at every rank', () => {
    for (const shape of [[16], [4, 4], [2, 2, 4], [2, 2, 2, 2], [1, 2, 2, 2, 2]]) {
      const m = memoryview(new Uint8Array(16)).cast('B', shape);
      const at = shape.map(() => 0);
      for (let r = 0; r < 3; r++) m.get(...at);
      m.set(...at, 1);
      m.release();
      expectError(() => m.get(...at), ValueError, RELEASED);
      expectError(() => m.set(...at, 2), ValueError, RELEASED);
    }
  });

  test('an iterator reads through the fast path and stops at a release', () => {
    const m = memoryview(new Uint8Array([5, 6, 7, 8]));
    const it = m[Symbol.iterator]();
    assert.deepEqual(it.next(), { value: 5, done: false });
    m.release();
    expectError(() => it.next(), ValueError, RELEASED);
  });

  test('an iterator meets detached memory with the BufferError', () => {
    const ab = new ArrayBuffer(4);
    const m = memoryview(ab).slice(0, null, 2);
    const it = m[Symbol.iterator]();
    assert.deepEqual(it.next(), { value: 0, done: false });
    structuredClone(ab, { transfer: [ab] });
    expectError(
      () => it.next(),
      BufferError,
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
  });

  test('a set at element 0 of shrunk memory is a BufferError at every rank', () => {
    for (const shape of [
      [4, 4],
      [2, 2, 4],
      [2, 2, 2, 2],
    ]) {
      const rab = new ArrayBuffer(16, { maxByteLength: 16 });
      const m = memoryview(rab).cast('B', shape);
      const first = shape.map(() => 0);
      for (let r = 0; r < 3; r++) m.set(...first, r);
      rab.resize(8);
      expectError(
        () => m.set(...first, 9),
        BufferError,
        'the underlying ArrayBuffer shrank to 8 bytes; this view reaches byte 15',
      );
      expectError(
        () => m.get(...first),
        BufferError,
        'the underlying ArrayBuffer shrank to 8 bytes; this view reaches byte 15',
      );
      rab.resize(16);
      assert.equal(m.get(...first), 2, 'nothing was written while the memory was short');
    }
  });

  test('a 2-D set on shrunk memory is a BufferError and writes nothing', () => {
    const rab = new ArrayBuffer(16, { maxByteLength: 16 });
    const m = memoryview(rab).cast('B', [4, 4]);
    m.set(3, 3, 9);
    rab.resize(8);
    expectError(
      () => m.set(3, 3, 1),
      BufferError,
      'the underlying ArrayBuffer shrank to 8 bytes; this view reaches byte 15',
    );
    rab.resize(16);
    assert.equal(m.get(3, 3), 0, 'the shrink dropped the byte; nothing was written');
  });
});

describe('fields', () => {
  test('field(k).get(i) reads every field of every record, aligned or not', () => {
    const n = 50;
    const bytes = new Uint8Array(17 * n);
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < n; i++) {
      dv.setUint32(i * 17, i * 1000, true);
      dv.setUint16(i * 17 + 4, i, true);
      dv.setInt16(i * 17 + 6, -i, true);
      dv.setFloat64(i * 17 + 8, i / 8, true);
      dv.setUint8(i * 17 + 16, i & 1);
    }
    const m = memoryview(bytes).cast('<IHhd?');
    const fields = [0, 1, 2, 3, 4].map((k) => m.field(k));
    for (let i = 0; i < n; i++) {
      const record = m.get(i) as unknown[];
      for (let k = 0; k < 5; k++) assert.equal(fields[k].get(i), record[k]);
      assert.equal(fields[3].get(-n + i), i / 8);
    }
    fields[3].set(2, 0.25);
    assert.equal((m.get(2) as unknown[])[3], 0.25);
    expectError(() => fields[3].get(n), IndexError, 'index out of bounds on dimension 1');
  });
});

describe('bulk copies of strided views, by block length', () => {
  for (const width of [1, 2, 3, 7, 63, 64, 65, 130]) {
    for (const step of [1, 2, 3]) {
      test(`rows of ${width}-byte blocks, every ${step}th row, forward and flipped`, () => {
        const bytes = new Uint8Array(20 * 140).map((_, i) => (i * 7 + 3) & 255);
        const plane = memoryview(bytes).cast('B', [20, 140]);
        for (const m of [
          plane.sub([1, null, step], [5, 5 + width]),
          plane.sub([null, null, -step], [5, 5 + width]),
          plane.sub([2, 18, step], [5, 5 + 2 * width, 2]),
        ]) {
          const expected = Uint8Array.from((m.toList() as number[][]).flat());
          assert.deepEqual(m.toBytes(), expected);
          assert.deepEqual(m.toBytes(), expected, 'again (the second read may cache)');
          assert.equal(m.hex(), Buffer.from(expected).toString('hex'));
          const reversed = expected.slice().reverse();
          m.assign(memoryview(reversed).cast('B', m.shape));
          assert.deepEqual(m.toBytes(), reversed);
          m.assign(memoryview(expected).cast('B', m.shape));
          assert.deepEqual(m.toBytes(), expected);
        }
      });
    }
  }
});
