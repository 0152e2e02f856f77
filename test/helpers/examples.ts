/**
 * Runs documentation examples (README.md's ```ts blocks, the `@example` blocks of the
 * sources' doc comments): each is transpiled with the TypeScript compiler, its `memview`
 * imports pointed at this build, written to a temporary folder and imported.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = new URL('../../../', import.meta.url);
const entry = (path: string) => new URL(path, root).href;
const ENTRIES: Record<string, string> = {
  memview: entry('dist/src/index.js'),
  'memview/node': entry('dist/src/node/index.js'),
  'memview/arrow': entry('dist/src/bridges/arrow/index.js'),
  // The blocks run from a temporary folder, where no node_modules would resolve it.
  'apache-arrow': import.meta.resolve('apache-arrow'),
};

const dir = mkdtempSync(join(tmpdir(), 'memview-examples-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The repository's root, as a URL ending in `/`. */
export const repoRoot = root;

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

/** Transpiles `code`, links its imports to this build and runs it as module `name`. */
export async function runExample(code: string, name: string): Promise<void> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const linked = js.replace(
    /from (['"])(memview(?:\/[a-z]+)?|apache-arrow)\1/g,
    (_m, _q, module: string) => {
      const target = ENTRIES[module];
      assert.ok(target, `unknown import ${module}`);
      return `from '${target}'`;
    },
  );
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, linked);
  await import(pathToFileURL(file).href);
}
