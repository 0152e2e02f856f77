/** Running the built `memview` command line as a child process, for the CLI tests. */

import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built entry point, `dist/src/cli/main.js` (this file runs from `dist/test/helpers`). */
export const CLI_PATH = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** What a run of the command line printed and returned. */
export interface CliRun {
  /** The exit status. */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `memview ...args` with extra environment variables; never rejects on a non-zero exit. */
export function memview(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { env: { ...process.env, ...env }, maxBuffer: 64 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error !== null && typeof code !== 'number') {
          reject(error);
          return;
        }
        resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Runs `memview ...args`, closes its standard output after the first chunk, and resolves
 * to the exit status and what it wrote on standard error.
 */
export function memviewClosingStdout(
  args: readonly string[],
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}
