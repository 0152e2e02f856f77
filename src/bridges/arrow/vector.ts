/**
 * A numeric view and an Arrow vector over the same memory, both ways. Nothing here copies
 * values: Arrow's `Data` is given the view's TypedArray, and a view is made over Arrow's.
 */
import { type Data, DataType, makeData, makeVector, Table, Vector } from 'apache-arrow';
import { fromCall, pyTypeName } from '../../errors.js';
import { parseFormat } from '../../format/index.js';
import { BufferError, MemoryView, memoryview, ValueError } from '../../index.js';
import { type ArrowNumeric, numericType } from './types.js';

/**
 * The view's TypedArray, its refusals (not C-contiguous, unaligned) worded for the bridge
 * function that asked.
 */
function typedArray(caller: string, view: MemoryView): ArrayBufferView {
  try {
    return view.toTypedArray();
  } catch (error) {
    if (error instanceof BufferError && error.message.startsWith('toTypedArray:')) {
      throw new BufferError(caller + error.message.slice('toTypedArray'.length));
    }
    throw error;
  }
}

/**
 * An Arrow vector over the view's memory (zero-copy, O(1)): writes through either show in
 * the other. The view must be 1-dimensional, C-contiguous, aligned, writable (an Arrow
 * vector cannot forbid writes) and hold one little-endian number per element — `b B h H i
 * I l L q Q n N P e f d`, as Int8…Uint64, Float16, Float32, Float64. Anything else is a
 * BufferError naming what Arrow cannot hold: a record format (see `recordsToTable`),
 * big-endian data, `'?'` (Arrow's booleans are bit-packed), strides.
 */
export function toArrow(view: MemoryView): Vector<ArrowNumeric> {
  try {
    if (!(view instanceof MemoryView)) {
      throw new TypeError(`toArrow: expected a memoryview, got '${pyTypeName(view)}'`);
    }
    const format = view.format;
    const parsed = parseFormat(format);
    if (parsed.valueCount !== 1) {
      throw new BufferError(
        `toArrow: format '${format}' holds ${parsed.valueCount} values per element, an Arrow vector one (recordsToTable gathers records into columns)`,
      );
    }
    const run = parsed.runs[0];
    if (run.kind === 'bool') {
      throw new BufferError(
        `toArrow: format '${format}' stores a byte per bool, and Arrow's booleans are bit-packed`,
      );
    }
    const numeric = numericType(run);
    if (numeric === undefined)
      throw new BufferError(`toArrow: no Arrow type holds format '${format}'`);
    if (run.offset !== 0 || parsed.size !== run.itemSize) {
      throw new BufferError(
        `toArrow: format '${format}' has pad bytes, which an Arrow vector cannot skip`,
      );
    }
    if (!parsed.littleEndian) {
      throw new BufferError(
        `toArrow: format '${format}' is big-endian, and Arrow's memory is little-endian`,
      );
    }
    if (view.ndim !== 1) {
      throw new BufferError(
        `toArrow: the view has ${view.ndim} dimensions, an Arrow vector 1 (cast it to 1-D)`,
      );
    }
    if (view.readonly) {
      throw new BufferError(
        'toArrow: the view is read-only, and an Arrow vector cannot forbid writes',
      );
    }
    let source = view;
    if (run.kind === 'float' && run.itemSize === 2) {
      // Arrow keeps Float16 as its raw bits in a Uint16Array; the same bytes, seen as 'H'.
      if (!view.cContiguous) throw new BufferError('toArrow: the view is not C-contiguous');
      source = view.cast('B').cast('H');
    }
    const data = typedArray('toArrow', source);
    return makeVector(
      makeData({ type: numeric.type, data } as Parameters<typeof makeData>[0]),
    ) as Vector<ArrowNumeric>;
  } catch (error) {
    throw fromCall(error, toArrow);
  }
}

/**
 * An Arrow Table whose columns are the views' memory (zero-copy, each column as
 * `toArrow`); every view must have the same length.
 */
export function toArrowTable(columns: Readonly<Record<string, MemoryView>>): Table {
  try {
    const vectors: Record<string, Vector<ArrowNumeric>> = {};
    let first: string | undefined;
    for (const [name, view] of Object.entries(columns)) {
      const vector = toArrow(view);
      if (first === undefined) first = name;
      else if (vector.length !== vectors[first].length) {
        throw new ValueError(
          `toArrowTable: column '${name}' has ${vector.length} rows, column '${first}' ${vectors[first].length}`,
        );
      }
      vectors[name] = vector;
    }
    return new Table(vectors);
  } catch (error) {
    throw fromCall(error, toArrowTable);
  }
}

function checkVector(caller: string, vector: unknown): asserts vector is Vector {
  if (!(vector instanceof Vector)) {
    throw new TypeError(`${caller}: expected an Arrow Vector, got '${pyTypeName(vector)}'`);
  }
}

/**
 * A view of one chunk's values. Arrow JS keeps a fixed-width chunk's values already
 * sliced (`vector.slice` narrows the TypedArray); `Data.offset` then only counts bits
 * into the validity bitmap.
 */
function valuesView(caller: string, data: Data): MemoryView {
  const type = data.type;
  if (DataType.isBool(type)) {
    throw new TypeError(
      `${caller}: Arrow's booleans are bit-packed, and no memview format holds them`,
    );
  }
  if (!DataType.isInt(type) && !DataType.isFloat(type)) {
    throw new TypeError(
      `${caller}: an Arrow ${String(type)} vector has no memview format (Int and Float vectors do)`,
    );
  }
  const values = (data.values as Uint8Array).subarray(0, data.length * data.stride);
  const view = memoryview(values);
  // Float16 is stored as its raw bits; the same bytes seen as 'e'.
  return DataType.isFloat(type) && type.precision === 0 ? view.cast('B').cast('e') : view;
}

function refuseNulls(caller: string, vector: Vector): void {
  const nulls = vector.nullCount;
  if (nulls > 0) {
    throw new ValueError(
      `${caller}: the vector has ${nulls} null${nulls === 1 ? '' : 's'}; fromArrowWithValidity gives its values with their validity bitmap`,
    );
  }
}

/**
 * A view over an Arrow vector's values (zero-copy, O(1); writable, and writes show in the
 * vector). The vector must have one chunk (`fromArrowChunks` takes any number), no nulls
 * (ValueError; `fromArrowWithValidity` gives values and validity), and an Int or Float
 * type (TypeError otherwise): Int8…Uint64 become `b B h H i I q Q`, Float16/32/64 `e f d`.
 */
export function fromArrow(vector: Vector): MemoryView {
  try {
    checkVector('fromArrow', vector);
    if (vector.data.length !== 1) {
      throw new ValueError(
        `fromArrow: the vector has ${vector.data.length} chunks; fromArrowChunks gives a view per chunk`,
      );
    }
    refuseNulls('fromArrow', vector);
    return valuesView('fromArrow', vector.data[0]);
  } catch (error) {
    throw fromCall(error, fromArrow);
  }
}

/** A view per chunk of an Arrow vector, each as `fromArrow` makes (zero-copy, no nulls). */
export function fromArrowChunks(vector: Vector): MemoryView[] {
  try {
    checkVector('fromArrowChunks', vector);
    refuseNulls('fromArrowChunks', vector);
    return vector.data.map((data) => valuesView('fromArrowChunks', data));
  } catch (error) {
    throw fromCall(error, fromArrowChunks);
  }
}

/**
 * One chunk of a nullable Arrow vector: its values, and where they are valid. Value `i`
 * is valid when bit `bitOffset + i` of `validity` is set (least significant bit first, as
 * Arrow numbers them); the value under a null is whatever bytes Arrow left there.
 */
export interface ArrowChunk {
  /** The chunk's values, as `fromArrow` views them. */
  readonly values: MemoryView;
  /** A `'B'` view of the validity bitmap's bytes; null when every value is valid. */
  readonly validity: MemoryView | null;
  /** The bit of `validity[0]` that belongs to value 0 (Arrow's `Data.offset` mod 8). */
  readonly bitOffset: number;
  /** How many values are null. */
  readonly nullCount: number;
}

/**
 * Every chunk of an Arrow vector as values plus a view of its validity bitmap, both over
 * Arrow's memory (zero-copy, O(1) per chunk); a sliced vector's offset lands in `bitOffset`.
 */
export function fromArrowWithValidity(vector: Vector): ArrowChunk[] {
  try {
    checkVector('fromArrowWithValidity', vector);
    return vector.data.map((data) => {
      const values = valuesView('fromArrowWithValidity', data);
      const nullCount = data.nullCount;
      if (nullCount <= 0 || data.nullBitmap === undefined) {
        return { values, validity: null, bitOffset: 0, nullCount: 0 };
      }
      const start = data.offset >> 3;
      const end = (data.offset + data.length + 7) >> 3;
      return {
        values,
        validity: memoryview(data.nullBitmap.subarray(start, end)),
        bitOffset: data.offset & 7,
        nullCount,
      };
    });
  } catch (error) {
    throw fromCall(error, fromArrowWithValidity);
  }
}
