/**
 * The benchmark harness shared by every suite: what a suite declares, how its CPython side
 * is run, how figures become ratios against targets, and how the table is printed.
 *
 * A suite measures its Node cases itself (mitata `measure`, one median per case) and names a
 * Python script that prints the CPython figures as JSON on stdout. The two sides run one
 * after the other in the same `npm run bench`, never at the same time.
 *
 * The tour (`tour/`, `npm start`) measures with the same pieces: `median`, `repoRoot` and
 * the one Python runner, `runScript`.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rates are higher-is-better; times per operation are lower-is-better. */
export type Unit = 'M rec/s' | 'GB/s' | 'ns/op';

/** One measured case: its median, the spread of its samples, a checksum of its results. */
export interface Figure {
  /** The median sample, in `unit`. */
  readonly value: number;
  readonly unit: Unit;
  /** Number of timed samples (a sample is one pass over the records, or a batch of calls). */
  readonly n: number;
  /** The smallest and largest sample, in `unit` (mitata drops the 2 extremes past 12 samples). */
  readonly min: number;
  readonly max: number;
  /** A value computed from the results (a field sum), to show both sides did the same work. */
  readonly check?: number;
}

export type Figures = Record<string, Figure>;

/**
 * A rate figure from sample times in ns (median, fastest, slowest): `work` units per
 * sample (records, or bytes), as M rec/s or GB/s. The fastest sample is the largest rate.
 */
export function rateFigure(
  unit: 'M rec/s' | 'GB/s',
  work: number,
  times: {
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly n: number;
  },
  check?: number,
): Figure {
  // work per ns is G per s: a thousand M per s.
  const rate = (ns: number) => (unit === 'GB/s' ? work / ns : (work / ns) * 1e3);
  return {
    value: rate(times.median),
    unit,
    n: times.n,
    min: rate(times.max),
    max: rate(times.min),
    ...(check === undefined ? {} : { check }),
  };
}

/** The sample times of a mitata `measure()`, as `rateFigure` takes them. */
export function mitataTimes(stats: {
  readonly p50: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}): { median: number; min: number; max: number; n: number } {
  return { median: stats.p50, min: stats.min, max: stats.max, n: stats.samples.length };
}

/** A row of the table: memview against CPython or an npm peer, with an optional target. */
export interface Comparison {
  readonly label: string;
  /** Id of the memview figure (Node side). */
  readonly memview: string;
  /** Id of the CPython figure, shown in the CPython column. */
  readonly cpython?: string;
  /** An npm peer (or reference) figure from the Node side, shown in the peer column. */
  readonly peer?: { readonly name: string; readonly id: string };
  /** What the ratio is taken against; `none` for an absolute target. */
  readonly against: 'cpython' | 'peer' | 'none';
  /** Minimum speed-up of memview over the reference (ratio targets). */
  readonly target?: number;
  /** Minimum absolute rate, in the figure's unit (only for `against: 'none'`). */
  readonly absolute?: number;
  /**
   * The side whose figures `memview` and `peer` name: Node (the default), or CPython for a
   * row that shows CPython's own ratio between two of its figures (e.g. copy ÷ view).
   */
  readonly side?: 'node' | 'cpython';
}

export interface Suite {
  /** Short name: results go to `bench/results/<name>.json`. */
  readonly name: string;
  readonly title: string;
  /** The CPython side, a script under `bench/` that prints `PythonReport` JSON. */
  readonly python?: string;
  /** Measures the Node cases. */
  measure(log: (line: string) => void): Promise<Figures>;
  readonly comparisons: readonly Comparison[];
  /** npm packages whose versions go into the results file. */
  readonly packages?: readonly string[];
  /** The checksum every case of the suite must reproduce, when there is one. */
  readonly expectedCheck?: number;
}

/** What a suite's Python script prints. */
export interface PythonReport {
  readonly implementation: string;
  readonly version: string;
  readonly figures: Figures;
}

/** The CPython side of a run: figures, or why there are none. */
export type PythonSide =
  | { readonly measured: true; readonly report: PythonReport; readonly command: string }
  | { readonly measured: false; readonly reason: string; readonly command: string };

/** The required CPython minor version; any other is reported as not measured. */
export const PYTHON_VERSION = '3.13';

/** The repository root: the nearest folder above this file holding memview's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'memview') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the memview repository root');
    dir = parent;
  }
}

/** The installed version of an npm package, read from its manifest. */
export function packageVersion(root: string, name: string): string {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'missing';
  }
}

/** Which Python runs a script: CPython 3.13, or the interpreter that has NumPy. */
export type PythonKind = 'cpython' | 'numpy';

/** How a kind of Python is started, and the command line shown in reports. */
export interface Interpreter {
  readonly command: string;
  readonly env: NodeJS.ProcessEnv;
  readonly display: string;
}

/**
 * `cpython`: `$PYTHON` (default `python3`) under `PYENV_VERSION` (default 3.13.0).
 * `numpy`: `$NUMPY_PYTHON` (default `python3`) without `PYENV_VERSION`, since the pinned
 * CPython has no NumPy here and the default one does.
 */
export function interpreterFor(kind: PythonKind = 'cpython'): Interpreter {
  if (kind === 'cpython') {
    const command = process.env.PYTHON ?? 'python3';
    const version = process.env.PYENV_VERSION ?? '3.13.0';
    return {
      command,
      env: { ...process.env, PYENV_VERSION: version },
      display: `PYENV_VERSION=${version} ${command}`,
    };
  }
  const command = process.env.NUMPY_PYTHON ?? 'python3';
  const env = { ...process.env };
  delete env.PYENV_VERSION;
  return { command, env, display: command };
}

/** A Python script's standard output, or why there is none. */
export type ScriptRun =
  | { readonly ok: true; readonly stdout: string; readonly command: string }
  | { readonly ok: false; readonly reason: string; readonly command: string };

/**
 * Runs `script` (a path from `root`) with `args` under the `kind` of Python and collects
 * its standard output. It runs to completion before anything else is measured (the caller
 * waits): the two sides are never timed at the same time. A missing script or interpreter,
 * a non-zero exit or a 15-minute timeout gives the reason instead.
 */
export function runScript(
  root: string,
  script: string,
  args: readonly string[] = [],
  kind: PythonKind = 'cpython',
): ScriptRun {
  const { command: python, env, display } = interpreterFor(kind);
  const command = `${display} ${script}`;
  const path = join(root, script);
  if (!existsSync(path)) return { ok: false, reason: `${script} not found`, command };
  const result = spawnSync(python, [path, ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  if (result.error !== undefined) {
    return { ok: false, reason: `${python}: ${result.error.message}`, command };
  }
  if (result.status !== 0) {
    const why = (result.stderr || '').trim().split('\n').slice(-1)[0] || `exit ${result.status}`;
    return { ok: false, reason: `${python} failed: ${why}`, command };
  }
  return { ok: true, stdout: result.stdout, command };
}

/**
 * Runs a suite's `script` with CPython (see `runScript`) and parses its JSON report. A
 * missing interpreter, a failure or a version other than 3.13 gives "not measured".
 */
export function runPython(root: string, script: string): PythonSide {
  const run = runScript(root, script);
  const { command } = run;
  if (!run.ok) return { measured: false, reason: run.reason, command };
  const python = interpreterFor('cpython').command;
  let report: PythonReport;
  try {
    report = JSON.parse(run.stdout) as PythonReport;
  } catch {
    return { measured: false, reason: `${python} printed no JSON report`, command };
  }
  const isTarget =
    report.implementation === 'CPython' &&
    (report.version === PYTHON_VERSION || report.version.startsWith(`${PYTHON_VERSION}.`));
  if (!isTarget) {
    const found = `${report.implementation} ${report.version}`;
    return { measured: false, reason: `found ${found}, need CPython ${PYTHON_VERSION}`, command };
  }
  return { measured: true, report, command };
}

/** A comparison resolved to numbers. */
export interface Row {
  readonly label: string;
  readonly unit: Unit;
  readonly memview: number | null;
  /** Whether the row has a CPython figure at all (else its column shows a dash). */
  readonly hasCpython: boolean;
  readonly cpython: number | null;
  readonly peerName: string | null;
  readonly peer: number | null;
  /** Speed-up of memview over the reference (> 1: memview is faster). */
  readonly ratio: number | null;
  readonly target: string;
  readonly result: 'pass' | 'FAIL' | 'info' | 'not measured';
}

/** Speed-up of `a` over `b`: rate ratio for rates, time ratio (b / a) for times. */
export function speedup(unit: Unit, a: number, b: number): number {
  return unit === 'ns/op' ? b / a : a / b;
}

export function compare(
  comparisons: readonly Comparison[],
  node: Figures,
  cpython: Figures | null,
): Row[] {
  return comparisons.map((c) => {
    const own = c.side === 'cpython' ? cpython : node;
    const mine = own?.[c.memview];
    const unit = mine?.unit ?? 'M rec/s';
    const memview = mine?.value ?? null;
    const cpy = c.cpython === undefined ? null : (cpython?.[c.cpython]?.value ?? null);
    const peer = c.peer === undefined ? null : (own?.[c.peer.id]?.value ?? null);
    const reference = c.against === 'cpython' ? cpy : c.against === 'peer' ? peer : null;
    const ratio = memview !== null && reference !== null ? speedup(unit, memview, reference) : null;
    let target = '—';
    let result: Row['result'] = 'info';
    if (c.against === 'none' && c.absolute !== undefined) {
      target = `≥ ${c.absolute} ${unit}`;
      if (memview !== null) result = memview >= c.absolute ? 'pass' : 'FAIL';
    } else if (c.target !== undefined) {
      target = `≥ ${c.target}×`;
      result = ratio === null ? 'not measured' : ratio >= c.target ? 'pass' : 'FAIL';
    }
    return {
      label: c.label,
      unit,
      memview,
      hasCpython: c.cpython !== undefined,
      cpython: cpy,
      peerName: c.peer?.name ?? null,
      peer,
      ratio,
      target,
      result,
    };
  });
}

/** Three significant digits, no exponent. */
export function fmt(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The rows as a Markdown table, columns padded so it also reads as plain text. */
export function table(rows: readonly Row[]): string {
  const header = ['case', 'unit', 'memview', 'CPython', 'peer', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.label,
    r.unit,
    r.memview === null ? '—' : fmt(r.memview),
    r.cpython !== null ? fmt(r.cpython) : r.hasCpython ? 'not measured' : '—',
    r.peer === null ? '—' : `${fmt(r.peer)} (${r.peerName})`,
    r.ratio === null ? '—' : `${fmt(r.ratio)}×`,
    r.target,
    r.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= 2 && i <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The median of a list (NaN for an empty one). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
