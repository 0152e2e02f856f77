/**
 * The reader and writer of one struct item together, for consumers that do both with
 * one item (a memoryview's elements). Chosen once per (code, mode, byte order); the
 * reader is read.ts's, the writer write.ts's, shared with struct's formats.
 */

import type { Code } from '../format/codes.js';
import type { Int64Mode } from '../format/types.js';
import { itemReader, type Reader } from './read.js';
import { itemWriter, type Writer } from './write.js';

/** How to read and write one item of one code, mode and byte order. */
export interface ItemCodec {
  readonly code: Code;
  readonly size: number;
  readonly read: Reader;
  readonly write: Writer;
}

const cache = new Map<string, ItemCodec>();

/**
 * The codec of one item. `itemSize` is the item's byte size: the code's size in the
 * mode, or the repeat count for `s` and `p`. `int64` says how 8-byte integers read.
 */
export function itemCodec(
  code: Code,
  native: boolean,
  littleEndian: boolean,
  itemSize: number,
  int64: Int64Mode = 'bigint',
): ItemCodec {
  if (code === 's' || code === 'p') return makeCodec(code, native, littleEndian, itemSize, int64);
  const key = `${code}${native ? '@' : '='}${littleEndian ? '<' : '>'}${int64 === 'number' ? '#' : ''}`;
  let codec = cache.get(key);
  if (codec === undefined) {
    codec = makeCodec(code, native, littleEndian, itemSize, int64);
    cache.set(key, codec);
  }
  return codec;
}

function makeCodec(
  code: Code,
  native: boolean,
  littleEndian: boolean,
  itemSize: number,
  int64: Int64Mode,
): ItemCodec {
  return {
    code,
    size: itemSize,
    read: itemReader(code, native, littleEndian, itemSize, int64),
    write: itemWriter(code, native, littleEndian, itemSize),
  };
}
