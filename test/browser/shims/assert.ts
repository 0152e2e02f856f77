/**
 * `node:assert/strict` for the browser suite: the functions the suite uses, with Node's
 * strict semantics (Object.is for primitives; deep equality that compares prototypes,
 * own enumerable keys, TypedArray and ArrayBuffer bytes, Map and Set contents).
 */

/** Node's AssertionError, as far as the suite looks at it. */
export class AssertionError extends Error {
  override name = 'AssertionError';
  code = 'ERR_ASSERTION';
  actual: unknown;
  expected: unknown;
  operator: string | undefined;
  generatedMessage: boolean;

  constructor(options: {
    message?: string;
    actual?: unknown;
    expected?: unknown;
    operator?: string;
  }) {
    super(
      options.message ??
        `${show(options.actual)} ${options.operator ?? '=='} ${show(options.expected)}`,
    );
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
    this.generatedMessage = options.message === undefined;
  }
}

type Message = string | Error | undefined;

function raise(
  message: Message,
  fallback: string,
  actual?: unknown,
  expected?: unknown,
  operator?: string,
): never {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message ?? fallback, actual, expected, operator });
}

/** A short description of a value for failure messages. */
function show(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (depth > 2) return '[…]';
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number | bigint>, (x) => show(x));
    return `${value.constructor.name}(${items.length}) [${items.slice(0, 32).join(', ')}${items.length > 32 ? ', …' : ''}]`;
  }
  if (Array.isArray(value)) return `[${value.map((x) => show(x, depth + 1)).join(', ')}]`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${show(v, depth + 1)}`);
  return `${value.constructor?.name ?? 'Object'} { ${entries.join(', ')} }`;
}

function bytesOf(x: ArrayBufferView | ArrayBufferLike): Uint8Array {
  return ArrayBuffer.isView(x)
    ? new Uint8Array(x.buffer, x.byteOffset, x.byteLength)
    : new Uint8Array(x);
}

function ownKeys(o: object): PropertyKey[] {
  return Reflect.ownKeys(o).filter((k) => Object.prototype.propertyIsEnumerable.call(o, k));
}

function isPrimitive(x: unknown): boolean {
  return x === null || (typeof x !== 'object' && typeof x !== 'function');
}

/** Node's isDeepStrictEqual, for the kinds of value the suite compares. */
export function isDeepStrictEqual(
  a: unknown,
  b: unknown,
  seen = new Map<object, object>(),
): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (ArrayBuffer.isView(a) || a instanceof ArrayBuffer || tag === '[object SharedArrayBuffer]') {
    const x = bytesOf(a as ArrayBufferView);
    const y = bytesOf(b as ArrayBufferView);
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    if (ArrayBuffer.isView(a))
      return sameKeys(a, b, seen, (k) => typeof k === 'string' && /^\d+$/.test(k));
    return true;
  }
  if (a instanceof Date)
    return Object.is(a.getTime(), (b as Date).getTime()) && sameKeys(a, b, seen);
  if (a instanceof RegExp) {
    const r = b as RegExp;
    return (
      a.source === r.source &&
      a.flags === r.flags &&
      a.lastIndex === r.lastIndex &&
      sameKeys(a, b, seen)
    );
  }
  if (a instanceof Error) {
    const e = b as Error;
    if (a.message !== e.message || a.name !== e.name) return false;
  }
  if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt) {
    if (!Object.is(a.valueOf(), (b as { valueOf(): unknown }).valueOf())) return false;
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    const unmatched = [...m].filter(([k]) => !isPrimitive(k));
    for (const [k, v] of a) {
      if (isPrimitive(k)) {
        if (!m.has(k) || !isDeepStrictEqual(v, m.get(k), seen)) return false;
        continue;
      }
      const i = unmatched.findIndex(
        ([k2, v2]) => isDeepStrictEqual(k, k2, seen) && isDeepStrictEqual(v, v2, seen),
      );
      if (i < 0) return false;
      unmatched.splice(i, 1);
    }
  } else if (a instanceof Set) {
    const s = b as Set<unknown>;
    if (a.size !== s.size) return false;
    const unmatched = [...s].filter((k) => !isPrimitive(k));
    for (const k of a) {
      if (isPrimitive(k)) {
        if (!s.has(k)) return false;
        continue;
      }
      const i = unmatched.findIndex((k2) => isDeepStrictEqual(k, k2, seen));
      if (i < 0) return false;
      unmatched.splice(i, 1);
    }
  }
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  return sameKeys(a, b, seen);
}

function sameKeys(
  a: object,
  b: object,
  seen: Map<object, object>,
  ignore?: (k: PropertyKey) => boolean,
): boolean {
  const ka = ownKeys(a).filter((k) => !ignore?.(k));
  const kb = ownKeys(b).filter((k) => !ignore?.(k));
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (
      !isDeepStrictEqual(
        (a as Record<PropertyKey, unknown>)[k],
        (b as Record<PropertyKey, unknown>)[k],
        seen,
      )
    ) {
      return false;
    }
  }
  return true;
}

function ok(value: unknown, message?: Message): asserts value {
  if (!value)
    raise(
      message,
      `The expression evaluated to a falsy value:\n\n  assert.ok(${show(value)})\n`,
      value,
      true,
      '==',
    );
}

function equal(actual: unknown, expected: unknown, message?: Message): void {
  if (!Object.is(actual, expected)) {
    raise(
      message,
      `Expected values to be strictly equal:\n\n${show(actual)} !== ${show(expected)}\n`,
      actual,
      expected,
      'strictEqual',
    );
  }
}

function notEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (Object.is(actual, expected)) {
    raise(
      message,
      `Expected "actual" to be strictly unequal to: ${show(expected)}`,
      actual,
      expected,
      'notStrictEqual',
    );
  }
}

function deepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!isDeepStrictEqual(actual, expected)) {
    raise(
      message,
      `Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ ${show(actual)}\n- ${show(expected)}\n`,
      actual,
      expected,
      'deepStrictEqual',
    );
  }
}

function notDeepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (isDeepStrictEqual(actual, expected)) {
    raise(
      message,
      `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`,
      actual,
      expected,
      'notDeepStrictEqual',
    );
  }
}

function fail(message?: Message): never {
  raise(message, 'Failed', undefined, undefined, 'fail');
}

function match(value: unknown, pattern: RegExp, message?: Message): void {
  if (typeof value !== 'string' || !pattern.test(value)) {
    raise(
      message,
      `The input did not match the regular expression ${pattern}. Input:\n\n${show(value)}\n`,
      value,
      pattern,
      'match',
    );
  }
}

function doesNotMatch(value: unknown, pattern: RegExp, message?: Message): void {
  if (typeof value !== 'string' || pattern.test(value)) {
    raise(
      message,
      `The input was expected to not match the regular expression ${pattern}. Input:\n\n${show(value)}\n`,
      value,
      pattern,
      'doesNotMatch',
    );
  }
}

type Expected = RegExp | (new (...args: never[]) => unknown) | ((e: unknown) => boolean) | object;

/** Node's rules for the `error` argument of throws/rejects. */
function check(
  error: unknown,
  expected: Expected | undefined,
  message: Message,
  operator: string,
): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(error))) {
      raise(
        message,
        `The error message did not match the regular expression ${expected}: ${show(error)}`,
        error,
        expected,
        operator,
      );
    }
    return;
  }
  if (typeof expected === 'function') {
    const fn = expected as { prototype?: unknown };
    if (fn.prototype !== undefined && error instanceof (expected as new () => unknown)) return;
    if (Object.prototype.isPrototypeOf.call(Error, expected)) {
      raise(
        message,
        `The error is expected to be an instance of "${(expected as { name: string }).name}". Received ${show(error)}`,
        error,
        expected,
        operator,
      );
    }
    if ((expected as (e: unknown) => boolean)(error) !== true) {
      raise(
        message,
        `The validation function is expected to return "true". Received ${show(error)}`,
        error,
        expected,
        operator,
      );
    }
    return;
  }
  for (const key of Object.keys(expected)) {
    const want = (expected as Record<string, unknown>)[key];
    const got = (error as Record<string, unknown>)[key];
    const same =
      want instanceof RegExp && typeof got === 'string'
        ? want.test(got)
        : isDeepStrictEqual(got, want);
    if (!same)
      raise(
        message,
        `Expected error.${key} to be ${show(want)}, got ${show(got)}`,
        error,
        expected,
        operator,
      );
  }
}

function throws(fn: () => unknown, expected?: Expected | string, message?: Message): void {
  if (typeof expected === 'string') [message, expected] = [expected, undefined];
  try {
    fn();
  } catch (error) {
    check(error, expected, message, 'throws');
    return;
  }
  raise(message, 'Missing expected exception.', undefined, expected, 'throws');
}

async function rejects(
  promise: Promise<unknown> | (() => Promise<unknown>),
  expected?: Expected | string,
  message?: Message,
): Promise<void> {
  if (typeof expected === 'string') [message, expected] = [expected, undefined];
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    check(error, expected, message, 'rejects');
    return;
  }
  raise(message, 'Missing expected rejection.', undefined, expected, 'rejects');
}

/** The strict assert object, callable as `assert(value)`. */
const assert = Object.assign((value: unknown, message?: Message) => ok(value, message), {
  AssertionError,
  ok,
  equal,
  strictEqual: equal,
  notEqual,
  notStrictEqual: notEqual,
  deepEqual,
  deepStrictEqual: deepEqual,
  notDeepEqual,
  notDeepStrictEqual: notDeepEqual,
  fail,
  match,
  doesNotMatch,
  throws,
  rejects,
});

export default assert;
export {
  deepEqual,
  deepEqual as deepStrictEqual,
  doesNotMatch,
  equal,
  equal as strictEqual,
  fail,
  match,
  notDeepEqual,
  notEqual,
  ok,
  rejects,
  throws,
};
export const strict = assert;
