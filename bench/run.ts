/**
 * Runs the benchmark suites: `npm run bench` (all), or `node --expose-gc dist/bench/run.js
 * struct` (by name). For each suite, its CPython script runs first, then its Node cases in a
 * fresh Node process (so one suite's JIT state cannot speed up or slow down another's), one
 * after the other, never at the same time; then the table is printed and the figures are
 * written to `bench/results/<suite>.json`.
 *
 * A suite for another layer is a `*.bench.ts` exporting a `Suite` (see harness.ts), added to
 * `suites` below.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arrowSuite } from './arrow.bench.js';
import { bridgesSuite } from './bridges.bench.js';
import { exportersSuite } from './exporters.bench.js';
import {
  compare,
  type Figure,
  type Figures,
  type PythonSide,
  packageVersion,
  repoRoot,
  runPython,
  type Suite,
  table,
} from './harness.js';
import { int64Suite } from './int64.bench.js';
import { nodeSuite } from './node.bench.js';
import { parsingSuite } from './parsing.bench.js';
import { peersSuite } from './peers.bench.js';
import { searchSuite } from './search.bench.js';
import { structSuite } from './struct.bench.js';
import { varintSuite } from './varint.bench.js';
import { viewSuite } from './view.bench.js';

const suites: Suite[] = [
  structSuite,
  viewSuite,
  exportersSuite,
  parsingSuite,
  nodeSuite,
  peersSuite,
  varintSuite,
  int64Suite,
  arrowSuite,
  bridgesSuite,
  searchSuite,
];

/** The flag that makes this script measure one suite's Node side and print its figures. */
const CHILD_FLAG = '--measure-node';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Cases whose checksum differs from the suite's expected one, on either side, and rows
 * whose figures (memview, peer, CPython) carry checksums that differ from one another.
 */
function checkMismatches(suite: Suite, node: Figures, cpython: Figures | null): string[] {
  const expected = suite.expectedCheck;
  const problems = new Set<string>();
  const sides: [string, Figures | null][] = [
    ['node', node],
    ['cpython', cpython],
  ];
  for (const [side, figures] of sides) {
    for (const [id, f] of Object.entries(figures ?? {})) {
      if (expected !== undefined && f.check !== undefined && f.check !== expected) {
        problems.add(`${side} ${id}: check ${f.check} ≠ expected ${expected}`);
      }
    }
  }
  for (const c of suite.comparisons) {
    const own = c.side ?? 'node';
    const ownFigures = own === 'cpython' ? cpython : node;
    const named: [string, Figure | undefined][] = [
      [`${own} ${c.memview}`, ownFigures?.[c.memview]],
    ];
    if (c.peer !== undefined) named.push([`${own} ${c.peer.id}`, ownFigures?.[c.peer.id]]);
    if (c.cpython !== undefined) named.push([`cpython ${c.cpython}`, cpython?.[c.cpython]]);
    const checked = named.filter(([, f]) => f?.check !== undefined);
    if (new Set(checked.map(([, f]) => f?.check)).size > 1) {
      problems.add(checked.map(([name, f]) => `${name} check ${f?.check}`).join(' ≠ '));
    }
  }
  return [...problems];
}

/** Runs a suite's Node side in a child process with this process's flags (--expose-gc). */
function measureInChild(suite: Suite): Figures {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, CHILD_FLAG, suite.name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`bench: the Node side of ${suite.name} failed`);
  return JSON.parse(child.stdout) as Figures;
}

function runSuite(root: string, suite: Suite): void {
  log(`\n# ${suite.title}`);
  let python: PythonSide | null = null;
  if (suite.python !== undefined) {
    log(`CPython: ${suite.python}`);
    python = runPython(root, suite.python);
    if (!python.measured) log(`  CPython not measured: ${python.reason}`);
  }
  const cpython = python?.measured ? python.report.figures : null;
  log('Node:');
  const node = measureInChild(suite);
  const rows = compare(suite.comparisons, node, cpython);
  const problems = checkMismatches(suite, node, cpython);

  const cpythonLabel = python?.measured
    ? `CPython ${python.report.version}`
    : `CPython not measured (${python?.reason ?? 'no script'})`;
  console.log(`\n## ${suite.title}\n`);
  console.log(
    `node ${process.version}, ${cpythonLabel}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ` +
      'medians; ratio = memview speed-up over the reference (> 1: memview faster)\n',
  );
  console.log(table(rows));
  for (const p of problems) console.log(`\nCHECKSUM MISMATCH: ${p}`);

  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite.name}.json`);
  const results = {
    suite: suite.name,
    title: suite.title,
    date: new Date().toISOString(),
    machine: {
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
    },
    node: process.version,
    v8: process.versions.v8,
    cpython: python?.measured
      ? { version: python.report.version, command: python.command }
      : { notMeasured: python?.reason ?? 'no script', command: python?.command ?? null },
    packages: Object.fromEntries(
      ['mitata', ...(suite.packages ?? [])].map((p) => [p, packageVersion(root, p)]),
    ),
    figures: { node, cpython },
    rows,
    checksumProblems: problems,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${file}`);
}

/** The child: measures one suite's Node cases, progress on stderr, figures as JSON on stdout. */
async function childMain(name: string | undefined): Promise<void> {
  const suite = suites.find((s) => s.name === name);
  if (suite === undefined) throw new Error(`bench: no suite ${name}`);
  if (typeof globalThis.gc !== 'function') log('  (no --expose-gc: mitata cannot collect)');
  const figures = await suite.measure(log);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === CHILD_FLAG) return childMain(process.argv[3]);
  const root = repoRoot();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length > 0) {
    log(`unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const suite of suites) {
    if (wanted.length === 0 || wanted.includes(suite.name)) runSuite(root, suite);
  }
}

await main();
