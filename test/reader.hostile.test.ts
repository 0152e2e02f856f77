/**
 * The reader layer under hostile timing, moving memory and bad input: exports held by
 * derived views and given back exactly once, memory that moves between frames or while
 * `BufferWriter.pack` converts a value, empty views at offsets outside their buffer,
 * absurd sizes and options. Each error is checked by class and message, and the state
 * after it (lengths, contents, export counts).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  BufferReader,
  BufferWriter,
  ByteArray,
  Bytes,
  EOFError,
  FrameDecoder,
  FrameTooLongError,
  MemoryError,
  type MemoryView,
  memoryview,
  OverflowError,
  pack,
  RELEASE,
  StructError,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

const LOCKED = 'Existing exports of data: object cannot be re-sized';
const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';
const WASM_GREW =
  'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer';

/** A '>I'-prefixed frame stream. */
function frames(...payloads: number[][]): number[] {
  return payloads.flatMap((p) => [...pack('>I', p.length), ...p]);
}

/** An exporter that counts the exports it makes and takes back. */
class Counting {
  gets = 0;
  releases = 0;
  constructor(readonly buffer: ArrayBuffer) {}
  [BUFFER](_flags: number): BufferInfo {
    this.gets++;
    const n = this.buffer.byteLength;
    return {
      obj: this,
      buffer: this.buffer,
      offset: 0,
      len: n,
      readonly: false,
      format: 'B',
      itemsize: 1,
      ndim: 1,
      shape: [n],
      strides: [1],
      suboffsets: [],
    };
  }
  [RELEASE](_info: unknown): void {
    this.releases++;
  }
}

function detached(n: number): ArrayBuffer {
  const ab = new ArrayBuffer(n);
  structuredClone(ab, { transfer: [ab] });
  return ab;
}

describe('exports held by derived views (class 4)', () => {
  test('a payload of FrameDecoder.push(byteArray) holds the ByteArray until released', () => {
    const ba = new ByteArray(frames([1, 2, 3], [4]));
    const decoder = new FrameDecoder();
    const [a, b] = [...decoder.push(ba)];
    assert.equal(ba.exports, 1, 'one export, shared by the push and its payload views');
    expectError(() => ba.append(0), BufferError, LOCKED);
    assert.equal(ba.length, 12);
    const tail = a.payload.slice(1);
    a.payload.release();
    b.payload.release();
    assert.equal(ba.exports, 1, 'a view derived from a payload still holds it');
    expectError(() => ba.append(0), BufferError, LOCKED);
    assert.deepEqual(tail.toList(), [2, 3]);
    tail.release();
    assert.equal(ba.exports, 0);
    ba.append(9);
    assert.equal(ba.length, 13);
    assert.equal(a.payload.toString(), '<released memory>');
  });

  test('every export a push takes is given back exactly once', () => {
    const source = new Counting(new Uint8Array(frames([1], [2, 3], [])).buffer as ArrayBuffer);
    const decoder = new FrameDecoder();
    const payloads = [...decoder.push(source)].map((f) => f.payload);
    assert.equal(source.gets, 1);
    assert.equal(source.releases, 0, 'the payload views still hold it');
    for (const p of payloads.slice(1)) p.release();
    assert.equal(source.releases, 0);
    payloads[0].release();
    assert.equal(source.releases, 1);
    payloads[0].release(); // releasing twice gives nothing back twice
    assert.equal(source.releases, 1);
    // Stopping early, and a push whose decoding fails, give theirs back too.
    for (const f of decoder.push(source)) {
      f.payload.release();
      break;
    }
    assert.deepEqual([source.gets, source.releases], [2, 2]);
    assert.equal(decoder.partial, true);
    const bad = new FrameDecoder({ maxLength: 0 });
    expectError(
      () => [...bad.push(source)],
      FrameTooLongError,
      'frame of 1 bytes exceeds the maximum of 0; it is skipped',
    );
    assert.deepEqual([source.gets, source.releases], [3, 3]);
  });

  test('a view BufferReader.read() returned holds the export after reader.release()', () => {
    const ba = new ByteArray([1, 2, 3, 4, 5, 6]);
    const reader = new BufferReader(ba);
    const head = reader.read(4);
    assert.equal(head.obj, ba);
    reader.release();
    assert.equal(ba.exports, 1);
    expectError(() => ba.extend([7]), BufferError, LOCKED);
    assert.equal(ba.length, 6);
    assert.deepEqual(head.toList(), [1, 2, 3, 4]);
    head.release();
    assert.equal(ba.exports, 0);
    ba.extend([7]);
    assert.deepEqual([...ba], [1, 2, 3, 4, 5, 6, 7]);
  });

  test('views of a read-only source are read-only', () => {
    const reader = new BufferReader(new Bytes([1, 2]));
    const view = reader.read(2);
    assert.equal(view.readonly, true);
    view.release();
    reader.release();
  });

  test('a constructor that throws gives back the export it took', () => {
    const source = new Counting(detached(0));
    expectError(() => new BufferReader(source), BufferError, DETACHED);
    assert.deepEqual([source.gets, source.releases], [1, 1]);
    const decoder = new FrameDecoder();
    expectError(() => [...decoder.push(source)], BufferError, DETACHED);
    assert.deepEqual([source.gets, source.releases], [2, 2]);
    assert.equal(decoder.partial, false);
  });
});

describe('the export is what [BUFFER] returns when it is called', () => {
  // Found by the fuzzer (seed 5): a consumer judges the memory [BUFFER] hands it, after the
  // exporter's own code ran, not the memory as it was before the call.
  const SHRUNK = 'the underlying ArrayBuffer shrank to 0 bytes, below the end of this view';

  test('a wrapper that grows a shrunk buffer back exports its TypedArray again', () => {
    const ab = new ArrayBuffer(14, { maxByteLength: 30 });
    const source = new Uint8Array(ab, 2, 12);
    ab.resize(0);
    expectError(() => new BufferReader(source), BufferError, SHRUNK);
    let taken = 0;
    let given = 0;
    const wrapper = {
      [BUFFER]() {
        taken++;
        ab.resize(21);
        source.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        return memoryview(source);
      },
      [RELEASE](v: MemoryView) {
        given++;
        v.release();
      },
    };
    const reader = new BufferReader(wrapper);
    assert.deepEqual(reader.readBytes(12), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    reader.release();
    assert.deepEqual([taken, given], [1, 1]);
    assert.equal(ab.byteLength, 21);
  });

  test('a wrapper that shrinks the buffer first is refused, nothing left held', () => {
    const ab = new ArrayBuffer(14, { maxByteLength: 30 });
    const source = new Uint8Array(ab, 2, 12);
    let taken = 0;
    const wrapper = {
      [BUFFER]() {
        taken++;
        ab.resize(0);
        return memoryview(source);
      },
      [RELEASE]() {
        assert.fail('nothing was exported');
      },
    };
    expectError(() => new BufferReader(wrapper), BufferError, SHRUNK);
    assert.equal(taken, 1);
  });
});

describe('memory that moves during a call (class 3)', () => {
  test('a chunk shrunk between frames: BufferError naming it; the stream cannot resume', () => {
    const data = frames([1, 2], [3], [4]);
    const ab = new ArrayBuffer(data.length, { maxByteLength: 64 });
    new Uint8Array(ab).set(data);
    const decoder = new FrameDecoder();
    const got: number[][] = [];
    expectError(
      () => {
        for (const f of decoder.push(ab)) {
          got.push(f.payload.toList() as number[]);
          ab.resize(2);
        }
      },
      BufferError,
      'the underlying ArrayBuffer shrank to 2 bytes; this view reaches byte 15',
    );
    assert.deepEqual(got, [[1, 2]]);
    assert.equal(decoder.partial, true);
    expectError(
      () => [...decoder.push(new Uint8Array(frames([5])))],
      BufferError,
      '10 bytes of a chunk were lost when its memory went away (the underlying ArrayBuffer ' +
        'shrank to 2 bytes; this view reaches byte 15); this FrameDecoder cannot resume the stream',
    );
  });

  test('a chunk transferred between frames, or WebAssembly memory grown', () => {
    const chunk = new Uint8Array(frames([1], [2]));
    const decoder = new FrameDecoder();
    expectError(
      () => {
        for (const _ of decoder.push(chunk))
          structuredClone(chunk.buffer, { transfer: [chunk.buffer] });
      },
      BufferError,
      DETACHED,
    );
    const memory = new wasm.Memory({ initial: 1 });
    new Uint8Array(memory.buffer).set(frames([7], [8]));
    const d2 = new FrameDecoder();
    const seen: number[] = [];
    expectError(
      () => {
        for (const f of d2.push(memory)) {
          seen.push(f.payload.get(0) as number);
          memory.grow(1);
        }
      },
      BufferError,
      WASM_GREW,
    );
    assert.deepEqual(seen, [7]);
  });

  test('a chunk taken away, then the loop left early: BufferError at the break', () => {
    const chunk = new Uint8Array(frames([1], [2]));
    const decoder = new FrameDecoder();
    expectError(
      () => {
        for (const _ of decoder.push(chunk)) {
          structuredClone(chunk.buffer, { transfer: [chunk.buffer] });
          break;
        }
      },
      BufferError,
      DETACHED,
    );
    assert.equal(decoder.partial, true);
    expectError(
      () => [...decoder.push()],
      BufferError,
      `5 bytes of a chunk were lost when its memory went away (${DETACHED}); this FrameDecoder cannot resume the stream`,
    );
  });

  test('a chunk taken away after its last frame is no error', () => {
    const chunk = new Uint8Array(frames([1], [2]));
    const decoder = new FrameDecoder();
    const got: number[] = [];
    for (const f of decoder.push(chunk)) {
      got.push(f.payload.get(0) as number);
      if (got.length === 2) structuredClone(chunk.buffer, { transfer: [chunk.buffer] });
    }
    assert.deepEqual(got, [1, 2]);
    assert.equal(decoder.partial, false);
    assert.deepEqual([...decoder.push(new Uint8Array(frames([3])))].length, 1);
  });

  test('BufferWriter.pack: a value whose truth test resizes the ByteArray is refused', () => {
    const ba = new ByteArray([1]);
    const writer = new BufferWriter(ba);
    class Sneaky extends Map {
      override get size(): number {
        ba.extend([9, 9, 9, 9]);
        return 1;
      }
    }
    expectError(() => writer.pack('<B?I', 5, new Sneaky(), 7), BufferError, LOCKED);
    assert.equal(ba.length, 1, 'the record was taken back');
    assert.deepEqual([...ba], [1]);
    assert.equal(ba.exports, 0);
    // A truth test that swallows the refusal: the record lands whole, in the live memory.
    class Quiet extends Map {
      override get size(): number {
        assert.throws(() => ba.resize(100), BufferError);
        return 1;
      }
    }
    writer.pack('<B?I', 5, new Quiet(), 7);
    assert.deepEqual([...ba], [1, 5, 1, 7, 0, 0, 0]);
    assert.equal(ba.exports, 0);
  });

  test("BufferWriter.pack: the ByteArray's memory taken away during a conversion", () => {
    const ba = new ByteArray([1]);
    const writer = new BufferWriter(ba);
    class Thief extends Map {
      override get size(): number {
        const view = memoryview(ba);
        const buffer = view.toTypedArray().buffer as ArrayBuffer;
        view.release();
        structuredClone(buffer, { transfer: [buffer] });
        return 1;
      }
    }
    expectError(
      () => writer.pack('<B?', 5, new Thief()),
      BufferError,
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
    assert.equal(ba.exports, 0);
  });
});

describe('BufferWriter.pack writes whole records', () => {
  test('pad bytes are zero over bytes a pop or a shrink left behind', () => {
    const ba = new ByteArray([1, 2, 3, 4, 5, 6, 7, 8]);
    ba.pop();
    ba.pop();
    ba.resize(2);
    const writer = new BufferWriter(ba);
    writer.pack('<B3x', 9);
    assert.deepEqual([...ba], [1, 2, 9, 0, 0, 0]);
    writer.pack('<2xB', 7);
    assert.deepEqual([...ba], [1, 2, 9, 0, 0, 0, 0, 0, 7]);
    ba.clear();
    writer.pack('@BI', 1, 2);
    assert.deepEqual([...ba], [1, 0, 0, 0, 2, 0, 0, 0]);
    assert.equal(ba.exports, 0);
  });
});

describe('ByteArray.extend asks as CPython does', () => {
  test("a strided view is refused: TypeError can't set bytearray slice from memoryview", () => {
    const ba = new ByteArray([1]);
    const strided = memoryview(new Uint8Array([0, 1, 2, 3])).slice(null, null, 2);
    expectError(() => ba.extend(strided), TypeError, "can't set bytearray slice from memoryview");
    assert.deepEqual([...ba], [1]);
    assert.equal(strided.released, false);
    strided.release(); // no export of it is left held
    ba.extend(ba);
    assert.deepEqual([...ba], [1, 1]);
    const source = new Counting(new Uint8Array([7, 8]).buffer as ArrayBuffer);
    ba.extend(source);
    assert.deepEqual([...ba], [1, 1, 7, 8]);
    assert.deepEqual([source.gets, source.releases, ba.exports], [1, 1, 0]);
  });
});

describe('empty views at offsets outside their buffer (class 6)', () => {
  const empty = () => memoryview(new Uint8Array(12)).cast('B', [3, 4]).slice(-100, -200, -1);

  test('BufferReader reads an empty source', () => {
    const reader = new BufferReader(empty());
    assert.equal(reader.length, 0);
    assert.deepEqual(reader.unpack('0s'), [new Uint8Array(0)]);
    assert.equal(reader.readBytes(0).length, 0);
    assert.equal(reader.readString(0), '');
    const view = reader.read(0);
    assert.equal(view.nbytes, 0);
    view.release();
    expectError(
      () => reader.read(1),
      EOFError,
      'read of 1 bytes at offset 0 passes the end of the 0-byte buffer',
    );
    reader.release();
  });

  test('FrameDecoder.push decodes nothing from it and keeps no state', () => {
    const source = empty();
    const decoder = new FrameDecoder();
    assert.deepEqual([...decoder.push(source)], []);
    assert.equal(decoder.partial, false);
    source.release(); // no export of it is left held
  });
});

describe('limits (class 7)', () => {
  test('absurd sizes are MemoryError (as CPython, with no message), before allocating', () => {
    for (const n of [1e15, 2 ** 53, 2 ** 60]) {
      expectError(() => new ByteArray(n), MemoryError, '');
      expectError(() => new Bytes(n), MemoryError, '');
    }
    expectError(() => new ByteArray(10n ** 15n), MemoryError, '');
    expectError(
      () => new ByteArray(2n ** 63n),
      OverflowError,
      "cannot fit 'int' into an index-sized integer",
    );
    const ba = new ByteArray([1, 2]);
    expectError(() => ba.resize(1e15), MemoryError, '');
    assert.deepEqual([...ba], [1, 2]);
    assert.equal(ba.exports, 0);
    ba.append(3);
    assert.equal(ba.length, 3);
  });

  test('a ByteArray larger than the largest resizable buffer is still made', () => {
    const ba = new ByteArray(600 * 1024 * 1024);
    assert.equal(ba.length, 600 * 1024 * 1024);
    ba.append(1);
    assert.equal(ba.get(-1), 1);
  });

  test('FrameDecoder options are validated', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2 ** 53]) {
      expectError(
        () => new FrameDecoder({ maxLength: bad }),
        ValueError,
        `FrameDecoder maxLength must be an integer from 0 to 2**53 - 1, not ${String(bad)}`,
      );
    }
    expectError(
      () => new FrameDecoder({ maxLength: '10' as never }),
      TypeError,
      "FrameDecoder maxLength must be an int, not 'str'",
    );
    expectError(
      () => new FrameDecoder({ lengthField: 0.5 }),
      ValueError,
      'FrameDecoder lengthField must be an integer from 0 to 2**53 - 1, not 0.5',
    );
    expectError(
      () => new FrameDecoder({ lengthIncludesHeader: 1 as never }),
      TypeError,
      "FrameDecoder lengthIncludesHeader must be a bool, not 'int'",
    );
    expectError(
      () => new FrameDecoder({ header: '>4s' }),
      ValueError,
      "lengthField 0 of header format '>4s' is not an integer",
    );
    expectError(() => new FrameDecoder({ header: '>Z' }), StructError, 'bad char in struct format');
  });

  test('a header announcing a large payload allocates as its bytes arrive', () => {
    // Nothing near 2**40 bytes is allocated: the frame gathers what arrived.
    const d2 = new FrameDecoder({ header: '>Q', maxLength: 2 ** 40 });
    assert.deepEqual([...d2.push(pack('>Q', 2 ** 40))], []);
    assert.deepEqual([...d2.push(new Uint8Array(1000))], []);
    assert.equal(d2.partial, true);
  });
});

describe('re-entrant pushes', () => {
  test('a push started inside another push ends it first: its rest comes first', () => {
    const decoder = new FrameDecoder();
    const got: number[] = [];
    for (const f of decoder.push(new Uint8Array(frames([1], [2], [3])))) {
      got.push(f.payload.get(0) as number);
      for (const g of decoder.push(new Uint8Array(frames([4]))))
        got.push(g.payload.get(0) as number);
    }
    assert.deepEqual(got, [1, 2, 3, 4]);
    assert.equal(decoder.partial, false);
  });
});
