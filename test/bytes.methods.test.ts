/**
 * Python's bytes methods on Bytes, ByteArray and MemoryView('B'), and intFromBytes /
 * intToBytes, against CPython 3.13 (fixtures by scripts/gen_bytes_fixtures.py, whose
 * opening comment defines the encoding): results, and errors by class and exact message.
 * The search methods run on views that are contiguous, strided, reversed and 2-D.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  BUFFER,
  ByteArray,
  Bytes,
  getBuffer,
  intFromBytes,
  intToBytes,
  type MemoryView,
  memoryview,
  OverflowError,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { fromHex, toHex } from './helpers/fixtures.js';
import { seeded } from './helpers/random.js';

type Value =
  | number
  | boolean
  | null
  | { int: string }
  | { float: number }
  | { str: string }
  | { bytes: string }
  | { bytearray: string }
  | { strided: string }
  | { tuple: Value[] }
  | { list: Value[] };
type Outcome = Value | { error: string; message: string };

interface MethodCase {
  recv: string;
  method: string;
  args: Value[];
  expect: Outcome;
}
interface FromCase {
  source: Value;
  order: string | Value;
  signed: boolean;
  expect: Outcome;
}
interface ToCase {
  n: Value;
  length: Value;
  order: string | Value;
  signed: boolean;
  expect: Outcome;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/bytes/methods.json', import.meta.url), 'utf8'),
) as {
  groups: {
    search: MethodCase[];
    affix: MethodCase[];
    split: MethodCase[];
    strip: MethodCase[];
    join: MethodCase[];
    latin1: { text: string; expect: Outcome }[];
    from_bytes: FromCase[];
    to_bytes: ToCase[];
  };
};

/** Every other byte of a longer buffer: a view that is not contiguous. */
function strided(data: Uint8Array): MemoryView {
  const buf = new Uint8Array(2 * data.length).fill(0xee);
  for (let i = 0; i < data.length; i++) buf[2 * i] = data[i];
  return memoryview(buf).slice(null, null, 2);
}

/** The JavaScript argument an encoded value stands for. */
function arg(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ('int' in v) return BigInt(v.int);
  if ('float' in v) return v.float;
  if ('str' in v) return v.str;
  if ('bytes' in v) return new Bytes(fromHex(v.bytes));
  if ('bytearray' in v) return new ByteArray(fromHex(v.bytearray));
  if ('strided' in v) return strided(fromHex(v.strided));
  if ('tuple' in v) return v.tuple.map(arg);
  return v.list.map(arg);
}

/** A result in the fixture's terms; bytes must be of the class `bytesClass`. */
function encode(value: unknown, bytesClass: typeof Bytes | typeof ByteArray): unknown {
  if (value instanceof Bytes || value instanceof ByteArray) {
    assert.ok(value instanceof bytesClass, `expected a ${bytesClass.name}, got ${String(value)}`);
    return { bytes: toHex(value.toUint8Array()) };
  }
  if (typeof value === 'bigint') {
    return value > -(2n ** 53n) && value < 2n ** 53n ? Number(value) : { int: String(value) };
  }
  if (Array.isArray(value)) return value.map((x) => encode(x, bytesClass));
  return value;
}

function outcome(fn: () => unknown, bytesClass: typeof Bytes | typeof ByteArray): unknown {
  try {
    return encode(fn(), bytesClass);
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

/** The expectation, with tuples and lists both as arrays (as JavaScript returns them). */
function expected(v: Outcome): unknown {
  if (v === null || typeof v !== 'object' || 'error' in v || 'bytes' in v) return v;
  if ('tuple' in v) return v.tuple.map(expected);
  if ('list' in v) return v.list.map(expected);
  if ('int' in v) return v;
  throw new Error(`unexpected expectation ${JSON.stringify(v)}`);
}

const NAMES: Record<string, string> = { startswith: 'startsWith', endswith: 'endsWith' };

type Receiver = Record<string, (...args: unknown[]) => unknown>;

function call(recv: unknown, c: MethodCase): unknown {
  const method = NAMES[c.method] ?? c.method;
  const fn = (recv as Receiver)[method];
  return fn.apply(recv, c.args.map(arg));
}

/** The MemoryViews of `data`: contiguous, strided, reversed, and 2-D non-contiguous. */
function views(data: Uint8Array): [string, () => MemoryView][] {
  const all: [string, () => MemoryView][] = [
    ['contiguous', () => memoryview(data.slice())],
    ['strided', () => strided(data)],
    ['reversed', () => memoryview(data.slice().reverse()).slice(null, null, -1)],
  ];
  if (data.length > 1) {
    // Shape [n, 1], strides [2, 1]: searched through a C-order copy.
    const twoD = () =>
      memoryview(strided(data).obj as Uint8Array)
        .cast('B', [data.length, 2])
        .sub(null, [0, 1]);
    all.push(['2-D', twoD]);
  }
  return all;
}

function runMethods(cases: MethodCase[], onViews: boolean): void {
  for (const c of cases) {
    const data = fromHex(c.recv);
    const want = expected(c.expect);
    const context = `${c.recv}.${c.method}(${JSON.stringify(c.args)})`;
    assert.deepEqual(
      outcome(() => call(new Bytes(data), c), Bytes),
      want,
      `bytes ${context}`,
    );
    assert.deepEqual(
      outcome(() => call(new ByteArray(data), c), ByteArray),
      want,
      `bytearray ${context}`,
    );
    if (!onViews) continue;
    for (const [kind, make] of views(data)) {
      assert.deepEqual(
        outcome(() => call(make(), c), Bytes),
        want,
        `${kind} view ${context}`,
      );
    }
  }
}

describe('bytes methods against CPython', () => {
  const g = fixture.groups;
  test(`${g.search.length} find/rfind/index/rindex/count cases, on bytes, bytearray and views`, () => {
    runMethods(g.search, true);
  });
  test(`${g.affix.length} startswith/endswith cases, on bytes, bytearray and views`, () => {
    runMethods(g.affix, true);
  });
  test(`${g.split.length} split/rsplit/partition/rpartition cases`, () => {
    runMethods(g.split, false);
  });
  test(`${g.strip.length} strip/lstrip/rstrip cases`, () => {
    runMethods(g.strip, false);
  });
  test(`${g.join.length} join cases`, () => {
    runMethods(g.join, false);
  });
});

describe('latin-1 text', () => {
  test(`${fixture.groups.latin1.length} Bytes.fromLatin1 cases, and equals(text)`, () => {
    for (const c of fixture.groups.latin1) {
      assert.deepEqual(
        outcome(() => Bytes.fromLatin1(c.text), Bytes),
        c.expect,
        c.text,
      );
      const expect = c.expect as { bytes?: string };
      if (expect.bytes !== undefined) {
        const data = fromHex(expect.bytes);
        assert.equal(new Bytes(data).equals(c.text), true);
        assert.equal(new ByteArray(data).equals(c.text), true);
        assert.equal(new Bytes(data).equals(`${c.text}\0`), false);
      } else {
        // No bytes equal text that latin-1 cannot encode, not even its UTF-16 code units.
        const units = Uint8Array.from(c.text, (ch) => ch.charCodeAt(0) & 0xff);
        assert.equal(new Bytes(units).equals(c.text), false);
      }
    }
    expectError(
      () => Bytes.fromLatin1(5 as unknown as string),
      TypeError,
      "descriptor 'encode' for 'str' objects doesn't apply to a 'int' object",
    );
  });
});

function orderOf(order: string | Value): unknown {
  return typeof order === 'string' ? order : arg(order);
}

describe('intFromBytes and intToBytes against CPython', () => {
  test(`${fixture.groups.from_bytes.length} int.from_bytes cases`, () => {
    for (const c of fixture.groups.from_bytes) {
      const source = arg(c.source) as Uint8Array;
      const order = orderOf(c.order) as 'big';
      const got = outcome(() => intFromBytes(source, order, { signed: c.signed }), Bytes);
      assert.deepEqual(got, c.expect, JSON.stringify(c));
      // The number mode: the same value when it is a safe integer, else OverflowError.
      const n = outcome(
        () => intFromBytes(source, order, { signed: c.signed, int64: 'number' }),
        Bytes,
      );
      if (typeof c.expect === 'number' && Number.isSafeInteger(c.expect)) {
        assert.equal(n, c.expect, JSON.stringify(c));
      } else if (c.expect !== null && typeof c.expect === 'object' && 'int' in c.expect) {
        assert.deepEqual(n, {
          error: 'OverflowError',
          message: `int too large to convert to number: ${c.expect.int} (int64: 'number' holds integers up to ±2**53 - 1)`,
        });
      } else {
        assert.deepEqual(n, c.expect, JSON.stringify(c));
      }
    }
  });

  test(`${fixture.groups.to_bytes.length} int.to_bytes cases`, () => {
    for (const c of fixture.groups.to_bytes) {
      const n = arg(c.n) as bigint;
      const got = outcome(
        () =>
          intToBytes(n, arg(c.length) as number, orderOf(c.order) as 'big', { signed: c.signed }),
        Bytes,
      );
      assert.deepEqual(got, c.expect, JSON.stringify(c));
      // A safe-integer number gives what its bigint gives.
      if (typeof n === 'bigint' && n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n) {
        const again = outcome(
          () =>
            intToBytes(Number(n), arg(c.length) as number, orderOf(c.order) as 'big', {
              signed: c.signed,
            }),
          Bytes,
        );
        assert.deepEqual(again, c.expect, JSON.stringify(c));
      }
    }
  });

  test('the number mode is exact at ±(2**53 - 1) and refuses beyond', () => {
    const max = intToBytes(2n ** 53n - 1n, 8, 'little', { signed: true });
    assert.equal(intFromBytes(max, 'little', { signed: true, int64: 'number' }), 2 ** 53 - 1);
    const min = intToBytes(-(2n ** 53n) + 1n, 7, 'big', { signed: true });
    assert.equal(intFromBytes(min, 'big', { signed: true, int64: 'number' }), -(2 ** 53) + 1);
    expectError(
      () => intFromBytes(intToBytes(2n ** 53n, 7), 'big', { int64: 'number' }),
      OverflowError,
      "int too large to convert to number: 9007199254740992 (int64: 'number' holds integers up to ±2**53 - 1)",
    );
  });
});

/** Python's find/rfind/count over `[s:e]`, written the slow obvious way. */
function naive(h: Uint8Array, n: Uint8Array, dir: 'find' | 'rfind' | 'count'): number {
  const at = (i: number) => n.every((b, k) => h[i + k] === b);
  if (dir === 'find') {
    for (let i = 0; i + n.length <= h.length; i++) if (at(i)) return i;
    return -1;
  }
  if (dir === 'rfind') {
    for (let i = h.length - n.length; i >= 0; i--) if (at(i)) return i;
    return -1;
  }
  let c = 0;
  for (let i = 0; i + n.length <= h.length; ) {
    if (at(i)) {
      c++;
      i += n.length;
    } else i++;
  }
  return c;
}

describe('search on long and repetitive inputs', () => {
  test('find, rfind and count agree with a naive search where candidate checks get costly', () => {
    const rnd = seeded(688);
    for (let round = 0; round < 300; round++) {
      const alphabet = rnd.pick([1, 2, 3, 256]);
      const size = rnd.chance(0.3) ? rnd.intIn(1024, 3000) : rnd.intIn(0, 400);
      const h = Uint8Array.from({ length: size }, () => rnd.intBelow(alphabet));
      // Mostly-equal needles make the candidate checks long, so the KMP fallback runs.
      const m = rnd.chance(0.3) ? 1 : rnd.intIn(1, 40);
      const n = Uint8Array.from({ length: m }, () =>
        rnd.chance(0.9) ? 0 : rnd.intBelow(alphabet),
      );
      // Sometimes planted (once or twice), so that rare needles are found too.
      for (let k = rnd.intIn(0, 2); k > 0 && h.length >= m; k--)
        h.set(n, rnd.intIn(0, h.length - m));
      for (const dir of ['find', 'rfind', 'count'] as const) {
        const want = naive(h, n, dir);
        assert.equal(new Bytes(h)[dir](n), want, `${dir} ${toHex(n)} in ${toHex(h)}`);
        assert.equal(strided(h)[dir](n), want, `strided ${dir}`);
        const r = memoryview(h.slice().reverse()).slice(null, null, -1);
        assert.equal(r[dir](n), want, `reversed ${dir}`);
        // At every alignment (count reads a byte needle four bytes at a time).
        const off = round % 4;
        const padded = new Uint8Array(h.length + 4);
        padded.set(h, off);
        assert.equal(memoryview(padded.subarray(off, off + h.length))[dir](n), want, `at ${off}`);
      }
    }
  });

  test('a needle that almost matches everywhere is found in linear time', () => {
    const h = new Uint8Array(1 << 20).fill(0x61);
    const n = new Uint8Array(4096).fill(0x61);
    n[n.length - 1] = 0x62;
    h[h.length - 1] = 0x62;
    // Quadratic checking would compare ~4e9 bytes here; each call must return at once.
    assert.equal(new Bytes(h).find(n), h.length - n.length);
    assert.equal(new Bytes(h).rfind(n), h.length - n.length);
    assert.equal(new Bytes(h).count(n), 1);
    const m = n.slice();
    m[0] = 0x62;
    m[m.length - 1] = 0x61;
    h[h.length - 1] = 0x61;
    h[0] = 0x62;
    assert.equal(new Bytes(h).rfind(m), 0);
    assert.equal(new Bytes(h).find(m), 0);
  });

  test('the search methods need a view of format B', () => {
    const m = memoryview(new Uint16Array(4));
    expectError(() => m.find(0), TypeError, "memoryview: find() needs format 'B', not 'H'");
    expectError(
      () => m.cast('b').startsWith(new Uint8Array(0)),
      TypeError,
      "memoryview: startsWith() needs format 'B', not 'b'",
    );
    const released = memoryview(new Uint8Array(4));
    released.release();
    expectError(
      () => released.count(0),
      ValueError,
      'operation forbidden on released memoryview object',
    );
  });

  test('arguments are converted before the bytes are read: an exporter that resizes', () => {
    const ba = new ByteArray(new TextEncoder().encode('abcabc'));
    const sneaky = {
      [BUFFER](flags: number) {
        ba.extend(new TextEncoder().encode('xyz'));
        return getBuffer(new Uint8Array([0x78, 0x79, 0x7a]), flags);
      },
    };
    assert.equal(ba.find(sneaky), 6);
  });
});
