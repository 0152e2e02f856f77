/**
 * memview/arrow against apache-arrow's own readers: views and vectors over the same
 * memory both ways (sliced and chunked vectors, nulls), the record gather checked field by
 * field against `view.field(k)`, IPC read back by `tableFromIPC`, and every refusal.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Bool,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  Table,
  tableFromIPC,
  tableToIPC,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  Vector,
} from 'apache-arrow';
import {
  fromArrow,
  fromArrowChunks,
  fromArrowWithValidity,
  recordsToTable,
  toArrow,
  toArrowIPC,
  toArrowTable,
} from '../src/bridges/arrow/index.js';
import { BufferError, type MemoryView, memoryview, Struct, ValueError } from '../src/index.js';
import { expectError } from './helpers/expect.js';

/** A view of `count` items of `format` over fresh memory, filled with bytes 1, 2, 3, … */
function filled(format: string, count: number): MemoryView {
  const size = new Struct(format).size;
  const bytes = new Uint8Array(size * count);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
  return memoryview(bytes).cast(format);
}

/** The bytes an ArrayBufferView covers (a view of them, no copy). */
function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/*
 * Vectors are made with makeData, never Arrow's builders (vectorFromArray): the builders
 * compile code with `new Function`, which this suite's --disallow-code-generation-from-strings
 * (and a strict Content Security Policy) forbid. The bridge itself never uses them.
 */

/** An Arrow vector of `type` over `values`, null where `values` has null. */
function vectorOf<T extends Int32 | Int16>(type: T, values: (number | null)[]): Vector<T> {
  const data = new (type.ArrayType as Int32ArrayConstructor)(values.length);
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      data[i] = v;
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return new Vector([
    makeData({
      type,
      data,
      length: values.length,
      nullCount: nulls,
      nullBitmap: nulls > 0 ? bitmap : null,
    } as Parameters<typeof makeData>[0]),
  ]) as Vector<T>;
}

/** Every format toArrow takes, with the Arrow type it becomes. */
const NUMERIC: [string, string][] = [
  ['b', 'Int8'],
  ['B', 'Uint8'],
  ['h', 'Int16'],
  ['H', 'Uint16'],
  ['i', 'Int32'],
  ['I', 'Uint32'],
  ['l', 'Int64'],
  ['L', 'Uint64'],
  ['q', 'Int64'],
  ['Q', 'Uint64'],
  ['n', 'Int64'],
  ['N', 'Uint64'],
  ['P', 'Uint64'],
  ['e', 'Float16'],
  ['f', 'Float32'],
  ['d', 'Float64'],
  ['<b', 'Int8'],
  ['<h', 'Int16'],
  ['=i', 'Int32'],
  ['<l', 'Int32'],
  ['<q', 'Int64'],
  ['<Q', 'Uint64'],
  ['<e', 'Float16'],
  ['<f', 'Float32'],
  ['@d', 'Float64'],
];

describe('toArrow: a view becomes a vector over the same memory', () => {
  for (const [format, typeName] of NUMERIC) {
    test(`'${format}' becomes ${typeName}, zero-copy, values as Arrow reads them`, () => {
      const view = filled(format, 7);
      const vector = toArrow(view);
      assert.equal(String(vector.type), typeName);
      assert.equal(vector.length, 7);
      assert.equal(vector.data.length, 1);
      const values = vector.data[0].values as ArrayBufferView;
      assert.equal(values.buffer, (view.obj as Uint8Array).buffer);
      assert.deepEqual(bytesOf(values), view.toBytes());
      // Arrow's own reader agrees with memview's, value by value (Float16 as its number).
      const got = vector.toArray() as ArrayLike<number | bigint>;
      if (typeName === 'Float16') {
        assert.deepEqual(
          Array.from({ length: 7 }, (_, i) => vector.get(i)),
          view.toList(),
        );
      } else assert.deepEqual(Array.from(got), view.toList());
    });
  }

  test('writes through the view show in the vector, and back', () => {
    const view = memoryview(new ArrayBuffer(16)).cast('i');
    const vector = toArrow(view);
    view.set(2, 1234);
    assert.equal(vector.get(2), 1234);
    vector.set(3, -5);
    assert.equal(view.get(3), -5);
  });

  test('a slice of a view (C-contiguous, aligned) keeps its offset', () => {
    const view = filled('<d', 10).slice(3, 7);
    const vector = toArrow(view);
    assert.deepEqual(vector.toArray(), Float64Array.from(view.toList() as number[]));
    assert.equal((vector.data[0].values as Float64Array).byteOffset, 24);
  });

  test('a view over a SharedArrayBuffer', () => {
    const view = memoryview(new SharedArrayBuffer(16)).cast('I');
    view.set(1, 7);
    const vector = toArrow(view);
    assert.equal(vector.get(1), 7);
    assert.equal((vector.data[0].values as Uint32Array).buffer, view.toTypedArray().buffer);
  });

  test('an empty view', () => {
    const vector = toArrow(memoryview(new ArrayBuffer(0)).cast('d'));
    assert.equal(vector.length, 0);
    assert.equal(String(vector.type), 'Float64');
  });
});

describe('toArrow refuses what an Arrow vector cannot hold', () => {
  const buf = () => new ArrayBuffer(64);
  test('a record format', () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('<IHHd')),
      BufferError,
      "toArrow: format '<IHHd' holds 4 values per element, an Arrow vector one (recordsToTable gathers records into columns)",
    );
  });
  test('a repeat count', () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('2i')),
      BufferError,
      "toArrow: format '2i' holds 2 values per element, an Arrow vector one (recordsToTable gathers records into columns)",
    );
  });
  test("'?' (Arrow's booleans are bit-packed)", () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('?')),
      BufferError,
      "toArrow: format '?' stores a byte per bool, and Arrow's booleans are bit-packed",
    );
  });
  for (const format of ['c', '4s', '4p']) {
    test(`'${format}' (no Arrow type)`, () => {
      expectError(
        () => toArrow(memoryview(buf()).cast(format)),
        BufferError,
        `toArrow: no Arrow type holds format '${format}'`,
      );
    });
  }
  test('pad bytes', () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('xi')),
      BufferError,
      "toArrow: format 'xi' has pad bytes, which an Arrow vector cannot skip",
    );
  });
  for (const format of ['>i', '!d', '>e', '>Q']) {
    test(`big-endian '${format}'`, () => {
      expectError(
        () => toArrow(memoryview(buf()).cast(format)),
        BufferError,
        `toArrow: format '${format}' is big-endian, and Arrow's memory is little-endian`,
      );
    });
  }
  test('more than one dimension', () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('i', [4, 4])),
      BufferError,
      'toArrow: the view has 2 dimensions, an Arrow vector 1 (cast it to 1-D)',
    );
  });
  test('zero dimensions', () => {
    expectError(
      () => toArrow(memoryview(new ArrayBuffer(8)).cast('d', [])),
      BufferError,
      'toArrow: the view has 0 dimensions, an Arrow vector 1 (cast it to 1-D)',
    );
  });
  test('strides', () => {
    expectError(
      () => toArrow(memoryview(buf()).cast('i').slice(null, null, 2)),
      BufferError,
      'toArrow: the view is not C-contiguous',
    );
    expectError(
      () => toArrow(memoryview(buf()).cast('e').slice(null, null, -1)),
      BufferError,
      'toArrow: the view is not C-contiguous',
    );
  });
  test('a read-only view', () => {
    expectError(
      () => toArrow(memoryview(buf()).toReadonly().cast('i')),
      BufferError,
      'toArrow: the view is read-only, and an Arrow vector cannot forbid writes',
    );
  });
  test('unaligned memory', () => {
    expectError(
      () => toArrow(memoryview(buf()).slice(1, 9).cast('i')),
      BufferError,
      'toArrow: the view starts at byte 1, which is not aligned to its 4-byte items',
    );
  });
  test('a released view', () => {
    const view = memoryview(buf()).cast('i');
    view.release();
    expectError(
      () => toArrow(view),
      ValueError,
      'operation forbidden on released memoryview object',
    );
    expectError(
      () => recordsToTable(view, ['a']),
      ValueError,
      'operation forbidden on released memoryview object',
    );
  });
  test('not a view', () => {
    expectError(
      () => toArrow(new Int32Array(4) as unknown as MemoryView),
      TypeError,
      "toArrow: expected a memoryview, got 'Int32Array'",
    );
  });
  test('columns of different lengths', () => {
    expectError(
      () =>
        toArrowTable({
          a: memoryview(new Int32Array(4)),
          b: memoryview(new Int32Array(3)),
        }),
      ValueError,
      "toArrowTable: column 'b' has 3 rows, column 'a' 4",
    );
  });
});

describe('fromArrow: a vector becomes a view over the same memory', () => {
  const typed: [string, () => { type: unknown; data: ArrayBufferView }, string][] = [
    ['Int8', () => ({ type: new Int8(), data: Int8Array.of(-1, 2, -3) }), 'b'],
    ['Uint8', () => ({ type: new Uint8(), data: Uint8Array.of(1, 2, 255) }), 'B'],
    ['Int16', () => ({ type: new Int16(), data: Int16Array.of(-300, 2, 3) }), 'h'],
    ['Uint16', () => ({ type: new Uint16(), data: Uint16Array.of(65535, 2, 3) }), 'H'],
    ['Int32', () => ({ type: new Int32(), data: Int32Array.of(-1 << 30, 2, 3) }), 'i'],
    ['Uint32', () => ({ type: new Uint32(), data: Uint32Array.of(2 ** 32 - 1, 0, 3) }), 'I'],
    ['Int64', () => ({ type: new Int64(), data: BigInt64Array.of(-(2n ** 63n), 0n, 1n) }), 'q'],
    [
      'Uint64',
      () => ({ type: new Uint64(), data: BigUint64Array.of(2n ** 64n - 1n, 0n, 1n) }),
      'Q',
    ],
    ['Float16', () => ({ type: new Float16(), data: Uint16Array.of(0x3c00, 0xc000, 0x7e01) }), 'e'],
    ['Float32', () => ({ type: new Float32(), data: Float32Array.of(0.5, -1, 3) }), 'f'],
    ['Float64', () => ({ type: new Float64(), data: Float64Array.of(0.1, -1e300, 3) }), 'd'],
  ];
  for (const [name, make, format] of typed) {
    test(`${name} becomes '${format}', zero-copy, values as Arrow reads them`, () => {
      const props = make();
      const vector = new Vector([makeData(props as Parameters<typeof makeData>[0])]);
      const view = fromArrow(vector);
      assert.equal(view.format, format);
      assert.equal(view.length, 3);
      assert.deepEqual(view.toBytes(), bytesOf(props.data));
      const values = vector.data[0].values as ArrayBufferView;
      assert.equal(view.cast('B').toTypedArray().buffer, values.buffer);
      if (name === 'Float16') {
        assert.deepEqual(view.toList(), [1, -2, Number.NaN]);
      } else {
        assert.deepEqual(
          view.toList(),
          Array.from({ length: 3 }, (_, i) => vector.get(i)),
        );
      }
    });
  }

  test('writes through the view show in the vector', () => {
    const vector = vectorOf(new Int32(), [1, 2, 3]);
    fromArrow(vector).set(0, 42);
    assert.equal(vector.get(0), 42);
  });

  test('a sliced vector: the view starts at its offset, over the same memory', () => {
    const vector = vectorOf(new Int16(), [10, 11, 12, 13, 14, 15]);
    const sliced = vector.slice(2, 5);
    assert.equal(sliced.data[0].offset, 2);
    const view = fromArrow(sliced);
    assert.deepEqual(view.toList(), [12, 13, 14]);
    view.set(0, -1);
    assert.equal(vector.get(2), -1);
    // A slice of a slice.
    assert.deepEqual(fromArrow(sliced.slice(1)).toList(), [13, 14]);
  });

  test('a view → vector → view round trip is the same memory, byte-exact', () => {
    const view = filled('<d', 9);
    const back = fromArrow(toArrow(view));
    assert.equal(back.toTypedArray().buffer, view.toTypedArray().buffer);
    assert.equal(back.toTypedArray().byteOffset, view.toTypedArray().byteOffset);
    assert.deepEqual(back.toBytes(), view.toBytes());
  });

  test('a chunked vector: one view per chunk', () => {
    const a = toArrow(memoryview(Int32Array.of(1, 2)));
    const b = toArrow(memoryview(Int32Array.of(3, 4, 5)));
    const chunked = a.concat(b);
    assert.equal(chunked.data.length, 2);
    const views = fromArrowChunks(chunked);
    assert.deepEqual(
      views.map((v) => v.toList()),
      [
        [1, 2],
        [3, 4, 5],
      ],
    );
    assert.equal(views[1].toTypedArray().buffer, b.data[0].values.buffer);
    // A slice across the chunk boundary: each chunk narrowed.
    assert.deepEqual(
      fromArrowChunks(chunked.slice(1, 4)).map((v) => v.toList()),
      [[2], [3, 4]],
    );
    expectError(
      () => fromArrow(chunked),
      ValueError,
      'fromArrow: the vector has 2 chunks; fromArrowChunks gives a view per chunk',
    );
  });
});

describe('nulls: fromArrow refuses, fromArrowWithValidity gives values and validity', () => {
  const nullable = () => vectorOf(new Int32(), [1, null, 3, 4, 5, 6, 7, 8, 9, null, 11, null]);

  test('fromArrow and fromArrowChunks refuse a column with nulls', () => {
    expectError(
      () => fromArrow(nullable()),
      ValueError,
      'fromArrow: the vector has 3 nulls; fromArrowWithValidity gives its values with their validity bitmap',
    );
    expectError(
      () => fromArrowChunks(vectorOf(new Int32(), [null, 1])),
      ValueError,
      'fromArrowChunks: the vector has 1 null; fromArrowWithValidity gives its values with their validity bitmap',
    );
  });

  /** Validity as the chunk says, bit by bit. */
  function validBits(chunk: { validity: MemoryView | null; bitOffset: number }, n: number) {
    return Array.from({ length: n }, (_, i) => {
      if (chunk.validity === null) return true;
      const bit = chunk.bitOffset + i;
      return (((chunk.validity.get(bit >> 3) as number) >> (bit & 7)) & 1) === 1;
    });
  }

  test('values and validity agree with Arrow, for the whole vector and every slice', () => {
    const vector = nullable();
    for (let start = 0; start <= vector.length; start++) {
      for (let end = start; end <= vector.length; end++) {
        const sliced = vector.slice(start, end);
        const [chunk] = fromArrowWithValidity(sliced);
        const n = end - start;
        const valid = Array.from({ length: n }, (_, i) => sliced.isValid(i));
        assert.deepEqual(validBits(chunk, n), valid, `slice ${start}:${end}`);
        assert.equal(chunk.nullCount, valid.filter((v) => !v).length);
        const values = chunk.values.toList() as number[];
        assert.equal(values.length, n);
        for (let i = 0; i < n; i++) if (valid[i]) assert.equal(values[i], sliced.get(i));
        if (chunk.validity !== null) {
          assert.equal(chunk.validity.format, 'B');
          assert.ok(chunk.bitOffset >= 0 && chunk.bitOffset < 8);
          assert.equal(chunk.validity.length, (chunk.bitOffset + n + 7) >> 3);
        }
      }
    }
  });

  test('the validity view is Arrow’s bitmap, not a copy', () => {
    const vector = nullable();
    const [chunk] = fromArrowWithValidity(vector);
    assert.ok(chunk.validity !== null);
    assert.equal(chunk.validity.toTypedArray().buffer, vector.data[0].nullBitmap.buffer);
  });

  test('a column without nulls has no validity view', () => {
    const [chunk] = fromArrowWithValidity(vectorOf(new Int32(), [1, 2]));
    assert.equal(chunk.validity, null);
    assert.equal(chunk.nullCount, 0);
    assert.equal(chunk.bitOffset, 0);
    assert.deepEqual(chunk.values.toList(), [1, 2]);
  });

  test('one chunk each for a chunked vector', () => {
    const chunked = vectorOf(new Int32(), [null, 1]).concat(vectorOf(new Int32(), [2, null, 3]));
    const chunks = fromArrowWithValidity(chunked);
    assert.deepEqual(
      chunks.map((c) => validBits(c, c.values.length)),
      [
        [false, true],
        [true, false, true],
      ],
    );
  });
});

describe('fromArrow refuses what no view holds', () => {
  test('a Utf8 vector', () => {
    expectError(
      () =>
        fromArrow(
          new Vector([
            makeData({
              type: new Utf8(),
              data: Uint8Array.of(97),
              valueOffsets: Int32Array.of(0, 1),
            }),
          ]),
        ),
      TypeError,
      'fromArrow: an Arrow Utf8 vector has no memview format (Int and Float vectors do)',
    );
  });
  test('a Bool vector', () => {
    expectError(
      () =>
        fromArrowChunks(
          new Vector([makeData({ type: new Bool(), data: Uint8Array.of(1), length: 1 })]),
        ),
      TypeError,
      "fromArrowChunks: Arrow's booleans are bit-packed, and no memview format holds them",
    );
  });
  test('not a vector', () => {
    expectError(
      () => fromArrow(Int32Array.of(1) as unknown as Vector),
      TypeError,
      "fromArrow: expected an Arrow Vector, got 'Int32Array'",
    );
    expectError(
      () => fromArrowWithValidity([1] as unknown as Vector),
      TypeError,
      "fromArrowWithValidity: expected an Arrow Vector, got 'list'",
    );
  });
});

describe('recordsToTable: one gather per field, checked against view.field(k)', () => {
  /** Each column's bytes are the field's bytes (little-endian fields) — Arrow's reader agrees. */
  function checkColumns(view: MemoryView, names: string[]) {
    const table = recordsToTable(view, names);
    assert.equal(table.numRows, view.length);
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      names,
    );
    names.forEach((name, k) => {
      const field = view.field(k);
      const column = table.getChild(name);
      assert.ok(column !== null);
      const expected = field.toList();
      const got = Array.from({ length: view.length }, (_, i) => column.get(i));
      assert.deepEqual(got, expected, `field ${k} (${field.format})`);
    });
    return table;
  }

  const COUNT = 37;

  test('standard sizes, unaligned: every numeric type, bool, char and bytes', () => {
    const view = filled('<bBhHiIqQefd?c3s', COUNT);
    checkColumns(view, 'b B h H i I q Q e f d bool c s'.split(' '));
  });

  test('native, aligned (the typed gather)', () => {
    checkColumns(filled('@bBhHiIlLqQnNPefd?', COUNT), 'bBhHiIlLqQnNPefd?'.split(''));
  });

  test("'<IHHd' with the bytes of each column exactly the field's, NaN payloads too", () => {
    const view = filled('<IHHd', COUNT);
    // Signalling and payload-carrying NaNs in the 'd' field survive the gather bit for bit.
    const raw = new DataView((view.obj as Uint8Array).buffer);
    raw.setUint32(16 + 8, 0x00000001, true);
    raw.setUint32(16 + 12, 0x7ff00000, true);
    raw.setUint32(32 + 8, 0xdeadbeef, true);
    raw.setUint32(32 + 12, 0xfff7ffff, true);
    const table = checkColumns(view, ['id', 'kind', 'flags', 'value']);
    ['id', 'kind', 'flags', 'value'].forEach((name, k) => {
      const values = table.getChild(name)?.data[0].values as ArrayBufferView;
      assert.deepEqual(bytesOf(values), view.field(k).toBytes(), name);
    });
  });

  test('big-endian fields arrive in Arrow little-endian, values unchanged', () => {
    const view = filled('>hIqefd', COUNT);
    const table = checkColumns(view, ['h', 'I', 'q', 'e', 'f', 'd']);
    // NaN payloads too: the swap moves bits, never a JS number.
    ['h', 'I', 'q', 'e', 'f', 'd'].forEach((name, k) => {
      const values = table.getChild(name)?.data[0].values as ArrayBufferView;
      const field = view.field(k);
      const little = field.toBytes();
      const size = field.itemsize;
      for (let i = 0; i < little.length; i += size) little.subarray(i, i + size).reverse();
      assert.deepEqual(bytesOf(values), little, name);
    });
  });

  test('strided record views: a step, a negative step, an offset', () => {
    const view = filled('<IHHd', COUNT);
    checkColumns(view.slice(null, null, 3), ['a', 'b', 'c', 'd']);
    checkColumns(view.slice(null, null, -1), ['a', 'b', 'c', 'd']);
    checkColumns(view.slice(5, 9), ['a', 'b', 'c', 'd']);
    checkColumns(filled('<Hi', COUNT).slice(null, null, -2), ['a', 'b']);
  });

  test('pad bytes are not columns; empty and one-field views', () => {
    checkColumns(filled('<ixxhxxd', COUNT), ['i', 'h', 'd']);
    checkColumns(filled('<IHHd', 0), ['a', 'b', 'c', 'd']);
    checkColumns(filled('<2i', COUNT), ['x', 'y']);
    checkColumns(filled('<d', COUNT), ['x']);
  });

  test('the table owns new memory: the view is not shared', () => {
    const view = filled('<IHHd', 4);
    const table = recordsToTable(view, ['a', 'b', 'c', 'd']);
    view.set(0, [9, 9, 9, 9]);
    assert.notEqual(table.getChild('a')?.get(0), 9);
  });

  test('refusals', () => {
    const view = filled('<IHHd', 4);
    expectError(
      () => recordsToTable(view, ['a', 'b', 'c']),
      ValueError,
      "recordsToTable: format '<IHHd' has 4 fields, and 3 names are given",
    );
    expectError(
      () => recordsToTable(filled('<d', 2), ['a', 'b']),
      ValueError,
      "recordsToTable: format '<d' has 1 field, and 2 names are given",
    );
    expectError(
      () => recordsToTable(filled('<2d', 2), ['a']),
      ValueError,
      "recordsToTable: format '<2d' has 2 fields, and 1 name is given",
    );
    expectError(
      () => recordsToTable(view, ['a', 'b', 'a', 'd']),
      ValueError,
      "recordsToTable: the name 'a' is given twice",
    );
    expectError(
      () => recordsToTable(filled('<i3p', 2), ['a', 'b']),
      BufferError,
      "recordsToTable: field 1 ('<3p') has no Arrow type",
    );
    expectError(
      () =>
        recordsToTable(filled('<IHHd', 4).cast('B').cast('<IHHd', [2, 2]), ['a', 'b', 'c', 'd']),
      BufferError,
      "recordsToTable: the view has 2 dimensions, a table's rows 1",
    );
    expectError(
      () => recordsToTable({} as MemoryView, ['a']),
      TypeError,
      "recordsToTable: expected a memoryview, got 'dict'",
    );
  });
});

describe('Arrow IPC from views, read back by tableFromIPC', () => {
  for (const format of ['stream', 'file'] as const) {
    test(`toArrowIPC (${format}): byte-exact columns`, () => {
      const columns = {
        i: filled('<i', 100),
        q: filled('<q', 100),
        e: filled('<e', 100),
        d: filled('<d', 100),
        B: filled('B', 100),
      };
      const ipc = toArrowIPC(columns, format);
      const table = tableFromIPC(ipc);
      assert.equal(table.numRows, 100);
      for (const [name, view] of Object.entries(columns)) {
        const column = table.getChild(name);
        assert.ok(column !== null);
        assert.equal(String(column.type), String(toArrow(view).type));
        // Read back as a view (over the IPC bytes), then compared byte for byte.
        assert.deepEqual(
          fromArrowChunks(column).map((v) => v.toBytes()),
          [view.toBytes()],
        );
      }
    });
  }

  test('records → table → IPC → tableFromIPC → views: each field byte-exact', () => {
    const view = filled('<IHHd', 1000);
    const ipc = tableToIPC(recordsToTable(view, ['id', 'kind', 'flags', 'value']));
    const table = tableFromIPC(ipc);
    ['id', 'kind', 'flags', 'value'].forEach((name, k) => {
      const column = table.getChild(name);
      assert.ok(column !== null);
      assert.deepEqual(fromArrow(column).toBytes(), view.field(k).toBytes(), name);
    });
  });

  test('a nullable column (sliced) through IPC: values and validity as Arrow reads them', () => {
    const vector = vectorOf(new Int32(), [1, null, 3, 4, null, 6, 7, 8, 9, 10, null]).slice(3);
    const column = tableFromIPC(tableToIPC(new Table({ a: vector }))).getChild('a');
    assert.ok(column !== null);
    const chunks = fromArrowWithValidity(column);
    assert.equal(chunks.length, 1);
    const [{ values, validity, bitOffset, nullCount }] = chunks;
    assert.equal(nullCount, 2);
    assert.ok(validity !== null);
    for (let i = 0; i < vector.length; i++) {
      const bit = bitOffset + i;
      const valid: boolean = (((validity.get(bit >> 3) as number) >> (bit & 7)) & 1) === 1;
      assert.equal(valid, vector.isValid(i), `validity ${i}`);
      if (valid) assert.equal(values.get(i), vector.get(i), `value ${i}`);
    }
  });

  test('toArrowTable builds the table over the views’ memory', () => {
    const a = memoryview(Int32Array.of(1, 2, 3));
    const table = toArrowTable({ a });
    a.set(0, 10);
    assert.equal(table.getChild('a')?.get(0), 10);
  });
});
