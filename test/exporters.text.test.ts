/**
 * Text decoding (`Bytes.decode`, `ByteArray.decode`, `BufferReader.readString`) against
 * CPython 3.13 (fixtures by scripts/gen_text_fixtures.py): codec lookup by Python's names,
 * decoded text, byte-order marks, and UnicodeDecodeError / LookupError messages.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  BufferReader,
  ByteArray,
  Bytes,
  getBuffer,
  LookupError,
  PyBUF,
  releaseBuffer,
  UnicodeDecodeError,
  ValueError,
} from '../src/index.js';
import { expectError } from './helpers/expect.js';
import { fromHex, toHex } from './helpers/fixtures.js';

/** A UnicodeDecodeError's attributes, its bytes as hex (as the fixtures write them). */
interface Fields {
  encoding: string;
  object: string;
  start: number;
  end: number;
  reason: string;
}
type Outcome = { value: unknown } | { error: string; message: string; fields?: Fields };
interface LookupCase {
  name: string;
  lookup: Outcome;
  decode: Outcome;
}
interface DecodeCase {
  codec: string;
  bytes: string;
  value?: string;
  error?: string;
  message?: string;
  fields?: Fields;
}
interface TableCase {
  codec: string;
  table: (number | null)[];
  error: Outcome | null;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/text/decode.json', import.meta.url), 'utf8'),
) as {
  groups: {
    lookup: LookupCase[];
    decode: DecodeCase[];
    tables: TableCase[];
    constructed: {
      args: [string, string, number, number, string];
      message: string;
      fields: Fields;
    }[];
  };
};

function fieldsOf(e: UnicodeDecodeError): Fields {
  const { encoding, start, end, reason } = e;
  return { encoding, object: toHex(e.object), start, end, reason };
}

/** The outcome of `fn` in the fixture's terms. */
function outcome(fn: () => string): Outcome {
  try {
    return { value: fn() };
  } catch (e) {
    const out = { error: (e as Error).name, message: (e as Error).message };
    return e instanceof UnicodeDecodeError ? { ...out, fields: fieldsOf(e) } : out;
  }
}

describe('decode against CPython', () => {
  test(`${fixture.groups.decode.length} byte strings decode (or fail) as CPython's do`, () => {
    for (const c of fixture.groups.decode) {
      const data = fromHex(c.bytes);
      const expected =
        c.error === undefined
          ? { value: c.value }
          : c.fields === undefined
            ? { error: c.error, message: c.message }
            : { error: c.error, message: c.message, fields: c.fields };
      const context = `${c.bytes}.decode('${c.codec}')`;
      assert.deepEqual(
        outcome(() => new Bytes(data).decode(c.codec)),
        expected,
        context,
      );
      assert.deepEqual(
        outcome(() => new ByteArray(data).decode(c.codec)),
        expected,
        context,
      );
      const reader = new BufferReader(new ByteArray(data));
      reader.skip(0);
      assert.deepEqual(
        outcome(() => reader.readString(data.length, c.codec)),
        expected,
        context,
      );
      // A failed read consumes nothing.
      assert.equal(reader.tell(), c.error === undefined ? data.length : 0, context);
      reader.release();
    }
  });

  test('codec names are looked up as Python looks them up', () => {
    let checked = 0;
    for (const c of fixture.groups.lookup) {
      const got = outcome(() => new Bytes([0x41]).decode(c.name));
      const d = c.decode;
      if ('error' in d && d.error === 'LookupError') {
        // Unknown to Python, or a bytes-to-bytes codec: CPython's own message.
        assert.deepEqual(got, d, c.name);
      } else if ('error' in got && got.error === 'LookupError') {
        // Python knows the codec; memview does not decode it, and says so.
        assert.match(
          got.message,
          /^encoding '.*' \(Python's \w+ codec\) is not available in memview$/,
          c.name,
        );
      } else {
        assert.deepEqual(got, d, c.name);
        checked++;
      }
    }
    assert.ok(checked > 100, `${checked} names decode`);
  });

  test('single-byte code pages match CPython byte for byte', () => {
    let decoded = 0;
    for (const c of fixture.groups.tables) {
      const probe = outcome(() => new Bytes([0x41]).decode(c.codec));
      if ('error' in probe) {
        // A codec this platform's TextDecoder lacks (Node has no iso-8859-16).
        assert.equal(probe.error, 'LookupError', c.codec);
        continue;
      }
      decoded++;
      checkTable(c, c.codec);
    }
    assert.ok(decoded >= 20, `${decoded} code pages decoded`);
  });
});

/** Every byte of a single-byte code page, decoded under the codec name `name`. */
function checkTable(c: TableCase, name: string): void {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let b = 0; b < 256; b++) {
    const got = outcome(() => new Bytes([b]).decode(name));
    const want = c.table[b];
    if (want === null) {
      assert.deepEqual(
        got,
        {
          error: 'UnicodeDecodeError',
          message: `'charmap' codec can't decode byte 0x${b.toString(16).padStart(2, '0')} in position 0: character maps to <undefined>`,
          fields: {
            encoding: 'charmap',
            object: b.toString(16).padStart(2, '0'),
            start: 0,
            end: 1,
            reason: 'character maps to <undefined>',
          },
        },
        `${c.codec} byte ${b}`,
      );
    } else {
      assert.deepEqual(got, { value: String.fromCharCode(want) }, `${c.codec} byte ${b}`);
    }
  }
  if (c.error !== null) {
    const bad = c.table.indexOf(null);
    assert.deepEqual(
      outcome(() => new Bytes([0x6f, 0x6b, bad]).decode(name)),
      c.error,
    );
  } else {
    assert.equal(new Bytes(all).decode(name).length, 256);
  }
}

describe("UnicodeDecodeError's attributes, as CPython's", () => {
  test('made directly: str() and attributes as CPython 3.13', () => {
    for (const c of fixture.groups.constructed) {
      const [encoding, hex, start, end, reason] = c.args;
      const e = new UnicodeDecodeError(encoding, fromHex(hex), start, end, reason);
      assert.equal(e.message, c.message, c.message);
      assert.equal(String(e), `UnicodeDecodeError: ${c.message}`);
      assert.deepEqual(fieldsOf(e), c.fields, c.message);
    }
  });

  test('object is a copy of the bytes decoded, not a view of the memory', () => {
    const ba = new ByteArray([0x61, 0x80, 0x62]);
    const reader = new BufferReader(ba);
    reader.skip(1);
    let error: unknown;
    try {
      reader.readString(2, 'ascii');
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof UnicodeDecodeError);
    assert.deepEqual(fieldsOf(error), {
      encoding: 'ascii',
      object: '8062',
      start: 0,
      end: 1,
      reason: 'ordinal not in range(128)',
    });
    reader.release();
    ba.set(1, 0x41);
    assert.deepEqual(error.object, Uint8Array.of(0x80, 0x62));
    assert.equal(Object.getPrototypeOf(error.object), Uint8Array.prototype);
  });
});

describe('decode: the cases of the issue', () => {
  test('a leading byte-order mark is text (U+FEFF), as in CPython', () => {
    const bom = [0xef, 0xbb, 0xbf, 0x41];
    assert.equal(new Bytes(bom).decode(), '\ufeffA');
    assert.equal(new ByteArray(bom).decode('utf-8'), '\ufeffA');
    assert.equal(new Bytes(bom).decode('utf-8-sig'), 'A');
    const reader = new BufferReader(new Uint8Array(bom));
    assert.equal(reader.readString(4), '\ufeffA');
    assert.equal(new Bytes([0xff, 0xfe, 0x41, 0]).decode('utf-16-le'), '\ufeffA');
    assert.equal(new Bytes([0xff, 0xfe, 0x41, 0]).decode('utf-16'), 'A');
  });

  test('ascii refuses bytes >= 0x80; errors are UnicodeDecodeError, a ValueError', () => {
    const ba = new ByteArray([0x61, 0x80]);
    expectError(
      () => ba.decode('ascii'),
      UnicodeDecodeError,
      "'ascii' codec can't decode byte 0x80 in position 1: ordinal not in range(128)",
    );
    assert.equal(ba.length, 2);
    assert.equal(ba.exports, 0);
    assert.ok(new UnicodeDecodeError('utf-8', new Uint8Array(1), 0, 1, 'x') instanceof ValueError);
    expectError(
      () => new Bytes([0xff]).decode(),
      UnicodeDecodeError,
      "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    );
  });

  test("Python's codec names; unknown ones are CPython's LookupError", () => {
    const data = new Bytes([0xe9]);
    for (const name of ['latin-1', 'Latin_1', 'L1', 'iso-8859-1', 'ISO8859-1', '8859']) {
      assert.equal(data.decode(name), '\u00e9', name);
    }
    assert.equal(new Bytes([0x41, 0]).decode('utf_16_le'), 'A');
    assert.equal(new Bytes([0x41]).decode('UTF8'), 'A');
    assert.equal(new Bytes([0x80]).decode('cp1252'), '\u20ac');
    expectError(() => data.decode('foo'), LookupError, 'unknown encoding: foo');
    expectError(
      () => data.decode('hex'),
      LookupError,
      "'hex' is not a text encoding; use codecs.decode() to handle arbitrary codecs",
    );
    expectError(
      () => data.decode('big5'),
      LookupError,
      "encoding 'big5' (Python's big5 codec) is not available in memview",
    );
    expectError(() => data.decode('utf-8\0'), ValueError, 'embedded null character');
    expectError(
      () => data.decode(5 as never),
      TypeError,
      "decode() argument 'encoding' must be str, not int",
    );
    const reader = new BufferReader(data);
    expectError(() => reader.readString(1, 'foo'), LookupError, 'unknown encoding: foo');
    assert.equal(reader.tell(), 0);
  });

  /** What `fn` hands to TextDecoder.prototype.decode. */
  function decoded(fn: () => void): ArrayBufferLike[] {
    const seen: ArrayBufferLike[] = [];
    const original = TextDecoder.prototype.decode;
    TextDecoder.prototype.decode = function (
      this: InstanceType<typeof TextDecoder>,
      input?: Uint8Array,
    ) {
      if (input !== undefined && ArrayBuffer.isView(input)) seen.push(input.buffer);
      return original.call(this, input);
    };
    try {
      fn();
    } finally {
      TextDecoder.prototype.decode = original;
    }
    return seen;
  }

  test("a ByteArray's own memory (a plain ArrayBuffer) is decoded without a copy", () => {
    const ba = new ByteArray([0x68, 0x69]);
    const info = getBuffer(ba, PyBUF.SIMPLE);
    const own = info.buffer;
    releaseBuffer(info);
    const seen = decoded(() => {
      assert.equal(ba.decode(), 'hi');
      assert.equal(ba.decode('utf-16-le'), '\u6968');
    });
    assert.deepEqual(seen, [own, own]);
  });

  test("a reader over the caller's resizable memory decodes through a non-resizable copy", () => {
    const buffer = new ArrayBuffer(2, { maxByteLength: 16 });
    new Uint8Array(buffer).set([0x68, 0x69]);
    const reader = new BufferReader(new Uint8Array(buffer));
    const seen = decoded(() => assert.equal(reader.readString(2), 'hi'));
    reader.release();
    assert.equal(seen.length, 1);
    assert.notEqual(seen[0], buffer);
    assert.equal((seen[0] as ArrayBuffer).resizable, false);
  });

  /** Runs `fn` with TextDecoder's table of `label` changed as `change` says. */
  function withPlatformTable(label: string, change: (table: string) => string, fn: () => void) {
    const original = TextDecoder.prototype.decode;
    TextDecoder.prototype.decode = function (
      this: InstanceType<typeof TextDecoder>,
      input?: Uint8Array,
    ) {
      const text = original.call(this, input);
      return this.encoding === label && text.length === 256 ? change(text) : text;
    };
    try {
      fn();
    } finally {
      TextDecoder.prototype.decode = original;
    }
  }

  test("a byte CPython leaves undefined is undefined whatever the platform's table maps", () => {
    // Newer ICU (and WHATWG) map cp1255's 0xCA to U+05BA; CPython 3.13 has no mapping.
    const cp1255 = fixture.groups.tables.find((c) => c.codec === 'cp1255') as TableCase;
    assert.equal(cp1255.table[0xca], null);
    withPlatformTable(
      'windows-1255',
      (t) => `${t.slice(0, 0xca)}\u05ba${t.slice(0xcb)}`,
      // A spelling of cp1255 no other test uses, so that its table is built here.
      () => checkTable(cp1255, 'WINDOWS-1255'),
    );
  });

  test("a platform table that maps a byte otherwise than CPython's makes the codec unavailable", () => {
    // Newer runtimes' koi8-u is KOI8-RU: 0xAE is U+045E where CPython's koi8_u has U+255D.
    const koi8u = fixture.groups.tables.find((c) => c.codec === 'koi8_u') as TableCase;
    assert.equal(koi8u.table[0xae], 0x255d);
    withPlatformTable(
      'koi8-u',
      (t) => `${t.slice(0, 0xae)}\u045e${t.slice(0xaf)}`,
      () =>
        expectError(
          () => new Bytes([0x41]).decode('KOI8-U'),
          LookupError,
          "encoding 'KOI8-U' (Python's koi8_u codec) is not available in memview",
        ),
    );
  });
});
