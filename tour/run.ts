/**
 * The tour's entry point, what `npm start` runs after the build: `node dist/tour/run.js
 * [SCENARIO ...] [options]` (see `cli.ts`).
 */

import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`tour: internal error: ${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
