/**
 * Where a peers-suite loop spends its time: `node dist/bench/peers-profile.js <row> [fresh]`
 * runs the memview side of one row for three seconds under V8's sampling profiler (through
 * `node:inspector`, so no flags are needed) and prints its rate, the self time of the
 * hottest functions and the hottest lines of the hottest memview function.
 *
 * The struct rows run after the 24-format stream was packed and read, as in the suite,
 * unless `fresh` is given; the view rows (`forof`, `tolist`) do not depend on it.
 *
 * Rows: `ihhd`, `10i` (`unpackFrom` loops), `packinto-ihhd`, `packinto-elf` (`packInto`
 * loops), `forof` (a strided 1-D view), `tobytes-1k` (`[::2]` of 1 KiB), `tolist` (1M
 * doubles).
 */

import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { memoryview } from '../src/index.js';
import { makeStream, memviewStream } from './peers-formats.js';
import { PACK_RECORDS, packLoops } from './peers-pack.js';
import { SINGLE_RECORDS, singleCases } from './peers-single.js';

interface Row {
  /** One call of the loop. */
  readonly run: () => unknown;
  /** Operations per call, and their unit. */
  readonly ops: number;
  readonly unit: 'M rec/s' | 'ns/op';
  /** Whether the suite measures it after the 24-format stream. */
  readonly afterMix: boolean;
}

const DOUBLES = 1 << 20;

function doubles(): Float64Array {
  const f64 = new Float64Array(DOUBLES);
  for (let i = 0; i < DOUBLES; i++) f64[i] = i + 0.25;
  return f64;
}

const rows: Record<string, () => Row> = {
  ihhd: () => ({
    run: singleCases('IHHd').memview,
    ops: SINGLE_RECORDS,
    unit: 'M rec/s',
    afterMix: true,
  }),
  '10i': () => ({
    run: singleCases('10I').memview,
    ops: SINGLE_RECORDS,
    unit: 'M rec/s',
    afterMix: true,
  }),
  'packinto-ihhd': () => ({
    run: packLoops().ihhdMemview.run,
    ops: PACK_RECORDS,
    unit: 'M rec/s',
    afterMix: true,
  }),
  'packinto-elf': () => ({
    run: packLoops().elfMemview.run,
    ops: PACK_RECORDS,
    unit: 'M rec/s',
    afterMix: true,
  }),
  forof: () => {
    const every2 = memoryview(doubles()).slice(null, null, 2);
    return {
      run: () => {
        let s = 0;
        for (const v of every2) s += v as number;
        return s;
      },
      ops: DOUBLES / 2,
      unit: 'ns/op',
      afterMix: false,
    };
  },
  'tobytes-1k': () => {
    const u8 = new Uint8Array(1024).map((_, i) => i * 7);
    const every2 = memoryview(u8).slice(null, null, 2);
    return { run: () => every2.toBytes(), ops: 1, unit: 'ns/op', afterMix: false };
  },
  tolist: () => {
    const view = memoryview(doubles());
    return { run: () => view.toList(), ops: 1, unit: 'ns/op', afterMix: false };
  },
};

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly positionTicks?: readonly { line: number; ticks: number }[];
}

const [name, mode] = process.argv.slice(2);
const make = rows[name ?? ''];
if (make === undefined) {
  throw new Error(`peers-profile: a row is one of ${Object.keys(rows).join(', ')}`);
}
const row = make();
if (row.afterMix && mode !== 'fresh') {
  // As in the suite: the stream is packed (makeStream) and read before the row runs.
  const { bytes, kinds, structs } = makeStream();
  for (let k = 0; k < 20; k++) memviewStream(bytes, kinds, structs);
}
for (let k = 0; k < 20; k++) row.run(); // warm up: the profile is of optimised code

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const start = performance.now();
let calls = 0;
while (performance.now() - start < 3000) {
  row.run();
  calls++;
}
const elapsed = performance.now() - start;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const rate =
  row.unit === 'M rec/s'
    ? `${((calls * row.ops) / elapsed / 1e3).toFixed(1)} M rec/s`
    : `${((elapsed * 1e6) / (calls * row.ops)).toFixed(2)} ns/op`;
console.log(
  `${name}${row.afterMix ? (mode === 'fresh' ? ', fresh' : ', after the stream') : ''}: ${rate} (profiled)`,
);

const nodes = new Map<number, ProfileNode>();
for (const node of profile.nodes as ProfileNode[]) nodes.set(node.id, node);
const samples = profile.samples ?? [];
const self = new Map<string, number>();
const where = (n: ProfileNode) => {
  const file = n.callFrame.url.replace(/^.*\/dist\//, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${file}${file ? `:${n.callFrame.lineNumber + 1}` : ''}`;
};
for (const id of samples) {
  const node = nodes.get(id) as ProfileNode;
  self.set(where(node), (self.get(where(node)) ?? 0) + 1);
}
const ranked = [...self].sort((a, b) => b[1] - a[1]);
console.log('self time by function:');
for (const [fn, n] of ranked.slice(0, 10)) {
  console.log(`  ${((100 * n) / samples.length).toFixed(1).padStart(5)} %  ${fn}`);
}

// The hottest function of memview's own code, line by line.
const top = ranked.find(([fn]) => / src\//.test(fn));
if (top !== undefined) {
  const lines = new Map<number, number>();
  let url = '';
  let first = 0;
  for (const node of nodes.values()) {
    if (where(node) !== top[0]) continue;
    url = node.callFrame.url;
    first = node.callFrame.lineNumber + 1;
    for (const t of node.positionTicks ?? []) lines.set(t.line, (lines.get(t.line) ?? 0) + t.ticks);
  }
  const text = url.startsWith('file:') ? readFileSync(fileURLToPath(url), 'utf8').split('\n') : [];
  const total = [...lines.values()].reduce((a, b) => a + b, 0);
  console.log(`hottest lines of ${top[0]}:`);
  for (const [line, n] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    // V8 books the ticks of code inlined from another file under that file's line numbers.
    const code = line >= first ? (text[line - 1] ?? '').trim().slice(0, 90) : '(inlined code)';
    console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${line}: ${code}`);
  }
}
