/**
 * What only reads: the module functions `unpack`, `unpackFrom` and `iterUnpack`, and the
 * iterator. They compile formats for reading alone (program.ts), with a cache of their
 * own, so that a program that only unpacks loads neither `Struct` nor any writer; `Struct`
 * (struct.ts) reads with the same plans and makes its iterators here.
 */

import { int64Option, type StructValue } from '../codec/index.js';
import { fromCall, StructError } from '../errors.js';
import {
  type FormatSource,
  type Int64Mode,
  type ParsedFormat,
  parseFormat,
  type Unpacked,
} from '../format/index.js';
import {
  type BufferInfo,
  type BufferSource,
  deadMemoryError,
  isAlive,
  releaseBuffer,
} from '../protocol/index.js';
import { type Offset, placeOffset, UNPACK_FROM } from './offset.js';
import { compileReadPlan, type ReadPlan, type Unpacker } from './program.js';
import { borrowReadable, exportedBytes, NO_MEMORY, type Region, resolveSource } from './source.js';

/**
 * Options of a Struct (beyond CPython). `int64: 'number'` unpacks 8-byte integers (`q Q
 * n N P`, native `l L` under LP64) as numbers, exactly: a value beyond ±(2**53 - 1)
 * raises OverflowError rather than round. Packing takes numbers and bigints either way.
 */
export interface StructOptions<M extends Int64Mode = Int64Mode> {
  /** `'bigint'` (the default, as CPython's int) or `'number'` (exact, or OverflowError). */
  readonly int64?: M;
}

/** What a StructIterator needs of a plan: the record's size and its reader. */
export type RecordReader = Pick<ReadPlan, 'size' | 'unpack'>;

// Only `iterUnpack` makes iterators (CPython's unpack_iterator type cannot be instantiated).
const CREATE: unique symbol = Symbol('StructIterator');

/** The lazy iterator `iterUnpack` returns (`_struct.unpack_iterator`). */
export class StructIterator<T> implements IterableIterator<T> {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'StructIterator';

  // The plan's size and reader, not the plan: plans of Structs and of the module
  // functions differ in shape, and `next` reads these fields on every record.
  readonly #size: number;
  readonly #unpack: Unpacker;
  readonly #dv: DataView;
  readonly #base: number;
  readonly #length: number;
  readonly #obj: unknown;
  #position = 0;
  // The export of an exporter's memory, held until the records run out, the loop leaves
  // early (`return`) or a read fails (CPython holds its Py_buffer until exhausted).
  #info: BufferInfo | undefined;

  /** @internal Made by `iterUnpack`; TypeError from user code, as in CPython. */
  constructor(
    token: typeof CREATE,
    plan: RecordReader,
    region: Region,
    obj: unknown,
    info?: BufferInfo,
  ) {
    if (token !== CREATE) throw new TypeError("cannot create '_struct.unpack_iterator' instances");
    this.#size = plan.size;
    this.#unpack = plan.unpack;
    this.#dv = region.dv;
    this.#base = region.base;
    this.#length = region.length;
    this.#obj = obj;
    this.#info = info;
  }

  #finish(): void {
    this.#position = this.#length;
    const info = this.#info;
    if (info === undefined) return;
    this.#info = undefined;
    releaseBuffer(info);
  }

  /** The next record; done once the buffer is consumed, which releases an exporter's memory. */
  next(): IteratorResult<T, undefined> {
    const position = this.#position;
    if (position >= this.#length) {
      this.#finish();
      return { value: undefined, done: true };
    }
    const size = this.#size;
    const at = this.#base + position;
    const dv = this.#dv;
    // User code may have run since the last record: the memory may be gone.
    const buffer = dv.buffer;
    if (!isAlive(buffer, at + size)) {
      const error = deadMemoryError(this.#obj, buffer, at + size);
      this.#finish();
      throw error;
    }
    this.#position = position + size;
    return { value: this.#unpack(dv, at) as T, done: false };
  }

  /** Ends the iteration early (a `break` out of `for…of`), releasing an exporter's memory. */
  return(): IteratorResult<T, undefined> {
    this.#finish();
    return { value: undefined, done: true };
  }

  /** How many records remain (CPython's `__length_hint__`). */
  lengthHint(): number {
    return (this.#length - this.#position) / this.#size;
  }

  /** The iterator itself, so that `for…of` and spreading work, as in Python. */
  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * The iterator over the consecutive records of `buffer` (`iterUnpack`), holding an
 * exporter's memory until the records run out; CPython's StructErrors for a struct of
 * length 0 and for a buffer that is not a multiple of the record.
 */
export function iterRecords<T>(plan: RecordReader, buffer: unknown): StructIterator<T> {
  const size = plan.size;
  if (size === 0) {
    throw new StructError('cannot iteratively unpack with a struct of length 0');
  }
  const region: Region = { dv: NO_MEMORY, base: 0, length: 0 };
  let info: BufferInfo | undefined;
  let obj: unknown = buffer;
  if (!resolveSource(buffer, region)) {
    info = borrowReadable(buffer);
    obj = info.obj;
    try {
      resolveSource(exportedBytes(info), region);
    } catch (error) {
      releaseBuffer(info);
      throw error;
    }
  }
  if (region.length % size !== 0) {
    if (info !== undefined) releaseBuffer(info);
    throw new StructError(`iterative unpacking requires a buffer of a multiple of ${size} bytes`);
  }
  return new StructIterator(CREATE, plan, region, obj, info);
}

/**
 * A format compiled for reading alone: its plan, its parse (for messages) and how its
 * 8-byte integers read. What the module functions and the readers use.
 */
export interface Reading {
  readonly parsed: ParsedFormat;
  readonly plan: ReadPlan;
  readonly int64: Int64Mode;
}

// The module functions share compiled formats, as CPython's struct module caches them
// (up to 100 formats per mode); number-mode formats apart, so that the default lookup
// stays one Map.get of the format.
const MAX_CACHE = 100;
const readings = new Map<string, Reading>();
const numberReadings = new Map<string, Reading>();

/**
 * The compiled format of `format`, shared (up to 100 formats per mode are kept); ValueError
 * for a bad `int64`, then StructError for the format.
 */
export function cachedReading(format: FormatSource, options: StructOptions | undefined): Reading {
  if (options !== undefined && int64Option(options) === 'number') {
    return readingIn(numberReadings, format, 'number');
  }
  return readingIn(readings, format, 'bigint');
}

function readingIn(cache: Map<string, Reading>, format: FormatSource, int64: Int64Mode): Reading {
  if (typeof format !== 'string') return compileReading(format, int64);
  let r = cache.get(format);
  if (r === undefined) {
    r = compileReading(format, int64);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(format, r);
  }
  return r;
}

function compileReading(format: FormatSource, int64: Int64Mode): Reading {
  const parsed = parseFormat(format);
  return { parsed, plan: compileReadPlan(parsed, int64), int64 };
}

// Filled by `resolveSource` and read into locals at once, before any user code runs.
const region: Region = { dv: NO_MEMORY, base: 0, length: 0 };

/** `Struct.unpack` of a compiled format: a buffer of exactly its size. */
export function unpackWhole(r: Reading, buffer: unknown): StructValue[] {
  if (!resolveSource(buffer, region)) {
    const info = borrowReadable(buffer);
    try {
      return unpackWhole(r, exportedBytes(info));
    } finally {
      releaseBuffer(info);
    }
  }
  if (region.length !== r.plan.size) {
    throw new StructError(`unpack requires a buffer of ${r.parsed.exactSize} bytes`);
  }
  return r.plan.unpack(region.dv, region.base);
}

/** `Struct.unpackFrom` of a compiled format. */
export function unpackAt(plan: ReadPlan, buffer: unknown, offset: unknown): StructValue[] {
  if (!resolveSource(buffer, region)) {
    const info = borrowReadable(buffer);
    try {
      return unpackAt(plan, exportedBytes(info), offset);
    } finally {
      releaseBuffer(info);
    }
  }
  const dv = region.dv;
  const at = region.base + placeOffset(offset, plan.size, region.length, UNPACK_FROM);
  return plan.unpack(dv, at);
}

/**
 * `struct.unpack`: unpacks a buffer of exactly `calcsize(format)` bytes. `options` as a
 * Struct's (`{ int64: 'number' }`, beyond CPython).
 *
 * @throws {StructError} "unpack requires a buffer of 4 bytes" when the buffer's size is not
 * `calcsize(format)`.
 * @example
 * ```ts
 * import { pack, unpack } from 'memview';
 * const [id, kind, x] = unpack('<IHd', pack('<IHd', 7, 1, 0.5)); // 7, 1, 0.5
 * ```
 */
export function unpack<F extends string, M extends Int64Mode = 'bigint'>(
  format: F | Uint8Array,
  buffer: BufferSource,
  options?: StructOptions<M>,
): Unpacked<F, M> {
  try {
    return unpackWhole(cachedReading(format, options), buffer) as Unpacked<F, M>;
  } catch (error) {
    throw fromCall(error, unpack);
  }
}

/**
 * `struct.unpack_from`: unpacks `calcsize(format)` bytes of `buffer` from `offset`.
 * `options` as a Struct's (`{ int64: 'number' }`, beyond CPython).
 *
 * @throws {StructError} "unpack_from requires a buffer of at least 4 bytes for unpacking 4
 * bytes at offset 0 (actual buffer size is 2)" when the record does not fit.
 * @example
 * ```ts
 * import { pack, unpackFrom } from 'memview';
 * const data = pack('<HI', 1, 2);
 * unpackFrom('<I', data, 2); // [2]
 * ```
 */
export function unpackFrom<F extends string, M extends Int64Mode = 'bigint'>(
  format: F | Uint8Array,
  buffer: BufferSource,
  offset: Offset = 0,
  options?: StructOptions<M>,
): Unpacked<F, M> {
  try {
    return unpackAt(cachedReading(format, options).plan, buffer, offset) as Unpacked<F, M>;
  } catch (error) {
    throw fromCall(error, unpackFrom);
  }
}

/**
 * `struct.iter_unpack`: a lazy iterator over the consecutive records of `buffer`.
 * `options` as a Struct's (`{ int64: 'number' }`, beyond CPython).
 *
 * @throws {StructError} "iterative unpacking requires a buffer of a multiple of 4 bytes";
 * "cannot iteratively unpack with a struct of length 0".
 * @example
 * ```ts
 * import { iterUnpack, pack } from 'memview';
 * for (const [x, y] of iterUnpack('<hh', pack('<4h', 1, 2, 3, 4))) {
 *   console.log(x, y); // 1 2, then 3 4
 * }
 * ```
 */
export function iterUnpack<F extends string, M extends Int64Mode = 'bigint'>(
  format: F | Uint8Array,
  buffer: BufferSource,
  options?: StructOptions<M>,
): StructIterator<Unpacked<F, M>> {
  try {
    return iterRecords(cachedReading(format, options).plan, buffer);
  } catch (error) {
    throw fromCall(error, iterUnpack);
  }
}
