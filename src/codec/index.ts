/** The codec layer: reading and writing one struct item at a byte offset. */
export { PackError, type PackFailure, pyTruth } from './coerce.js';
export { fromHalfBits, toHalfBits } from './half.js';
export {
  hasIntrinsicLength,
  isUint8Array,
  leadingBytes,
  typedArrayName,
  typedLength,
} from './intrinsics.js';
export { type ItemCodec, itemCodec } from './items.js';
export {
  copyOut,
  int64Number,
  int64Option,
  itemReader,
  type Reader,
  type StructValue,
  uint64Number,
  unsafeInteger,
} from './read.js';
export {
  bytesArgument,
  charOf,
  copyIn,
  float32Of,
  halfOf,
  itemWriter,
  type Writer,
} from './write.js';
