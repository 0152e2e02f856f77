/**
 * The fuzzer's reference: CPython's struct rules and memoryview layouts, written as plainly
 * as possible (one item, one element at a time) over a plain Uint8Array. Nothing here
 * imports memview: the model must not share a bug with the code it checks.
 */

/** One item of a parsed format: a code, its repeat count, and where it starts. */
export interface ModelItem {
  readonly code: string;
  readonly count: number;
  readonly offset: number;
  readonly size: number;
}

/** A parsed format: byte order, items with offsets, total size, number of values. */
export interface ModelFormat {
  readonly text: string;
  readonly little: boolean;
  readonly native: boolean;
  readonly items: readonly ModelItem[];
  readonly size: number;
  readonly values: number;
}

const STANDARD: Record<string, number> = {
  x: 1,
  c: 1,
  b: 1,
  B: 1,
  '?': 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  q: 8,
  Q: 8,
  e: 2,
  f: 4,
  d: 8,
  s: 1,
};
// LP64 (Linux, macOS): the only host the fuzzer runs on.
const NATIVE: Record<string, number> = { ...STANDARD, l: 8, L: 8, n: 8, N: 8 };

/** Parses the subset of the struct grammar the generator draws from. */
export function parseModel(text: string): ModelFormat {
  let at = 0;
  let little = true;
  let native = true;
  const first = text[0];
  if (first === '<' || first === '>' || first === '!' || first === '=' || first === '@') {
    at = 1;
    native = first === '@';
    little = first === '<' || first === '=' || first === '@';
  }
  const items: ModelItem[] = [];
  let size = 0;
  let values = 0;
  while (at < text.length) {
    let digits = '';
    while (text[at] >= '0' && text[at] <= '9') digits += text[at++];
    const code = text[at++];
    const count = digits === '' ? 1 : Number(digits);
    const unit = (native ? NATIVE : STANDARD)[code];
    if (unit === undefined) throw new Error(`model: code ${code}`);
    if (native && code !== 's' && code !== 'c' && code !== 'x')
      size = Math.ceil(size / unit) * unit;
    const bytes = code === 's' ? count : count * unit;
    items.push({ code, count, offset: size, size: unit });
    size += bytes;
    values += code === 'x' ? 0 : code === 's' ? 1 : count;
  }
  return { text, little, native, items, size, values };
}

/** Whether `code` is an integer code whose values are bigints (8 bytes). */
function isBig(f: ModelFormat, code: string): boolean {
  return 'qQnN'.includes(code) || (f.native && 'lL'.includes(code));
}

function intRange(it: ModelItem): [bigint, bigint] {
  const bits = BigInt(it.size * 8);
  return 'bhilqn'.includes(it.code)
    ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n]
    : [0n, (1n << bits) - 1n];
}

/** A value is packable for `code` (CPython's acceptance rules, for the values drawn). */
function integral(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

/** A float code's value: numbers, booleans and bigints a double holds (Python's float(int)). */
function asFloat(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') {
    const x = Number(v);
    return Number.isFinite(x) ? x : undefined;
  }
  return undefined;
}

/** Python's truth value of the values drawn (the hook objects compute theirs when asked). */
export type TruthOf = (v: unknown) => boolean;

/** The bytes of one record: `values` packed by `f`, or the index of the first bad value. */
export function packModel(
  f: ModelFormat,
  values: readonly unknown[],
  truth: TruthOf,
): { bytes: Uint8Array; bad: number } {
  const out = new Uint8Array(f.size);
  const dv = new DataView(out.buffer);
  let k = 0;
  for (const it of f.items) {
    if (it.code === 'x') continue;
    if (it.code === 's') {
      const v = values[k];
      if (!(v instanceof Uint8Array)) return { bytes: out, bad: k };
      for (let i = 0; i < it.count && i < v.length; i++) out[it.offset + i] = v[i];
      k++;
      continue;
    }
    for (let n = 0; n < it.count; n++, k++) {
      const at = it.offset + n * it.size;
      const v = values[k];
      switch (it.code) {
        case 'c':
          if (!(v instanceof Uint8Array) || v.length !== 1) return { bytes: out, bad: k };
          out[at] = v[0];
          break;
        case '?':
          out[at] = truth(v) ? 1 : 0;
          break;
        case 'e': {
          const x = asFloat(v);
          const bits = x === undefined ? undefined : HALF.get(x);
          if (bits === undefined) return { bytes: out, bad: k };
          dv.setUint16(at, bits, f.little);
          break;
        }
        case 'f':
          // A finite double that rounds past float32's range overflows (OverflowError).
          {
            const x = asFloat(v);
            if (x === undefined || (Number.isFinite(x) && !Number.isFinite(Math.fround(x)))) {
              return { bytes: out, bad: k };
            }
            dv.setFloat32(at, x, f.little);
          }
          break;
        case 'd':
          {
            const x = asFloat(v);
            if (x === undefined) return { bytes: out, bad: k };
            dv.setFloat64(at, x, f.little);
          }
          break;
        default: {
          const x = integral(v);
          const [lo, hi] = intRange(it);
          if (x === undefined || x < lo || x > hi) return { bytes: out, bad: k };
          let u = x < 0n ? x + (1n << BigInt(it.size * 8)) : x;
          for (let i = 0; i < it.size; i++) {
            out[at + (f.little ? i : it.size - 1 - i)] = Number(u & 0xffn);
            u >>= 8n;
          }
        }
      }
    }
  }
  return { bytes: out, bad: -1 };
}

/** The values of one record at `at` in `mem`, as memview hands them out. */
export function unpackModel(f: ModelFormat, mem: Uint8Array, at: number): unknown[] {
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const out: unknown[] = [];
  for (const it of f.items) {
    const base = at + it.offset;
    if (it.code === 'x') continue;
    if (it.code === 's') {
      out.push(mem.slice(base, base + it.count));
      continue;
    }
    for (let n = 0; n < it.count; n++) {
      const p = base + n * it.size;
      switch (it.code) {
        case 'c':
          out.push(mem.slice(p, p + 1));
          break;
        case '?':
          out.push(mem[p] !== 0);
          break;
        case 'e':
          out.push(halfToDouble(dv.getUint16(p, f.little)));
          break;
        case 'f':
          out.push(dv.getFloat32(p, f.little));
          break;
        case 'd':
          out.push(dv.getFloat64(p, f.little));
          break;
        default: {
          let u = 0n;
          for (let i = 0; i < it.size; i++) {
            u = (u << 8n) | BigInt(mem[p + (f.little ? it.size - 1 - i : i)]);
          }
          const signed = 'bhilqn'.includes(it.code);
          const bits = BigInt(it.size * 8);
          if (signed && u >= 1n << (bits - 1n)) u -= 1n << bits;
          out.push(isBig(f, it.code) ? u : Number(u));
        }
      }
    }
  }
  return out;
}

/** IEEE half → double, by the textbook formula. */
function halfToDouble(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Half floats the generator packs, with their bits (exactly representable). */
export const HALF = new Map<number, number>([
  [0, 0x0000],
  [1, 0x3c00],
  [-2, 0xc000],
  [0.5, 0x3800],
  [65504, 0x7bff],
  [Infinity, 0x7c00],
  [-0.25, 0xb400],
  [3, 0x4200],
]);

// ---------------------------------------------------------------------------------------
// Layouts
// ---------------------------------------------------------------------------------------

/** A view's layout over the modelled memory, as CPython's Py_buffer describes it. */
export interface ModelLayout {
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly format: string;
  readonly itemsize: number;
  readonly readonly: boolean;
}

/** Every element's byte address, in C order. */
export function addresses(l: ModelLayout): number[] {
  const out: number[] = [];
  const walk = (dim: number, at: number) => {
    if (dim === l.shape.length) {
      out.push(at);
      return;
    }
    for (let i = 0; i < l.shape[dim]; i++) walk(dim + 1, at + i * l.strides[dim]);
  };
  walk(0, l.offset);
  return out;
}

/** The number of elements. */
export function count(l: ModelLayout): number {
  return l.shape.reduce((a, b) => a * b, 1);
}

/** The bytes the layout touches, [lo, hi), or undefined when it has no element. */
export function span(l: ModelLayout): [number, number] | undefined {
  if (count(l) === 0) return undefined;
  let lo = l.offset;
  let hi = l.offset;
  for (let d = 0; d < l.shape.length; d++) {
    const reach = (l.shape[d] - 1) * l.strides[d];
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  return [lo, hi + l.itemsize];
}

/**
 * C-contiguous as CPython's memoryview flags it: 0-D always; 1-D when shape is 1 or the
 * stride is the itemsize (so an empty 1-D view with another stride is not); N-D when
 * empty, or when every dimension longer than 1 has the C stride.
 */
export function isC(l: ModelLayout): boolean {
  const n = l.shape.length;
  if (n === 0) return true;
  if (n === 1) return l.shape[0] === 1 || l.strides[0] === l.itemsize;
  if (l.shape.includes(0)) return true;
  let sd = l.itemsize;
  for (let d = n - 1; d >= 0; d--) {
    if (l.shape[d] > 1 && l.strides[d] !== sd) return false;
    sd *= l.shape[d];
  }
  return true;
}

/** F-contiguous (for toBytes('F')'s order, and CPython's contiguity flags). */
export function fAddresses(l: ModelLayout): number[] {
  const out: number[] = [];
  const n = l.shape.length;
  const idx = new Array<number>(n).fill(0);
  const total = l.shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    let at = l.offset;
    for (let d = 0; d < n; d++) at += idx[d] * l.strides[d];
    out.push(at);
    for (let d = 0; d < n; d++) {
      if (++idx[d] < l.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Python's slice.indices(length): [start, stop, step, count], or undefined for step 0. */
export function sliceIndices(
  length: number,
  start: number | null,
  stop: number | null,
  step: number | null,
): [number, number, number, number] | undefined {
  const st = step ?? 1;
  if (st === 0) return undefined;
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += length;
      if (v < 0) v = st < 0 ? -1 : 0;
    } else if (v >= length) v = st < 0 ? length - 1 : length;
    return v;
  };
  const a = clamp(start, st < 0 ? length - 1 : 0);
  const b = clamp(stop, st < 0 ? -1 : length);
  let n = 0;
  if (st > 0 && a < b) n = Math.floor((b - a - 1) / st) + 1;
  if (st < 0 && b < a) n = Math.floor((a - b - 1) / -st) + 1;
  return [a, b, st, n];
}

/** Deep equality for unpacked values: numbers by Object.is, bigints, booleans, bytes, arrays. */
export function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  return Object.is(a, b);
}

/** A value printed for a reproduction. */
export function show(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array.of(${[...v].join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (v !== null && typeof v === 'object')
    return `<${(v as object).constructor?.name ?? 'object'}>`;
  return String(v);
}
