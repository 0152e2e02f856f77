/**
 * `reports/tour.md`: the tour's table in Markdown, with the notes, each scenario's check
 * (the values compared) and supporting figures, and the chart `tour.svg` embedded.
 */

import { COLUMNS } from './format.js';
import type { TourResult } from './types.js';

/** Escapes a table cell: pipes would end it. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function show(value: number | string | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return Math.round(value).toLocaleString('en-US');
  }
  return value.toPrecision(4);
}

/** The Markdown report of a tour run; `chart` is the SVG's file name next to it. */
export function renderReport(result: TourResult, chart: string): string {
  const out: string[] = [];
  out.push('# memview tour');
  out.push('');
  out.push(
    `memview's way against the copying way, measured in one run${result.quick ? ' (quick mode: small sizes, not the article’s)' : ''}. ` +
      'The CPython/NumPy column shows the zero-copy way · the copying way in Python, and their ratio. ' +
      '"memview vs copying" is how many times better memview is (above 1: better).',
  );
  out.push('');
  out.push(`| ${COLUMNS.map((c) => c.header).join(' | ')} |`);
  out.push(`| ${COLUMNS.map(() => '---').join(' | ')} |`);
  for (const row of result.rows) {
    out.push(`| ${COLUMNS.map((c) => cell(c.cell(row))).join(' | ')} |`);
  }
  out.push('');
  out.push(`![the same figures as a chart](${chart})`);
  const notes = result.rows.filter((row) => row.note !== undefined);
  if (notes.length > 0) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const row of notes) out.push(`- **${row.scenario}** · ${row.label}: ${row.note}`);
  }
  out.push('');
  out.push('## Scenarios');
  for (const scenario of result.scenarios) {
    out.push('');
    out.push(`### ${scenario.name}: ${scenario.title}`);
    out.push('');
    out.push(`Check: **${scenario.check.ok ? 'ok' : 'FAILED'}** — ${scenario.check.description}.`);
    out.push('');
    const values = Object.entries(scenario.check.values);
    if (values.length > 0) {
      out.push(`Compared: ${values.map(([k, v]) => `${k} = ${show(v)}`).join(', ')}.`);
      out.push('');
    }
    const details = Object.entries(scenario.details);
    if (details.length > 0) {
      out.push(`Figures: ${details.map(([k, v]) => `${k} = ${show(v)}`).join(', ')}.`);
    }
  }
  out.push('');
  out.push('## Environment');
  out.push('');
  for (const [key, value] of Object.entries(result.environment)) out.push(`- ${key}: ${value}`);
  out.push('');
  return out.join('\n');
}
