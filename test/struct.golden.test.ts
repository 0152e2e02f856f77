/**
 * Golden tests: memview's struct against the answers CPython 3.13 gave, recorded in
 * test/fixtures/struct/*.json by scripts/gen_struct_fixtures.py (`npm run fixtures`).
 *
 * Every case runs through the module function and through a Struct object, and every
 * buffer argument is tried in several JavaScript shapes (a Uint8Array, a subarray at an
 * offset of a larger buffer, an ArrayBuffer, a DataView, a Node Buffer): CPython saw
 * one `bytes`, so all of them must give its answer. Each test covers one fixture group and
 * reports every failing case of the group.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  calcsize,
  iterUnpack,
  pack,
  packInto,
  Struct,
  type StructIterator,
  unpack,
  unpackFrom,
} from '../src/index.js';
import {
  assertRaises,
  assertSame,
  assertSize,
  decode,
  type EachCase,
  type Encoded,
  type ErrorSpec,
  expectOutcome,
  FailureLog,
  type Fixture,
  type FixtureCase,
  fromHex,
  isErrorSpec,
  parseFixture,
  type StructAttributes,
  show,
  toHex,
} from './helpers/fixtures.js';

// Compiled to dist/test/, so the sources' fixtures are two levels up (never read from dist).
const FIXTURES = new URL('../../test/fixtures/struct/', import.meta.url);
const FILES = [
  'grammar.json',
  'ints.json',
  'floats.json',
  'half.json',
  'values.json',
  'unpack.json',
  'buffers.json',
];

// Loosely typed views of the API: the fixtures pass any values, in any number.
type Loose<R> = (...args: unknown[]) => R;
const calcsizeL = calcsize as Loose<number>;
const packL = pack as Loose<Uint8Array>;
const packIntoL = packInto as Loose<void>;
const unpackL = unpack as Loose<unknown[]>;
const unpackFromL = unpackFrom as Loose<unknown[]>;
const iterUnpackL = iterUnpack as Loose<StructIterator<unknown[]>>;

interface LooseStruct {
  format: string;
  size: number;
  pack: Loose<Uint8Array>;
  packInto: Loose<void>;
  unpack: Loose<unknown[]>;
  unpackFrom: Loose<unknown[]>;
  iterUnpack: Loose<StructIterator<unknown[]>>;
  toString(): string;
}
const newStruct = (fmt: unknown): LooseStruct =>
  new Struct(fmt as string) as unknown as LooseStruct;

/** One way of making a call: the module function, or a method of a Struct. */
interface Api {
  readonly name: string;
  calcsize(fmt: unknown): number;
  pack(fmt: unknown, args: unknown[]): Uint8Array;
  packInto(fmt: unknown, args: unknown[]): void;
  unpack(fmt: unknown, buffer: unknown): unknown[];
  unpackFrom(fmt: unknown, args: unknown[]): unknown[];
  iterUnpack(fmt: unknown, buffer: unknown): StructIterator<unknown[]>;
}

const NO_FORMAT = Symbol('no format argument');

const MODULE: Api = {
  name: 'module',
  calcsize: (fmt) => calcsizeL(fmt),
  pack: (fmt, args) => (fmt === NO_FORMAT ? packL(...args) : packL(fmt, ...args)),
  packInto: (fmt, args) => (fmt === NO_FORMAT ? packIntoL(...args) : packIntoL(fmt, ...args)),
  unpack: (fmt, buffer) => unpackL(fmt, buffer),
  unpackFrom: (fmt, args) => unpackFromL(fmt, ...args),
  iterUnpack: (fmt, buffer) => iterUnpackL(fmt, buffer),
};

const STRUCT: Api = {
  name: 'Struct',
  calcsize: (fmt) => newStruct(fmt).size,
  pack: (fmt, args) => newStruct(fmt).pack(...args),
  packInto: (fmt, args) => newStruct(fmt).packInto(...args),
  unpack: (fmt, buffer) => newStruct(fmt).unpack(buffer),
  unpackFrom: (fmt, args) => newStruct(fmt).unpackFrom(...args),
  iterUnpack: (fmt, buffer) => newStruct(fmt).iterUnpack(buffer),
};

/** The same bytes in the JavaScript shapes a reader accepts. */
function readShapes(bytes: Uint8Array): [string, unknown][] {
  const big = new Uint8Array(bytes.length + 11).fill(0xee);
  big.set(bytes, 5);
  const sub = big.subarray(5, 5 + bytes.length);
  return [
    ['Uint8Array', bytes.slice()],
    ['subarray', sub],
    ['ArrayBuffer', bytes.slice().buffer],
    ['DataView', new DataView(big.buffer, 5, bytes.length)],
    ['Buffer', Buffer.from(bytes)],
  ];
}

/** A writable target holding `bytes`, and a function that reads back what it holds. */
interface WriteShape {
  name: string;
  target: unknown;
  contents(): Uint8Array;
  /** Checks the bytes around the target are untouched; '' when they are. */
  outside(): string;
}

function writeShapes(bytes: Uint8Array): WriteShape[] {
  const plain = bytes.slice();
  const SENTINEL = 0x5c;
  const big = new Uint8Array(bytes.length + 13).fill(SENTINEL);
  big.set(bytes, 6);
  const sub = big.subarray(6, 6 + bytes.length);
  const ab = bytes.slice().buffer;
  const untouched = () => {
    for (let i = 0; i < big.length; i++) {
      if ((i < 6 || i >= 6 + bytes.length) && big[i] !== SENTINEL) {
        return `byte ${i - 6} outside the target was written`;
      }
    }
    return '';
  };
  return [
    { name: 'Uint8Array', target: plain, contents: () => plain, outside: () => '' },
    { name: 'subarray', target: sub, contents: () => sub, outside: untouched },
    {
      name: 'ArrayBuffer',
      target: ab,
      contents: () => new Uint8Array(ab),
      outside: () => '',
    },
  ];
}

function describeCase(c: FixtureCase): string {
  const parts: string[] = [c.op];
  if ('fmt' in c) parts.push(`fmt=${JSON.stringify(c.fmt)}`);
  else parts.push('(no format)');
  if (c.args !== undefined) parts.push(`args=${JSON.stringify(c.args)}`);
  if (c.buffer !== undefined) parts.push(`buffer=${JSON.stringify(c.buffer)}`);
  if (c.alt) parts.push('(alt representation)');
  if (c.deviation)
    parts.push(`(deviation ${c.deviation}; CPython 3.13.0: ${JSON.stringify(c.cpython)})`);
  return parts.join(' ');
}

function formatOf(c: FixtureCase): unknown {
  return c.fmt === undefined ? NO_FORMAT : decode(c.fmt);
}

function expectOf(c: FixtureCase): Encoded | ErrorSpec {
  return c.expect as Encoded | ErrorSpec;
}

function runCase(c: FixtureCase, log: FailureLog): void {
  const what = describeCase(c);
  // Without a format argument there is no Struct to build.
  const apis = c.fmt === undefined ? [MODULE] : [MODULE, STRUCT];
  for (const api of apis) {
    const ctx = `${what} [${api.name}]`;
    switch (c.op) {
      case 'calcsize':
        log.run(() =>
          expectOutcome(
            () => api.calcsize(formatOf(c)),
            expectOf(c),
            ctx,
            (size) => assertSize(size, c.expect as number | { size: string }, ctx),
          ),
        );
        break;
      case 'struct':
        if (api === STRUCT) runStructAttributes(c, ctx, log);
        break;
      case 'pack':
        runPack(api, c, ctx, log);
        break;
      case 'unpack':
        runUnpack(api, c, ctx, log);
        break;
      case 'unpack_from':
        runUnpackFrom(api, c, ctx, log);
        break;
      case 'pack_into':
        runPackInto(api, c, ctx, log);
        break;
      case 'iter_unpack':
        runIterUnpack(api, c, ctx, log);
        break;
      default:
        throw new Error(`unknown op ${(c as FixtureCase).op}`);
    }
  }
}

function runStructAttributes(c: FixtureCase, ctx: string, log: FailureLog): void {
  const expect = c.expect as StructAttributes | ErrorSpec;
  if (isErrorSpec(expect)) {
    log.run(() => assertRaises(() => newStruct(formatOf(c)), expect, ctx));
    return;
  }
  log.run(() => {
    const s = newStruct(formatOf(c));
    assertSame(s.format, expect.format, `${ctx} .format`);
    assertSize(s.size, expect.size, `${ctx} .size`);
    assertSame(s.toString(), expect.repr, `${ctx} toString()`);
    assertSame(String(s), expect.repr, `${ctx} String()`);
  });
}

function runPack(api: Api, c: FixtureCase, ctx: string, log: FailureLog): void {
  const fmt = formatOf(c);
  log.run(() =>
    expectOutcome(
      () => api.pack(fmt, (c.args ?? []).map(decode)),
      expectOf(c),
      ctx,
      (bytes) => assertSame(bytes, decode(c.expect as Encoded), ctx),
    ),
  );
  if (c.unpacked !== undefined) {
    const packed = decode(c.expect as Encoded);
    const expected = decode(c.unpacked);
    log.run(() => {
      const back = api.unpack(fmt, packed);
      assertSame(back, expected, `${ctx} unpack(packed)`);
    });
  }
}

function bufferShapes(buffer: unknown): [string, unknown][] {
  return buffer instanceof Uint8Array ? readShapes(buffer) : [['as is', buffer]];
}

function runUnpack(api: Api, c: FixtureCase, ctx: string, log: FailureLog): void {
  const fmt = formatOf(c);
  for (const [shape, buffer] of bufferShapes(decode(c.buffer as Encoded))) {
    const where = `${ctx} <${shape}>`;
    log.run(() =>
      expectOutcome(
        () => api.unpack(fmt, buffer),
        expectOf(c),
        where,
        (values) => assertSame(values, decode(c.expect as Encoded), where),
      ),
    );
  }
}

function runUnpackFrom(api: Api, c: FixtureCase, ctx: string, log: FailureLog): void {
  const fmt = formatOf(c);
  const [first, ...rest] = (c.args ?? []).map(decode);
  for (const [shape, buffer] of bufferShapes(first)) {
    const where = `${ctx} <${shape}>`;
    log.run(() =>
      expectOutcome(
        () => api.unpackFrom(fmt, [buffer, ...rest]),
        expectOf(c),
        where,
        (values) => assertSame(values, decode(c.expect as Encoded), where),
      ),
    );
  }
}

function runPackInto(api: Api, c: FixtureCase, ctx: string, log: FailureLog): void {
  const fmt = formatOf(c);
  const args = (c.args ?? []).map(decode);
  const first = args[0];
  if (!(first instanceof Uint8Array)) {
    log.run(() =>
      expectOutcome(
        () => api.packInto(fmt, args),
        expectOf(c),
        ctx,
        (result) => assertSame(result, undefined, ctx),
      ),
    );
    return;
  }
  const after = decode(c.after as Encoded);
  for (const shape of writeShapes(first)) {
    const where = `${ctx} <${shape.name}>`;
    log.run(() => {
      let failure: unknown;
      try {
        expectOutcome(
          () => api.packInto(fmt, [shape.target, ...args.slice(1)]),
          expectOf(c),
          where,
          (result) => assertSame(result, undefined, where),
        );
      } catch (err) {
        failure = err;
      }
      // The buffer is checked whatever happened: CPython's partial writes are part of
      // the answer.
      assertSame(shape.contents(), after, `${where} buffer afterwards`);
      const outside = shape.outside();
      assert.equal(outside, '', `${where}: ${outside}`);
      if (failure !== undefined) throw failure;
    });
  }
}

function runIterUnpack(api: Api, c: FixtureCase, ctx: string, log: FailureLog): void {
  const fmt = formatOf(c);
  for (const [shape, buffer] of bufferShapes(decode(c.buffer as Encoded))) {
    const where = `${ctx} <${shape}>`;
    log.run(() =>
      // Errors come from the call itself, before any iteration, as in CPython.
      expectOutcome(
        () => api.iterUnpack(fmt, buffer),
        expectOf(c),
        where,
        (it) => {
          const hints = [it.lengthHint()];
          const records: unknown[] = [];
          for (;;) {
            const step = it.next();
            if (step.done) break;
            records.push(step.value);
            hints.push(it.lengthHint());
          }
          assert.equal(it.next().done, true, `${where}: next() after the end`);
          hints.push(it.lengthHint());
          assertSame(records, decode(c.expect as Encoded), `${where} records`);
          assertSame(hints, c.hints, `${where} lengthHint() sequence`);
          assertSame(
            [...api.iterUnpack(fmt, buffer)],
            records,
            `${where} spread of a fresh iterator`,
          );
        },
      ),
    );
  }
}

function runEach(c: EachCase, log: FailureLog): void {
  const s = newStruct(c.fmt);
  const bytes = fromHex(c.buffer.bytes);
  const values = c.expect.list.map(decode);
  const size = s.size;
  assert.equal(bytes.length, size * values.length, 'fixture: buffer and value count agree');
  for (let i = 0; i < values.length; i++) {
    const record = bytes.subarray(i * size, (i + 1) * size);
    const expected = values[i];
    const ctx = `unpack_each fmt=${JSON.stringify(c.fmt)} record ${i} <${toHex(record)}>`;
    log.run(() => assertSame(s.unpack(record), [expected], `${ctx} unpack`));
    if (c.repack && !Number.isNaN(expected)) {
      log.run(() =>
        assertSame(toHex(s.pack(expected)), toHex(record), `${ctx} pack(${show(expected)})`),
      );
    }
  }
  log.run(() =>
    assertSame(
      [...s.iterUnpack(bytes)].map((r) => r[0]),
      values,
      `unpack_each fmt=${JSON.stringify(c.fmt)} via iterUnpack`,
    ),
  );
}

function loadFixture(name: string): Fixture {
  return parseFixture(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

for (const file of FILES) {
  const fixture = loadFixture(file);
  describe(`struct golden ${file}: ${fixture.about}`, () => {
    it('was generated by CPython 3.13', () => {
      assert.match(fixture.python, /^3\.13\./);
    });
    for (const [group, cases] of Object.entries(fixture.groups)) {
      it(`${group} (${cases.length} cases)`, () => {
        assert.ok(cases.length > 0, 'a group has cases');
        const log = new FailureLog();
        for (const c of cases) {
          if (c.op === 'unpack_each') runEach(c, log);
          else runCase(c, log);
        }
        log.assertClean();
      });
    }
  });
}
