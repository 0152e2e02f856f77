/**
 * The reader layer: zero-copy parsing — `BufferReader` (a cursor that returns views),
 * `BufferWriter` (packs into a ByteArray, back-fills reserved slots) and `FrameDecoder`
 * (length-prefixed messages across chunks).
 */
export { type Frame, FrameDecoder, type FrameDecoderOptions } from './frames.js';
export { BufferReader, type VarintOptions } from './reader.js';
export { BufferWriter, type Reservation } from './writer.js';
