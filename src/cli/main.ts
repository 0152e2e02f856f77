#!/usr/bin/env node
/**
 * The `memview` executable: runs the command line with the process's streams and sets the
 * exit status. A closed standard output (`memview inspect … | head`) ends the run quietly.
 */

import { Output } from './output.js';
import { runCli } from './run.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), {
  out: new Output(process.stdout),
  errorLine: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`memview: internal error: ${detail}\n`);
    process.exitCode = 1;
  },
);
