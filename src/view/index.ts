/**
 * The view layer: `MemoryView` and the managed buffer its views share, with element
 * accessors per format, bulk copies by contiguous runs, equality and hex.
 */

export type { SharedViewLayout, ViewLayout } from './layout.js';
export {
  type ByteOrder,
  type Index,
  MemoryView,
  memoryview,
  type ViewOptions,
  type ViewSource,
} from './memoryview.js';
export type { ElementOf, ListOf, NestedList } from './types.js';
