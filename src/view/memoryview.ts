/**
 * `MemoryView`: CPython 3.13's `memoryview`, over any exporter, N-dimensional and strided,
 * plus memview's sanctioned extensions (any struct format, `sub`, `transpose`,
 * multi-dimensional assignment, `toTypedArray`).
 *
 * Invariants:
 * - a view is metadata over one managed buffer (managed.ts): its layout (offset, itemsize,
 *   shape, strides), format and readonly flag never change; every derived view (slice,
 *   cast, sub, transpose, toReadonly, `memoryview(m)`) registers on the same managed
 *   buffer, so the exporter stays locked until all of them are released;
 * - the layout lies inside the memory when the view is made; before each access to
 *   elements the view checks that the memory is still there (a TypedArray read that
 *   gives `undefined`, a DataView access that throws, or the buffer's length), and
 *   reports a detached, shrunk or regrown buffer as a BufferError that names the cause;
 * - element accessors are chosen on the first element access (elements.ts) and kept:
 *   aligned host-order numbers go through a TypedArray over the view's bytes, everything
 *   else through a DataView over them; bulk copies go one contiguous run at a time;
 * - every operation on a released view raises CPython's ValueError, checked first, as
 *   CPython does; after that, checks run in CPython's order with CPython's messages.
 */

import { int64Option } from '../codec/index.js';
import {
  BufferError,
  fromCall,
  IndexError,
  MemoryError,
  NotImplementedError,
  pyTypeName,
  ValueError,
} from '../errors.js';
import {
  type FormatCheck,
  type Int64Mode,
  type IntInput,
  NATIVE_LITTLE_ENDIAN,
  parseFormat,
} from '../format/index.js';
import {
  byteSpan,
  castShape,
  cStrides,
  elementOffset,
  isCContiguous,
  isFContiguous,
  type Layout,
  MAX_NDIM,
  nbytes,
  product,
  type SliceBound,
  type SubKey,
  sliceDim,
  subLayout,
  transposeLayout,
} from '../layout/index.js';
import { asIndex, lookupDimension } from '../layout/integers.js';
import {
  assertLive,
  BUFFER,
  type BufferInfo,
  type BufferSource,
  bufferFlags,
  dataViewOf,
  deadMemoryError,
  getBuffer,
  isAlive,
  isBuffer,
  NO_SUBOFFSETS,
  PyBUF,
  RELEASE,
  releaseBuffer,
  requests,
  trustExports,
} from '../protocol/index.js';
import {
  type Access,
  CLOSED,
  ElementIterator,
  Elements,
  fastIndex,
  HalvesIterator,
  makeAccess,
  UNPREPARED,
} from './access.js';
import type { Haystack } from './bytesmethods.js';
import * as bytesMethods from './bytesmethods.js';
import { elementsEqual, equivalentShapes } from './compare.js';
import { gather, MAX_BYTES, newBytes, RunCache, scatter } from './copy.js';
import {
  bareFormat,
  type ElementCodec,
  elementCodec,
  type TypedArrayLike,
  unsupportedFormat,
} from './elements.js';
import { checkHexLength, hexGroup, hexSeparator, toHex } from './hex.js';
import {
  isSharedMemory,
  LayoutExporter,
  type SharedViewLayout,
  unsharedError,
  type ViewLayout,
} from './layout.js';
import { ManagedBuffer } from './managed.js';
import type { ElementOf, ListOf, NestedList } from './types.js';

/** An index into a dimension: an integer (negative counts from the end). */
export type Index = number | bigint;

/** The order of bytes in `toBytes`: C (row-major), F (column-major) or A (as in memory). */
export type ByteOrder = 'C' | 'F' | 'A';

/** Anything `memoryview()` accepts: an exporter, a JavaScript binary value, another view. */
export type ViewSource = BufferSource | MemoryView;

/**
 * Options of a view (beyond CPython), as a Struct's (`StructOptions`): `int64: 'number'`
 * reads 8-byte integers (`q Q n N P`, native `l L` under LP64, alone or in a record) as
 * numbers, exactly: reading a value beyond ±(2**53 - 1) raises OverflowError rather than
 * round. Writes take numbers and bigints in either mode. Views made from a view without a
 * new format (`slice`, `sub`, `transpose`, `toReadonly`, `field`, `memoryview(m)`) and its
 * casts keep its mode unless their own options say otherwise.
 *
 * @example
 * ```ts
 * import { memoryview, OverflowError } from 'memview';
 * const m = memoryview(new BigInt64Array([5n, -7n, 2n ** 60n]), { int64: 'number' });
 * m.get(0) + m.get(1); // -2
 * m.slice(0, 2).toList(); // [5, -7]: a slice keeps the mode
 * try {
 *   m.get(2);
 * } catch (error) {
 *   error instanceof OverflowError; // true: 2**60 is beyond ±(2**53 - 1)
 * }
 * ```
 */
export interface ViewOptions<M extends Int64Mode = Int64Mode> {
  /** `'bigint'` (CPython's int; the default) or `'number'` (exact, or OverflowError). */
  readonly int64?: M;
}

/** The mode `options` set, or `inherited` when they set none; ValueError for a bad one. */
function viewMode(options: ViewOptions | null | undefined, inherited: Int64Mode): Int64Mode {
  return options?.int64 === undefined ? inherited : int64Option(options);
}

/**
 * `cast(format, options)`: a second argument that is options, not a shape — an object,
 * not an array, with an `int64` key (any other object stays a shape, which CPython
 * refuses with TypeError "shape must be a list or a tuple").
 */
function isOptions(value: unknown): value is ViewOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'int64' in value;
}

const RELEASED = 'operation forbidden on released memoryview object';
const ZERO_DIM_INDEX = 'invalid indexing of 0-dim memory';
const CAST_FORMAT =
  "memoryview: destination format must be a native single character format prefixed with an optional '@'";
const C_FLAG = 1;
const F_FLAG = 2;
const DERIVE: unique symbol = Symbol('derive');
// `get`'s and `set`'s slow paths are symbol-keyed methods, not #private ones: V8 11
// compiles a call of a private method as a keyed access whose feedback a second view's
// first call can miss, which deoptimises `get` and stops it being inlined into loops.
const GET_OTHER: unique symbol = Symbol('getOther');
const SET_OTHER: unique symbol = Symbol('setOther');
const GET1: unique symbol = Symbol('get1');
const SAFE = 9007199254740991; // Number.MAX_SAFE_INTEGER
const GETN: unique symbol = Symbol('getN');
const AT: unique symbol = Symbol('at');
const SET1: unique symbol = Symbol('set1');
const SETN: unique symbol = Symbol('setN');
const SET_MISS: unique symbol = Symbol('setMiss');
const VIEW_OF: unique symbol = Symbol('viewOf');
const imul = Math.imul;

/**
 * `memoryview(obj)`: a view of an exporter's memory (the same as `new MemoryView(obj)`).
 * Typed by what `obj` is: a `Float64Array` gives `MemoryView<number, number[]>`, a
 * `BigInt64Array` `MemoryView<bigint, bigint[]>`, bytes `MemoryView<number, number[]>`;
 * an exporter whose format only shows at run time gives `MemoryView` (`unknown` elements).
 *
 * @throws {TypeError} "memoryview: a bytes-like object is required, not 'str'" for a value
 * that exports no memory.
 * @example
 * ```ts
 * import { memoryview } from 'memview';
 * const m = memoryview(new Uint8Array([1, 2, 3, 4]));
 * m.get(0); // 1
 * m.slice(1, 3).toList(); // [2, 3]
 * m.release();
 * ```
 */
export function memoryview<M extends Int64Mode = 'bigint'>(
  obj:
    | Uint8Array
    | Uint8ClampedArray
    | Int8Array
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | Float32Array
    | Float64Array,
  options?: ViewOptions<M>,
): MemoryView<number, number[], M>;
export function memoryview<M extends Int64Mode = 'bigint'>(
  obj: BigInt64Array | BigUint64Array,
  options?: ViewOptions<M>,
): MemoryView<M extends 'number' ? number : bigint, (M extends 'number' ? number : bigint)[], M>;
export function memoryview<T, L, M extends Int64Mode = Int64Mode>(
  obj: MemoryView<T, L, M>,
  options?: ViewOptions<M>,
): MemoryView<T, L, M>;
export function memoryview<M extends Int64Mode = 'bigint'>(
  obj: ArrayBuffer | SharedArrayBuffer | DataView,
  options?: ViewOptions<M>,
): MemoryView<number, number[], M>;
export function memoryview<M extends Int64Mode = 'bigint'>(
  obj: ViewSource,
  options?: ViewOptions<M>,
): MemoryView<unknown, NestedList<unknown>, M>;
export function memoryview(obj: ViewSource, options?: ViewOptions): MemoryView {
  try {
    return MemoryView[VIEW_OF](obj, options);
  } catch (error) {
    throw fromCall(error, memoryview);
  }
}

// The element fields the next view constructed starts with (see MemoryView's fields):
// set by `pend` (by a slice, field by field) just before the view is constructed. Plain
// variables, not an `Elements`: a slice makes none. After each construction the arrays go
// back to none, so that a view made without `pend` could only take the slow paths.
const P: {
  access: Access;
  ta: TypedArrayLike | undefined;
  wta: TypedArrayLike | undefined;
  rank: number;
  base: number;
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  store: number;
  min: number;
  max: number;
  halves: Int32Array | Uint32Array | undefined;
} = {
  access: UNPREPARED,
  ta: undefined,
  wta: undefined,
  rank: -1,
  base: 0,
  n0: 1,
  n1: 1,
  n2: 1,
  n3: 1,
  s0: 0,
  s1: 0,
  s2: 0,
  s3: 0,
  store: 0,
  min: 1,
  max: 0,
  halves: undefined,
};

/** Makes `el` the element fields of the next view constructed. */
function pend(el: Elements): void {
  P.access = el.access;
  P.ta = el.ta;
  P.wta = el.wta;
  P.rank = el.rank;
  P.base = el.base;
  P.n0 = el.n0;
  P.n1 = el.n1;
  P.n2 = el.n2;
  P.n3 = el.n3;
  P.s0 = el.s0;
  P.s1 = el.s1;
  P.s2 = el.s2;
  P.s3 = el.s3;
  P.store = el.store;
  P.min = el.min;
  P.max = el.max;
  P.halves = el.halves;
}

/** What `new MemoryView(obj)` found to view. */
interface Opened {
  readonly mbuf: ManagedBuffer;
  readonly layout: Layout;
  readonly format: string;
  readonly readonly: boolean;
  readonly int64: Int64Mode;
  readonly el: Elements;
}

/**
 * The elements of a new view of `mbuf`, or CLOSED when they cannot be read yet (a format
 * a view cannot read, vanished memory): the reason is raised at the first element access.
 */
function preparedQuietly(
  mbuf: ManagedBuffer,
  layout: Layout,
  format: string,
  readonly: boolean,
  int64: Int64Mode,
): Elements {
  try {
    elementCodec(format, layout.itemsize, int64);
    const buffer = mbuf.info.buffer;
    const span = byteSpan(layout);
    const start = span === null ? 0 : span.start;
    const size = span === null ? 0 : span.end - start;
    if (!isAlive(buffer, start + size)) return CLOSED;
    return new Elements(makeAccess(format, layout, buffer, start, size, int64), layout, !readonly);
  } catch {
    return CLOSED;
  }
}

/**
 * A view of exported memory: Python's `memoryview`. `T` is the type of one element and
 * `L` what `toList` gives, where the types say (`memoryview(new Float64Array(n))` is
 * `MemoryView<number, number[]>`; `cast('<IHd', [2, 3])` gives `[number, number, number]`
 * elements and a list of `[…][][]`); `unknown` where the format shows only at run time.
 *
 * @example
 * ```ts
 * import { MemoryView } from 'memview';
 * using m = new MemoryView(new Uint8Array(12));
 * const grid = m.cast('B', [3, 4]);
 * grid.set(1, 2, 255);
 * grid.get(1, 2); // 255
 * grid.sub(1).toList(); // [0, 0, 255, 0]
 * grid.release();
 * ```
 */
export class MemoryView<T = unknown, L = NestedList<T>, M extends Int64Mode = Int64Mode>
  implements Iterable<T>, Disposable
{
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'memoryview';

  #mbuf: ManagedBuffer | null = null;
  #layout: Layout = NO_LAYOUT;
  #format = 'B';
  #readonly = true;
  #int64: Int64Mode = 'bigint';
  #exports = 0;
  #flags = -1;
  // One past the last byte the layout reaches (0 when none), computed on first use.
  #spanEnd = -1;
  // Where this view's elements are, in the form the fast paths read: an `Elements`
  // (access.ts) copied into fields of the view itself. Measured on V8 11: reading them
  // through a second object makes a loop of 1-D `get`s of doubles 3-4x slower.
  //
  // The fields start as the pending values (`pend`, called by the constructor before
  // `super()`, by `#make` and by `slice`) and are not assigned again, except by a rare
  // re-preparation (`#place`) and by `release`, which clears the arrays only. V8 then tracks them as constant: where a loop's view is a
  // constant (a closure's or module's `const`), the optimised code folds its shape,
  // steps and array in, as it does for scijs ndarray's fields (2-D `set`: 2.1x scijs's
  // time with reassigned fields, 0.8x with constant ones). One assignment to a field of
  // any view makes that field variable for every view, at the speed it had before.
  #access: Access = P.access;
  #ta: TypedArrayLike | undefined = P.ta;
  #wta: TypedArrayLike | undefined = P.wta;
  #rank = P.rank;
  #base = P.base;
  #n0 = P.n0;
  #n1 = P.n1;
  #n2 = P.n2;
  #n3 = P.n3;
  #s0 = P.s0;
  #s1 = P.s1;
  #s2 = P.s2;
  #s3 = P.s3;
  #store = P.store;
  #min = P.min;
  #max = P.max;
  // Number mode's 8-byte integers as 32-bit halves (access.ts), read by `get(i)`.
  #halves: Int32Array | Uint32Array | undefined = P.halves;
  // The C-order runs of a non-contiguous view, kept from its second bulk read on:
  // undefined before the first read, null after it, false when they are not worth keeping.
  #runs: RunCache | null | false | undefined = undefined;

  /**
   * Views the memory of `obj` (asked for with `PyBUF.FULL_RO`). A MemoryView gives a new
   * view on its managed buffer, with its shape, strides and format. TypeError
   * "memoryview: a bytes-like object is required, not 'str'" for a non-exporter.
   */
  constructor(obj: ViewSource, options?: ViewOptions<M>) {
    // The fields have taken the pending values (see the fields): `#make` or `slice` set
    // them for DERIVE. After one construction the arrays go back to none.
    P.access = UNPREPARED;
    P.ta = undefined;
    P.wta = undefined;
    P.halves = undefined;
    if ((obj as unknown) === DERIVE) return;
    let opened: Opened;
    try {
      opened = MemoryView.#open(obj, options);
    } catch (error) {
      throw fromCall(error, MemoryView);
    }
    const { mbuf, layout, format, readonly, int64, el } = opened;
    // The view is one `#make` builds, whose fields start as `el`; an instance of a
    // subclass (a map of its own, so V8's tracking of MemoryView's fields is not
    // touched) takes them by assignment.
    if (new.target === MemoryView) {
      // biome-ignore lint/correctness/noConstructorReturn: the fields must start as `el`.
      return MemoryView.#make(mbuf, layout, format, readonly, int64, el) as MemoryView<T, L, M>;
    }
    this.#attach(mbuf, layout, format, readonly, int64);
    this.#place(el);
  }

  /** @internal `new MemoryView(obj, options)` without the instance `new` makes and drops (see the constructor). */
  static [VIEW_OF](obj: ViewSource, options?: ViewOptions): MemoryView {
    const { mbuf, layout, format, readonly, int64, el } = MemoryView.#open(obj, options);
    return MemoryView.#make(mbuf, layout, format, readonly, int64, el);
  }

  /** What the constructor views: `obj`'s export (a view's: its managed buffer) and elements. */
  static #open(obj: ViewSource, options: ViewOptions | undefined): Opened {
    if (obj instanceof MemoryView) {
      const int64 = viewMode(options, obj.#int64);
      const mbuf = obj.#live();
      const layout = obj.#layout;
      const format = obj.#format;
      const readonly = obj.#readonly;
      const el = obj.#elementsOf(mbuf, layout, format, readonly, int64);
      return { mbuf, layout, format, readonly, int64, el };
    }
    const int64 = viewMode(options, 'bigint');
    if (!isBuffer(obj)) {
      throw new TypeError(`memoryview: a bytes-like object is required, not '${pyTypeName(obj)}'`);
    }
    const info = getBuffer(obj, PyBUF.FULL_RO);
    const mbuf = new ManagedBuffer(info);
    const layout = {
      offset: info.offset,
      itemsize: info.itemsize,
      shape: info.shape,
      strides: info.strides,
    };
    const el = preparedQuietly(mbuf, layout, info.format, info.readonly, int64);
    return { mbuf, layout, format: info.format, readonly: info.readonly, int64, el };
  }

  /** A new view of `mbuf` whose element fields start as `el` (see the fields). */
  static #make(
    mbuf: ManagedBuffer,
    layout: Layout,
    format: string,
    readonly: boolean,
    int64: Int64Mode,
    el: Elements,
  ): MemoryView {
    pend(el);
    const view = new MemoryView(DERIVE as never);
    view.#attach(mbuf, layout, format, readonly, int64);
    return view;
  }

  #attach(
    mbuf: ManagedBuffer,
    layout: Layout,
    format: string,
    readonly: boolean,
    int64: Int64Mode,
  ): void {
    this.#mbuf = mbuf;
    this.#layout = layout;
    this.#format = format;
    this.#readonly = readonly;
    this.#int64 = int64;
    mbuf.register();
  }

  /**
   * A new view of this one's managed buffer. With the same format it reads through this
   * view's arrays (no new TypedArray); otherwise its access is made now, while the format
   * is at hand, so that the first `get` finds the view ready.
   */
  #derive(
    layout: Layout,
    format = this.#format,
    readonly = this.#readonly,
    int64 = this.#int64,
  ): MemoryView {
    const mbuf = this.#live();
    const el = this.#elementsOf(mbuf, layout, format, readonly, int64);
    return MemoryView.#make(mbuf, layout, format, readonly, int64, el);
  }

  /**
   * The elements of a view of this one's memory: in this view's access when the format and
   * mode are this view's, else prepared anew. (Same format, this view unprepared: the new
   * view could not be prepared either; it tries on its first element access, which raises
   * the reason.)
   */
  #elementsOf(
    mbuf: ManagedBuffer,
    layout: Layout,
    format: string,
    readonly: boolean,
    int64: Int64Mode,
  ): Elements {
    if (format !== this.#format || int64 !== this.#int64) {
      return preparedQuietly(mbuf, layout, format, readonly, int64);
    }
    const access = this.#access;
    return access === UNPREPARED ? CLOSED : new Elements(access, layout, !readonly);
  }

  /** Uses `access` for this view's elements and places element (0, …, 0) in it. */
  #setAccess(access: Access): void {
    this.#place(new Elements(access, this.#layout, !this.#readonly));
  }

  /** Copies `el` into the fields the fast paths read. */
  #place(el: Elements): void {
    this.#access = el.access;
    this.#ta = el.ta;
    this.#wta = el.wta;
    this.#rank = el.rank;
    this.#base = el.base;
    this.#n0 = el.n0;
    this.#n1 = el.n1;
    this.#n2 = el.n2;
    this.#n3 = el.n3;
    this.#s0 = el.s0;
    this.#s1 = el.s1;
    this.#s2 = el.s2;
    this.#s3 = el.s3;
    this.#store = el.store;
    this.#min = el.min;
    this.#max = el.max;
    this.#halves = el.halves;
  }

  /**
   * The position in the access's array of the element at `indices` when they are as many
   * as the dimensions (1 to 4), ints, and in bounds after one negative wrap; else -1.
   */
  #position(indices: readonly unknown[]): number {
    const n = indices.length;
    if (n !== this.#rank) return -1;
    let p = this.#base;
    if (n > 0) {
      const a = fastIndex(indices[0], this.#n0);
      if (a < 0) return -1;
      p += a * this.#s0;
    }
    if (n > 1) {
      const b = fastIndex(indices[1], this.#n1);
      if (b < 0) return -1;
      p += b * this.#s1;
    }
    if (n > 2) {
      const c = fastIndex(indices[2], this.#n2);
      if (c < 0) return -1;
      p += c * this.#s2;
    }
    if (n > 3) {
      const d = fastIndex(indices[3], this.#n3);
      if (d < 0) return -1;
      p += d * this.#s3;
    }
    return p;
  }

  /** True when `v` is a number the fast writes store exactly (see `Elements.store`). */
  #stores(v: unknown): v is number {
    const store = this.#store;
    // The kinds and FLT_MAX as literals (STORE_ANY, STORE_INT, STORE_FLOAT32): V8 folds a
    // literal, not an imported constant, and the literal is less bytecode (V8 inlines by size).
    return (
      typeof v === 'number' &&
      (store === 2 ||
        (store === 1
          ? (v | 0) === v && v >= this.#min && v <= this.#max
          : store === 3 && v >= -3.4028234663852886e38 && v <= 3.4028234663852886e38))
    );
  }

  #live(): ManagedBuffer {
    const mbuf = this.#mbuf;
    if (mbuf === null) throw new ValueError(RELEASED);
    return mbuf;
  }

  // ---------------------------------------------------------------------------------
  // Attributes
  // ---------------------------------------------------------------------------------

  /** The exporter whose memory this is (the original one, through slices and casts). */
  get obj(): unknown {
    return this.#live().info.obj;
  }

  /**
   * Byte offset in the exporter's buffer of the element at index (0, …, 0) (CPython's
   * `Py_buffer.buf`). With `nbytes`, it says where a C-contiguous view's bytes lie — the
   * pointer and length to hand a WebAssembly function for a view of its memory.
   */
  get byteOffset(): number {
    this.#live();
    return this.#layout.offset;
  }

  /** Logical size in bytes: `product(shape) * itemsize`. */
  get nbytes(): number {
    this.#live();
    return nbytes(this.#layout);
  }

  /**
   * How 8-byte integers read (beyond CPython): `'bigint'`, CPython's int (the default), or
   * `'number'` (exact, OverflowError beyond ±(2**53 - 1)); see `ViewOptions`.
   */
  get int64(): M {
    return this.#int64 as M;
  }

  /** True when the memory may not be written through this view. */
  get readonly(): boolean {
    this.#live();
    return this.#readonly;
  }

  /** Size of one element in bytes. */
  get itemsize(): number {
    this.#live();
    return this.#layout.itemsize;
  }

  /** The struct format of one element, as the exporter gave it. */
  get format(): string {
    this.#live();
    return this.#format;
  }

  /** Number of dimensions. */
  get ndim(): number {
    this.#live();
    return this.#layout.shape.length;
  }

  /** Elements along each dimension (frozen, like CPython's tuple; `[]` for 0 dimensions). */
  get shape(): readonly number[] {
    this.#live();
    return frozen(this.#layout.shape);
  }

  /** Bytes between neighbouring elements along each dimension (frozen). */
  get strides(): readonly number[] {
    this.#live();
    return frozen(this.#layout.strides);
  }

  /** Always `[]`: JavaScript memory has no PIL-style indirection. */
  get suboffsets(): readonly number[] {
    this.#live();
    return NO_SUBOFFSETS;
  }

  /** True when the elements lie back to back in row-major (C) order. */
  get cContiguous(): boolean {
    this.#live();
    return (this.#contiguity() & C_FLAG) !== 0;
  }

  /** True when the elements lie back to back in column-major (Fortran) order. */
  get fContiguous(): boolean {
    this.#live();
    return (this.#contiguity() & F_FLAG) !== 0;
  }

  /** True when C- or Fortran-contiguous. */
  get contiguous(): boolean {
    this.#live();
    return this.#contiguity() !== 0;
  }

  /** `len(m)`: elements along dimension 0; TypeError for a 0-dimensional view. */
  get length(): number {
    this.#live();
    const shape = this.#layout.shape;
    if (shape.length === 0) throw new TypeError('0-dim memory has no length');
    return shape[0];
  }

  /** True once `release()` has run. */
  get released(): boolean {
    return this.#mbuf === null;
  }

  #contiguity(): number {
    let flags = this.#flags;
    if (flags < 0) {
      flags =
        (isCContiguous(this.#layout) ? C_FLAG : 0) | (isFContiguous(this.#layout) ? F_FLAG : 0);
      this.#flags = flags;
    }
    return flags;
  }

  // ---------------------------------------------------------------------------------
  // Elements
  // ---------------------------------------------------------------------------------

  /**
   * The element at `indices` (`m[i]`, `m[i, j]`; `get()` for a 0-dimensional view).
   * Negative indices count from the end. One-value formats give a value, others an array.
   *
   * @throws {IndexError} "index out of bounds on dimension 1" for an index outside the shape.
   * @throws {ValueError} "operation forbidden on released memoryview object" after `release()`.
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const m = memoryview(new Uint8Array([10, 20, 30]));
   * m.get(-1); // 30
   * memoryview(new Float64Array([0.5, 1.5])).get(1); // 1.5
   * ```
   */
  get(...indices: Index[]): T;
  get(...indices: Index[]): unknown {
    // Two small methods hold the fast paths: `GET1` for `m[i]`, `GETN` for 2 to 4 indices
    // (padded with zeros: `Elements` gives the dimensions past a view's rank length 1 and
    // step 0). The count of indices is a constant where `get` is inlined, so one call
    // remains, V8 inlines it, and the rest array, which never leaves `get` then, is not
    // allocated. One method for 2 to 4 dimensions, not one each: V8 weighs every call in
    // `get` against its inlining budget before it knows the count, and three methods of
    // N-D checks overran it once loops of several ranks had run. Everything else — the
    // first access (which prepares the view), DataView reads, vanished memory (the
    // TypedArray read gives undefined), a released view (rank -1), other keys — leaves
    // through `GET_OTHER`, so the optimised code never meets a branch it has no feedback for.
    const n = indices.length;
    if (n === 1) return this[GET1](indices[0]);
    if (n > 1 && n < 5) {
      return this[GETN](n, indices[0], indices[1], n > 2 ? indices[2] : 0, n > 3 ? indices[3] : 0);
    }
    return this[GET_OTHER](indices);
  }

  /** @internal `get(i)`: one int index of a 1-D view read through its TypedArray, else the slow path. */
  [GET1](i: unknown): unknown {
    const ta = this.#ta;
    // A negative `i` takes the slow path, which wraps it.
    if (typeof i === 'number' && (i | 0) === i && i >= 0 && i < this.#n0 && this.#rank === 1) {
      if (ta !== undefined) {
        const value = ta[this.#base + i * this.#s0];
        if (value !== undefined) return value;
      } else {
        const h = this.#halves;
        if (h !== undefined) {
          // Number mode: `hi * 2**32 + lo`, exact below 2**53 in magnitude. Memory gone
          // reads undefined, which makes NaN; NaN and unsafe values take the slow path,
          // which raises.
          const k = (this.#base + i * this.#s0) / 4;
          const value = h[k + 1] * 4294967296 + (h[k] >>> 0);
          if (value <= SAFE && value >= -SAFE) return value;
        }
      }
    }
    return this[GET_OTHER]([i as Index]);
  }

  // The N-D positions multiply with `imul`: a plain product of 0 and a negative step is
  // -0, a double, and one such result (the first element of a flipped view) turns V8's
  // arithmetic for the whole position into doubles. `Elements` closes the N-D paths when
  // a position could reach 2**31.

  /**
   * @internal The position in the TypedArray of the element at `n` (2 to 4) indices when
   * `n` is the view's rank and they are ints in bounds; else -1. A negative index takes
   * the slow path, which wraps it (as `get(i)` does). `n` is a constant where this is
   * inlined, so only that many indices' checks remain.
   */
  [AT](n: number, i: unknown, j: unknown, k: unknown, l: unknown): number {
    // `x >>> 0 === x`: an int in [0, 2**32).
    if (
      n !== this.#rank ||
      typeof i !== 'number' ||
      typeof j !== 'number' ||
      i >>> 0 !== i ||
      j >>> 0 !== j ||
      i >= this.#n0 ||
      j >= this.#n1
    ) {
      return -1;
    }
    let p = this.#base + imul(i, this.#s0) + imul(j, this.#s1);
    if (n > 2) {
      if (typeof k !== 'number' || k >>> 0 !== k || k >= this.#n2) return -1;
      p += imul(k, this.#s2);
      if (n > 3) {
        if (typeof l !== 'number' || l >>> 0 !== l || l >= this.#n3) return -1;
        p += imul(l, this.#s3);
      }
    }
    return p;
  }

  /** @internal `get` of `n` (2 to 4) indices, padded with zeros: the fast path, else the slow path. */
  [GETN](n: number, i: unknown, j: unknown, k: unknown, l: unknown): unknown {
    const ta = this.#ta;
    if (ta !== undefined) {
      const p = this[AT](n, i, j, k, l);
      if (p >= 0) {
        const value = ta[p];
        if (value !== undefined) return value;
      }
    }
    return this[GET_OTHER]([i, j, k, l].slice(0, n) as Index[]);
  }

  /** @internal Everything `get` does beyond its fast path (a symbol-keyed method: see `GET_OTHER`). */
  [GET_OTHER](indices: readonly Index[]): unknown {
    try {
      if (this.#mbuf === null) throw new ValueError(RELEASED);
      const access = this.#access;
      if (access !== UNPREPARED) {
        const p = this.#position(indices);
        if (p >= 0) {
          if (access.ta === undefined) return this.#read(access, p);
          // The TypedArray read gave undefined: the memory went away, or only the span of
          // the view this access came from was cut. Then this view gets arrays of its own.
          if (!isAlive(access.buffer, this.#end())) throw this.#dead();
          this.#setAccess(this.#makeAccess());
        }
      }
      return this.#getSlow(indices);
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.get);
    }
  }

  #getSlow(indices: readonly Index[]): unknown {
    const layout = this.#layout;
    const ndim = layout.shape.length;
    let offset: number;
    if (indices.length === 1 && ndim !== 0) {
      // m[i]: the index is converted before the format is checked, as CPython does.
      const index = asIndex(indices[0]);
      this.#prepare();
      if (ndim !== 1) {
        throw new NotImplementedError('multi-dimensional sub-views are not implemented');
      }
      offset = layout.offset + layout.strides[0] * lookupDimension(layout.shape[0], index, 0);
      return this.#readAbsolute(offset);
    }
    if (ndim === 0 && indices.length !== 0) throw new TypeError(ZERO_DIM_INDEX);
    this.#prepare();
    offset = elementOffset(layout, indices);
    return this.#readAbsolute(offset);
  }

  /**
   * Writes `value` as the element at `indices` (`m[i] = value`; `set(value)` for a
   * 0-dimensional view): `set(...indices, value)`.
   *
   * @throws {ValueError} "memoryview: invalid value for format 'B'" for a value the format
   * cannot hold.
   * @throws {TypeError} "cannot modify read-only memory" for a read-only view.
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const bytes = new Uint8Array(3);
   * memoryview(bytes).set(0, 255); // bytes is [255, 0, 0]
   * ```
   */
  set(...args: [...indices: Index[], value: T | IntInput]): void;
  set(...args: [...indices: Index[], value: unknown]): void {
    // As `get`: `SET1` for `set(i, v)`, `SETN` for 2 to 4 indices padded with zeros.
    const n = args.length - 1;
    if (n === 1) {
      this[SET1](args[0], args[1]);
      return;
    }
    if (n > 1 && n < 5) {
      this[SETN](
        n,
        args[0],
        args[1],
        n > 2 ? args[2] : 0,
        n > 3 ? args[3] : 0,
        n === 2 ? args[2] : n === 3 ? args[3] : args[4],
      );
      return;
    }
    this[SET_OTHER](args);
  }

  /**
   * @internal `set` of `n` (2 to 4) indices, padded with zeros, and `v`: the fast path for
   * int indices of a writable view of `n` dimensions and a number its TypedArray stores
   * exactly as the codec writes it, else the slow path.
   */
  [SETN](n: number, i: unknown, j: unknown, k: unknown, l: unknown, v: unknown): void {
    const ta = this.#wta;
    if (ta !== undefined && this.#stores(v)) {
      const p = this[AT](n, i, j, k, l);
      // A store past the end of a cut TypedArray would be dropped silently.
      if (p >= 0 && p < ta.length) {
        ta[p] = v;
        return;
      }
    }
    this[SET_MISS](n, i, j, k, l, v);
  }

  /** @internal `SETN`'s miss: the slow path with the indices and value as an array. */
  [SET_MISS](n: number, i: unknown, j: unknown, k: unknown, l: unknown, v: unknown): void {
    const args = [i, j, k, l].slice(0, n);
    args.push(v);
    this[SET_OTHER](args);
  }

  /** @internal `set(i, v)`: the fast path of one index, else the slow path. */
  [SET1](i: unknown, v: unknown): void {
    const ta = this.#wta;
    if (this.#rank === 1 && ta !== undefined && this.#stores(v)) {
      const a = fastIndex(i, this.#n0);
      if (a >= 0) {
        const p = this.#base + a * this.#s0;
        // A store past the end of a cut TypedArray would be dropped silently.
        if (p < ta.length) {
          ta[p] = v;
          return;
        }
      }
    }
    this[SET_OTHER]([i, v]);
  }

  /** @internal Everything `set` does beyond its fast path (a symbol-keyed method: see `GET_OTHER`). */
  [SET_OTHER](args: readonly unknown[]): void {
    try {
      this.#live();
      this.#prepare();
      if (this.#readonly) throw new TypeError('cannot modify read-only memory');
      if (args.length === 0) throw new TypeError('set() missing required argument: value');
      const value = args[args.length - 1];
      const layout = this.#layout;
      const ndim = layout.shape.length;
      let offset: number;
      if (args.length === 2 && ndim !== 0) {
        if (ndim !== 1) throw new NotImplementedError('sub-views are not implemented');
        const index = asIndex(args[0]);
        offset = layout.offset + layout.strides[0] * lookupDimension(layout.shape[0], index, 0);
      } else {
        if (ndim === 0 && args.length !== 1) throw new TypeError(ZERO_DIM_INDEX);
        offset = elementOffset(layout, args.slice(0, -1) as Index[]);
      }
      let access = this.#checkedAccess();
      const codec = access.codec;
      if (codec.single && typeof value !== 'object' && typeof value !== 'function') {
        // A primitive converts without running user code: written in place.
        try {
          codec.write(access.dv, offset - access.start, value);
        } catch (error) {
          throw this.#aliveOr(error);
        }
        return;
      }
      // Converting an object may run user code (a getter, a Proxy trap) that writes through
      // this or another view, or detaches, shrinks or regrows the memory. The element is
      // made in scratch memory of this call's own, then the memory is checked again, and
      // only then are its bytes copied in.
      const itemsize = layout.itemsize;
      const scratch = takeScratch(itemsize);
      try {
        codec.write(scratch, 0, value);
        access = this.#checkedAccess();
        new Uint8Array(access.buffer, offset, itemsize).set(
          new Uint8Array(scratch.buffer, 0, itemsize),
        );
      } finally {
        spareScratch = scratch;
      }
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.set);
    }
  }

  /**
   * The element access, checked against the memory before a read or write that does not
   * go through a TypedArray's own bounds: BufferError if this view's bytes are gone, new
   * arrays if only the span of the view the access came from was cut.
   */
  #checkedAccess(): Access {
    let access = this.#prepare();
    if (access.cut) {
      if (!isAlive(access.buffer, this.#end())) throw this.#dead();
      access = this.#makeAccess();
      this.#setAccess(access);
    }
    return access;
  }

  /** The element access of this view, made on first use: checks the format. */
  #prepare(): Access {
    let access = this.#access;
    if (access === UNPREPARED) {
      access = this.#makeAccess();
      this.#setAccess(access);
    }
    return access;
  }

  #makeAccess(): Access {
    const layout = this.#layout;
    // The format is checked first: a view of an unsupported format raises that first.
    elementCodec(this.#format, layout.itemsize, this.#int64);
    const buffer = this.#live().info.buffer;
    const span = byteSpan(layout);
    const start = span === null ? 0 : span.start;
    const size = span === null ? 0 : span.end - start;
    this.#assertAlive();
    return makeAccess(this.#format, layout, buffer, start, size, this.#int64);
  }

  /**
   * Reads the element at byte `p` of the access's DataView. When only the span of the
   * view the access came from was cut (a partial shrink that left this view's bytes), the
   * view gets arrays of its own and reads again: a read runs no user code to repeat.
   */
  #read(access: Access, p: number): unknown {
    try {
      return access.codec.read(access.dv, p);
    } catch (error) {
      if (!access.cut || !isAlive(access.buffer, this.#end())) throw this.#aliveOr(error);
      const fresh = this.#makeAccess();
      this.#setAccess(fresh);
      return fresh.codec.read(fresh.dv, p + access.start - fresh.start);
    }
  }

  /** Reads the element at byte `offset` of the buffer. */
  #readAbsolute(offset: number): unknown {
    const access = this.#checkedAccess();
    const ta = access.ta;
    if (ta !== undefined) {
      const value = ta[(offset - access.start) / this.#layout.itemsize];
      if (value === undefined) throw this.#dead();
      return value;
    }
    return this.#read(access, offset - access.start);
  }

  /** The BufferError for this view's vanished memory. */
  #dead(): BufferError {
    const info = this.#live().info;
    return deadMemoryError(info.obj, info.buffer, this.#end());
  }

  /** `error`, unless the memory is gone, in which case the BufferError that says so. */
  #aliveOr(error: unknown): unknown {
    const info = this.#live().info;
    return isAlive(info.buffer, this.#end()) ? error : this.#dead();
  }

  /** One past the last byte of the buffer this view reaches (0 when it reaches none). */
  #end(): number {
    let end = this.#spanEnd;
    if (end < 0) {
      const span = byteSpan(this.#layout);
      end = span === null ? 0 : span.end;
      this.#spanEnd = end;
    }
    return end;
  }

  #assertAlive(): ManagedBuffer {
    const mbuf = this.#live();
    if (!isAlive(mbuf.info.buffer, this.#end())) throw this.#dead();
    return mbuf;
  }

  // ---------------------------------------------------------------------------------
  // New views
  // ---------------------------------------------------------------------------------

  /**
   * `m[start:stop:step]`: dimension 0 sliced, the others kept. `null`/`undefined` mean
   * None; bounds clamp as Python's do; ValueError "slice step cannot be zero".
   *
   * @throws {ValueError} "slice step cannot be zero".
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const m = memoryview(new Uint8Array([0, 1, 2, 3, 4, 5]));
   * m.slice(1, 4).toList(); // [1, 2, 3]
   * m.slice(null, null, -2).toList(); // [5, 3, 1]
   * ```
   */
  slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): MemoryView<T, L, M>;
  slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): MemoryView {
    try {
      const layout = this.#layout;
      this.#live();
      const shape = layout.shape;
      if (shape.length === 0) throw new TypeError(ZERO_DIM_INDEX);
      if (
        shape.length === 1 &&
        step === undefined &&
        typeof start === 'number' &&
        typeof stop === 'number' &&
        Number.isSafeInteger(start) &&
        Number.isSafeInteger(stop)
      ) {
        // m[a:b] of a 1-D view, the common case: PySlice_AdjustIndices for step 1, and the
        // strides array shared (layout arrays are never mutated).
        const n = shape[0];
        const a = start < 0 ? Math.max(start + n, 0) : Math.min(start, n);
        const b = stop < 0 ? Math.max(stop + n, 0) : Math.min(stop, n);
        const length = b > a ? b - a : 0;
        const sliced = {
          offset: layout.offset + a * layout.strides[0],
          itemsize: layout.itemsize,
          shape: [length],
          strides: layout.strides,
        };
        const mbuf = this.#live();
        // The parent's arrays serve; the position moves by `a` steps (no division needed).
        if (this.#access === UNPREPARED) {
          pend(CLOSED);
        } else {
          P.access = this.#access;
          P.ta = this.#ta;
          P.wta = this.#wta;
          P.rank = 1;
          P.base = this.#base + a * this.#s0;
          P.n0 = length;
          P.n1 = P.n2 = P.n3 = 1;
          P.s0 = this.#s0;
          P.s1 = P.s2 = P.s3 = 0;
          P.store = this.#store;
          P.min = this.#min;
          P.max = this.#max;
          P.halves = this.#halves;
        }
        const view = new MemoryView(DERIVE as never);
        view.#attach(mbuf, sliced, this.#format, this.#readonly, this.#int64);
        return view;
      }
      return this.#derive(sliceDim(layout, 0, start, stop, step));
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.slice);
    }
  }

  /**
   * NumPy basic indexing (beyond CPython): `keys[d]` is an integer (takes that index and
   * drops the dimension), `[start?, stop?, step?]`, or `null` (the whole dimension).
   */
  sub(...keys: SubKey[]): MemoryView<T, NestedList<T>, M>;
  sub(...keys: SubKey[]): MemoryView {
    try {
      this.#live();
      return this.#derive(subLayout(this.#layout, keys));
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.sub);
    }
  }

  /**
   * The view with its dimensions permuted (beyond CPython, as NumPy's `transpose`):
   * dimension `i` of the result is dimension `axes[i]`; no axes reverses them.
   */
  transpose(...axes: Index[]): MemoryView<T, L, M>;
  transpose(...axes: Index[]): MemoryView {
    try {
      this.#live();
      return this.#derive(transposeLayout(this.#layout, axes.length === 0 ? undefined : axes));
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.transpose);
    }
  }

  /**
   * Field `k` of a record format, across every element (beyond CPython, as a NumPy
   * structured array's column): a strided view of the same memory with that field's
   * one-value format (`'<IHHd'` field 3 is `'<d'`), writable when this view is. Negative
   * `k` counts from the last field; IndexError "field index out of range". The field's
   * view keeps this view's `int64` mode.
   *
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const rows = memoryview(new Uint8Array(24)).cast('<IQ', [2], { int64: 'number' });
   * rows.set(1, [7, 2 ** 40]);
   * rows.field(1).toList(); // [0, 1099511627776]
   * ```
   */
  field(k: Index): MemoryView<unknown, NestedList<unknown>, M>;
  field(k: Index): MemoryView {
    try {
      this.#live();
      const parsed = parseFormat(this.#format);
      if (parsed.size !== this.#layout.itemsize) throw unsupportedFormat(this.#format);
      let i = asIndex(k);
      if (i < 0) i += parsed.valueCount;
      if (i < 0 || i >= parsed.valueCount) throw new IndexError('field index out of range');
      for (const run of parsed.runs) {
        if (i >= run.count) {
          i -= run.count;
          continue;
        }
        const prefix = '<>!='.includes(this.#format[0]) ? this.#format[0] : '';
        const sized =
          run.code === 's' || run.code === 'p' ? `${run.itemSize}${run.code}` : run.code;
        const layout = this.#layout;
        return this.#derive(
          {
            offset: layout.offset + run.offset + i * run.itemSize,
            itemsize: run.itemSize,
            shape: layout.shape,
            strides: layout.strides,
          },
          prefix + sized,
        );
      }
      throw new IndexError('field index out of range');
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.field);
    }
  }

  /** The view with its dimensions reversed: `transpose()`. */
  get T(): MemoryView<T, L, M> {
    return this.transpose();
  }

  /** A new read-only view of the same memory. */
  toReadonly(): MemoryView<T, L, M>;
  toReadonly(): MemoryView {
    this.#live();
    return this.#derive(this.#layout, this.#format, true);
  }

  /**
   * The same bytes seen with another format and shape: `memoryview.cast`. The view must
   * be C-contiguous, one side must be a byte format (`B`, `b`, `c`), and the sizes must
   * divide; memview accepts any struct format as the destination (beyond CPython).
   *
   * @throws {TypeError} "memoryview: casts are restricted to C-contiguous views";
   * "memoryview: length is not a multiple of itemsize"; "memoryview: product(shape) *
   * itemsize != buffer size".
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const m = memoryview(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 2]));
   * m.cast('<I').toList(); // [1, 33554432]
   * m.cast('>I').toList(); // [16777216, 2] (beyond CPython: any struct format)
   * m.cast('B', [2, 4]).shape; // [2, 4]
   * const n = memoryview(new Uint8Array([1, 0, 0, 0, 0, 0, 1, 0]));
   * n.cast('<q', { int64: 'number' }).get(0); // 281474976710657 (beyond CPython: a number)
   * ```
   *
   * `options` (beyond CPython; `cast(format, options)` or `cast(format, shape, options)`):
   * see `ViewOptions`. The cast keeps this view's `int64` mode unless they set one.
   */
  cast<
    G extends string,
    const S extends readonly Index[] | null | undefined = undefined,
    N extends Int64Mode = M,
  >(
    format: FormatCheck<G>,
    shape?: S,
    options?: ViewOptions<N>,
  ): MemoryView<
    ElementOf<G, N>,
    ListOf<ElementOf<G, N>, S extends readonly Index[] ? S['length'] : 1>,
    N
  >;
  cast<G extends string, N extends Int64Mode = M>(
    format: FormatCheck<G>,
    options: ViewOptions<N>,
  ): MemoryView<ElementOf<G, N>, ListOf<ElementOf<G, N>, 1>, N>;
  cast(
    format: string,
    shape?: readonly Index[] | ViewOptions | null,
    options?: ViewOptions,
  ): MemoryView {
    try {
      if (isOptions(shape)) {
        options = shape;
        shape = undefined;
      }
      const mode = viewMode(options, this.#int64);
      if (typeof format !== 'string') {
        throw new TypeError(`cast() argument 'format' must be str, not ${pyTypeName(format)}`);
      }
      this.#live();
      const layout = this.#layout;
      if ((this.#contiguity() & C_FLAG) === 0) {
        throw new TypeError('memoryview: casts are restricted to C-contiguous views');
      }
      const withShape = shape !== undefined;
      if ((withShape || layout.shape.length !== 1) && layout.shape.includes(0)) {
        throw new TypeError('memoryview: cannot cast view with zeros in shape or strides');
      }
      if (withShape) {
        if (!Array.isArray(shape)) throw new TypeError('shape must be a list or a tuple');
        if (shape.length > MAX_NDIM) {
          throw new ValueError(`memoryview: number of dimensions must not exceed ${MAX_NDIM}`);
        }
        if (layout.shape.length !== 1 && shape.length !== 1) {
          throw new TypeError('memoryview: cast must be 1D -> ND or ND -> 1D');
        }
      }
      const itemsize = castItemsize(format);
      if (!isByteFormat(this.#format) && !isByteFormat(format)) {
        throw new TypeError('memoryview: cannot cast between two non-byte formats');
      }
      const nbytes = this.nbytes;
      if (nbytes % itemsize !== 0) {
        throw new TypeError('memoryview: length is not a multiple of itemsize');
      }
      let newShape: number[] = [nbytes / itemsize];
      if (withShape) {
        const checked = castShape(shape as readonly unknown[], itemsize);
        if (checked.nbytes !== nbytes) {
          throw new TypeError('memoryview: product(shape) * itemsize != buffer size');
        }
        newShape = checked.shape;
      }
      return this.#derive(
        { offset: layout.offset, itemsize, shape: newShape, strides: cStrides(newShape, itemsize) },
        format,
        this.#readonly,
        mode,
      );
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.cast);
    }
  }

  // ---------------------------------------------------------------------------------
  // Bulk operations
  // ---------------------------------------------------------------------------------

  /**
   * `m[...] = source` (and, on a slice, `m[a:b] = source`): copies another exporter's
   * elements into this view's. Same format, itemsize and shape required; overlapping
   * memory is copied as if the source were read first, and nothing is written unless
   * everything can be. Any number of dimensions (beyond CPython's 1).
   *
   * @throws {ValueError} "memoryview assignment: lvalue and rvalue have different
   * structures" when format, itemsize or shape differ.
   * @throws {TypeError} "cannot modify read-only memory" for a read-only view.
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const bytes = new Uint8Array(6);
   * memoryview(bytes).slice(1, 4).assign(new Uint8Array([7, 8, 9])); // bytes[1:4] = b'\x07\x08\x09'
   * ```
   */
  assign(source: ViewSource): void {
    try {
      const mbuf = this.#live();
      this.#prepare();
      if (this.#readonly) throw new TypeError('cannot modify read-only memory');
      const src = getBuffer(source, PyBUF.FULL_RO);
      try {
        const dest = this.#layout;
        if (
          bareFormat(src.format) !== bareFormat(this.#format) ||
          src.itemsize !== dest.itemsize ||
          !equivalentShapes(dest.shape, src.shape)
        ) {
          throw new ValueError(
            'memoryview assignment: lvalue and rvalue have different structures',
          );
        }
        const from: Layout = src; // a BufferInfo is a Layout
        assertLive(src);
        this.#assertAlive();
        const buffer = mbuf.info.buffer;
        const n = nbytes(dest);
        if (n === 0) return;
        if ((this.#contiguity() & C_FLAG) !== 0 && isCContiguous(from)) {
          // One copy; `set` itself copies overlapping bytes as if read first.
          new Uint8Array(buffer, dest.offset, n).set(new Uint8Array(src.buffer, from.offset, n));
          return;
        }
        const snapshot = newBytes(n);
        gather(src.buffer, from, snapshot);
        scatter(buffer, dest, snapshot);
      } finally {
        releaseBuffer(src);
      }
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.assign);
    }
  }

  /**
   * The elements as nested arrays (`tolist()`); a 0-dimensional view gives its value.
   *
   * @throws {ValueError} "operation forbidden on released memoryview object" after `release()`.
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * memoryview(new Uint8Array(6)).cast('B', [2, 3]).toList(); // [[0, 0, 0], [0, 0, 0]]
   * ```
   */
  toList(): L;
  toList(): unknown {
    try {
      this.#live();
      this.#prepare();
      this.#assertAlive();
      const access = this.#checkedAccess();
      const layout = this.#layout;
      if (layout.shape.length === 0) return this.#readAbsolute(layout.offset);
      // More values than the engine can hold in arrays: Python's MemoryError, before any.
      if (product(layout.shape) > MAX_BYTES) throw new MemoryError();
      return this.#list(access, 0, layout.offset);
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.toList);
    }
  }

  #list(access: Access, dim: number, offset: number): unknown[] {
    const layout = this.#layout;
    const n = layout.shape[dim];
    const stride = layout.strides[dim];
    const ta = access.ta;
    const leaf = dim === layout.shape.length - 1;
    if (leaf && ta instanceof Float64Array) {
      return listOfDoubles(ta, (offset - access.start) / 8, stride / 8, n);
    }
    // A one-element literal given its length, then overwritten in order: V8 keeps fast
    // elements (a bare `new Array(n)` of a large n starts in dictionary mode) without
    // first filling them (see `listOfDoubles`).
    const out: unknown[] = [0];
    out.length = n;
    if (!leaf) {
      for (let i = 0; i < n; i++) out[i] = this.#list(access, dim + 1, offset + i * stride);
      return out;
    }
    if (ta !== undefined) {
      const itemsize = layout.itemsize;
      const step = stride / itemsize;
      for (let i = 0, k = (offset - access.start) / itemsize; i < n; i++, k += step) {
        out[i] = ta[k];
      }
    } else {
      const { dv, codec } = access;
      for (let i = 0, p = offset - access.start; i < n; i++, p += stride) {
        out[i] = codec.read(dv, p);
      }
    }
    return out;
  }

  /**
   * The bytes of the elements, copied, in `order`: `'C'` (row-major, the default, also for
   * `null`), `'F'` (column-major) or `'A'` (as laid out in memory when contiguous, else C).
   *
   * @throws {ValueError} "order must be 'C', 'F' or 'A'" for another order.
   * @example
   * ```ts
   * import { memoryview } from 'memview';
   * const m = memoryview(new Uint8Array([1, 2, 3, 4])).cast('B', [2, 2]);
   * m.toBytes('F'); // Uint8Array [1, 3, 2, 4]
   * ```
   */
  toBytes(order?: ByteOrder | null): Uint8Array {
    try {
      if (order !== undefined && order !== null && typeof order !== 'string') {
        throw new TypeError(
          `tobytes() argument 'order' must be str or None, not ${pyTypeName(order)}`,
        );
      }
      this.#live();
      let fortran = false;
      if (order === 'F') fortran = true;
      else if (order === 'A') fortran = this.#contiguity() === F_FLAG;
      else if (order !== 'C' && order !== undefined && order !== null) {
        throw new ValueError("order must be 'C', 'F' or 'A'");
      }
      return this.#bytes(fortran);
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.toBytes);
    }
  }

  /** The element bytes in C (or Fortran) order, in a new Uint8Array. */
  #bytes(fortran: boolean): Uint8Array {
    const mbuf = this.#assertAlive();
    const layout = fortran ? transposeLayout(this.#layout) : this.#layout;
    const n = nbytes(layout);
    const buffer = mbuf.info.buffer;
    if (n === 0) return new Uint8Array(0);
    if ((this.#contiguity() & (fortran ? F_FLAG : C_FLAG)) !== 0) {
      return copyOf(buffer, layout.offset, n);
    }
    const out = newBytes(n);
    if (fortran) {
      gather(buffer, layout, out);
      return out;
    }
    // The first read streams the runs; a second one builds the cache that later ones use.
    let runs = this.#runs;
    if (runs === null) {
      runs = RunCache.of(buffer, layout) ?? false;
      this.#runs = runs;
    }
    if (runs) runs.gather(out);
    else {
      if (runs === undefined) this.#runs = null;
      gather(buffer, layout, out);
    }
    return out;
  }

  /**
   * The bytes in C order as lowercase hex; with `sep`, a separator between groups of
   * `bytesPerSep` bytes, counted from the right (from the left when negative).
   */
  hex(sep?: string | Uint8Array, bytesPerSep: number | bigint = 1): string {
    try {
      const group = hexGroup(bytesPerSep);
      const separator = hexSeparator(sep);
      this.#live();
      // Refused before the bytes are gathered: text that long cannot be made.
      checkHexLength(nbytes(this.#layout), separator, group);
      return toHex(this.#bytes(false), separator, group);
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.hex);
    }
  }

  /**
   * `m == other`: equivalent shapes and equal elements, each side read with its own
   * format. NaN is unequal to itself; a non-exporter is unequal; a released view equals
   * only itself.
   */
  equals(other: unknown): boolean {
    if (other === this && this.#mbuf === null) return true;
    if (this.#mbuf === null) return false;
    if (other instanceof MemoryView) {
      if (other.#mbuf === null) return false;
      return this.#equalsInfo(other.#live().info, other.#layout, other.#format);
    }
    if (!isBuffer(other)) return false;
    let info: BufferInfo;
    try {
      info = getBuffer(other, PyBUF.FULL_RO);
    } catch {
      return false;
    }
    try {
      return this.#equalsInfo(info, info, info.format);
    } finally {
      releaseBuffer(info);
    }
  }

  #equalsInfo(info: BufferInfo, layout: Layout, format: string): boolean {
    const mine = this.#layout;
    if (!equivalentShapes(mine.shape, layout.shape)) return false;
    let a: ElementCodec;
    let b: ElementCodec;
    try {
      a = elementCodec(this.#format, mine.itemsize);
      b = elementCodec(format, layout.itemsize);
    } catch (error) {
      if (error instanceof NotImplementedError) return false;
      throw error;
    }
    const buffer = this.#assertAlive().info.buffer;
    assertInfoAlive(info, layout);
    const dvA = dataViewOf(buffer);
    const dvB = dataViewOf(info.buffer);
    return elementsEqual(
      mine,
      (p) => a.read(dvA, p),
      layout,
      (p) => b.read(dvB, p),
    );
  }

  /**
   * Where this view's elements are, as plain data (beyond CPython): the buffer, the byte
   * offset of element (0, …, 0), format, shape, strides and read-only flag.
   * `MemoryView.fromLayout` turns it back into a view of the same memory.
   */
  toLayout(): ViewLayout {
    const mbuf = this.#live();
    const layout = this.#layout;
    return Object.freeze({
      buffer: mbuf.info.buffer,
      byteOffset: layout.offset,
      format: this.#format,
      shape: layout.shape,
      strides: layout.strides,
      readonly: this.#readonly,
    });
  }

  /**
   * The layout of a view of shared memory, to hand a worker (beyond CPython): through
   * `postMessage` a `SharedArrayBuffer` stays the same memory, and `MemoryView.fromShared`
   * rebuilds the view there with no byte copied. BufferError for any other memory, which
   * `postMessage` would copy.
   */
  toShared(): SharedViewLayout {
    const layout = this.toLayout();
    if (!isSharedMemory(layout.buffer)) throw unsharedError('toShared');
    return layout as SharedViewLayout;
  }

  /**
   * A view of the memory `layout` describes (beyond CPython), checked as any export is:
   * each field read once, every element inside the buffer, a known format, memory not
   * detached. A read-only layout gives a read-only view. O(1): nothing is copied, and the
   * view's `obj` is the `LayoutExporter` the layout was checked into. `options` as
   * `memoryview`'s (`{ int64: 'number' }`; a layout does not carry a view's mode).
   */
  static fromLayout<M extends Int64Mode = 'bigint'>(
    layout: ViewLayout,
    options?: ViewOptions<M>,
  ): MemoryView<unknown, NestedList<unknown>, M>;
  static fromLayout(layout: ViewLayout, options?: ViewOptions): MemoryView {
    try {
      const mode = viewMode(options, 'bigint');
      return MemoryView.#fromExport(new LayoutExporter(layout).export(), mode);
    } catch (error) {
      throw fromCall(error, MemoryView.fromLayout);
    }
  }

  /**
   * The view `toShared()` described, rebuilt in this thread over the same memory
   * (beyond CPython), checked as `fromLayout` checks a layout. BufferError when the
   * layout's buffer is not a SharedArrayBuffer (an ArrayBuffer that crossed `postMessage`
   * is a copy, not the memory). `options` as `memoryview`'s (`{ int64: 'number' }`).
   */
  static fromShared<M extends Int64Mode = 'bigint'>(
    layout: SharedViewLayout,
    options?: ViewOptions<M>,
  ): MemoryView<unknown, NestedList<unknown>, M>;
  static fromShared(layout: SharedViewLayout, options?: ViewOptions): MemoryView {
    try {
      const mode = viewMode(options, 'bigint');
      const info = new LayoutExporter(layout).export();
      // The buffer the check read, not a second read of `layout.buffer`.
      if (!isSharedMemory(info.buffer)) throw unsharedError('fromShared');
      return MemoryView.#fromExport(info, mode);
    } catch (error) {
      throw fromCall(error, MemoryView.fromShared);
    }
  }

  /**
   * A view of a checked export that has nothing to give back (a `LayoutExporter`'s): as
   * the constructor makes one, without asking the exporter again.
   */
  static #fromExport(info: BufferInfo, int64: Int64Mode): MemoryView {
    const layout = {
      offset: info.offset,
      itemsize: info.itemsize,
      shape: info.shape,
      strides: info.strides,
    };
    const mbuf = new ManagedBuffer(info);
    const el = preparedQuietly(mbuf, layout, info.format, info.readonly, int64);
    return MemoryView.#make(mbuf, layout, info.format, info.readonly, int64, el);
  }

  /**
   * A TypedArray over the same memory (beyond CPython): zero-copy, for a view that is
   * C-contiguous, aligned and in the host's byte order with a numeric one-value format;
   * otherwise a BufferError naming the condition that failed.
   */
  toTypedArray(): ArrayBufferView {
    try {
      this.#live();
      const layout = this.#layout;
      const codec = elementCodec(this.#format, layout.itemsize);
      if (codec.typed === undefined) {
        const parsed = parseFormat(this.#format);
        const numeric =
          parsed.valueCount === 1 &&
          parsed.runs[0].offset === 0 &&
          ['int', 'uint', 'float', 'pointer'].includes(parsed.runs[0].kind);
        throw new BufferError(
          numeric && parsed.littleEndian !== NATIVE_LITTLE_ENDIAN
            ? `toTypedArray: format '${this.#format}' is not in the host's byte order (${hostOrder()})`
            : `toTypedArray: no TypedArray holds elements of format '${this.#format}'`,
        );
      }
      if (this.#readonly) {
        throw new BufferError(
          'toTypedArray: the view is read-only, and a TypedArray cannot forbid writes',
        );
      }
      if ((this.#contiguity() & C_FLAG) === 0) {
        throw new BufferError('toTypedArray: the view is not C-contiguous');
      }
      if (layout.offset % layout.itemsize !== 0 && product(layout.shape) !== 0) {
        throw new BufferError(
          `toTypedArray: the view starts at byte ${layout.offset}, which is not aligned to its ${layout.itemsize}-byte items`,
        );
      }
      const mbuf = this.#assertAlive();
      const length = product(layout.shape);
      // An empty view may point anywhere, even outside its buffer (as CPython's
      // `m[-100:-200:-1]` does); it has no element to align, and gives an empty array at 0.
      const start = length === 0 ? 0 : layout.offset;
      return new codec.typed(mbuf.info.buffer, start, length) as unknown as ArrayBufferView;
    } catch (error) {
      throw fromCall(error, MemoryView.prototype.toTypedArray);
    }
  }

  /** Iterates the elements of a 1-dimensional view. */
  [Symbol.iterator](): IterableIterator<T>;
  [Symbol.iterator](): IterableIterator<unknown> {
    this.#live();
    const ndim = this.#layout.shape.length;
    if (ndim === 0) throw new TypeError(ZERO_DIM_INDEX);
    if (ndim !== 1) {
      throw new NotImplementedError('multi-dimensional sub-views are not implemented');
    }
    this.#prepare();
    // Checked even when there is nothing to read, so iteration agrees with `toList`.
    this.#assertAlive();
    const halves = this.#halves;
    if (halves !== undefined && this.#rank === 1) {
      return new HalvesIterator(this, this.#layout.shape[0], halves, this.#base, this.#s0);
    }
    const ta = this.#rank === 1 ? this.#ta : undefined;
    return new ElementIterator(this, this.#layout.shape[0], ta, this.#base, this.#s0);
  }

  // ---------------------------------------------------------------------------------
  // Release and export
  // ---------------------------------------------------------------------------------

  /**
   * Releases this view; the exporter's memory is given back once every view of it is
   * released. Idempotent. BufferError "memoryview has 1 exported buffer" while a
   * consumer still holds an export of this view.
   *
   * @throws {BufferError} "memoryview has 1 exported buffer" while a consumer holds an export
   * of this view.
   * @example
   * ```ts
   * import { ByteArray, memoryview } from 'memview';
   * const data = new ByteArray(4);
   * const m = memoryview(data); // data cannot resize while m holds it
   * m.release();
   * data.append(1); // allowed again
   * ```
   */
  release(): void {
    const mbuf = this.#mbuf;
    if (mbuf === null) return;
    const n = this.#exports;
    if (n > 0) {
      const error = new BufferError(`memoryview has ${n} exported buffer${n === 1 ? '' : 's'}`);
      throw fromCall(error, MemoryView.prototype.release);
    }
    this.#mbuf = null;
    // The arrays only (what the fast paths check first), so that the other fields stay
    // constant for V8 (see the fields), and the memory is not held.
    this.#access = UNPREPARED;
    this.#ta = undefined;
    this.#wta = undefined;
    this.#halves = undefined;
    this.#runs = undefined;
    mbuf.unregister();
  }

  /** `using m = memoryview(x)` releases `m` at the end of the block. */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * Exports this view to a consumer (`getBuffer(m, flags)`), with CPython's checks in its
   * order; the view cannot be released until the consumer releases the export.
   */
  [BUFFER](asked: number | bigint): BufferInfo {
    const flags = bufferFlags(asked);
    const mbuf = this.#live();
    const c = (this.#contiguity() & C_FLAG) !== 0;
    if (flags & PyBUF.WRITABLE && this.#readonly) {
      throw new BufferError('memoryview: underlying buffer is not writable');
    }
    if (requests(flags, PyBUF.C_CONTIGUOUS) && !c) {
      throw new BufferError('memoryview: underlying buffer is not C-contiguous');
    }
    if (requests(flags, PyBUF.F_CONTIGUOUS) && (this.#contiguity() & F_FLAG) === 0) {
      throw new BufferError('memoryview: underlying buffer is not Fortran contiguous');
    }
    if (requests(flags, PyBUF.ANY_CONTIGUOUS) && this.#contiguity() === 0) {
      throw new BufferError('memoryview: underlying buffer is not contiguous');
    }
    if (!requests(flags, PyBUF.STRIDES) && !c) {
      throw new BufferError('memoryview: underlying buffer is not C-contiguous');
    }
    if (!requests(flags, PyBUF.ND) && flags & PyBUF.FORMAT) {
      throw new BufferError(
        'memoryview: cannot cast to unsigned bytes if the format flag is present',
      );
    }
    this.#assertAlive();
    const layout = this.#layout;
    this.#exports++;
    return {
      obj: this,
      buffer: mbuf.info.buffer,
      offset: layout.offset,
      len: nbytes(layout),
      readonly: this.#readonly,
      format: this.#format,
      itemsize: layout.itemsize,
      ndim: layout.shape.length,
      shape: layout.shape,
      strides: layout.strides,
      suboffsets: NO_SUBOFFSETS,
    };
  }

  /** Takes back an export made by `[BUFFER]`. */
  [RELEASE](_view: unknown): void {
    if (this.#exports > 0) this.#exports--;
  }

  /**
   * `<memory format 'B' shape [6] strides [1] readonly>` (`… int64 'number'>` in number
   * mode), or `<released memory>`.
   */
  toString(): string {
    if (this.#mbuf === null) return '<released memory>';
    const { shape, strides } = this.#layout;
    const mode = this.#int64 === 'number' ? " int64 'number'" : '';
    return `<memory format '${this.#format}' shape [${shape.join(', ')}] strides [${strides.join(', ')}] ${this.#readonly ? 'readonly' : 'writable'}${mode}>`;
  }

  /** How Node's `util.inspect` shows a view: format, shape, strides and access at a glance. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---------------------------------------------------------------------------------
  // bytes' search methods, for views of format 'B' (beyond CPython; bytesmethods.ts)
  // ---------------------------------------------------------------------------------

  /** `bytes.find` over the view's bytes in C order, read in place (format 'B' only). */
  find(sub: ViewSource | number | bigint, start?: SliceBound, end?: SliceBound): number {
    return bytesMethods.find(this.#haystack('find'), sub, start, end);
  }

  /** `bytes.rfind` over the view's bytes (format 'B' only). */
  rfind(sub: ViewSource | number | bigint, start?: SliceBound, end?: SliceBound): number {
    return bytesMethods.rfind(this.#haystack('rfind'), sub, start, end);
  }

  /** `bytes.index` over the view's bytes (format 'B' only). */
  index(sub: ViewSource | number | bigint, start?: SliceBound, end?: SliceBound): number {
    return bytesMethods.index(this.#haystack('index'), sub, start, end);
  }

  /** `bytes.rindex` over the view's bytes (format 'B' only). */
  rindex(sub: ViewSource | number | bigint, start?: SliceBound, end?: SliceBound): number {
    return bytesMethods.rindex(this.#haystack('rindex'), sub, start, end);
  }

  /** `bytes.count` over the view's bytes (format 'B' only). */
  count(sub: ViewSource | number | bigint, start?: SliceBound, end?: SliceBound): number {
    return bytesMethods.count(this.#haystack('count'), sub, start, end);
  }

  /** `bytes.startswith`; an array of prefixes is Python's tuple form (format 'B' only). */
  startsWith(
    prefix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    return bytesMethods.startsWith(this.#haystack('startsWith'), prefix, start, end);
  }

  /** `bytes.endswith`; an array of suffixes is Python's tuple form (format 'B' only). */
  endsWith(
    suffix: ViewSource | readonly ViewSource[],
    start?: SliceBound,
    end?: SliceBound,
  ): boolean {
    return bytesMethods.endsWith(this.#haystack('endsWith'), suffix, start, end);
  }

  /**
   * The bytes the search methods read, fetched when called (after the arguments are
   * converted): a C-contiguous view's memory or a 1-D view's strided bytes, in place; an
   * N-D non-contiguous view's bytes copied in C order.
   */
  #haystack(method: string): () => Haystack {
    this.#live();
    const format = this.#format;
    if (this.#layout.itemsize !== 1 || !/^[@=<>!]?B$/.test(format)) {
      throw new TypeError(`memoryview: ${method}() needs format 'B', not '${format}'`);
    }
    return () => {
      const buffer = this.#assertAlive().info.buffer;
      const layout = this.#layout;
      const n = nbytes(layout);
      if (n === 0) return new Uint8Array(0);
      if ((this.#contiguity() & C_FLAG) !== 0) return new Uint8Array(buffer, layout.offset, n);
      if (layout.shape.length !== 1) return this.#bytes(false);
      const data = new Uint8Array(buffer, 0, buffer.byteLength);
      return { data, base: layout.offset, step: layout.strides[0], length: n };
    };
  }
}

trustExports(MemoryView.prototype);

const NO_LAYOUT: Layout = { offset: 0, itemsize: 1, shape: [], strides: [] };

/**
 * Scratch memory for one element being converted, handed to one `set` at a time: a call
 * that re-enters `set` while its own value converts finds none spare and makes its own,
 * so no call ever sees another's half-made element.
 */
let spareScratch: DataView | null = null;

function takeScratch(size: number): DataView {
  const spare = spareScratch;
  if (spare !== null && spare.byteLength >= size) {
    spareScratch = null;
    return spare;
  }
  return new DataView(new ArrayBuffer(Math.max(size, 16)));
}

/**
 * A new Uint8Array (over an ArrayBuffer of its own, never shared) of `n` bytes: a copy of
 * `buffer[start, start + n)` when that lies inside an ArrayBuffer, else zeros.
 */
function copyOf(buffer: ArrayBufferLike, start: number, n: number): Uint8Array {
  if (buffer instanceof ArrayBuffer && start >= 0 && start + n <= buffer.byteLength) {
    return new Uint8Array(buffer.slice(start, start + n));
  }
  const out = new Uint8Array(n);
  if (start >= 0 && start + n <= buffer.byteLength) out.set(new Uint8Array(buffer, start, n));
  return out;
}

/**
 * A layout array, frozen in place and returned: layouts are never mutated, so freezing
 * on first request costs nothing afterwards and hands out no copy.
 */
function frozen(values: readonly number[]): readonly number[] {
  return Object.isFrozen(values) ? values : Object.freeze(values);
}

/** Protocol's `assertLive` for the bytes `layout` (the export itself or a view of it) reaches. */
function assertInfoAlive(info: BufferInfo, layout: Layout): void {
  const span = byteSpan(layout);
  if (span === null) assertLive(info, 0, 0);
  else assertLive(info, span.start, span.end);
}

/** CPython's `IS_BYTE_FORMAT`: `B`, `b` or `c`, with an optional leading `@`. */
function isByteFormat(format: string): boolean {
  const bare = bareFormat(format);
  return bare === 'B' || bare === 'b' || bare === 'c';
}

/** The itemsize of a cast's destination format: any struct format of a positive size. */
function castItemsize(format: string): number {
  let size = 0;
  try {
    size = parseFormat(format).size;
  } catch {}
  if (size <= 0) throw new ValueError(CAST_FORMAT);
  return size;
}

function hostOrder(): string {
  return NATIVE_LITTLE_ENDIAN ? 'little-endian' : 'big-endian';
}

/**
 * `n` doubles of `ta` from element `k`, every `step`th, as a list. A function of its own so
 * that its element loads see Float64Array alone: in `#list`, shared by every element kind a
 * process lists, they go megamorphic (1M doubles 2.3× slower after five other kinds were
 * listed). The list starts as a one-double literal given its length, so its storage is
 * unboxed doubles from the start and grows as the loop appends; `new Array(n).fill(0.5)`
 * gives the same elements kind (holey doubles) but spends most of the call filling
 * (measured, 1M doubles, separate processes: 4.6–5.1 ms against 5.9–7.5 ms).
 */
function listOfDoubles(ta: Float64Array, k: number, step: number, n: number): number[] {
  const out = [0.5];
  out.length = n;
  for (let i = 0; i < n; i++, k += step) out[i] = ta[k];
  return out;
}
