/**
 * The protocol layer: the exporter/consumer handshake of PEP 3118 and PEP 688 —
 * `BufferInfo`, the `BUFFER`/`RELEASE` symbols, request flags, `getBuffer`/`releaseBuffer`,
 * `isBuffer`, the exports of JavaScript's binary types, and the liveness of exported memory.
 */
export {
  type BufferSource,
  exportRefusal,
  getBuffer,
  isBuffer,
  needsRelease,
  notBytesLike,
  releaseBuffer,
  trustExports,
} from './buffer.js';
export {
  type BinaryRegion,
  type BinarySource,
  binaryRegion,
  builtinExport,
  isBuiltinBuffer,
} from './builtins.js';
export { bufferFlags, PyBUF, requests } from './flags.js';
export { BUFFER, type BufferInfo, type Exporter, NO_SUBOFFSETS, RELEASE } from './info.js';
export {
  arrayBufferLength,
  assertAlive,
  assertLive,
  dataViewOf,
  deadMemoryError,
  isAlive,
  isArrayBuffer,
  isDetached,
  isWasmMemory,
  liveError,
  type WasmMemory,
} from './memory.js';
