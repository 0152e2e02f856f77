/**
 * The protocol layer against CPython 3.13's PEP 688, from the golden fixtures of
 * scripts/gen_protocol_fixtures.py: how request flags of every type convert, the flags
 * each consumer asks an exporter with (and that it releases once), and which values are
 * buffers at all.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  BUFFER,
  BufferError,
  type BufferInfo,
  ByteArray,
  Bytes,
  type Exporter,
  getBuffer,
  isBuffer,
  iterUnpack,
  MemoryView,
  memoryview,
  OverflowError,
  packInto,
  RELEASE,
  releaseBuffer,
  unpack,
  unpackFrom,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { reviveTagged } from './helpers/tagged.js';

type Outcome = { value: unknown } | { error: string; message: string };

interface Fixture {
  groups: {
    flags: { exporter: string; flags: unknown; expect: Outcome }[];
    consumers: { consumer: string; log: (string | number)[][]; expect: Outcome }[];
    buffers: { value: string; expect: boolean }[];
  };
}

/** `reviveTagged`, plus finite floats written as `{"$float": "1.5"}`. */
function revive(key: string, value: unknown): unknown {
  const tagged = value as { $float?: unknown } | null;
  if (tagged !== null && typeof tagged === 'object' && typeof tagged.$float === 'string') {
    const n = Number(tagged.$float);
    if (!Number.isNaN(n) && Number.isFinite(n)) return n;
  }
  return reviveTagged(key, value);
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/protocol/pep688.json', import.meta.url), 'utf8'),
  revive,
) as Fixture;

const ERRORS: Record<string, new (...args: never[]) => Error> = {
  BufferError,
  OverflowError,
  TypeError,
};

/** memview's counterparts of the exporters the fixtures ask. */
const EXPORTERS: Record<string, (() => unknown)[]> = {
  bytes: [() => new Bytes([97, 98, 99, 100])],
  bytearray: [() => new ByteArray([97, 98, 99, 100]), () => new Uint8Array([97, 98, 99, 100])],
  'memoryview(bytes)': [() => memoryview(new Bytes([97, 98, 99, 100]))],
  'memoryview(bytearray)': [() => memoryview(new ByteArray([97, 98, 99, 100]))],
};

describe('golden: __buffer__(flags) of every type and size (CPython 3.13)', () => {
  for (const { exporter, flags, expect } of fixture.groups.flags) {
    const shown = typeof flags === 'bigint' ? `${flags}n` : String(flags);
    test(`${exporter}.__buffer__(${shown})`, () => {
      for (const make of EXPORTERS[exporter]) {
        const obj = make();
        if ('error' in expect) {
          expectError(() => getBuffer(obj, flags as number), ERRORS[expect.error], expect.message);
        } else {
          const info = getBuffer(obj, flags as number);
          assert.equal(info.readonly, (expect.value as { readonly: boolean }).readonly);
          releaseBuffer(info);
        }
        if (obj instanceof ByteArray) {
          obj.append(0); // every export was given back: the length is free to change
          assert.equal(obj.length, 5);
        }
      }
    });
    test(`${exporter}[BUFFER](${shown}), called directly as __buffer__ is`, () => {
      const obj = EXPORTERS[exporter][0]() as Exporter;
      if ('error' in expect) {
        expectError(() => obj[BUFFER](flags as number), ERRORS[expect.error], expect.message);
      } else {
        const info = obj[BUFFER](flags as number) as BufferInfo;
        assert.equal(info.readonly, (expect.value as { readonly: boolean }).readonly);
        obj[RELEASE]?.(info);
      }
      if (obj instanceof MemoryView) {
        obj.release();
        assert.equal(obj.released, true, 'no export left held');
      }
    });
  }
});

/** An exporter that logs as the fixtures' Python class does. */
class Logged {
  readonly log: (string | number)[][] = [];
  readonly data = new ByteArray([1, 2, 3, 4]);
  [BUFFER](flags: number) {
    this.log.push(['buffer', flags]);
    return memoryview(this.data);
  }
  [RELEASE](view: unknown): void {
    this.log.push(['release']);
    (view as { release(): void }).release();
  }
}

/** memview's counterparts of the consumers the fixtures call. */
const CONSUMERS: Record<string, (x: Logged) => unknown> = {
  memoryview: (x) => memoryview(x).release(),
  bytes: (x) => new Bytes(x),
  bytearray: (x) => new ByteArray(x),
  'struct.unpack': (x) => unpack('4B', x),
  'struct.unpack_from': (x) => unpackFrom('B', x, 1),
  'struct.pack_into': (x) => packInto('B', x, 0, 1),
  'struct.iter_unpack': (x) => [...iterUnpack('B', x)],
  'memoryview.__eq__': (x) => memoryview(new ByteArray(4)).equals(x),
  'memoryview slice assignment': (x) => memoryview(new ByteArray(4)).assign(x),
  'bytearray.extend': (x) => new ByteArray().extend(x),
};

describe('golden: the flags each consumer asks with, and one release each (CPython 3.13)', () => {
  for (const { consumer, log, expect } of fixture.groups.consumers) {
    test(consumer, () => {
      assert.ok('value' in expect, 'every consumer succeeds');
      const x = new Logged();
      CONSUMERS[consumer](x);
      assert.deepEqual(x.log, log);
      x.data.append(5); // the view [BUFFER] made was released, so nothing holds the bytes
      assert.equal(x.data.length, 5);
    });
  }
});

/** memview's counterparts of the values the fixtures test with collections.abc.Buffer. */
const VALUES: Record<string, unknown> = {
  bytes: new Bytes([]),
  bytearray: new ByteArray([]),
  memoryview: memoryview(new Uint8Array(0)),
  str: '',
  list: [],
  int: 0,
  float: 0.5,
  NoneType: null,
  dict: {},
  'class with __buffer__': {
    [BUFFER]: (): BufferInfo => getBuffer(new Uint8Array(0)),
  },
  'class with __buffer__ = None': { [BUFFER]: null },
};

describe('golden: which values are buffers (collections.abc.Buffer, CPython 3.13)', () => {
  for (const { value, expect } of fixture.groups.buffers) {
    test(value, () => {
      assert.ok(value in VALUES, `no counterpart for ${value}`);
      assert.equal(isBuffer(VALUES[value]), expect);
    });
  }
});
