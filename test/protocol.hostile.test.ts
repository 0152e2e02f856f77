/**
 * The protocol layer against exporters that lie: getters that answer one thing to the
 * check and another afterwards, own `[BUFFER]` methods on memview's own objects,
 * `[BUFFER]` methods that return themselves, `[RELEASE]` methods that throw or re-enter,
 * request flags of every type, and memory that goes away between two looks. Every case
 * checks the error's class and message and that each export is given back exactly once.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  ByteArray,
  Bytes,
  getBuffer,
  isBuffer,
  MemoryView,
  memoryview,
  OverflowError,
  PyBUF,
  RELEASE,
  releaseBuffer,
  ValueError,
} from '../src/index.js';
import {
  assertAlive,
  assertLive,
  type BinaryRegion,
  binaryRegion,
  deadMemoryError,
  isAlive,
  liveError,
  trustExports,
} from '../src/protocol/index.js';
import { expectError } from './helpers/expect.js';
import { wasm } from './helpers/wasm.js';

type ErrorClass = new (...args: never[]) => Error;

const NON_VIEW = '[BUFFER]() returned non-memoryview object: expected a MemoryView or a BufferInfo';
const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';
const GREW =
  'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer';

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

function infoOver(buffer: ArrayBufferLike, fields: Partial<BufferInfo> = {}): BufferInfo {
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

/** An exporter that returns whatever `make` gives and counts what it has out. */
class Counted {
  held = 0;
  buffers = 0;
  readonly released: unknown[] = [];
  constructor(readonly make: (flags: number) => unknown) {}
  [BUFFER](flags: number): BufferInfo {
    this.buffers++;
    this.held++;
    return this.make(flags) as BufferInfo;
  }
  [RELEASE](view: unknown): void {
    this.held--;
    this.released.push(view);
  }
}

/** A BufferInfo whose every read is logged; `answers` may give a field a new value per read. */
function loggedInfo(
  base: BufferInfo,
  reads: string[],
  answers: Partial<Record<keyof BufferInfo, (n: number) => unknown>> = {},
): BufferInfo {
  const counts = new Map<string, number>();
  return new Proxy(base, {
    get(target, key, receiver) {
      const name = String(key);
      reads.push(name);
      const n = counts.get(name) ?? 0;
      counts.set(name, n + 1);
      const answer = answers[key as keyof BufferInfo];
      return answer === undefined ? Reflect.get(target, key, receiver) : answer(n);
    },
  });
}

describe('class 5: a BufferInfo is read once into a frozen snapshot', () => {
  test('each field is read exactly once, and the consumer gets a frozen copy', () => {
    const reads: string[] = [];
    const base = infoOver(new ArrayBuffer(8), { shape: [2], strides: [4], itemsize: 4, len: 8 });
    let returned: BufferInfo | undefined;
    const exporter = new Counted(() => {
      returned = loggedInfo(base, reads);
      return returned;
    });
    const info = getBuffer(exporter, PyBUF.FULL_RO);
    const fields = reads.filter((r) => !r.startsWith('Symbol('));
    assert.deepEqual(fields.slice().sort(), [
      'buffer',
      'format',
      'itemsize',
      'len',
      'ndim',
      'offset',
      'readonly',
      'shape',
      'strides',
      'suboffsets',
    ]);
    assert.notEqual(info, returned);
    assert.ok(
      Object.isFrozen(info) && Object.isFrozen(info.shape) && Object.isFrozen(info.strides),
    );
    assert.equal(info.obj, exporter, 'obj is the exporter asked, whatever the BufferInfo says');
    assert.deepEqual([...info.shape], [2]);
    releaseBuffer(info);
    releaseBuffer(info);
    assert.equal(exporter.held, 0);
    assert.deepEqual(exporter.released, [returned]);
  });

  test('a getter cannot swap buffer or format after the check', () => {
    const big = new ArrayBuffer(64);
    const small = new ArrayBuffer(1);
    const reads: string[] = [];
    const exporter = new Counted(() =>
      loggedInfo(infoOver(big), reads, {
        buffer: (n) => (n === 0 ? big : small),
        format: (n) => (n === 0 ? 'B' : 'd'),
      }),
    );
    const m = memoryview(exporter);
    assert.equal(m.format, 'B');
    assert.equal(m.nbytes, 64);
    m.set(63, 7);
    assert.equal(new Uint8Array(big)[63], 7, 'writes reach the buffer that was checked');
    assert.equal(m.get(63), 7);
    m.release();
    assert.equal(exporter.held, 0);
  });

  test('shape and strides entries are read once each, from a copy that cannot change', () => {
    let shapeReads = 0;
    const shape = new Proxy([8], {
      get(target, key, receiver) {
        if (key === '0') return shapeReads++ === 0 ? 8 : 1000;
        return Reflect.get(target, key, receiver);
      },
    });
    const exporter = new Counted(() => infoOver(new ArrayBuffer(8), { shape }));
    const m = memoryview(exporter);
    assert.equal(shapeReads, 1);
    assert.deepEqual(m.shape, [8]);
    assert.equal(m.toBytes().length, 8);
    m.release();
    assert.equal(exporter.held, 0);
  });

  test('a shape longer than 64 entries is refused before anything is copied', () => {
    const shape: number[] = [];
    shape.length = 2 ** 32 - 1;
    const exporter = new Counted(() => infoOver(new ArrayBuffer(8), { shape }));
    expectError(
      () => memoryview(exporter),
      ValueError,
      'memoryview: number of dimensions must not exceed 64',
    );
    assert.equal(exporter.held, 0);
  });

  test('only a real ArrayBuffer or SharedArrayBuffer is memory', () => {
    const real = new ArrayBuffer(8);
    const fakes: unknown[] = [
      Object.create(ArrayBuffer.prototype),
      new Proxy(real, {}),
      new Uint8Array(8),
      { byteLength: 8 },
    ];
    for (const buffer of fakes) {
      const exporter = new Counted(() => infoOver(real, { buffer: buffer as ArrayBuffer }));
      expectError(() => memoryview(exporter), TypeError, `${NON_VIEW}, not 'dict'`);
      assert.equal(exporter.held, 0, 'given back');
    }
    const shared = new Counted(() => infoOver(new SharedArrayBuffer(4)));
    const info = getBuffer(shared);
    assert.equal(info.len, 4);
    releaseBuffer(info);
    assert.equal(shared.held, 0);
  });

  test('a BufferInfo over detached memory names the cause, and is given back', () => {
    const buffer = new ArrayBuffer(8);
    detach(buffer);
    const exporter = new Counted(() => infoOver(buffer, { shape: [8], len: 8 }));
    expectError(() => memoryview(exporter), BufferError, DETACHED);
    assert.equal(exporter.held, 0);
  });

  test('every refused or malformed export is given back exactly once', () => {
    const buffer = new ArrayBuffer(8);
    const cases: [Partial<BufferInfo>, number, ErrorClass, string][] = [
      [{ format: 7 as never }, 0, BufferError, "BufferInfo.format must be a string, not 'int'"],
      [{ offset: 1 }, 0, BufferError, 'layout reaches byte 8, beyond the end of the 8-byte buffer'],
      [{ len: 3 }, 0, BufferError, 'BufferInfo.len is 3 but product(shape) * itemsize is 8'],
      [{ readonly: true }, PyBUF.WRITABLE, BufferError, 'Object is not writable.'],
      [
        { shape: [4], strides: [2], len: 4 },
        PyBUF.SIMPLE,
        BufferError,
        'underlying buffer is not C-contiguous',
      ],
    ];
    for (const [fields, flags, type, message] of cases) {
      const exporter = new Counted(() => infoOver(buffer, fields));
      expectError(() => getBuffer(exporter, flags), type, message);
      assert.equal(exporter.held, 0, message);
      assert.equal(exporter.released.length, 1, message);
    }
  });
});

describe('class 5: only what memview made is trusted', () => {
  const lie = (buffer: ArrayBufferLike) => () => infoOver(buffer, { offset: 4 });

  test('an own [BUFFER] on a MemoryView, Bytes or ByteArray instance is checked', () => {
    const u8 = new Uint8Array(8);
    const instances: [string, object, ArrayBufferLike][] = [
      ['MemoryView', memoryview(u8), u8.buffer],
      ['Bytes', new Bytes([1, 2, 3, 4]), new ArrayBuffer(8)],
      ['ByteArray', new ByteArray([1, 2, 3, 4]), new ArrayBuffer(8)],
    ];
    for (const [name, instance, buffer] of instances) {
      Object.defineProperty(instance, BUFFER, { value: lie(buffer) });
      expectError(
        () => getBuffer(instance),
        BufferError,
        'layout reaches byte 11, beyond the end of the 8-byte buffer',
      );
      assert.equal(isBuffer(instance), true, name);
    }
  });

  test('a subclass that overrides [BUFFER] is checked, one that inherits it is not', () => {
    class Lying extends ByteArray {
      override [BUFFER](_flags: number): BufferInfo {
        return infoOver(new ArrayBuffer(2), { shape: [3], len: 3 });
      }
    }
    expectError(
      () => memoryview(new Lying([1])),
      BufferError,
      'layout reaches byte 2, beyond the end of the 2-byte buffer',
    );
    class Plain extends ByteArray {}
    const plain = new Plain([1, 2, 3]);
    const m = memoryview(plain);
    assert.deepEqual(m.toList(), [1, 2, 3]);
    expectError(
      () => plain.append(4),
      BufferError,
      'Existing exports of data: object cannot be re-sized',
    );
    m.release();
    plain.append(4);
    assert.equal(plain.length, 4);
  });

  test('a getter on [BUFFER] is read once: it cannot pass a trusted method to the check', () => {
    let reads = 0;
    const ba = new ByteArray([1, 2]);
    const trustedMethod = ByteArray.prototype[BUFFER];
    Object.defineProperty(ba, BUFFER, {
      get() {
        reads++;
        return reads === 1 ? lie(new ArrayBuffer(8)) : trustedMethod;
      },
    });
    expectError(
      () => getBuffer(ba),
      BufferError,
      'layout reaches byte 11, beyond the end of the 8-byte buffer',
    );
    assert.equal(reads, 1);
  });
});

describe("class 5: memview's own [BUFFER] on something that is not its instance", () => {
  test('a Proxy of a ByteArray or Bytes, or a borrowed method, exports nothing', () => {
    for (const [obj, name] of [
      [new Proxy(new ByteArray([1]), {}), 'bytearray'],
      [new Proxy(new Bytes([1]), {}), 'bytes'],
      [{ [BUFFER]: ByteArray.prototype[BUFFER] }, 'dict'],
      [Object.create(Bytes.prototype), 'bytes'],
    ] as const) {
      expectError(
        () => getBuffer(obj),
        TypeError,
        `a bytes-like object is required, not '${name}'`,
      );
    }
  });

  test('a class registered with an instance test is no buffer for a Proxy at all', () => {
    class Owned {
      readonly #bytes = new Uint8Array([1, 2, 3]);
      static isOwned(obj: unknown): boolean {
        return typeof obj === 'object' && obj !== null && #bytes in obj;
      }
      [BUFFER](_flags: number): BufferInfo {
        return infoOver(this.#bytes.buffer, { obj: this });
      }
    }
    trustExports(Owned.prototype, Owned.isOwned);
    const real = new Owned();
    const info = getBuffer(real);
    assert.equal(info.len, 3);
    assert.equal(Object.isFrozen(info), false, 'trusted: handed on as made');
    const proxy = new Proxy(real, {});
    assert.equal(isBuffer(real), true);
    assert.equal(isBuffer(proxy), false);
    expectError(() => getBuffer(proxy), TypeError, "a bytes-like object is required, not 'Owned'");
    expectError(
      () => memoryview(proxy as never),
      TypeError,
      "memoryview: a bytes-like object is required, not 'Owned'",
    );
  });
});

describe('class 5: what [BUFFER] may return (CPython: "__buffer__ returned non-memoryview object")', () => {
  test('an exporter whose [BUFFER] returns itself is a TypeError, not a stack overflow', () => {
    class Self {
      calls = 0;
      released = 0;
      [BUFFER](): unknown {
        this.calls++;
        return this;
      }
      [RELEASE](): void {
        this.released++;
      }
    }
    const self = new Self();
    expectError(() => memoryview(self as never), TypeError, `${NON_VIEW}, not 'Self'`);
    assert.equal(self.calls, 1);
    assert.equal(self.released, 1, '[RELEASE] gets back what [BUFFER] returned');
  });

  test('a chain of exporters written in JavaScript is cut at the first link', () => {
    const inner = new Counted(() => infoOver(new ArrayBuffer(4)));
    const outer = new Counted(() => inner);
    expectError(() => getBuffer(outer), TypeError, `${NON_VIEW}, not 'Counted'`);
    assert.equal(inner.buffers, 0, "the inner exporter's [BUFFER] never runs");
    assert.equal(outer.held, 0);
    // A cycle of two is cut the same way.
    const a: { [BUFFER]?: () => unknown } = {};
    const b = { [BUFFER]: () => a };
    a[BUFFER] = () => b;
    expectError(() => getBuffer(a), TypeError, `${NON_VIEW}, not 'dict'`);
  });

  test('memory memview exports itself is passed on, and held until released', () => {
    const u8 = new Uint8Array([1, 2, 3]);
    const ba = new ByteArray([4, 5]);
    const view = memoryview(new Uint16Array([6, 7]));
    for (const [inner, format, bytes] of [
      [u8, 'B', 3],
      [ba, 'B', 2],
      [view, 'H', 4],
      [u8.buffer, 'B', 3],
    ] as const) {
      const exporter = new Counted(() => inner);
      const info = getBuffer(exporter, PyBUF.FULL_RO);
      assert.equal(info.obj, exporter);
      assert.equal(info.format, format);
      assert.equal(info.len, bytes);
      assert.ok(Object.isFrozen(info));
      if (inner === ba) {
        expectError(
          () => ba.append(0),
          BufferError,
          'Existing exports of data: object cannot be re-sized',
        );
      }
      if (inner === view) {
        expectError(() => view.release(), BufferError, 'memoryview has 1 exported buffer');
      }
      releaseBuffer(info);
      releaseBuffer(info);
      assert.equal(exporter.held, 0);
      assert.deepEqual(exporter.released, [inner]);
    }
    ba.append(0);
    view.release();
    assert.equal(view.released, true);
  });

  test('a MemoryView that refuses the request is given back, with its export', () => {
    const ro = memoryview(new Bytes([1, 2]));
    const exporter = new Counted(() => ro);
    expectError(
      () => getBuffer(exporter, PyBUF.WRITABLE),
      BufferError,
      'memoryview: underlying buffer is not writable',
    );
    assert.equal(exporter.held, 0);
    assert.deepEqual(exporter.released, [ro]);
    ro.release();
    assert.equal(ro.released, true, 'the view holds no export');

    const gone = memoryview(new Uint8Array(2));
    gone.release();
    const late = new Counted(() => gone);
    expectError(
      () => getBuffer(late),
      ValueError,
      'operation forbidden on released memoryview object',
    );
    assert.equal(late.held, 0);
  });

  test('errors thrown by [BUFFER] propagate, and nothing is given back', () => {
    const exporter = new Counted(() => {
      throw new RangeError('half done');
    });
    assert.throws(() => getBuffer(exporter), { name: 'RangeError', message: 'half done' });
    assert.equal(exporter.released.length, 0);
  });
});

describe('class 5: [RELEASE] that throws or re-enters', () => {
  test('a [RELEASE] that throws while a failed export is given back: the export error wins', () => {
    let calls = 0;
    const exporter = {
      [BUFFER]: () => infoOver(new ArrayBuffer(4), { len: 99 }),
      [RELEASE]: () => {
        calls++;
        throw new RangeError('release failed');
      },
    };
    expectError(
      () => getBuffer(exporter),
      BufferError,
      'BufferInfo.len is 99 but product(shape) * itemsize is 4',
    );
    assert.equal(calls, 1);
  });

  test('a [RELEASE] that re-enters releaseBuffer or getBuffer gives back once', () => {
    let info: BufferInfo | undefined;
    let again: BufferInfo | undefined;
    const exporter = new Counted(() => infoOver(new ArrayBuffer(4)));
    const release = exporter[RELEASE].bind(exporter);
    exporter[RELEASE] = (view: unknown) => {
      release(view);
      releaseBuffer(info!); // the same export: already given back, so nothing happens
      if (again === undefined) again = getBuffer(exporter);
    };
    info = getBuffer(exporter);
    releaseBuffer(info);
    assert.equal(exporter.released.length, 1);
    assert.equal(exporter.held, 1, 'the export taken from inside [RELEASE] is live');
    releaseBuffer(again!);
    assert.equal(exporter.held, 0);
    assert.equal(exporter.released.length, 2);
  });

  test('when the inner release of a passed-on export throws, [RELEASE] still runs', () => {
    class Failing extends ByteArray {
      override [RELEASE](view: unknown): void {
        super[RELEASE](view);
        throw new RangeError('inner release failed');
      }
    }
    const inner = new Failing([1, 2]);
    const exporter = new Counted(() => inner);
    const info = getBuffer(exporter);
    assert.throws(() => releaseBuffer(info), { name: 'RangeError' });
    assert.equal(exporter.held, 0);
    releaseBuffer(info);
    assert.equal(exporter.released.length, 1);
    inner.append(3);
    assert.equal(inner.length, 3, 'the inner export was given back');
  });

  test("a [RELEASE] that is not callable is CPython's TypeError, and the export is gone", () => {
    const exporter = { [BUFFER]: () => infoOver(new ArrayBuffer(2)), [RELEASE]: 5 };
    const info = getBuffer(exporter as never);
    expectError(() => releaseBuffer(info), TypeError, "'int' object is not callable");
    releaseBuffer(info);
  });
});

describe('class 10: request flags of every type', () => {
  test('bigint, number and bool flags mean the same request for every exporter', () => {
    const makers: [string, () => unknown][] = [
      ['MemoryView', () => memoryview(new Uint8Array(4))],
      ['Bytes', () => new Bytes([1, 2])],
      ['ByteArray', () => new ByteArray([1, 2])],
      ['Uint8Array', () => new Uint8Array(2)],
      ['user', () => new Counted(() => infoOver(new ArrayBuffer(2)))],
    ];
    for (const [name, make] of makers) {
      for (const flags of [284, 284n, 0, 0n, false]) {
        const info = getBuffer(make(), flags as number);
        assert.equal(info.format, 'B', `${name} ${String(flags)}`);
        releaseBuffer(info);
      }
    }
    expectError(() => getBuffer(new Bytes([1]), 1n), BufferError, 'Object is not writable.');
    expectError(
      () => getBuffer(new Bytes([1]), true as never),
      BufferError,
      'Object is not writable.',
    );
    const seen: unknown[] = [];
    getBuffer(
      new Counted((flags) => {
        seen.push(flags);
        return infoOver(new ArrayBuffer(1));
      }),
      29n,
    );
    assert.deepEqual(seen, [29], '[BUFFER] is called with a number');
  });

  test("flags that are not a C int: __buffer__'s TypeError and OverflowError", () => {
    const cases: [unknown, ErrorClass, string][] = [
      ['x', TypeError, "'str' object cannot be interpreted as an integer"],
      [1.5, TypeError, "'float' object cannot be interpreted as an integer"],
      [Number.NaN, TypeError, "'float' object cannot be interpreted as an integer"],
      [null, TypeError, "'NoneType' object cannot be interpreted as an integer"],
      [{}, TypeError, "'dict' object cannot be interpreted as an integer"],
      [2 ** 31, OverflowError, 'buffer flags too large'],
      [2n ** 31n, OverflowError, 'buffer flags too large'],
      [2 ** 63, OverflowError, "cannot fit 'int' into an index-sized integer"],
      [2n ** 100n, OverflowError, "cannot fit 'int' into an index-sized integer"],
      [-(2n ** 63n) - 1n, OverflowError, "cannot fit 'int' into an index-sized integer"],
    ];
    for (const [flags, type, message] of cases) {
      for (const make of [
        () => new Uint8Array(1),
        () => memoryview(new Uint8Array(1)),
        () => new Counted(() => infoOver(new ArrayBuffer(1))),
      ]) {
        const obj = make();
        expectError(() => getBuffer(obj, flags as number), type, message);
        if (obj instanceof Counted) assert.equal(obj.buffers, 0, 'no [BUFFER] call');
        if (obj instanceof MemoryView) {
          obj.release();
          assert.equal(obj.released, true, 'no export taken');
        }
      }
    }
  });

  test('negative flags wrap to a C int as CPython casts them', () => {
    // -1 asks for everything, WRITABLE included; -(2**31) - 1 wraps to 2**31 - 1.
    for (const flags of [-1, -1n, -(2 ** 31) - 1, -(2n ** 31n) - 1n]) {
      expectError(() => getBuffer(new Bytes([1]), flags), BufferError, 'Object is not writable.');
    }
    const seen: unknown[] = [];
    getBuffer(
      new Counted((f) => {
        seen.push(f);
        return infoOver(new ArrayBuffer(1));
      }),
      -(2 ** 32) + 8,
    );
    assert.deepEqual(seen, [8]);
  });
});

describe('JavaScript binary values are asked of the engine, not of themselves', () => {
  test('a TypedArray subclass cannot claim another format, offset or length', () => {
    class Liar extends Uint8Array {
      override get byteLength(): number {
        return 1000;
      }
      override get byteOffset(): number {
        return 500;
      }
      override get [Symbol.toStringTag](): 'Uint8Array' {
        return 'Float64Array' as 'Uint8Array';
      }
    }
    const liar = new Liar(new ArrayBuffer(16), 2, 6);
    const info = getBuffer(liar);
    assert.deepEqual([info.format, info.offset, info.len, info.shape[0]], ['B', 2, 6, 6]);
  });

  test('binaryRegion reads a binary value as the engine sees it, allocating nothing', () => {
    class Liar extends Int16Array {
      override get byteOffset(): number {
        return 0;
      }
      override get length(): number {
        return 100;
      }
    }
    const ab = new ArrayBuffer(16);
    const mem = new wasm.Memory({ initial: 1 });
    const region: BinaryRegion = { buffer: ab, offset: -1, length: -1, format: '', itemsize: 0 };
    const cases: [unknown, ArrayBufferLike, number, number, string, number][] = [
      [new Liar(ab, 4, 3), ab, 4, 6, 'h', 2],
      [new DataView(ab, 3, 5), ab, 3, 5, 'B', 1],
      [new BigUint64Array(ab, 8), ab, 8, 8, 'Q', 8],
      [ab, ab, 0, 16, 'B', 1],
      [mem, mem.buffer, 0, 65536, 'B', 1],
    ];
    for (const [value, buffer, offset, length, format, itemsize] of cases) {
      assert.equal(binaryRegion(value, region), true);
      assert.deepEqual(region, { buffer, offset, length, format, itemsize });
    }
    for (const value of [
      {},
      'abc',
      null,
      new ByteArray([1]),
      Object.create(ArrayBuffer.prototype),
    ]) {
      assert.equal(binaryRegion(value, region), false);
    }
  });

  test('an object dressed as an ArrayBuffer or WebAssembly.Memory is not memory', () => {
    for (const fake of [
      Object.create(ArrayBuffer.prototype),
      Object.create(wasm.Memory.prototype),
    ]) {
      assert.equal(isBuffer(fake), false);
      assert.throws(() => getBuffer(fake), TypeError);
    }
  });

  test('a DataView or TypedArray whose buffer shrank below it names the cause', () => {
    const rab = new ArrayBuffer(8, { maxByteLength: 16 });
    const dv = new DataView(rab, 2, 6);
    const fixed = new Uint16Array(rab, 0, 4);
    const tracking = new Uint8Array(rab, 2);
    rab.resize(4);
    const shrank = 'the underlying ArrayBuffer shrank to 4 bytes, below the end of this view';
    expectError(() => getBuffer(dv), BufferError, shrank);
    expectError(() => getBuffer(fixed), BufferError, shrank);
    assert.equal(getBuffer(tracking).len, 2, 'a length-tracking array exports what is left');
    const ab = new ArrayBuffer(4);
    const dv2 = new DataView(ab);
    const u8 = new Uint8Array(ab);
    detach(ab);
    expectError(() => getBuffer(dv2), BufferError, DETACHED);
    expectError(() => getBuffer(u8), BufferError, DETACHED);
  });
});

describe('class 3 support: liveError and assertLive after user code or I/O ran', () => {
  test('an export over a buffer that shrank, or a child span that survived it', () => {
    const rab = new ArrayBuffer(16, { maxByteLength: 16 });
    const info = getBuffer(new Uint8Array(rab));
    assert.equal(liveError(info), undefined);
    rab.resize(10);
    expectError(
      () => assertLive(info),
      BufferError,
      'the underlying ArrayBuffer shrank to 10 bytes; this view reaches byte 15',
    );
    assert.equal(liveError(info, 2, 10), undefined, 'a span within the new length is alive');
    assert.equal(liveError(info, 12, 12), undefined, 'an empty span needs no bytes');
    assert.equal(liveError(info, 100, 50), undefined, 'nor does a reversed one');
    expectError(
      () => assertLive(info, 8, 11),
      BufferError,
      'the underlying ArrayBuffer shrank to 10 bytes; this view reaches byte 10',
    );
    rab.resize(0);
    assert.equal(liveError(info, 0, 0), undefined, 'shrunk to nothing is not detached');
  });

  test('a detached export, whatever span is asked', () => {
    const ab = new ArrayBuffer(8);
    const info = getBuffer(ab);
    detach(ab);
    for (const [start, end] of [
      [undefined, undefined],
      [0, 8],
      [4, 4],
    ] as const) {
      expectError(() => assertLive(info, start, end), BufferError, DETACHED);
    }
  });

  test('WebAssembly memory that grew, reached through any export of it', () => {
    const mem = new wasm.Memory({ initial: 1, maximum: 2 });
    const direct = getBuffer(mem);
    const view = memoryview(mem);
    const throughView = getBuffer(view);
    mem.grow(1);
    expectError(() => assertLive(direct), BufferError, GREW);
    expectError(() => assertLive(throughView), BufferError, GREW);
    releaseBuffer(throughView);
    view.release();
  });

  test('the older helpers keep their signatures and messages', () => {
    const ab = new ArrayBuffer(4);
    assert.equal(isAlive(ab, 4), true);
    assert.equal(isAlive(ab, 5), false);
    expectError(
      () => assertAlive(ab, ab, 6),
      BufferError,
      'the underlying ArrayBuffer shrank to 4 bytes; this view reaches byte 5',
    );
    detach(ab);
    assert.equal(isAlive(ab, 0), false);
    assert.equal(deadMemoryError(ab, ab, 0).message, DETACHED);
  });
});
