/**
 * `node:util` for the browser suite. `util.inspect` is Node's; a browser has none, so a test
 * that calls it fails by name (listed in test/runtimes/expected.ts) instead of being left out.
 */

function unavailable(): never {
  throw new Error('util.inspect is a Node API; a browser has none');
}

/** Throws: there is no util.inspect in a browser. */
export const inspect = Object.assign(unavailable, {
  custom: Symbol.for('nodejs.util.inspect.custom'),
});

export default { inspect };
