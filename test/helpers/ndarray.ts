/**
 * Test exporters: the JavaScript counterparts of CPython's `_testbuffer.ndarray`, `bytes`
 * and `bytearray`, for tests that compare memview's views with CPython's.
 *
 * An `NDArray` owns an ArrayBuffer holding exactly the given bytes and exports any layout
 * over it (shape, byte strides that may be negative or zero, the byte offset of element
 * (0, …, 0), any format string), read-only or writable. It counts its live exports, so a
 * test can see whether views still hold it, as CPython's "Existing exports of data: object
 * cannot be re-sized" check does for a bytearray.
 */

import { BUFFER, BufferError, type BufferInfo, PyBUF, RELEASE } from '../../src/index.js';

/** The layout and contents of an `NDArray`. */
export interface NDArraySpec {
  /** All of the exporter's memory (copied). */
  data: Uint8Array;
  /** Elements along each dimension; `[]` for a 0-dim array. Default: `[data.length / itemsize]`. */
  shape?: readonly number[];
  /** Byte strides. Default: C order. */
  strides?: readonly number[];
  /** Byte offset of element (0, …, 0) in `data`. Default 0. */
  offset?: number;
  /** The struct format of one element. Default 'B'. */
  format?: string;
  /** Bytes per element. Default 1 (give it for any other format). */
  itemsize?: number;
  /** Default false. */
  readonly?: boolean;
}

/** An exporter of an arbitrary layout over its own memory, like `_testbuffer.ndarray`. */
export class NDArray {
  /** The whole memory, as a view (writes through it are seen by every export). */
  readonly memory: Uint8Array;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly format: string;
  readonly itemsize: number;
  readonly readonly: boolean;
  /** Exports given out and not yet released. */
  exports = 0;
  /** Every `[BUFFER]` request's flags, in order. */
  readonly requests: number[] = [];

  constructor(spec: NDArraySpec) {
    this.memory = new Uint8Array(spec.data.length);
    this.memory.set(spec.data);
    this.itemsize = spec.itemsize ?? 1;
    this.format = spec.format ?? 'B';
    this.shape = [...(spec.shape ?? [Math.floor(spec.data.length / this.itemsize)])];
    this.strides = [...(spec.strides ?? cStrides(this.shape, this.itemsize))];
    this.offset = spec.offset ?? 0;
    this.readonly = spec.readonly ?? false;
  }

  /** The export: CPython's bytes refuses a writable request with "Object is not writable.". */
  [BUFFER](flags: number): BufferInfo {
    this.requests.push(flags);
    if (flags & PyBUF.WRITABLE && this.readonly) throw new BufferError('Object is not writable.');
    let len = this.itemsize;
    for (const n of this.shape) len *= n;
    this.exports++;
    return {
      obj: this,
      buffer: this.memory.buffer,
      offset: this.offset,
      len,
      readonly: this.readonly,
      format: this.format,
      itemsize: this.itemsize,
      ndim: this.shape.length,
      shape: this.shape,
      strides: this.strides,
      suboffsets: [],
    };
  }

  [RELEASE](_info: unknown): void {
    this.exports--;
  }
}

/** C-order byte strides of `shape`. */
export function cStrides(shape: readonly number[], itemsize: number): number[] {
  const strides = new Array<number>(shape.length);
  let step = itemsize;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= Math.max(shape[d], 1);
  }
  return strides;
}

/** Python's `bytes(data)`: a read-only one-dimensional 'B' exporter over a copy of `data`. */
export function pyBytes(data: Uint8Array | readonly number[]): NDArray {
  return new NDArray({ data: Uint8Array.from(data), readonly: true });
}

/** Python's `bytearray(data)`: a writable Uint8Array (exported as 'B' by memview itself). */
export function pyBytearray(data: Uint8Array | readonly number[]): Uint8Array {
  return Uint8Array.from(data);
}

/**
 * Python's `bytearray(data)` as an exporter that counts its exports, so that a test can
 * ask whether views still hold it (`exports > 0`, where CPython refuses to resize).
 */
export function trackedBytearray(data: Uint8Array | readonly number[]): NDArray {
  return new NDArray({ data: Uint8Array.from(data) });
}
