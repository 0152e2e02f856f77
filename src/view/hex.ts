/**
 * `bytes.hex(sep, bytes_per_sep)` as CPython's `_Py_strhex_impl` writes it, with the
 * argument checks of `memoryview.hex`.
 *
 * Invariants: digits are lowercase; a positive `bytesPerSep` groups from the right, a
 * negative one from the left; 0, or a group as long as the data, means no separator.
 */

import { MemoryError, OverflowError, pyTypeName, ValueError } from '../errors.js';

const DIGITS = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);
const INT_MAX = 0x7fff_ffff;
const INT_MIN = -0x8000_0000;

/** The separator character of `hex(sep)`, after CPython's checks; undefined when absent. */
export function hexSeparator(sep: unknown): string | undefined {
  if (sep === undefined) return undefined;
  let text: string;
  // The length is checked before any conversion: a huge separator is refused, not spread.
  if (typeof sep === 'string') text = sep;
  else if (sep instanceof Uint8Array) text = sep.length === 1 ? String.fromCharCode(sep[0]) : '';
  else throw new TypeError(`object of type '${pyTypeName(sep)}' has no len()`);
  if (text.length !== 1) throw new ValueError('sep must be length 1.');
  if (text.charCodeAt(0) > 0x7f) throw new ValueError('sep must be ASCII.');
  return text;
}

/** `bytes_per_sep` as a C int: TypeError for a non-integer, OverflowError beyond 32 bits. */
export function hexGroup(bytesPerSep: unknown): number {
  let n: number;
  if (typeof bytesPerSep === 'number' && Number.isInteger(bytesPerSep)) n = bytesPerSep;
  else if (typeof bytesPerSep === 'bigint') n = Number(bytesPerSep);
  else if (typeof bytesPerSep === 'boolean') n = bytesPerSep ? 1 : 0;
  else {
    throw new TypeError(`'${pyTypeName(bytesPerSep)}' object cannot be interpreted as an integer`);
  }
  if (n > INT_MAX || n < INT_MIN)
    throw new OverflowError('Python int too large to convert to C int');
  return n;
}

/**
 * The longest string the engine makes (V8's limit on 64-bit hosts); longer hex is a
 * MemoryError, raised before any digit is written.
 */
const MAX_STRING_LENGTH = 0x1fff_ffe8; // 2**29 - 24

/** MemoryError unless the hex of `n` bytes, with its separators, fits in one string. */
export function checkHexLength(n: number, sep: string | undefined, group: number): void {
  const size = Math.abs(group);
  const separators = sep === undefined || size === 0 || size >= n ? 0 : Math.ceil(n / size) - 1;
  if (2 * n + separators > MAX_STRING_LENGTH) throw new MemoryError();
}

/** The lowercase hex of `data`, with `sep` between groups of `|group|` bytes. */
export function toHex(data: Uint8Array, sep: string | undefined, group: number): string {
  const n = data.length;
  const size = Math.abs(group);
  checkHexLength(n, sep, group);
  let out = '';
  if (sep === undefined || size === 0 || size >= n) {
    for (let i = 0; i < n; i++) out += DIGITS[data[i]];
    return out;
  }
  // Groups are counted from the right for a positive group, from the left otherwise.
  const first = group > 0 ? n % size || size : size;
  for (let i = 0; i < n; i++) {
    if (i > 0 && (i - first) % size === 0) out += sep;
    out += DIGITS[data[i]];
  }
  return out;
}
