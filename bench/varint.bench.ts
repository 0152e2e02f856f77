/**
 * `BufferReader.readVarint` against a hand-written LEB128 loop over a Uint8Array. CPython
 * has no varint decoder in its standard library, so there is no CPython side.
 *
 * Cases, over 1,048,576 varints each, in M varints/s:
 * 1. one-byte values (0–127), `reader.seek(0)` then `sum += reader.readVarint({ int64:
 *    'number' })` (the option that types the result as a number) per pass,
 *    against the hand loop (target: ≥ 100 M/s);
 * 2. two-byte values (128–16,383), the same way (information);
 * 3. one-byte values with `{ signed: true }` (zigzag; information).
 * The check is the sum of the decoded values, which every variant of a case must reproduce.
 */

import { measure } from 'mitata';
import { BufferReader } from '../src/index.js';
import { type Comparison, type Figures, mitataTimes, rateFigure, type Suite } from './harness.js';

const COUNT = 1 << 20;

/** `COUNT` varints: value i is `i % 128` (one byte) or `128 + i % 16256` (two bytes). */
function varints(wide: boolean): Uint8Array {
  const out = new Uint8Array(wide ? 2 * COUNT : COUNT);
  for (let i = 0, p = 0; i < COUNT; i++) {
    if (wide) {
      const v = 128 + (i % 16256);
      out[p++] = (v & 0x7f) | 0x80;
      out[p++] = v >>> 7;
    } else {
      out[p++] = i % 128;
    }
  }
  return out;
}

/** The hand-written decoder: the floor a reader method can hope to reach. */
function handSum(u8: Uint8Array): number {
  let sum = 0;
  let p = 0;
  for (let i = 0; i < COUNT; i++) {
    let b = u8[p++];
    let v = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      b = u8[p++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    }
    sum += v;
  }
  return sum;
}

function readerSum(reader: BufferReader): number {
  reader.seek(0);
  let sum = 0;
  for (let i = 0; i < COUNT; i++) sum += reader.readVarint({ int64: 'number' });
  return sum;
}

function signedSum(reader: BufferReader): number {
  reader.seek(0);
  let sum = 0;
  for (let i = 0; i < COUNT; i++) sum += reader.readVarint({ signed: true, int64: 'number' });
  return sum;
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const narrow = varints(false);
  const wide = varints(true);
  const cases: [string, () => number][] = [
    ['varint.1byte.readVarint', () => readerSum(new BufferReader(narrow))],
    ['varint.1byte.hand', () => handSum(narrow)],
    ['varint.2byte.readVarint', () => readerSum(new BufferReader(wide))],
    ['varint.2byte.hand', () => handSum(wide)],
    ['varint.1byte.signed', () => signedSum(new BufferReader(narrow))],
  ];
  for (const [id, run] of cases) {
    let check = 0;
    const stats = await measure(
      () => {
        check = run();
      },
      { min_samples: 7, min_cpu_time: 300e6 },
    );
    figures[id] = rateFigure('M rec/s', COUNT, mitataTimes(stats), check);
    log(`  ${id}: ${figures[id].value.toFixed(1)} M varints/s (check ${check})`);
  }
  return figures;
}

const comparisons: Comparison[] = [
  {
    label: "1. `readVarint({ int64: 'number' })`, one-byte values (≥ 100 M/s)",
    memview: 'varint.1byte.readVarint',
    against: 'none',
    absolute: 100,
  },
  {
    label: '… vs a hand-written loop over the Uint8Array',
    memview: 'varint.1byte.readVarint',
    peer: { name: 'hand loop', id: 'varint.1byte.hand' },
    against: 'peer',
  },
  {
    label: "2. `readVarint({ int64: 'number' })`, two-byte values, vs the hand loop",
    memview: 'varint.2byte.readVarint',
    peer: { name: 'hand loop', id: 'varint.2byte.hand' },
    against: 'peer',
  },
  {
    label: '3. `readVarint({ signed: true })`, one-byte values',
    memview: 'varint.1byte.signed',
    against: 'none',
  },
];

export const varintSuite: Suite = {
  name: 'varint',
  title: 'BufferReader.readVarint vs a hand-written LEB128 loop',
  measure: measureAll,
  comparisons,
};
