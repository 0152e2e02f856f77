/**
 * The README's examples run: every ```ts block of README.md is transpiled with the
 * TypeScript compiler, its `memview` imports pointed at this build, and executed. A block
 * that throws fails the test, so the README cannot drift from the library.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { codeBlocks, repoRoot, runExample } from './helpers/examples.js';

const readme = readFileSync(new URL('README.md', repoRoot), 'utf8');

describe('README examples', () => {
  const blocks = codeBlocks(readme);

  test('there are examples to run', () => {
    assert.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
  });

  for (const { line, code } of blocks) {
    test(`the block at README.md line ${line} runs`, async () => {
      await runExample(code, `readme-${line}`);
    });
  }
});
