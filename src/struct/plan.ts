/**
 * A format compiled to a program for one interpreter. Each item of the format is one
 * instruction of an `Int32Array` — opcode (item kind and byte order), offset, count, item
 * size — and one small `switch` reads or writes every format there is. The interpreter's
 * operations see one DataView and one program type whatever the format, so its speed does
 * not depend on which or how many formats ran before it (closures per format share their
 * call sites' feedback and go megamorphic once many formats run), and no code is
 * generated at run time.
 *
 * Formats of up to four values (most record headers) also get straight-line closures,
 * which V8 inlines while few such formats run and which are then the fastest; they read
 * and write unless user code may run (`?` in `packInto`, which the interpreter writes
 * once) or a write fails (the interpreter replays it to leave CPython's bytes). Every
 * larger format runs on the interpreter alone.
 *
 * The hot loop is kept small: the plain number kinds are read and written in it, with the
 * byte order as a flag; every other kind (bigints, bytes, booleans, halves) and long runs
 * go through `readItem`/`writeItem`.
 *
 * Invariants: a run of up to 16 items is one instruction per item; a longer run is one
 * instruction whose count says how many, so a program's size follows the format string,
 * not its counts. Packing calls user code only to take the truth of a `?` value (a
 * getter, a Proxy trap); a plan records whether its format has one (`callsUser`).
 */

import {
  bytesOf,
  floatOverflow,
  toBigInt,
  toFloat,
  toPointer,
  toSmallInt,
} from '../codec/coerce.js';
import {
  fromHalfBits,
  int64Number,
  itemCodec,
  PackError,
  pyTruth,
  type Reader,
  type StructValue,
  toHalfBits,
  uint64Number,
  type Writer,
} from '../codec/index.js';
import { leadingBytes, typedLength } from '../codec/intrinsics.js';
import type { Int64Mode, ParsedFormat } from '../format/index.js';
import { isAlive } from '../protocol/index.js';

/** Reads every value of the format from `dv` at byte offset `p`. */
export type Unpacker = (dv: DataView, p: number) => StructValue[];
/** Writes `values[start…]` into `dv` at byte offset `p`, in order, stopping at the first bad value. */
export type Packer = (dv: DataView, p: number, values: ArrayLike<unknown>, start: number) => void;

/** Writes up to four values, passed as arguments, at byte offset `p`. */
export type PackArgs = (
  dv: DataView,
  p: number,
  a: unknown,
  b: unknown,
  c: unknown,
  d: unknown,
) => void;

/** A compiled format: its program, and the functions that run it. */
export interface Plan {
  /** Instructions of `STEP` ints: opcode, offset, count, item size. */
  readonly program: Int32Array;
  /** The format code of each instruction, for error messages. */
  readonly codes: readonly string[];
  readonly size: number;
  readonly valueCount: number;
  /** True when packing may run user code (the format has a `?`). */
  readonly callsUser: boolean;
  readonly unpack: Unpacker;
  /** Writes the values; pad bytes are left as they are (see `zeroGaps`). */
  readonly pack: Packer;
  /**
   * For formats of up to four values, the same writer taking the values as arguments
   * (no array per call), stopping at the first bad value; absent for larger formats.
   */
  readonly packArgs: PackArgs | undefined;
  /** Zeroes the pad bytes (`x` and native alignment) of a record at `p`; absent when none. */
  readonly zeroGaps: ((dv: DataView, p: number) => void) | undefined;
}

/** Ints per instruction. */
const STEP = 4;
/** Runs up to this count compile to one instruction per item. */
const EXPAND_LIMIT = 16;
/** Formats of up to this many values also get straight-line closures (`straightPlan`). */
const STRAIGHT_LIMIT = 4;

// Item kinds. An opcode is `kind * 2 + (big-endian ? 1 : 0)`, plus RUN for a long run.
// The interpreters' cases spell kinds as literal numbers, which V8 turns into a jump
// table (a module constant would be loaded and checked at every case).
const Kind = {
  I8: 0,
  U8: 1,
  I16: 2,
  U16: 3,
  I32: 4,
  U32: 5,
  F32: 6,
  F64: 7,
  I64: 8,
  U64: 9,
  PTR: 10,
  F16: 11,
  BOOL: 12,
  CHAR: 13,
  BYTES: 14,
  PASCAL: 15,
  // 8-byte integers read as exact numbers (`int64: 'number'`); written as I64/U64/PTR.
  I64_NUMBER: 16,
  U64_NUMBER: 17,
  PTR_NUMBER: 18,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];
/** Added to an item's opcode for an instruction that holds a run of `count` items. */
const RUN = 64;

const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7fff_ffff_ffff_ffffn;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** The item kind of a run; with `numbers`, 8-byte integers get their number-reading kinds. */
function kindOf(kind: string, size: number, numbers: boolean): Kind {
  const k = plainKind(kind, size);
  if (!numbers) return k;
  return k === Kind.I64
    ? Kind.I64_NUMBER
    : k === Kind.U64
      ? Kind.U64_NUMBER
      : k === Kind.PTR
        ? Kind.PTR_NUMBER
        : k;
}

function plainKind(kind: string, size: number): Kind {
  switch (kind) {
    case 'int':
      return size === 1 ? Kind.I8 : size === 2 ? Kind.I16 : size === 4 ? Kind.I32 : Kind.I64;
    case 'uint':
      return size === 1 ? Kind.U8 : size === 2 ? Kind.U16 : size === 4 ? Kind.U32 : Kind.U64;
    case 'pointer':
      return Kind.PTR;
    case 'bool':
      return Kind.BOOL;
    case 'char':
      return Kind.CHAR;
    case 'float':
      return size === 2 ? Kind.F16 : size === 4 ? Kind.F32 : Kind.F64;
    case 'bytes':
      return Kind.BYTES;
    case 'pascal':
      return Kind.PASCAL;
    default:
      throw new Error(`no item kind for '${kind}'`);
  }
}

/**
 * Compiles a parsed format to its plan; `int64` says how its 8-byte integers read (the
 * number kinds are their own opcodes, so the default program is the same as before).
 */
export function compilePlan(parsed: ParsedFormat, int64: Int64Mode = 'bigint'): Plan {
  const program: number[] = [];
  const codes: string[] = [];
  let callsUser = false;
  const numbers = int64 === 'number';
  for (const run of parsed.runs) {
    const op = kindOf(run.kind, run.itemSize, numbers) * 2 + (parsed.littleEndian ? 0 : 1);
    if (run.count <= EXPAND_LIMIT) {
      for (let k = 0; k < run.count; k++) {
        program.push(op, run.offset + k * run.itemSize, 1, run.itemSize);
        codes.push(run.code);
      }
    } else {
      program.push(op + RUN, run.offset, run.count, run.itemSize);
      codes.push(run.code);
    }
    if (run.kind === 'bool') callsUser = true;
  }
  const valueCount = parsed.valueCount;
  const compiled = Int32Array.from(program);
  const straight = valueCount <= STRAIGHT_LIMIT ? straightPlan(parsed, int64) : undefined;
  return {
    program: compiled,
    codes,
    size: parsed.size,
    valueCount,
    callsUser,
    unpack:
      straight?.unpack ??
      ((dv, p) => {
        const out = new Array<StructValue>(valueCount);
        readValues(compiled, dv, p, out, 0);
        return out;
      }),
    pack:
      straight?.pack ??
      ((dv, p, values, start) => writeValues(compiled, codes, dv, p, values, start, -1)),
    packArgs: straight?.packArgs,
    zeroGaps: gapZeroer(parsed),
  };
}

/**
 * Straight-line closures for formats of up to four values: as long as few formats of a
 * value count run, V8 inlines their item readers and they beat the interpreter; with
 * many, their call sites go megamorphic, which is why every larger format runs the
 * interpreter. `packArgs` takes the values as arguments, so `packInto` makes no array.
 */
function straightPlan(
  parsed: ParsedFormat,
  int64: Int64Mode,
): Pick<Plan, 'pack' | 'unpack' | 'packArgs'> {
  const readers: Reader[] = [];
  const writers: Writer[] = [];
  const offsets: number[] = [];
  for (const run of parsed.runs) {
    const codec = itemCodec(run.code, parsed.native, parsed.littleEndian, run.itemSize, int64);
    for (let k = 0; k < run.count; k++) {
      readers.push(codec.read);
      writers.push(codec.write);
      offsets.push(run.offset + k * run.itemSize);
    }
  }
  const [r0, r1, r2, r3] = readers;
  const [w0, w1, w2, w3] = writers;
  const [o0, o1, o2, o3] = offsets;
  let unpack: Unpacker;
  let packArgs: PackArgs;
  switch (readers.length) {
    case 0:
      unpack = () => [];
      packArgs = () => {};
      break;
    case 1:
      unpack = (dv, p) => [r0(dv, p + o0)];
      packArgs = (dv, p, a) => w0(dv, p + o0, a);
      break;
    case 2:
      unpack = (dv, p) => [r0(dv, p + o0), r1(dv, p + o1)];
      packArgs = (dv, p, a, b) => {
        w0(dv, p + o0, a);
        w1(dv, p + o1, b);
      };
      break;
    case 3:
      unpack = (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2)];
      packArgs = (dv, p, a, b, c) => {
        w0(dv, p + o0, a);
        w1(dv, p + o1, b);
        w2(dv, p + o2, c);
      };
      break;
    default:
      unpack = (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2), r3(dv, p + o3)];
      packArgs = (dv, p, a, b, c, d) => {
        w0(dv, p + o0, a);
        w1(dv, p + o1, b);
        w2(dv, p + o2, c);
        w3(dv, p + o3, d);
      };
  }
  return {
    unpack,
    packArgs,
    pack: (dv, p, v, s) => packArgs(dv, p, v[s], v[s + 1], v[s + 2], v[s + 3]),
  };
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
 * Reads every value of `program` from `dv` at `p` into `out[j…]`: the one reader of every
 * format. The plain number kinds are read here (a copy of `readItem`'s cases, kept so
 * that the loop is small and V8 inlines it); the rest and long runs go to `readItem`.
 */
export function readValues(
  program: Int32Array,
  dv: DataView,
  p: number,
  out: StructValue[],
  j: number,
): void {
  for (let i = 0; i < program.length; i += STEP) {
    const op = program[i];
    const q = p + program[i + 1];
    const le = (op & 1) === 0;
    switch (op >> 1) {
      case 0 /* I8 */:
        out[j++] = dv.getInt8(q);
        break;
      case 1 /* U8 */:
        out[j++] = dv.getUint8(q);
        break;
      case 2 /* I16 */:
        out[j++] = dv.getInt16(q, le);
        break;
      case 3 /* U16 */:
        out[j++] = dv.getUint16(q, le);
        break;
      case 4 /* I32 */:
        out[j++] = dv.getInt32(q, le);
        break;
      case 5 /* U32 */:
        out[j++] = dv.getUint32(q, le);
        break;
      case 6 /* F32 */:
        out[j++] = dv.getFloat32(q, le);
        break;
      case 7 /* F64 */:
        out[j++] = dv.getFloat64(q, le);
        break;
      // Number mode's 8-byte integers: here rather than in `readItem`, so that they cost
      // what the bigints cost (measured: a call to `readItem` each is 15-30 % more).
      case 16 /* I64_NUMBER */:
        out[j++] = int64Number(dv, q, le);
        break;
      case 17 /* U64_NUMBER */:
      case 18 /* PTR_NUMBER */:
        out[j++] = uint64Number(dv, q, le);
        break;
      default:
        if (op < RUN) out[j++] = readItem(op, dv, q, program[i + 3]);
        else {
          const size = program[i + 3];
          for (let k = 0, n = program[i + 2]; k < n; k++)
            out[j++] = readItem(op - RUN, dv, q + k * size, size);
        }
    }
  }
}

/** Reads one item of opcode `op` (never a RUN) and byte size `size` at `q`. */
function readItem(op: number, dv: DataView, q: number, size: number): StructValue {
  const le = (op & 1) === 0;
  switch (op >> 1) {
    case 0 /* I8 */:
      return dv.getInt8(q);
    case 1 /* U8 */:
      return dv.getUint8(q);
    case 2 /* I16 */:
      return dv.getInt16(q, le);
    case 3 /* U16 */:
      return dv.getUint16(q, le);
    case 4 /* I32 */:
      return dv.getInt32(q, le);
    case 5 /* U32 */:
      return dv.getUint32(q, le);
    case 6 /* F32 */:
      return dv.getFloat32(q, le);
    case 7 /* F64 */:
      return dv.getFloat64(q, le);
    case 8 /* I64 */:
      return dv.getBigInt64(q, le);
    case 9 /* U64 */:
    case 10 /* PTR */:
      return dv.getBigUint64(q, le);
    case 11 /* F16 */:
      return fromHalfBits(dv.getUint16(q, le));
    case 12 /* BOOL */:
      return dv.getUint8(q) !== 0;
    case 13 /* CHAR */:
      return Uint8Array.of(dv.getUint8(q));
    case 14 /* BYTES */:
      return copyOut(dv, q, size);
    case 16 /* I64_NUMBER */:
      return int64Number(dv, q, le);
    case 17 /* U64_NUMBER */:
    case 18 /* PTR_NUMBER */:
      return uint64Number(dv, q, le);
    default:
      /* PASCAL: a length byte, then at most size - 1 bytes */ return size === 0
        ? new Uint8Array(0)
        : copyOut(dv, q + 1, Math.min(dv.getUint8(q), size - 1));
  }
}

/**
 * Reads one value, the `index`th of the format, without reading the others: the
 * instruction holding it is found by counting, then that one item is read.
 */
export function readValue(
  program: Int32Array,
  dv: DataView,
  p: number,
  index: number,
): StructValue {
  let i = 0;
  let first = 0;
  while (first + program[i + 2] <= index) {
    first += program[i + 2];
    i += STEP;
  }
  const op = program[i];
  const size = program[i + 3];
  return readItem(op < RUN ? op : op - RUN, dv, p + program[i + 1] + (index - first) * size, size);
}

function copyOut(dv: DataView, p: number, n: number): Uint8Array {
  // An empty item touches no memory: its offset may lie past the end of an empty view.
  if (n === 0) return new Uint8Array(0);
  return new Uint8Array(dv.buffer, dv.byteOffset + p, n).slice();
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
  let q = p;
  try {
    for (; i < program.length; i += STEP) {
      const op = program[i];
      q = p + program[i + 1];
      const le = (op & 1) === 0;
      switch (op >> 1) {
        case 0 /* I8 */:
          dv.setInt8(q, toSmallInt(values[j++], -128, 127, codes[i >> 2]));
          break;
        case 1 /* U8 */:
          dv.setUint8(q, toSmallInt(values[j++], 0, 255, codes[i >> 2]));
          break;
        case 2 /* I16 */:
          dv.setInt16(q, toSmallInt(values[j++], -32768, 32767, codes[i >> 2]), le);
          break;
        case 3 /* U16 */:
          dv.setUint16(q, toSmallInt(values[j++], 0, 65535, codes[i >> 2]), le);
          break;
        case 4 /* I32 */:
          dv.setInt32(q, toSmallInt(values[j++], -2147483648, 2147483647, codes[i >> 2]), le);
          break;
        case 5 /* U32 */:
          dv.setUint32(q, toSmallInt(values[j++], 0, 4294967295, codes[i >> 2]), le);
          break;
        case 7 /* F64 */:
          dv.setFloat64(q, toFloat(values[j++]), le);
          break;
        default:
          if (op < RUN) writeItem(op, dv, q, values[j++], program[i + 3], codes[i >> 2]);
          else {
            const size = program[i + 3];
            const code = codes[i >> 2];
            for (let k = 0, n = program[i + 2]; k < n; k++, q += size) {
              writeItem(op - RUN, dv, q, values[j++], size, code);
            }
          }
      }
    }
  } catch (error) {
    if (zeroTo >= 0 && isAlive(dv.buffer, zeroTo)) zeroBytes(dv, q, zeroTo - q);
    const kind = (program[i] % RUN) >> 1;
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

/** Validates `value`, then writes it as one item of opcode `op` (never a RUN) at `q`. */
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

function charOf(value: unknown): number {
  const bytes = bytesOf(value);
  if (bytes === undefined || typedLength(bytes) !== 1) {
    throw new PackError(
      'char format requires a bytes object of length 1',
      bytes ? 'value' : 'type',
    );
  }
  return bytes[0];
}

function halfOf(value: unknown): number {
  const bits = toHalfBits(toFloat(value));
  if (bits < 0) throw floatOverflow(value, 'e');
  return bits;
}

function float32Of(value: unknown): number {
  const x = toFloat(value);
  const f = Math.fround(x);
  // CPython raises in standard mode; memview raises in native mode too (gh-145633).
  if (!Number.isFinite(f) && Number.isFinite(x)) throw floatOverflow(value, 'f');
  return f;
}

function bytesArgument(value: unknown, code: string): Uint8Array {
  const bytes = bytesOf(value);
  if (bytes === undefined)
    throw new PackError(`argument for '${code}' must be a bytes object`, 'type');
  return bytes;
}

/** Writes `length` bytes of `data` truncated or NUL-padded to `size` bytes at `p`. */
function copyIn(dv: DataView, p: number, size: number, data: Uint8Array, length: number): void {
  if (size === 0) return;
  const target = new Uint8Array(dv.buffer, dv.byteOffset + p, size);
  const n = Math.min(length, size);
  if (n > 0) target.set(leadingBytes(data, n));
  target.fill(0, n);
}
