/**
 * memview's sanctioned extensions (ARCHITECTURE.md, "Beyond CPython") against NumPy and struct:
 * fixtures in test/fixtures/view/numpy_*.json, written by
 * scripts/gen_view_numpy_fixtures.py (its opening docstring defines the JSON encoding).
 *
 * - `sub(...keys)`, `T`, `transpose(...axes)` and `slice` chained on views of random
 *   layouts and formats: shape, strides, toList, toBytes C/F/A, contiguity flags (CPython's
 *   rules, from a real memoryview of the same layout), and the error of a bad key or axis;
 * - `assign` on N-D views, with sources of other buffers or overlapping the destination;
 * - element access for explicit byte orders, records and counts (cast and exporter views);
 * - `toTypedArray()`: zero-copy contents, or a BufferError naming the failed condition.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  calcsize,
  IndexError,
  type MemoryView,
  memoryview,
  ValueError,
} from '../src/index.js';
import {
  assertRaises,
  assertSame,
  type ErrorName,
  FailureLog,
  fromHex,
  show,
  toHex,
} from './helpers/fixtures.js';
import { loadTagged } from './helpers/tagged.js';

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

type Op =
  | ['sub', unknown[]]
  | ['T']
  | ['transpose', number[] | null]
  | ['slice', unknown, unknown, unknown];

interface Expected {
  shape: number[];
  strides: number[];
  list: unknown;
  C: string;
  F?: string;
  A: 'C' | 'F';
  flags: [boolean, boolean];
  np: [boolean, boolean];
}

interface ErrorExpectation {
  type: ErrorName;
  message: string;
  numpy?: { type: string; message: string };
}

interface Layout {
  buffer: string;
  offset: number;
  shape: number[];
  strides: number[];
}

interface SubCase extends Layout {
  format: string;
  base: Expected;
  probes: { ops: Op[]; result?: Expected; error?: ErrorExpectation }[];
}

interface AssignCase extends Layout {
  format: string;
  assigns: {
    dst: Op[];
    src: { ops: Op[] } | (Layout & { format?: string });
    after?: string;
    error?: ErrorExpectation;
  }[];
}

interface FormatCase extends Layout {
  format: string;
  build: 'cast' | 'castnd' | 'exporter';
  list: unknown;
  gets: { index: number[]; value?: unknown; error?: ErrorExpectation }[];
  sets: { index: number[]; value: unknown; after: string }[];
}

interface TypedCase extends Layout {
  format: string;
  kind: string;
  typed?: string;
  values?: unknown[];
  fails?: 'contiguous' | 'aligned' | 'byteorder';
}

const load = loadTagged;

// ---------------------------------------------------------------------------------------
// A test exporter (like _testbuffer.ndarray): any format, offset, shape and strides
// ---------------------------------------------------------------------------------------

function exporter(bytes: Uint8Array, format: string, layout: Omit<Layout, 'buffer'>) {
  const itemsize = calcsize(format);
  const { offset, shape, strides } = layout;
  return {
    [BUFFER](_flags: number): BufferInfo {
      return {
        obj: this,
        buffer: bytes.buffer,
        offset: bytes.byteOffset + offset,
        len: shape.reduce((a, b) => a * b, 1) * itemsize,
        readonly: false,
        format,
        itemsize,
        ndim: shape.length,
        shape: shape.slice(),
        strides: strides.slice(),
        suboffsets: [],
      };
    },
  };
}

/** A memoryview with the case's layout over a fresh copy of its buffer. */
function viewOf(c: Layout, format: string): { bytes: Uint8Array; m: MemoryView } {
  const bytes = fromHex(c.buffer);
  return { bytes, m: memoryview(exporter(bytes, format, c)) };
}

type Loose = (...args: unknown[]) => MemoryView;

function applyOp(m: MemoryView, op: Op): MemoryView {
  switch (op[0]) {
    case 'sub':
      return (m.sub as Loose)(...op[1]);
    case 'T':
      return m.T;
    case 'transpose':
      return op[1] === null ? m.transpose() : (m.transpose as Loose)(...op[1]);
    case 'slice':
      return (m.slice as Loose)(op[1], op[2], op[3]);
  }
}

function applyOps(m: MemoryView, ops: Op[]): MemoryView {
  for (const op of ops) m = applyOp(m, op);
  return m;
}

function showOp(op: Op): string {
  const arg = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(arg).join(', ')}]` : v === null ? 'null' : show(v);
  switch (op[0]) {
    case 'T':
      return '.T';
    case 'sub':
      return `.sub(${op[1].map(arg).join(', ')})`;
    case 'transpose':
      return `.transpose(${op[1] === null ? '' : op[1].map(arg).join(', ')})`;
    case 'slice':
      return `.slice(${op.slice(1).map(arg).join(', ')})`;
  }
}

const showOps = (ops: Op[]) => ops.map(showOp).join('');

function layoutName(c: Layout & { format: string }): string {
  return `${JSON.stringify(c.format)} offset=${c.offset} shape=[${c.shape}] strides=[${c.strides}]`;
}

function asSpec(e: ErrorExpectation) {
  return { error: e.type, message: e.message };
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/** Every observable of `m` against what NumPy (and CPython for the flags) computed. */
function checkView(
  m: MemoryView,
  want: Expected,
  format: string,
  ctx: string,
  log: FailureLog,
): void {
  const itemsize = calcsize(format);
  log.run(() => {
    assert.deepEqual([...m.shape], want.shape, `${ctx}: shape`);
    assert.equal(m.ndim, want.shape.length, `${ctx}: ndim`);
    assert.equal(m.format, format, `${ctx}: format`);
    assert.equal(m.itemsize, itemsize, `${ctx}: itemsize`);
    assert.equal(m.nbytes, want.shape.reduce((a, b) => a * b, 1) * itemsize, `${ctx}: nbytes`);
    assert.deepEqual([...m.strides], want.strides, `${ctx}: strides`);
  });
  log.run(() => {
    // CPython's flags (a real memoryview of this layout); NumPy's, in `want.np`, agree
    // except on empty 1-D views, which NumPy calls contiguous whatever their stride.
    const [c, f] = want.flags;
    assert.deepEqual(
      [m.cContiguous, m.fContiguous, m.contiguous],
      [c, f, c || f],
      `${ctx}: [cContiguous, fContiguous, contiguous]`,
    );
  });
  log.run(() => assertSame(m.toList(), want.list, `${ctx}: toList()`));
  log.run(() => {
    const F = want.F ?? want.C;
    assert.equal(toHex(m.toBytes()), want.C, `${ctx}: toBytes()`);
    assert.equal(toHex(m.toBytes('C')), want.C, `${ctx}: toBytes('C')`);
    assert.equal(toHex(m.toBytes('F')), F, `${ctx}: toBytes('F')`);
    assert.equal(toHex(m.toBytes('A')), want.A === 'C' ? want.C : F, `${ctx}: toBytes('A')`);
  });
  log.run(() => {
    if (want.shape.length === 0) {
      assertRaises(
        () => m.length,
        { error: 'TypeError', message: '0-dim memory has no length' },
        ctx,
      );
    } else assert.equal(m.length, want.shape[0], `${ctx}: length`);
  });
}

function run(log: FailureLog, ctx: string, fn: () => void): void {
  log.run(() => {
    try {
      fn();
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      throw new Error(`${ctx}: threw ${show(err)}`);
    }
  });
}

// ---------------------------------------------------------------------------------------
// sub / T / transpose / slice
// ---------------------------------------------------------------------------------------

describe('sub, T, transpose and slice against NumPy basic indexing', () => {
  const cases = load<SubCase>('numpy_sub');
  const probes = cases.flatMap((c) => c.probes);
  const errors = probes.filter((p) => p.error).length;
  const npDiffer = probes.filter(
    (p) =>
      p.result && (p.result.np[0] !== p.result.flags[0] || p.result.np[1] !== p.result.flags[1]),
  ).length;

  it(`base views: ${cases.length} random layouts and formats`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      const ctx = layoutName(c);
      run(log, ctx, () => checkView(viewOf(c, c.format).m, c.base, c.format, ctx, log));
    }
    log.assertClean();
  });

  it(`${probes.length - errors} op chains agree with NumPy (flags: CPython's; NumPy's differ on ${npDiffer} empty 1-D views)`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      for (const p of c.probes) {
        if (!p.result) continue;
        const ctx = `${layoutName(c)} m${showOps(p.ops)}`;
        const want = p.result;
        run(log, ctx, () =>
          checkView(applyOps(viewOf(c, c.format).m, p.ops), want, c.format, ctx, log),
        );
      }
    }
    log.assertClean();
  });

  it(`${errors} bad keys and axes raise memview's error for NumPy's condition`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      for (const p of c.probes) {
        if (!p.error) continue;
        const err = p.error;
        const ctx = `${layoutName(c)} m${showOps(p.ops)} (NumPy: ${err.numpy?.type} ${JSON.stringify(err.numpy?.message)})`;
        log.run(() => {
          const { m } = viewOf(c, c.format);
          const before = applyOps(m, p.ops.slice(0, -1));
          assertRaises(() => applyOp(before, p.ops[p.ops.length - 1]), asSpec(err), ctx);
        });
      }
    }
    log.assertClean();
  });

  it('sub-views share memory with their base', () => {
    const bytes = Uint8Array.from({ length: 24 }, (_, i) => i);
    const m = memoryview(bytes).cast('B', [2, 3, 4]);
    const s = m.sub(1, [null, null, -1], 2);
    assert.deepEqual([...s.shape], [3]);
    assert.deepEqual(s.toList(), [22, 18, 14]);
    s.set(0, 99);
    assert.equal(bytes[22], 99);
    assert.equal(m.get(1, 2, 2), 99);
    assert.equal(m.T.get(2, 2, 1), 99);
  });
});

// ---------------------------------------------------------------------------------------
// assign
// ---------------------------------------------------------------------------------------

describe('N-D assign against NumPy a[keys] = src', () => {
  const cases = load<AssignCase>('numpy_assign');
  const all = cases.flatMap((c) => c.assigns);
  const overlapping = all.filter((a) => 'ops' in a.src && !a.error).length;
  const errors = all.filter((a) => a.error).length;

  it(`${all.length - errors} assignments (${overlapping} from a view of the same buffer), ${errors} mismatches`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      for (const a of c.assigns) {
        const srcName =
          'ops' in a.src
            ? `m${showOps(a.src.ops)}`
            : `view(${layoutName({ ...a.src, format: a.src.format ?? c.format })})`;
        const ctx = `${layoutName(c)} m${showOps(a.dst)}.assign(${srcName})`;
        run(log, ctx, () => {
          const { bytes, m } = viewOf(c, c.format);
          const dst = applyOps(m, a.dst);
          let src: unknown;
          if ('ops' in a.src) src = applyOps(m, a.src.ops);
          else {
            const ex = exporter(fromHex(a.src.buffer), a.src.format ?? c.format, a.src);
            // A MemoryView or the bare exporter: assign takes any exporter.
            src = a.src.offset % 2 === 0 ? memoryview(ex) : ex;
          }
          const assign = dst.assign as (source: unknown) => void;
          if (a.error) {
            assertRaises(() => assign.call(dst, src), asSpec(a.error), ctx);
            assert.equal(toHex(bytes), c.buffer, `${ctx}: the buffer changed on error`);
          } else {
            assign.call(dst, src);
            assert.equal(toHex(bytes), a.after, `${ctx}: buffer afterwards`);
          }
        });
      }
    }
    log.assertClean();
  });

  it('overlapping N-D assignment is as if the source were snapshotted first', () => {
    const bytes = Uint8Array.from({ length: 12 }, (_, i) => i);
    const m = memoryview(bytes).cast('B', [3, 4]);
    m.sub([1, null], null).assign(m.sub([null, -1], null));
    assert.deepEqual([...bytes], [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7]);
    const sq = memoryview(Uint8Array.from({ length: 9 }, (_, i) => i)).cast('B', [3, 3]);
    sq.assign(sq.T);
    assert.deepEqual(sq.toList(), [
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Element access for any struct format
// ---------------------------------------------------------------------------------------

describe('element access for explicit byte orders, records and counts (struct, NumPy)', () => {
  const cases = load<FormatCase>('numpy_formats');
  const formats = new Set(cases.map((c) => c.format)).size;

  function build(c: FormatCase): { bytes: Uint8Array; m: MemoryView } {
    const bytes = fromHex(c.buffer);
    if (c.build === 'cast') return { bytes, m: memoryview(bytes).cast(c.format) };
    if (c.build === 'castnd') return { bytes, m: memoryview(bytes).cast(c.format, c.shape) };
    return { bytes, m: memoryview(exporter(bytes, c.format, c)) };
  }

  it(`toList, get and iteration: ${cases.length} views of ${formats} formats`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      const ctx = `${c.build} ${layoutName(c)}`;
      run(log, ctx, () => {
        const { m } = build(c);
        assert.equal(m.format, c.format, `${ctx}: format`);
        assert.equal(m.itemsize, calcsize(c.format), `${ctx}: itemsize`);
        assert.deepEqual([...m.shape], c.shape, `${ctx}: shape`);
        assertSame(m.toList(), c.list, `${ctx}: toList()`);
        if (c.shape.length === 1) assertSame([...m], c.list, `${ctx}: iteration`);
      });
      for (const g of c.gets) {
        const gctx = `${ctx} get(${g.index})`;
        log.run(() => {
          const { m } = build(c);
          if (g.error) assertRaises(() => m.get(...g.index), asSpec(g.error), gctx);
          else assertSame(m.get(...g.index), g.value, gctx);
        });
      }
    }
    log.assertClean();
  });

  it('set writes what struct.pack writes', () => {
    const log = new FailureLog();
    for (const c of cases) {
      for (const s of c.sets) {
        const ctx = `${c.build} ${layoutName(c)} set(${s.index}, ${show(s.value)})`;
        run(log, ctx, () => {
          const { bytes, m } = build(c);
          (m.set as (...args: unknown[]) => void)(...s.index, s.value);
          assert.equal(toHex(bytes), s.after, ctx);
          assertSame(m.get(...s.index), s.value, `${ctx}: read back`);
        });
      }
    }
    log.assertClean();
  });

  it('a byte view casts to any struct format in place', () => {
    const bytes = Uint8Array.of(0, 0, 1, 2, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
    const m = memoryview(bytes);
    assert.deepEqual(m.slice(0, 4).cast('>I').toList(), [0x102]);
    assert.deepEqual(m.slice(0, 4).cast('<I').toList(), [0x02010000]);
    assert.deepEqual(m.slice(4).cast('>d').toList(), [1]);
    assert.deepEqual(m.slice(0, 8).cast('>hbb', [2]).toList(), [
      [0, 1, 2],
      [16368, 0, 0],
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// toTypedArray
// ---------------------------------------------------------------------------------------

const CONDITION: Record<NonNullable<TypedCase['fails']>, RegExp> = {
  contiguous: /contiguous/i,
  aligned: /align/i,
  byteorder: /byte order|endian/i,
};

describe('toTypedArray()', () => {
  const cases = load<TypedCase>('numpy_typed');
  const ok = cases.filter((c) => c.typed).length;

  it(`${ok} contiguous, aligned, native-endian views give a zero-copy TypedArray`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      if (!c.typed) continue;
      const ctx = `${c.kind} ${layoutName(c)}`;
      run(log, ctx, () => {
        const { bytes, m } = viewOf(c, c.format);
        const t = m.toTypedArray() as unknown as ArrayLike<unknown> & ArrayBufferView;
        assert.equal(t.constructor.name, c.typed, `${ctx}: class`);
        assertSame(Array.from(t), c.values, `${ctx}: contents`);
        assert.equal(t.buffer, bytes.buffer, `${ctx}: not a view of the exporter's memory`);
        assert.equal(t.byteOffset, bytes.byteOffset + c.offset, `${ctx}: byteOffset`);
        assert.equal(t.byteLength, m.nbytes, `${ctx}: byteLength`);
      });
    }
    log.assertClean();
  });

  it(`${cases.length - ok} other views raise a BufferError naming the failed condition`, () => {
    const log = new FailureLog();
    for (const c of cases) {
      if (!c.fails) continue;
      const ctx = `${c.kind} ${layoutName(c)}: expected a BufferError matching ${CONDITION[c.fails]}`;
      log.run(() => {
        const { m } = viewOf(c, c.format);
        assert.throws(
          () => m.toTypedArray(),
          (err: unknown) => {
            assert.ok(err instanceof BufferError, `${ctx}, got ${show(err)}`);
            assert.equal(err.name, 'BufferError', ctx);
            assert.match(err.message, CONDITION[c.fails!], `${ctx}, got ${show(err)}`);
            return true;
          },
          ctx,
        );
      });
    }
    log.assertClean();
  });

  it("format 'e' gives a Float16Array where the runtime has one, else says there is none", () => {
    const m = memoryview(new Uint8Array(8)).cast('e');
    const F16 = (globalThis as { Float16Array?: new () => ArrayBufferView }).Float16Array;
    if (F16 !== undefined) {
      assert.equal(m.toTypedArray().constructor, F16);
      return;
    }
    assert.throws(
      () => m.toTypedArray(),
      (err: unknown) => {
        assert.ok(err instanceof BufferError, show(err));
        // 'e' is native-endian here: the condition that fails is the missing class.
        assert.doesNotMatch(err.message, /byte order|endian/i);
        assert.match(err.message, /Float16Array|TypedArray/);
        return true;
      },
    );
  });

  it('the TypedArray writes through to the buffer', () => {
    const bytes = new Uint8Array(16);
    const m = memoryview(bytes).cast('i');
    const t = m.toTypedArray() as unknown as Int32Array;
    t[1] = -2;
    assert.equal(m.get(1), -2);
    assert.deepEqual([...bytes.subarray(4, 8)], [0xfe, 0xff, 0xff, 0xff]);
  });
});

// The error classes the fixtures name must be the exported ones.
assert.ok(new IndexError('x') instanceof RangeError);
assert.ok(new ValueError('x') instanceof Error);
