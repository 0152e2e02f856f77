/**
 * The layout layer against its golden fixtures (scripts/gen_layout_fixtures.py):
 * CPython 3.13's memoryview and `_testbuffer.ndarray` for slicing, indexing, contiguity,
 * bounds, default strides and cast shapes; NumPy for `subLayout` and `transposeLayout`.
 *
 * Every layout is checked twice: structurally (offset, shape, strides) and by the elements
 * it reaches, read from a buffer holding the bytes 0, 1, ..., n-1, against the oracle's
 * `tolist()`; its contiguous runs, concatenated, must equal the oracle's `tobytes()`.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  BufferError,
  IndexError,
  NotImplementedError,
  OverflowError,
  ValueError,
} from '../src/errors.js';
import {
  adjustSlice,
  byteSpan,
  castShape,
  checkBounds,
  contiguousRuns,
  cStrides,
  elementOffset,
  forEachRun,
  fStrides,
  indexDim,
  isAnyContiguous,
  isCContiguous,
  isFContiguous,
  type Layout,
  nbytes,
  type SliceBound,
  type SliceKey,
  type SubKey,
  sliceDim,
  subLayout,
  transposeLayout,
} from '../src/layout/index.js';

// ---------------------------------------------------------------------------------------
// Fixture plumbing
// ---------------------------------------------------------------------------------------

/** A JSON value after `revive`: tagged ints become bigints, tagged floats NaN or ±Infinity. */
type Int = number | bigint;

interface ErrorSpec {
  readonly type: string;
  readonly message: string;
}

interface Flags {
  readonly c: boolean;
  readonly f: boolean;
  readonly any: boolean;
}

type Nested = number | Nested[];

function load<T>(name: string): T[] {
  const url = new URL(`../../test/fixtures/layout/${name}.json`, import.meta.url);
  const data = JSON.parse(readFileSync(url, 'utf8'), revive) as { cases: T[] };
  return data.cases;
}

function revive(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { $bigint?: string; $float?: string };
    if (tagged.$bigint !== undefined) return BigInt(tagged.$bigint);
    if (tagged.$float !== undefined) {
      return { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, '-inf': Number.NEGATIVE_INFINITY }[
        tagged.$float
      ];
    }
  }
  return value;
}

const ERRORS: Record<string, new (...args: never[]) => Error> = {
  BufferError,
  IndexError,
  NotImplementedError,
  OverflowError,
  TypeError,
  ValueError,
};

function expectError(fn: () => unknown, spec: ErrorSpec): void {
  const type = ERRORS[spec.type];
  assert.ok(type, `no error class for ${spec.type}`);
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${spec.type}, got ${String(e)}`);
    assert.equal((e as Error).constructor, type, `expected exactly ${spec.type}`);
    assert.equal((e as Error).message, spec.message);
    return true;
  });
}

/** Only the four layout fields, so results compare structurally. */
function plain(layout: Layout): Layout {
  const { offset, itemsize, shape, strides } = layout;
  return { offset, itemsize, shape: [...shape], strides: [...strides] };
}

/** An expected layout with its tagged bigints (strides beyond 2**53) read as doubles. */
function asNumbers(layout: Layout | { [K in keyof Layout]: unknown }): Layout {
  const num = (x: unknown) => Number(x as Int);
  return {
    offset: num(layout.offset),
    itemsize: num(layout.itemsize),
    shape: (layout.shape as unknown[]).map(num),
    strides: (layout.strides as unknown[]).map(num),
  };
}

/** The bytes 0, 1, ..., n-1. */
function memory(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i);
}

/** The element at byte `at`, read little-endian from `mem`; throws outside the buffer. */
function itemAt(mem: Uint8Array, at: number, itemsize: number): number {
  assert.ok(at >= 0 && at + itemsize <= mem.length, `element at ${at} outside ${mem.length}`);
  let value = 0;
  for (let k = itemsize - 1; k >= 0; k--) value = value * 256 + mem[at + k];
  return value;
}

/** The nested list of the elements the layout reaches, as `tolist()` writes it. */
function valuesOf(layout: Layout, mem: Uint8Array): Nested {
  const walk = (d: number, at: number): Nested => {
    if (d === layout.shape.length) return itemAt(mem, at, layout.itemsize);
    const out: Nested[] = [];
    for (let i = 0; i < layout.shape[d]; i++) out.push(walk(d + 1, at + i * layout.strides[d]));
    return out;
  };
  return walk(0, layout.offset);
}

/** The layout's bytes in C order, gathered run by run, as hex (`tobytes().hex()`). */
function runBytes(layout: Layout, mem: Uint8Array): string {
  let hex = '';
  const count = forEachRun(layout, (offset, length) => {
    assert.ok(length > 0 && length % layout.itemsize === 0, `bad run length ${length}`);
    hex += Buffer.from(mem.subarray(offset, offset + length)).toString('hex');
  });
  const runs = [...contiguousRuns(layout)];
  assert.equal(runs.length, count);
  let again = '';
  for (const run of runs) {
    again += Buffer.from(mem.subarray(run.offset, run.offset + run.length)).toString('hex');
  }
  assert.equal(again, hex);
  return hex;
}

function flagsOf(layout: Layout): Flags {
  return { c: isCContiguous(layout), f: isFContiguous(layout), any: isAnyContiguous(layout) };
}

/** Checks a derived layout against an oracle's: structure, flags, values, bytes, bounds. */
function checkView(
  actual: Layout,
  expected: { layout: Layout; flags?: Flags; tolist: Nested; tobytes?: string },
  mem: Uint8Array,
): void {
  assert.deepEqual(plain(actual), asNumbers(expected.layout));
  checkBounds(actual, mem.length);
  if (expected.flags) assert.deepEqual(flagsOf(actual), expected.flags);
  assert.deepEqual(valuesOf(actual, mem), expected.tolist);
  if (expected.tobytes !== undefined) assert.equal(runBytes(actual, mem), expected.tobytes);
}

function toBigInts<T>(values: readonly T[]): (T | bigint)[] {
  return values.map((v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v));
}

// ---------------------------------------------------------------------------------------
// adjustSlice: _testbuffer.slice_indices (PySlice_Unpack + PySlice_AdjustIndices)
// ---------------------------------------------------------------------------------------

interface AdjustCase {
  length: number;
  start: SliceBound;
  stop: SliceBound;
  step: SliceBound;
  expected?: { start: Int; stop: Int; step: Int; length: number };
  error?: ErrorSpec;
}

describe('adjustSlice (CPython slice_indices)', () => {
  const cases = load<AdjustCase>('adjust_slice');

  it(`matches ${cases.length} slices, bounds given as numbers and as bigints`, () => {
    for (const c of cases) {
      const bigs = toBigInts([c.start, c.stop, c.step]) as SliceBound[];
      for (const [start, stop, step] of [[c.start, c.stop, c.step], bigs]) {
        const run = () => adjustSlice(c.length, start, stop, step);
        if (c.error) {
          expectError(run, c.error);
          continue;
        }
        const e = c.expected!;
        // ±(2**63 - 1) is ±2**63 as a double: compare through Number, as JSON.parse would.
        assert.deepEqual(
          run(),
          { start: Number(e.start), stop: Number(e.stop), step: Number(e.step), length: e.length },
          `slice(${String(start)}, ${String(stop)}, ${String(step)}).indices(${c.length})`,
        );
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Layouts built by _testbuffer.ndarray, sliced and indexed by memoryview and ndarray
// ---------------------------------------------------------------------------------------

interface ViewCase {
  layout: Layout;
  flags?: Flags;
  tolist: Nested;
  tobytes?: string;
}

interface LayoutCase extends ViewCase {
  bufferLength: number;
  flags: Flags;
  nbytes: number;
  tobytes: string;
  slices: (ViewCase & { key: SliceKey })[];
  multislices: (ViewCase & { keys: SliceKey[] })[];
  elements: { indices: Int[]; value?: number; error?: ErrorSpec }[];
  items: (ViewCase & { index: number })[];
}

describe('layouts of _testbuffer.ndarray and memoryview', () => {
  const cases = load<LayoutCase>('layouts');
  const counts = { slices: 0, multislices: 0, elements: 0, items: 0 };
  for (const c of cases) {
    counts.slices += c.slices.length;
    counts.multislices += c.multislices.length;
    counts.elements += c.elements.length;
    counts.items += c.items.length;
  }

  it(`flags, nbytes, values, bytes and bounds of ${cases.length} layouts`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      checkView(c.layout, c, mem);
      assert.equal(nbytes(c.layout), c.nbytes);
      const span = byteSpan(c.layout);
      if (span) assert.ok(span.start >= 0 && span.end <= c.bufferLength);
      else assert.equal(nbytes(c.layout), 0);
    }
  });

  it(`sliceDim(layout, 0, …) as memoryview slicing, ${counts.slices} slices`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      for (const s of c.slices) {
        checkView(sliceDim(c.layout, 0, s.key[0], s.key[1], s.key[2]), s, mem);
        checkView(subLayout(c.layout, [s.key]), s, mem);
      }
    }
  });

  it(`subLayout with slice keys as ndarray multi-dimensional slicing, ${counts.multislices} cases`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      for (const s of c.multislices) {
        checkView(subLayout(c.layout, s.keys), s, mem);
        let layout: Layout = c.layout;
        s.keys.forEach((key, d) => {
          layout = sliceDim(layout, d, key[0], key[1], key[2]);
        });
        checkView(layout, s, mem);
      }
    }
  });

  it(`elementOffset as memoryview's m[i, j, …], ${counts.elements} cases`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      for (const e of c.elements) {
        if (e.error) {
          expectError(() => elementOffset(c.layout, e.indices), e.error);
          // subLayout checks int keys in the same order, with the same errors.
          if (e.error.message.startsWith('index out of bounds')) {
            expectError(() => subLayout(c.layout, e.indices), e.error);
          }
          continue;
        }
        const at = elementOffset(c.layout, e.indices);
        assert.equal(itemAt(mem, at, c.layout.itemsize), e.value);
        const sub = subLayout(c.layout, e.indices);
        assert.deepEqual(sub.shape, []);
        assert.equal(sub.offset, at);
      }
    }
  });

  it(`indexDim(layout, 0, i) as ndarray's nd[i], ${counts.items} cases`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      for (const item of c.items) {
        checkView(indexDim(c.layout, 0, item.index), item, mem);
        checkView(subLayout(c.layout, [item.index]), item, mem);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// checkBounds: _testbuffer's verify_structure
// ---------------------------------------------------------------------------------------

describe('checkBounds (_testbuffer verify_structure)', () => {
  const cases = load<{ bufferLength: number; layout: Layout; ok: boolean }>('bounds');

  it(`accepts exactly the ${cases.filter((c) => c.ok).length} of ${cases.length} layouts ndarray accepts`, () => {
    for (const c of cases) {
      if (c.ok) {
        checkBounds(c.layout, c.bufferLength);
        continue;
      }
      // The message names the extreme byte, found here by visiting every element.
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      const visit = (d: number, at: number): void => {
        if (d === c.layout.shape.length) {
          low = Math.min(low, at);
          high = Math.max(high, at + c.layout.itemsize - 1);
          return;
        }
        for (let i = 0; i < c.layout.shape[d]; i++) visit(d + 1, at + i * c.layout.strides[d]);
      };
      visit(0, c.layout.offset);
      const message =
        low < 0
          ? `layout reaches byte ${low}, before the start of the buffer`
          : `layout reaches byte ${high}, beyond the end of the ${c.bufferLength}-byte buffer`;
      expectError(() => checkBounds(c.layout, c.bufferLength), { type: 'BufferError', message });
    }
  });
});

// ---------------------------------------------------------------------------------------
// Default strides and cast shapes
// ---------------------------------------------------------------------------------------

describe('cStrides and fStrides (ndarray without strides, C and ND_FORTRAN)', () => {
  const cases = load<{ shape: number[]; itemsize: number; c: number[]; f: number[] }>('strides');

  it(`match ${cases.length} shapes, zeros included`, () => {
    for (const c of cases) {
      assert.deepEqual(cStrides(c.shape, c.itemsize), c.c);
      assert.deepEqual(fStrides(c.shape, c.itemsize), c.f);
      const layout = { offset: 0, itemsize: c.itemsize, shape: c.shape, strides: c.c };
      assert.equal(isCContiguous(layout), true);
      assert.equal(isFContiguous({ ...layout, strides: c.f }), true);
    }
  });
});

describe("castShape (memoryview.cast()'s copy_shape)", () => {
  const cases = load<{ shape: unknown[]; itemsize: number; nbytes?: Int; error?: ErrorSpec }>(
    'cast_shape',
  );

  it(`matches ${cases.length} shapes × itemsizes`, () => {
    for (const c of cases) {
      if (c.error) {
        expectError(() => castShape(c.shape, c.itemsize), c.error);
        continue;
      }
      const result = castShape(c.shape, c.itemsize);
      assert.equal(result.nbytes, Number(c.nbytes));
      assert.deepEqual(
        result.shape,
        c.shape.map((x) => Number(x)),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------
// NumPy basic indexing and transpose
// ---------------------------------------------------------------------------------------

interface NumpyView {
  shape: number[];
  strides: number[];
  offset: number;
  values: Nested;
}

interface NumpyCase {
  bufferLength: number;
  layout: Layout;
  tolist: Nested;
  subs: {
    keys: SubKey[];
    numpy: NumpyView | { error: ErrorSpec };
    expected?: Layout;
    error?: ErrorSpec;
  }[];
  transposes: { axes: Int[] | null; numpy: NumpyView | { error: ErrorSpec } }[];
}

function checkNumpy(actual: Layout, expected: NumpyView, mem: Uint8Array, exact: boolean): void {
  assert.deepEqual(actual.shape, expected.shape);
  assert.deepEqual(valuesOf(actual, mem), expected.values);
  checkBounds(actual, mem.length);
  if (exact) {
    assert.deepEqual(actual.strides, expected.strides.map(Number));
    assert.equal(actual.offset, Number(expected.offset));
  }
}

describe('subLayout and transposeLayout (NumPy)', () => {
  const cases = load<NumpyCase>('numpy');
  const subs = cases.reduce((n, c) => n + c.subs.length, 0);
  const transposes = cases.reduce((n, c) => n + c.transposes.length, 0);

  it(`subLayout matches NumPy basic indexing, ${subs} cases over ${cases.length} layouts`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      checkBounds(c.layout, c.bufferLength);
      assert.deepEqual(valuesOf(c.layout, mem), c.tolist);
      for (const s of c.subs) {
        if (s.error) {
          expectError(() => subLayout(c.layout, s.keys), s.error);
          continue;
        }
        const result = subLayout(c.layout, s.keys);
        // CPython's arithmetic exactly; NumPy's too whenever the result has elements (an
        // empty NumPy slice resets to start 0, step 1, which no element can observe).
        assert.deepEqual(plain(result), asNumbers(s.expected!));
        const numpy = s.numpy as NumpyView;
        checkNumpy(result, numpy, mem, !result.shape.includes(0));
      }
    }
  });

  it(`transposeLayout matches numpy.transpose, ${transposes} cases`, () => {
    for (const c of cases) {
      const mem = memory(c.bufferLength);
      for (const t of c.transposes) {
        const run = () => transposeLayout(c.layout, t.axes);
        if ('error' in t.numpy) expectError(run, t.numpy.error);
        else checkNumpy(run(), t.numpy, mem, true);
      }
    }
  });
});
