/** The struct layer: `Struct`, `pack`, `unpack`, `packInto`, `unpackFrom`, `iterUnpack`. */
export { calcsize } from '../format/index.js';
export type { Packer, Unpacker } from './plan.js';
export type { BinarySource } from './source.js';
export {
  cachedStruct,
  iterUnpack,
  type Offset,
  pack,
  packerOf,
  packInto,
  Struct,
  StructIterator,
  type StructOptions,
  type StructValue,
  unpack,
  unpackerOf,
  unpackFrom,
} from './struct.js';
