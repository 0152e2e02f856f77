/**
 * The text specs of `memview inspect`: `--shape a,b,…` and `--slice SPEC`, turned into the
 * layout layer's shapes and NumPy basic-indexing keys.
 *
 * A slice spec has one part per dimension, separated by commas; each part is an integer
 * (takes that index and drops the dimension, negative counts from the end) or Python's
 * `start:stop:step` with any piece left out (`:`, `::-1`, `10:`, `:5`, `::2`). Missing
 * trailing parts mean the whole dimension, as in NumPy.
 */

import { MAX_NDIM, type SliceBound, type SubKey } from '../layout/index.js';
import { parseInteger, UsageError } from './args.js';

/** Parses `--shape a,b,…`: at most 64 positive integers. */
export function parseShape(text: string): number[] {
  const parts = text.split(',');
  const bad = (why: string) => new UsageError(`bad --shape '${text}': ${why}`);
  if (parts.length > MAX_NDIM) throw bad(`more than ${MAX_NDIM} dimensions`);
  return parts.map((part) => {
    const value = parseInteger(part);
    if (typeof value !== 'number' || value <= 0) {
      throw bad(`'${part.trim()}' is not a positive integer (expected e.g. 4,3)`);
    }
    return value;
  });
}

/** Parses `--slice SPEC` into one `SubKey` per dimension, as `MemoryView.sub` takes them. */
export function parseSlice(text: string): SubKey[] {
  const bad = (why: string) => new UsageError(`bad --slice '${text}': ${why}`);
  return text.split(',').map((rawPart) => {
    const part = rawPart.trim();
    if (!part.includes(':')) {
      const index = parseInteger(part);
      if (index === undefined) {
        throw bad(`'${part}' is neither an integer nor start:stop:step`);
      }
      return index;
    }
    const pieces = part.split(':');
    if (pieces.length > 3) throw bad(`'${part}' has more than three pieces (start:stop:step)`);
    const bounds = pieces.map((piece): SliceBound => {
      if (piece.trim() === '') return null;
      const bound = parseInteger(piece);
      if (bound === undefined) throw bad(`'${piece.trim()}' in '${part}' is not an integer`);
      return bound;
    });
    return bounds as [SliceBound, SliceBound, SliceBound?];
  });
}
