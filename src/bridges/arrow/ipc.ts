/** Arrow IPC from views: the columns go to Arrow's own writer without a copy before it. */
import { tableToIPC } from 'apache-arrow';
import { fromCall } from '../../errors.js';
import type { MemoryView } from '../../index.js';
import { toArrowTable } from './vector.js';

/**
 * Arrow IPC bytes (`'stream'`, the default, or `'file'`) of a table whose columns are the
 * views (`toArrowTable`, zero-copy): Arrow's writer copies each column once, into the
 * message it serialises — the only copy. Any Arrow reader (`tableFromIPC`, DuckDB,
 * Polars, pyarrow) reads the result.
 */
export function toArrowIPC(
  columns: Readonly<Record<string, MemoryView>>,
  format: 'stream' | 'file' = 'stream',
): Uint8Array {
  try {
    return tableToIPC(toArrowTable(columns), format);
  } catch (error) {
    throw fromCall(error, toArrowIPC);
  }
}
