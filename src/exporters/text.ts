/**
 * `bytes.decode(encoding)` as CPython 3.13 does it, for `Bytes`, `ByteArray` and
 * `BufferReader.readString`: Python's codec names (looked up and normalised as
 * `codecs.lookup` does), strict decoding, and CPython's `UnicodeDecodeError` messages with
 * the position and reason CPython computes.
 *
 * Codecs decoded: utf-8, utf-8-sig, utf-16 (byte-order mark sniffed), utf-16-le,
 * utf-16-be, ascii, latin-1, and the single-byte code pages the platform's TextDecoder has
 * (windows-125x, iso8859-x, koi8, mac-roman, mac-cyrillic), whose tables are checked
 * against CPython's (generated into codecnames.ts): the bytes CPython leaves undefined are
 * undefined whatever the platform's table says, and a table that still differs makes the
 * codec unavailable (LookupError) rather than decode other text. Another Python codec is a
 * LookupError that says memview does not have it; a name Python does not know is
 * CPython's "unknown encoding".
 *
 * A byte-order mark is text like any other (U+FEFF), except where the codec itself strips
 * it (utf-8-sig, utf-16). Bytes handed to TextDecoder are never a view of a resizable or
 * shared ArrayBuffer: browsers' TextDecoder refuses those, so such bytes are copied first.
 */

import { LookupError, pyTypeName, UnicodeDecodeError, ValueError } from '../errors.js';
import { BYTES_CODECS, CODE_PAGES, CODEC_ALIASES, TEXT_CODECS } from './codecnames.js';

/** How a codec decodes. */
type Kind = 'utf8' | 'utf8sig' | 'utf16' | 'utf16le' | 'utf16be' | 'ascii' | 'latin1' | 'table';

interface Codec {
  readonly kind: Kind;
  /** A single-byte codec's table: byte -> UTF-16 code unit, -1 where undefined. */
  readonly table?: Int32Array;
}

const BUILTIN: Readonly<Record<string, Kind>> = {
  utf_8: 'utf8',
  utf_8_sig: 'utf8sig',
  utf_16: 'utf16',
  utf_16_le: 'utf16le',
  utf_16_be: 'utf16be',
  ascii: 'ascii',
  latin_1: 'latin1',
};

/**
 * Python's single-byte codecs and the WHATWG label of the same table (cp1253, cp874 and
 * cp866 are left out: their WHATWG tables differ from Python's).
 */
const SINGLE_BYTE: Readonly<Record<string, string>> = {
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1252: 'windows-1252',
  cp1254: 'windows-1254',
  cp1255: 'windows-1255',
  cp1256: 'windows-1256',
  cp1257: 'windows-1257',
  cp1258: 'windows-1258',
  iso8859_2: 'iso-8859-2',
  iso8859_3: 'iso-8859-3',
  iso8859_4: 'iso-8859-4',
  iso8859_5: 'iso-8859-5',
  iso8859_6: 'iso-8859-6',
  iso8859_7: 'iso-8859-7',
  iso8859_8: 'iso-8859-8',
  iso8859_10: 'iso-8859-10',
  iso8859_13: 'iso-8859-13',
  iso8859_14: 'iso-8859-14',
  iso8859_15: 'iso-8859-15',
  iso8859_16: 'iso-8859-16',
  koi8_r: 'koi8-r',
  koi8_u: 'koi8-u',
  mac_roman: 'macintosh',
  mac_cyrillic: 'x-mac-cyrillic',
};

const codecs = new Map<string, Codec>();
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
let utf16le: InstanceType<typeof TextDecoder> | undefined;
let utf16be: InstanceType<typeof TextDecoder> | undefined;

/**
 * `data.decode(encoding)`: Python's codec names; TypeError for a non-string name,
 * LookupError for an unknown or unavailable codec, UnicodeDecodeError (CPython's message)
 * for bytes that are not text in that codec.
 */
export function decodeText(data: Uint8Array, encoding: unknown = 'utf-8'): string {
  if (encoding === 'utf-8') return decodeUtf8(data);
  const codec = lookupCodec(encoding);
  switch (codec.kind) {
    case 'utf8':
      return decodeUtf8(data);
    case 'utf8sig': {
      const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
      return decodeUtf8(bom ? data.subarray(3) : data);
    }
    case 'utf16': {
      // A byte-order mark picks the order and is dropped; without one, little-endian.
      if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff)
        return decodeUtf16(data, 2, false);
      return decodeUtf16(
        data,
        data.length >= 2 && data[0] === 0xff && data[1] === 0xfe ? 2 : 0,
        true,
      );
    }
    case 'utf16le':
      return decodeUtf16(data, 0, true);
    case 'utf16be':
      return decodeUtf16(data, 0, false);
    case 'ascii':
      for (let i = 0; i < data.length; i++) {
        if (data[i] > 0x7f)
          throw new UnicodeDecodeError('ascii', data, i, i + 1, 'ordinal not in range(128)');
      }
      return decodeUtf8(data);
    case 'latin1':
      return fromCodes(data, undefined);
    case 'table':
      return fromCodes(data, codec.table);
  }
}

/** The codec Python's `codecs.lookup(encoding)` finds, if memview decodes it. */
function lookupCodec(encoding: unknown): Codec {
  if (typeof encoding !== 'string') {
    throw new TypeError(`decode() argument 'encoding' must be str, not ${pyTypeName(encoding)}`);
  }
  let codec = codecs.get(encoding);
  if (codec !== undefined) return codec;
  if (encoding.includes('\0')) throw new ValueError('embedded null character');
  const normal = normalizeEncoding(encoding);
  // `encodings.search_function`: the alias's module, else a module of the name itself.
  const aliased = CODEC_ALIASES[normal] ?? CODEC_ALIASES[normal.replaceAll('.', '_')];
  const module = [aliased, normal].find(
    (m) => m !== undefined && !m.includes('.') && (TEXT_CODECS.has(m) || BYTES_CODECS.has(m)),
  );
  if (module === undefined) throw new LookupError(`unknown encoding: ${encoding}`);
  if (BYTES_CODECS.has(module)) {
    throw new LookupError(
      `'${encoding}' is not a text encoding; use codecs.decode() to handle arbitrary codecs`,
    );
  }
  codec = makeCodec(module);
  if (codec === undefined) {
    throw new LookupError(
      `encoding '${encoding}' (Python's ${module} codec) is not available in memview`,
    );
  }
  if (codecs.size < 64) codecs.set(encoding, codec);
  return codec;
}

/**
 * Python's normalisation of a codec name (`_Py_normalize_encoding`, then
 * `encodings.normalize_encoding`): ASCII letters lowercased, every run of characters other
 * than ASCII letters, digits and '.' turned into one '_', none at either end.
 */
function normalizeEncoding(name: string): string {
  let out = '';
  let punct = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2e;
    if (!alnum) {
      punct = true;
      continue;
    }
    if (punct && out !== '') out += '_';
    punct = false;
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : name[i];
  }
  return out;
}

/**
 * cp1252's bytes 0x80-0x9F (0 where undefined); the rest is latin-1. Built in: some
 * platforms' TextDecoder decodes windows-1252 as latin-1 (Node before 23).
 */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function makeCodec(module: string): Codec | undefined {
  const kind = BUILTIN[module];
  if (kind !== undefined) return { kind };
  if (module === 'cp1252') {
    const table = Int32Array.from({ length: 256 }, (_, i) => i);
    CP1252_HIGH.forEach((c, i) => {
      table[0x80 + i] = c === 0 ? -1 : c;
    });
    return asPython(module, table);
  }
  const label = SINGLE_BYTE[module];
  if (label === undefined) return undefined;
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return undefined; // the platform lacks the table
  }
  const all = new Uint8Array(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  const text = decoder.decode(all);
  if (text.length !== 256) return undefined;
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = text.charCodeAt(i);
    table[i] = c === 0xfffd ? -1 : c;
  }
  return asPython(module, table);
}

/**
 * The codec of a code page's `table` if it is CPython's: the bytes CPython leaves undefined
 * are made undefined (platforms' tables map some: WHATWG's Windows code pages to the C1
 * control of the same number, newer ICU cp1255's 0xCA), then the whole table must hash as
 * CPython's does, else the codec is not available (newer runtimes' koi8-u is KOI8-RU).
 */
function asPython(module: string, table: Int32Array): Codec | undefined {
  const python = CODE_PAGES[module];
  if (python === undefined) return undefined;
  const { unmapped } = python;
  for (let i = 0; i < unmapped.length; i += 2) {
    table[Number.parseInt(unmapped.slice(i, i + 2), 16)] = -1;
  }
  // FNV-1a over the code units, 0xFFFF where undefined, as scripts/gen_text_fixtures.py.
  let hash = 0x811c9dc5;
  for (let i = 0; i < 256; i++)
    hash = Math.imul(hash ^ (table[i] < 0 ? 0xffff : table[i]), 16777619);
  return hash >>> 0 === python.hash ? { kind: 'table', table } : undefined;
}

/** UTF-8, with CPython's error for the first bad sequence. */
function decodeUtf8(data: Uint8Array): string {
  try {
    return utf8.decode(decodable(data));
  } catch {
    const [start, end, reason] = utf8Error(data);
    throw new UnicodeDecodeError('utf-8', data, start, end, reason);
  }
}

function isContinuation(b: number): boolean {
  return b >= 0x80 && b < 0xc0;
}

/**
 * Where CPython's UTF-8 decoder stops (`stringlib/codecs.h`): [start, end, reason] of the
 * first invalid sequence. Only called for data TextDecoder refused (the same set).
 */
function utf8Error(d: Uint8Array): [number, number, string] {
  const START = 'invalid start byte';
  const CONT = 'invalid continuation byte';
  const END = 'unexpected end of data';
  const n = d.length;
  let i = 0;
  while (i < n) {
    const c = d[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c < 0xc2 || c > 0xf4) return [i, i + 1, START];
    const left = n - i;
    if (left < 2) return [i, n, END];
    const c2 = d[i + 1];
    if (c < 0xe0) {
      if (!isContinuation(c2)) return [i, i + 1, CONT];
      i += 2;
      continue;
    }
    if (c < 0xf0) {
      // E0 needs A0..BF next (no overlong form); ED needs 80..9F (no surrogate).
      if (!isContinuation(c2) || (c2 < 0xa0 ? c === 0xe0 : c === 0xed)) return [i, i + 1, CONT];
      if (left < 3) return [i, n, END];
      if (!isContinuation(d[i + 2])) return [i, i + 2, CONT];
      i += 3;
      continue;
    }
    // F0 needs 90..BF next (no overlong form); F4 needs 80..8F (nothing past U+10FFFF).
    if (!isContinuation(c2) || (c2 < 0x90 ? c === 0xf0 : c === 0xf4)) return [i, i + 1, CONT];
    if (left < 3) return [i, n, END];
    if (!isContinuation(d[i + 2])) return [i, i + 2, CONT];
    if (left < 4) return [i, n, END];
    if (!isContinuation(d[i + 3])) return [i, i + 3, CONT];
    i += 4;
  }
  return [n, n, END]; // not reached: TextDecoder refused the data
}

/** UTF-16 from byte `from` (past a byte-order mark), with CPython's error for bad data. */
function decodeUtf16(data: Uint8Array, from: number, little: boolean): string {
  try {
    if (little) {
      utf16le ??= new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
      return utf16le.decode(decodable(data.subarray(from)));
    }
    utf16be ??= new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });
    return utf16be.decode(decodable(data.subarray(from)));
  } catch {
    const [start, end, reason] = utf16Error(data, from, little);
    throw new UnicodeDecodeError(little ? 'utf-16-le' : 'utf-16-be', data, start, end, reason);
  }
}

/** Where CPython's UTF-16 decoder stops: [start, end, reason] of the first bad unit. */
function utf16Error(d: Uint8Array, from: number, little: boolean): [number, number, string] {
  const n = d.length;
  const unit = (i: number) => (little ? d[i] | (d[i + 1] << 8) : (d[i] << 8) | d[i + 1]);
  let i = from;
  while (n - i >= 2) {
    const u = unit(i);
    i += 2;
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u > 0xdbff) return [i - 2, i, 'illegal encoding'];
    if (n - i < 2) return [i - 2, n, 'unexpected end of data'];
    const u2 = unit(i);
    i += 2;
    if (u2 < 0xdc00 || u2 > 0xdfff) return [i - 4, i - 2, 'illegal UTF-16 surrogate'];
  }
  return [i, n, 'truncated data'];
}

/** One code unit per byte: latin-1 (no table) or a single-byte code page. */
function fromCodes(data: Uint8Array, table: Int32Array | undefined): string {
  const CHUNK = 8192;
  let out = '';
  const codes = new Array<number>(Math.min(CHUNK, data.length));
  for (let at = 0; at < data.length; at += CHUNK) {
    const n = Math.min(CHUNK, data.length - at);
    codes.length = n;
    for (let i = 0; i < n; i++) {
      const b = data[at + i];
      const c = table === undefined ? b : table[b];
      if (c < 0) {
        throw new UnicodeDecodeError(
          'charmap',
          data,
          at + i,
          at + i + 1,
          'character maps to <undefined>',
        );
      }
      codes[i] = c;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * `data`, or a copy of it where browsers' TextDecoder would refuse it: a view of a
 * resizable ArrayBuffer or of a SharedArrayBuffer (a reader over the caller's memory).
 */
function decodable(data: Uint8Array): Uint8Array {
  const buffer = data.buffer as ArrayBufferLike & { resizable?: boolean };
  if (buffer.resizable === true) return data.slice();
  if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) {
    return data.slice();
  }
  return data;
}
