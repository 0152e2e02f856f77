/**
 * The peers suite's `packInto` rows, as a user's own loop: `PACK_RECORDS` records written
 * at advancing offsets into one buffer, each record's values taken from columns (arrays
 * that vary per record), through `Struct.packInto` and through hand-written `DataView`
 * setters. `peers_bench.py` runs the same loop with CPython's `Struct.pack_into`.
 *
 * A loop's checksum is the CRC-32 of the buffer it wrote: every side writes the same bytes.
 * Each loop is its own top-level function (closures made from one literal would share one
 * feedback vector in V8, and a loop's speed would then depend on the other loops).
 */

import { crc32 } from 'node:zlib';
import { Struct } from '../src/index.js';
import { codesOf, fieldValue } from './peers-formats.js';

/** Records written per loop. */
export const PACK_RECORDS = 1 << 16;

/** The two formats: a 4-value sensor record and an ELF32 header after `e_ident` (13 values). */
export const PACK_IHHD = '<IHHd';
export const PACK_ELF = '<HHIIIIIHHHHHH';

/** The values of `format`'s records, one column per value: `fieldValue(code, k, j)`. */
export function packColumns(format: string): number[][] {
  return codesOf(format).map((code, j) => {
    const column = new Array<number>(PACK_RECORDS);
    for (let k = 0; k < PACK_RECORDS; k++) column[k] = fieldValue(code, k, j) as number;
    return column;
  });
}

export function memviewPackIHHd(s: Struct, buf: Uint8Array, cols: number[][]): void {
  const [a, b, c, d] = cols;
  for (let i = 0, off = 0; i < PACK_RECORDS; i++, off += 16) {
    s.packInto(buf, off, a[i], b[i], c[i], d[i]);
  }
}

export function handPackIHHd(dv: DataView, cols: number[][]): void {
  const [a, b, c, d] = cols;
  for (let i = 0, off = 0; i < PACK_RECORDS; i++, off += 16) {
    dv.setUint32(off, a[i], true);
    dv.setUint16(off + 4, b[i], true);
    dv.setUint16(off + 6, c[i], true);
    dv.setFloat64(off + 8, d[i], true);
  }
}

export function memviewPackElf(s: Struct, buf: Uint8Array, cols: number[][]): void {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] = cols;
  for (let i = 0, off = 0; i < PACK_RECORDS; i++, off += 36) {
    s.packInto(
      buf,
      off,
      c0[i],
      c1[i],
      c2[i],
      c3[i],
      c4[i],
      c5[i],
      c6[i],
      c7[i],
      c8[i],
      c9[i],
      c10[i],
      c11[i],
      c12[i],
    );
  }
}

export function handPackElf(dv: DataView, cols: number[][]): void {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] = cols;
  for (let i = 0, off = 0; i < PACK_RECORDS; i++, off += 36) {
    dv.setUint16(off, c0[i], true);
    dv.setUint16(off + 2, c1[i], true);
    dv.setUint32(off + 4, c2[i], true);
    dv.setUint32(off + 8, c3[i], true);
    dv.setUint32(off + 12, c4[i], true);
    dv.setUint32(off + 16, c5[i], true);
    dv.setUint32(off + 20, c6[i], true);
    dv.setUint16(off + 24, c7[i], true);
    dv.setUint16(off + 26, c8[i], true);
    dv.setUint16(off + 28, c9[i], true);
    dv.setUint16(off + 30, c10[i], true);
    dv.setUint16(off + 32, c11[i], true);
    dv.setUint16(off + 34, c12[i], true);
  }
}

/** A loop ready to time: one call writes every record; `check` is the CRC-32 of the buffer. */
export interface PackLoop {
  readonly run: () => void;
  readonly check: () => number;
  /** Zeroes the buffer, so that a loop that wrote nothing cannot pass on another's bytes. */
  readonly before: () => void;
}

function packLoop(size: number, write: (buf: Uint8Array, dv: DataView) => void): PackLoop {
  const buf = new Uint8Array(size * PACK_RECORDS);
  const dv = new DataView(buf.buffer);
  return { run: () => write(buf, dv), check: () => crc32(buf), before: () => buf.fill(0) };
}

/** The memview and hand loops of both formats. */
export function packLoops(): Record<
  'ihhdMemview' | 'ihhdHand' | 'elfMemview' | 'elfHand',
  PackLoop
> {
  const small = new Struct(PACK_IHHD);
  const elf = new Struct(PACK_ELF);
  const ihhd = packColumns(PACK_IHHD);
  const elfCols = packColumns(PACK_ELF);
  return {
    ihhdMemview: packLoop(small.size, (buf) => memviewPackIHHd(small, buf, ihhd)),
    ihhdHand: packLoop(small.size, (_, dv) => handPackIHHd(dv, ihhd)),
    elfMemview: packLoop(elf.size, (buf) => memviewPackElf(elf, buf, elfCols)),
    elfHand: packLoop(elf.size, (_, dv) => handPackElf(dv, elfCols)),
  };
}
