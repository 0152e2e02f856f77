/**
 * Runs documentation examples — README.md's ```ts blocks and the `@example` blocks of the
 * sources' doc comments: each is transpiled with the TypeScript compiler, its `memview`
 * imports pointed at this build, written to a file and imported.
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { runNode } from './child.js';

/** The repository's root, as a URL ending in `/`. */
export const repoRoot = new URL('../../../', import.meta.url);

const entry = (path: string) => new URL(path, repoRoot).href;
// Every entry point the package exports ('memview', 'memview/node', the bridges), from
// package.json's own `exports`, so an example imports what a user's code would.
const pkg = JSON.parse(readFileSync(new URL('package.json', repoRoot), 'utf8')) as {
  exports: Record<string, { default: string }>;
};
const ENTRIES: Record<string, string> = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter(([path]) => path !== './package.json')
    .map(([path, target]) => [path.replace(/^\./, 'memview'), entry(target.default)]),
);

// Inside the repository, so that an example's other imports (a bridge's library) resolve
// from its node_modules as they would in a user's project.
const dir = mkdtempSync(join(fileURLToPath(new URL('dist/', repoRoot)), 'examples-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The ```ts blocks of `text` (lines already stripped of any comment prefix). */
export function codeBlocks(text: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = text.split('\n');
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

/** Transpiles `code`, links its imports to this build and runs it as the file `name`. */
export async function runExample(code: string, name: string): Promise<void> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const linked = js.replace(/from (['"])(memview(?:\/[a-z]+)?)\1/g, (_m, _q, module: string) => {
    const target = ENTRIES[module];
    assert.ok(target, `unknown import ${module}`);
    return `from '${target}'`;
  });
  // Bun runs a helper's `after` when the first test file using it ends: made again then.
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, linked);
  if (/from (['"])(memview\/)?ndarray\1/.test(code)) {
    // scijs `ndarray` (which `memview/ndarray` makes arrays of) compiles its classes with
    // `new Function`, which this suite forbids: its example runs in a child Node process
    // that allows it.
    const run = runNode([file]);
    assert.equal(run.status, 0, run.stderr);
    return;
  }
  await import(pathToFileURL(file).href);
}
