/**
 * A WAV reader written with memview: the RIFF chunk list (chunks padded to an even
 * length, skipped with `align(2)`), the `fmt ` chunk, and the PCM samples as a cast view of
 * the `data` chunk — a frames × channels matrix whose columns are the channels, each a
 * strided view, no sample copied. Its CPython twin is wav.py.
 *
 * Run: `node dist/examples/wav.js FILE.wav` prints the result as JSON.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BufferReader, type MemoryView, unpackFrom } from '../src/index.js';

/** The struct format of one PCM sample by its size in bits (8-bit WAV is unsigned). */
const SAMPLE: Record<number, string> = { 8: 'B', 16: '<h', 32: '<i' };

export interface Channel {
  min: number;
  max: number;
  sum: number;
  /** The channel's first samples (up to 4). */
  first: number[];
}

export interface Wav {
  chunks: string[];
  format: number;
  channels: number;
  rate: number;
  bits: number;
  frames: number;
  /** Per-channel figures (null for a sample size this example does not read). */
  columns: Channel[] | null;
}

export function parseWav(data: Uint8Array): Wav {
  using reader = new BufferReader(data);
  const [riff, , wave] = reader.unpack('<4sI4s');
  if (String.fromCharCode(...riff, ...wave) !== 'RIFFWAVE') throw new Error('not a WAV file');
  const chunks: string[] = [];
  let fmt: number[] = [];
  let samples: MemoryView | undefined;
  while (reader.remaining >= 8) {
    const [id, size] = reader.unpack('<4sI');
    const name = String.fromCharCode(...id);
    chunks.push(name);
    if (name === 'fmt ')
      fmt = unpackFrom('<HHIIHH', reader.readBytes(size)); // 16 bytes or more
    else if (name === 'data') samples = reader.read(size);
    else reader.skip(size);
    // A chunk of odd size is followed by a pad byte (which some writers leave out at the end).
    if (reader.remaining > 0) reader.align(2);
  }
  const [format, channels, rate, , , bits] = fmt;
  if (samples === undefined) throw new Error('no data chunk');
  const frames = Math.floor(samples.nbytes / ((channels * bits) / 8));
  let columns: Channel[] | null = null;
  const code = SAMPLE[bits];
  if (code !== undefined) {
    // The data chunk as a frames × channels matrix (a cast: no copy, any byte order)...
    const matrix = samples.slice(0, (frames * channels * bits) / 8).cast(code, [frames, channels]);
    columns = [];
    for (let c = 0; c < channels; c++) {
      // ...whose column c is channel c: a strided view.
      const column = matrix.sub(null, c);
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of column as Iterable<number>) {
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      const first = column.sub([0, 4]).toList() as number[];
      columns.push({ min, max, sum, first });
    }
  }
  return { chunks, format, channels, rate, bits, frames, columns };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(parseWav(readFileSync(process.argv[2]))));
}
