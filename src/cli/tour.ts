/**
 * `memview tour [scenario ...]`: runs the tour of memview (`runTour` from `src/tour`) —
 * each scenario measured against the copying way, checked for correctness, and written up
 * as a report.
 */

import { runTour, SCENARIO_NAMES, type TourOptions } from '../tour/index.js';
import { flag, type OptionSpec, optionValue, parseArguments, UsageError } from './args.js';
import type { CliContext } from './output.js';

/** The options of `memview tour`. */
export const TOUR_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', takesValue: false },
  { name: 'quick', takesValue: false },
  { name: 'report-dir', takesValue: true },
  { name: 'no-python', takesValue: false },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `memview tour` with the arguments after the subcommand; returns the exit status. */
export async function tourCommand(argv: readonly string[], context: CliContext): Promise<number> {
  const parsed = parseArguments(argv, TOUR_OPTIONS, 'memview tour');
  const unknown = parsed.positionals.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown tour scenario '${unknown[0]}' (scenarios: ${SCENARIO_NAMES.join(', ')})`,
    );
  }
  const reportDir = optionValue(parsed, 'report-dir');
  const options: TourOptions = {
    scenarios: parsed.positionals.length > 0 ? parsed.positionals : undefined,
    json: flag(parsed, 'json'),
    quick: flag(parsed, 'quick'),
    python: !flag(parsed, 'no-python'),
    log: (line) => context.errorLine(line),
    ...(reportDir === undefined ? {} : { reportDir }),
  };
  const result = await runTour(options);
  await context.out.drain();
  return result.scenarios.every((s) => !s.available || s.check.ok) ? 0 : 1;
}
