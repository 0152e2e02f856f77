/**
 * Command-line parsing shared by the subcommands: options declared up front, `--name value`
 * and `--name=value` spellings, `--` ending the options, and one error class for every
 * mistake a user can make on the command line (reported as `memview: error: …`, exit 2).
 *
 * Values are taken verbatim, even when they start with a dash, so `--slice -5:` and
 * `--offset -1` reach the subcommand (which then says what is wrong with them).
 */

/** A mistake in what the user asked for: reported on one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One option a subcommand accepts. */
export interface OptionSpec {
  /** The long name without dashes: `format` for `--format`. */
  readonly name: string;
  /** True when the option takes a value (`--format FMT`); false for a flag (`--json`). */
  readonly takesValue: boolean;
  /** A one-letter alias without its dash, such as `h` for `-h`. */
  readonly short?: string;
}

/** What `parseArguments` found: option values by long name, and the positional arguments. */
export interface ParsedArguments {
  /** Each option given, by long name: its value, or `true` for a flag. The last one wins. */
  readonly options: ReadonlyMap<string, string | true>;
  /** The arguments that are not options, in order. */
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` (the arguments after the subcommand) against `specs`. Throws a
 * `UsageError` naming `command` for an unknown option, a missing value, or a value given
 * to a flag.
 */
export function parseArguments(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): ParsedArguments {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const unknown = (arg: string) =>
    new UsageError(`unknown option '${arg}' for '${command}' (see '${command} --help')`);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inlineValue: string | undefined;
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
      if (equals >= 0) inlineValue = arg.slice(equals + 1);
      spec = specs.find((s) => s.name === name);
      if (spec === undefined) throw unknown(equals < 0 ? arg : arg.slice(0, equals));
    } else {
      spec = arg.length === 2 ? specs.find((s) => s.short === arg[1]) : undefined;
      if (spec === undefined) throw unknown(arg);
    }
    if (!spec.takesValue) {
      if (inlineValue !== undefined) {
        throw new UsageError(`option '--${spec.name}' takes no value`);
      }
      options.set(spec.name, true);
    } else if (inlineValue !== undefined) {
      options.set(spec.name, inlineValue);
    } else if (i + 1 < argv.length) {
      options.set(spec.name, argv[++i]);
    } else {
      throw new UsageError(`option '--${spec.name}' needs a value`);
    }
  }
  return { options, positionals };
}

/** True when `argv` asks for help (`--help` or `-h`) before any `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** The value of a value-taking option, or `undefined` when it was not given. */
export function optionValue(parsed: ParsedArguments, name: string): string | undefined {
  const value = parsed.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** True when the flag `name` was given. */
export function flag(parsed: ParsedArguments, name: string): boolean {
  return parsed.options.get(name) === true;
}

/**
 * Reads a decimal integer written the way a user types it (`12`, `-3`, `+4`, `1_000`),
 * or `undefined` when `text` is not one. Values beyond 2**53 come back as bigints.
 */
export function parseInteger(text: string): number | bigint | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) return undefined;
  const exact = BigInt(trimmed.replaceAll('_', ''));
  const asNumber = Number(exact);
  return Number.isSafeInteger(asNumber) ? asNumber : exact;
}

/**
 * Reads the value of `option`, a count with no upper bound, as a non-negative safe
 * integer (one beyond 2**53 - 1 counts as 2**53 - 1: no count of anything reaches it), or
 * throws a `UsageError` that quotes it.
 */
export function parseCount(text: string, option: string): number {
  const value = parseInteger(text);
  if (value === undefined || value < 0) {
    throw new UsageError(`bad ${option} '${text}': expected a non-negative integer`);
  }
  return typeof value === 'bigint' ? Number.MAX_SAFE_INTEGER : value;
}
