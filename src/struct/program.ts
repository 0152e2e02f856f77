/**
 * A format compiled to a program for one interpreter, and the read half of it. Each run of
 * the format (adjacent items of one code: `'HH'`, `'3I'`) is one instruction of an
 * `Int32Array` — opcode (item kind and byte order), offset, count, item size — and one
 * small `switch` reads every format there is (plan.ts writes by the same program). The
 * interpreter's operations see one DataView and one program type whatever the format, so
 * its speed does not depend on which or how many formats ran before it (closures per
 * format share their call sites' feedback and go megamorphic once many formats run), and
 * no code is generated at run time.
 *
 * Formats of up to four values (most record headers) also get straight-line closures,
 * which V8 inlines while few such formats run and which are then the fastest. Every
 * larger format runs on the interpreter alone.
 *
 * The hot loop is kept small: the plain number kinds are read in it, a run in an inner
 * loop of its own, with the byte order as a flag; every other kind (bigints, bytes,
 * booleans, halves) goes through `readItem`. One dispatch per run rather than per item:
 * the 13-value ELF header (`'<HHIIIIIHHHHHH'`, three runs) packs 2.2× faster than with an
 * instruction per item (measured alone, one process per variant).
 *
 * Invariants: a program's size follows the format string's runs, not its counts. Reading
 * runs no user code. Nothing here writes, so what only unpacks loads no value conversion.
 */

import {
  copyOut,
  fromHalfBits,
  int64Number,
  itemReader,
  type Reader,
  type StructValue,
  uint64Number,
} from '../codec/index.js';
import type { Int64Mode, ParsedFormat } from '../format/index.js';

/** Reads every value of the format from `dv` at byte offset `p`. */
export type Unpacker = (dv: DataView, p: number) => StructValue[];

/** A format compiled for reading: its program, and the function that reads a record. */
export interface ReadPlan {
  /** Instructions of `STEP` ints, one per run: opcode, offset, count, item size. */
  readonly program: Int32Array;
  /** The format code of each instruction, for error messages. */
  readonly codes: readonly string[];
  readonly size: number;
  readonly valueCount: number;
  /** True when packing may run user code (the format has a `?`). */
  readonly callsUser: boolean;
  readonly unpack: Unpacker;
}

/** Ints per instruction. */
export const STEP = 4;
/**
 * Records of up to this many values are copies of a blank record (`blankRecord`); a
 * format of more values (`'100000I'`) makes its arrays as they come, not one at compile
 * time that could be larger than memory.
 */
const BLANK_LIMIT = 1024;
/** Formats of up to this many values also get straight-line closures. */
export const STRAIGHT_LIMIT = 4;

// Item kinds. An opcode is `kind * 2 + (big-endian ? 1 : 0)`.
// The interpreters' cases spell kinds as literal numbers, which V8 turns into a jump
// table (a module constant would be loaded and checked at every case).
export const Kind = {
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
 * Compiles a parsed format to its read plan; `int64` says how its 8-byte integers read
 * (the number kinds are their own opcodes, so the default program is the same as before).
 */
export function compileReadPlan(parsed: ParsedFormat, int64: Int64Mode = 'bigint'): ReadPlan {
  const program: number[] = [];
  const codes: string[] = [];
  let callsUser = false;
  const numbers = int64 === 'number';
  for (const run of parsed.runs) {
    const op = kindOf(run.kind, run.itemSize, numbers) * 2 + (parsed.littleEndian ? 0 : 1);
    const last = program.length - STEP;
    // `'HH'` parses as two runs of one; adjacent items of one code read as one run (not
    // bytes: each `'4s'` is one value of its own size).
    if (
      last >= 0 &&
      program[last] === op &&
      program[last + 3] === run.itemSize &&
      program[last + 1] + program[last + 2] * run.itemSize === run.offset &&
      run.kind !== 'bytes' &&
      run.kind !== 'pascal'
    ) {
      program[last + 2] += run.count;
    } else {
      program.push(op, run.offset, run.count, run.itemSize);
      codes.push(run.code);
    }
    if (run.kind === 'bool') callsUser = true;
  }
  const valueCount = parsed.valueCount;
  const compiled = Int32Array.from(program);
  const blank = blankRecord(Math.min(valueCount, BLANK_LIMIT));
  return {
    program: compiled,
    codes,
    size: parsed.size,
    valueCount,
    callsUser,
    unpack:
      valueCount <= STRAIGHT_LIMIT
        ? straightUnpacker(parsed, int64)
        : valueCount <= BLANK_LIMIT
          ? (dv, p) => {
              const out = blank.slice();
              readValues(compiled, dv, p, out, 0);
              return out;
            }
          : (dv, p) => {
              const out = new Array<StructValue>(valueCount);
              readValues(compiled, dv, p, out, 0);
              return out;
            },
  };
}

/**
 * A record of `n` undefineds, of V8's most general elements kind, for the interpreter to
 * copy (`slice`) and fill: every format's records then share one elements kind. With
 * `new Array(n)` (small integers, moving to doubles and to objects as values of those
 * types arrive) or with a record of doubles for the formats of numbers, the records of a
 * process that reads many formats came in several kinds, and the interpreter's store site
 * and the reader's loads went polymorphic (measured, interleaved: the 24-format stream
 * 1.5× and the ELF parser after it 1.5× faster with one kind; a lone `'<10I'`, whose
 * values then box, 0.8×).
 */
function blankRecord(n: number): StructValue[] {
  const out: StructValue[] = [];
  for (let k = 0; k < n; k++) out.push(undefined as unknown as StructValue);
  return out;
}

/**
 * The straight-line reader of a format of up to four values: as long as few formats of a
 * value count run, V8 inlines their item readers and they beat the interpreter; with
 * many, their call sites go megamorphic, which is why every larger format runs the
 * interpreter.
 */
function straightUnpacker(parsed: ParsedFormat, int64: Int64Mode): Unpacker {
  const readers: Reader[] = [];
  const offsets: number[] = [];
  for (const run of parsed.runs) {
    const read = itemReader(run.code, parsed.native, parsed.littleEndian, run.itemSize, int64);
    for (let k = 0; k < run.count; k++) {
      readers.push(read);
      offsets.push(run.offset + k * run.itemSize);
    }
  }
  const [r0, r1, r2, r3] = readers;
  const [o0, o1, o2, o3] = offsets;
  switch (readers.length) {
    case 0:
      return () => [];
    case 1:
      return (dv, p) => [r0(dv, p + o0)];
    case 2:
      return (dv, p) => [r0(dv, p + o0), r1(dv, p + o1)];
    case 3:
      return (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2)];
    default:
      return (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2), r3(dv, p + o3)];
  }
}

/**
 * Reads every value of `program` from `dv` at `p` into `out[j…]`: the one reader of every
 * format. The plain number kinds are read here, a run at a time (a copy of `readItem`'s
 * cases, kept so that the loop is small); the rest go to `readItem`, item by item.
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
    let q = p + program[i + 1];
    const n = program[i + 2];
    const le = (op & 1) === 0;
    switch (op >> 1) {
      case 0 /* I8 */:
        for (let k = 0; k < n; k++) out[j++] = dv.getInt8(q + k);
        break;
      case 1 /* U8 */:
        for (let k = 0; k < n; k++) out[j++] = dv.getUint8(q + k);
        break;
      case 2 /* I16 */:
        for (let k = 0; k < n; k++, q += 2) out[j++] = dv.getInt16(q, le);
        break;
      case 3 /* U16 */:
        for (let k = 0; k < n; k++, q += 2) out[j++] = dv.getUint16(q, le);
        break;
      case 4 /* I32 */:
        for (let k = 0; k < n; k++, q += 4) out[j++] = dv.getInt32(q, le);
        break;
      case 5 /* U32 */:
        for (let k = 0; k < n; k++, q += 4) out[j++] = dv.getUint32(q, le);
        break;
      case 6 /* F32 */:
        for (let k = 0; k < n; k++, q += 4) out[j++] = dv.getFloat32(q, le);
        break;
      case 7 /* F64 */:
        for (let k = 0; k < n; k++, q += 8) out[j++] = dv.getFloat64(q, le);
        break;
      // Number mode's 8-byte integers: here rather than in `readItem`, so that they cost
      // what the bigints cost (measured: a call to `readItem` each is 15-30 % more).
      case 16 /* I64_NUMBER */:
        for (let k = 0; k < n; k++, q += 8) out[j++] = int64Number(dv, q, le);
        break;
      case 17 /* U64_NUMBER */:
      case 18 /* PTR_NUMBER */:
        for (let k = 0; k < n; k++, q += 8) out[j++] = uint64Number(dv, q, le);
        break;
      default: {
        const size = program[i + 3];
        for (let k = 0; k < n; k++, q += size) out[j++] = readItem(op, dv, q, size);
      }
    }
  }
}

/** Reads one item of opcode `op` and byte size `size` at `q`. */
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
  return readItem(op, dv, p + program[i + 1] + (index - first) * size, size);
}
