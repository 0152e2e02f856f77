/**
 * The packaging checks (test/package/suite.ts): they pack, install and bundle the package
 * and run it on the other runtimes, all driven from Node. Deno and Bun, which also run
 * this folder, load nothing here, and the browser suite lists the file as Node-only.
 */

const g = globalThis as { Deno?: unknown; Bun?: unknown };
if (g.Deno === undefined && g.Bun === undefined) await import('./package/suite.js');
