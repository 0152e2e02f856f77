/**
 * Loading the NumPy-oracle fixtures (scripts/gen_view_numpy_fixtures.py and
 * scripts/gen_field_fixtures.py), whose values JSON cannot hold are tagged:
 * {"$bigint": "<dec>"}, {"$float": "nan"|"inf"|"-inf"|"-0"}, {"$bytes": "<hex>"}.
 */

import { readFileSync } from 'node:fs';
import { fromHex } from './fixtures.js';

const SPECIAL_FLOATS: Record<string, number> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-0': -0,
};

/** A JSON.parse reviver that turns tagged values into bigints, special floats and bytes. */
export function reviveTagged(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { $bigint?: string; $float?: string; $bytes?: string };
    if (tagged.$bigint !== undefined) return BigInt(tagged.$bigint);
    if (tagged.$bytes !== undefined) return fromHex(tagged.$bytes);
    if (tagged.$float !== undefined) return SPECIAL_FLOATS[tagged.$float];
  }
  return value;
}

/** The cases of test/fixtures/view/<name>.json, tagged values revived. */
export function loadTagged<T>(name: string): T[] {
  const url = new URL(`../../../test/fixtures/view/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8'), reviveTagged) as { cases: T[] }).cases;
}
