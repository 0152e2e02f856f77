/** The struct layer: `Struct`, `pack`, `unpack`, `packInto`, `unpackFrom`, `iterUnpack`. */
export { calcsize } from '../format/index.js';
export type { Offset } from './offset.js';
export type { Packer } from './plan.js';
export type { Unpacker } from './program.js';
export type { BinarySource } from './source.js';
export {
  cachedStruct,
  pack,
  packerOf,
  packInto,
  Struct,
  type StructValue,
} from './struct.js';
export {
  cachedReading,
  iterUnpack,
  type Reading,
  StructIterator,
  type StructOptions,
  unpack,
  unpackAt,
  unpackFrom,
  unpackWhole,
} from './unpack.js';
