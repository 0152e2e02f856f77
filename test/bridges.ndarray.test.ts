import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import StdlibCtor from '@stdlib/ndarray/ctor/lib/index.js';
import { fromStdlib, type StdlibNdarray, toStdlib } from '../src/bridges/ndarray/stdlib.js';
import { MemoryView, memoryview } from '../src/index.js';
import { runNode } from './helpers/child.js';
import { iota } from './helpers/ndarray-elements.js';

// scijs builds each ndarray class with `new Function`. Where this process forbids that
// (the suite runs V8 with --disallow-code-generation-from-strings), its tests run in a
// child Node process that allows it; elsewhere (Bun) they run here.
function codeFromStrings(): boolean {
  try {
    Reflect.construct(Function, ['']);
    return true;
  } catch {
    return false;
  }
}

if (!codeFromStrings()) {
  describe('memview/ndarray: scijs ndarray both ways', () => {
    test('its tests pass in a process that lets scijs compile its accessors', () => {
      const file = fileURLToPath(new URL('./scijs/bridges.scijs.js', import.meta.url));
      const run = runNode(['--test', '--test-reporter=tap', file]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^# pass 9$/m);
      assert.match(run.stdout, /^# fail 0$/m);
    });
  });
} else {
  await import('./scijs/bridges.scijs.js');
}

describe('memview/stdlib: @stdlib/ndarray both ways', () => {
  test('a transposed view becomes a column-major array over the same memory', () => {
    const data = iota(12);
    const m = memoryview(data).cast('B').cast('d', [3, 4]);
    const a = toStdlib(m.T);
    assert.equal(String(a.dtype), 'float64');
    assert.deepEqual([...a.shape], [4, 3]);
    assert.deepEqual([...a.strides], [1, 4]);
    assert.equal(a.order, 'column-major');
    assert.equal(a.get(3, 2), m.get(2, 3));
    a.set(0, 1, 99);
    assert.equal(m.get(1, 0), 99);
  });

  test('read-only travels both ways', () => {
    const m = memoryview(new Int16Array(6)).toReadonly();
    const a = toStdlib(m);
    assert.equal(a.flags.READONLY, true);
    assert.throws(() => a.set(0, 1));
    const back = fromStdlib(a);
    assert.equal(back.readonly, true);
    const writable = new StdlibCtor('uint8', new Uint8Array(4), [2, 2], [2, 1], 0, 'row-major');
    assert.equal(fromStdlib(writable as unknown as StdlibNdarray).readonly, false);
  });

  test('a stdlib array with a negative stride and an offset', () => {
    const x = new StdlibCtor(
      'int32',
      Int32Array.from([0, 1, 2, 3, 4, 5]),
      [2, 3],
      [-3, 1],
      3,
      'row-major',
    );
    const view = fromStdlib(x as unknown as StdlibNdarray);
    assert.deepEqual(view.toList(), [
      [3, 4, 5],
      [0, 1, 2],
    ]);
  });

  test('formats stdlib has no dtype for are refused', () => {
    assert.throws(() => toStdlib(memoryview(new BigInt64Array(2))), {
      name: 'NotImplementedError',
      message: "toStdlib: @stdlib/ndarray has no dtype for format 'q'",
    });
  });

  test('every layout stdlib cannot hold is refused by name', () => {
    const bytes = new Uint8Array(64);
    assert.throws(() => toStdlib(memoryview(bytes).slice(1, 9).cast('d')), {
      name: 'BufferError',
      message:
        'toStdlib: the view is not aligned to its 8-byte items (byte offset 1, strides [8]); an ndarray indexes whole elements',
    });
    const strided = MemoryView.fromLayout({
      buffer: bytes.buffer,
      byteOffset: 0,
      format: 'd',
      shape: [2],
      strides: [12],
      readonly: false,
    });
    assert.throws(() => toStdlib(strided), {
      name: 'BufferError',
      message:
        'toStdlib: the view is not aligned to its 8-byte items (byte offset 0, strides [12]); an ndarray indexes whole elements',
    });
    assert.throws(() => toStdlib(memoryview(bytes).cast('>d')), {
      name: 'NotImplementedError',
      message:
        "toStdlib: format '>d' is byte-swapped on this host; an ndarray reads native byte order only",
    });
    for (const format of ['?', 'c', '4s', 'e']) {
      assert.throws(() => toStdlib(memoryview(bytes).cast(format)), {
        name: 'NotImplementedError',
        message: `toStdlib: format '${format}' has no TypedArray an ndarray could use`,
      });
    }
    assert.throws(() => toStdlib(memoryview(bytes).cast('<IHHd')), {
      name: 'NotImplementedError',
      message: "toStdlib: an ndarray holds single numbers; format '<IHHd' has more than one item",
    });
    assert.throws(() => toStdlib(memoryview(bytes).slice(0, 60).cast('<ix')), {
      name: 'NotImplementedError',
      message: "toStdlib: format '<ix' has no TypedArray an ndarray could use",
    });
    const released = memoryview(new Float64Array(2));
    released.release();
    assert.throws(() => toStdlib(released), {
      name: 'ValueError',
      message: 'operation forbidden on released memoryview object',
    });
  });
});
