/**
 * Records into columns: the bridge's one copy. A record view (`'<IHHd'`) is row-major;
 * Arrow is columnar, so each field is gathered once into a fresh column.
 */
import {
  Bool,
  type DataType,
  FixedSizeBinary,
  makeData,
  makeVector,
  Table,
  type Vector,
} from 'apache-arrow';
import { fromCall, pyTypeName } from '../../errors.js';
import { NATIVE_LITTLE_ENDIAN, parseFormat } from '../../format/index.js';
import {
  BufferError,
  getBuffer,
  MemoryView,
  PyBUF,
  releaseBuffer,
  ValueError,
} from '../../index.js';
import { type NumericArrayConstructor, numericType } from './types.js';

/*
 * The gathers move raw bits through unsigned integer arrays, one function per width so
 * each loop stays monomorphic, and never through a JS number (which could change a NaN's
 * payload); an 8-byte field moves as two 32-bit words.
 */

function gather8(src: Uint8Array, out: Uint8Array, first: number, step: number): void {
  for (let i = 0, j = first; i < out.length; i++, j += step) out[i] = src[j];
}

function gather16(src: Uint16Array, out: Uint16Array, first: number, step: number): void {
  for (let i = 0, j = first; i < out.length; i++, j += step) out[i] = src[j];
}

function gather32(src: Uint32Array, out: Uint32Array, first: number, step: number): void {
  for (let i = 0, j = first; i < out.length; i++, j += step) out[i] = src[j];
}

function gather64(src: Uint32Array, out: Uint32Array, first: number, step: number): void {
  for (let i = 0, j = first; i < out.length; i += 2, j += step) {
    out[i] = src[j];
    out[i + 1] = src[j + 1];
  }
}

/** Any alignment, either byte order: DataView reads each value's bits in the field's order. */
function gatherSwapped(
  dv: DataView,
  out: DataView,
  size: number,
  little: boolean,
  offset: number,
  stride: number,
  n: number,
): void {
  const native = NATIVE_LITTLE_ENDIAN;
  let at = offset;
  if (size === 1) for (let i = 0; i < n; i++, at += stride) out.setUint8(i, dv.getUint8(at));
  else if (size === 2)
    for (let i = 0; i < n; i++, at += stride)
      out.setUint16(i * 2, dv.getUint16(at, little), native);
  else if (size === 4)
    for (let i = 0; i < n; i++, at += stride)
      out.setUint32(i * 4, dv.getUint32(at, little), native);
  else {
    const lo = little ? 0 : 4;
    const hi = 4 - lo;
    const outLo = native ? 0 : 4;
    const outHi = 4 - outLo;
    for (let i = 0; i < n; i++, at += stride) {
      out.setUint32(i * 8 + outLo, dv.getUint32(at + lo, little), native);
      out.setUint32(i * 8 + outHi, dv.getUint32(at + hi, little), native);
    }
  }
}

/** Gathers `n` numbers of `size` bytes, `stride` bytes apart from `offset`, into a new column. */
function gatherNumbers(
  array: NumericArrayConstructor,
  little: boolean,
  buffer: ArrayBufferLike,
  offset: number,
  stride: number,
  n: number,
): ArrayBufferView {
  const size = array.BYTES_PER_ELEMENT;
  const out = new array(n);
  const bytes = out.buffer;
  const word = size === 8 ? 4 : size;
  if (little === NATIVE_LITTLE_ENDIAN && offset % word === 0 && stride % word === 0) {
    // Aligned and native: index the buffer in the field's width, a step per record.
    const first = offset / word;
    const step = stride / word;
    const words = Math.floor(buffer.byteLength / word);
    if (size === 1) gather8(new Uint8Array(buffer, 0, words), new Uint8Array(bytes), first, step);
    else if (size === 2)
      gather16(new Uint16Array(buffer, 0, words), new Uint16Array(bytes), first, step);
    else if (size === 4)
      gather32(new Uint32Array(buffer, 0, words), new Uint32Array(bytes), first, step);
    else gather64(new Uint32Array(buffer, 0, words), new Uint32Array(bytes), first, step);
    return out;
  }
  gatherSwapped(new DataView(buffer), new DataView(bytes), size, little, offset, stride, n);
  return out;
}

/** Gathers `'?'` bytes into Arrow's bit-packed booleans (any non-zero byte is true). */
function gatherBools(
  buffer: ArrayBufferLike,
  offset: number,
  stride: number,
  n: number,
): Uint8Array {
  const bits = new Uint8Array((n + 7) >> 3);
  const bytes = new Uint8Array(buffer);
  let at = offset;
  for (let i = 0; i < n; i++, at += stride) if (bytes[at] !== 0) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** Gathers `width`-byte strings (`'4s'`, `'c'`) into one contiguous block. */
function gatherBytes(
  buffer: ArrayBufferLike,
  offset: number,
  stride: number,
  width: number,
  n: number,
): Uint8Array {
  const out = new Uint8Array(n * width);
  const bytes = new Uint8Array(buffer);
  let at = offset;
  for (let i = 0; i < n; i++, at += stride) out.set(bytes.subarray(at, at + width), i * width);
  return out;
}

/**
 * An Arrow Table with one column per field of a 1-dimensional record view: **a copy**,
 * the one this bridge makes, since records are row-major and Arrow is columnar. Each field
 * is gathered in one pass into a new buffer (numbers keep their type and become
 * little-endian; `'?'` becomes Bool, `'c'` and `'Ns'` FixedSizeBinary); `names` gives one
 * column name per field, pad bytes aside. Byte-for-byte the values `view.field(k)` reads.
 */
export function recordsToTable(view: MemoryView, names: readonly string[]): Table {
  try {
    if (!(view instanceof MemoryView)) {
      throw new TypeError(`recordsToTable: expected a memoryview, got '${pyTypeName(view)}'`);
    }
    const format = view.format;
    const parsed = parseFormat(format);
    if (view.ndim !== 1) {
      throw new BufferError(
        `recordsToTable: the view has ${view.ndim} dimensions, a table's rows 1`,
      );
    }
    if (names.length !== parsed.valueCount) {
      throw new ValueError(
        `recordsToTable: format '${format}' has ${parsed.valueCount} field${parsed.valueCount === 1 ? '' : 's'}, and ${names.length} name${names.length === 1 ? ' is' : 's are'} given`,
      );
    }
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new ValueError(`recordsToTable: the name '${name}' is given twice`);
      seen.add(name);
    }
    const n = view.shape[0];
    const columns: Record<string, Vector> = {};
    let k = 0;
    for (const run of parsed.runs) {
      for (let r = 0; r < run.count; r++, k++) {
        const field = view.field(k);
        const info = getBuffer(field, PyBUF.FULL_RO);
        try {
          const { buffer, offset } = info;
          const stride = info.strides?.[0] ?? info.itemsize;
          let type: DataType;
          let data: ArrayBufferView;
          const numeric = numericType(run);
          if (numeric !== undefined) {
            type = numeric.type;
            data = gatherNumbers(numeric.array, parsed.littleEndian, buffer, offset, stride, n);
          } else if (run.kind === 'bool') {
            type = new Bool();
            data = gatherBools(buffer, offset, stride, n);
          } else if (run.kind === 'char' || run.kind === 'bytes') {
            type = new FixedSizeBinary(run.itemSize);
            data = gatherBytes(buffer, offset, stride, run.itemSize, n);
          } else {
            throw new BufferError(
              `recordsToTable: field ${k} ('${field.format}') has no Arrow type`,
            );
          }
          columns[names[k]] = makeVector(
            makeData({ type, length: n, data } as Parameters<typeof makeData>[0]),
          );
        } finally {
          releaseBuffer(info);
        }
      }
    }
    return new Table(columns);
  } catch (error) {
    throw fromCall(error, recordsToTable);
  }
}
