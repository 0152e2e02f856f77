/**
 * How the peers suite times a row: its cases (memview and the references it is held
 * against) are measured in turn, in one process, for `ROUNDS` rounds (memview, peer,
 * memview, peer, …), so drift in the machine's load hits every side alike. A case's figure
 * is the median of its round medians; `min`/`max` are the smallest and largest round
 * median (the spread); `n` is the number of rounds.
 */

import { measure } from 'mitata';
import { type Figure, type Figures, median, type Unit } from './harness.js';

export const ROUNDS = 3;

/** One case of a row. */
export interface Case {
  readonly id: string;
  /** One timed call; a loop returns its checksum. */
  readonly run: () => unknown;
  readonly unit: Unit;
  /** Operations per call: records for `M rec/s`, elements or calls for `ns/op`. */
  readonly ops: number;
  /** The checksum, computed after timing (else the last call's numeric result). */
  readonly check?: () => number;
  /** Untimed setup before each round of this case (e.g. zeroing a target). */
  readonly before?: () => void;
}

/** mitata options: enough samples per round for a stable median, within the time budget. */
export interface Budget {
  readonly minSamples: number;
  readonly minCpuNs: number;
}

export const LOOP_BUDGET: Budget = { minSamples: 5, minCpuNs: 200e6 };
export const CALL_BUDGET: Budget = { minSamples: 12, minCpuNs: 200e6 };
/** For calls of a second or so (the largest strided copies). */
export const BIG_BUDGET: Budget = { minSamples: 3, minCpuNs: 0 };

/** ns per call → the figure's unit. */
function toUnit(unit: Unit, ops: number, ns: number): number {
  return unit === 'M rec/s' ? (ops / ns) * 1e3 : ns / ops;
}

/** Measures a row's cases, interleaved over `ROUNDS` rounds; adds their figures. */
export async function measureRow(
  cases: readonly Case[],
  budget: Budget,
  figures: Figures,
  log: (line: string) => void,
): Promise<void> {
  const perRound = new Map<string, number[]>();
  const checks = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      c.before?.();
      let last: unknown;
      const run = c.run;
      const stats = await measure(
        () => {
          last = run();
        },
        { min_samples: budget.minSamples, min_cpu_time: budget.minCpuNs },
      );
      const values = perRound.get(c.id) ?? [];
      values.push(toUnit(c.unit, c.ops, stats.p50));
      perRound.set(c.id, values);
      const check = c.check !== undefined ? c.check() : typeof last === 'number' ? last : undefined;
      if (check !== undefined) checks.set(c.id, check);
    }
  }
  for (const c of cases) {
    const values = perRound.get(c.id) ?? [];
    const f: Figure = {
      value: median(values),
      unit: c.unit,
      n: values.length,
      min: Math.min(...values),
      max: Math.max(...values),
      ...(checks.has(c.id) ? { check: checks.get(c.id) } : {}),
    };
    figures[c.id] = f;
    const spread = values.map((v) => v.toPrecision(3)).join(', ');
    log(
      `  ${c.id}: ${f.value.toPrecision(3)} ${c.unit} [${spread}]${f.check === undefined ? '' : ` check ${f.check}`}`,
    );
  }
}
