/**
 * The API reference's examples run: every ```ts block under an `@example` tag in the doc
 * comments of `src/` is run against this build (as README.md's blocks are), so that the
 * examples cannot drift from the library.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { codeBlocks, repoRoot, runExample } from './helpers/examples.js';

/** The `.ts` files under `src/`, relative to the repository's root. */
function sources(dir: string): string[] {
  return readdirSync(new URL(dir, repoRoot), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(`${dir}${entry.name}/`)
      : entry.name.endsWith('.ts')
        ? [`${dir}${entry.name}`]
        : [],
  );
}

/** The ```ts blocks of `@example` tags in `text`'s doc comments, with their lines. */
function examples(text: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const comment = match[0];
    const at = comment.indexOf('@example');
    if (at < 0) continue;
    const offset = text.slice(0, match.index).split('\n').length - 1;
    const lines = comment.split('\n').map((l) => l.replace(/^\s*\*( |$)/, ''));
    const first = comment.slice(0, at).split('\n').length - 1;
    const body = lines.slice(first).join('\n');
    for (const block of codeBlocks(body)) {
      found.push({ line: offset + first + block.line, code: block.code });
    }
  }
  return found;
}

describe('API reference examples', () => {
  const all = sources('src/').flatMap((file) =>
    examples(readFileSync(new URL(file, repoRoot), 'utf8')).map((e) => ({ file, ...e })),
  );

  test('there are examples to run', () => {
    assert.ok(all.length >= 20, `found ${all.length} examples`);
  });

  for (const { file, line, code } of all) {
    test(`the example at ${file}:${line} runs`, async () => {
      await runExample(code, `${file.replace(/[/.]/g, '_')}-${line}`);
    });
  }
});
