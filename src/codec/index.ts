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
export {
  type ItemCodec,
  int64Number,
  int64Option,
  itemCodec,
  type Reader,
  type StructValue,
  uint64Number,
  unsafeInteger,
  type Writer,
} from './items.js';
