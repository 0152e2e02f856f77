/**
 * `BufferWriter`: builds binary data in a ByteArray — packed values, raw bytes, and
 * reserved slots filled in later (length prefixes) — and hands the result out as a view.
 *
 * Invariants: every write appends at the end of the ByteArray, which grows geometrically
 * (amortised O(1)); a `pack` whose values fail leaves the length as it was; `finish()`
 * returns a view of the ByteArray's own memory (no final copy), which locks its size
 * until the view is released.
 */

import { StructError } from '../errors.js';
import { appendZeros, ByteArray, memoryOf } from '../exporters/index.js';
import { type FormatSource, type PackValues, parseFormat } from '../format/index.js';
import { dataViewOf } from '../protocol/index.js';
import { cachedStruct, packerOf } from '../struct/index.js';
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

/** Appends packed values and bytes to a ByteArray. */
export class BufferWriter {
  readonly #target: ByteArray;

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

  /** Appends `values` packed by `format`. */
  pack<F extends string>(format: F, ...values: PackValues<F>): void {
    const s = cachedStruct(format as FormatSource);
    const count = parseFormat(format).valueCount;
    if (values.length !== count) {
      throw new StructError(`pack expected ${count} items for packing (got ${values.length})`);
    }
    const target = this.#target;
    // Room made and zeroed in the ByteArray, then the values written straight into it.
    const at = appendZeros(target, s.size);
    try {
      packerOf(s)(dataViewOf(memoryOf(target).buffer), at, values, 0);
    } catch (error) {
      target.resize(at);
      throw error;
    }
  }

  /** Appends the bytes of an exporter (C order). */
  write(bytes: ViewSource): void {
    this.#target.extend(bytes);
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
