/**
 * The struct engine against CPython 3.13's `struct` and the npm peers python-struct and
 * binary-parser, on one workload: a 16 MiB buffer of 1,048,576 records `'<IHHd'` (16 B).
 * The CPython side is `struct_bench.py`, which builds the same bytes and times the same loops.
 *
 * Every loop consumes its results: it sums field 1 (the first `H`) of every record, and
 * run.ts checks that sum, on both sides, against the expected one (`EXPECTED_CHECK`).
 * Loop cases report million records per second; `pack`/`packInto` report ns per call.
 */

import { Buffer } from 'node:buffer';
// The CommonJS build: the package's ESM entry ships no type declarations.
import { Parser } from 'binary-parser/dist/binary_parser.js';
import { do_not_optimize, measure } from 'mitata';
import PythonStruct from 'python-struct';
import { Struct, unpackFrom } from '../src/index.js';
import { type Comparison, type Figures, mitataTimes, rateFigure, type Suite } from './harness.js';

const FORMAT = '<IHHd';
const RECORD_SIZE = 16;
const RECORDS = 1 << 20;
const BUFFER_SIZE = RECORD_SIZE * RECORDS;
/** Sum of field 1 over all records: field 1 of record i is `i & 0xffff`. */
const EXPECTED_CHECK = (RECORDS / 65536) * ((65535 * 65536) / 2);
/** Values packed by the per-call cases (the same constants on the CPython side). */
const V0 = 305419896;
const V1 = 513;
const V2 = 1027;
const V3 = 3.25;
/** The packInto cases write at this offset of a 256-byte buffer. */
const PACK_OFFSET = 64;

type Rec = [number, number, number, number];

/**
 * The records: `(i * 2654435761) mod 2**32, i & 0xffff, (i >> 4) & 0xffff, i + 0.25`,
 * little-endian, written with plain DataView calls (not with the code under test).
 */
function makeRecords(): Buffer {
  const bytes = Buffer.alloc(BUFFER_SIZE);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < RECORDS; i++) {
    const p = i * RECORD_SIZE;
    dv.setUint32(p, Math.imul(i, 2654435761) >>> 0, true);
    dv.setUint16(p + 4, i & 0xffff, true);
    dv.setUint16(p + 6, (i >> 4) & 0xffff, true);
    dv.setFloat64(p + 8, i + 0.25, true);
  }
  return bytes;
}

/** A loop over every record of the buffer, returning the checksum. */
type Loop = () => number;

function loops(buf: Buffer): Record<string, Loop> {
  const s = new Struct(FORMAT);
  const ring = new Array<Rec | null>(1024).fill(null);
  const rp = new Parser().endianness('little').uint32('a').uint16('b').uint16('c').doublele('d');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    'memview.Struct.unpackFrom': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) sum += s.unpackFrom(buf, off)[1];
      return sum;
    },
    'memview.Struct.unpackFrom.ring': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) {
        const r = s.unpackFrom(buf, off);
        ring[(off >> 4) & 1023] = r;
        sum += r[1];
      }
      return sum;
    },
    'memview.unpackFrom': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) {
        sum += unpackFrom(FORMAT, buf, off)[1];
      }
      return sum;
    },
    'memview.Struct.iterUnpack': () => {
      let sum = 0;
      for (const r of s.iterUnpack(buf)) sum += r[1];
      return sum;
    },
    'python-struct.unpackFrom': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) {
        sum += PythonStruct.unpackFrom(FORMAT, buf, false, off)[1] as number;
      }
      return sum;
    },
    'binary-parser.parse': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) {
        sum += (rp.parse(buf.subarray(off, off + RECORD_SIZE)) as { b: number }).b;
      }
      return sum;
    },
    'hand.DataView': () => {
      let sum = 0;
      for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) {
        const r: Rec = [
          dv.getUint32(off, true),
          dv.getUint16(off + 4, true),
          dv.getUint16(off + 6, true),
          dv.getFloat64(off + 8, true),
        ];
        sum += r[1];
      }
      return sum;
    },
  };
}

/** One call per case; the result goes to mitata's sink so it cannot be dropped. */
function perCall(): Record<string, () => void> {
  const s = new Struct(FORMAT);
  const target = new Uint8Array(256);
  const tdv = new DataView(target.buffer);
  const scratch = new Uint8Array(RECORD_SIZE);
  const sdv = new DataView(scratch.buffer);
  return {
    'memview.Struct.pack': () => do_not_optimize(s.pack(V0, V1, V2, V3)),
    'memview.Struct.packInto': () => s.packInto(target, PACK_OFFSET, V0, V1, V2, V3),
    'python-struct.pack': () => do_not_optimize(PythonStruct.pack(FORMAT, [V0, V1, V2, V3])),
    // Writes through a DataView made once, then copies: a fresh `new DataView(out.buffer)`
    // per call costs ~10× more (it forces the small array's buffer off the V8 heap).
    'hand.pack': () => {
      sdv.setUint32(0, V0, true);
      sdv.setUint16(4, V1, true);
      sdv.setUint16(6, V2, true);
      sdv.setFloat64(8, V3, true);
      do_not_optimize(scratch.slice());
    },
    'alloc.Uint8Array16': () => do_not_optimize(new Uint8Array(RECORD_SIZE)),
    'hand.packInto': () => {
      tdv.setUint32(PACK_OFFSET, V0, true);
      tdv.setUint16(PACK_OFFSET + 4, V1, true);
      tdv.setUint16(PACK_OFFSET + 6, V2, true);
      tdv.setFloat64(PACK_OFFSET + 8, V3, true);
    },
  };
}

const WARMUP_PASSES = 3;

/** Formats run through `unpackFrom` before the last case, as an application would. */
const OTHER_FORMATS = ['<I', '>HH', '<iid', '<bbbb', '>Q', '<ffff', '<?h', '@IHHd', '<d', '<hhi'];

/**
 * Runs other formats through `Struct.unpackFrom`, so that the engine's call sites have seen
 * many plans (as in a program that reads more than one record type). Irreversible for the
 * process: the case using it runs last, and each suite runs in a process of its own.
 */
function useOtherFormats(buf: Buffer): number {
  let sum = 0;
  for (const format of OTHER_FORMATS) {
    const other = new Struct(format);
    for (let off = 0; off < 200_000 * RECORD_SIZE; off += RECORD_SIZE) {
      sum += Number(other.unpackFrom(buf, off)[0]);
    }
  }
  return sum;
}

async function measureLoop(id: string, loop: Loop, figures: Figures, log: (line: string) => void) {
  let check = 0;
  for (let i = 0; i < WARMUP_PASSES; i++) check = loop();
  const stats = await measure(
    () => {
      check = loop();
    },
    { min_samples: 7, min_cpu_time: 500e6 },
  );
  figures[id] = rateFigure('M rec/s', RECORDS, mitataTimes(stats), check);
  log(`  ${id}: ${figures[id].value.toFixed(1)} M rec/s (check ${check})`);
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  const buf = makeRecords();
  for (const [id, loop] of Object.entries(loops(buf))) await measureLoop(id, loop, figures, log);
  for (const [id, call] of Object.entries(perCall())) {
    const stats = await measure(call);
    const n = stats.samples.length;
    figures[id] = { value: stats.p50, unit: 'ns/op', n, min: stats.min, max: stats.max };
    log(`  ${id}: ${stats.p50.toFixed(1)} ns/op`);
  }
  // Last: after this the engine's call sites stay polymorphic for the rest of the process.
  useOtherFormats(buf);
  const s = new Struct(FORMAT);
  const afterOthers: Loop = () => {
    let sum = 0;
    for (let off = 0; off < BUFFER_SIZE; off += RECORD_SIZE) sum += s.unpackFrom(buf, off)[1];
    return sum;
  };
  await measureLoop('memview.Struct.unpackFrom.afterOtherFormats', afterOthers, figures, log);
  return figures;
}

const RECS = '1M × 16 B';

const comparisons: Comparison[] = [
  {
    label: `Struct.unpackFrom loop, ${RECS}`,
    memview: 'memview.Struct.unpackFrom',
    cpython: 'Struct.unpack_from',
    against: 'none',
    absolute: 50,
  },
  {
    label: '… vs CPython Struct.unpack_from',
    memview: 'memview.Struct.unpackFrom',
    cpython: 'Struct.unpack_from',
    against: 'cpython',
    target: 4,
  },
  {
    label: '… vs python-struct unpackFrom(fmt, buf, false, off)',
    memview: 'memview.Struct.unpackFrom',
    peer: { name: 'python-struct', id: 'python-struct.unpackFrom' },
    against: 'peer',
    target: 5,
  },
  {
    label: '… vs binary-parser parse(buf.subarray(off, off+16))',
    memview: 'memview.Struct.unpackFrom',
    peer: { name: 'binary-parser', id: 'binary-parser.parse' },
    against: 'peer',
    target: 15,
  },
  {
    label: '… vs hand-written DataView → array (ceiling)',
    memview: 'memview.Struct.unpackFrom',
    peer: { name: 'hand DataView', id: 'hand.DataView' },
    against: 'peer',
  },
  {
    label: 'Struct.unpackFrom loop, tuples kept (1024-slot ring)',
    memview: 'memview.Struct.unpackFrom.ring',
    cpython: 'Struct.unpack_from.ring',
    against: 'cpython',
  },
  {
    // CPython has no per-call-site JIT state: its figure is the plain loop's.
    label: `Struct.unpackFrom loop after ${OTHER_FORMATS.length} other formats were used`,
    memview: 'memview.Struct.unpackFrom.afterOtherFormats',
    cpython: 'Struct.unpack_from',
    against: 'cpython',
  },
  {
    label: `Struct.iterUnpack, ${RECS}`,
    memview: 'memview.Struct.iterUnpack',
    cpython: 'Struct.iter_unpack',
    against: 'cpython',
  },
  {
    label: `module unpackFrom('<IHHd', buf, off), ${RECS}`,
    memview: 'memview.unpackFrom',
    cpython: 'struct.unpack_from',
    against: 'cpython',
  },
  {
    label: 'Struct.pack(4 values) → 16 B',
    memview: 'memview.Struct.pack',
    cpython: 'Struct.pack',
    peer: { name: 'python-struct', id: 'python-struct.pack' },
    against: 'cpython',
    target: 3,
  },
  {
    label: '… vs python-struct pack(fmt, [values])',
    memview: 'memview.Struct.pack',
    peer: { name: 'python-struct', id: 'python-struct.pack' },
    against: 'peer',
  },
  {
    label: '… vs hand-written DataView pack + slice() (ceiling)',
    memview: 'memview.Struct.pack',
    peer: { name: 'hand DataView', id: 'hand.pack' },
    against: 'peer',
  },
  {
    label: '… vs new Uint8Array(16) alone (allocation floor)',
    memview: 'memview.Struct.pack',
    peer: { name: 'alloc only', id: 'alloc.Uint8Array16' },
    against: 'peer',
  },
  {
    label: 'Struct.packInto(buf, 64, 4 values)',
    memview: 'memview.Struct.packInto',
    cpython: 'Struct.pack_into',
    against: 'cpython',
    target: 3,
  },
  {
    label: '… vs hand-written DataView packInto (ceiling)',
    memview: 'memview.Struct.packInto',
    peer: { name: 'hand DataView', id: 'hand.packInto' },
    against: 'peer',
  },
];

export const structSuite: Suite = {
  name: 'struct',
  title: `struct '${FORMAT}': memview vs CPython 3.13 struct, python-struct, binary-parser`,
  python: 'bench/struct_bench.py',
  measure: measureAll,
  comparisons,
  packages: ['python-struct', 'binary-parser'],
  expectedCheck: EXPECTED_CHECK,
};
