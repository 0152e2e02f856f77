/**
 * Zero-copy parsing: `BufferReader`, `BufferWriter`, `FrameDecoder` (against random
 * chunkings of random frame streams) and `MemoryView.field(k)` (against NumPy structured
 * arrays).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  BufferError,
  BufferReader,
  BufferWriter,
  ByteArray,
  EOFError,
  type Frame,
  FrameDecoder,
  FrameTooLongError,
  getBuffer,
  IndexError,
  memoryview,
  PyBUF,
  pack,
  releaseBuffer,
  StructError,
  unpack,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { assertSame, fromHex, toHex } from './helpers/fixtures.js';
import { loadTagged } from './helpers/tagged.js';

describe('BufferReader', () => {
  test('reads values and views in order, without copying', () => {
    const data = new Uint8Array([...pack('<IH', 7, 3), 104, 105, 33, 0xff]);
    const reader = new BufferReader(data);
    assert.deepEqual(reader.unpack('<IH'), [7, 3]);
    assert.equal(reader.tell(), 6);
    const bytes = reader.readBytes(2);
    assert.equal(bytes.buffer, data.buffer, 'a view of the source');
    assert.equal(bytes.byteOffset, 6);
    data[6] = 72;
    assert.deepEqual([...bytes], [72, 105]);
    assert.equal(reader.readString(1), '!');
    const view = reader.read(1);
    assert.deepEqual(view.toList(), [0xff]);
    assert.equal(getBuffer(view).buffer, data.buffer);
    assert.equal(reader.remaining, 0);
    reader.seek(-3);
    assert.equal(reader.tell(), 7);
    reader.skip(1);
    assert.equal(reader.readBytes(0).length, 0);
    reader.seek(0);
    assert.equal(reader.remaining, data.length);
  });

  test('a read past the end is an EOFError that consumes nothing', () => {
    const reader = new BufferReader(new Uint8Array(10));
    reader.skip(8);
    for (const read of [
      () => reader.read(3),
      () => reader.readBytes(3),
      () => reader.unpack('<3B'),
      () => reader.skip(3),
      () => reader.readString(3),
    ]) {
      expectError(
        read,
        EOFError,
        'read of 3 bytes at offset 8 passes the end of the 10-byte buffer',
      );
      assert.equal(reader.tell(), 8);
    }
    expectError(
      () => reader.read(-1),
      ValueError,
      'a read needs a non-negative integer count, not -1',
    );
    expectError(
      () => reader.read(1.5),
      ValueError,
      'a read needs a non-negative integer count, not 1.5',
    );
    expectError(
      () => reader.seek(11),
      IndexError,
      'seek position 11 is outside the 10-byte buffer',
    );
  });

  test('holds its source: a ByteArray cannot resize until the reader is released', () => {
    const ba = new ByteArray([1, 2, 3, 4]);
    {
      using reader = new BufferReader(ba);
      assert.deepEqual(reader.unpack('<H'), [0x0201]);
      expectError(
        () => ba.append(5),
        BufferError,
        'Existing exports of data: object cannot be re-sized',
      );
    }
    ba.append(5);
    assert.equal(ba.length, 5);
  });

  test('refuses a strided source, a released reader, and memory that went away', () => {
    const m = memoryview(new Uint8Array(8));
    expectError(
      () => new BufferReader(m.slice(null, null, 2)),
      BufferError,
      'memoryview: underlying buffer is not C-contiguous',
    );
    const reader = new BufferReader(m);
    reader.release();
    expectError(() => reader.read(1), ValueError, 'operation forbidden on a released BufferReader');
    const ab = new ArrayBuffer(8);
    const live = new BufferReader(ab);
    structuredClone(ab, { transfer: [ab] });
    expectError(
      () => live.readBytes(1),
      BufferError,
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
  });
});

describe('BufferWriter', () => {
  test('packs, writes and back-fills a length prefix, then hands out a view', () => {
    const writer = new BufferWriter();
    const length = writer.reserve('>I');
    writer.pack('<HH', 1, 2);
    writer.write(new Uint8Array([9, 9, 9]));
    writer.write(memoryview(new Uint8Array([1, 2, 3, 4])).slice(null, null, -2));
    length.fill(writer.length - 4);
    const view = writer.finish();
    assert.equal(toHex(view.toBytes()), '0000000901000200090909' + '0402');
    expectError(
      () => writer.pack('B', 1),
      BufferError,
      'Existing exports of data: object cannot be re-sized',
    );
    length.fill(0); // same-size back-fill is allowed while the view lives
    const head = view.slice(0, 4);
    assert.deepEqual(unpack('>I', head), [0]);
    head.release();
    view.release();
    writer.pack('B', 1);
    assert.equal(writer.length, 14);
  });

  test('a pack whose values fail leaves the length as it was', () => {
    const writer = new BufferWriter(new ByteArray([1]));
    expectError(
      () => writer.pack('<BB', 1, 300),
      StructError,
      "'B' format requires 0 <= number <= 255",
    );
    assert.equal(writer.length, 1);
    assert.deepEqual([...writer.target], [1]);
  });
});

/** A stream of frames with a '>I' length prefix. */
function encodeFrames(payloads: Uint8Array[]): Uint8Array {
  const writer = new BufferWriter();
  for (const p of payloads) {
    writer.pack('>I', p.length);
    writer.write(p);
  }
  return writer.target.toUint8Array();
}

/** Splits `data` at the given cut points (sorted, deduplicated). */
function chunk(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, data.length]) {
    chunks.push(data.slice(at, p));
    at = p;
  }
  return chunks;
}

describe('FrameDecoder', () => {
  test('random frame streams, randomly chunked, come out byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (payloads, cuts) => {
          const decoder = new FrameDecoder();
          const out: string[] = [];
          for (const c of chunk(encodeFrames(payloads), cuts)) {
            for (const frame of decoder.push(c)) out.push(toHex(frame.payload.toBytes()));
          }
          assert.deepEqual(out, payloads.map(toHex));
          assert.equal(decoder.partial, false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a frame inside one chunk is a view of that chunk; a split one is assembled once', () => {
    const stream = encodeFrames([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6, 7)]);
    const first = stream.slice(0, 12); // the first frame, the second's header and 1 byte
    const second = stream.slice(12);
    const decoder = new FrameDecoder();
    const [a] = [...decoder.push(first)];
    assert.equal(getBuffer(a.payload).buffer, first.buffer, 'a view of the chunk');
    first[4] = 99;
    assert.deepEqual(a.payload.toList(), [99, 2, 3], 'no copy was made');
    const [b] = [...decoder.push(second)];
    assert.deepEqual(b.payload.toList(), [4, 5, 6, 7]);
    assert.deepEqual(b.header, [4]);
    [...decoder.push(new Uint8Array(0))];
    expectError(
      () => b.payload.toList(),
      ValueError,
      'operation forbidden on released memoryview object',
    );
  });

  test('a frame over the maximum is a FrameTooLongError; the frames around it survive', () => {
    const small = Uint8Array.of(1, 2);
    const big = new Uint8Array(50).fill(7);
    const after = Uint8Array.of(3);
    const stream = encodeFrames([small, big, after, small]);
    for (const cuts of [[], [5], [10, 30], [6, 7, 8, 9, 60]]) {
      const decoder = new FrameDecoder({ maxLength: 10 });
      const got: number[][] = [];
      let errors = 0;
      const pushAll = (c?: Uint8Array) => {
        for (;;) {
          try {
            for (const f of decoder.push(c)) got.push(f.payload.toList() as number[]);
            return;
          } catch (error) {
            assert.ok(error instanceof FrameTooLongError);
            assert.equal(
              error.message,
              'frame of 50 bytes exceeds the maximum of 10; it is skipped',
            );
            errors++;
            c = undefined; // the rest of the chunk was kept; decode it
          }
        }
      };
      for (const c of chunk(stream, cuts)) pushAll(c);
      assert.equal(errors, 1, `cuts ${cuts}`);
      assert.deepEqual(got, [[1, 2], [3], [1, 2]], `cuts ${cuts}`);
    }
  });

  test('header records with a length field, counting the header or not', () => {
    const body = Uint8Array.of(5, 6, 7);
    const withHeader = new Uint8Array([...pack('<HI', 0xabcd, 6 + 3), ...body]);
    const d1 = new FrameDecoder({ header: '<HI', lengthField: 1, lengthIncludesHeader: true });
    const [f] = [...d1.push(withHeader)] as Frame[];
    assert.deepEqual(f.header, [0xabcd, 9]);
    assert.deepEqual(f.payload.toList(), [5, 6, 7]);
    expectError(
      () => new FrameDecoder({ header: '>I', lengthField: 1 }),
      ValueError,
      "lengthField 1 is not a value of header format '>I'",
    );
  });

  test('stopping early keeps the rest for the next push', () => {
    const stream = encodeFrames([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
    const decoder = new FrameDecoder();
    for (const f of decoder.push(stream)) {
      assert.deepEqual(f.payload.toList(), [1]);
      break;
    }
    assert.equal(decoder.partial, true);
    assert.deepEqual(
      [...decoder.push()].map((f) => f.payload.toList()),
      [[2], [3]],
    );
  });
});

interface FieldCase {
  format: string;
  count: number;
  bytes: string;
  slice: [number | null, number | null, number | null] | null;
  field: number;
  values: unknown[];
  strides: number[];
  offset: number | null;
  assign: { values: unknown[]; after: string };
}

describe('field(k) against NumPy structured arrays', () => {
  const cases = loadTagged<FieldCase>('numpy_fields');

  test(`${cases.length} record columns read and write as NumPy's do`, () => {
    for (const c of cases) {
      const context = `${c.format} x${c.count} slice ${JSON.stringify(c.slice)} field ${c.field}`;
      const bytes = fromHex(c.bytes);
      let records = memoryview(bytes).cast(c.format);
      if (c.slice !== null) records = records.slice(...c.slice);
      const column = records.field(c.field);
      assertSame(column.toList(), c.values, `${context}: values`);
      if (c.offset !== null) {
        // NumPy resets the strides of an empty result; compare layouts with elements only.
        assert.deepEqual(column.strides, c.strides, `${context}: strides`);
        assert.equal(column.byteOffset, c.offset, `${context}: offset`);
      }
      c.assign.values.forEach((v, i) => {
        column.set(i, v);
      });
      assert.equal(toHex(bytes), c.assign.after, `${context}: bytes after assignment`);
    }
  });

  test('field indexes count from the end and are checked', () => {
    const m = memoryview(new Uint8Array(32)).cast('<IHHd');
    assert.equal(m.field(-1).format, '<d');
    assert.equal(m.field(1).format, '<H');
    expectError(() => m.field(4), IndexError, 'field index out of range');
    expectError(() => m.field(-5), IndexError, 'field index out of range');
    const info = getBuffer(m.field(3), PyBUF.STRIDED);
    assert.deepEqual([info.offset, info.strides], [8, [16]]);
    releaseBuffer(info);
  });
});
