/**
 * The tour: memview's main job on built-in synthetic data, each scenario done the memview
 * way and the copying way in the same run, with CPython/NumPy's figures beside them and
 * the claim of the article each answers. `npm start` runs it (see `main.ts`).
 *
 * Output: one table on stdout (or the rows as JSON), progress lines on stderr, and
 * `tour.md` and `tour.svg` in the report folder (`reports/` by default).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { interpreterFor } from '../bench/harness.js';
import { ioScenario } from './io.js';
import { parserScenario } from './parser.js';
import { pipelineScenario } from './pipeline.js';
import { runPython } from './python.js';
import { renderReport } from './report.js';
import { sliceScenario } from './slice.js';
import { renderChart } from './svg.js';
import { renderSummary } from './table.js';
import { threadsScenario } from './threads.js';
import type {
  PythonOutcome,
  PythonRequest,
  Scenario,
  ScenarioContext,
  ScenarioResult,
  TourOptions,
  TourResult,
} from './types.js';
import { videoScenario } from './video.js';

export type {
  Better,
  PythonFigure,
  ScenarioCheck,
  ScenarioResult,
  TourOptions,
  TourResult,
  TourRow,
} from './types.js';

/** Every scenario, in the tour's order. */
export const SCENARIOS: readonly Scenario[] = [
  sliceScenario,
  parserScenario,
  pipelineScenario,
  videoScenario,
  threadsScenario,
  ioScenario,
];

/** The scenario names, in the tour's order. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The scenarios named (all by default), in the tour's order; Error for an unknown name. */
function chooseScenarios(names: readonly string[] | undefined): Scenario[] {
  if (names === undefined || names.length === 0) return [...SCENARIOS];
  const unknown = names.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown tour scenario${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${SCENARIO_NAMES.join(', ')}`,
    );
  }
  return SCENARIOS.filter((s) => names.includes(s.name));
}

/**
 * A scenario that threw: reported as a failed check (it was available, and failed), so the
 * rest of the tour still runs.
 */
function failed(scenario: Scenario, error: unknown): ScenarioResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    name: scenario.name,
    title: scenario.title,
    available: true,
    rows: [],
    check: { ok: false, description: `the scenario failed — ${message}`, values: {} },
    details: { error: message },
  };
}

/**
 * Runs the tour: the scenarios named in `options.scenarios` (all by default), then prints
 * the table (or, with `json`, the rows as JSON) to `options.output` (stdout) and writes `tour.md` and `tour.svg` to
 * `options.reportDir` (default `reports/`). Progress goes to `options.log` (stderr).
 * `quick` uses small sizes (seconds in all). Python runs after the Node side of each
 * scenario, never beside it; without an interpreter its column says "not measured".
 */
export async function runTour(options: TourOptions = {}): Promise<TourResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const quick = options.quick ?? false;
  const scenarios = chooseScenarios(options.scenarios);
  const interpreters = new Map<string, string>();
  const python = async (request: PythonRequest): Promise<PythonOutcome> => {
    if (options.python === false) return { ok: false, reason: 'not run (python: false)' };
    const outcome = await runPython(request);
    const runtime = request.runtime === 'cpython' ? 'CPython' : 'NumPy';
    const command = interpreterFor(request.runtime).display;
    interpreters.set(
      runtime,
      outcome.ok ? `${outcome.by} (${command})` : `not measured: ${outcome.reason} (${command})`,
    );
    return outcome;
  };
  const context: ScenarioContext = { quick, log, python };

  const results: ScenarioResult[] = [];
  for (let i = 0; i < scenarios.length; i++) {
    const scenario = scenarios[i];
    log(`tour [${i + 1}/${scenarios.length}] ${scenario.name}: ${scenario.title}`);
    const t0 = performance.now();
    let result: ScenarioResult;
    try {
      result = await scenario.run(context);
    } catch (error) {
      result = failed(scenario, error);
    }
    const seconds = (performance.now() - t0) / 1000;
    log(`tour [${i + 1}/${scenarios.length}] ${scenario.name}: done in ${seconds.toFixed(1)} s`);
    results.push(result);
  }

  const environment: Record<string, string> = {
    Node: `${process.version} on ${process.platform}-${process.arch}, ${cpus().length} CPUs`,
    mode: quick ? 'quick (small sizes)' : 'full (the article’s sizes)',
  };
  for (const [runtime, text] of interpreters) environment[runtime] = text;
  const partial: TourResult = {
    rows: results.flatMap((r) => r.rows),
    scenarios: results,
    quick,
    environment,
    reportFiles: [],
  };
  const reportFiles = await writeReports(partial, options.reportDir ?? 'reports');
  const result: TourResult = { ...partial, reportFiles };
  const output = options.output ?? ((text: string) => process.stdout.write(text));
  output(
    options.json === true
      ? `${JSON.stringify(result.rows, null, 2)}\n`
      : `${renderSummary(result)}\n`,
  );
  return result;
}

/** Writes `tour.md` and `tour.svg` into `dir` (created if needed); returns their paths. */
async function writeReports(result: TourResult, dir: string): Promise<string[]> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const chart = 'tour.svg';
  const markdown = join(folder, 'tour.md');
  const svg = join(folder, chart);
  const title = `memview tour${result.quick ? ' (quick)' : ''}: memview against the copying way`;
  await writeFile(svg, renderChart(result.rows, title));
  await writeFile(markdown, renderReport({ ...result, reportFiles: [markdown, svg] }, chart));
  return [markdown, svg];
}
