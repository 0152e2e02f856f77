/**
 * The write half of a compiled format (program.ts compiles it and reads): `writeValues`,
 * one small `switch` that writes every format by its program, and for formats of up to
 * four values straight-line writers, used unless user code may run (`?` in `packInto`,
 * which the interpreter writes once) or a write fails (the interpreter replays it to
 * leave CPython's bytes). A `Plan` is both halves.
 *
 * The hot loop is kept small: the plain number kinds are written in it, with the byte
 * order as a flag; every other kind and long runs go through `writeItem`.
 *
 * Invariant: packing calls user code only to take the truth of a `?` value (a getter, a
 * Proxy trap); a plan records whether its format has one (`callsUser`).
 */

import { toBigInt, toFloat, toPointer, toSmallInt } from '../codec/coerce.js';
import {
  bytesArgument,
  charOf,
  copyIn,
  float32Of,
  halfOf,
  itemWriter,
  PackError,
  pyTruth,
  typedLength,
  type Writer,
} from '../codec/index.js';
import type { Int64Mode, ParsedFormat } from '../format/index.js';
import { isAlive } from '../protocol/index.js';
import { compileReadPlan, Kind, type ReadPlan, STEP, STRAIGHT_LIMIT } from './program.js';

/** Writes `values[start…]` into `dv` at byte offset `p`, in order, stopping at the first bad value. */
export type Packer = (dv: DataView, p: number, values: ArrayLike<unknown>, start: number) => void;

/** A compiled format: its program, and the functions that run it. */
export interface Plan extends ReadPlan {
  /** Writes the values; pad bytes are left as they are (see `zeroGaps`). */
  readonly pack: Packer;
  /**
   * `packInto`'s writer when no user code can run (no `?`): zeroes the pad bytes, then
   * writes the values as `pack` does; absent for a format with a `?`.
   */
  readonly packInto: Packer | undefined;
  /** Zeroes the pad bytes (`x` and native alignment) of a record at `p`; absent when none. */
  readonly zeroGaps: ((dv: DataView, p: number) => void) | undefined;
}

const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7fff_ffff_ffff_ffffn;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * Compiles a parsed format to its plan: program.ts's read plan and the writers;
 * `int64` says how its 8-byte integers read.
 */
export function compilePlan(parsed: ParsedFormat, int64: Int64Mode = 'bigint'): Plan {
  const read = compileReadPlan(parsed, int64);
  const { program, codes, valueCount } = read;
  const pack: Packer =
    valueCount <= STRAIGHT_LIMIT
      ? straightPacker(parsed)
      : (dv, p, values, start) => writeValues(program, codes, dv, p, values, start, -1);
  const zeroGaps = gapZeroer(parsed);
  return {
    program,
    codes,
    size: read.size,
    valueCount,
    callsUser: read.callsUser,
    unpack: read.unpack,
    pack,
    packInto: read.callsUser
      ? undefined
      : zeroGaps === undefined
        ? pack
        : (dv, p, values, start) => {
            zeroGaps(dv, p);
            pack(dv, p, values, start);
          },
    zeroGaps,
  };
}

/**
 * The straight-line writer of a format of up to four values (see program.ts's straight
 * readers): one closure per value count, so that, inlined into a caller's loop with
 * `packInto`, it reads the values where the call put them.
 */
function straightPacker(parsed: ParsedFormat): Packer {
  const writers: Writer[] = [];
  const offsets: number[] = [];
  for (const run of parsed.runs) {
    const write = itemWriter(run.code, parsed.native, parsed.littleEndian, run.itemSize);
    for (let k = 0; k < run.count; k++) {
      writers.push(write);
      offsets.push(run.offset + k * run.itemSize);
    }
  }
  const [w0, w1, w2, w3] = writers;
  const [o0, o1, o2, o3] = offsets;
  switch (writers.length) {
    case 0:
      return () => {};
    case 1:
      return (dv, p, v, s) => w0(dv, p + o0, v[s]);
    case 2:
      return (dv, p, v, s) => {
        w0(dv, p + o0, v[s]);
        w1(dv, p + o1, v[s + 1]);
      };
    case 3:
      return (dv, p, v, s) => {
        w0(dv, p + o0, v[s]);
        w1(dv, p + o1, v[s + 1]);
        w2(dv, p + o2, v[s + 2]);
      };
    default:
      return (dv, p, v, s) => {
        w0(dv, p + o0, v[s]);
        w1(dv, p + o1, v[s + 1]);
        w2(dv, p + o2, v[s + 2]);
        w3(dv, p + o3, v[s + 3]);
      };
  }
}

/** Zero-fills `length` bytes of `dv` from `p`. */
export function zeroBytes(dv: DataView, p: number, length: number): void {
  if (length <= 16) for (let i = 0; i < length; i++) dv.setUint8(p + i, 0);
  else new Uint8Array(dv.buffer, dv.byteOffset + p, length).fill(0);
}

function gapZeroer(parsed: ParsedFormat): Plan['zeroGaps'] {
  const gaps: number[] = [];
  let end = 0;
  for (const run of parsed.runs) {
    if (run.offset > end) gaps.push(end, run.offset - end);
    end = run.offset + run.count * run.itemSize;
  }
  if (parsed.size > end) gaps.push(end, parsed.size - end);
  if (gaps.length === 0) return undefined;
  return (dv, p) => {
    for (let i = 0; i < gaps.length; i += 2) zeroBytes(dv, p + gaps[i], gaps[i + 1]);
  };
}

/**
 * Writes `values[j…]` into `dv` at `p` by `program`, in order: the one writer of every
 * format (the plain number kinds here, as in `readValues`, the rest in `writeItem`). On
 * a value that fails, when `zeroTo >= 0` and the memory is still there, the failing item
 * and everything after it up to `zeroTo` are zeroed (pad bytes before it must already be
 * zero: CPython's zero-filled region, then values in order until one fails); a
 * big-endian `q`/`Q` overflow leaves its truncated bytes, as CPython 3.13 does; then the
 * error is thrown on.
 */
export function writeValues(
  program: Int32Array,
  codes: readonly string[],
  dv: DataView,
  p: number,
  values: ArrayLike<unknown>,
  j: number,
  zeroTo: number,
): void {
  let i = 0;
  let q = p; // the item being written, for the error path
  try {
    for (; i < program.length; i += STEP) {
      const op = program[i];
      const n = program[i + 2];
      const le = (op & 1) === 0;
      q = p + program[i + 1];
      switch (op >> 1) {
        // An integral number in range passes one integer operation (as codec's writers);
        // anything else, and every error, goes through `toSmallInt`.
        case 0 /* I8 */:
          for (let k = 0; k < n; k++, q++) {
            const v = values[j++];
            const ok = typeof v === 'number' && (v << 24) >> 24 === v;
            dv.setInt8(q, ok ? v : toSmallInt(v, -128, 127, codes[i >> 2]));
          }
          break;
        case 1 /* U8 */:
          for (let k = 0; k < n; k++, q++) {
            const v = values[j++];
            const ok = typeof v === 'number' && (v & 0xff) === v;
            dv.setUint8(q, ok ? v : toSmallInt(v, 0, 255, codes[i >> 2]));
          }
          break;
        case 2 /* I16 */:
          for (let k = 0; k < n; k++, q += 2) {
            const v = values[j++];
            const ok = typeof v === 'number' && (v << 16) >> 16 === v;
            dv.setInt16(q, ok ? v : toSmallInt(v, -32768, 32767, codes[i >> 2]), le);
          }
          break;
        case 3 /* U16 */:
          for (let k = 0; k < n; k++, q += 2) {
            const v = values[j++];
            const ok = typeof v === 'number' && (v & 0xffff) === v;
            dv.setUint16(q, ok ? v : toSmallInt(v, 0, 65535, codes[i >> 2]), le);
          }
          break;
        case 4 /* I32 */:
          for (let k = 0; k < n; k++, q += 4) {
            const v = values[j++];
            const ok = typeof v === 'number' && (v | 0) === v;
            dv.setInt32(q, ok ? v : toSmallInt(v, -2147483648, 2147483647, codes[i >> 2]), le);
          }
          break;
        case 5 /* U32 */:
          for (let k = 0; k < n; k++, q += 4) {
            const v = values[j++];
            const ok = typeof v === 'number' && v >>> 0 === v;
            dv.setUint32(q, ok ? v : toSmallInt(v, 0, 4294967295, codes[i >> 2]), le);
          }
          break;
        case 7 /* F64 */:
          for (let k = 0; k < n; k++, q += 8) {
            const v = values[j++];
            dv.setFloat64(q, typeof v === 'number' ? v : toFloat(v), le);
          }
          break;
        default: {
          const size = program[i + 3];
          const code = codes[i >> 2];
          for (let k = 0; k < n; k++, q += size) writeItem(op, dv, q, values[j++], size, code);
        }
      }
    }
  } catch (error) {
    if (zeroTo >= 0 && isAlive(dv.buffer, zeroTo)) zeroBytes(dv, q, zeroTo - q);
    const kind = program[i] >> 1;
    const bigEndian = (program[i] & 1) === 1;
    const unsigned = kind === Kind.U64 || kind === Kind.U64_NUMBER;
    if (bigEndian && (unsigned || kind === Kind.I64 || kind === Kind.I64_NUMBER)) {
      if (isRangeError(error)) truncatedWrite(dv, q, values[j - 1], unsigned);
    }
    throw error;
  }
}

function isRangeError(error: unknown): boolean {
  return error instanceof PackError && error.kind === 'value';
}

/** Validates `value`, then writes it as one item of opcode `op` at `q`. */
function writeItem(
  op: number,
  dv: DataView,
  q: number,
  value: unknown,
  size: number,
  code: string,
): void {
  const le = (op & 1) === 0;
  switch (op >> 1) {
    case 0 /* I8 */:
      dv.setInt8(q, toSmallInt(value, -128, 127, code));
      return;
    case 1 /* U8 */:
      dv.setUint8(q, toSmallInt(value, 0, 255, code));
      return;
    case 2 /* I16 */:
      dv.setInt16(q, toSmallInt(value, -32768, 32767, code), le);
      return;
    case 3 /* U16 */:
      dv.setUint16(q, toSmallInt(value, 0, 65535, code), le);
      return;
    case 4 /* I32 */:
      dv.setInt32(q, toSmallInt(value, -2147483648, 2147483647, code), le);
      return;
    case 5 /* U32 */:
      dv.setUint32(q, toSmallInt(value, 0, 4294967295, code), le);
      return;
    case 6 /* F32 */:
      dv.setFloat32(q, float32Of(value), le);
      return;
    case 7 /* F64 */:
      dv.setFloat64(q, toFloat(value), le);
      return;
    case 8 /* I64 */:
    case 16 /* I64_NUMBER */:
      dv.setBigInt64(q, toBigInt(value, I64_MIN, I64_MAX, code), le);
      return;
    case 9 /* U64 */:
    case 17 /* U64_NUMBER */:
      dv.setBigUint64(q, toBigInt(value, 0n, U64_MAX, code), le);
      return;
    case 10 /* PTR */:
    case 18 /* PTR_NUMBER */:
      dv.setBigUint64(q, toPointer(value), le);
      return;
    case 11 /* F16 */:
      dv.setUint16(q, halfOf(value), le);
      return;
    case 12 /* BOOL */:
      // pyTruth may run user code; the DataView then checks the memory is still there.
      dv.setUint8(q, pyTruth(value) ? 1 : 0);
      return;
    case 13 /* CHAR */:
      dv.setUint8(q, charOf(value));
      return;
    case 14 /* BYTES */:
      {
        const data = bytesArgument(value, 's');
        copyIn(dv, q, size, data, typedLength(data));
        return;
      }
    default: /* PASCAL */ {
      const data = bytesArgument(value, 'p');
      if (size === 0) return;
      const used = Math.min(typedLength(data), size - 1);
      copyIn(dv, q + 1, size - 1, data, used);
      dv.setUint8(q, Math.min(used, 255));
    }
  }
}

/**
 * CPython 3.13 stores a big-endian `q`/`Q` that does not fit as its low 64 bits before it
 * raises (a negative `Q` is refused first); `packInto` leaves the same bytes.
 */
function truncatedWrite(dv: DataView, q: number, value: unknown, unsigned: boolean): void {
  const n = typeof value === 'bigint' ? value : BigInt(value as number);
  if (unsigned && n < 0n) return;
  if (isAlive(dv.buffer, q + 8)) dv.setBigUint64(q, BigInt.asUintN(64, n), false);
}
