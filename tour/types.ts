/**
 * The shapes the tour passes around: what a scenario measures (rows of figures, a
 * correctness check), what the CPython/NumPy side reports, and what `runTour` returns.
 */

import type { PythonKind } from '../bench/harness.js';

/** Whether a smaller or a larger figure is the better one. */
export type Better = 'lower' | 'higher';

/** What the Python side measured for one row, or why it did not. */
export interface PythonFigure {
  /** Who measured it, e.g. "CPython 3.13.0" or "NumPy 2.4.6". */
  readonly by: string;
  /** The zero-copy way (memoryview, NumPy views), in the row's unit; null when not measured. */
  readonly view: number | null;
  /** The copying way (bytes slices, `.copy()`), in the row's unit; null when not measured. */
  readonly copy: number | null;
  /** Free text shown instead of, or after, the figures (e.g. "not implemented in CPython"). */
  readonly note?: string;
}

/** One line of the tour table: one figure, memview against the copying way. */
export interface TourRow {
  /** The scenario this row belongs to (`slice`, `parser`, `pipeline`, `video`, `io`). */
  readonly scenario: string;
  /** What is measured, e.g. "time per slice of the last 1 MB". */
  readonly label: string;
  /** The unit of `memview`, `baseline` and the Python figures. */
  readonly unit: string;
  readonly better: Better;
  /** memview's figure; null when the scenario could not run (see `note`). */
  readonly memview: number | null;
  /** The copying way's figure in the same run; null when there is none. */
  readonly baseline: number | null;
  /** How many times better memview is than the baseline (≥ 1 means better); null without both. */
  readonly ratio: number | null;
  /** The CPython/NumPy figures; null when no Python was run for this row. */
  readonly python: PythonFigure | null;
  /** The article's claim this row answers. */
  readonly claim: string;
  /** The target this row is judged by (e.g. "≥ 60 frames/s", "≥ 1729×"); null for none. */
  readonly target: string | null;
  /** Whether the target was met; null when the row has no target or no figure. */
  readonly met: boolean | null;
  /** Extra context: what the figure includes, why it is missing. */
  readonly note?: string;
}

/** The correctness check of a scenario: both ways computed the same, right, result. */
export interface ScenarioCheck {
  /** True when every way agreed with the reference computation. */
  readonly ok: boolean;
  /** What was compared, in one sentence. */
  readonly description: string;
  /** The values compared (checksums, sums, counts), named. */
  readonly values: Readonly<Record<string, number | string | boolean>>;
}

/** What one scenario returns. */
export interface ScenarioResult {
  /** Short name, as given on the command line. */
  readonly name: string;
  /** One line: what the scenario does. */
  readonly title: string;
  /** False when the scenario could not run at all (e.g. I/O without `memview/node`). */
  readonly available: boolean;
  readonly rows: readonly TourRow[];
  readonly check: ScenarioCheck;
  /** Supporting figures (sizes, GC counts, per-variant timings), named. */
  readonly details: Readonly<Record<string, number | string | boolean>>;
}

/** Options of `runTour`. */
export interface TourOptions {
  /** Scenario names to run (default: all, in the tour's order). */
  readonly scenarios?: readonly string[];
  /** Print the rows as JSON on stdout instead of the table. */
  readonly json?: boolean;
  /** Small sizes and short timings: seconds, for tests. */
  readonly quick?: boolean;
  /** Where `tour.md` and `tour.svg` go (default `reports/` under the current directory). */
  readonly reportDir?: string;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Run the CPython/NumPy side when an interpreter is found (default true). */
  readonly python?: boolean;
  /** Where the table (or JSON) is written (default: stdout). */
  readonly output?: (text: string) => void;
}

/** What `runTour` returns. */
export interface TourResult {
  /** Every row of the table, in order. */
  readonly rows: readonly TourRow[];
  /** Each scenario's rows, check and details. */
  readonly scenarios: readonly ScenarioResult[];
  readonly quick: boolean;
  /** Node's version and the Python interpreters found (or why not). */
  readonly environment: Readonly<Record<string, string>>;
  /** Paths of the files written: `tour.md` and `tour.svg`. */
  readonly reportFiles: readonly string[];
}

/** What every scenario gets: the mode, a progress logger, and the Python runner. */
export interface ScenarioContext {
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** Runs the Python side of a scenario; resolves to its figures or to why there are none. */
  readonly python: (request: PythonRequest) => Promise<PythonOutcome>;
}

/** A request to `tour/tour_python.py`: one scenario and its parameters. */
export interface PythonRequest {
  readonly scenario: string;
  /** `cpython` runs CPython 3.13 (`PYENV_VERSION=3.13.0 python3`); `numpy` the default `python3`. */
  readonly runtime: PythonKind;
  readonly params: Readonly<Record<string, number | string | boolean>>;
}

/** The Python side's answer for one request. */
export type PythonOutcome =
  | {
      readonly ok: true;
      /** e.g. "CPython 3.13.0" or "NumPy 2.4.6 on CPython 3.11.7". */
      readonly by: string;
      readonly figures: Readonly<Record<string, number>>;
      readonly check: Readonly<Record<string, number | string | boolean>>;
    }
  | { readonly ok: false; readonly reason: string };

/** A scenario of the tour. */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
