/**
 * A format compiled to the functions that pack and unpack it: the item codecs are chosen
 * once per format, then called in a fixed order. Small formats (up to four values, the
 * usual record headers) get straight-line closures whose call sites V8 can inline; larger
 * ones loop over their runs, so a plan's size follows the format string, not its counts.
 */

import { itemCodec, type Reader, type StructValue, type Writer } from '../codec/index.js';
import type { ParsedFormat } from '../format/index.js';

/** Reads every value of the format from `dv` at byte offset `p`. */
export type Unpacker = (dv: DataView, p: number) => StructValue[];
/** Writes `values[start…]` into `dv` at byte offset `p`, in order, stopping at the first bad value. */
export type Packer = (dv: DataView, p: number, values: ArrayLike<unknown>, start: number) => void;

interface Run {
  readonly read: Reader;
  readonly write: Writer;
  readonly count: number;
  readonly offset: number;
  readonly step: number;
}

/** The compiled reader and writer of a parsed format. */
export interface Plan {
  readonly unpack: Unpacker;
  /** Writes the values; pad bytes are left as they are (see `zeroGaps`). */
  readonly pack: Packer;
  /** Zeroes the pad bytes (`x` and native alignment) of a record at `p`; absent when none. */
  readonly zeroGaps: ((dv: DataView, p: number) => void) | undefined;
}

/** Compiles a parsed format to its plan. */
export function compilePlan(parsed: ParsedFormat): Plan {
  const runs: Run[] = parsed.runs.map((run) => {
    const codec = itemCodec(run.code, parsed.native, parsed.littleEndian, run.itemSize);
    return {
      read: codec.read,
      write: codec.write,
      count: run.count,
      offset: run.offset,
      step: run.itemSize,
    };
  });
  const zeroGaps = gapZeroer(runs, parsed.size);
  const plan = parsed.valueCount <= 4 ? straightPlan(runs) : loopPlan(runs, parsed.valueCount);
  return { ...plan, zeroGaps };
}

/** Zero-fills `length` bytes of `dv` from `p`. */
export function zeroBytes(dv: DataView, p: number, length: number): void {
  if (length <= 16) for (let i = 0; i < length; i++) dv.setUint8(p + i, 0);
  else new Uint8Array(dv.buffer, dv.byteOffset + p, length).fill(0);
}

function gapZeroer(runs: Run[], size: number): Plan['zeroGaps'] {
  const gaps: number[] = [];
  let end = 0;
  for (const run of runs) {
    if (run.offset > end) gaps.push(end, run.offset - end);
    end = run.offset + run.count * run.step;
  }
  if (size > end) gaps.push(end, size - end);
  if (gaps.length === 0) return undefined;
  return (dv, p) => {
    for (let i = 0; i < gaps.length; i += 2) zeroBytes(dv, p + gaps[i], gaps[i + 1]);
  };
}

function straightPlan(runs: Run[]): Pick<Plan, 'pack' | 'unpack'> {
  const readers: Reader[] = [];
  const writers: Writer[] = [];
  const offsets: number[] = [];
  for (const run of runs) {
    for (let k = 0; k < run.count; k++) {
      readers.push(run.read);
      writers.push(run.write);
      offsets.push(run.offset + k * run.step);
    }
  }
  const [r0, r1, r2, r3] = readers;
  const [w0, w1, w2, w3] = writers;
  const [o0, o1, o2, o3] = offsets;
  switch (readers.length) {
    case 0:
      return { unpack: () => [], pack: () => {} };
    case 1:
      return {
        unpack: (dv, p) => [r0(dv, p + o0)],
        pack: (dv, p, v, s) => w0(dv, p + o0, v[s]),
      };
    case 2:
      return {
        unpack: (dv, p) => [r0(dv, p + o0), r1(dv, p + o1)],
        pack: (dv, p, v, s) => {
          w0(dv, p + o0, v[s]);
          w1(dv, p + o1, v[s + 1]);
        },
      };
    case 3:
      return {
        unpack: (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2)],
        pack: (dv, p, v, s) => {
          w0(dv, p + o0, v[s]);
          w1(dv, p + o1, v[s + 1]);
          w2(dv, p + o2, v[s + 2]);
        },
      };
    default:
      return {
        unpack: (dv, p) => [r0(dv, p + o0), r1(dv, p + o1), r2(dv, p + o2), r3(dv, p + o3)],
        pack: (dv, p, v, s) => {
          w0(dv, p + o0, v[s]);
          w1(dv, p + o1, v[s + 1]);
          w2(dv, p + o2, v[s + 2]);
          w3(dv, p + o3, v[s + 3]);
        },
      };
  }
}

function loopPlan(runs: Run[], valueCount: number): Pick<Plan, 'pack' | 'unpack'> {
  return {
    unpack: (dv, p) => {
      const out = new Array<StructValue>(valueCount);
      let j = 0;
      for (const run of runs) {
        for (let k = 0, q = p + run.offset; k < run.count; k++, q += run.step) {
          out[j++] = run.read(dv, q);
        }
      }
      return out;
    },
    pack: (dv, p, v, s) => {
      let j = s;
      for (const run of runs) {
        for (let k = 0, q = p + run.offset; k < run.count; k++, q += run.step) {
          run.write(dv, q, v[j++]);
        }
      }
    },
  };
}
