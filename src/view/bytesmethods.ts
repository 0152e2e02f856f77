/**
 * Python's `bytes` search, split and strip methods as CPython 3.13 computes them
 * (Objects/bytes_methods.c and stringlib), shared by `Bytes`, `ByteArray` and
 * `MemoryView` (format `'B'`), which all delegate here.
 *
 * Invariants:
 * - indices are Python's: start/end are slice bounds (None, clamped, negative from the
 *   end, adjusted as `ADJUST_INDICES`), results are positions in the whole sequence;
 * - arguments are converted first, in CPython's order and with its messages; the bytes
 *   searched are fetched after that (`hay()`), since converting an exporter may run user
 *   code that resizes or detaches memory;
 * - a contiguous haystack is a Uint8Array scanned with the platform's `indexOf` /
 *   `lastIndexOf`; candidates are checked byte by byte, and when that checking costs more
 *   than a few bytes per byte scanned (a needle such as `aaab` in `aaaa…`), the search
 *   continues with Knuth–Morris–Pratt, so every search is linear in its input;
 * - a strided haystack (a 1-D view with any step, negative too) is read in place, never
 *   copied, with Knuth–Morris–Pratt;
 * - each exported method trims the stack of the errors it throws (`fromCall`), so that
 *   the `Bytes`, `ByteArray` and `MemoryView` methods delegating here need no wrapper of
 *   their own: the trace starts at the user's call of theirs.
 */

import { fromCall, OverflowError, pyTypeName, ValueError } from '../errors.js';
import type { SliceBound } from '../layout/index.js';
import { asSliceIndex, SSIZE_MAX, SSIZE_MAX_NUMBER } from '../layout/integers.js';
import { type BufferInfo, getBuffer, isBuffer, PyBUF, releaseBuffer } from '../protocol/index.js';
import { exportedBytes } from '../struct/source.js';

/** Bytes read in place: `length` of them, the i-th at `data[base + i * step]`. */
export interface StridedBytes {
  readonly data: Uint8Array;
  readonly base: number;
  readonly step: number;
  readonly length: number;
}

/** The bytes a method works on: contiguous (a Uint8Array) or strided. */
export type Haystack = Uint8Array | StridedBytes;

const EMPTY = new Uint8Array(0);
const NOT_FOUND = 'subsection not found';

// ---------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------

/**
 * The bytes of a bytes-like object, asked as CPython asks (`PyBUF_SIMPLE`): TypeError "a
 * bytes-like object is required, not 'str'", BufferError for a non-contiguous view. The
 * export is given back at once: the array stays valid while no user code runs.
 */
export function bytesOf(value: unknown): Uint8Array {
  const info = getBuffer(value, PyBUF.SIMPLE);
  try {
    return exportedBytes(info);
  } finally {
    releaseBuffer(info);
  }
}

/** `sub` of find/count/index: bytes-like, or one byte given as an int. */
function needleOf(sub: unknown): Uint8Array {
  if (isBuffer(sub)) return bytesOf(sub);
  let byte: number;
  if (typeof sub === 'number' && Number.isInteger(sub)) byte = sub;
  else if (typeof sub === 'bigint') byte = sub < 0n || sub > 255n ? -1 : Number(sub);
  else if (typeof sub === 'boolean') byte = sub ? 1 : 0;
  else {
    throw new TypeError(
      `argument should be integer or bytes-like object, not '${pyTypeName(sub)}'`,
    );
  }
  if (byte < 0 || byte > 255) throw new ValueError('byte must be in range(0, 256)');
  return Uint8Array.of(byte);
}

/** A start/end argument as `_PyEval_SliceIndex` reads it; `none` for None. */
function bound(value: unknown, none: number): number {
  if (value === null || value === undefined) return none;
  return typeof value === 'boolean' ? Number(value) : asSliceIndex(value);
}

/** `ADJUST_INDICES`: [start, end] within [0, length] (start may exceed end). */
function adjust(start: number, end: number, length: number): [number, number] {
  if (end > length) end = length;
  else if (end < 0) {
    end += length;
    if (end < 0) end = 0;
  }
  if (start < 0) {
    start += length;
    if (start < 0) start = 0;
  }
  return [start, end];
}

/**
 * A Py_ssize_t argument (maxsplit, bytearray's insert and pop): CPython's TypeError
 * "'float' object cannot be interpreted as an integer" and OverflowError.
 */
export function ssize(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value >= -SSIZE_MAX_NUMBER && value < SSIZE_MAX_NUMBER) return value;
  } else if (typeof value === 'bigint') {
    if (value >= -SSIZE_MAX - 1n && value <= SSIZE_MAX) return Number(value);
  } else if (typeof value === 'boolean') {
    return value ? 1 : 0;
  } else {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  throw new OverflowError('Python int too large to convert to C ssize_t');
}

// ---------------------------------------------------------------------------------
// find, rfind, index, rindex, count
// ---------------------------------------------------------------------------------

/** `find(sub, start, end)`: the lowest index of `sub` in `[start:end]`, or -1. */
export function find(
  hay: () => Haystack,
  sub: unknown,
  start?: SliceBound,
  end?: SliceBound,
): number {
  try {
    return search(hay, sub, start, end, 1);
  } catch (error) {
    throw fromCall(error, find, 'find');
  }
}

/** `rfind(sub, start, end)`: the highest index of `sub` in `[start:end]`, or -1. */
export function rfind(
  hay: () => Haystack,
  sub: unknown,
  start?: SliceBound,
  end?: SliceBound,
): number {
  try {
    return search(hay, sub, start, end, -1);
  } catch (error) {
    throw fromCall(error, rfind, 'rfind');
  }
}

/** `index`: as `find`, but ValueError "subsection not found" instead of -1. */
export function index(
  hay: () => Haystack,
  sub: unknown,
  start?: SliceBound,
  end?: SliceBound,
): number {
  try {
    const i = search(hay, sub, start, end, 1);
    if (i < 0) throw new ValueError(NOT_FOUND);
    return i;
  } catch (error) {
    throw fromCall(error, index, 'index');
  }
}

/** `rindex`: as `rfind`, but ValueError "subsection not found" instead of -1. */
export function rindex(
  hay: () => Haystack,
  sub: unknown,
  start?: SliceBound,
  end?: SliceBound,
): number {
  try {
    const i = search(hay, sub, start, end, -1);
    if (i < 0) throw new ValueError(NOT_FOUND);
    return i;
  } catch (error) {
    throw fromCall(error, rindex, 'rindex');
  }
}

function search(
  hay: () => Haystack,
  sub: unknown,
  start: unknown,
  end: unknown,
  dir: 1 | -1,
): number {
  const from = bound(start, 0);
  const to = bound(end, SSIZE_MAX_NUMBER);
  const needle = needleOf(sub);
  const h = hay();
  const [s, e] = adjust(from, to, h.length);
  if (e - s < needle.length) return -1;
  if (h instanceof Uint8Array) {
    return dir > 0 ? findContiguous(h, needle, s, e) : rfindContiguous(h, needle, s, e);
  }
  if (needle.length === 0) return dir > 0 ? s : e;
  if (dir > 0) {
    const i = kmp(h.data, h.base + s * h.step, h.step, e - s, needle);
    return i < 0 ? -1 : s + i;
  }
  // The last match is the first one of the reversed needle in the reversed range.
  const i = kmp(h.data, h.base + (e - 1) * h.step, -h.step, e - s, needle.slice().reverse());
  return i < 0 ? -1 : e - i - needle.length;
}

/** `count(sub, start, end)`: non-overlapping occurrences of `sub` in `[start:end]`. */
export function count(
  hay: () => Haystack,
  sub: unknown,
  start?: SliceBound,
  end?: SliceBound,
): number {
  try {
    const from = bound(start, 0);
    const to = bound(end, SSIZE_MAX_NUMBER);
    const needle = needleOf(sub);
    const h = hay();
    const [s, e] = adjust(from, to, h.length);
    if (e - s < 0) return 0;
    const m = needle.length;
    if (m === 0) return e - s + 1;
    if (h instanceof Uint8Array) {
      let n = 0;
      if (m === 1) return countByte(h.subarray(s, e), needle[0]);
      for (let i = findContiguous(h, needle, s, e); i >= 0; ) {
        n++;
        i = findContiguous(h, needle, i + m, e);
      }
      return n;
    }
    return kmpCount(h.data, h.base + s * h.step, h.step, e - s, needle);
  } catch (error) {
    throw fromCall(error, count, 'count');
  }
}

/**
 * Occurrences of byte `b` in `w`, four bytes at a time: in each 32-bit word XORed with
 * `b` repeated, the high bit of each zero byte is set exactly (no borrow crosses bytes),
 * and a multiply sums the four bits. About twice as fast as a loop of `indexOf` calls on
 * data where `b` is common.
 */
function countByte(w: Uint8Array, b: number): number {
  const n = w.length;
  let c = 0;
  if (n < 64) {
    for (let i = 0; i < n; i++) if (w[i] === b) c++;
    return c;
  }
  const head = (4 - (w.byteOffset & 3)) & 3;
  const words = (n - head) >>> 2;
  for (let i = 0; i < head; i++) if (w[i] === b) c++;
  const u32 = new Uint32Array(w.buffer, w.byteOffset + head, words);
  const pattern = Math.imul(b, 0x01010101);
  for (let k = 0; k < words; k++) {
    const x = u32[k] ^ pattern;
    const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    c += Math.imul(zero >>> 7, 0x01010101) >>> 24;
  }
  for (let i = head + words * 4; i < n; i++) if (w[i] === b) c++;
  return c;
}

/**
 * The first index in `[s, e)` where `needle` starts, or -1. Candidates come from
 * `indexOf(needle[0])`; once checking them has cost more than 8 bytes per byte scanned,
 * the rest of the range is searched with KMP (linear whatever the input).
 */
function findContiguous(h: Uint8Array, needle: Uint8Array, s: number, e: number): number {
  const m = needle.length;
  if (e - s < m) return -1;
  if (m === 0) return s;
  const w = s === 0 && e === h.length ? h : h.subarray(s, e);
  const first = needle[0];
  if (m === 1) return withOffset(w.indexOf(first), s);
  if (m >= SKIP_NEEDLE && w.length >= SKIP_HAYSTACK) return withOffset(horspool(w, needle), s);
  const limit = w.length - m;
  let work = 0;
  for (let i = w.indexOf(first); i >= 0 && i <= limit; i = w.indexOf(first, i + 1)) {
    let k = 1;
    while (k < m && w[i + k] === needle[k]) k++;
    if (k === m) return s + i;
    work += k;
    if (work > (i + m) * 8) {
      const j = kmp(w, i + 1, 1, w.length - i - 1, needle);
      return j < 0 ? -1 : s + i + 1 + j;
    }
  }
  return -1;
}

/** The last index in `[s, e)` where `needle` starts, or -1 (as `findContiguous`, mirrored). */
function rfindContiguous(h: Uint8Array, needle: Uint8Array, s: number, e: number): number {
  const m = needle.length;
  if (e - s < m) return -1;
  if (m === 0) return e;
  const w = s === 0 && e === h.length ? h : h.subarray(s, e);
  const first = needle[0];
  const limit = w.length - m;
  if (m === 1) return withOffset(w.lastIndexOf(first, limit), s);
  if (m >= SKIP_NEEDLE && w.length >= SKIP_HAYSTACK) return withOffset(rhorspool(w, needle), s);
  let work = 0;
  for (let i = w.lastIndexOf(first, limit); i >= 0; i = i > 0 ? w.lastIndexOf(first, i - 1) : -1) {
    let k = 1;
    while (k < m && w[i + k] === needle[k]) k++;
    if (k === m) return s + i;
    work += k;
    if (work > (limit - i + m) * 8) {
      // Matches starting before i lie in w[0, i + m - 1), read backwards.
      const n = i + m - 1;
      const j = kmp(w, n - 1, -1, n, needle.slice().reverse());
      return j < 0 ? -1 : s + n - j - m;
    }
  }
  return -1;
}

// Needles from this length, in haystacks from this length, are searched by skipping
// (Horspool): with a 16-byte needle most steps skip ~15 bytes, several times faster than
// stopping at every occurrence of the first byte; below, the skip table costs more than
// it saves.
const SKIP_NEEDLE = 4;
const SKIP_HAYSTACK = 1024;

/**
 * Horspool's search for `needle` (length ≥ 2) in `w`: the byte under the needle's last
 * position says how far the needle may move. When checking candidates costs more than 8
 * bytes per byte passed, the rest is searched with KMP.
 */
function horspool(w: Uint8Array, needle: Uint8Array): number {
  const m = needle.length;
  const last = m - 1;
  const shift = new Int32Array(256).fill(m);
  for (let k = 0; k < last; k++) shift[needle[k]] = last - k;
  const tail = needle[last];
  const limit = w.length - m;
  let work = 0;
  for (let i = 0; i <= limit; ) {
    const c = w[i + last];
    if (c === tail) {
      let k = 0;
      while (k < last && w[i + k] === needle[k]) k++;
      if (k === last) return i;
      work += k + 1;
      if (work > (i + m) * 8) {
        const j = kmp(w, i + 1, 1, w.length - i - 1, needle);
        return j < 0 ? -1 : i + 1 + j;
      }
    }
    i += shift[c];
  }
  return -1;
}

/** Horspool's search for the last `needle` in `w`, mirrored: the byte under its first position. */
function rhorspool(w: Uint8Array, needle: Uint8Array): number {
  const m = needle.length;
  const shift = new Int32Array(256).fill(m);
  for (let k = m - 1; k > 0; k--) shift[needle[k]] = k;
  const head = needle[0];
  const limit = w.length - m;
  let work = 0;
  for (let i = limit; i >= 0; ) {
    const c = w[i];
    if (c === head) {
      let k = 1;
      while (k < m && w[i + k] === needle[k]) k++;
      if (k === m) return i;
      work += k;
      if (work > (limit - i + m) * 8) {
        // Matches starting before i lie in w[0, i + m - 1), read backwards.
        const n = i + m - 1;
        const j = kmp(w, n - 1, -1, n, needle.slice().reverse());
        return j < 0 ? -1 : n - j - m;
      }
    }
    i -= shift[c];
  }
  return -1;
}

function withOffset(i: number, offset: number): number {
  return i < 0 ? -1 : i + offset;
}

/** KMP's failure function: the longest proper border of each prefix. */
function borders(needle: Uint8Array): Int32Array {
  const m = needle.length;
  const fail = new Int32Array(m);
  for (let i = 1, q = 0; i < m; i++) {
    while (q > 0 && needle[i] !== needle[q]) q = fail[q - 1];
    if (needle[i] === needle[q]) q++;
    fail[i] = q;
  }
  return fail;
}

/**
 * The first position (in sequence order) where `needle` (non-empty) occurs among the `n`
 * bytes `data[base + i * step]`, or -1: Knuth–Morris–Pratt, linear in `n + needle.length`.
 */
function kmp(data: Uint8Array, base: number, step: number, n: number, needle: Uint8Array): number {
  const m = needle.length;
  const fail = borders(needle);
  for (let i = 0, p = base, q = 0; i < n; i++, p += step) {
    const c = data[p];
    while (q > 0 && needle[q] !== c) q = fail[q - 1];
    if (needle[q] === c && ++q === m) return i - m + 1;
  }
  return -1;
}

/** Non-overlapping occurrences of `needle` (non-empty) among `n` strided bytes. */
function kmpCount(
  data: Uint8Array,
  base: number,
  step: number,
  n: number,
  needle: Uint8Array,
): number {
  const m = needle.length;
  const fail = borders(needle);
  let found = 0;
  for (let i = 0, p = base, q = 0; i < n; i++, p += step) {
    const c = data[p];
    while (q > 0 && needle[q] !== c) q = fail[q - 1];
    if (needle[q] === c && ++q === m) {
      found++;
      q = 0;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------
// startswith, endswith
// ---------------------------------------------------------------------------------

/**
 * `startswith(prefix, start, end)`; `prefix` is bytes-like or an array of them (Python's
 * tuple form: true when any matches, checked in order).
 */
export function startsWith(
  hay: () => Haystack,
  prefix: unknown,
  start?: SliceBound,
  end?: SliceBound,
): boolean {
  try {
    return tailMatch('startswith', hay, prefix, start, end, -1);
  } catch (error) {
    throw fromCall(error, startsWith, 'startsWith');
  }
}

/** `endswith(suffix, start, end)`; `suffix` is bytes-like or an array of them. */
export function endsWith(
  hay: () => Haystack,
  suffix: unknown,
  start?: SliceBound,
  end?: SliceBound,
): boolean {
  try {
    return tailMatch('endswith', hay, suffix, start, end, 1);
  } catch (error) {
    throw fromCall(error, endsWith, 'endsWith');
  }
}

function tailMatch(
  name: string,
  hay: () => Haystack,
  affix: unknown,
  start: unknown,
  end: unknown,
  dir: 1 | -1,
): boolean {
  const from = bound(start, 0);
  const to = bound(end, SSIZE_MAX_NUMBER);
  if (Array.isArray(affix)) {
    for (const item of affix as unknown[]) {
      if (matchesAt(hay, bytesOf(item), from, to, dir)) return true;
    }
    return false;
  }
  if (!isBuffer(affix)) {
    throw new TypeError(
      `${name} first arg must be bytes or a tuple of bytes, not ${pyTypeName(affix)}`,
    );
  }
  return matchesAt(hay, bytesOf(affix), from, to, dir);
}

/** CPython's `tailmatch`. */
function matchesAt(
  hay: () => Haystack,
  sub: Uint8Array,
  from: number,
  to: number,
  dir: 1 | -1,
): boolean {
  const h = hay();
  const len = h.length;
  const m = sub.length;
  let [s, e] = adjust(from, to, len);
  if (dir < 0) {
    if (s > len - m) return false;
  } else {
    if (e - s < m || s > len) return false;
    if (e - m > s) s = e - m;
  }
  if (e - s < m) return false;
  if (h instanceof Uint8Array) {
    for (let k = 0; k < m; k++) if (h[s + k] !== sub[k]) return false;
    return true;
  }
  const { data, step } = h;
  for (let k = 0, p = h.base + s * step; k < m; k++, p += step) {
    if (data[p] !== sub[k]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------
// partition, split, strip, join (contiguous bytes; results are views of them)
// ---------------------------------------------------------------------------------

/** A separator for partition and split: bytes-like, not empty. */
function separator(sep: unknown): Uint8Array {
  const bytes = bytesOf(sep);
  if (bytes.length === 0) throw new ValueError('empty separator');
  return bytes;
}

/**
 * `partition(sep)`: the bytes before the first `sep`, `sep`, the bytes after; or the whole
 * and two empty parts. The parts are views of the haystack, to be copied by the caller.
 */
export function partition(
  hay: () => Uint8Array,
  sep: unknown,
): [Uint8Array, Uint8Array, Uint8Array] {
  try {
    const s = separator(sep);
    const h = hay();
    const i = findContiguous(h, s, 0, h.length);
    if (i < 0) return [h, EMPTY, EMPTY];
    return [h.subarray(0, i), h.subarray(i, i + s.length), h.subarray(i + s.length)];
  } catch (error) {
    throw fromCall(error, partition, 'partition');
  }
}

/** `rpartition(sep)`: as `partition`, from the last `sep`; two empty parts and the whole. */
export function rpartition(
  hay: () => Uint8Array,
  sep: unknown,
): [Uint8Array, Uint8Array, Uint8Array] {
  try {
    const s = separator(sep);
    const h = hay();
    const i = rfindContiguous(h, s, 0, h.length);
    if (i < 0) return [EMPTY, EMPTY, h];
    return [h.subarray(0, i), h.subarray(i, i + s.length), h.subarray(i + s.length)];
  } catch (error) {
    throw fromCall(error, rpartition, 'rpartition');
  }
}

/** Python's `Py_ISSPACE` for bytes: space, \t, \n, \v, \f, \r. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * `split(sep, maxsplit)`: with `sep` (bytes-like, not empty) the parts between its
 * occurrences; without (None), runs of ASCII whitespace separate and empty parts are
 * dropped. At most `maxsplit` splits (negative: no limit). Parts are views of the haystack.
 */
export function split(hay: () => Uint8Array, sep: unknown, maxsplit: unknown = -1): Uint8Array[] {
  try {
    let max = ssize(maxsplit);
    if (max < 0) max = SSIZE_MAX_NUMBER;
    const s = sep === null || sep === undefined ? null : separator(sep);
    const h = hay();
    const n = h.length;
    const out: Uint8Array[] = [];
    if (s === null) {
      let i = 0;
      for (; max > 0; max--) {
        while (i < n && isSpace(h[i])) i++;
        if (i === n) break;
        const j = i;
        i++;
        while (i < n && !isSpace(h[i])) i++;
        out.push(h.subarray(j, i));
      }
      if (i < n) {
        while (i < n && isSpace(h[i])) i++;
        if (i !== n) out.push(h.subarray(i, n));
      }
      return out;
    }
    let i = 0;
    for (; max > 0; max--) {
      const j = findContiguous(h, s, i, n);
      if (j < 0) break;
      out.push(h.subarray(i, j));
      i = j + s.length;
    }
    out.push(h.subarray(i, n));
    return out;
  } catch (error) {
    throw fromCall(error, split, 'split');
  }
}

/** `rsplit(sep, maxsplit)`: as `split`, the splits counted from the right. */
export function rsplit(hay: () => Uint8Array, sep: unknown, maxsplit: unknown = -1): Uint8Array[] {
  try {
    let max = ssize(maxsplit);
    if (max < 0) max = SSIZE_MAX_NUMBER;
    const s = sep === null || sep === undefined ? null : separator(sep);
    const h = hay();
    const out: Uint8Array[] = [];
    if (s === null) {
      let i = h.length - 1;
      for (; max > 0; max--) {
        while (i >= 0 && isSpace(h[i])) i--;
        if (i < 0) break;
        const j = i;
        i--;
        while (i >= 0 && !isSpace(h[i])) i--;
        out.push(h.subarray(i + 1, j + 1));
      }
      if (i >= 0) {
        while (i >= 0 && isSpace(h[i])) i--;
        if (i >= 0) out.push(h.subarray(0, i + 1));
      }
      return out.reverse();
    }
    let j = h.length;
    for (; max > 0; max--) {
      const p = rfindContiguous(h, s, 0, j);
      if (p < 0) break;
      out.push(h.subarray(p + s.length, j));
      j = p;
    }
    out.push(h.subarray(0, j));
    return out.reverse();
  } catch (error) {
    throw fromCall(error, rsplit, 'rsplit');
  }
}

/** Which bytes `strip(chars)` removes: a 256-entry table; ASCII whitespace for None. */
function stripSet(chars: unknown): Uint8Array {
  const set = new Uint8Array(256);
  if (chars === null || chars === undefined) {
    for (const b of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) set[b] = 1;
  } else {
    for (const b of bytesOf(chars)) set[b] = 1;
  }
  return set;
}

/**
 * `strip(chars)` (`side` 0), `lstrip` (-1), `rstrip` (1): the bytes without leading and/or
 * trailing bytes found in `chars` (bytes-like; ASCII whitespace when None). A view.
 */
export function strip(hay: () => Uint8Array, chars: unknown, side: -1 | 0 | 1 = 0): Uint8Array {
  try {
    const set = stripSet(chars);
    const h = hay();
    let i = 0;
    let j = h.length;
    if (side <= 0) while (i < j && set[h[i]] === 1) i++;
    if (side >= 0) while (j > i && set[h[j - 1]] === 1) j--;
    return h.subarray(i, j);
  } catch (error) {
    throw fromCall(error, strip, 'strip');
  }
}

/**
 * `sep.join(items)`: the bytes of every item (bytes-like) with `sep` between them, in a
 * new Uint8Array. The items are listed first and their exports held until copied, as
 * CPython does; TypeError "sequence item 1: expected a bytes-like object, int found".
 */
export function join(hay: () => Uint8Array, items: unknown): Uint8Array {
  try {
    if (items === null || typeof items !== 'object' || !(Symbol.iterator in items)) {
      throw new TypeError('can only join an iterable');
    }
    const list = Array.from(items as Iterable<unknown>);
    const infos: BufferInfo[] = [];
    try {
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        try {
          infos.push(getBuffer(item, PyBUF.SIMPLE));
        } catch {
          throw new TypeError(
            `sequence item ${i}: expected a bytes-like object, ${pyTypeName(item)} found`,
          );
        }
      }
      const sep = hay();
      let total = sep.length * Math.max(infos.length - 1, 0);
      for (const info of infos) total += info.len;
      const out = new Uint8Array(total);
      let at = 0;
      for (let i = 0; i < infos.length; i++) {
        if (i > 0) {
          out.set(sep, at);
          at += sep.length;
        }
        const info = infos[i];
        if (info.len > 0) out.set(new Uint8Array(info.buffer, info.offset, info.len), at);
        at += info.len;
      }
      return out;
    } finally {
      for (const info of infos) releaseBuffer(info);
    }
  } catch (error) {
    throw fromCall(error, join, 'join');
  }
}
