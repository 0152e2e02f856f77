/**
 * The protocol layer by hand: the exports of JavaScript's binary types, `getBuffer` on
 * non-exporters, and exporters written in JavaScript (PEP 688 in JS) — what they may
 * return, how their exports are checked, and when `[RELEASE]` is called.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  BufferReader,
  ByteArray,
  Bytes,
  getBuffer,
  isBuffer,
  MemoryView,
  memoryview,
  PyBUF,
  packInto,
  RELEASE,
  releaseBuffer,
  unpack,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

describe('exports of JavaScript binary types', () => {
  const cases: [string, ArrayBufferView, string][] = [
    ['Int8Array', new Int8Array(4), 'b'],
    ['Uint8Array', new Uint8Array(4), 'B'],
    ['Uint8ClampedArray', new Uint8ClampedArray(4), 'B'],
    ['Int16Array', new Int16Array(4), 'h'],
    ['Uint16Array', new Uint16Array(4), 'H'],
    ['Int32Array', new Int32Array(4), 'i'],
    ['Uint32Array', new Uint32Array(4), 'I'],
    ['Float32Array', new Float32Array(4), 'f'],
    ['Float64Array', new Float64Array(4), 'd'],
    ['BigInt64Array', new BigInt64Array(4), 'q'],
    ['BigUint64Array', new BigUint64Array(4), 'Q'],
    ['Buffer', Buffer.alloc(4), 'B'],
  ];
  for (const [name, array, format] of cases) {
    test(`${name} exports format '${format}'`, () => {
      const info = getBuffer(array, PyBUF.FULL_RO);
      const itemsize = (array as Uint8Array).BYTES_PER_ELEMENT;
      assert.equal(info.format, format);
      assert.equal(info.itemsize, itemsize);
      assert.deepEqual(info.shape, [4]);
      assert.deepEqual(info.strides, [itemsize]);
      assert.equal(info.len, 4 * itemsize);
      assert.equal(info.readonly, false);
      assert.equal(info.obj, array);
      assert.equal(info.buffer, array.buffer);
    });
  }

  test('a subarray exports at its own byte offset', () => {
    const whole = new Uint16Array(10);
    const part = whole.subarray(3, 7);
    const info = getBuffer(part);
    assert.equal(info.offset, 6);
    assert.equal(info.len, 8);
    assert.deepEqual(info.shape, [4]);
  });

  test('ArrayBuffer, SharedArrayBuffer, DataView and WebAssembly.Memory export bytes', () => {
    const ab = new ArrayBuffer(6);
    const sab = new SharedArrayBuffer(5);
    const dv = new DataView(ab, 1, 3);
    const mem = new wasm.Memory({ initial: 1 });
    for (const [obj, buffer, offset, len] of [
      [ab, ab, 0, 6],
      [sab, sab, 0, 5],
      [dv, ab, 1, 3],
      [mem, mem.buffer, 0, 65536],
    ] as const) {
      const info = getBuffer(obj);
      assert.equal(info.format, 'B');
      assert.equal(info.buffer, buffer);
      assert.equal(info.offset, offset);
      assert.deepEqual(info.shape, [len]);
      assert.equal(isBuffer(obj), true);
    }
  });

  test('non-exporters give CPython TypeError texts', () => {
    for (const [value, name] of [
      ['abc', 'str'],
      [[1, 2], 'list'],
      [3, 'int'],
      [1.5, 'float'],
      [null, 'NoneType'],
      [undefined, 'NoneType'],
      [{}, 'dict'],
    ] as const) {
      assert.equal(isBuffer(value), false);
      expectError(
        () => getBuffer(value),
        TypeError,
        `a bytes-like object is required, not '${name}'`,
      );
      expectError(
        () => memoryview(value as never),
        TypeError,
        `memoryview: a bytes-like object is required, not '${name}'`,
      );
    }
  });

  test('a detached buffer cannot be exported', () => {
    const ab = new ArrayBuffer(8);
    structuredClone(ab, { transfer: [ab] });
    expectError(
      () => getBuffer(ab),
      BufferError,
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
  });
});

/** An exporter written in JavaScript that logs its calls. */
class Exporter {
  readonly calls: string[] = [];
  released: unknown[] = [];
  constructor(readonly make: (flags: number) => unknown) {}
  [BUFFER](flags: number): BufferInfo {
    this.calls.push(`buffer ${flags}`);
    return this.make(flags) as BufferInfo;
  }
  [RELEASE](view: unknown): void {
    this.calls.push('release');
    this.released.push(view);
  }
}

function infoOver(buffer: ArrayBuffer, fields: Partial<BufferInfo> = {}): BufferInfo {
  return {
    obj: undefined,
    buffer,
    offset: 0,
    len: buffer.byteLength,
    readonly: false,
    format: 'B',
    itemsize: 1,
    ndim: 1,
    shape: [buffer.byteLength],
    strides: [1],
    suboffsets: [],
    ...fields,
  };
}

describe('exporters written in JavaScript', () => {
  test('the symbols are registered, so two copies of memview interoperate', () => {
    assert.equal(BUFFER, Symbol.for('memview.buffer'));
    assert.equal(RELEASE, Symbol.for('memview.release'));
  });

  test('a BufferInfo export is released once, with the object [BUFFER] returned', () => {
    let returned: unknown;
    const exporter = new Exporter(() => {
      returned = infoOver(new ArrayBuffer(4));
      return returned;
    });
    const m = memoryview(exporter);
    assert.equal(m.obj, exporter);
    assert.deepEqual(exporter.calls, [`buffer ${PyBUF.FULL_RO}`]);
    const s = m.slice(1);
    m.release();
    assert.deepEqual(exporter.calls, [`buffer ${PyBUF.FULL_RO}`], 'a live slice keeps the export');
    s.release();
    s.release();
    assert.deepEqual(exporter.calls, [`buffer ${PyBUF.FULL_RO}`, 'release']);
    assert.equal(exporter.released[0], returned);
  });

  test('a MemoryView export is passed on; releasing frees the view first, then calls [RELEASE]', () => {
    const inner = memoryview(new Uint8Array([1, 2, 3]));
    const exporter = new Exporter(() => inner);
    const info = getBuffer(exporter, PyBUF.SIMPLE);
    assert.equal(info.obj, exporter);
    expectError(() => inner.release(), BufferError, 'memoryview has 1 exported buffer');
    let innerReleasable = false;
    exporter[RELEASE] = (view: unknown) => {
      assert.equal(view, inner);
      inner.release(); // allowed: the consumer's export of `inner` was given back first
      innerReleasable = inner.released;
    };
    releaseBuffer(info);
    releaseBuffer(info);
    assert.equal(innerReleasable, true);
  });

  test('two exports of a view are counted in the release message', () => {
    const m = memoryview(new Uint8Array(4));
    const a = getBuffer(m);
    const b = getBuffer(m);
    expectError(() => m.release(), BufferError, 'memoryview has 2 exported buffers');
    releaseBuffer(a);
    expectError(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
    releaseBuffer(b);
    m.release();
    assert.equal(m.released, true);
  });

  test('errors thrown by [BUFFER] propagate', () => {
    const exporter = new Exporter(() => {
      throw new RangeError('no memory today');
    });
    assert.throws(() => memoryview(exporter), { name: 'RangeError', message: 'no memory today' });
  });

  test('a [BUFFER] that returns neither a view nor a BufferInfo is a TypeError', () => {
    for (const [value, name] of [
      [42, 'int'],
      ['abc', 'str'],
      [null, 'NoneType'],
      [{ buffer: 'not memory' }, 'dict'],
    ] as const) {
      expectError(
        () => memoryview(new Exporter(() => value)),
        TypeError,
        `[BUFFER]() returned non-memoryview object: expected a MemoryView or a BufferInfo, not '${name}'`,
      );
    }
  });

  test('a BufferInfo is checked field by field before any consumer sees it', () => {
    const buffer = new ArrayBuffer(8);
    const cases: [Partial<BufferInfo>, string][] = [
      [{ format: 7 as never }, "BufferInfo.format must be a string, not 'int'"],
      [{ readonly: 'no' as never }, "BufferInfo.readonly must be a boolean, not 'str'"],
      [{ shape: 8 as never }, "BufferInfo.shape must be an array, not 'int'"],
      [{ strides: null as never }, "BufferInfo.strides must be an array, not 'NoneType'"],
      [
        { suboffsets: [0] },
        'BufferInfo.suboffsets must be empty: JavaScript memory has no indirection',
      ],
      [{ ndim: 2 }, 'BufferInfo.ndim is 2 but shape has 1 entries'],
      [{ len: 7 }, 'BufferInfo.len is 7 but product(shape) * itemsize is 8'],
      [{ offset: 1 }, 'layout reaches byte 8, beyond the end of the 8-byte buffer'],
      [{ strides: [-1] }, 'layout reaches byte -7, before the start of the buffer'],
      [{ itemsize: 0 }, 'layout itemsize must be a positive integer, not 0'],
    ];
    for (const [fields, message] of cases) {
      const exporter = new Exporter(() => infoOver(buffer, fields));
      expectError(() => memoryview(exporter), BufferError, message);
    }
  });

  test('requests the export cannot satisfy are refused, and the export given back', () => {
    const buffer = new ArrayBuffer(12);
    const readonly = new Exporter(() => infoOver(buffer, { readonly: true }));
    expectError(() => getBuffer(readonly, PyBUF.WRITABLE), BufferError, 'Object is not writable.');
    assert.deepEqual(readonly.calls, ['buffer 1', 'release']);

    const strided = () =>
      new Exporter(() => infoOver(buffer, { shape: [6], strides: [2], len: 6 }));
    expectError(
      () => getBuffer(strided(), PyBUF.SIMPLE),
      BufferError,
      'underlying buffer is not C-contiguous',
    );
    expectError(
      () => getBuffer(strided(), PyBUF.C_CONTIGUOUS),
      BufferError,
      'underlying buffer is not C-contiguous',
    );
    expectError(
      () => getBuffer(strided(), PyBUF.F_CONTIGUOUS),
      BufferError,
      'underlying buffer is not Fortran contiguous',
    );
    expectError(
      () => getBuffer(strided(), PyBUF.ANY_CONTIGUOUS),
      BufferError,
      'underlying buffer is not contiguous',
    );
    const ok = getBuffer(strided(), PyBUF.STRIDED);
    assert.deepEqual(ok.strides, [2]);
  });

  test('a BufferInfo is copied: the exporter cannot change a view after the fact', () => {
    const shape = [4];
    const exporter = new Exporter(() => infoOver(new ArrayBuffer(4), { shape }));
    const m = memoryview(exporter);
    shape[0] = 1000;
    assert.deepEqual(m.shape, [4]);
  });

  test('memoryview() of a view shares its managed buffer and export', () => {
    const exporter = new Exporter(() => infoOver(new ArrayBuffer(4)));
    const m = memoryview(exporter);
    const m2 = new MemoryView(m);
    assert.notEqual(m2, m);
    assert.equal(m2.obj, exporter);
    m.release();
    expectError(
      () => new MemoryView(m),
      ValueError,
      'operation forbidden on released memoryview object',
    );
    assert.deepEqual(exporter.calls.length, 1, 'still exported while m2 lives');
    m2.release();
    assert.deepEqual(exporter.calls, [`buffer ${PyBUF.FULL_RO}`, 'release']);
  });
});

describe("PEP 688 in JavaScript: CPython's TestPythonBufferProtocol, ported", () => {
  test('each consumer asks with the flags CPython passes (test_buffer_flags, test_call_builtins)', () => {
    const seen: number[] = [];
    const exporter = new Exporter((flags) => {
      seen.push(flags);
      return infoOver(new ArrayBuffer(4));
    });
    memoryview(exporter).release();
    unpack('4B', exporter);
    packInto('B', exporter, 0, 1);
    new Bytes(exporter);
    new ByteArray(exporter);
    new BufferReader(exporter).release();
    assert.deepEqual(seen, [
      PyBUF.FULL_RO,
      PyBUF.SIMPLE,
      PyBUF.WRITABLE,
      PyBUF.FULL_RO,
      PyBUF.FULL_RO,
      PyBUF.SIMPLE,
    ]);
    assert.equal(exporter.calls.filter((c) => c === 'release').length, 6, 'each released once');
  });

  test('a subclass of ByteArray that overrides [RELEASE] is called once per export (test_inheritance)', () => {
    const released: unknown[] = [];
    class Tracked extends ByteArray {
      override [RELEASE](view: unknown): void {
        released.push(view);
        super[RELEASE](view);
      }
    }
    const ba = new Tracked([1, 2, 3]);
    const m = memoryview(ba);
    const s = m.slice(1);
    m.release();
    assert.equal(released.length, 0);
    s.release();
    assert.equal(released.length, 1);
    ba.append(4); // the export was really given back
    assert.equal(ba.length, 4);
  });

  test('[BUFFER] set to null makes an object a non-buffer (__buffer__ = None)', () => {
    const notABuffer = { [BUFFER]: null };
    assert.equal(isBuffer(notABuffer), false);
    expectError(
      () => memoryview(notABuffer as never),
      TypeError,
      "memoryview: a bytes-like object is required, not 'dict'",
    );
  });

  test('an exporter that throws in [RELEASE] passes the error on, and the export is gone', () => {
    const exporter = new Exporter(() => infoOver(new ArrayBuffer(2)));
    exporter[RELEASE] = () => {
      throw new RangeError('release failed');
    };
    const info = getBuffer(exporter);
    assert.throws(() => releaseBuffer(info), { name: 'RangeError', message: 'release failed' });
    releaseBuffer(info); // released once: the second call does nothing
  });
});
