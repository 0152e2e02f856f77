/**
 * The README's examples run: every ```ts block of README.md is transpiled with the
 * TypeScript compiler, its `memview` imports pointed at this build, and executed. A block
 * that throws fails the test, so the README cannot drift from the library.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { runNode } from './helpers/child.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const entry = (path: string) => new URL(path, root).href;
// Every entry point the package exports ('memview', 'memview/node', the bridges), from
// package.json's own `exports`, so an example imports what a user's code would.
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, { default: string }>;
};
const ENTRIES: Record<string, string> = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter(([path]) => path !== './package.json')
    .map(([path, target]) => [path.replace(/^\./, 'memview'), entry(target.default)]),
);

/** The ```ts blocks of the README, with the line each starts on. */
function codeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

// Inside the repository, so that an example's other imports (a bridge's library) resolve
// from its node_modules as they would in a user's project.
const dir = mkdtempSync(join(fileURLToPath(new URL('dist/', root)), 'readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('README examples', () => {
  const blocks = codeBlocks(readme);

  test('there are examples to run', () => {
    assert.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
  });

  for (const { line, code } of blocks) {
    test(`the block at README.md line ${line} runs`, async () => {
      const js = ts.transpileModule(code, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
        },
      }).outputText;
      const linked = js.replace(/from (['"])(memview(?:\/[a-z]+)?)\1/g, (_m, _q, name: string) => {
        const target = ENTRIES[name];
        assert.ok(target, `unknown import ${name}`);
        return `from '${target}'`;
      });
      const file = join(dir, `block-${line}.mjs`);
      writeFileSync(file, linked);
      if (/from (['"])ndarray\1/.test(code)) {
        // scijs `ndarray` compiles its classes with `new Function`, which this suite
        // forbids: its example runs in a child Node process that allows it.
        const run = runNode([file]);
        assert.equal(run.status, 0, run.stderr);
        return;
      }
      await import(pathToFileURL(file).href);
    });
  }
});
