/** Running a script in a child Node process, from any runtime the suite runs on. */

import { type SpawnSyncReturns, spawnSync } from 'node:child_process';

/** Node's executable: this one on Node; on Deno and Bun (whose `execPath` is their own), `node`. */
export const NODE =
  'Deno' in globalThis || process.versions.bun !== undefined ? 'node' : process.execPath;

/**
 * Runs `node ...args` to the end. The test runner's own variable is left out, so that a
 * child `--test` prints its summary instead of reporting to this process's runner.
 */
export function runNode(args: readonly string[]): SpawnSyncReturns<string> {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return spawnSync(NODE, args, { encoding: 'utf8', env });
}
