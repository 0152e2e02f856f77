/**
 * The element-access engine of MemoryView: where a view's elements are in memory, in the
 * form the hot paths need, and the fast paths that read and write them.
 *
 * Invariants:
 * - an `Access` is the memory a view reads its elements through: a TypedArray (`ta`) over
 *   a span of the buffer when the elements are aligned host-order numbers, otherwise a
 *   DataView (made on first use), with the element codec. Views derived with the same
 *   format (slice, sub, transpose, toReadonly, `memoryview(m)`) share their parent's
 *   Access: their elements lie inside its span;
 * - an `Elements` is one view's position in its Access: the index (or byte offset) of
 *   element (0, …, 0), and for views of 1 to 4 dimensions the length and step of each
 *   dimension as plain numbers (length 1 and step 0 past the rank). The view copies them
 *   into fields of its own, which its `get`/`set` read inline, so that `get(i, j)` is a
 *   few loads, compares and one TypedArray read;
 * - a fast path accepts a subset of what the slow path accepts: int indices in bounds
 *   (1-D and N-D paths leave negative ones to the slow path, which wraps them); a value
 *   the TypedArray stores exactly as the codec writes it. It reports a miss (`undefined`,
 *   `false`) for everything else — the first access, a DataView format, memory that went
 *   away (a TypedArray read gives `undefined`) — and the view's slow path decides, with
 *   CPython's checks in CPython's order;
 * - the fields of every `Elements` are initialised in the same order, so every view
 *   copies them from one object shape.
 */

import type { Int64Mode } from '../format/index.js';
import type { Layout } from '../layout/index.js';
import { type ElementCodec, elementCodec, type TypedArrayLike } from './elements.js';

/** The memory a view's elements are read through, shared by views of the same format. */
export class Access {
  /** A DataView over the span, made by `dv` on first use. */
  #dv: DataView | undefined;

  constructor(
    readonly codec: ElementCodec,
    readonly ta: TypedArrayLike | undefined,
    readonly buffer: ArrayBufferLike,
    /** Byte offset in the buffer of the first byte of the span. */
    readonly start: number,
    /** Bytes in the span. */
    readonly size: number,
    /** The span as 32-bit halves of number mode's 8-byte integers (see `ElementCodec.halves`). */
    readonly halves: Int32Array | Uint32Array | undefined = undefined,
  ) {}

  /** A DataView over the span, made once. */
  get dv(): DataView {
    if (this.#dv === undefined) this.#dv = new DataView(this.buffer, this.start, this.size);
    return this.#dv;
  }

  /** True when the buffer no longer holds the whole span (detached or shrunk). */
  get cut(): boolean {
    return this.size > 0 && this.buffer.byteLength < this.start + this.size;
  }
}

/** The access of a view not yet read (or released). */
export const UNPREPARED = /* @__PURE__ */ new Access(
  {
    single: true,
    read: () => undefined,
    write: () => undefined,
    typed: undefined,
    halves: undefined,
    store: 0 /* STORE_NONE */,
    storeMin: 1,
    storeMax: 0,
  },
  undefined,
  /* @__PURE__ */ new ArrayBuffer(0),
  0,
  0,
);

/**
 * The access for `layout`'s elements of `format` in `buffer`, spanning the bytes the
 * layout reaches (`[start, start + size)`). NotImplementedError for a format a view
 * cannot read. Reads through a TypedArray when every element is aligned to its size.
 * `int64` is the view's mode for 8-byte integers.
 */
export function makeAccess(
  format: string,
  layout: Layout,
  buffer: ArrayBufferLike,
  start: number,
  size: number,
  int64: Int64Mode = 'bigint',
): Access {
  const codec = elementCodec(format, layout.itemsize, int64);
  const itemsize = layout.itemsize;
  let aligned = codec.typed !== undefined && start % itemsize === 0 && size > 0;
  for (let d = 0; aligned && d < layout.shape.length; d++) {
    aligned = layout.strides[d] % itemsize === 0;
  }
  const ta =
    aligned && codec.typed !== undefined
      ? new codec.typed(buffer, start, size / itemsize)
      : undefined;
  const halves =
    codec.halves !== undefined &&
    start % 8 === 0 &&
    size > 0 &&
    layout.strides.every((s) => s % 8 === 0)
      ? new codec.halves(buffer, start, size / 4)
      : undefined;
  return new Access(codec, ta, buffer, start, size, halves);
}

/** The most dimensions the fast paths serve; more take the general path. */
export const FAST_RANK = 4;

const MAX_INT32 = 0x7fffffff;

/**
 * One view's elements in its Access. `base` and the steps `s0`..`s3` are in the unit of
 * the access's array: elements of the TypedArray, or bytes from the span's start.
 */
export class Elements {
  // Declared, not defined: a class field would start every instance at `undefined`, and
  // V8 would then keep these numbers tagged instead of as small ints, a load and a check
  // more for each on the hot path.
  declare readonly access: Access;
  /** The TypedArray reads go through, or undefined (DataView reads, or closed). */
  declare readonly ta: TypedArrayLike | undefined;
  /** The TypedArray fast writes go through: undefined for a read-only view too. */
  declare readonly wta: TypedArrayLike | undefined;
  /** The view's rank when at most `FAST_RANK`, else -1 (the fast paths are closed). */
  declare readonly rank: number;
  declare readonly base: number;
  declare readonly n0: number;
  declare readonly n1: number;
  declare readonly n2: number;
  declare readonly n3: number;
  declare readonly s0: number;
  declare readonly s1: number;
  declare readonly s2: number;
  declare readonly s3: number;
  /** Which numbers a fast write stores exactly, and `STORE_INT`'s bounds (`ElementCodec.store`). */
  declare readonly store: number;
  declare readonly min: number;
  declare readonly max: number;
  /** The halves number mode's `get(i)` reads (see `ElementCodec.halves`); steps in bytes. */
  declare readonly halves: Int32Array | Uint32Array | undefined;

  constructor(access: Access, layout: Layout, writable: boolean) {
    const ta = access.ta;
    const unit = ta === undefined ? 1 : layout.itemsize;
    const { shape, strides } = layout;
    const ndim = access === UNPREPARED ? -1 : shape.length;
    const codec = access.codec;
    this.access = access;
    this.ta = ta;
    this.wta = writable ? ta : undefined;
    // The N-D paths compute positions in int32 (`Math.imul`): closed for an array whose
    // positions could reach 2**31.
    this.rank = ndim <= FAST_RANK && (ndim <= 1 || access.size / unit <= MAX_INT32) ? ndim : -1;
    this.base = (layout.offset - access.start) / unit;
    this.n0 = ndim > 0 ? shape[0] : 1;
    this.n1 = ndim > 1 ? shape[1] : 1;
    this.n2 = ndim > 2 ? shape[2] : 1;
    this.n3 = ndim > 3 ? shape[3] : 1;
    this.s0 = ndim > 0 ? strides[0] / unit : 0;
    this.s1 = ndim > 1 ? strides[1] / unit : 0;
    this.s2 = ndim > 2 ? strides[2] / unit : 0;
    this.s3 = ndim > 3 ? strides[3] / unit : 0;
    this.store = codec.store;
    this.min = codec.storeMin;
    this.max = codec.storeMax;
    this.halves = access.halves;
  }
}

/**
 * `index` wrapped once if negative and bounds-checked against `length`: the index, or
 * -1 unless it is an int in bounds (the slow path then judges it, with CPython's errors).
 */
export function fastIndex(index: unknown, length: number): number {
  if (typeof index !== 'number') return -1;
  const i = index < 0 ? index + length : index;
  return (i | 0) === i && i >= 0 && i < length ? i : -1;
}

/** The elements of a view not yet read, or released: every fast path misses. */
export const CLOSED = /* @__PURE__ */ new Elements(
  UNPREPARED,
  { offset: 0, itemsize: 1, shape: [], strides: [] },
  false,
);

/** What the iterator needs of its view: whether it was released, and `get` for the rest. */
export interface ElementSource {
  readonly released: boolean;
  get(i: number): unknown;
}

/**
 * The iterator of a 1-D view: reads through the TypedArray the view had when iteration
 * began while the view is not released and the read gives a value; otherwise through
 * `view.get(i)`, which raises for a released view or vanished memory, or remakes the
 * arrays after a partial shrink (the old TypedArray then reads nothing).
 */
export class ElementIterator implements IterableIterator<unknown> {
  // Declared and assigned in the constructor, as `Elements`'s fields are (see there).
  declare private i: number;
  declare private readonly n: number;
  declare private readonly view: ElementSource;
  declare private readonly ta: TypedArrayLike | undefined;
  declare private readonly base: number;
  declare private readonly step: number;

  constructor(
    view: ElementSource,
    n: number,
    ta: TypedArrayLike | undefined,
    base: number,
    step: number,
  ) {
    this.i = 0;
    this.n = n;
    this.view = view;
    this.ta = ta;
    this.base = base;
    this.step = step;
  }

  next(): IteratorResult<unknown> {
    const i = this.i;
    if (i >= this.n) return { value: undefined, done: true };
    this.i = i + 1;
    const ta = this.ta;
    if (ta !== undefined && !this.view.released) {
      const value = ta[this.base + i * this.step];
      if (value !== undefined) return { value, done: false };
    }
    return { value: this.view.get(i), done: false };
  }

  [Symbol.iterator](): IterableIterator<unknown> {
    return this;
  }
}

const SAFE = 9007199254740991; // Number.MAX_SAFE_INTEGER

/**
 * The iterator of a 1-D view of number mode's 8-byte integers read as 32-bit halves
 * (`ElementCodec.halves`): `hi * 2**32 + lo` while the view is not released and the value
 * is safe; otherwise `view.get(i)`, which raises the OverflowError, or for vanished memory
 * (whose reads give undefined, so NaN) the BufferError. `base` and `step` are in bytes.
 */
export class HalvesIterator implements IterableIterator<unknown> {
  // Declared and assigned in the constructor, as `Elements`'s fields are (see there).
  declare private i: number;
  declare private readonly n: number;
  declare private readonly view: ElementSource;
  declare private readonly halves: Int32Array | Uint32Array;
  declare private readonly base: number;
  declare private readonly step: number;

  constructor(
    view: ElementSource,
    n: number,
    halves: Int32Array | Uint32Array,
    base: number,
    step: number,
  ) {
    this.i = 0;
    this.n = n;
    this.view = view;
    this.halves = halves;
    this.base = base;
    this.step = step;
  }

  next(): IteratorResult<unknown> {
    const i = this.i;
    if (i >= this.n) return { value: undefined, done: true };
    this.i = i + 1;
    if (!this.view.released) {
      const h = this.halves;
      const k = (this.base + i * this.step) / 4;
      const value = h[k + 1] * 4294967296 + (h[k] >>> 0);
      if (value <= SAFE && value >= -SAFE) return { value, done: false };
    }
    return { value: this.view.get(i), done: false };
  }

  [Symbol.iterator](): IterableIterator<unknown> {
    return this;
  }
}
