/**
 * `memview/node`: zero-copy I/O for Node between the buffer protocol and files and
 * sockets — `readInto` (Python's `readinto`), `writev` (`sendmsg`/`pwritev`), `sendFile`
 * (`socket.sendfile`) and `connectInto` (`recv_into` through `onread`). Every function
 * takes any exporter (MemoryView, ByteArray, Bytes, TypedArray, ArrayBuffer…), holds its
 * export — the exporter locked — while Node uses the memory, and releases it after.
 *
 * Node only: this entry point imports `node:fs` and `node:net`; the core (`memview`)
 * never imports it.
 *
 * @packageDocumentation
 * @module memview/node
 */
export {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  EOFError,
  OSError,
} from './errors.js';
export type { BytesLike } from './exports.js';
export { IOV_MAX } from './exports.js';
export { type FileLike, type FilePosition, readInto } from './file.js';
export { type ConnectionInto, connectInto } from './receive.js';
export {
  SEND_FILE_CHUNK,
  type SendFileOptions,
  sendFile,
  type WritevTarget,
  writev,
} from './stream.js';
