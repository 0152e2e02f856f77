/**
 * The one mapping between struct codes and Arrow's fixed-width types, shared by the
 * zero-copy vector bridge and the record gather.
 */
import {
  type DataType,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
} from 'apache-arrow';
import type { FormatRun } from '../../format/index.js';

/** The Arrow types whose values a memview numeric format holds without conversion. */
export type ArrowNumeric =
  | Int8
  | Uint8
  | Int16
  | Uint16
  | Int32
  | Uint32
  | Int64
  | Uint64
  | Float16
  | Float32
  | Float64;

/** A TypedArray constructor Arrow stores one of those types in. */
export type NumericArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** An Arrow type and the TypedArray Arrow keeps its values in (Float16's is Uint16Array). */
export interface NumericType {
  readonly type: ArrowNumeric & DataType;
  readonly array: NumericArrayConstructor;
}

/**
 * The Arrow type of one struct value, chosen by kind and size (so `'<l'` is Int32 and
 * native `'l'` Int64); undefined for kinds Arrow has no fixed-width numeric type for.
 */
export function numericType(run: FormatRun): NumericType | undefined {
  const size = run.itemSize;
  switch (run.kind) {
    case 'int':
      if (size === 1) return { type: new Int8(), array: Int8Array };
      if (size === 2) return { type: new Int16(), array: Int16Array };
      if (size === 4) return { type: new Int32(), array: Int32Array };
      if (size === 8) return { type: new Int64(), array: BigInt64Array };
      return undefined;
    case 'uint':
    case 'pointer':
      if (size === 1) return { type: new Uint8(), array: Uint8Array };
      if (size === 2) return { type: new Uint16(), array: Uint16Array };
      if (size === 4) return { type: new Uint32(), array: Uint32Array };
      if (size === 8) return { type: new Uint64(), array: BigUint64Array };
      return undefined;
    case 'float':
      if (size === 2) return { type: new Float16(), array: Uint16Array };
      if (size === 4) return { type: new Float32(), array: Float32Array };
      if (size === 8) return { type: new Float64(), array: Float64Array };
      return undefined;
    default:
      return undefined;
  }
}
