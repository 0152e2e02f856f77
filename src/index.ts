/**
 * memview: Python's buffer protocol, `memoryview` and `struct` for TypeScript, with
 * CPython 3.13's exact behaviour.
 *
 * @packageDocumentation
 * @module memview
 */

// `MemoryView` and `BufferReader` are `Disposable`; these are the declarations of
// TypeScript's `esnext.disposable` lib (and of @types/node), repeated so that a project
// whose `lib` stops at ES2022 without Node's types still type-checks memview's
// declarations. Identical declarations merge with those libs where a project has them.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

export {
  BufferError,
  EOFError,
  FrameTooLongError,
  IndexError,
  LookupError,
  MemoryError,
  NotImplementedError,
  OverflowError,
  StructError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  ValueError,
} from './errors.js';
export {
  ByteArray,
  type ByteSub,
  Bytes,
  type BytesInput,
  type IntByteOrder,
  type IntFromBytesOptions,
  type IntToBytesOptions,
  intFromBytes,
  intToBytes,
} from './exporters/index.js';
export type {
  AnyOutValue,
  FormatCheck,
  FormatSource,
  Int64Mode,
  IntInput,
  PackValues,
  Unpacked,
} from './format/index.js';
export type { SliceBound, SliceKey, SubKey } from './layout/index.js';
export {
  BUFFER,
  type BufferInfo,
  type BufferSource,
  type Exporter,
  getBuffer,
  isBuffer,
  PyBUF,
  RELEASE,
  releaseBuffer,
  type WasmMemory,
} from './protocol/index.js';
export {
  BufferReader,
  BufferWriter,
  type Frame,
  FrameDecoder,
  type FrameDecoderOptions,
  type Reservation,
  type VarintOptions,
} from './reader/index.js';
export {
  type BinarySource,
  calcsize,
  iterUnpack,
  type Offset,
  pack,
  packInto,
  Struct,
  StructIterator,
  type StructOptions,
  type StructValue,
  unpack,
  unpackFrom,
} from './struct/index.js';
export {
  type ByteOrder,
  type ElementOf,
  type Index,
  type ListOf,
  MemoryView,
  memoryview,
  type NestedList,
  type SharedViewLayout,
  type ViewLayout,
  type ViewOptions,
  type ViewSource,
} from './view/index.js';
