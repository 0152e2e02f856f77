/**
 * Building table rows: the ratio between memview and the copying way, the Python column
 * from a Python outcome, and a target judged against a figure.
 */

import type { Better, PythonFigure, PythonOutcome, TourRow } from './types.js';

/**
 * How many times better `memview` is than `baseline`: baseline ÷ memview for times and
 * sizes (lower is better), memview ÷ baseline for rates. Null without both figures, and
 * for a zero-versus-zero comparison; Infinity when memview's figure is 0 and the other not.
 */
export function advantage(
  better: Better,
  memview: number | null,
  baseline: number | null,
): number | null {
  if (memview === null || baseline === null) return null;
  if (!Number.isFinite(memview) || !Number.isFinite(baseline)) return null;
  const [num, den] = better === 'lower' ? [baseline, memview] : [memview, baseline];
  if (den === 0) return num === 0 ? null : Number.POSITIVE_INFINITY;
  return num / den;
}

/** What a scenario states to make a row; the ratio is computed. */
export interface RowSpec {
  readonly scenario: string;
  readonly label: string;
  readonly unit: string;
  readonly better: Better;
  readonly memview: number | null;
  readonly baseline: number | null;
  readonly python?: PythonFigure | null;
  readonly claim: string;
  readonly target?: string | null;
  readonly met?: boolean | null;
  readonly note?: string;
}

/** A row from its spec, with the memview-over-baseline ratio filled in. */
export function makeRow(spec: RowSpec): TourRow {
  const row: TourRow = {
    scenario: spec.scenario,
    label: spec.label,
    unit: spec.unit,
    better: spec.better,
    memview: spec.memview,
    baseline: spec.baseline,
    ratio: advantage(spec.better, spec.memview, spec.baseline),
    python: spec.python ?? null,
    claim: spec.claim,
    target: spec.target ?? null,
    met: spec.met ?? null,
  };
  return spec.note === undefined ? row : { ...row, note: spec.note };
}

/**
 * The Python column of a row: the figures named `viewKey` and `copyKey` of a successful
 * outcome (either may be absent), or a note saying why nothing was measured.
 */
export function pythonFigure(
  outcome: PythonOutcome | null,
  viewKey: string | null,
  copyKey: string | null,
  note?: string,
): PythonFigure | null {
  if (outcome === null) return null;
  if (!outcome.ok) return { by: 'Python', view: null, copy: null, note: outcome.reason };
  const pick = (key: string | null) => {
    if (key === null) return null;
    const value = outcome.figures[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const figure: PythonFigure = { by: outcome.by, view: pick(viewKey), copy: pick(copyKey) };
  return note === undefined ? figure : { ...figure, note };
}

/** The Python side's check values, prefixed, to merge into a scenario's check. */
export function pythonCheckValues(
  outcome: PythonOutcome | null,
  prefix: string,
): Record<string, number | string | boolean> {
  if (outcome === null || !outcome.ok) return {};
  const values: Record<string, number | string | boolean> = {};
  for (const [key, value] of Object.entries(outcome.check)) values[`${prefix}.${key}`] = value;
  return values;
}

/**
 * Whether the Python side computed the same as Node: every key of `expected` present in
 * the outcome's check equals it. True when Python did not run (nothing to disagree with).
 */
export function pythonAgrees(
  outcome: PythonOutcome | null,
  expected: Readonly<Record<string, number | string | boolean>>,
): boolean {
  if (outcome === null || !outcome.ok) return true;
  for (const [key, value] of Object.entries(expected)) {
    const theirs = outcome.check[key];
    if (theirs === undefined) continue;
    if (typeof value === 'number' && typeof theirs === 'number') {
      if (Math.abs(value - theirs) > 1e-9 * Math.max(1, Math.abs(value))) return false;
    } else if (value !== theirs) {
      return false;
    }
  }
  return true;
}
