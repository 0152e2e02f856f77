/**
 * A PNG reader written with memview: the chunk list (each chunk's CRC checked), the IHDR
 * header, and the decompressed image as a 2-D view of scanlines — one row per scanline,
 * its first column the filter byte — without copying a row. Its CPython twin is png.py.
 *
 * Run: `node dist/examples/png.js FILE.png` prints the result as JSON.
 */

import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, inflateSync } from 'node:zlib';
import { BufferReader, Bytes, memoryview } from '../src/index.js';

const SIGNATURE = Bytes.fromHex('89504e470d0a1a0a');
/** Samples per pixel for each colour type (grey, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface Png {
  chunks: { type: string; length: number; crcOk: boolean }[];
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  /** Bytes per scanline, filter byte excluded. */
  stride: number;
  /** The filter type of each scanline (null for an interlaced image). */
  filters: number[] | null;
  /** The (filtered) bytes of the first scanline, in hex. */
  firstRow: string | null;
}

export function parsePng(data: Uint8Array): Png {
  using reader = new BufferReader(data);
  if (!memoryview(reader.readBytes(8)).equals(SIGNATURE)) throw new Error('not a PNG file');
  const chunks: Png['chunks'] = [];
  const idat: Uint8Array[] = [];
  let header: number[] = [];
  for (;;) {
    // Length, then type: the CRC covers the type and the body.
    const [length] = reader.unpack('>I');
    const start = reader.tell();
    const type = reader.readString(4, 'ascii');
    const body = reader.readBytes(length);
    const [crc] = reader.unpack('>I');
    chunks.push({ type, length, crcOk: crc32(data.subarray(start, start + 4 + length)) === crc });
    if (type === 'IHDR') header = new BufferReader(body).unpack('>IIBBBBB');
    if (type === 'IDAT') idat.push(body);
    if (type === 'IEND') break;
  }
  const [width, height, bitDepth, colorType, , , interlace] = header;
  const stride = Math.ceil((width * CHANNELS[colorType] * bitDepth) / 8);
  let filters: number[] | null = null;
  let firstRow: string | null = null;
  if (interlace === 0) {
    // Scanlines as a height × (1 + stride) byte matrix over the inflated data.
    const rows = memoryview(inflateSync(Buffer.concat(idat))).cast('B', [height, 1 + stride]);
    filters = rows.sub(null, 0).toList() as number[]; // column 0, strided: no copy
    firstRow = rows.sub(0, [1, null]).hex(); // row 0 without its filter byte
  }
  return { chunks, width, height, bitDepth, colorType, interlace, stride, filters, firstRow };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(parsePng(readFileSync(process.argv[2]))));
}
