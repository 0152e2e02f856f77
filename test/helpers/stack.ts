/**
 * Checks that an error memview throws starts its stack at the user's call: the class and
 * message, and, where the engine trims stacks (`Error.captureStackTrace`), a first frame
 * that is the caller's (a function here named `userCall`, or the test file's arrow
 * function), not one of memview's.
 */

import assert from 'node:assert/strict';

const trims = typeof (Error as { captureStackTrace?: unknown }).captureStackTrace === 'function';

// The caller's frames: `userCall` below, this file, or the test files' own (engines with
// proper tail calls drop the frames of `return f()` and of arrow functions' bodies).
const USER = /userCall|errors\.stack|helpers[/\\]stack/;

/** The first `at` line of `error`'s stack. */
export function firstFrame(error: Error): string {
  const frame = (error.stack ?? '').split('\n').find((line) => /^\s+at /.test(line));
  return frame ?? '';
}

function check(
  caught: unknown,
  type: new (...args: never[]) => Error,
  message: string | RegExp,
): void {
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  assert.equal(caught.name, type.name);
  if (typeof message === 'string') {
    assert.equal(caught.message, message);
    assert.ok(caught.stack?.startsWith(`${type.name}: ${message}\n`), caught.stack);
  } else {
    assert.match(caught.message, message);
  }
  if (!trims) return;
  const frame = firstFrame(caught);
  assert.match(frame, USER, caught.stack);
  assert.doesNotMatch(frame, /[/\\]src[/\\]/, caught.stack);
}

/**
 * Calls `call` from a function named `userCall` and checks the error it throws: its class,
 * its message (CPython 3.13's where CPython has one) and its first stack frame.
 */
export function expectFromUser(
  call: () => unknown,
  type: new (...args: never[]) => Error,
  message: string,
): void {
  function userCall(): unknown {
    return call();
  }
  let caught: unknown;
  try {
    userCall();
  } catch (error) {
    caught = error;
  }
  check(caught, type, message);
}

/**
 * `expectFromUser` for a promise: awaits `call()` in a function named `userCall` and
 * checks the rejection the same way (an async stack's first frame is `async userCall`).
 */
export async function expectFromUserAsync(
  call: () => Promise<unknown>,
  type: new (...args: never[]) => Error,
  message: string | RegExp,
): Promise<void> {
  async function userCall(): Promise<unknown> {
    const result = await call();
    return result;
  }
  let caught: unknown;
  try {
    await userCall();
  } catch (error) {
    caught = error;
  }
  check(caught, type, message);
}
