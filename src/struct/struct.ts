/**
 * `struct`: packing and unpacking of values described by a format string, with
 * CPython 3.13's results, errors and check order.
 *
 * Check order, as CPython's: the format, then the argument count, then the buffer, then
 * the offset, then each value in turn. `packInto` zero-fills its region first and writes
 * values in order, so a value that fails leaves the same partial write CPython leaves.
 */

import { int64Option, type StructValue } from '../codec/index.js';
import {
  fromCall,
  IndexError,
  MemoryError,
  OverflowError,
  pyTypeName,
  StructError,
} from '../errors.js';
import {
  type FormatSource,
  type Int64Mode,
  type PackValues,
  type ParsedFormat,
  parseFormat,
  type Unpacked,
} from '../format/index.js';
import { assertAlive, type BufferSource, releaseBuffer } from '../protocol/index.js';
import { type Offset, PACK_INTO, placeOffset, UNPACK_FROM } from './offset.js';
import { compilePlan, type Packer, type Plan, writeValues, zeroBytes } from './plan.js';
import { readValue, readValues } from './program.js';
import { borrowExport, exportedBytes, NO_MEMORY, type Region, resolveSource } from './source.js';
import { iterRecords, type StructIterator, type StructOptions } from './unpack.js';

export type { Offset, StructOptions };

/**
 * @internal The compiled writer of a Struct — `(dataView, byteOffset, values, start)`,
 * no checks of count, memory or offset, pad bytes left as they are — for consumers that
 * have made room and zeroed it themselves (`BufferWriter`).
 */
export let packerOf: (s: Struct<string, Int64Mode>) => Packer;

// Python's PY_SSIZE_T_MAX less the header of a bytes object: CPython's limit for `pack`.
const BYTES_LIMIT = 0x7fff_ffff_ffff_ffden; // PY_SSIZE_T_MAX - 33

/** Fresh zeroed memory for a packed record, or CPython's MemoryError/OverflowError. */
/** Records up to this size pack through a scratch buffer of their Struct, then one copy. */
const SCRATCH_SIZE = 256;

function allocate(parsed: ParsedFormat): Uint8Array {
  if (parsed.exactSize > BYTES_LIMIT) throw new OverflowError('byte string is too large');
  try {
    return new Uint8Array(parsed.size);
  } catch {
    // V8's RangeError ("Invalid typed array length", "Array buffer allocation failed").
    throw new MemoryError();
  }
}

/**
 * A compiled struct format: `struct.Struct`. `M` is the `int64` option's mode, which the
 * unpacked types follow.
 *
 * @example
 * ```ts
 * import { Struct } from 'memview';
 * const header = new Struct('<IHH');
 * header.size; // 8
 * const bytes = header.pack(1, 2, 3);
 * header.unpack(bytes); // [1, 2, 3]
 * const page = new Uint8Array(64);
 * header.packInto(page, 8, 4, 5, 6);
 * header.unpackFrom(page, 8); // [4, 5, 6]
 * ```
 */
export class Struct<F extends string = string, M extends Int64Mode = 'bigint'> {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'Struct';

  static {
    packerOf = (s) => s.#plan.pack;
  }

  /** The format string this Struct was made from. */
  readonly format: string;
  /** The packed size in bytes (`calcsize(format)`). */
  readonly size: number;
  /** How 8-byte integers unpack: `'bigint'` (CPython's int, the default) or `'number'`. */
  readonly int64: M;
  readonly #parsed: ParsedFormat;
  readonly #plan: Plan;
  // Filled by `resolveSource` and read into locals at once, before any user code runs.
  readonly #region: Region = { dv: NO_MEMORY, base: 0, length: 0 };
  // Small records pack into this Struct's own scratch, then one copy: a DataView over each
  // fresh result would move it off V8's heap (≈ 15× the cost of the copy). `#packing` says
  // the scratch is in use, so a re-entrant pack (from a `?` truth test) takes fresh memory.
  readonly #scratch: Uint8Array | undefined;
  readonly #scratchView: DataView;
  #packing = false;

  /**
   * Parses `format` (a string, or ASCII bytes); StructError for a malformed format.
   * `options.int64` (beyond CPython): see `StructOptions`; ValueError "int64 must be
   * either 'bigint' or 'number'" for another value.
   *
   * @throws {StructError} "bad char in struct format" for a malformed format.
   */
  constructor(format: F | Uint8Array, options?: StructOptions<M>) {
    try {
      const int64 = int64Option(options);
      this.#parsed = parseFormat(format);
      this.format = this.#parsed.format;
      this.size = this.#parsed.size;
      this.int64 = int64 as M;
      this.#plan = compilePlan(this.#parsed, int64);
      this.#scratch = this.size <= SCRATCH_SIZE ? new Uint8Array(this.size) : undefined;
      this.#scratchView =
        this.#scratch === undefined ? NO_MEMORY : new DataView(this.#scratch.buffer);
    } catch (error) {
      throw fromCall(error, Struct);
    }
  }

  /**
   * Packs `values` into a new Uint8Array of `size` bytes (fresh memory, never shared).
   *
   * @throws {StructError} "pack expected 3 items for packing (got 1)" for a wrong count; a
   * value's range error ("'H' format requires 0 <= number <= 65535").
   */
  pack(...values: PackValues<F>): Uint8Array {
    try {
      const plan = this.#plan;
      if (values.length !== plan.valueCount) {
        throw new StructError(
          `pack expected ${plan.valueCount} items for packing (got ${values.length})`,
        );
      }
      const scratch = this.#scratch;
      if (scratch !== undefined && !this.#packing) {
        this.#packing = true;
        try {
          // Pad bytes are never written, so they stay zero; every value byte is rewritten.
          plan.pack(this.#scratchView, 0, values, 0);
        } finally {
          this.#packing = false;
        }
        return new Uint8Array(scratch);
      }
      const out = allocate(this.#parsed);
      plan.pack(new DataView(out.buffer), 0, values, 0);
      return out;
    } catch (error) {
      throw fromCall(error, Struct.prototype.pack);
    }
  }

  /**
   * Packs `values` into `buffer` at `offset` (negative counts from the end).
   *
   * @throws {StructError} "pack_into requires a buffer of at least 68 bytes for packing 8
   * bytes at offset 60 (actual buffer size is 64)" when the record does not fit.
   */
  packInto(buffer: BufferSource, offset: Offset, ...values: PackValues<F>): void;
  packInto(buffer?: unknown, offset?: unknown, ...values: unknown[]): void {
    try {
      const plan = this.#plan;
      const region = this.#region;
      // `arguments.length` tells a missing buffer or offset from an empty record's values.
      // biome-ignore lint/complexity/noArguments: the count of arguments, undefined ones included
      if (values.length !== plan.valueCount || arguments.length < 2) {
        // biome-ignore lint/complexity/noArguments: as above
        throw packIntoCountError(arguments.length, plan.valueCount);
      }
      if (!resolveSource(buffer, region)) {
        this.#packIntoExport(buffer, offset, values);
        return;
      }
      const dv = region.dv;
      const at = region.base + placeOffset(offset, plan.size, region.length, PACK_INTO);
      const pack = plan.packInto;
      if (pack === undefined) {
        writeRecord(plan, dv, at, values, buffer);
        return;
      }
      // The common record: no user code can run, and the writer, inlined with this call
      // into the caller's loop, takes the values where the call left them.
      try {
        pack(dv, at, values, 0);
      } catch (error) {
        failedRecord(plan, dv, at, values);
        throw error;
      }
    } catch (error) {
      throw fromCall(error, Struct.prototype.packInto);
    }
  }

  #packIntoExport(buffer: unknown, offset: unknown, values: unknown[]): void {
    const info = borrowExport(buffer, true);
    try {
      const region = this.#region;
      resolveSource(exportedBytes(info), region);
      const dv = region.dv;
      const plan = this.#plan;
      const at = region.base + placeOffset(offset, plan.size, region.length, PACK_INTO);
      writeRecord(plan, dv, at, values, info.obj);
    } finally {
      releaseBuffer(info);
    }
  }

  /**
   * Unpacks a buffer of exactly `size` bytes.
   *
   * @throws {StructError} "unpack requires a buffer of 8 bytes" for any other size.
   */
  unpack(buffer: BufferSource): Unpacked<F, M> {
    try {
      const region = this.#region;
      if (!resolveSource(buffer, region)) {
        const info = borrowExport(buffer, false);
        try {
          return this.unpack(exportedBytes(info));
        } finally {
          releaseBuffer(info);
        }
      }
      if (region.length !== this.size) {
        throw new StructError(`unpack requires a buffer of ${this.#parsed.exactSize} bytes`);
      }
      return this.#plan.unpack(region.dv, region.base) as Unpacked<F, M>;
    } catch (error) {
      throw fromCall(error, Struct.prototype.unpack);
    }
  }

  /**
   * Unpacks `size` bytes of `buffer` from `offset` (negative counts from the end).
   *
   * @throws {StructError} "unpack_from requires a buffer of at least 68 bytes for unpacking 8
   * bytes at offset 60 (actual buffer size is 64)" when the record does not fit.
   */
  unpackFrom(buffer: BufferSource, offset: Offset = 0): Unpacked<F, M> {
    try {
      const region = this.#region;
      if (!resolveSource(buffer, region)) {
        const info = borrowExport(buffer, false);
        try {
          return this.unpackFrom(exportedBytes(info), offset);
        } finally {
          releaseBuffer(info);
        }
      }
      const at = region.base + placeOffset(offset, this.size, region.length, UNPACK_FROM);
      return this.#plan.unpack(region.dv, at) as Unpacked<F, M>;
    } catch (error) {
      throw fromCall(error, Struct.prototype.unpackFrom);
    }
  }

  /**
   * Beyond CPython: unpacks `size` bytes of `buffer` from `offset` into `out[0…]`, the
   * caller's array, and returns `out`; no array is made per record. Checks and errors are
   * `unpackFrom`'s.
   */
  unpackInto<A extends unknown[]>(out: A, buffer: BufferSource, offset: Offset = 0): A {
    try {
      if (!Array.isArray(out)) {
        throw new TypeError(`unpackInto() argument 1 must be an array, not ${pyTypeName(out)}`);
      }
      const region = this.#region;
      if (!resolveSource(buffer, region)) {
        const info = borrowExport(buffer, false);
        try {
          return this.unpackInto(out, exportedBytes(info), offset);
        } finally {
          releaseBuffer(info);
        }
      }
      const at = region.base + placeOffset(offset, this.size, region.length, UNPACK_FROM);
      readValues(this.#plan.program, region.dv, at, out as StructValue[], 0);
      return out;
    } catch (error) {
      throw fromCall(error, Struct.prototype.unpackInto);
    }
  }

  /**
   * Beyond CPython: the `index`th value of the record at `offset` of `buffer` (what
   * `unpackFrom(buffer, offset)[index]` is, negative indices included), reading that item
   * alone. Checks and errors are `unpackFrom`'s, then a tuple's for the index.
   */
  unpackValueFrom(buffer: BufferSource, offset: Offset, index: number): StructValue {
    try {
      const plan = this.#plan;
      const region = this.#region;
      if (!resolveSource(buffer, region)) {
        const info = borrowExport(buffer, false);
        try {
          return this.unpackValueFrom(exportedBytes(info), offset, index);
        } finally {
          releaseBuffer(info);
        }
      }
      const at = region.base + placeOffset(offset, this.size, region.length, UNPACK_FROM);
      if (typeof index !== 'number' || !Number.isInteger(index)) {
        throw new TypeError(`tuple indices must be integers or slices, not ${pyTypeName(index)}`);
      }
      const i = index < 0 ? index + plan.valueCount : index;
      if (i < 0 || i >= plan.valueCount) throw new IndexError('tuple index out of range');
      return readValue(plan.program, region.dv, at, i);
    } catch (error) {
      throw fromCall(error, Struct.prototype.unpackValueFrom);
    }
  }

  /** How many values a record holds: what `pack` takes and `unpack` returns. */
  get valueCount(): number {
    return this.#plan.valueCount;
  }

  /**
   * Lazily unpacks consecutive records of `buffer`, whose size must be a multiple of `size`.
   *
   * @throws {StructError} "iterative unpacking requires a buffer of a multiple of 8 bytes".
   */
  iterUnpack(buffer: BufferSource): StructIterator<Unpacked<F, M>> {
    try {
      return iterRecords(this.#plan, buffer);
    } catch (error) {
      throw fromCall(error, Struct.prototype.iterUnpack);
    }
  }

  /** `Struct('<hi')`, as CPython 3.13's repr (`Struct('<q', int64='number')` in number mode). */
  toString(): string {
    const mode = this.int64 === 'number' ? ", int64='number'" : '';
    return `Struct(${pyRepr(this.format)}${mode})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** StructError for a `packInto` given `given` arguments where `count` values are due. */
function packIntoCountError(given: number, count: number): StructError {
  if (given === 0) return new StructError('pack_into expected buffer argument');
  if (given === 1) return new StructError('pack_into expected offset argument');
  return new StructError(`pack_into expected ${count} items for packing (got ${given - 2})`);
}

/**
 * Writes one record at `at` with CPython's `pack_into` semantics: a zero-filled region,
 * then values in order until one fails. With a `?` in the format, user code may run and
 * look at the region, so it is zeroed first, as CPython does, and the interpreter writes
 * once; memory that user code detached or shrank is reported as the BufferError naming
 * the cause. Without one, no user code runs: only the pad bytes are zeroed before the
 * fast writer, and `failedRecord` sets the bytes should a value fail.
 */
function writeRecord(plan: Plan, dv: DataView, at: number, values: unknown[], obj: unknown): void {
  const end = at + plan.size;
  if (plan.callsUser) {
    zeroBytes(dv, at, plan.size);
    try {
      writeValues(plan.program, plan.codes, dv, at, values, 0, -1);
    } catch (error) {
      assertAlive(obj, dv.buffer, end);
      throw error;
    }
    // The writes after the user code may all have landed in what is left of a shrunk
    // buffer: the record's memory is still gone, and the call says so.
    assertAlive(obj, dv.buffer, end);
    return;
  }
  plan.zeroGaps?.(dv, at);
  try {
    plan.pack(dv, at, values, 0);
  } catch (error) {
    failedRecord(plan, dv, at, values);
    throw error;
  }
}

/**
 * After a value of a format without `?` failed: the record's bytes as CPython leaves
 * them, by replaying it through the interpreter, which (no user code running) fails at
 * the same value, with the region zeroed first.
 */
function failedRecord(plan: Plan, dv: DataView, at: number, values: unknown[]): void {
  zeroBytes(dv, at, plan.size);
  try {
    writeValues(plan.program, plan.codes, dv, at, values, 0, at + plan.size);
  } catch {}
}

/** Python's repr of an ASCII string: single quotes unless the text holds one and no double. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

// Module-level functions share compiled Structs, as CPython's struct module caches them.
const MAX_CACHE = 100;
const structs = new Map<string, Struct>();
// Number-mode Structs, apart, so that the default lookup stays one Map.get of the format.
const numberStructs = new Map<string, Struct<string, Int64Mode>>();

/**
 * The compiled Struct of `format`, shared: `pack`, `packInto` and the readers use it
 * (up to 100 formats per mode are kept, as CPython's struct module keeps them).
 */
export function cachedStruct(format: FormatSource): Struct;
export function cachedStruct(
  format: FormatSource,
  options: StructOptions | undefined,
): Struct<string, Int64Mode>;
export function cachedStruct(
  format: FormatSource,
  options?: StructOptions,
): Struct<string, Int64Mode> {
  if (options !== undefined && int64Option(options) === 'number') {
    return cachedIn(numberStructs, format, options);
  }
  return cachedIn(structs, format, undefined);
}

function cachedIn(
  cache: Map<string, Struct<string, Int64Mode>>,
  format: FormatSource,
  options: StructOptions | undefined,
): Struct<string, Int64Mode> {
  if (typeof format !== 'string') return new Struct(format, options);
  let s = cache.get(format);
  if (s === undefined) {
    s = new Struct(format, options);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(format, s);
  }
  return s;
}

/**
 * `struct.pack`: packs `values` by `format` into a new Uint8Array.
 *
 * @throws {StructError} "'b' format requires -128 <= number <= 127" for a value out of
 * its code's range (each code has its own message), "pack expected 2 items for packing
 * (got 1)" for a wrong count, "bad char in struct format" for a malformed format.
 * @example
 * ```ts
 * import { pack } from 'memview';
 * pack('<IH', 1, 2); // Uint8Array [1, 0, 0, 0, 2, 0]
 * ```
 */
export function pack<F extends string>(
  format: F | Uint8Array,
  ...values: PackValues<F>
): Uint8Array;
export function pack(...args: unknown[]): Uint8Array {
  try {
    if (args.length === 0) throw new TypeError('missing format argument');
    return cachedStruct(args[0] as FormatSource).pack(...args.slice(1));
  } catch (error) {
    throw fromCall(error, pack);
  }
}

/**
 * `struct.pack_into`: packs `values` by `format` into `buffer` at `offset`.
 *
 * @throws {StructError} "pack_into requires a buffer of at least 4 bytes for packing 4
 * bytes at offset 0 (actual buffer size is 2)" when the record does not fit.
 * @throws {TypeError} "argument must be read-write bytes-like object, not bytes" for
 * read-only memory (a `Bytes`, a read-only view).
 * @example
 * ```ts
 * import { packInto } from 'memview';
 * const buffer = new Uint8Array(6);
 * packInto('<H', buffer, 2, 0xabcd); // buffer is [0, 0, 0xcd, 0xab, 0, 0]
 * ```
 */
export function packInto<F extends string>(
  format: F | Uint8Array,
  buffer: BufferSource,
  offset: Offset,
  ...values: PackValues<F>
): void;
export function packInto(
  format?: unknown,
  buffer?: unknown,
  offset?: unknown,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
  ...more: unknown[]
): void {
  try {
    // Forwarded with the same number of arguments (packInto counts them), without spreading.
    // biome-ignore lint/complexity/noArguments: the count of arguments, including undefined ones
    const given = arguments.length;
    if (given === 0) throw new TypeError('missing format argument');
    const s = cachedStruct(format as FormatSource) as unknown as {
      packInto(...args: unknown[]): void;
    };
    switch (given) {
      case 1:
        s.packInto();
        return;
      case 2:
        s.packInto(buffer);
        return;
      case 3:
        s.packInto(buffer, offset);
        return;
      case 4:
        s.packInto(buffer, offset, a);
        return;
      case 5:
        s.packInto(buffer, offset, a, b);
        return;
      case 6:
        s.packInto(buffer, offset, a, b, c);
        return;
      case 7:
        s.packInto(buffer, offset, a, b, c, d);
        return;
      default:
        s.packInto(buffer, offset, a, b, c, d, ...more);
    }
  } catch (error) {
    throw fromCall(error, packInto);
  }
}

export type { StructValue };
