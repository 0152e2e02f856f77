/**
 * The peers suite's record stream: 24 record formats of the kinds real parsers read (pcap,
 * IP/TCP/UDP, ELF, save files, image and audio headers), their values, the stream's bytes,
 * and a hand-written `DataView` reader per format (the reference memview is held against).
 *
 * `peers_bench.py` rebuilds the same stream from the same rules; the checksums tie the two.
 */

import { Struct } from '../src/index.js';

/** The 24 formats, in stream-kind order. `'<IHHd'` and `'<10I'` are also timed on their own. */
export const FORMATS = [
  '<IHHiIII', // pcap global header
  '<IIII', // pcap record header
  '>BBHHHBBHII', // IPv4 header
  '>HHHH', // UDP header
  '>HHIIBBHHH', // TCP header
  '<HHIIIIIHHHHHH', // ELF32 header after e_ident (13 values)
  '<10I', // ELF32 section header
  '<8I', // ELF32 program header
  '<IIIBBH', // ELF32 symbol
  '<IBBHQQ', // ELF64 symbol
  '<IIi', // ELF32 Rela
  '<iI', // ELF32 dynamic entry
  '<IIIHHd', // save-file header
  '<fffhhBBB?', // save-file player
  '<HHbB', // save-file inventory item
  '<8h', // save-file stats
  '<IHHd', // sensor record
  '<HHIIHH', // WAV fmt chunk
  '<IiiHHIIiiII', // BMP info header
  '>IIBBBBB', // PNG IHDR
  '<IHHHHHIIIHH', // ZIP local file header
  '<HHBBB', // GIF logical screen descriptor
  '<3d', // transform
  '<hh', // stereo 16-bit sample
] as const;

/** Records in the stream. */
export const STREAM_RECORDS = 1 << 17;

/** The item codes of a format, counts expanded (`'<10I'` → ten `'I'`); enough for FORMATS. */
export function codesOf(format: string): string[] {
  const codes: string[] = [];
  for (const [, count, code] of format.slice(1).matchAll(/(\d*)([a-zA-Z?])/g)) {
    for (let n = count === '' ? 1 : Number(count); n > 0; n--) codes.push(code);
  }
  return codes;
}

export type Value = number | bigint | boolean;

/**
 * Value `j` of record `k` for item code `code`: small enough that every checksum stays an
 * exact integer (or a multiple of 0.25) below 2**53, so doubles and Python ints agree.
 */
export function fieldValue(code: string, k: number, j: number): Value {
  const base = k * 131 + j * 17;
  switch (code) {
    case 'B':
      return base & 0xff;
    case 'b':
      return (base & 0xff) - 128;
    case 'H':
      return base & 0xffff;
    case 'h':
      return (base & 0xffff) - 32768;
    case 'I':
      return (Math.imul(k, 2654435761 | 0) + j) >>> 0;
    case 'i':
      return (Math.imul(k, 2654435761 | 0) + j) | 0;
    case 'Q':
      return BigInt(k) * 1000003n + BigInt(j);
    case 'f':
      return ((k + j) & 1023) + 0.5;
    case 'd':
      return k + j + 0.25;
    case '?':
      return ((k + j) & 1) === 1;
    default:
      throw new Error(`no value rule for ${code}`);
  }
}

/** The kind of every record: a 31-bit LCG, the same on the CPython side. */
export function streamKinds(): Uint8Array {
  const kinds = new Uint8Array(STREAM_RECORDS);
  let state = 1;
  for (let k = 0; k < STREAM_RECORDS; k++) {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    kinds[k] = (state >>> 16) % FORMATS.length;
  }
  return kinds;
}

/** The stream: kinds, every record's values, and its bytes (packed once, untimed). */
export interface Stream {
  readonly kinds: Uint8Array;
  readonly values: Value[][];
  readonly bytes: Uint8Array;
  readonly structs: Struct[];
}

export function makeStream(): Stream {
  const structs = FORMATS.map((f) => new Struct(f));
  const codes = FORMATS.map(codesOf);
  const kinds = streamKinds();
  const values: Value[][] = [];
  let size = 0;
  for (let k = 0; k < STREAM_RECORDS; k++) {
    const kind = kinds[k];
    values.push(codes[kind].map((code, j) => fieldValue(code, k, j)));
    size += structs[kind].size;
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (let k = 0; k < STREAM_RECORDS; k++) {
    const s = structs[kinds[k]];
    (s.packInto as (...args: unknown[]) => void)(bytes, off, ...values[k]);
    off += s.size;
  }
  return { kinds, values, bytes, structs };
}

/** What every reader adds per record: its first and last value (as the CPython side does). */
export function recordCheck(r: readonly unknown[]): number {
  return Number(r[0]) + Number(r[r.length - 1]);
}

/**
 * `recordCheck` again, for the hand-written side alone. A user's own parser has its own
 * code; one function shared by both sides learns both sides' array kinds, goes
 * megamorphic and slows whichever side V8 inlined it into (measured: the hand switch 2.3×
 * slower beside memview's records than with a copy of its own).
 */
function handRecordCheck(r: readonly unknown[]): number {
  return Number(r[0]) + Number(r[r.length - 1]);
}

/**
 * The hand-written reference: one `switch` over the kinds, each case the `DataView` getters
 * a programmer would write for that record, building the same array `unpackFrom` returns.
 * Returns the stream's checksum.
 */
export function handStream(dv: DataView, kinds: Uint8Array): number {
  let sum = 0;
  let o = 0;
  const n = kinds.length;
  for (let k = 0; k < n; k++) {
    let r: Value[];
    switch (kinds[k]) {
      case 0:
        r = [
          dv.getUint32(o, true),
          dv.getUint16(o + 4, true),
          dv.getUint16(o + 6, true),
          dv.getInt32(o + 8, true),
          dv.getUint32(o + 12, true),
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 20, true),
        ];
        o += 24;
        break;
      case 1:
        r = [
          dv.getUint32(o, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint32(o + 12, true),
        ];
        o += 16;
        break;
      case 2:
        r = [
          dv.getUint8(o),
          dv.getUint8(o + 1),
          dv.getUint16(o + 2),
          dv.getUint16(o + 4),
          dv.getUint16(o + 6),
          dv.getUint8(o + 8),
          dv.getUint8(o + 9),
          dv.getUint16(o + 10),
          dv.getUint32(o + 12),
          dv.getUint32(o + 16),
        ];
        o += 20;
        break;
      case 3:
        r = [dv.getUint16(o), dv.getUint16(o + 2), dv.getUint16(o + 4), dv.getUint16(o + 6)];
        o += 8;
        break;
      case 4:
        r = [
          dv.getUint16(o),
          dv.getUint16(o + 2),
          dv.getUint32(o + 4),
          dv.getUint32(o + 8),
          dv.getUint8(o + 12),
          dv.getUint8(o + 13),
          dv.getUint16(o + 14),
          dv.getUint16(o + 16),
          dv.getUint16(o + 18),
        ];
        o += 20;
        break;
      case 5:
        r = [
          dv.getUint16(o, true),
          dv.getUint16(o + 2, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint32(o + 12, true),
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 20, true),
          dv.getUint16(o + 24, true),
          dv.getUint16(o + 26, true),
          dv.getUint16(o + 28, true),
          dv.getUint16(o + 30, true),
          dv.getUint16(o + 32, true),
          dv.getUint16(o + 34, true),
        ];
        o += 36;
        break;
      case 6:
        r = [
          dv.getUint32(o, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint32(o + 12, true),
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 20, true),
          dv.getUint32(o + 24, true),
          dv.getUint32(o + 28, true),
          dv.getUint32(o + 32, true),
          dv.getUint32(o + 36, true),
        ];
        o += 40;
        break;
      case 7:
        r = [
          dv.getUint32(o, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint32(o + 12, true),
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 20, true),
          dv.getUint32(o + 24, true),
          dv.getUint32(o + 28, true),
        ];
        o += 32;
        break;
      case 8:
        r = [
          dv.getUint32(o, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint8(o + 12),
          dv.getUint8(o + 13),
          dv.getUint16(o + 14, true),
        ];
        o += 16;
        break;
      case 9:
        r = [
          dv.getUint32(o, true),
          dv.getUint8(o + 4),
          dv.getUint8(o + 5),
          dv.getUint16(o + 6, true),
          dv.getBigUint64(o + 8, true),
          dv.getBigUint64(o + 16, true),
        ];
        o += 24;
        break;
      case 10:
        r = [dv.getUint32(o, true), dv.getUint32(o + 4, true), dv.getInt32(o + 8, true)];
        o += 12;
        break;
      case 11:
        r = [dv.getInt32(o, true), dv.getUint32(o + 4, true)];
        o += 8;
        break;
      case 12:
        r = [
          dv.getUint32(o, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint16(o + 12, true),
          dv.getUint16(o + 14, true),
          dv.getFloat64(o + 16, true),
        ];
        o += 24;
        break;
      case 13:
        r = [
          dv.getFloat32(o, true),
          dv.getFloat32(o + 4, true),
          dv.getFloat32(o + 8, true),
          dv.getInt16(o + 12, true),
          dv.getInt16(o + 14, true),
          dv.getUint8(o + 16),
          dv.getUint8(o + 17),
          dv.getUint8(o + 18),
          dv.getUint8(o + 19) !== 0,
        ];
        o += 20;
        break;
      case 14:
        r = [
          dv.getUint16(o, true),
          dv.getUint16(o + 2, true),
          dv.getInt8(o + 4),
          dv.getUint8(o + 5),
        ];
        o += 6;
        break;
      case 15:
        r = [
          dv.getInt16(o, true),
          dv.getInt16(o + 2, true),
          dv.getInt16(o + 4, true),
          dv.getInt16(o + 6, true),
          dv.getInt16(o + 8, true),
          dv.getInt16(o + 10, true),
          dv.getInt16(o + 12, true),
          dv.getInt16(o + 14, true),
        ];
        o += 16;
        break;
      case 16:
        r = [
          dv.getUint32(o, true),
          dv.getUint16(o + 4, true),
          dv.getUint16(o + 6, true),
          dv.getFloat64(o + 8, true),
        ];
        o += 16;
        break;
      case 17:
        r = [
          dv.getUint16(o, true),
          dv.getUint16(o + 2, true),
          dv.getUint32(o + 4, true),
          dv.getUint32(o + 8, true),
          dv.getUint16(o + 12, true),
          dv.getUint16(o + 14, true),
        ];
        o += 16;
        break;
      case 18:
        r = [
          dv.getUint32(o, true),
          dv.getInt32(o + 4, true),
          dv.getInt32(o + 8, true),
          dv.getUint16(o + 12, true),
          dv.getUint16(o + 14, true),
          dv.getUint32(o + 16, true),
          dv.getUint32(o + 20, true),
          dv.getInt32(o + 24, true),
          dv.getInt32(o + 28, true),
          dv.getUint32(o + 32, true),
          dv.getUint32(o + 36, true),
        ];
        o += 40;
        break;
      case 19:
        r = [
          dv.getUint32(o),
          dv.getUint32(o + 4),
          dv.getUint8(o + 8),
          dv.getUint8(o + 9),
          dv.getUint8(o + 10),
          dv.getUint8(o + 11),
          dv.getUint8(o + 12),
        ];
        o += 13;
        break;
      case 20:
        r = [
          dv.getUint32(o, true),
          dv.getUint16(o + 4, true),
          dv.getUint16(o + 6, true),
          dv.getUint16(o + 8, true),
          dv.getUint16(o + 10, true),
          dv.getUint16(o + 12, true),
          dv.getUint32(o + 14, true),
          dv.getUint32(o + 18, true),
          dv.getUint32(o + 22, true),
          dv.getUint16(o + 26, true),
          dv.getUint16(o + 28, true),
        ];
        o += 30;
        break;
      case 21:
        r = [
          dv.getUint16(o, true),
          dv.getUint16(o + 2, true),
          dv.getUint8(o + 4),
          dv.getUint8(o + 5),
          dv.getUint8(o + 6),
        ];
        o += 7;
        break;
      case 22:
        r = [dv.getFloat64(o, true), dv.getFloat64(o + 8, true), dv.getFloat64(o + 16, true)];
        o += 24;
        break;
      default:
        r = [dv.getInt16(o, true), dv.getInt16(o + 2, true)];
        o += 4;
        break;
    }
    sum += handRecordCheck(r);
  }
  return sum;
}

/** The same stream through memview: the `Struct` of each kind, `unpackFrom` at the cursor. */
export function memviewStream(bytes: Uint8Array, kinds: Uint8Array, structs: Struct[]): number {
  let sum = 0;
  let o = 0;
  const n = kinds.length;
  for (let k = 0; k < n; k++) {
    const s = structs[kinds[k]];
    sum += recordCheck(s.unpackFrom(bytes, o) as unknown[]);
    o += s.size;
  }
  return sum;
}
