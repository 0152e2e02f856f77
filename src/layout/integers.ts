/**
 * Python's integer conversions as the layout layer meets them: index keys
 * (`PyNumber_AsSsize_t(key, IndexError)`), slice bounds (`_PyEval_SliceIndex`, which
 * clamps), per-dimension bounds checks (`lookup_dimension`) and NumPy-style axes.
 *
 * Invariants:
 * - a Python int is a JavaScript integer `number` or a `bigint`; booleans, strings and
 *   non-integral numbers are not ints here;
 * - C's `Py_ssize_t` range is [-2**63, 2**63 - 1]; as a double its top is 2**63, the
 *   nearest double to 2**63 - 1, so `SSIZE_MAX_NUMBER` stands for `PY_SSIZE_T_MAX`
 *   wherever a clamped value is only compared, never printed;
 * - every message is written once, here, and is CPython 3.13's (or NumPy's) text.
 */

import { IndexError, pyTypeName, ValueError } from '../errors.js';

/** `PY_SSIZE_T_MAX` exactly, for exact comparisons of bigints. */
export const SSIZE_MAX = 0x7fff_ffff_ffff_ffffn;
/** `PY_SSIZE_T_MIN` exactly. */
export const SSIZE_MIN = -0x8000_0000_0000_0000n;
/** `PY_SSIZE_T_MAX` as the nearest double (2**63); a number `x` fits in ssize iff `x < 2**63`. */
export const SSIZE_MAX_NUMBER = 0x8000_0000_0000_0000;
/** `PY_SSIZE_T_MIN` as a double (exactly -2**63). */
export const SSIZE_MIN_NUMBER = -0x8000_0000_0000_0000;

const CANNOT_FIT = "cannot fit 'int' into an index-sized integer";
const INVALID_KEY = 'memoryview: invalid slice key';
const BAD_SLICE_INDEX = 'slice indices must be integers or None or have an __index__ method';

/** True for the values that stand for a Python int: integral numbers and bigints. */
export function isPyInt(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/**
 * Converts an index key as `PyNumber_AsSsize_t(key, PyExc_IndexError)` does:
 * IndexError "cannot fit 'int' into an index-sized integer" outside ssize, and
 * TypeError "memoryview: invalid slice key" for anything that is not an int.
 */
export function asIndex(key: unknown): number {
  if (typeof key === 'number') {
    if (Number.isInteger(key)) {
      if (key >= SSIZE_MIN_NUMBER && key < SSIZE_MAX_NUMBER) return key;
      throw new IndexError(CANNOT_FIT);
    }
  } else if (typeof key === 'bigint') {
    if (key >= SSIZE_MIN && key <= SSIZE_MAX) return Number(key);
    throw new IndexError(CANNOT_FIT);
  }
  throw new TypeError(INVALID_KEY);
}

/** Throws memoryview's TypeError for a key that is neither an int nor a slice. */
export function invalidKey(): never {
  throw new TypeError(INVALID_KEY);
}

/**
 * Converts a slice bound or step as `_PyEval_SliceIndex` does: ints beyond ssize are
 * clamped to it; anything else is the TypeError of `PySlice_Unpack`.
 * Assumes `value` is not None (`null`/`undefined`).
 */
export function asSliceIndex(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value < SSIZE_MIN_NUMBER) return SSIZE_MIN_NUMBER;
    return value > SSIZE_MAX_NUMBER ? SSIZE_MAX_NUMBER : value;
  }
  if (typeof value === 'bigint') {
    if (value < SSIZE_MIN) return SSIZE_MIN_NUMBER;
    return value > SSIZE_MAX ? SSIZE_MAX_NUMBER : Number(value);
  }
  throw new TypeError(BAD_SLICE_INDEX);
}

/**
 * CPython's `lookup_dimension`: wraps a negative index once and bounds-checks it against
 * `length`, raising IndexError "index out of bounds on dimension K" (K = `dim + 1`).
 */
export function lookupDimension(length: number, index: number, dim: number): number {
  if (index < 0) index += length;
  if (index < 0 || index >= length) {
    throw new IndexError(`index out of bounds on dimension ${dim + 1}`);
  }
  return index;
}

/**
 * Checks that `axis` is an int, as NumPy's integer converter does: TypeError
 * "'float' object cannot be interpreted as an integer" otherwise.
 */
export function assertAxisType(axis: unknown): asserts axis is number | bigint {
  if (!isPyInt(axis)) {
    throw new TypeError(`'${pyTypeName(axis)}' object cannot be interpreted as an integer`);
  }
}

/**
 * NumPy's `normalize_axis_index`: an axis in [-ndim, ndim) wraps to [0, ndim); anything
 * else is NumPy's AxisError text, raised as ValueError (AxisError subclasses it).
 */
export function normalizeAxis(axis: unknown, ndim: number): number {
  assertAxisType(axis);
  const n = Number(axis);
  if (n < -ndim || n >= ndim) {
    throw new ValueError(
      `axis ${formatInteger(axis)} is out of bounds for array of dimension ${ndim}`,
    );
  }
  return n < 0 ? n + ndim : n;
}

/** Writes an integer the way Python prints it: all digits, no exponent, no `n` suffix. */
export function formatInteger(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  return Number.isSafeInteger(value) || !Number.isInteger(value)
    ? String(value)
    : BigInt(value).toString();
}
