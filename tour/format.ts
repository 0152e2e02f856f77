/**
 * Figures as text, the same in the terminal table, the Markdown report and the chart:
 * a value in its row's unit, a ratio, the Python cell, the target cell.
 */

import type { TourRow } from './types.js';

/** Up to 3 significant digits, with thousands separators for large values. */
function sig(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A duration given in nanoseconds: "56 ns", "584 µs", "1.2 s". */
function duration(ns: number): string {
  if (ns < 1e3) return `${sig(ns)} ns`;
  if (ns < 1e6) return `${sig(ns / 1e3)} µs`;
  if (ns < 1e9) return `${sig(ns / 1e6)} ms`;
  return `${sig(ns / 1e9)} s`;
}

/** A byte count: "0 B", "971 B", "593 kB", "1.2 MB" (decimal units). */
function bytes(n: number): string {
  if (n < 1e3) return `${sig(n)} B`;
  if (n < 1e6) return `${sig(n / 1e3)} kB`;
  return `${sig(n / 1e6)} MB`;
}

/** A rate: "1.96 M", "304 k". */
function rate(n: number): string {
  if (n >= 1e6) return `${sig(n / 1e6)} M`;
  if (n >= 1e4) return `${sig(n / 1e3)} k`;
  return sig(n);
}

/** `value` in `unit`, for a table cell; "—" for null or a non-finite value. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ns/op':
      return duration(value);
    case 's':
      return duration(value * 1e9);
    case 'msg/s':
      return `${rate(value)} msg/s`;
    case 'B/msg':
      return `${bytes(value)}/msg`;
    case 'B/ROI':
      return `${bytes(value)}/ROI`;
    case 'MB':
      return bytes(value * 1e6);
    case 'frames/s':
      return `${sig(value)} fps`;
    case 'MB/s':
      return `${sig(value)} MB/s`;
    default:
      return `${sig(value)} ${unit}`;
  }
}

/** A ratio as "10,402×", "1.12×", "∞" (memview's figure is 0), or "—". */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio)) return '—';
  if (!Number.isFinite(ratio)) return '∞';
  return `${sig(ratio)}×`;
}

/** The Python cell: "108 ns · 23.7 µs (220×)", or "not measured: why", or "—". */
export function formatPython(row: TourRow): string {
  const py = row.python;
  if (py === null) return '—';
  if (py.view === null && py.copy === null) return `not measured${py.note ? `: ${py.note}` : ''}`;
  const parts = [formatValue(py.view, row.unit), formatValue(py.copy, row.unit)];
  let text = parts.join(' · ');
  if (py.view !== null && py.copy !== null && py.view > 0 && py.copy > 0) {
    const ratio = row.better === 'lower' ? py.copy / py.view : py.view / py.copy;
    text += ` (${formatRatio(ratio)})`;
  }
  return text;
}

/** The target cell: "≥ 60 frames/s ✓", "≥ 2× ✗", or "" for none. */
export function formatTarget(row: TourRow): string {
  if (row.target === null) return '';
  const mark = row.met === null ? '?' : row.met ? '✓ met' : '✗ missed';
  return `${row.target} ${mark}`;
}

/** The table's columns, in order: header and cell text of a row. */
export const COLUMNS: readonly {
  readonly header: string;
  readonly cell: (row: TourRow) => string;
}[] = [
  { header: 'scenario', cell: (row) => row.scenario },
  { header: 'measure', cell: (row) => row.label },
  { header: 'memview', cell: (row) => formatValue(row.memview, row.unit) },
  { header: 'copying', cell: (row) => formatValue(row.baseline, row.unit) },
  { header: 'memview vs copying', cell: (row) => formatRatio(row.ratio) },
  { header: 'CPython/NumPy: view · copy', cell: formatPython },
  { header: 'article claims', cell: (row) => row.claim },
  { header: 'target', cell: formatTarget },
];
