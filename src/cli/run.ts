/**
 * The `memview` command line: subcommand dispatch, help, version, and the one error
 * report (`memview: error: …`, exit status 2) for every usage mistake.
 */

import { readFileSync } from 'node:fs';
import { UsageError, wantsHelp } from './args.js';
import { INSPECT_HELP, MAIN_HELP } from './help.js';
import type { CliContext } from './output.js';

/** A subcommand: its help text and what runs it. */
interface Command {
  readonly help: string;
  readonly run: (argv: readonly string[], context: CliContext) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  inspect: {
    help: INSPECT_HELP,
    run: async (argv, context) => (await import('./inspect.js')).inspectCommand(argv, context),
  },
};

/** memview's version, from its package.json. */
export function version(): string {
  const url = new URL('../../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return String(pkg.version);
}

/**
 * Runs the command line `argv` (the arguments after `memview`) and returns the exit
 * status: 0 on success, 2 for a usage error (reported on standard error), or what the
 * subcommand returns.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    return await dispatch(argv, context);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    await context.out.drain();
    context.errorLine(`memview: error: ${error.message}`);
    return 2;
  }
}

async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    context.out.write(MAIN_HELP);
    await context.out.drain();
    return 0;
  }
  if (first === '--version' || first === '-V') {
    context.out.line(version());
    await context.out.drain();
    return 0;
  }
  if (first === 'help') {
    if (rest.length > 1)
      throw new UsageError(`unexpected argument '${rest[1]}' for 'memview help'`);
    const topic = rest[0];
    const text = topic === undefined ? MAIN_HELP : commandNamed(topic).help;
    context.out.write(text);
    await context.out.drain();
    return 0;
  }
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option '${first}' (see 'memview --help')`);
  }
  const command = commandNamed(first);
  if (wantsHelp(rest)) {
    context.out.write(command.help);
    await context.out.drain();
    return 0;
  }
  return command.run(rest, context);
}

function commandNamed(name: string): Command {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    const known = Object.keys(COMMANDS).join(', ');
    throw new UsageError(`unknown command '${name}' (commands: ${known}, help)`);
  }
  return command;
}
