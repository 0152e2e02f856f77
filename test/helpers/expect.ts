/** Assertion helpers shared by the hand-written test files. */

import assert from 'node:assert/strict';

/**
 * Asserts that `fn` throws an instance of `type` whose `name` is the class's own (so a
 * RangeError is not taken for an IndexError) and whose message is exactly `message`.
 */
export function expectError(
  fn: () => unknown,
  type: new (...args: never[]) => Error,
  message: string,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    assert.equal((e as Error).name, type.name);
    assert.equal((e as Error).message, message);
    return true;
  });
}
