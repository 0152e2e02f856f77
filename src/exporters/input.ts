/**
 * What `bytes(x)` and `bytearray(x)` accept, as CPython reads it: an exporter (its bytes
 * copied in C order), a count of zero bytes, or an iterable of integers in range(0, 256).
 * A string has no bytes without an encoding, as in Python.
 */

import { MemoryError, OverflowError, pyTypeName, ValueError } from '../errors.js';
import { asIndex } from '../layout/integers.js';
import { isBuffer } from '../protocol/index.js';
import { memoryview, type ViewSource } from '../view/index.js';

/** What `new Bytes(x)` and `new ByteArray(x)` accept. */
export type BytesInput = ViewSource | Iterable<number | bigint | boolean> | number | bigint;

/** The bytes of `source`, copied into a new Uint8Array; `kind` names the class in messages. */
export function bytesFrom(source: unknown, kind: 'bytes' | 'bytearray'): Uint8Array {
  if (isBuffer(source)) return bufferBytes(source);
  if (typeof source === 'number' || typeof source === 'bigint') {
    const n = byteCount(source, kind);
    try {
      return new Uint8Array(n);
    } catch {
      throw new MemoryError('');
    }
  }
  if (typeof source === 'string') throw new TypeError('string argument without an encoding');
  if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
    const out: number[] = [];
    for (const item of source as Iterable<unknown>) {
      out.push(byteValue(item, kind === 'bytes' ? 'bytes' : 'byte'));
    }
    return Uint8Array.from(out);
  }
  throw new TypeError(`cannot convert '${pyTypeName(source)}' object to ${kind}`);
}

/**
 * `bytes(n)`'s count, as CPython checks it: TypeError for a float, ValueError "negative
 * count", OverflowError beyond a C index (2**63 - 1), MemoryError (empty message, as
 * CPython's) for a count no engine can allocate — before anything is allocated.
 */
export function byteCount(source: number | bigint, kind: 'bytes' | 'bytearray'): number {
  if (typeof source === 'number' && !Number.isInteger(source)) {
    throw new TypeError(`cannot convert 'float' object to ${kind}`);
  }
  if (source < 0) throw new ValueError('negative count');
  if (source >= 2 ** 63) throw new OverflowError("cannot fit 'int' into an index-sized integer");
  if (source > Number.MAX_SAFE_INTEGER) throw new MemoryError('');
  return Number(source);
}

/** The C-order bytes of an exporter, copied. */
export function bufferBytes(source: ViewSource): Uint8Array {
  if (source instanceof Uint8Array) return source.slice();
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  const view = memoryview(source);
  try {
    return view.toBytes();
  } finally {
    view.release();
  }
}

/**
 * One byte as Python's bytearray takes it: an int (or bool) in range(0, 256). TypeError
 * "'str' object cannot be interpreted as an integer"; ValueError "byte must be in range(0, 256)".
 */
export function byteValue(value: unknown, noun: 'byte' | 'bytes' = 'byte'): number {
  let n: number;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'bigint') n = value < 0n || value > 255n ? -1 : Number(value);
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (n < 0 || n > 255) throw new ValueError(`${noun} must be in range(0, 256)`);
  return n;
}

/**
 * `x == other` for an exporter `x`, as Python compares bytes-likes: through memoryviews.
 * Beyond Python, a string compares as latin-1 text (each character one byte, so a
 * character above U+00FF equals no byte): `equals('\x89PNG\r\n\x1a\n')`.
 */
export function equalsAsView(self: ViewSource, other: unknown): boolean {
  const view = memoryview(self);
  try {
    if (typeof other !== 'string') return view.equals(other);
    if (view.nbytes !== other.length) return false;
    const bytes = view.toBytes();
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== other.charCodeAt(i)) return false;
    return true;
  } finally {
    view.release();
  }
}

/** Python's repr of bytes: `b'ab\\x00'`, with single quotes unless only those occur. */
export function bytesRepr(data: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of data) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const b of data) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

/** `bytes.fromhex`: pairs of hex digits, optionally separated by ASCII whitespace. */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError(`fromhex() argument must be str, not ${pyTypeName(text)}`);
  }
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      i++;
      continue;
    }
    const hi = hexDigit(c);
    if (hi < 0) throw badHex(i);
    if (i + 1 >= text.length) throw badHex(i + 1);
    const lo = hexDigit(text.charCodeAt(i + 1));
    if (lo < 0) throw badHex(i + 1);
    out.push(hi * 16 + lo);
    i += 2;
  }
  return Uint8Array.from(out);
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function badHex(position: number): ValueError {
  return new ValueError(`non-hexadecimal number found in fromhex() arg at position ${position}`);
}

/**
 * An index into a Bytes or ByteArray (`b[i]`): an int (a bool is one, as in Python), or
 * CPython's TypeError "byte indices must be integers or slices, not float" ("bytearray
 * indices…"); IndexError "cannot fit 'int' into an index-sized integer" beyond a Py_ssize_t.
 */
export function itemIndex(key: unknown, kind: 'byte' | 'bytearray'): number {
  if ((typeof key === 'number' && Number.isInteger(key)) || typeof key === 'bigint') {
    return asIndex(key);
  }
  if (typeof key === 'boolean') return key ? 1 : 0;
  throw new TypeError(`${kind} indices must be integers or slices, not ${pyTypeName(key)}`);
}
