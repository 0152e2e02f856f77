/**
 * Properties of the layout layer over random small layouts (fast-check), each checked
 * against brute force: visiting every element of every index combination.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BufferError } from '../src/errors.js';
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
  isCContiguous,
  isFContiguous,
  type Layout,
  nbytes,
  type SubKey,
  sliceDim,
  subLayout,
  transposeLayout,
} from '../src/layout/index.js';

const RUNS = { numRuns: 400 };

// ---------------------------------------------------------------------------------------
// Brute force
// ---------------------------------------------------------------------------------------

/** Every index tuple of `shape`, in C order (last index fastest) or Fortran order. */
function indicesOf(shape: readonly number[], order: 'C' | 'F' = 'C'): number[][] {
  const out: number[][] = [];
  const ndim = shape.length;
  if (shape.includes(0)) return out;
  const index = new Array<number>(ndim).fill(0);
  for (;;) {
    out.push(index.slice());
    let k = 0;
    for (; k < ndim; k++) {
      const d = order === 'C' ? ndim - 1 - k : k;
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
    if (k === ndim) return out;
  }
}

/** The byte offset of each element, by the definition offset + sum(index * stride). */
function offsetsOf(layout: Layout, order: 'C' | 'F' = 'C'): number[] {
  return indicesOf(layout.shape, order).map((index) =>
    index.reduce((at, i, d) => at + i * layout.strides[d], layout.offset),
  );
}

/** True when the elements, in this order, lie back to back from the first. */
function backToBack(layout: Layout, order: 'C' | 'F'): boolean {
  return offsetsOf(layout, order).every((at, i) => at === layout.offset + i * layout.itemsize);
}

// ---------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------

/** Shape, itemsize and strides: wild, or C/F-ordered and then permuted, flipped, padded. */
const structure = fc
  .record({
    itemsize: fc.integer({ min: 1, max: 4 }),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
    kind: fc.constantFrom('wild', 'C', 'F', 'padded', 'flipped'),
    wild: fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 4, maxLength: 4 }),
    flips: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .map(({ itemsize, shape, kind, wild, flips }) => {
    let strides: number[];
    if (kind === 'wild') strides = shape.map((_, d) => wild[d]);
    else if (kind === 'F') strides = fStrides(shape, itemsize);
    else strides = cStrides(shape, itemsize);
    if (kind === 'padded') strides = strides.map((s, d) => s * (1 + (flips[d] ? 1 : 0)));
    if (kind === 'flipped') strides = strides.map((s, d) => (flips[d] ? -s : s));
    return { itemsize, shape, strides };
  });

/** A layout that fits its buffer, and that buffer's length. */
const fitted = fc
  .record({ s: structure, before: fc.nat(5), after: fc.nat(5) })
  .map(({ s, before, after }) => {
    let low = 0;
    let high = s.itemsize;
    s.shape.forEach((n, d) => {
      const extent = (Math.max(n, 1) - 1) * s.strides[d];
      if (extent < 0) low += extent;
      else high += extent;
    });
    const layout: Layout = { offset: before - low, ...s };
    return { layout, bufferLength: before + (high - low) + after };
  });

/** A layout anywhere relative to a buffer: maybe inside, maybe not. */
const placed = fc.record({
  s: structure,
  offset: fc.integer({ min: -20, max: 40 }),
  bufferLength: fc.integer({ min: 0, max: 40 }),
});

const bound = fc.option(fc.integer({ min: -6, max: 6 }), { nil: null });
const step = fc.option(
  fc.integer({ min: -3, max: 3 }).filter((x) => x !== 0),
  { nil: undefined },
);
const sliceKey = fc.tuple(bound, bound, step);

/** Keys for NumPy basic indexing of a layout (ints possibly out of range). */
function keysFor(shape: readonly number[]): fc.Arbitrary<SubKey[]> {
  return fc
    .nat(shape.length)
    .chain((count) =>
      fc.tuple(
        ...shape
          .slice(0, count)
          .map((n) =>
            fc.oneof(
              fc.integer({ min: -n - 1, max: n }) as fc.Arbitrary<SubKey>,
              sliceKey as fc.Arbitrary<SubKey>,
              fc.constant(null),
            ),
          ),
      ),
    );
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

describe('layout properties (fast-check, brute force)', () => {
  it('contiguous runs cover exactly the elements, in C order, in maximal runs', () => {
    fc.assert(
      fc.property(fitted, ({ layout, bufferLength }) => {
        checkBounds(layout, bufferLength);
        const expected = offsetsOf(layout).flatMap((at) =>
          Array.from({ length: layout.itemsize }, (_, k) => at + k),
        );
        const runs: [number, number][] = [];
        const count = forEachRun(layout, (offset, length) => runs.push([offset, length]));
        assert.equal(count, runs.length);
        assert.deepEqual(
          [...contiguousRuns(layout)].map((r) => [r.offset, r.length]),
          runs,
        );
        const bytes = runs.flatMap(([offset, length]) =>
          Array.from({ length }, (_, k) => offset + k),
        );
        assert.deepEqual(bytes, expected);
        for (let i = 1; i < runs.length; i++) {
          assert.notEqual(runs[i][0], runs[i - 1][0] + runs[i - 1][1], 'adjacent runs not merged');
        }
      }),
      RUNS,
    );
  });

  it('contiguity flags: back to back in C / Fortran order; one run exactly when C-contiguous', () => {
    fc.assert(
      fc.property(fitted, ({ layout }) => {
        if (layout.shape.includes(0)) return; // CPython's empty-view rules: see the fixtures
        assert.equal(isCContiguous(layout), backToBack(layout, 'C'));
        assert.equal(isFContiguous(layout), backToBack(layout, 'F'));
        assert.equal(forEachRun(layout, () => {}) === 1, isCContiguous(layout));
      }),
      RUNS,
    );
  });

  it('checkBounds accepts exactly the layouts whose every element lies in the buffer', () => {
    fc.assert(
      fc.property(placed, ({ s, offset, bufferLength }) => {
        const layout: Layout = { offset, ...s };
        const inside = offsetsOf(layout).every((at) => at >= 0 && at + s.itemsize <= bufferLength);
        if (inside) checkBounds(layout, bufferLength);
        else assert.throws(() => checkBounds(layout, bufferLength), BufferError);
        const all = offsetsOf(layout);
        const span = byteSpan(layout);
        if (all.length === 0) assert.equal(span, null);
        else {
          assert.deepEqual(span, {
            start: Math.min(...all),
            end: Math.max(...all) + s.itemsize,
          });
        }
      }),
      RUNS,
    );
  });

  it('subLayout selects what the keys select, element by element', () => {
    const arb = fitted.chain((f) => fc.tuple(fc.constant(f), keysFor(f.layout.shape)));
    fc.assert(
      fc.property(arb, ([{ layout, bufferLength }, keys]) => {
        // Which original index each result index stands for, dimension by dimension.
        const maps: ((i: number) => number)[] = [];
        const kept: number[] = [];
        let valid = true;
        layout.shape.forEach((n, d) => {
          const key = keys[d];
          if (key === null || key === undefined) {
            maps.push((i) => i);
            kept.push(d);
          } else if (Array.isArray(key)) {
            const s = adjustSlice(n, key[0], key[1], key[2]);
            maps.push((i) => s.start + i * s.step);
            kept.push(d);
          } else {
            const i = Number(key) < 0 ? Number(key) + n : Number(key);
            if (i < 0 || i >= n) valid = false;
            maps.push(() => i);
          }
        });
        if (!valid) {
          assert.throws(() => subLayout(layout, keys), /index out of bounds on dimension/);
          return;
        }
        const result = subLayout(layout, keys);
        checkBounds(result, bufferLength);
        assert.equal(result.shape.length, kept.length);
        for (const index of indicesOf(result.shape)) {
          const original = maps.map((map, d) => map(index[kept.indexOf(d)] ?? 0));
          assert.equal(elementOffset(result, index), elementOffset(layout, original));
        }
        // A lone slice key is exactly sliceDim.
        keys.forEach((key, d) => {
          if (!Array.isArray(key)) return;
          const only: SubKey[] = Array.from({ length: d + 1 }, (_, k) => (k === d ? key : null));
          assert.deepEqual(subLayout(layout, only), sliceDim(layout, d, key[0], key[1], key[2]));
        });
      }),
      RUNS,
    );
  });

  it('transposeLayout permutes indices, inverts, and swaps C and Fortran contiguity', () => {
    const arb = fitted.chain((f) =>
      fc.tuple(
        fc.constant(f.layout),
        fc.shuffledSubarray(
          f.layout.shape.map((_, d) => d),
          { minLength: f.layout.shape.length },
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([layout, axes]) => {
        const t = transposeLayout(layout, axes);
        for (const index of indicesOf(t.shape)) {
          const original = new Array<number>(index.length);
          axes.forEach((axis, i) => {
            original[axis] = index[i];
          });
          assert.equal(elementOffset(t, index), elementOffset(layout, original));
        }
        const inverse = new Array<number>(axes.length);
        axes.forEach((axis, i) => {
          inverse[axis] = i;
        });
        assert.deepEqual(transposeLayout(t, inverse), layout);
        const reversed = transposeLayout(layout);
        assert.equal(isCContiguous(layout), isFContiguous(reversed));
        assert.equal(isFContiguous(layout), isCContiguous(reversed));
      }),
      RUNS,
    );
  });

  it('castShape agrees with nbytes on positive shapes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2 ** 20 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (shape, itemsize) => {
          const layout = { offset: 0, itemsize, shape, strides: cStrides(shape, itemsize) };
          let size: number | undefined;
          try {
            size = nbytes(layout);
          } catch {
            size = undefined;
          }
          if (size === undefined) assert.throws(() => castShape(shape, itemsize));
          else assert.equal(castShape(shape, itemsize).nbytes, size);
        },
      ),
      RUNS,
    );
  });
});
