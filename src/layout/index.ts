/**
 * The layout layer: pure shape, stride and offset arithmetic (slicing, sub-views,
 * transposition, contiguity flags, bounds, contiguous runs). It knows nothing of bytes:
 * plain readonly data in, new plain data out.
 */
export { byteSpan, checkBounds } from './bounds.js';
export { isAnyContiguous, isCContiguous, isFContiguous } from './contiguity.js';
export { elementOffset } from './element.js';
export {
  contiguousRuns,
  forEachRow,
  forEachRun,
  type RowVisitor,
  type RunVisitor,
} from './runs.js';
export { type CastShape, castShape, cStrides, fStrides, nbytes, product } from './shape.js';
export { adjustSlice, sliceDim } from './slice.js';
export { indexDim, subLayout } from './subview.js';
export { transposeLayout } from './transpose.js';
export {
  type AdjustedSlice,
  type ByteRun,
  type ByteSpan,
  type Layout,
  MAX_NDIM,
  type SliceBound,
  type SliceKey,
  type SubKey,
} from './types.js';
export { validateLayout } from './validate.js';
