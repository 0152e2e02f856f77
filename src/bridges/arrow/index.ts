/**
 * `memview/arrow`: memview views and Apache Arrow, over the same memory. A numeric view
 * becomes an Arrow vector and an Arrow vector a view (a chunked one a view per chunk)
 * without a copy, in O(1); a nullable column gives its values and a view of its validity
 * bitmap; a record view becomes a Table by the one named copy, a gather per field; and
 * views become Arrow IPC that any Arrow reader takes.
 *
 * Needs `apache-arrow` (an optional peer dependency); the core (`memview`) never imports it.
 *
 * @packageDocumentation
 * @module memview/arrow
 */
export { toArrowIPC } from './ipc.js';
export { recordsToTable } from './records.js';
export type { ArrowNumeric } from './types.js';
export {
  type ArrowChunk,
  fromArrow,
  fromArrowChunks,
  fromArrowWithValidity,
  toArrow,
  toArrowTable,
} from './vector.js';
