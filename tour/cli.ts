/**
 * The tour's command line (`run.ts` is its entry point, what `npm start` runs;
 * `npm start -- slice --quick` passes arguments): the scenarios named (all by default),
 * the table on stdout, progress on stderr, and `tour.md` and `tour.svg` in the report
 * folder.
 *
 * The tour lives beside the library, not in it: it is not published, so the installed
 * `memview` command has no `tour`.
 */

import { parseArgs } from 'node:util';
import { runTour, SCENARIO_NAMES } from './index.js';

/** The tour's help, for `--help`. */
export const HELP = `Usage: npm start -- [SCENARIO ...] [options]
       node dist/tour/run.js [SCENARIO ...] [options]

Runs the tour of memview on built-in data: each scenario does a real job the zero-copy
way and the copying way, checks that both computed the same result, and prints a table
of the figures (memview, the copying way, CPython/NumPy when a Python is found, and the
ratio). A report (tour.md, tour.svg) is written to the report directory.

Scenarios: ${SCENARIO_NAMES.join(', ')} (default: all, in that order).

Options:
      --json            print the result as JSON on stdout instead of the table
      --quick           small sizes and short timings (seconds; for tests and CI)
      --report-dir DIR  where tour.md and tour.svg go (default: reports/)
      --no-python       do not run the CPython/NumPy side even when Python is found
  -h, --help            show this help

Progress lines go to standard error. Exit status: 0 when every scenario's check passed,
1 when one failed, 2 for a usage error (such as an unknown option).
`;

const OPTIONS = {
  json: { type: 'boolean' },
  quick: { type: 'boolean' },
  'report-dir': { type: 'string' },
  'no-python': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A mistake on the command line: one line on stderr, exit status 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the tour's command line writes: the table or help, and progress and errors. */
export interface TourIo {
  readonly out: (text: string) => void;
  readonly errorLine: (line: string) => void;
}

const PROCESS_IO: TourIo = {
  out: (text) => process.stdout.write(text),
  errorLine: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the tour with `args` (the arguments after the script) and returns the exit status.
 * Options are checked here rather than by `parseArgs`' strict mode so that the messages
 * are the same on every runtime.
 */
export async function main(args: readonly string[], io: TourIo = PROCESS_IO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.errorLine(`tour: error: ${error.message} (see 'npm start -- --help')`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  const result = await runTour({ ...parsed, output: io.out, log: io.errorLine });
  return result.scenarios.every((s) => !s.available || s.check.ok) ? 0 : 1;
}

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
  });
  for (const [name, value] of Object.entries(values)) {
    const spec = Object.hasOwn(OPTIONS, name) ? OPTIONS[name as keyof typeof OPTIONS] : null;
    if (spec === null) throw new UsageError(`unknown option '${dashes(name)}${name}'`);
    if (spec.type === 'string' && typeof value !== 'string') {
      throw new UsageError(`option '--${name}' needs a value`);
    }
    if (spec.type === 'boolean' && value !== true) {
      throw new UsageError(`option '--${name}' takes no value`);
    }
  }
  if (values.help === true) return 'help' as const;
  const unknown = positionals.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scenario '${unknown[0]}' (scenarios: ${SCENARIO_NAMES.join(', ')})`,
    );
  }
  const reportDir = values['report-dir'];
  return {
    scenarios: positionals.length > 0 ? positionals : undefined,
    json: values.json === true,
    quick: values.quick === true,
    python: values['no-python'] !== true,
    ...(typeof reportDir === 'string' ? { reportDir } : {}),
  };
}

function dashes(name: string): string {
  return name.length === 1 ? '-' : '--';
}
