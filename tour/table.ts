/**
 * The tour's table for the terminal: one line per row, columns padded to their widest
 * cell, then the notes, the checks and where the report went.
 */

import { COLUMNS } from './format.js';
import type { TourResult, TourRow } from './types.js';

/** Display width of a string: its code points (every character the table uses is narrow). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** The rows as an aligned text table with a header and a rule under it. */
export function renderTable(rows: readonly TourRow[]): string {
  const cells = rows.map((row) => COLUMNS.map((column) => column.cell(row)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(width(column.header), ...cells.map((line) => width(line[i]))),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => pad(value, widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.header)), widths.map((w) => '─'.repeat(w)).join('  ')];
  let previous = '';
  for (let i = 0; i < rows.length; i++) {
    const values = [...cells[i]];
    if (rows[i].scenario === previous) values[0] = '';
    previous = rows[i].scenario;
    out.push(line(values));
  }
  return out.join('\n');
}

/** The whole terminal output: title, table, notes, checks, environment, report files. */
export function renderSummary(result: TourResult): string {
  const out: string[] = [];
  out.push(
    `memview tour${result.quick ? ' (quick: small sizes)' : ''} — the memview way against the copying way, in one run`,
  );
  out.push('');
  out.push(renderTable(result.rows));
  const notes = result.rows.filter((row) => row.note !== undefined);
  if (notes.length > 0) {
    out.push('');
    out.push('Notes');
    for (const row of notes) out.push(`  ${row.scenario} · ${row.label}: ${row.note}`);
  }
  out.push('');
  out.push('Checks (both ways computed the same, right, result)');
  for (const scenario of result.scenarios) {
    const mark = scenario.check.ok ? 'ok  ' : 'FAIL';
    out.push(`  ${mark} ${scenario.name}: ${scenario.check.description}`);
  }
  out.push('');
  for (const [key, value] of Object.entries(result.environment)) out.push(`${key}: ${value}`);
  if (result.reportFiles.length > 0) out.push(`report: ${result.reportFiles.join(', ')}`);
  return out.join('\n');
}
