/**
 * The struct format grammar, as CPython's `prepare_s` reads it:
 *
 *   format := [prefix] (whitespace | [count] code)*
 *   prefix := '@' | '=' | '<' | '>' | '!'       (first character only)
 *
 * Invariants: sizes are computed exactly (BigInt) against `PY_SSIZE_T_MAX`, so a huge
 * count answers "total struct size too long" exactly where CPython does; a parsed format
 * holds one run per `count code` pair, never one entry per repeated item, so its memory
 * is bounded by the length of the format string whatever the counts say.
 */

import { fromCall, pyTypeName, StructError, UnicodeEncodeError } from '../errors.js';
import { CODES, type Code, type CodeKind, isCode, NATIVE_LITTLE_ENDIAN } from './codes.js';

/** A format as accepted everywhere: a string, or ASCII bytes (Python's `bytes` format). */
export type FormatSource = string | Uint8Array;

/** One `count code` pair of a format that carries values (pad bytes `x` make no run). */
export interface FormatRun {
  readonly code: Code;
  readonly kind: CodeKind;
  /** How many values the run packs: the repeat count, or 1 for `s` and `p`. */
  readonly count: number;
  /** Bytes per value: the code's size, or the repeat count for `s` and `p`. */
  readonly itemSize: number;
  /** Byte offset of the run's first value from the start of the packed data. */
  readonly offset: number;
}

/** A validated format: its byte order, size and value-carrying runs. */
export interface ParsedFormat {
  /** The format as a string (a bytes format is decoded as ASCII). */
  readonly format: string;
  /** Native mode (`@` or no prefix): native sizes and alignment. */
  readonly native: boolean;
  readonly littleEndian: boolean;
  /** Total packed size in bytes (`calcsize`). */
  readonly size: number;
  /** The same size, exact (`size` is rounded beyond 2**53). */
  readonly exactSize: bigint;
  /** How many values `pack` takes and `unpack` returns. */
  readonly valueCount: number;
  readonly runs: readonly FormatRun[];
}

const SSIZE_MAX = 0x7fff_ffff_ffff_ffffn;
const CACHE_LIMIT = 256;
const cache = new Map<string, ParsedFormat>();

/**
 * Parses and validates a struct format, with CPython's errors: `StructError` for the
 * grammar, `TypeError` for a non-string, `UnicodeEncodeError` for non-ASCII text.
 * Results are cached; the returned object is shared and must not be mutated.
 */
export function parseFormat(source: FormatSource): ParsedFormat {
  const text = formatText(source);
  let parsed = cache.get(text);
  if (parsed === undefined) {
    parsed = parse(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

/**
 * `struct.calcsize`: the packed size of a format in bytes.
 *
 * @throws {StructError} "bad char in struct format" for a malformed format.
 * @example
 * ```ts
 * import { calcsize } from 'memview';
 * calcsize('<IHd'); // 14
 * calcsize('@IHd'); // 16: native alignment pads the double to 8 bytes
 * ```
 */
export function calcsize(format: FormatSource): number {
  try {
    return parseFormat(format).size;
  } catch (error) {
    throw fromCall(error, calcsize);
  }
}

/** The format as text, after CPython's type and ASCII checks. */
function formatText(source: unknown): string {
  if (typeof source === 'string') {
    assertAscii(source);
    return source;
  }
  if (source instanceof Uint8Array) {
    // bytes are taken as they are; a byte >= 0x80 is a bad char for the parser.
    let text = '';
    for (let i = 0; i < source.length; i++) text += String.fromCharCode(source[i]);
    return text;
  }
  throw new TypeError(
    `Struct() argument 1 must be a str or bytes object, not ${pyTypeName(source)}`,
  );
}

function assertAscii(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(text)) return;
  assertEncodable(text, 'ascii', 0x80);
}

/**
 * CPython's UnicodeEncodeError for `text.encode(codec)` when a character is not below
 * `limit` (0x80 for 'ascii', 0x100 for 'latin-1'): the first run of such characters,
 * positions counted in code points as Python counts them.
 */
export function assertEncodable(text: string, codec: string, limit: number): void {
  const chars = Array.from(text);
  const first = chars.findIndex((ch) => ch.codePointAt(0)! >= limit);
  if (first < 0) return;
  let last = first;
  while (last + 1 < chars.length && chars[last + 1].codePointAt(0)! >= limit) last++;
  const where =
    first === last
      ? `character '${pyEscape(chars[first].codePointAt(0)!)}' in position ${first}`
      : `characters in position ${first}-${last}`;
  throw new UnicodeEncodeError(
    `'${codec}' codec can't encode ${where}: ordinal not in range(${limit})`,
  );
}

function pyEscape(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

function isSpace(c: number): boolean {
  // Py_ISSPACE: space, \t, \n, \v, \f, \r
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function badChar(): StructError {
  return new StructError('bad char in struct format');
}

function tooLong(): StructError {
  return new StructError('total struct size too long');
}

function parse(format: string): ParsedFormat {
  if (format.includes('\0')) throw new StructError('embedded null character');
  let native = true;
  let littleEndian = NATIVE_LITTLE_ENDIAN;
  let i = 0;
  switch (format[0]) {
    case '@':
      i = 1;
      break;
    case '=':
      native = false;
      i = 1;
      break;
    case '<':
      native = false;
      littleEndian = true;
      i = 1;
      break;
    case '>':
    case '!':
      native = false;
      littleEndian = false;
      i = 1;
      break;
  }

  const runs: FormatRun[] = [];
  let size = 0n;
  let valueCount = 0n;
  const n = format.length;
  while (i < n) {
    let c = format.charCodeAt(i++);
    if (isSpace(c)) continue;
    let num = 1n;
    if (isDigit(c)) {
      num = BigInt(c - 0x30);
      for (; i < n && isDigit(format.charCodeAt(i)); i++) {
        const digit = BigInt(format.charCodeAt(i) - 0x30);
        if (num >= SSIZE_MAX / 10n && (num > SSIZE_MAX / 10n || digit > SSIZE_MAX % 10n)) {
          throw tooLong();
        }
        num = num * 10n + digit;
      }
      if (i >= n) throw new StructError('repeat count given without format specifier');
      c = format.charCodeAt(i++);
    }
    const ch = String.fromCharCode(c);
    if (!isCode(ch)) throw badChar();
    const info = CODES[ch];
    if (!native && info.standardSize === 0) throw badChar();
    const byteSize = BigInt(native ? info.nativeSize : info.standardSize);

    if (native && info.nativeAlign > 1 && size > 0n) {
      const align = BigInt(info.nativeAlign);
      const extra = align - 1n - ((size - 1n) % align);
      if (extra > SSIZE_MAX - size) throw tooLong();
      size += extra;
    }
    if (num > (SSIZE_MAX - size) / byteSize) throw tooLong();

    const offset = Number(size);
    if (info.kind === 'bytes' || info.kind === 'pascal') {
      runs.push({ code: ch, kind: info.kind, count: 1, itemSize: Number(num), offset });
      valueCount += 1n;
    } else if (info.kind !== 'pad' && num > 0n) {
      runs.push({
        code: ch,
        kind: info.kind,
        count: Number(num),
        itemSize: Number(byteSize),
        offset,
      });
      valueCount += num;
    }
    size += num * byteSize;
  }
  return {
    format,
    native,
    littleEndian,
    size: Number(size),
    exactSize: size,
    valueCount: Number(valueCount),
    runs,
  };
}
