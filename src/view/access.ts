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
 *   dimension as plain number fields, so that `get(i, j)` is a few loads, compares and
 *   one TypedArray read;
 * - a fast path accepts exactly what the slow path accepts: int indices (negative wrap
 *   once), in bounds; a value the TypedArray stores exactly as the codec writes it. It
 *   reports a miss (`undefined`, `false`) for everything else — the first access, a
 *   DataView format, memory that went away (a TypedArray read gives `undefined`) — and
 *   the view's slow path decides, with CPython's checks in CPython's order;
 * - the fields of every `Elements` are initialised in the same order, so the hot paths
 *   see one object shape.
 */

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
export const UNPREPARED = new Access(
  {
    single: true,
    read: () => undefined,
    write: () => undefined,
    typed: undefined,
    fastMin: Number.POSITIVE_INFINITY,
    fastMax: Number.NEGATIVE_INFINITY,
    fastInteger: true,
  },
  undefined,
  new ArrayBuffer(0),
  0,
  0,
);

/**
 * The access for `layout`'s elements of `format` in `buffer`, spanning the bytes the
 * layout reaches (`[start, start + size)`). NotImplementedError for a format a view
 * cannot read. Reads through a TypedArray when every element is aligned to its size.
 */
export function makeAccess(
  format: string,
  layout: Layout,
  buffer: ArrayBufferLike,
  start: number,
  size: number,
): Access {
  const codec = elementCodec(format, layout.itemsize);
  const itemsize = layout.itemsize;
  let aligned = codec.typed !== undefined && start % itemsize === 0 && size > 0;
  for (let d = 0; aligned && d < layout.shape.length; d++) {
    aligned = layout.strides[d] % itemsize === 0;
  }
  const ta =
    aligned && codec.typed !== undefined
      ? new codec.typed(buffer, start, size / itemsize)
      : undefined;
  return new Access(codec, ta, buffer, start, size);
}

/** The most dimensions the fast paths serve; more take the general path. */
export const FAST_RANK = 4;

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
  /** Values a fast write stores exactly (see `ElementCodec.fastMin`). */
  declare readonly min: number;
  declare readonly max: number;
  declare readonly integer: boolean;

  constructor(
    access: Access,
    layout: Layout,
    writable: boolean,
    /** Element (0, …, 0)'s position, when the caller knows it (a slice); else computed. */
    base?: number,
  ) {
    const ta = access.ta;
    const unit = ta === undefined ? 1 : layout.itemsize;
    const { shape, strides } = layout;
    const ndim = access === UNPREPARED ? -1 : shape.length;
    const codec = access.codec;
    this.access = access;
    this.ta = ta;
    this.wta = writable ? ta : undefined;
    this.rank = ndim <= FAST_RANK ? ndim : -1;
    this.base = base ?? (layout.offset - access.start) / unit;
    this.n0 = ndim > 0 ? shape[0] : 0;
    this.n1 = ndim > 1 ? shape[1] : 0;
    this.n2 = ndim > 2 ? shape[2] : 0;
    this.n3 = ndim > 3 ? shape[3] : 0;
    this.s0 = ndim > 0 ? strides[0] / unit : 0;
    this.s1 = ndim > 1 ? strides[1] / unit : 0;
    this.s2 = ndim > 2 ? strides[2] / unit : 0;
    this.s3 = ndim > 3 ? strides[3] / unit : 0;
    this.min = codec.fastMin;
    this.max = codec.fastMax;
    this.integer = codec.fastInteger;
  }

  /**
   * The position (TypedArray index or byte from the span's start) of the element at
   * the first `count` of `indices`, one int per dimension, each in bounds after one
   * negative wrap; -1 for any other key (the slow path then raises, or serves more
   * dimensions than `FAST_RANK`).
   */
  position(indices: readonly unknown[], count: number): number {
    if (count !== this.rank) return -1;
    let p = this.base;
    if (count > 0) {
      const i = fastIndex(indices[0], this.n0);
      if (i < 0) return -1;
      p += i * this.s0;
    }
    if (count > 1) {
      const i = fastIndex(indices[1], this.n1);
      if (i < 0) return -1;
      p += i * this.s1;
    }
    if (count > 2) {
      const i = fastIndex(indices[2], this.n2);
      if (i < 0) return -1;
      p += i * this.s2;
    }
    if (count > 3) {
      const i = fastIndex(indices[3], this.n3);
      if (i < 0) return -1;
      p += i * this.s3;
    }
    return p;
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

/**
 * True when `value` is a number the view's TypedArray stores exactly as the codec's
 * `write` would (`ElementCodec.fastMin`), so a fast write may skip the codec.
 */
export function stores(el: Elements, value: unknown): value is number {
  return (
    typeof value === 'number' &&
    value >= el.min &&
    value <= el.max &&
    (!el.integer || (value | 0) === value)
  );
}

/** The elements of a view not yet read, or released: every fast path misses. */
export const CLOSED = new Elements(
  UNPREPARED,
  { offset: 0, itemsize: 1, shape: [], strides: [] },
  false,
);

/** The key of a view's `Elements` (symbol-keyed: V8 hoists its loads out of loops, as it does not a #private field's). */
export const ELEMENTS: unique symbol = Symbol('elements');

/** What the iterator needs of a view: its current elements, and `get` for the rest. */
export interface ElementSource {
  readonly [ELEMENTS]: Elements;
  get(i: number): unknown;
}

/**
 * The iterator of a 1-D view: reads through the view's current TypedArray while it
 * serves, and through `view.get(i)` (which raises for a released view or vanished memory,
 * or remakes the arrays) whenever it does not.
 */
export class ElementIterator implements IterableIterator<unknown> {
  // Declared and assigned in the constructor, as `Elements`'s fields are (see there).
  declare private i: number;
  declare private readonly n: number;
  declare private readonly view: ElementSource;
  /** The view's elements when the iterator was made: read directly while still current. */
  declare private readonly el: Elements;
  declare private readonly ta: TypedArrayLike | undefined;
  declare private readonly base: number;
  declare private readonly step: number;

  constructor(view: ElementSource, n: number) {
    const el = view[ELEMENTS];
    this.i = 0;
    this.n = n;
    this.view = view;
    this.el = el;
    this.ta = el.rank === 1 ? el.ta : undefined;
    this.base = el.base;
    this.step = el.s0;
  }

  next(): IteratorResult<unknown> {
    const i = this.i;
    if (i >= this.n) return { value: undefined, done: true };
    this.i = i + 1;
    const ta = this.ta;
    // A released view (or one whose arrays were remade) has other elements: then `get`.
    if (ta !== undefined && this.view[ELEMENTS] === this.el) {
      const value = ta[this.base + i * this.step];
      if (value !== undefined) return { value, done: false };
    }
    return { value: this.view.get(i), done: false };
  }

  [Symbol.iterator](): IterableIterator<unknown> {
    return this;
  }
}
