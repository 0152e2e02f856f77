/**
 * The peers suite: memview in the loops users write, held against hand-written code, the
 * JS peers (scijs `ndarray`, `@stdlib/ndarray`) and CPython 3.13 (`peers_bench.py`).
 *
 * Rows, in the order they run in one process (see bench/README.md for each case):
 * 1. a stream of 24 record formats, `Struct.unpackFrom` vs a hand-written DataView switch;
 * 2. `'<IHHd'` and `'<10I'` after that stream vs the same loops in a fresh process of their
 *    own (`peers-fresh.ts`, spawned first) and vs hand;
 * 3. `pack` of `'<IHHd'` and of a 13-value ELF header vs hand DataView writes, per call;
 *    `packInto` of the same formats in a user's loop (64 Ki records from arrays, one
 *    buffer, `peers-pack.ts`) vs hand DataView setters; `BufferWriter.pack` of the stream vs
 *    CPython `pack_into`;
 * 4. N-D `get`/`set` (2-D ROI sum and histogram, 2-D flipped, 3-D, 4-D) vs scijs, stdlib and
 *    hand strided loops; `for…of` over a strided 1-D view vs a hand loop;
 * 5. strided `toBytes` (`[::2]`) from 1 KiB to 256 MiB vs a hand loop;
 * 6. `toList()` of 1M doubles vs CPython `memoryview.tolist()`;
 * 7. an ELF parser (section headers and symbols of system executables) vs CPython `struct`.
 *
 * Every case is timed in rounds, interleaved with the cases it is compared with
 * (peers-measure.ts), and carries a checksum that run.ts compares across the row.
 */

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { do_not_optimize } from 'mitata';
import ndarray from 'ndarray';
import { BufferWriter, type MemoryView, memoryview, Struct } from '../src/index.js';
import type { Comparison, Figures, Suite } from './harness.js';
import { elfInputs, parseElf } from './peers-elf.js';
import { FORMATS, handStream, makeStream, memviewStream, STREAM_RECORDS } from './peers-formats.js';
import {
  BIG_BUDGET,
  type Budget,
  CALL_BUDGET,
  type Case,
  LOOP_BUDGET,
  measureRow,
} from './peers-measure.js';
import { PACK_ELF, PACK_RECORDS, type PackLoop, packLoops } from './peers-pack.js';
import { SINGLE_FORMATS, SINGLE_RECORDS, singleCases } from './peers-single.js';

type Log = (line: string) => void;

// The package's folders are CommonJS modules without an `exports` map, which ESM cannot import.
const stdlibNdarray = createRequire(import.meta.url)(
  '@stdlib/ndarray/ctor',
) as typeof import('@stdlib/ndarray/ctor');

// --- 1–3. struct ---------------------------------------------------------------------------

/** Spawns `peers-fresh.js` for each format alone; their figures, as JSON, on its stdout. */
function freshFigures(figures: Figures, log: Log): void {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peers-fresh.js');
  for (const which of SINGLE_FORMATS) {
    log(`  (fresh process for '<${which}')`);
    const child = spawnSync(process.execPath, [...process.execArgv, script, which], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`bench: peers-fresh ${which} failed`);
    Object.assign(figures, JSON.parse(child.stdout) as Figures);
  }
}

/** The values packed by the `pack` cases (the same constants on the CPython side). */
const IHHD_VALUES = [305419896, 513, 1027, 3.25] as const;
const ELF_VALUES = [2, 62, 1, 0x401000, 52, 123456, 0, 52, 32, 9, 40, 31, 30] as const;

function packCases(): Case[] {
  const [a, b, c, d] = IHHD_VALUES;
  const [t, m, v, entry, phoff, shoff, flags, eh, phe, phn, she, shn, shs] = ELF_VALUES;
  const small = new Struct('<IHHd');
  const elf = new Struct(PACK_ELF);
  const scratch16 = new Uint8Array(16);
  const s16 = new DataView(scratch16.buffer);
  const scratch36 = new Uint8Array(36);
  const s36 = new DataView(scratch36.buffer);
  const call = (id: string, run: () => unknown): Case => ({ id, run, unit: 'ns/op', ops: 1 });
  return [
    call('pack.IHHd.memview', () => do_not_optimize(small.pack(a, b, c, d))),
    // Writes through a DataView made once, then copies out (what `pack` returns: new memory).
    call('pack.IHHd.hand', () => {
      s16.setUint32(0, a, true);
      s16.setUint16(4, b, true);
      s16.setUint16(6, c, true);
      s16.setFloat64(8, d, true);
      do_not_optimize(scratch16.slice());
    }),
    call('pack.elf.memview', () =>
      do_not_optimize(elf.pack(t, m, v, entry, phoff, shoff, flags, eh, phe, phn, she, shn, shs)),
    ),
    call('pack.elf.hand', () => {
      writeElfHeader(s36, 0, ELF_VALUES);
      do_not_optimize(scratch36.slice());
    }),
  ];
}

/** An ELF32 header after e_ident, as a hand-written writer: 13 setters. */
function writeElfHeader(dv: DataView, o: number, x: readonly number[]): void {
  dv.setUint16(o, x[0], true);
  dv.setUint16(o + 2, x[1], true);
  dv.setUint32(o + 4, x[2], true);
  dv.setUint32(o + 8, x[3], true);
  dv.setUint32(o + 12, x[4], true);
  dv.setUint32(o + 16, x[5], true);
  dv.setUint32(o + 20, x[6], true);
  dv.setUint16(o + 24, x[7], true);
  dv.setUint16(o + 26, x[8], true);
  dv.setUint16(o + 28, x[9], true);
  dv.setUint16(o + 30, x[10], true);
  dv.setUint16(o + 32, x[11], true);
  dv.setUint16(o + 34, x[12], true);
}

async function measureStruct(figures: Figures, log: Log): Promise<void> {
  freshFigures(figures, log);
  const stream = makeStream();
  const { kinds, values, bytes, structs } = stream;
  const dv = new DataView(bytes.buffer);
  log(`  stream: ${STREAM_RECORDS} records of ${FORMATS.length} formats, ${bytes.length} B`);
  const loop = (id: string, run: () => unknown): Case => ({
    id,
    run,
    unit: 'M rec/s',
    ops: STREAM_RECORDS,
  });
  await measureRow(
    [
      loop('stream.memview', () => memviewStream(bytes, kinds, structs)),
      loop('stream.hand', () => handStream(dv, kinds)),
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
  // After the mix: the same loops as the fresh processes ran.
  for (const which of SINGLE_FORMATS) {
    const loops = singleCases(which);
    await measureRow(
      [
        { id: `mixed.${which}.memview`, run: loops.memview, unit: 'M rec/s', ops: SINGLE_RECORDS },
        { id: `mixed.${which}.hand`, run: loops.hand, unit: 'M rec/s', ops: SINGLE_RECORDS },
      ],
      LOOP_BUDGET,
      figures,
      log,
    );
  }
  const pc = packCases();
  for (let i = 0; i < pc.length; i += 2)
    await measureRow(pc.slice(i, i + 2), CALL_BUDGET, figures, log);
  // packInto: a user's loop writing PACK_RECORDS records from columns, memview vs hand.
  const pl = packLoops();
  const packLoop = (id: string, l: PackLoop): Case => ({
    id,
    run: l.run,
    before: l.before,
    check: l.check,
    unit: 'M rec/s',
    ops: PACK_RECORDS,
  });
  for (const [memview, hand, name] of [
    [pl.ihhdMemview, pl.ihhdHand, 'IHHd'],
    [pl.elfMemview, pl.elfHand, 'elf'],
  ] as const) {
    await measureRow(
      [packLoop(`packInto.${name}.memview`, memview), packLoop(`packInto.${name}.hand`, hand)],
      LOOP_BUDGET,
      figures,
      log,
    );
  }
  let written: BufferWriter | null = null;
  await measureRow(
    [
      {
        id: 'writer.memview',
        run: () => {
          const w = new BufferWriter();
          for (let k = 0; k < STREAM_RECORDS; k++) {
            (w.pack as (f: string, ...v: unknown[]) => void)(FORMATS[kinds[k]], ...values[k]);
          }
          written = w;
          return w.length;
        },
        unit: 'M rec/s',
        ops: STREAM_RECORDS,
        check: () =>
          crc32((written as BufferWriter | null)?.finish().toBytes() ?? new Uint8Array()),
      },
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
}

// --- 4. N-D element access ------------------------------------------------------------------

const ROWS = 1080;
const COLS = 1920;
const R0 = 40;
const C0 = 460;
const N = 1000;
const ROI_BASE = R0 * COLS + C0;
const D3 = [100, 100, 100] as const;
const D4 = [10, 100, 100, 10] as const;

/** Byte `i` of every image and volume (as in the view suite). */
function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + (i >> 8)) & 0xff;
  return out;
}

const sumBytes = (u8: Uint8Array) => {
  let s = 0;
  for (let i = 0; i < u8.length; i++) s += u8[i] * ((i & 7) + 1);
  return s;
};

function histCheck(hist: Float64Array): number {
  let s = 0;
  for (let v = 0; v < 256; v++) s += hist[v] * (v + 1);
  return s;
}

function getCases(): Case[][] {
  const plane = pattern(ROWS * COLS);
  const vol = pattern(1_000_000);
  const el = (id: string, run: () => unknown, ops = N * N): Case => ({
    id,
    run,
    unit: 'ns/op',
    ops,
  });
  const hist = new Float64Array(256);

  const roi = memoryview(plane)
    .cast('B', [ROWS, COLS])
    .sub([R0, R0 + N], [C0, C0 + N]);
  const sroi = ndarray(plane, [ROWS, COLS])
    .hi(R0 + N, C0 + N)
    .lo(R0, C0);
  const troi = new stdlibNdarray('uint8', plane, [N, N], [COLS, 1], ROI_BASE, 'row-major');
  const flip = roi.sub([null, null, -1], [null, null, -1]);
  const sflip = sroi.step(-1, -1);
  const LAST = ROI_BASE + (N - 1) * COLS + (N - 1);
  const tflip = new stdlibNdarray('uint8', plane, [N, N], [-COLS, -1], LAST, 'row-major');
  const v3 = memoryview(vol).cast('B', [...D3]);
  const s3 = ndarray(vol, [...D3]);
  const t3 = new stdlibNdarray('uint8', vol, [...D3], [10000, 100, 1], 0, 'row-major');
  const v4 = memoryview(vol).cast('B', [...D4]);
  const s4 = ndarray(vol, [...D4]);
  const t4 = new stdlibNdarray('uint8', vol, [...D4], [100000, 1000, 10, 1], 0, 'row-major');

  return [
    [
      el('get2d.sum.memview', () => {
        let s = 0;
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += roi.get(i, j) as number;
        return s;
      }),
      el('get2d.sum.scijs', () => {
        let s = 0;
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += sroi.get(i, j);
        return s;
      }),
      el('get2d.sum.stdlib', () => {
        let s = 0;
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += troi.get(i, j) as number;
        return s;
      }),
      el('get2d.sum.hand', () => {
        let s = 0;
        for (let i = 0; i < N; i++) {
          const row = ROI_BASE + i * COLS;
          for (let j = 0; j < N; j++) s += plane[row + j];
        }
        return s;
      }),
    ],
    [
      el('get2d.hist.memview', () => {
        hist.fill(0);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) hist[roi.get(i, j) as number]++;
        return histCheck(hist);
      }),
      el('get2d.hist.scijs', () => {
        hist.fill(0);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) hist[sroi.get(i, j)]++;
        return histCheck(hist);
      }),
      el('get2d.hist.stdlib', () => {
        hist.fill(0);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) hist[troi.get(i, j) as number]++;
        return histCheck(hist);
      }),
      el('get2d.hist.hand', () => {
        hist.fill(0);
        for (let i = 0; i < N; i++) {
          const row = ROI_BASE + i * COLS;
          for (let j = 0; j < N; j++) hist[plane[row + j]]++;
        }
        return histCheck(hist);
      }),
    ],
    [
      // Row-weighted sums, so that a flip that read the wrong way round would not agree.
      el('get2d.flip.memview', () => {
        let s = 0;
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) s += (flip.get(i, j) as number) * (i & 3);
        return s;
      }),
      el('get2d.flip.scijs', () => {
        let s = 0;
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) s += sflip.get(i, j) * (i & 3);
        return s;
      }),
      el('get2d.flip.stdlib', () => {
        let s = 0;
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) s += (tflip.get(i, j) as number) * (i & 3);
        return s;
      }),
      el('get2d.flip.hand', () => {
        let s = 0;
        for (let i = 0; i < N; i++) {
          const row = LAST - i * COLS;
          for (let j = 0; j < N; j++) s += plane[row - j] * (i & 3);
        }
        return s;
      }),
    ],
    [
      el('get3d.memview', () => {
        let s = 0;
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) s += (v3.get(i, j, k) as number) * (k & 3);
        return s;
      }),
      el('get3d.scijs', () => {
        let s = 0;
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) s += s3.get(i, j, k) * (k & 3);
        return s;
      }),
      el('get3d.stdlib', () => {
        let s = 0;
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) s += (t3.get(i, j, k) as number) * (k & 3);
        return s;
      }),
      el('get3d.hand', () => {
        let s = 0;
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++) {
            const row = i * 10000 + j * 100;
            for (let k = 0; k < 100; k++) s += vol[row + k] * (k & 3);
          }
        return s;
      }),
    ],
    [
      el('get4d.memview', () => {
        let s = 0;
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) s += (v4.get(a, i, j, k) as number) * (k & 3);
        return s;
      }),
      el('get4d.scijs', () => {
        let s = 0;
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) s += s4.get(a, i, j, k) * (k & 3);
        return s;
      }),
      el('get4d.stdlib', () => {
        let s = 0;
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) s += (t4.get(a, i, j, k) as number) * (k & 3);
        return s;
      }),
      el('get4d.hand', () => {
        let s = 0;
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++) {
              const row = a * 100000 + i * 1000 + j * 10;
              for (let k = 0; k < 10; k++) s += vol[row + k] * (k & 3);
            }
        return s;
      }),
    ],
  ];
}

function setCases(): Case[][] {
  const plane = new Uint8Array(ROWS * COLS);
  const vol = new Uint8Array(1_000_000);
  const roi = memoryview(plane)
    .cast('B', [ROWS, COLS])
    .sub([R0, R0 + N], [C0, C0 + N]);
  const sroi = ndarray(plane, [ROWS, COLS])
    .hi(R0 + N, C0 + N)
    .lo(R0, C0);
  const troi = new stdlibNdarray('uint8', plane, [N, N], [COLS, 1], ROI_BASE, 'row-major');
  const v3 = memoryview(vol).cast('B', [...D3]);
  const s3 = ndarray(vol, [...D3]);
  const t3 = new stdlibNdarray('uint8', vol, [...D3], [10000, 100, 1], 0, 'row-major');
  const v4 = memoryview(vol).cast('B', [...D4]);
  const s4 = ndarray(vol, [...D4]);
  const t4 = new stdlibNdarray('uint8', vol, [...D4], [100000, 1000, 10, 1], 0, 'row-major');
  // Each case starts from zeroed memory and is checked by the bytes it left.
  const onPlane = (id: string, run: () => unknown): Case => ({
    id,
    run,
    unit: 'ns/op',
    ops: N * N,
    before: () => plane.fill(0),
    check: () => sumBytes(plane),
  });
  const onVol = (id: string, run: () => unknown): Case => ({
    id,
    run,
    unit: 'ns/op',
    ops: 1_000_000,
    before: () => vol.fill(0),
    check: () => sumBytes(vol),
  });
  return [
    [
      onPlane('set2d.memview', () => {
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) roi.set(i, j, (i + j) & 255);
      }),
      onPlane('set2d.scijs', () => {
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) sroi.set(i, j, (i + j) & 255);
      }),
      onPlane('set2d.stdlib', () => {
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) troi.set(i, j, (i + j) & 255);
      }),
      onPlane('set2d.hand', () => {
        for (let i = 0; i < N; i++) {
          const row = ROI_BASE + i * COLS;
          for (let j = 0; j < N; j++) plane[row + j] = (i + j) & 255;
        }
      }),
    ],
    [
      onVol('set3d.memview', () => {
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) v3.set(i, j, k, (i + j + k) & 255);
      }),
      onVol('set3d.scijs', () => {
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) s3.set(i, j, k, (i + j + k) & 255);
      }),
      onVol('set3d.stdlib', () => {
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++)
            for (let k = 0; k < 100; k++) t3.set(i, j, k, (i + j + k) & 255);
      }),
      onVol('set3d.hand', () => {
        for (let i = 0; i < 100; i++)
          for (let j = 0; j < 100; j++) {
            const row = i * 10000 + j * 100;
            for (let k = 0; k < 100; k++) vol[row + k] = (i + j + k) & 255;
          }
      }),
    ],
    [
      onVol('set4d.memview', () => {
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) v4.set(a, i, j, k, (a + i + j + k) & 255);
      }),
      onVol('set4d.scijs', () => {
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) s4.set(a, i, j, k, (a + i + j + k) & 255);
      }),
      onVol('set4d.stdlib', () => {
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++)
              for (let k = 0; k < 10; k++) t4.set(a, i, j, k, (a + i + j + k) & 255);
      }),
      onVol('set4d.hand', () => {
        for (let a = 0; a < 10; a++)
          for (let i = 0; i < 100; i++)
            for (let j = 0; j < 100; j++) {
              const row = a * 100000 + i * 1000 + j * 10;
              for (let k = 0; k < 10; k++) vol[row + k] = (a + i + j + k) & 255;
            }
      }),
    ],
  ];
}

const DOUBLES = 1 << 20;

function doubles(): Float64Array {
  const f64 = new Float64Array(DOUBLES);
  for (let i = 0; i < DOUBLES; i++) f64[i] = i + 0.25;
  return f64;
}

function forOfCases(): Case[] {
  const f64 = doubles();
  const every2 = memoryview(f64).slice(null, null, 2);
  const n = DOUBLES / 2;
  return [
    {
      id: 'forof.memview',
      run: () => {
        let s = 0;
        for (const v of every2) s += v as number;
        return s;
      },
      unit: 'ns/op',
      ops: n,
    },
    {
      id: 'forof.hand',
      run: () => {
        let s = 0;
        for (let i = 0; i < DOUBLES; i += 2) s += f64[i];
        return s;
      },
      unit: 'ns/op',
      ops: n,
    },
  ];
}

// --- 5–7. copies and the ELF parser ---------------------------------------------------------

/** Source sizes of the strided copies; the copy (`[::2]`) is half of each. */
export const TO_BYTES_SIZES = [1 << 10, 1 << 16, 1 << 20, 1 << 24, 1 << 28] as const;

export function sizeLabel(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`;
}

/** The pattern over `n` bytes, tiled from one 64 KiB block (fast for 256 MiB). */
function tiled(n: number): Uint8Array {
  const block = pattern(Math.min(n, 1 << 16));
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += block.length)
    out.set(block.subarray(0, Math.min(block.length, n - o)), o);
  return out;
}

async function measureToBytes(figures: Figures, log: Log): Promise<void> {
  for (const size of TO_BYTES_SIZES) {
    let src: Uint8Array | null = tiled(size);
    const view: MemoryView = memoryview(src).slice(null, null, 2);
    let a: Uint8Array | null = null;
    let b: Uint8Array | null = null;
    const s = src;
    const budget: Budget = size >= 1 << 24 ? BIG_BUDGET : LOOP_BUDGET;
    await measureRow(
      [
        {
          id: `toBytes.${size}.memview`,
          run: () => {
            a = view.toBytes();
          },
          unit: 'ns/op',
          ops: 1,
          check: () => crc32(a ?? new Uint8Array()),
        },
        {
          id: `toBytes.${size}.hand`,
          run: () => {
            const n = s.length >> 1;
            const out = new Uint8Array(n);
            for (let i = 0; i < n; i++) out[i] = s[2 * i];
            b = out;
          },
          unit: 'ns/op',
          ops: 1,
          check: () => crc32(b ?? new Uint8Array()),
        },
      ],
      budget,
      figures,
      log,
    );
    view.release();
    a = b = src = null;
  }
}

async function measureAll(log: Log): Promise<Figures> {
  const figures: Figures = {};
  log('struct');
  await measureStruct(figures, log);
  log('N-D get/set, for…of');
  for (const row of getCases()) await measureRow(row, LOOP_BUDGET, figures, log);
  for (const row of setCases()) await measureRow(row, LOOP_BUDGET, figures, log);
  await measureRow(forOfCases(), LOOP_BUDGET, figures, log);
  log('strided toBytes');
  await measureToBytes(figures, log);
  log('toList, ELF');
  const view = memoryview(doubles());
  let list: unknown = null;
  await measureRow(
    [
      {
        id: 'toList.memview',
        run: () => {
          list = view.toList();
        },
        unit: 'ns/op',
        ops: 1,
        check: () => (list as number[]).reduce((x, y) => x + y, 0),
      },
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
  const { files, source } = elfInputs();
  log(`  ELF input: ${source}`);
  const acc: [number, number] = [0, 0];
  for (const f of files) parseElf(f, acc);
  const records = acc[1];
  await measureRow(
    [
      {
        id: 'elf.memview',
        run: () => {
          const a: [number, number] = [0, 0];
          for (const f of files) parseElf(f, a);
          return a[0];
        },
        unit: 'M rec/s',
        ops: records,
      },
    ],
    LOOP_BUDGET,
    figures,
    log,
  );
  return figures;
}

// --- the rows -------------------------------------------------------------------------------

/** Speed-up targets: "≤ k× the reference's time" is a speed-up of at least 1/k. */
const AT_MOST = (k: number) => Math.round(10_000 / k) / 10_000;

const vs = (
  label: string,
  memview: string,
  name: string,
  peer: string,
  k?: number,
): Comparison => ({
  label,
  memview,
  peer: { name, id: peer },
  against: 'peer',
  ...(k === undefined ? {} : { target: AT_MOST(k) }),
});

const vsCpython = (
  label: string,
  memview: string,
  cpython: string,
  target?: number,
): Comparison => ({
  label,
  memview,
  cpython,
  against: 'cpython',
  ...(target === undefined ? {} : { target }),
});

const comparisons: Comparison[] = [
  vs(
    '24-format stream, Struct.unpackFrom vs hand DataView switch',
    'stream.memview',
    'hand',
    'stream.hand',
    1.5,
  ),
  vsCpython('… vs CPython Struct.unpack_from', 'stream.memview', 'stream.unpack_from'),
  {
    label: "'<IHHd' in a fresh process",
    memview: 'fresh.IHHd.memview',
    against: 'none',
    absolute: 80,
  },
  vs(
    "'<IHHd' after the mix vs its fresh-process time",
    'mixed.IHHd.memview',
    'fresh',
    'fresh.IHHd.memview',
    1.2,
  ),
  vs("'<IHHd' after the mix vs hand", 'mixed.IHHd.memview', 'hand', 'mixed.IHHd.hand'),
  vs(
    "'<10I' after the mix vs its fresh-process time",
    'mixed.10I.memview',
    'fresh',
    'fresh.10I.memview',
    1.2,
  ),
  vs("'<10I' after the mix vs hand", 'mixed.10I.memview', 'hand', 'mixed.10I.hand'),
  vs(
    "pack('<IHHd') vs hand DataView writes + slice()",
    'pack.IHHd.memview',
    'hand',
    'pack.IHHd.hand',
    6,
  ),
  vsCpython('… vs CPython Struct.pack', 'pack.IHHd.memview', 'pack.IHHd'),
  vs(
    "packInto('<IHHd') loop, 64 Ki records from arrays, vs hand DataView",
    'packInto.IHHd.memview',
    'hand',
    'packInto.IHHd.hand',
    6,
  ),
  vsCpython('… vs CPython Struct.pack_into', 'packInto.IHHd.memview', 'pack_into.IHHd'),
  vs(
    'pack(ELF header, 13 values) vs hand + slice()',
    'pack.elf.memview',
    'hand',
    'pack.elf.hand',
    4,
  ),
  vsCpython('… vs CPython Struct.pack', 'pack.elf.memview', 'pack.elf'),
  vs(
    'packInto(ELF header, 13 values) loop vs hand',
    'packInto.elf.memview',
    'hand',
    'packInto.elf.hand',
    4,
  ),
  vsCpython('… vs CPython Struct.pack_into', 'packInto.elf.memview', 'pack_into.elf'),
  vsCpython(
    'BufferWriter.pack of the stream vs CPython pack_into',
    'writer.memview',
    'writer.pack_into',
    1,
  ),
  vs(
    '2-D ROI sum, get(i, j) vs scijs ndarray',
    'get2d.sum.memview',
    'scijs',
    'get2d.sum.scijs',
    1.3,
  ),
  vs('… vs @stdlib/ndarray', 'get2d.sum.memview', 'stdlib', 'get2d.sum.stdlib'),
  vs('… vs hand strided loop', 'get2d.sum.memview', 'hand', 'get2d.sum.hand', 4),
  vs(
    '2-D ROI histogram, get(i, j) vs scijs ndarray',
    'get2d.hist.memview',
    'scijs',
    'get2d.hist.scijs',
    1.3,
  ),
  vs('… vs @stdlib/ndarray', 'get2d.hist.memview', 'stdlib', 'get2d.hist.stdlib'),
  vs('… vs hand strided loop', 'get2d.hist.memview', 'hand', 'get2d.hist.hand', 4),
  vs('2-D flipped get vs scijs ndarray', 'get2d.flip.memview', 'scijs', 'get2d.flip.scijs', 1.5),
  vs('… vs @stdlib/ndarray', 'get2d.flip.memview', 'stdlib', 'get2d.flip.stdlib'),
  vs('… vs hand', 'get2d.flip.memview', 'hand', 'get2d.flip.hand'),
  vs('3-D get vs scijs ndarray', 'get3d.memview', 'scijs', 'get3d.scijs', 1.5),
  vs('… vs @stdlib/ndarray', 'get3d.memview', 'stdlib', 'get3d.stdlib'),
  vs('… vs hand', 'get3d.memview', 'hand', 'get3d.hand'),
  vs('4-D get vs scijs ndarray', 'get4d.memview', 'scijs', 'get4d.scijs', 1.5),
  vs('… vs @stdlib/ndarray', 'get4d.memview', 'stdlib', 'get4d.stdlib'),
  vs('… vs hand', 'get4d.memview', 'hand', 'get4d.hand'),
  vs('2-D ROI set(i, j, v) vs scijs ndarray', 'set2d.memview', 'scijs', 'set2d.scijs', 1.3),
  vs('… vs @stdlib/ndarray', 'set2d.memview', 'stdlib', 'set2d.stdlib'),
  vs('… vs hand strided loop', 'set2d.memview', 'hand', 'set2d.hand', 4),
  vs('3-D set vs scijs ndarray', 'set3d.memview', 'scijs', 'set3d.scijs', 1.5),
  vs('… vs @stdlib/ndarray', 'set3d.memview', 'stdlib', 'set3d.stdlib'),
  vs('… vs hand', 'set3d.memview', 'hand', 'set3d.hand'),
  vs('4-D set vs scijs ndarray', 'set4d.memview', 'scijs', 'set4d.scijs', 1.5),
  vs('… vs @stdlib/ndarray', 'set4d.memview', 'stdlib', 'set4d.stdlib'),
  vs('… vs hand', 'set4d.memview', 'hand', 'set4d.hand'),
  vs('for…of over a strided 1-D view vs hand loop', 'forof.memview', 'hand', 'forof.hand', 3),
  ...TO_BYTES_SIZES.map((size) =>
    vs(
      `strided toBytes ([::2]) of ${sizeLabel(size)} vs hand loop`,
      `toBytes.${size}.memview`,
      'hand',
      `toBytes.${size}.hand`,
      1.5,
    ),
  ),
  vsCpython('toList() of 1M doubles vs CPython memoryview.tolist()', 'toList.memview', 'tolist', 5),
  vsCpython(
    'ELF parser (section headers + symbols) vs CPython struct',
    'elf.memview',
    'elf.struct',
    2,
  ),
];

export const peersSuite: Suite = {
  name: 'peers',
  title: 'peers: memview vs hand-written code, scijs ndarray, @stdlib/ndarray and CPython 3.13',
  python: 'bench/peers_bench.py',
  measure: measureAll,
  comparisons,
  packages: ['ndarray', '@stdlib/ndarray'],
};
