/**
 * `reports/tour.svg`: the tour's figures as a bar chart, hand-written SVG (no dependency).
 *
 * One panel per row of the table: its label, then a bar for each figure it has — memview,
 * the copying way, and Python's view and copy — scaled to the largest figure of that row
 * (rows have different units, so each is its own scale), with the value printed beside it.
 */

import { formatRatio, formatValue } from './format.js';
import type { TourRow } from './types.js';

const WIDTH = 960;
const LEFT = 190;
const BAR_AREA = 560;
const BAR = 13;
const GAP = 4;
const TITLE = 22;
const PANEL_GAP = 14;

/** The series of the chart, in order, with their colours. */
const SERIES = [
  { name: 'memview', color: '#2563eb', pick: (row: TourRow) => row.memview },
  { name: 'copying (Node)', color: '#ea580c', pick: (row: TourRow) => row.baseline },
  {
    name: 'CPython/NumPy: zero-copy',
    color: '#16a34a',
    pick: (row: TourRow) => row.python?.view ?? null,
  },
  {
    name: 'CPython/NumPy: copying',
    color: '#a3a3a3',
    pick: (row: TourRow) => row.python?.copy ?? null,
  },
] as const;

/** Escapes text for SVG. */
function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The chart of `rows`, as an SVG document. */
export function renderChart(rows: readonly TourRow[], title: string): string {
  const parts: string[] = [];
  let y = 56;
  for (const row of rows) {
    const bars = SERIES.map((series) => ({ series, value: series.pick(row) })).filter(
      (bar): bar is { series: (typeof SERIES)[number]; value: number } =>
        bar.value !== null && Number.isFinite(bar.value),
    );
    const better = row.better === 'lower' ? 'lower is better' : 'higher is better';
    const ratio = row.ratio === null ? '' : ` — memview vs copying: ${formatRatio(row.ratio)}`;
    parts.push(
      `<text x="12" y="${y + 14}" class="label">${esc(`${row.scenario} · ${row.label}`)}</text>`,
      `<text x="${WIDTH - 12}" y="${y + 14}" class="hint" text-anchor="end">${esc(`${better}${ratio}`)}</text>`,
    );
    y += TITLE;
    if (bars.length === 0) {
      parts.push(
        `<text x="${LEFT}" y="${y + BAR - 2}" class="hint">${esc(row.note ?? 'not measured')}</text>`,
      );
      y += BAR + GAP;
    }
    const max = Math.max(...bars.map((bar) => bar.value), 0);
    for (const { series, value } of bars) {
      const length = max > 0 ? Math.max(1, (value / max) * BAR_AREA) : 1;
      parts.push(
        `<text x="${LEFT - 8}" y="${y + BAR - 2}" class="series" text-anchor="end">${esc(series.name)}</text>`,
        `<rect x="${LEFT}" y="${y}" width="${length.toFixed(1)}" height="${BAR}" fill="${series.color}" rx="2"/>`,
        `<text x="${(LEFT + length + 6).toFixed(1)}" y="${y + BAR - 2}" class="value">${esc(formatValue(value, row.unit))}</text>`,
      );
      y += BAR + GAP;
    }
    y += PANEL_GAP;
  }
  const height = y + 8;
  const legend = SERIES.map(
    (series, i) =>
      `<rect x="${12 + i * 200}" y="30" width="12" height="12" fill="${series.color}" rx="2"/>` +
      `<text x="${30 + i * 200}" y="40" class="series">${esc(series.name)}</text>`,
  ).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(title)}">`,
    '<style>text{font-family:system-ui,-apple-system,Segoe UI,sans-serif;fill:#1f2937}.title{font-size:16px;font-weight:600}.label{font-size:13px;font-weight:600}.hint{font-size:11px;fill:#6b7280}.series{font-size:11px}.value{font-size:11px;fill:#374151}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" class="title">${esc(title)}</text>`,
    legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
