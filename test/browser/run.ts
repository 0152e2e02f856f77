/**
 * The browser suite: the runtime-neutral test files (those that need no Node API beyond
 * the shims in ./shims), the platform tests and ./dom.test.js, bundled with esbuild and run
 * in headless Chromium from a loopback server whose CSP has no 'unsafe-eval', with
 * README.md's ```ts browser examples as a test file of their own; the Web
 * Worker dom.test.js starts (./web-worker.js) is bundled on its own and served beside it.
 */

import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from '../runtimes/results.js';

/*
 * esbuild and playwright-core are loaded when the browser suite runs, and typed here by the
 * little of them it uses, so that type-checking the repository does not need them installed.
 */
interface BuildResult {
  outputFiles: { path: string; text: string }[];
}
interface PluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string }) => { path: string } | { errors: { text: string }[] },
  ): void;
}
interface Plugin {
  name: string;
  setup(build: PluginBuild): void;
}
interface Page {
  on(event: 'console', listener: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (e: Error) => void): void;
  exposeFunction(name: string, fn: (json: string) => void): Promise<void>;
  goto(url: string): Promise<unknown>;
}
interface BrowserContext {
  browser(): { version(): string } | null;
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
const ESBUILD: string = 'esbuild';
const PLAYWRIGHT: string = 'playwright-core';
const { build } = (await import(ESBUILD)) as { build(options: object): Promise<BuildResult> };
const { chromium } = (await import(PLAYWRIGHT)) as {
  chromium: {
    launchPersistentContext(dir: string, options: object): Promise<BrowserContext>;
  };
};

/** Debian's chromium package. */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // window.gc, for the tests of release by garbage collection (Node runs them under --expose-gc).
  '--js-flags=--expose-gc',
];

/** Every response carries these: no 'unsafe-eval'; isolation, for SharedArrayBuffer. */
const HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
};

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SHIMS: Record<string, string> = {
  'node:test': join(HERE, 'shims', 'test.js'),
  'node:assert': join(HERE, 'shims', 'assert.js'),
  'node:assert/strict': join(HERE, 'shims', 'assert.js'),
  'node:fs': join(HERE, 'shims', 'fs.js'),
  'node:util': join(HERE, 'shims', 'util.js'),
};

/** Node's built-ins become the shims; any other one makes the file Node-only. */
const shims: Plugin = {
  name: 'node-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const shim = SHIMS[args.path];
      if (shim !== undefined) return { path: shim };
      return { errors: [{ text: `imports ${args.path}` }] };
    });
  },
};

/** Where the Web Worker's bundle is served (dom.test.ts starts it from there). */
const WORKER_PATH = '/web-worker.js';

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>memview browser suite</title>' +
  '<script type="module" src="/dist/test/suite-entry.js"></script>';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.html': 'text/html',
  '.wasm': 'application/wasm',
};

/** What the browser run found. */
export interface BrowserRun {
  label: string;
  log: string;
  outcomes: Outcome[];
  /** Test files left out, each with the Node API it imports. */
  nodeOnly: string[];
  errors: string[];
}

async function bundles(file: string): Promise<string | null> {
  try {
    await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      plugins: [shims],
      logLevel: 'silent',
    });
    return null;
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors ?? [];
    return [...new Set(errors.map((e) => e.text))].join(', ') || String(error);
  }
}

function serve(root: string, served: Map<string, string>) {
  const base = normalize(root);
  return createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { ...HEADERS, 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, 'text/html', PAGE);
    const built = served.get(url.pathname);
    if (built !== undefined) return send(200, 'text/javascript', built);
    const path = normalize(join(base, decodeURIComponent(url.pathname)));
    const allowed = [
      join(base, 'dist') + sep,
      join(base, 'test', 'fixtures') + sep,
      join(base, 'test', 'runtimes') + sep,
    ];
    if (!allowed.some((dir) => path.startsWith(dir)) || !existsSync(path))
      return send(404, 'text/plain', 'not found');
    send(200, TYPES[extname(path)] ?? 'application/octet-stream', readFileSync(path));
  });
}

/**
 * The fence of README.md's browser examples: GitHub highlights it as TypeScript, and the
 * Node runner of the README's examples (test/helpers/examples.ts) takes only bare ```ts.
 */
export const BROWSER_FENCE = '```ts browser';

/** README.md's ```ts browser blocks, each with the line its code starts on. */
export function browserBlocks(readme: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== BROWSER_FENCE) continue;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * Writes each of README.md's browser examples to a module of its own, its `memview`
 * imports pointed at this build (package.json's `exports`), and a test file that imports
 * each in the page: a block that throws fails its test, and a README without one fails too.
 * The blocks are bundled like the tests, so nothing is evaluated from a string.
 */
function writeReadmeExamples(root: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, { default?: string }>;
  };
  const target = (module: string): string => {
    const file = pkg.exports[module.replace(/^memview/, '.')]?.default;
    if (file === undefined) throw new Error(`README.md's browser example imports ${module}`);
    return join(root, file);
  };
  const blocks = browserBlocks(readme);
  const tests: string[] = [];
  for (const { line, code } of blocks) {
    const module = join(HERE, `readme-browser-${line}.ts`);
    const linked = code.replace(
      /from (['"])(memview(?:\/[a-z]+)?)\1/g,
      (_m, _q, name: string) => `from ${JSON.stringify(target(name))}`,
    );
    writeFileSync(module, `${linked}\nexport {};\n`);
    tests.push(
      `  test(${JSON.stringify(`the block at README.md line ${line} runs`)}, async () => {`,
      `    await import(${JSON.stringify(module)});`,
      '  });',
    );
  }
  const file = join(HERE, 'readme-browser.test.js');
  writeFileSync(
    file,
    [
      `import { describe, test } from ${JSON.stringify(SHIMS['node:test'])};`,
      "describe('README browser examples', () => {",
      `  test(${JSON.stringify(`README.md has ${BROWSER_FENCE} blocks`)}, () => {`,
      `    if (${blocks.length} === 0) throw new Error(${JSON.stringify(`no ${BROWSER_FENCE} block in README.md`)});`,
      '  });',
      ...tests,
      '});',
      '',
    ].join('\n'),
  );
  return file;
}

/** Bundles, serves and runs the browser suite; `log` receives the page's console. */
export async function runChromium(root: string, log: string): Promise<BrowserRun> {
  writeFileSync(log, '');
  const note = (line: string) => appendFileSync(log, `${line}\n`);
  const errors: string[] = [];
  const nodeOnly: string[] = [];
  const candidates = [
    ...readdirSync(join(root, 'dist/test'))
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => join(root, 'dist/test', f)),
    join(root, 'dist/test/runtimes/platform.test.js'),
    join(HERE, 'dom.test.js'),
  ];
  const files: string[] = [];
  for (const file of candidates) {
    const why = await bundles(file);
    if (why === null) files.push(file);
    else nodeOnly.push(`${file.slice(root.length)} (${why})`);
  }
  // Not offered to the Node-only filter: a README example that cannot be bundled fails the run.
  files.push(writeReadmeExamples(root));
  // Each file loads on its own, so one whose top level throws fails by name alone.
  const entryFile = join(HERE, 'suite-entry.js');
  writeFileSync(
    entryFile,
    [
      `import { run, test } from ${JSON.stringify(SHIMS['node:test'])};`,
      'const files = [',
      ...files.map(
        (f) => `  [${JSON.stringify(f.slice(root.length))}, () => import(${JSON.stringify(f)})],`,
      ),
      '];',
      'const report = (json) => globalThis.memviewReport(json);',
      'for (const [name, load] of files) {',
      '  try {',
      '    await load();',
      '  } catch (error) {',
      "    test(name + ' loads', () => { throw error; });",
      '  }',
      '}',
      'run((line) => console.log(line)).then(',
      '  (outcomes) => report(JSON.stringify(outcomes)),',
      "  (error) => report(JSON.stringify([{ name: '(the suite)', status: 'fail', message: String(error?.stack ?? error) }])),",
      ');',
      '',
    ].join('\n'),
  );
  // What the page's bundle and the worker's have in common: ES modules for the browser,
  // kept in memory and served from there.
  const bundled = {
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    plugins: [shims],
    logLevel: 'silent',
  } as const;
  const out = await build({
    ...bundled,
    entryPoints: [entryFile],
    outdir: join(root, 'dist/test'),
    entryNames: '[name]',
    // Chunks stay beside the entry: the tests find their fixtures relative to import.meta.url.
    chunkNames: '[name]-[hash]',
    splitting: true,
    inject: [join(HERE, 'shims', 'buffer.js')],
  });
  const served = new Map<string, string>();
  for (const f of out.outputFiles)
    served.set(`/${f.path.slice(root.length).split(sep).join('/').replace(/^\/+/, '')}`, f.text);
  // The Web Worker of dom.test.js: a bundle of its own, started as a module worker from
  // this origin (so the CSP's worker-src 'self' and the isolation headers apply to it).
  const worker = await build({ ...bundled, entryPoints: [join(HERE, 'web-worker.js')] });
  served.set(WORKER_PATH, worker.outputFiles[0].text);
  const server = serve(root, served);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const profile = mkdtempSync(join(tmpdir(), 'memview-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  let label = 'chromium';
  let outcomes: Outcome[] = [];
  try {
    label = `chromium ${context.browser()?.version() ?? ''}`.trim();
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => note(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => {
      note(`[pageerror] ${e.stack ?? e.message}`);
      errors.push(`uncaught in the page: ${e.message}`);
    });
    let resolveReport: (json: string) => void = () => {};
    const reported = new Promise<string>((resolve) => {
      resolveReport = resolve;
    });
    await page.exposeFunction('memviewReport', (json: string) => resolveReport(json));
    await page.goto(`http://127.0.0.1:${port}/`);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('the page reported no results within 5 minutes')),
        300_000,
      ).unref(),
    );
    outcomes = JSON.parse(await Promise.race([reported, timeout])) as Outcome[];
  } catch (error) {
    errors.push(String(error));
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { label, log, outcomes, nodeOnly, errors };
}
