/**
 * The peers suite's chart and README table, from one or more results files:
 * `node dist/bench/peers-chart.js [bench/results/peers.json …]` writes `bench/peers.svg` and
 * prints the Markdown table. With several files (several runs of `run.js peers`), each
 * figure is the median of the runs' figures and each ratio the median of the runs' ratios,
 * with the per-run values beside it.
 *
 * The chart is hand-written SVG (no dependency): one bar per row, memview's time as a
 * multiple of the reference's (1× = as fast; left of it memview is faster), on a log scale,
 * with the target marked. Green: meets the target; red: misses it; grey: no target.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, type Row, repoRoot } from './harness.js';

interface Results {
  readonly date: string;
  readonly node: string;
  readonly cpython: { readonly version?: string };
  readonly rows: readonly Row[];
}

/** A row over the runs: medians, and each run's ratio. */
interface Merged {
  readonly row: Row;
  readonly memview: number | null;
  readonly reference: number | null;
  readonly ratio: number | null;
  readonly ratios: readonly number[];
  /** The speed-up the row asks for, or null. */
  readonly target: number | null;
  readonly result: string;
}

/** The median, or null when no run has the figure. */
const medianOf = (xs: readonly number[]): number | null => (xs.length === 0 ? null : median(xs));

const numbers = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null);

function merge(runs: readonly Results[]): Merged[] {
  return runs[0].rows.map((row, i) => {
    const rows = runs.map((r) => r.rows[i]);
    const ratios = numbers(rows.map((r) => r.ratio));
    const ratio = medianOf(ratios);
    const fromCpython = row.hasCpython && row.peerName === null;
    const reference = medianOf(numbers(rows.map((r) => (fromCpython ? r.cpython : r.peer))));
    const target = row.target.includes('×') ? Number.parseFloat(row.target.replace('≥', '')) : null;
    let result = row.result === 'info' ? 'info' : 'not measured';
    if (target !== null && ratio !== null) result = ratio >= target ? 'pass' : 'FAIL';
    if (row.target.includes('rec/s')) {
      const m = medianOf(numbers(rows.map((r) => r.memview)));
      const absolute = Number.parseFloat(row.target.replace('≥', ''));
      result = m === null ? 'not measured' : m >= absolute ? 'pass' : 'FAIL';
    }
    return {
      row,
      memview: medianOf(numbers(rows.map((r) => r.memview))),
      reference,
      ratio,
      ratios,
      target,
      result,
    };
  });
}

const sub = (xs: readonly number[]) =>
  xs.length > 1 ? ` <sub>[${xs.map(fmt).join(', ')}]</sub>` : '';

/** "≥ 0.667×" as the issue states it: "≤ 1.5× the reference's time". */
function targetText(m: Merged): string {
  if (m.target === null) return m.row.target;
  const multiple = 1 / m.target;
  const time = `≤ ${multiple >= 1 ? multiple.toFixed(1) : multiple.toFixed(2)}×`;
  return m.target > 1 ? `${time} (≥ ${m.target}× faster)` : time;
}

/** A figure with its unit: rates as they are, times in ns, µs or ms. */
function withUnit(value: number, unit: string): string {
  if (unit !== 'ns/op') return `${fmt(value)} ${unit}`;
  if (value >= 1e6) return `${fmt(value / 1e6)} ms`;
  if (value >= 1e4) return `${fmt(value / 1e3)} µs`;
  return `${fmt(value)} ns`;
}

/** The Markdown table of the merged rows. */
export function markdown(merged: readonly Merged[]): string {
  const lines = [
    '| case | memview | reference | memview ÷ reference time | target | result |',
    '|---|--:|--:|--:|---|---|',
  ];
  for (const m of merged) {
    const r = m.row;
    const refName = r.peerName ?? (r.hasCpython ? 'CPython' : '');
    const ref = m.reference === null ? '—' : `${withUnit(m.reference, r.unit)} (${refName})`;
    // Time multiple: the inverse of the speed-up; per-run values beside it.
    const times = m.ratio === null ? '—' : `${fmt(1 / m.ratio)}×${sub(m.ratios.map((x) => 1 / x))}`;
    const result = m.result === 'pass' || m.result === 'FAIL' ? `**${m.result}**` : m.result;
    lines.push(
      `| ${r.label} | ${m.memview === null ? '—' : withUnit(m.memview, r.unit)} | ${ref} | ${times} | ${targetText(m)} | ${result} |`,
    );
  }
  return lines.join('\n');
}

const WIDTH = 960;
const LEFT = 430;
const PLOT = 470;
const BAR = 12;
const STEP = 18;
const TOP = 70;
/** Log scale from 1/16 to 512: memview's time as a multiple of the reference's. */
const LO = Math.log2(1 / 16);
const HI = Math.log2(512);

const esc = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const xOf = (multiple: number) => {
  const t = (Math.log2(Math.min(Math.max(multiple, 2 ** LO), 2 ** HI)) - LO) / (HI - LO);
  return LEFT + t * PLOT;
};

/** The chart of the rows that have a ratio, as an SVG document. */
export function chart(
  merged: readonly Merged[],
  title: string,
  subtitle: readonly string[],
): string {
  const rows = merged.filter((m) => m.ratio !== null);
  const height = TOP + rows.length * STEP + 40;
  const parts: string[] = [];
  for (let e = LO; e <= HI; e++) {
    const x = xOf(2 ** e).toFixed(1);
    const label = e < 0 ? `1/${2 ** -e}` : `${2 ** e}`;
    parts.push(
      `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${height - 30}" stroke="${e === 0 ? '#374151' : '#e5e7eb'}"/>`,
      `<text x="${x}" y="${height - 16}" class="hint" text-anchor="middle">${label}×</text>`,
    );
  }
  rows.forEach((m, i) => {
    const y = TOP + i * STEP;
    const multiple = 1 / (m.ratio as number);
    const color = m.result === 'pass' ? '#16a34a' : m.result === 'FAIL' ? '#dc2626' : '#9ca3af';
    const x0 = xOf(1);
    const x1 = xOf(multiple);
    const left = Math.min(x0, x1);
    const width = Math.max(1, Math.abs(x1 - x0));
    parts.push(
      `<text x="${LEFT - 8}" y="${y + BAR - 2}" class="series" text-anchor="end">${esc(m.row.label)}</text>`,
      `<rect x="${left.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${color}" rx="2"/>`,
      `<text x="${(Math.max(x0, x1) + 4).toFixed(1)}" y="${y + BAR - 2}" class="value">${fmt(multiple)}×</text>`,
    );
    if (m.target !== null) {
      const xt = xOf(1 / m.target).toFixed(1);
      parts.push(
        `<line x1="${xt}" y1="${y - 2}" x2="${xt}" y2="${y + BAR + 2}" stroke="#111827" stroke-width="2"/>`,
      );
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(title)}">`,
    '<style>text{font-family:system-ui,-apple-system,Segoe UI,sans-serif;fill:#1f2937}.title{font-size:15px;font-weight:600}.hint{font-size:10px;fill:#6b7280}.series{font-size:10.5px}.value{font-size:10px;fill:#374151}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" class="title">${esc(title)}</text>`,
    ...subtitle.map(
      (line, i) => `<text x="12" y="${36 + 12 * i}" class="hint">${esc(line)}</text>`,
    ),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function main(): void {
  const root = repoRoot();
  const files = process.argv.slice(2);
  const paths = files.length > 0 ? files : [join(root, 'bench', 'results', 'peers.json')];
  const runs = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Results);
  const merged = merge(runs);
  const when = runs.map((r) => r.date.slice(0, 16).replace('T', ' ')).join(', ');
  const subtitle = [
    "memview's time ÷ the reference's, log scale (left of 1×: memview is faster); black tick: the target; " +
      'green: meets it, red: misses it, grey: no target.',
    `Median of ${runs.length} run(s) of \`node --expose-gc dist/bench/run.js peers\` (${when} UTC).`,
  ];
  const svg = chart(merged, 'memview vs hand-written code, JS peers and CPython 3.13', subtitle);
  writeFileSync(join(root, 'bench', 'peers.svg'), svg);
  console.log(markdown(merged));
}

main();
