/** The struct layer: `Struct`, `pack`, `unpack`, `packInto`, `unpackFrom`, `iterUnpack`. */
export { calcsize } from '../format/index.js';
export type { BinarySource } from './source.js';
export {
  cachedStruct,
  iterUnpack,
  type Offset,
  pack,
  packInto,
  Struct,
  StructIterator,
  type StructValue,
  unpack,
  unpackFrom,
} from './struct.js';
