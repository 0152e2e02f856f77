/**
 * Decoding and comparison for the golden struct fixtures written by
 * scripts/gen_struct_fixtures.py (its opening comment defines the JSON encoding).
 *
 * Comparison is strict about JavaScript types: a bigint never equals a number, NaN equals
 * NaN, -0 differs from 0, and Uint8Arrays compare by their bytes.
 */

import assert, { AssertionError } from 'node:assert/strict';
import {
  BufferError,
  IndexError,
  OverflowError,
  StructError,
  UnicodeEncodeError,
  ValueError,
} from '../../src/index.js';

/** A value as the fixtures encode it. */
export type Encoded =
  | number
  | boolean
  | string
  | { int: string }
  | { float: 'nan' | '-nan' | 'inf' | '-inf' | '-0' }
  | { bytes: string }
  | { str: string }
  | { none: true }
  | { list: Encoded[] }
  | { size: string };

/** An expected exception: CPython's class name and exact message. */
export interface ErrorSpec {
  error: ErrorName;
  message: string;
}

export type ErrorName =
  | 'StructError'
  | 'TypeError'
  | 'OverflowError'
  | 'IndexError'
  | 'ValueError'
  | 'UnicodeEncodeError'
  | 'BufferError';

/** One fixture case; which fields are present depends on `op`. */
export interface FixtureCase {
  op: 'calcsize' | 'struct' | 'pack' | 'unpack' | 'unpack_from' | 'pack_into' | 'iter_unpack';
  fmt?: Encoded;
  args?: Encoded[];
  buffer?: Encoded;
  expect: Encoded | ErrorSpec | StructAttributes;
  unpacked?: Encoded;
  after?: Encoded;
  hints?: number[];
  repack?: boolean;
  alt?: boolean;
  deviation?: string;
  cpython?: Encoded | ErrorSpec;
}

/** An unpack_each case (a run of single-value records). */
export interface EachCase {
  op: 'unpack_each';
  fmt: string;
  buffer: { bytes: string };
  expect: { list: Encoded[] };
  repack: boolean;
}

/** What `new Struct(fmt)` exposes. */
export interface StructAttributes {
  format: string;
  size: number | { size: string };
  repr: string;
}

/** A fixture file. */
export interface Fixture {
  about: string;
  generator: string;
  python: string;
  groups: Record<string, (FixtureCase | EachCase)[]>;
}

/** Parses a fixture file's text. */
export function parseFixture(text: string): Fixture {
  return JSON.parse(text) as Fixture;
}

const ERROR_CLASSES: Record<ErrorName, abstract new (...args: never[]) => Error> = {
  StructError,
  TypeError,
  OverflowError,
  IndexError,
  ValueError,
  UnicodeEncodeError,
  BufferError,
};

/** True for an encoded expectation that is an exception. */
export function isErrorSpec(value: unknown): value is ErrorSpec {
  return typeof value === 'object' && value !== null && 'error' in value && 'message' in value;
}

/** Bytes from lowercase hex. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

const nanBits = new Float64Array(1);
new BigUint64Array(nanBits.buffer)[0] = 0xfff8000000000000n;
/** Python's -float('nan'): a NaN with the sign bit set. */
export const NEGATIVE_NAN: number = nanBits[0];

/** The JavaScript value an encoded value stands for (a fresh object each call). */
export function decode(value: Encoded): unknown {
  if (typeof value !== 'object') return value;
  if ('int' in value) return BigInt(value.int);
  if ('float' in value) {
    switch (value.float) {
      case 'nan':
        return Number.NaN;
      case '-nan':
        return NEGATIVE_NAN;
      case 'inf':
        return Number.POSITIVE_INFINITY;
      case '-inf':
        return Number.NEGATIVE_INFINITY;
      case '-0':
        return -0;
    }
  }
  if ('bytes' in value) return fromHex(value.bytes);
  if ('str' in value) return value.str;
  if ('none' in value) return null;
  if ('list' in value) return value.list.map(decode);
  if ('size' in value) throw new Error('a {"size"} value is only an expectation');
  throw new Error(`unknown encoding ${JSON.stringify(value)}`);
}

/** Strict equality of actual and expected JavaScript values (see the file comment). */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual !== typeof expected) return false;
  if (typeof expected === 'number') return Object.is(actual, expected);
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array) || actual.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) return false;
    return true;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    return expected.every((e, i) => sameValue(actual[i], e));
  }
  return actual === expected;
}

/** A short, type-revealing rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `Uint8Array<${toHex(value)}>`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value instanceof Error) return `${value.constructor.name}(${JSON.stringify(value.message)})`;
  return String(value);
}

/** Asserts `actual` is `expected` by `sameValue`. */
export function assertSame(actual: unknown, expected: unknown, context: string): void {
  if (!sameValue(actual, expected)) {
    throw new AssertionError({
      message: `${context}: expected ${show(expected)}, got ${show(actual)}`,
      actual,
      expected,
      operator: 'sameValue',
    });
  }
}

/**
 * Asserts a calcsize/size result: a number equal to the expected size, or, for a size a
 * double cannot hold exactly ({"size": "<decimal>"}), the nearest double.
 */
export function assertSize(actual: unknown, expected: number | { size: string }, context: string) {
  const want = typeof expected === 'number' ? expected : Number(BigInt(expected.size));
  const label = typeof expected === 'number' ? String(expected) : `${expected.size} (~${want})`;
  if (typeof actual !== 'number' || actual !== want) {
    throw new AssertionError({
      message: `${context}: expected size ${label}, got ${show(actual)}`,
      actual,
      expected: want,
      operator: 'assertSize',
    });
  }
}

/** Thrown through assert.throws when the call returned instead of raising. */
class Returned {
  constructor(readonly value: unknown) {}
}

/**
 * Asserts `fn` throws exactly the expected error: an instance of the class named by
 * CPython's exception (Python TypeError is JavaScript's), with that `name`, and CPython's
 * message word for word.
 */
export function assertRaises(fn: () => unknown, spec: ErrorSpec, context: string): void {
  const cls = ERROR_CLASSES[spec.error];
  assert.throws(
    () => {
      throw new Returned(fn());
    },
    (err: unknown) => {
      const want = `${spec.error}(${JSON.stringify(spec.message)})`;
      if (err instanceof Returned) {
        throw new AssertionError({
          message: `${context}: expected ${want}, but it returned ${show(err.value)}`,
        });
      }
      if (
        !(err instanceof cls) ||
        (err as Error).name !== spec.error ||
        (err as Error).message !== spec.message
      ) {
        const got =
          err instanceof Error
            ? `${err.constructor.name}[name=${err.name}](${JSON.stringify(err.message)})`
            : show(err);
        throw new AssertionError({ message: `${context}: expected ${want}, got ${got}` });
      }
      return true;
    },
  );
}

/**
 * Runs `fn` and checks its outcome against an encoded expectation: an exception
 * (assertRaises) or a value (`check` receives the result).
 */
export function expectOutcome<T>(
  fn: () => T,
  expect: Encoded | ErrorSpec,
  context: string,
  check: (result: T) => void,
): void {
  if (isErrorSpec(expect)) {
    assertRaises(fn, expect, context);
    return;
  }
  let result: T;
  try {
    result = fn();
  } catch (err) {
    throw new AssertionError({
      message: `${context}: expected ${show(decodeExpectation(expect))}, but it threw ${show(err)}`,
    });
  }
  check(result);
}

function decodeExpectation(expect: Encoded): unknown {
  return typeof expect === 'object' && 'size' in expect ? `size ${expect.size}` : decode(expect);
}

/**
 * Runs every check and collects the failures, so that one test reports every failing
 * case of its group instead of the first one; then fails with the whole list.
 */
export class FailureLog {
  readonly failures: string[] = [];
  checks = 0;

  run(check: () => void): void {
    this.checks++;
    try {
      check();
    } catch (err) {
      this.failures.push(err instanceof Error ? err.message : String(err));
    }
  }

  /** Fails (listing every failure) unless all checks passed. */
  assertClean(): void {
    if (this.failures.length > 0) {
      assert.fail(
        `${this.failures.length} of ${this.checks} checks failed:\n  ${this.failures.join('\n  ')}`,
      );
    }
  }
}
