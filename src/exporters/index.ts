/**
 * The exporters layer: memory owners that speak the buffer protocol — `Bytes`
 * (immutable, read-only exports) and `ByteArray` (growable, its size locked while exported).
 */
export {
  appendZeros,
  ByteArray,
  lockSize,
  memoryOf,
} from './bytearray.js';
export { type ByteSub, Bytes } from './bytes.js';
export type { BytesInput } from './input.js';
export {
  type IntByteOrder,
  type IntFromBytesOptions,
  type IntToBytesOptions,
  intFromBytes,
  intToBytes,
} from './ints.js';
export { decodeText } from './text.js';
