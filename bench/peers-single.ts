/**
 * `'<IHHd'` and `'<10I'` read on their own: buffers of one format and loops over them,
 * through memview and by hand. The peers suite times these loops twice: in a fresh process
 * of their own (`peers-fresh.ts`), and after the 24-format stream ran in its process.
 *
 * Each loop is its own top-level function: closures made from one literal would share one
 * feedback vector in V8, and a loop's speed would then depend on the other loops.
 */

import { Struct } from '../src/index.js';
import { fieldValue } from './peers-formats.js';

export const SINGLE_RECORDS = 1 << 19;

/** The formats timed alone, with their buffers' builders and loops. */
export type SingleFormat = 'IHHd' | '10I';
export const SINGLE_FORMATS: readonly SingleFormat[] = ['IHHd', '10I'];

/** Record `k` holds the stream's values for record `k` (`fieldValue`), written with DataView. */
export function singleBuffer(which: SingleFormat): Uint8Array {
  if (which === 'IHHd') {
    const out = new Uint8Array(16 * SINGLE_RECORDS);
    const dv = new DataView(out.buffer);
    for (let k = 0; k < SINGLE_RECORDS; k++) {
      const o = 16 * k;
      dv.setUint32(o, fieldValue('I', k, 0) as number, true);
      dv.setUint16(o + 4, fieldValue('H', k, 1) as number, true);
      dv.setUint16(o + 6, fieldValue('H', k, 2) as number, true);
      dv.setFloat64(o + 8, fieldValue('d', k, 3) as number, true);
    }
    return out;
  }
  const out = new Uint8Array(40 * SINGLE_RECORDS);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < SINGLE_RECORDS; k++) {
    for (let j = 0; j < 10; j++)
      dv.setUint32(40 * k + 4 * j, fieldValue('I', k, j) as number, true);
  }
  return out;
}

export function memviewIHHd(s: Struct, buf: Uint8Array): number {
  let sum = 0;
  for (let o = 0; o < buf.length; o += 16) {
    const r = s.unpackFrom(buf, o) as number[];
    sum += r[0] + r[3];
  }
  return sum;
}

export function handIHHd(dv: DataView): number {
  let sum = 0;
  for (let o = 0; o < dv.byteLength; o += 16) {
    const r = [
      dv.getUint32(o, true),
      dv.getUint16(o + 4, true),
      dv.getUint16(o + 6, true),
      dv.getFloat64(o + 8, true),
    ];
    sum += r[0] + r[3];
  }
  return sum;
}

export function memview10I(s: Struct, buf: Uint8Array): number {
  let sum = 0;
  for (let o = 0; o < buf.length; o += 40) {
    const r = s.unpackFrom(buf, o) as number[];
    sum += r[0] + r[9];
  }
  return sum;
}

export function hand10I(dv: DataView): number {
  let sum = 0;
  for (let o = 0; o < dv.byteLength; o += 40) {
    const r = [
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
    sum += r[0] + r[9];
  }
  return sum;
}

/** The two loops of a format, ready to time: memview's and the hand-written one. */
export function singleCases(which: SingleFormat): { memview: () => number; hand: () => number } {
  const buf = singleBuffer(which);
  const dv = new DataView(buf.buffer);
  if (which === 'IHHd') {
    const s = new Struct('<IHHd');
    return { memview: () => memviewIHHd(s, buf), hand: () => handIHHd(dv) };
  }
  const s = new Struct('<10I');
  return { memview: () => memview10I(s, buf), hand: () => hand10I(dv) };
}
