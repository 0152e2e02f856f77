/**
 * `BufferWriter`: builds binary data in a ByteArray — packed values, raw bytes, and
 * reserved slots filled in later (length prefixes) — and hands the result out as a view.
 *
 * Invariants: every write appends at the end of the ByteArray, which grows geometrically
 * (amortised O(1)); a `pack` whose values fail leaves the length as it was; `finish()`
 * returns a view of the ByteArray's own memory (no final copy), which locks its size
 * until the view is released.
 *
 * `pack` compiles each format once (kept with its value count and size) and writes straight
 * into the ByteArray's memory. While it converts the values — where user code can run (a
 * `?` value's truth test, a Proxy) — the ByteArray's size is locked as by an export, so
 * that code cannot move the memory being written; memory taken away by other means (its
 * ArrayBuffer transferred) is checked for afterwards and raises BufferError.
 */

import { PY_TYPE_NAME, StructError } from '../errors.js';
import { appendZeros, ByteArray, lockSize, memoryOf } from '../exporters/index.js';
import { type FormatSource, type PackValues, parseFormat } from '../format/index.js';
import { dataViewOf, deadMemoryError } from '../protocol/index.js';
import { cachedStruct, type Packer, packerOf } from '../struct/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';

/** A slot of `size` bytes at `offset`, zero until `fill` packs values into it. */
export interface Reservation<F extends string = string> {
  /** Byte offset of the slot in the writer's data. */
  readonly offset: number;
  /** Size of the slot: `calcsize(format)`. */
  readonly size: number;
  /** Packs `values` into the slot (allowed after `finish()`: the size does not change). */
  fill(...values: PackValues<F>): void;
}

/** A format as `pack` needs it, compiled once. */
interface PackRecord {
  readonly format: string;
  readonly size: number;
  readonly count: number;
  readonly pack: Packer;
}

const MAX_RECORDS = 256;
const records = new Map<string, PackRecord>();

/** The compiled record of `format` (StructError for a malformed one), shared by writers. */
function recordOf(format: FormatSource): PackRecord {
  const key = typeof format === 'string' ? format : undefined;
  let r = key === undefined ? undefined : records.get(key);
  if (r === undefined) {
    const s = cachedStruct(format);
    r = {
      format: s.format,
      size: s.size,
      count: parseFormat(format).valueCount,
      pack: packerOf(s),
    };
    if (key !== undefined) {
      if (records.size >= MAX_RECORDS) records.clear();
      records.set(key, r);
    }
  }
  return r;
}

/** Appends packed values and bytes to a ByteArray. */
export class BufferWriter {
  /** Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly [PY_TYPE_NAME] = 'BufferWriter';

  readonly #target: ByteArray;
  #last: PackRecord | undefined;
  #lastFormat: unknown;

  /** A writer appending to `target` (a new, empty ByteArray by default). */
  constructor(target: ByteArray = new ByteArray()) {
    this.#target = target;
  }

  /** The ByteArray written to. */
  get target(): ByteArray {
    return this.#target;
  }

  /** Bytes written so far (the ByteArray's length). */
  get length(): number {
    return this.#target.length;
  }

  /**
   * Appends `values` packed by `format`. StructError for a bad format, count or value,
   * leaving the length as it was; BufferError if the ByteArray is exported (its size is
   * locked) or its memory was taken away while the values were converted.
   */
  pack<F extends string>(format: F, ...values: PackValues<F>): void {
    let r = this.#last;
    if (r === undefined || this.#lastFormat !== format) {
      r = recordOf(format as FormatSource);
      this.#last = r;
      this.#lastFormat = format;
    }
    if (values.length !== r.count) {
      throw new StructError(`pack expected ${r.count} items for packing (got ${values.length})`);
    }
    const target = this.#target;
    // Room made and zeroed in the ByteArray, then the values written straight into it.
    const at = appendZeros(target, r.size);
    const bytes = memoryOf(target);
    lockSize(target, 1);
    try {
      r.pack(dataViewOf(bytes.buffer), at, values, 0);
    } catch (error) {
      lockSize(target, -1);
      // A failure caused by the memory going away is reported as that.
      if (bytes.length === 0) throw deadMemoryError(target, bytes.buffer, at + r.size);
      // (Unless a value's conversion exported the ByteArray: its length then stays.)
      if (target.exports === 0) target.resize(at);
      throw error;
    }
    lockSize(target, -1);
    // Only code given the ArrayBuffer itself can detach it: then the array over the
    // ByteArray's capacity reads as empty.
    if (bytes.length === 0) throw deadMemoryError(target, bytes.buffer, at + r.size);
  }

  /** Appends the bytes of an exporter (C order). */
  write(bytes: ViewSource): void {
    if (bytes instanceof Uint8Array) {
      this.#target.extend(bytes);
      return;
    }
    // Any layout, copied in C order (ByteArray.extend, as CPython's, takes contiguous ones).
    const view = memoryview(bytes);
    try {
      this.#target.extend(view.toBytes());
    } finally {
      view.release();
    }
  }

  /** Appends `calcsize(format)` zero bytes to be filled later, e.g. a length prefix. */
  reserve<F extends string>(format: F): Reservation<F> {
    const s = cachedStruct(format as FormatSource);
    const target = this.#target;
    const offset = target.length;
    target.resize(offset + s.size);
    return {
      offset,
      size: s.size,
      fill: (...values) => (s.packInto as (...args: unknown[]) => void)(target, offset, ...values),
    };
  }

  /**
   * The data written, as a view of the ByteArray's memory (no copy). The ByteArray cannot
   * change size — so this writer cannot append — until the view is released.
   */
  finish(): MemoryView {
    return memoryview(this.#target);
  }
}
