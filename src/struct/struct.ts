/**
 * `struct`: packing and unpacking of values described by a format string, with
 * CPython 3.13's results, errors and check order.
 *
 * Check order, as CPython's: the format, then the argument count, then the buffer, then
 * the offset, then each value in turn. `packInto` zero-fills its region first and writes
 * values in order, so a value that fails leaves the same partial write CPython leaves.
 */

import type { StructValue } from '../codec/index.js';
import { IndexError, OverflowError, pyTypeName, StructError } from '../errors.js';
import {
  type FormatSource,
  type PackValues,
  type ParsedFormat,
  parseFormat,
  type Unpacked,
} from '../format/index.js';
import { type BufferInfo, type BufferSource, releaseBuffer } from '../protocol/index.js';
import { compilePlan, type Packer, type Plan, type Unpacker, zeroBytes } from './plan.js';
import { borrowExport, exportedBytes, type Region, resolveSource } from './source.js';

/** A byte offset: a number (integral) or a bigint; negative offsets count from the end. */
export type Offset = number | bigint;

/** Formats up to this size pack through a scratch buffer of their own, then one copy. */
const SCRATCH_SIZE = 256;
const noMemory = new DataView(new ArrayBuffer(0));

/**
 * @internal The compiled reader of a Struct — `(dataView, byteOffset) => values`, with no
 * argument or bounds checks — for consumers that have checked their own memory and
 * offset (`BufferReader`). Set by the class's static block, which alone sees `#plan`.
 */
export let unpackerOf: (s: Struct) => Unpacker;

/**
 * @internal The compiled writer of a Struct — `(dataView, byteOffset, values, start)`,
 * no checks of count, memory or offset, pad bytes left as they are — for consumers that
 * have made room and zeroed it themselves (`BufferWriter`).
 */
export let packerOf: (s: Struct) => Packer;

/** A compiled struct format: `struct.Struct`. */
export class Struct<F extends string = string> {
  static {
    unpackerOf = (s) => s.#plan.unpack;
    packerOf = (s) => s.#plan.pack;
  }

  /** The format string this Struct was made from. */
  readonly format: string;
  /** The packed size in bytes (`calcsize(format)`). */
  readonly size: number;
  readonly #parsed: ParsedFormat;
  readonly #plan: Plan;
  readonly #region: Region = { dv: noMemory, base: 0, length: 0 };
  // Pad bytes of the scratch are never written, so they stay zero across packs.
  readonly #scratch: Uint8Array | undefined;
  readonly #scratchView: DataView | undefined;

  /** Parses `format` (a string, or ASCII bytes); StructError for a malformed format. */
  constructor(format: F | Uint8Array) {
    this.#parsed = parseFormat(format);
    this.format = this.#parsed.format;
    this.size = this.#parsed.size;
    this.#plan = compilePlan(this.#parsed);
    if (this.size <= SCRATCH_SIZE) {
      this.#scratch = new Uint8Array(this.size);
      this.#scratchView = new DataView(this.#scratch.buffer);
    }
  }

  /** Packs `values` into a new Uint8Array of `size` bytes. */
  pack(...values: PackValues<F>): Uint8Array {
    const parsed = this.#parsed;
    if (values.length !== parsed.valueCount) {
      throw new StructError(
        `pack expected ${parsed.valueCount} items for packing (got ${values.length})`,
      );
    }
    const scratch = this.#scratch;
    if (scratch !== undefined) {
      // Values are converted without calling user code, so the scratch cannot be re-entered.
      this.#plan.pack(this.#scratchView!, 0, values, 0);
      return new Uint8Array(scratch);
    }
    const out = new Uint8Array(parsed.size);
    this.#plan.pack(new DataView(out.buffer), 0, values, 0);
    return out;
  }

  /** Packs `values` into `buffer` at `offset` (negative counts from the end). */
  packInto(buffer: BufferSource, offset: Offset, ...values: PackValues<F>): void;
  packInto(...args: unknown[]): void {
    const parsed = this.#parsed;
    if (args.length !== parsed.valueCount + 2) {
      if (args.length === 0) throw new StructError('pack_into expected buffer argument');
      if (args.length === 1) throw new StructError('pack_into expected offset argument');
      throw new StructError(
        `pack_into expected ${parsed.valueCount} items for packing (got ${args.length - 2})`,
      );
    }
    const region = this.#region;
    if (!resolveSource(args[0], region)) {
      const info = borrowExport(args[0], true);
      try {
        args[0] = exportedBytes(info);
        this.packInto(...(args as [BufferSource, Offset, ...PackValues<F>]));
        return;
      } finally {
        releaseBuffer(info);
      }
    }
    const at = region.base + placeOffset(args[1], parsed.size, region.length, PACK_INTO);
    const plan = this.#plan;
    plan.zeroGaps?.(region.dv, at);
    try {
      plan.pack(region.dv, at, args, 2);
    } catch (error) {
      // CPython zero-fills the region, then writes values in order until one fails. Replay
      // that on failure only: writers call no user code, so the replay fails the same way.
      zeroBytes(region.dv, at, parsed.size);
      try {
        plan.pack(region.dv, at, args, 2);
      } catch {}
      throw error;
    }
  }

  /** Unpacks a buffer of exactly `size` bytes. */
  unpack(buffer: BufferSource): Unpacked<F> {
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
      throw new StructError(`unpack requires a buffer of ${this.size} bytes`);
    }
    return this.#plan.unpack(region.dv, region.base) as Unpacked<F>;
  }

  /** Unpacks `size` bytes of `buffer` from `offset` (negative counts from the end). */
  unpackFrom(buffer: BufferSource, offset: Offset = 0): Unpacked<F> {
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
    return this.#plan.unpack(region.dv, at) as Unpacked<F>;
  }

  /** Lazily unpacks consecutive records of `buffer`, whose size must be a multiple of `size`. */
  iterUnpack(buffer: BufferSource): StructIterator<Unpacked<F>> {
    if (this.size === 0) {
      throw new StructError('cannot iteratively unpack with a struct of length 0');
    }
    const region: Region = { dv: noMemory, base: 0, length: 0 };
    let info: BufferInfo | undefined;
    if (!resolveSource(buffer, region)) {
      info = borrowExport(buffer, false);
      resolveSource(exportedBytes(info), region);
    }
    if (region.length % this.size !== 0) {
      if (info !== undefined) releaseBuffer(info);
      throw new StructError(
        `iterative unpacking requires a buffer of a multiple of ${this.size} bytes`,
      );
    }
    return new StructIterator(this.#plan, region, this.size, info);
  }

  /** `Struct('<hi')`, as CPython 3.13's repr. */
  toString(): string {
    return `Struct(${pyRepr(this.format)})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The lazy iterator `iterUnpack` returns (`_struct.unpack_iterator`). */
export class StructIterator<T> implements IterableIterator<T> {
  readonly #plan: Plan;
  readonly #region: Region;
  readonly #size: number;
  #position = 0;
  // The export of an exporter's memory, held until the records run out (CPython holds
  // its Py_buffer until the iterator is exhausted).
  #info: BufferInfo | undefined;

  /** @internal Made by `Struct.iterUnpack`. */
  constructor(plan: Plan, region: Region, size: number, info?: BufferInfo) {
    this.#plan = plan;
    this.#region = region;
    this.#size = size;
    this.#info = info;
  }

  #finish(): void {
    const info = this.#info;
    if (info === undefined) return;
    this.#info = undefined;
    releaseBuffer(info);
  }

  /** The next record; done once the buffer is consumed, which releases an exporter's memory. */
  next(): IteratorResult<T, undefined> {
    const region = this.#region;
    if (this.#position >= region.length) {
      this.#finish();
      return { value: undefined, done: true };
    }
    const value = this.#plan.unpack(region.dv, region.base + this.#position) as T;
    this.#position += this.#size;
    return { value, done: false };
  }

  /** How many records remain (CPython's `__length_hint__`). */
  lengthHint(): number {
    return (this.#region.length - this.#position) / this.#size;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

interface OffsetWording {
  readonly fn: string;
  readonly verb: string;
  readonly negative: string;
  readonly overflow: (message: string) => Error;
  readonly overflowMessage: string;
}

const UNPACK_FROM: OffsetWording = {
  fn: 'unpack_from',
  verb: 'unpacking',
  negative: 'not enough data to unpack',
  overflow: (m) => new OverflowError(m),
  overflowMessage: 'Python int too large to convert to C ssize_t',
};

const PACK_INTO: OffsetWording = {
  fn: 'pack_into',
  verb: 'packing',
  negative: 'no space to pack',
  overflow: (m) => new IndexError(m),
  overflowMessage: "cannot fit 'int' into an index-sized integer",
};

const SSIZE_LIMIT = 2 ** 63;

/**
 * The absolute offset of `size` bytes at `offset` in a region of `length` bytes, with
 * CPython's checks and messages (negative offsets count from the end).
 */
function placeOffset(offset: unknown, size: number, length: number, w: OffsetWording): number {
  let at: number;
  if (typeof offset === 'number' && Number.isInteger(offset)) {
    if (offset >= 0 && offset <= length - size) return offset;
    if (offset >= SSIZE_LIMIT || offset < -SSIZE_LIMIT) throw w.overflow(w.overflowMessage);
    at = offset;
  } else if (typeof offset === 'bigint') {
    if (offset >= 1n << 63n || offset < -(1n << 63n)) throw w.overflow(w.overflowMessage);
    at = Number(offset);
  } else if (typeof offset === 'boolean') at = offset ? 1 : 0;
  else {
    throw new TypeError(`'${pyTypeName(offset)}' object cannot be interpreted as an integer`);
  }
  if (at >= 0 && at <= length - size) return at;
  // Slow path: an error, or a negative offset. Messages use exact integers.
  const exact = typeof offset === 'bigint' ? offset : BigInt(at);
  if (exact < 0n) {
    if (exact + BigInt(size) > 0n) {
      throw new StructError(`${w.negative} ${size} bytes at offset ${exact}`);
    }
    if (exact + BigInt(length) < 0n) {
      throw new StructError(`offset ${exact} out of range for ${length}-byte buffer`);
    }
    return at + length;
  }
  throw new StructError(
    `${w.fn} requires a buffer of at least ${BigInt(size) + exact} bytes for ${w.verb} ` +
      `${size} bytes at offset ${exact} (actual buffer size is ${length})`,
  );
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

/**
 * The compiled Struct of `format`, shared: the module functions and the readers use it
 * (up to 100 formats are kept, as CPython's struct module keeps them).
 */
export function cachedStruct(format: FormatSource): Struct {
  if (typeof format !== 'string') return new Struct(format);
  let s = structs.get(format);
  if (s === undefined) {
    s = new Struct(format);
    if (structs.size >= MAX_CACHE) structs.clear();
    structs.set(format, s);
  }
  return s;
}

/** `struct.pack`: packs `values` by `format` into a new Uint8Array. */
export function pack<F extends string>(
  format: F | Uint8Array,
  ...values: PackValues<F>
): Uint8Array;
export function pack(...args: unknown[]): Uint8Array {
  if (args.length === 0) throw new TypeError('missing format argument');
  return cachedStruct(args[0] as FormatSource).pack(...args.slice(1));
}

/** `struct.pack_into`: packs `values` by `format` into `buffer` at `offset`. */
export function packInto<F extends string>(
  format: F | Uint8Array,
  buffer: BufferSource,
  offset: Offset,
  ...values: PackValues<F>
): void;
export function packInto(...args: unknown[]): void {
  if (args.length === 0) throw new TypeError('missing format argument');
  const s = cachedStruct(args[0] as FormatSource) as Struct & { packInto(...a: unknown[]): void };
  s.packInto(...args.slice(1));
}

/** `struct.unpack`: unpacks a buffer of exactly `calcsize(format)` bytes. */
export function unpack<F extends string>(
  format: F | Uint8Array,
  buffer: BufferSource,
): Unpacked<F> {
  return cachedStruct(format).unpack(buffer) as Unpacked<F>;
}

/** `struct.unpack_from`: unpacks `calcsize(format)` bytes of `buffer` from `offset`. */
export function unpackFrom<F extends string>(
  format: F | Uint8Array,
  buffer: BufferSource,
  offset: Offset = 0,
): Unpacked<F> {
  return cachedStruct(format).unpackFrom(buffer, offset) as Unpacked<F>;
}

/** `struct.iter_unpack`: a lazy iterator over the consecutive records of `buffer`. */
export function iterUnpack<F extends string>(
  format: F | Uint8Array,
  buffer: BufferSource,
): StructIterator<Unpacked<F>> {
  return cachedStruct(format).iterUnpack(buffer) as StructIterator<Unpacked<F>>;
}

export type { StructValue };
