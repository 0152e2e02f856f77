/**
 * A ZIP directory lister written with memview: the end-of-central-directory record found
 * by searching backwards (`MemoryView.rfind`, no copy), then the central directory read
 * with a `BufferReader` — one fixed-size record and a name per entry. Its CPython twin is
 * zip.py. (ZIP64 archives, over 4 GiB or 65,535 entries, are not handled.)
 *
 * Run: `node dist/examples/zip.js FILE.zip` prints the result as JSON.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BufferReader, Bytes, memoryview } from '../src/index.js';

const END_OF_DIRECTORY = Bytes.fromHex('504b0506'); // "PK\5\6"
const DIRECTORY_ENTRY = Bytes.fromHex('504b0102'); // "PK\1\2"
/** The end record's fixed part: 22 bytes, then a comment of up to 65,535 bytes. */
const END_SIZE = 22;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
  /** The DOS timestamp, as `YYYY-MM-DD hh:mm:ss`. */
  modified: string;
}

export function parseZip(data: Uint8Array): { comment: string; entries: ZipEntry[] } {
  // The end record is the last "PK\5\6" within its largest possible size from the end.
  const at = memoryview(data).rfind(END_OF_DIRECTORY, Math.max(0, data.length - END_SIZE - 0xffff));
  if (at < 0) throw new Error('not a ZIP file (no end of central directory)');
  using reader = new BufferReader(data);
  reader.seek(at + 10);
  const [count, , directory, commentLength] = reader.unpack('<HIIH');
  const comment = reader.readString(commentLength, 'utf-8');
  reader.seek(directory);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (!memoryview(reader.peek(4)).equals(DIRECTORY_ENTRY)) throw new Error('bad directory entry');
    const [
      ,
      ,
      ,
      flags,
      method,
      time,
      date,
      crc,
      compressedSize,
      size,
      nameLength,
      extraLength,
      noteLength,
      ,
      ,
      ,
      offset,
    ] = reader.unpack('<4sHHHHHHIIIHHHHHII');
    // Bit 11: the name is UTF-8. Otherwise zipfile decodes it as cp437; both twins use
    // latin-1 here, which is the same for ASCII names.
    const name = reader.readString(nameLength, flags & 0x800 ? 'utf-8' : 'latin-1');
    reader.skip(extraLength + noteLength);
    const d = (n: number, width = 2) => String(n).padStart(width, '0');
    const modified = `${d((date >> 9) + 1980, 4)}-${d((date >> 5) & 15)}-${d(date & 31)} ${d(time >> 11)}:${d((time >> 5) & 63)}:${d((time & 31) * 2)}`;
    entries.push({ name, method, crc, compressedSize, size, offset, modified });
  }
  return { comment, entries };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(parseZip(readFileSync(process.argv[2]))));
}
