/**
 * What both ndarray libraries share with memview: an N-D array is a TypedArray of
 * elements, a shape, element strides and an element offset — a `ViewLayout` counted in
 * elements instead of bytes. This module converts between the two countings and checks
 * what an ndarray cannot represent.
 */

import { NATIVE_LITTLE_ENDIAN, parseFormat } from '../../format/index.js';
import {
  BufferError,
  MemoryView,
  memoryview,
  NotImplementedError,
  ValueError,
  type ViewLayout,
} from '../../index.js';

/** A TypedArray an ndarray can keep its elements in. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** An ndarray's place in its data, in elements. */
export interface ElementLayout {
  readonly data: NumericArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly readonly: boolean;
}

/**
 * A view of the elements an ndarray describes, over the same memory. ValueError when
 * the ndarray's layout reaches outside its data (the library would read `undefined`
 * there; a view must not read neighbouring bytes instead).
 */
export function viewOfElements(caller: string, a: ElementLayout): MemoryView {
  const { data, shape, strides, offset } = a;
  if (!ArrayBuffer.isView(data) || data instanceof DataView) {
    throw new TypeError(
      `${caller}: the ndarray's data must be a TypedArray (memview views bytes, not JavaScript values)`,
    );
  }
  if (shape.length !== strides.length) {
    throw new ValueError(
      `${caller}: the ndarray has ${shape.length} dimensions but ${strides.length} strides`,
    );
  }
  let low = offset;
  let high = offset;
  let empty = false;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 0) empty = true;
    const reach = (shape[d] - 1) * strides[d];
    if (reach < 0) low += reach;
    else high += reach;
  }
  if (!empty && (low < 0 || high >= data.length)) {
    throw new ValueError(
      `${caller}: the ndarray reaches elements ${low}…${high} of data of ${data.length} elements`,
    );
  }
  const itemsize = data.BYTES_PER_ELEMENT;
  // The format of the data's own elements, as memview names it ('B', 'd', 'q', …).
  const probe = memoryview(data);
  const format = probe.format;
  probe.release();
  return MemoryView.fromLayout({
    buffer: data.buffer,
    byteOffset: data.byteOffset + offset * itemsize,
    format,
    shape: [...shape],
    strides: strides.map((s) => s * itemsize),
    readonly: a.readonly,
  });
}

type ArrayMaker = (buffer: ArrayBufferLike, byteOffset: number, length: number) => NumericArray;

const SIGNED: Record<number, ArrayMaker> = {
  1: (b, o, n) => new Int8Array(b, o, n),
  2: (b, o, n) => new Int16Array(b, o, n),
  4: (b, o, n) => new Int32Array(b, o, n),
  8: (b, o, n) => new BigInt64Array(b, o, n),
};
const UNSIGNED: Record<number, ArrayMaker> = {
  1: (b, o, n) => new Uint8Array(b, o, n),
  2: (b, o, n) => new Uint16Array(b, o, n),
  4: (b, o, n) => new Uint32Array(b, o, n),
  8: (b, o, n) => new BigUint64Array(b, o, n),
};
const FLOAT: Record<number, ArrayMaker> = {
  4: (b, o, n) => new Float32Array(b, o, n),
  8: (b, o, n) => new Float64Array(b, o, n),
};
const TABLES: Partial<Record<string, Record<number, ArrayMaker>>> = {
  int: SIGNED,
  uint: UNSIGNED,
  float: FLOAT,
};

/** The TypedArray maker for a view's format, or a refusal naming why there is none. */
function arrayMaker(caller: string, format: string): ArrayMaker {
  const parsed = parseFormat(format);
  if (parsed.valueCount > 1) {
    throw new NotImplementedError(
      `${caller}: an ndarray holds single numbers; format '${format}' has more than one item`,
    );
  }
  if (!parsed.native && parsed.littleEndian !== NATIVE_LITTLE_ENDIAN) {
    throw new NotImplementedError(
      `${caller}: format '${format}' is byte-swapped on this host; an ndarray reads native byte order only`,
    );
  }
  const run = parsed.runs.length === 1 ? parsed.runs[0] : undefined;
  // A pad byte beside the value makes a record, not a number.
  const make =
    run !== undefined && run.itemSize === parsed.size
      ? TABLES[run.kind]?.[run.itemSize]
      : undefined;
  if (make === undefined) {
    throw new NotImplementedError(
      `${caller}: format '${format}' has no TypedArray an ndarray could use`,
    );
  }
  return make;
}

/**
 * The elements of a view as an ndarray counts them: a TypedArray over the view's whole
 * buffer, and the view's strides and offset in elements. NotImplementedError for a
 * format no TypedArray holds (records, bool, chars, byte-swapped); BufferError when the
 * offset or a stride is not a whole number of elements (an unaligned view).
 */
export function elementsOfView(caller: string, view: MemoryView): ElementLayout {
  const layout: ViewLayout = view.toLayout();
  const itemsize = view.itemsize;
  const make = arrayMaker(caller, layout.format);
  const misaligned =
    layout.byteOffset % itemsize !== 0 || layout.strides.some((s) => s % itemsize !== 0);
  if (misaligned) {
    throw new BufferError(
      `${caller}: the view is not aligned to its ${itemsize}-byte items ` +
        `(byte offset ${layout.byteOffset}, strides [${layout.strides.join(', ')}]); ` +
        'an ndarray indexes whole elements',
    );
  }
  const data = make(layout.buffer, 0, Math.floor(layout.buffer.byteLength / itemsize));
  return {
    data,
    shape: [...layout.shape],
    strides: layout.strides.map((s) => s / itemsize),
    offset: layout.byteOffset / itemsize,
    readonly: layout.readonly,
  };
}
