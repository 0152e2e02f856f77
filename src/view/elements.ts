/**
 * How a view reads and writes one element: chosen once per (format, itemsize) and shared
 * by every view with that format.
 *
 * CPython's memoryview takes only single native codes; memview takes every struct format
 * (a sanctioned extension): a one-value format gives a value, any other format (a record
 * such as `'<IHHd'`, or `'2i'`) gives an array of values.
 *
 * Invariants:
 * - a format struct cannot parse, or whose size is not the view's itemsize, is refused
 *   with CPython's NotImplementedError text at the first element access, never earlier
 *   (such views still slice, cast to bytes, compare and copy);
 * - a write of a primitive validates before it writes; a write of an object (a record's
 *   array, a `?` value with getters) may run user code, so the view hands it scratch
 *   memory and copies the element in after checking the memory again;
 * - one-value writes fail with memoryview's messages ("memoryview: invalid type for
 *   format 'i'"), records with struct's, since a record is what `packInto` writes;
 * - `typed` is the TypedArray class whose elements are exactly this format's values in
 *   the host's byte order, when there is one: views whose elements are aligned read
 *   through it instead of a DataView.
 */

import { toFloat } from '../codec/coerce.js';
import { itemCodec, PackError } from '../codec/index.js';
import {
  NotImplementedError,
  OverflowError,
  pyTypeName,
  StructError,
  ValueError,
} from '../errors.js';
import {
  type Int64Mode,
  NATIVE_LITTLE_ENDIAN,
  type ParsedFormat,
  parseFormat,
} from '../format/index.js';
import { compilePlan } from '../struct/plan.js';

/** A TypedArray as the view layer uses one: indexed numbers or bigints. */
export interface TypedArrayLike {
  readonly length: number;
  [index: number]: number | bigint;
}

/** A TypedArray constructor. */
export type TypedArrayClass = new (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
) => TypedArrayLike;

/** Int32Array or Uint32Array, as the view layer makes one: over any buffer. */
export type HalvesClass = new (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
) => Int32Array | Uint32Array;

/** The reader and writer of one element of a view's format. */
export interface ElementCodec {
  /** True when an element is one value; false when it is an array of values (a record). */
  readonly single: boolean;
  /** Reads the element at byte `p` of `dv`. */
  readonly read: (dv: DataView, p: number) => unknown;
  /** Validates `value`, then writes it as the element at byte `p` of `dv`. */
  readonly write: (dv: DataView, p: number, value: unknown) => void;
  /** The TypedArray holding these values in host order, if any. */
  readonly typed: TypedArrayClass | undefined;
  /**
   * Number mode's 8-byte integers in host order on a little-endian host: the array class
   * of their 32-bit halves (Int32Array when signed, Uint32Array when not), through which
   * `get(i)` reads them as `hi * 2**32 + lo` with no DataView call.
   */
  readonly halves: HalvesClass | undefined;
  /**
   * Which numbers a store into `typed` writes exactly as `write` does, as a small int (a
   * double or boolean field costs the views' hot path a load and a conversion more):
   * `STORE_INT` ints in `[storeMin, storeMax]`, `STORE_ANY` any number, `STORE_FLOAT32`
   * numbers within ±FLT_MAX, `STORE_NONE` none.
   */
  readonly store: number;
  /** `STORE_INT`'s bounds as int32s (1 and 0 for the other kinds). */
  readonly storeMin: number;
  readonly storeMax: number;
}

/** `ElementCodec.store`: no number is stored by a fast write. */
const STORE_NONE = 0;
/** `ElementCodec.store`: ints in `[storeMin, storeMax]`. */
const STORE_INT = 1;
/** `ElementCodec.store`: any number (a double, or a float a native `f` casts). */
const STORE_ANY = 2;
/**
 * `ElementCodec.store`: numbers within ±FLT_MAX, the largest finite float32 (a standard-size
 * `f`, whose writer raises beyond it).
 */
const STORE_FLOAT32 = 3;

/** A codec's fast stores when there are none. */
const NO_FAST = { store: STORE_NONE, storeMin: 1, storeMax: 0 };

const cache = new Map<string, ElementCodec>();
const CACHE_LIMIT = 256;

/** The format with one leading `@` removed, as CPython's `adjust_fmt` names it in messages. */
export function bareFormat(format: string): string {
  return format.charCodeAt(0) === 64 ? format.slice(1) : format;
}

/**
 * The codec of elements of `format` that are `itemsize` bytes long; NotImplementedError
 * ("memoryview: format w not supported", "memoryview: unsupported format T{i}") when
 * struct cannot read them. `int64` is the view's mode for 8-byte integers: in number mode
 * they read through a DataView (no TypedArray gives their values as numbers).
 */
export function elementCodec(
  format: string,
  itemsize: number,
  int64: Int64Mode = 'bigint',
): ElementCodec {
  const key = int64 === 'number' ? `${itemsize}#${format}` : `${itemsize}:${format}`;
  let codec = cache.get(key);
  if (codec === undefined) {
    let parsed: ParsedFormat | undefined;
    try {
      parsed = parseFormat(format);
    } catch {}
    if (parsed === undefined || parsed.size !== itemsize) throw unsupportedFormat(format);
    codec =
      parsed.valueCount === 1 ? singleCodec(parsed, int64) : recordCodec(parsed, itemsize, int64);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, codec);
  }
  return codec;
}

/** CPython's NotImplementedError for a format memoryview cannot read. */
export function unsupportedFormat(format: string): NotImplementedError {
  const bare = bareFormat(format);
  return new NotImplementedError(
    bare.length === 1
      ? `memoryview: format ${bare} not supported`
      : `memoryview: unsupported format ${format}`,
  );
}

function singleCodec(parsed: ParsedFormat, int64: Int64Mode): ElementCodec {
  const run = parsed.runs[0];
  const codec = itemCodec(run.code, parsed.native, parsed.littleEndian, run.itemSize, int64);
  // Number mode's 8-byte integers: the TypedArray would give bigints.
  const numbers =
    int64 === 'number' &&
    run.itemSize === 8 &&
    (run.kind === 'int' || run.kind === 'uint' || run.kind === 'pointer');
  const at = run.offset;
  const name = bareFormat(parsed.format);
  const read = at === 0 ? codec.read : (dv: DataView, p: number) => codec.read(dv, p + at);
  let write: ElementCodec['write'];
  if (run.code === 'f' && parsed.native) {
    // memoryview stores a native float as C's cast does: 1e300 becomes inf, no error.
    write = (dv, p, v) => {
      let x: number;
      try {
        x = toFloat(v);
      } catch (error) {
        throw packFailure(error, name);
      }
      dv.setFloat32(p + at, x, NATIVE_LITTLE_ENDIAN);
    };
  } else {
    write = (dv, p, v) => {
      try {
        codec.write(dv, p + at, v);
      } catch (error) {
        throw packFailure(error, name);
      }
    };
  }
  const typed =
    at === 0 && parsed.littleEndian === NATIVE_LITTLE_ENDIAN && !numbers
      ? typedClass(run.code, run.kind, run.itemSize)
      : undefined;
  return {
    single: true,
    read,
    write,
    typed,
    halves:
      numbers && at === 0 && parsed.littleEndian && NATIVE_LITTLE_ENDIAN
        ? ((run.kind === 'int' ? Int32Array : Uint32Array) as HalvesClass)
        : undefined,
    ...fastStores(run.code, run.kind, run.itemSize, parsed.native),
  };
}

/**
 * The numbers a TypedArray store writes as `write` would: ints in range (below 2**31, so
 * that `(v | 0) === v` tests them), any double, floats a native `f` casts (any number) or
 * a standard one packs without overflow. 64-bit ints (bigint arrays) and halves: none.
 */
function fastStores(
  code: string,
  kind: string,
  size: number,
  native: boolean,
): Pick<ElementCodec, 'store' | 'storeMin' | 'storeMax'> {
  if ((kind === 'int' || kind === 'uint') && size <= 4) {
    const bits = 8 * size;
    const min = kind === 'int' ? -(2 ** (bits - 1)) : 0;
    const max = Math.min(kind === 'int' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1, 2 ** 31 - 1);
    // As int32s (`| 0`): a bound computed with `**` is a heap number, and one such value
    // copied into a view's field would make the field a double one.
    return { store: STORE_INT, storeMin: min | 0, storeMax: max | 0 };
  }
  if (kind === 'float' && (size === 8 || (size === 4 && native))) {
    return { ...NO_FAST, store: STORE_ANY };
  }
  if (kind === 'float' && size === 4 && code === 'f') {
    return { ...NO_FAST, store: STORE_FLOAT32 };
  }
  return NO_FAST;
}

/**
 * memoryview's wording of a failed conversion: TypeError "memoryview: invalid type for
 * format 'i'" for the wrong type, ValueError "… invalid value …" for a value out of range.
 * Anything else (a detached buffer under the write) passes through unchanged.
 */
function packFailure(error: unknown, name: string): unknown {
  if (error instanceof PackError) {
    return error.kind === 'type'
      ? new TypeError(`memoryview: invalid type for format '${name}'`)
      : new ValueError(`memoryview: invalid value for format '${name}'`);
  }
  if (error instanceof OverflowError) {
    return new ValueError(`memoryview: invalid value for format '${name}'`);
  }
  return error;
}

function recordCodec(parsed: ParsedFormat, itemsize: number, int64: Int64Mode): ElementCodec {
  const plan = compilePlan(parsed, int64);
  const count = parsed.valueCount;
  return {
    single: false,
    read: plan.unpack,
    write: (dv, p, v) => {
      if (!Array.isArray(v)) {
        throw new TypeError(
          `memoryview: an element of format '${parsed.format}' is an array of ${count} values, not '${pyTypeName(v)}'`,
        );
      }
      if (v.length !== count) {
        throw new StructError(`pack expected ${count} items for packing (got ${v.length})`);
      }
      // The caller hands scratch memory of its own (values may run user code), so a bad
      // value leaves the view untouched; pad bytes are zeros.
      new Uint8Array(dv.buffer, dv.byteOffset + p, itemsize).fill(0);
      plan.pack(dv, p, v, 0);
    },
    typed: undefined,
    halves: undefined,
    ...NO_FAST,
  };
}

const Float16 = /* @__PURE__ */ (() =>
  (globalThis as { Float16Array?: TypedArrayClass }).Float16Array)();

function typedClass(code: string, kind: string, size: number): TypedArrayClass | undefined {
  switch (kind) {
    case 'int':
      return (
        [undefined, Int8Array, Int16Array, undefined, Int32Array][size] ??
        (size === 8 ? BigInt64Array : undefined)
      );
    case 'uint':
      return (
        [undefined, Uint8Array, Uint16Array, undefined, Uint32Array][size] ??
        (size === 8 ? BigUint64Array : undefined)
      );
    case 'pointer':
      return BigUint64Array;
    case 'float':
      return size === 8
        ? Float64Array
        : size === 4
          ? Float32Array
          : code === 'e'
            ? Float16
            : undefined;
    default:
      return undefined;
  }
}
