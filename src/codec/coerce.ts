/**
 * Conversion of JavaScript values to what one struct item stores, with CPython's checks.
 *
 * A conversion that fails throws a `PackError`: a `StructError` carrying CPython's
 * `struct` message plus the failure's kind, so that a consumer with other wording
 * (memoryview's "invalid type"/"invalid value") can translate it without re-checking.
 */

import { OverflowError, StructError } from '../errors.js';
import { isUint8Array } from './intrinsics.js';

/** Why a value could not be packed: the wrong type, or the right type out of range. */
export type PackFailure = 'type' | 'value';

/** A `StructError` raised while converting one value; `kind` says which check failed. */
export class PackError extends StructError {
  constructor(
    message: string,
    readonly kind: PackFailure,
  ) {
    super(message);
  }
}

const NOT_AN_INTEGER = 'required argument is not an integer';
const NOT_A_FLOAT = 'required argument is not a float';

/**
 * An integer code's value as a number in [min, max] (both within the safe range).
 * Accepts integral numbers, bigints and booleans, as CPython accepts int, `__index__`
 * and bool; fractions, NaN, strings and null are not integers. Small, so V8 inlines the
 * common case into every writer.
 */
export function toSmallInt(value: unknown, min: number, max: number, code: string): number {
  if (typeof value === 'number' && value >= min && value <= max && Number.isInteger(value)) {
    return value;
  }
  return otherSmallInt(value, min, max, code);
}

function otherSmallInt(value: unknown, min: number, max: number, code: string): number {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new PackError(NOT_AN_INTEGER, 'type');
    n = value;
  } else if (typeof value === 'bigint') {
    if (value < BigInt(min) || value > BigInt(max)) throw rangeError(code, min, max);
    return Number(value);
  } else if (typeof value === 'boolean') {
    n = value ? 1 : 0;
  } else {
    throw new PackError(NOT_AN_INTEGER, 'type');
  }
  if (n < min || n > max) throw rangeError(code, min, max);
  return n;
}

/** An integer value as a bigint: integral numbers, bigints and booleans; anything else is not an integer. */
function integerOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  throw new PackError(NOT_AN_INTEGER, 'type');
}

/** An 8-byte integer code's value as a bigint in [min, max]. */
export function toBigInt(value: unknown, min: bigint, max: bigint, code: string): bigint {
  const n = integerOf(value);
  if (n < min || n > max) throw rangeError(code, min, max);
  return n;
}

/** A pointer's value (`P`): -2**63 .. 2**64-1, stored as its unsigned 64-bit pattern. */
export function toPointer(value: unknown): bigint {
  const n = integerOf(value);
  if (n < -(1n << 63n) || n >= 1n << 64n) {
    throw new PackError('int too large to convert', 'value');
  }
  return BigInt.asUintN(64, n);
}

/** A float code's value as a double: numbers, booleans, and bigints a double can hold. */
export function toFloat(value: unknown): number {
  return typeof value === 'number' ? value : otherFloat(value);
}

// The rest of `toFloat`, out of line so that the number case inlines into the writers.
function otherFloat(value: unknown): number {
  if (typeof value === 'bigint') {
    const n = Number(value);
    // CPython: an int too large for a double is "not a float" for struct.
    if (!Number.isFinite(n)) throw new PackError(NOT_A_FLOAT, 'value');
    return n;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new PackError(NOT_A_FLOAT, 'type');
}

/**
 * The error for a float code whose value is too large: CPython reports an overflow while
 * packing a Python int as "int too large to convert", and one of a float by the format.
 */
export function floatOverflow(value: unknown, code: string): Error {
  return typeof value === 'bigint'
    ? new PackError('int too large to convert', 'value')
    : new OverflowError(`float too large to pack with ${code} format`);
}

/**
 * Python's truth value of a JavaScript value, for `?`: zero, `null`, `undefined` and
 * empty strings, arrays, typed arrays, buffers, Maps and Sets are false; NaN is true
 * (as `bool(float('nan'))`); every other value is true.
 */
export function pyTruth(value: unknown): boolean {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0;
    case 'bigint':
      return value !== 0n;
    case 'string':
      return value.length > 0;
    case 'undefined':
      return false;
    case 'object': {
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (ArrayBuffer.isView(value)) return value.byteLength > 0;
      if (value instanceof ArrayBuffer) return value.byteLength > 0;
      if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
        return value.byteLength > 0;
      }
      if (value instanceof Map || value instanceof Set) return value.size > 0;
      return true;
    }
    default:
      return true;
  }
}

/**
 * The bytes of a `c`, `s` or `p` value: a Uint8Array (Node's Buffer is one) by its
 * internal slots, or undefined. Runs no user code (no getter, no Proxy trap).
 */
export function bytesOf(value: unknown): Uint8Array | undefined {
  return isUint8Array(value) ? value : undefined;
}

function rangeError(code: string, min: number | bigint, max: number | bigint): PackError {
  return new PackError(`'${code}' format requires ${min} <= number <= ${max}`, 'value');
}
