/**
 * How `memview inspect` shows one element: as Python would print it (`repr` of what
 * `struct.unpack` returns: `(1, 2, 3.5)`, `b'ab\x00'`, `True`, `1e+16`), or as a JSON
 * value (bigints as decimal strings, bytes as hex, non-finite floats as `"nan"`, `"inf"`,
 * `"-inf"`).
 *
 * Which numbers are floats comes from the format, not from the value: `'d'` 1 prints as
 * `1.0`, `'i'` 1 as `1`.
 */

import { parseFormat } from '../format/index.js';

/** JSON's view of one element: what `JSON.stringify` can write without loss. */
export type JsonElement = number | string | boolean | null | JsonElement[];

/** Formats the elements of one struct format; built once per format, then called per element. */
export class ElementPrinter {
  /**
   * The format's values as runs: `[count, isFloat]` for each run of values from float
   * codes (`e`, `f`, `d`) or not — per run, not per value, so '4294967296B' costs nothing.
   */
  readonly #runs: readonly (readonly [number, boolean])[];

  /** True for a record format (a tuple per element), false for a one-value format. */
  readonly isRecord: boolean;

  /** Reads the value kinds of `format` (already validated). */
  constructor(format: string) {
    const runs: [number, boolean][] = [];
    const parsed = parseFormat(format);
    this.isRecord = parsed.valueCount !== 1;
    for (const run of parsed.runs) {
      const isFloat = run.kind === 'float';
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === isFloat) last[0] += run.count;
      else if (run.count > 0) runs.push([run.count, isFloat]);
    }
    this.#runs = runs;
  }

  /**
   * Python's `repr` of an element as a `MemoryView` returns it: a single value for a
   * one-value format, a tuple for a record.
   */
  repr(element: unknown): string {
    if (!Array.isArray(element)) return valueRepr(element, this.#runs[0]?.[1] ?? false);
    const parts = this.#mapValues(element, valueRepr);
    return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
  }

  /** The element as a JSON value: an array for a record, else one value. */
  json(element: unknown): JsonElement {
    if (!Array.isArray(element)) return jsonValue(element);
    return element.map(jsonValue);
  }

  /** `fn(value, isFloat)` for each value of a record, walking the runs alongside. */
  #mapValues<T>(values: readonly unknown[], fn: (value: unknown, isFloat: boolean) => T): T[] {
    const out: T[] = [];
    let run = 0;
    let left = this.#runs[0]?.[0] ?? 0;
    for (const value of values) {
      while (left === 0 && run + 1 < this.#runs.length) left = this.#runs[++run][0];
      out.push(fn(value, this.#runs[run]?.[1] ?? false));
      left--;
    }
    return out;
  }
}

/** Python's `repr` of one unpacked value. */
function valueRepr(value: unknown, isFloat: boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return isFloat ? floatRepr(value) : String(value);
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return bytesRepr(value);
  return String(value);
}

function jsonValue(value: unknown): JsonElement {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  }
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return null;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript finds them),
 * in fixed notation when the decimal exponent is in [-4, 16), else as `1.5e+16`.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) {
    return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Python's `repr(bytes)`: `b'…'`, printable ASCII as is, `\t \n \r`, the rest as `\xNN`. */
export function bytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const byte of bytes) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}${quote}`;
}
