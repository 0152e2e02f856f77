/** The format layer: the struct grammar, item sizes, native alignment, type-level parsing. */
export {
  CODES,
  type Code,
  type CodeInfo,
  type CodeKind,
  DATA_MODEL,
  NATIVE_LITTLE_ENDIAN,
} from './codes.js';
export {
  assertEncodable,
  calcsize,
  type FormatRun,
  type FormatSource,
  type ParsedFormat,
  parseFormat,
} from './parse.js';
export type {
  AnyOutValue,
  FormatCheck,
  Int64Mode,
  IntInput,
  PackValues,
  Unpacked,
} from './types.js';
