/**
 * Runs the built suite (dist/) on other runtimes: the newest Node, Deno and Bun (their
 * npm packages ship the binaries), and the runtime-neutral part in headless Chromium.
 * Each runtime's results are checked against test/runtimes/expected.ts: a listed failure
 * is printed by name with its reason; anything else that fails or is skipped fails the run.
 *
 *   node dist/test/runtimes/run.js [node|node-latest|deno|bun|chromium ...]
 */

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPECTED, type Expectation, type RuntimeId } from './expected.js';
import { type Outcome, parseJUnit } from './results.js';

/** The newest Node release on the npm registry's `node` package when this was pinned. */
export const NODE_LATEST = '26.10.0';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const LOGS = mkdtempSync(join(tmpdir(), 'memview-runtimes-'));

function testFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => `./${folder}/${f}`);
}

/** The whole suite `npm test` runs, plus the runtime tests (platform APIs). */
function suite(): string[] {
  return [...testFiles('dist/test'), ...testFiles('dist/test/runtimes')];
}

interface Runtime {
  id: RuntimeId;
  /** Prints the runtime's version (one line). */
  version: [string, string[]];
  /** The command that runs the tests and writes JUnit XML to `junit`. */
  command(junit: string): [string, string[]];
  /** How many outer <testsuite> levels name files. */
  dropSuites: number;
  /** Deno writes todo and skipped tests alike, as a bare <skipped/>. */
  bareSkipIsTodo?: boolean;
}

const V8_FLAGS = ['--expose-gc', '--disallow-code-generation-from-strings'];
const NPX_NODE = ['-y', `node@${NODE_LATEST}`];

const RUNTIMES: Record<Exclude<RuntimeId, 'chromium'>, Runtime> = {
  // `npm test` runs the suite on this Node; only the runtime tests are added here.
  node: {
    id: 'node',
    version: [process.execPath, ['--version']],
    command: (junit) => [
      process.execPath,
      [...V8_FLAGS, ...nodeTest(junit), ...testFiles('dist/test/runtimes')],
    ],
    dropSuites: 0,
  },
  'node-latest': {
    id: 'node-latest',
    version: ['npx', [...NPX_NODE, '--version']],
    command: (junit) => ['npx', [...NPX_NODE, ...V8_FLAGS, ...nodeTest(junit), ...suite()]],
    dropSuites: 0,
  },
  deno: {
    id: 'deno',
    version: [join(BIN, 'deno'), ['--version']],
    command: (junit) => [
      join(BIN, 'deno'),
      ['test', '-A', `--v8-flags=${V8_FLAGS.join(',')}`, `--junit-path=${junit}`, ...suite()],
    ],
    dropSuites: 1,
    bareSkipIsTodo: true,
  },
  // JavaScriptCore has no --disallow-code-generation-from-strings; the browser suite's CSP
  // covers that for a non-V8 engine's neighbour, Chromium's, and Node/Deno cover V8.
  bun: {
    id: 'bun',
    version: [join(BIN, 'bun'), ['--version']],
    command: (junit) => [
      join(BIN, 'bun'),
      [
        'test',
        // Bun's default of 5 s per test and hook is shorter than the tour's quick run on a
        // busy machine; Node and Deno have no such limit.
        '--timeout=120000',
        '--preload',
        './dist/test/runtimes/bun-preload.js',
        '--reporter=junit',
        `--reporter-outfile=${junit}`,
        ...suite(),
      ],
    ],
    dropSuites: 1,
  },
};

function nodeTest(junit: string): string[] {
  return [
    '--test',
    '--test-reporter=junit',
    `--test-reporter-destination=${junit}`,
    '--test-reporter=dot',
    '--test-reporter-destination=stdout',
  ];
}

const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

function version([cmd, args]: [string, string[]]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: ENV, encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0].trim() || `(${cmd} --version failed)`;
}

/** Runs one command with its output going to a log file; resolves with the exit code. */
function runLogged(cmd: string, args: string[], log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log);
    const child = spawn(cmd, args, { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      out.end(() => resolve(code ?? (signal === null ? 1 : 128)));
    });
  });
}

/** How one runtime's outcomes compare with the list. */
export interface Verdict {
  runtime: string;
  /** Where the runtime's own output went. */
  log: string;
  passed: number;
  expected: { outcome: Outcome; expectation: Expectation }[];
  unexpected: Outcome[];
  nowPassing: { outcome: Outcome; expectation: Expectation }[];
  /** Lines printed under the runtime's heading. */
  notes: string[];
  /** Tests their authors marked todo: printed, not counted against the run. */
  todo: Outcome[];
  errors: string[];
}

function matchesName(e: Expectation, name: string): boolean {
  return typeof e.test === 'string' ? e.test === name : e.test.test(name);
}

/** Whether a failure is exactly the one the expectation tolerates. */
function tolerated(e: Expectation, message: string): boolean {
  if (!e.message.test(message)) return false;
  if (e.eachCheck === undefined) return true;
  const checks = message
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '));
  const each = e.eachCheck;
  return checks.length > 0 && checks.every((l) => each.test(l));
}

/** Compares outcomes with the expectations listed for `id`. */
export function judge(id: RuntimeId, label: string, log: string, outcomes: Outcome[]): Verdict {
  const listed = EXPECTED.filter((e) => e.runtimes.includes(id));
  const v: Verdict = {
    runtime: label,
    log,
    passed: 0,
    expected: [],
    unexpected: [],
    nowPassing: [],
    notes: [],
    todo: [],
    errors: [],
  };
  for (const o of outcomes) {
    const named = listed.filter((x) => matchesName(x, o.name));
    const e = named.find((x) => tolerated(x, o.message)) ?? named[0];
    if (o.status === 'todo') {
      v.todo.push(o);
    } else if (o.status === 'pass') {
      v.passed++;
      if (e !== undefined) v.nowPassing.push({ outcome: o, expectation: e });
    } else if (e !== undefined && tolerated(e, o.message)) {
      v.expected.push({ outcome: o, expectation: e });
    } else {
      v.unexpected.push(o);
    }
  }
  if (outcomes.length === 0) v.errors.push('no test ran');
  for (const e of listed) {
    if (!outcomes.some((o) => matchesName(e, o.name))) {
      v.errors.push(
        `test/runtimes/expected.ts lists a test that did not run here: ${String(e.test)}`,
      );
    }
  }
  return v;
}

function indent(text: string, lines = 12): string {
  const all = text.split('\n');
  const shown = all.slice(0, lines).map((l) => `      ${l}`);
  if (all.length > lines) shown.push(`      … (${all.length - lines} more lines)`);
  return shown.join('\n');
}

/** Prints a verdict; returns whether it is green. */
export function report(v: Verdict): boolean {
  const ok = v.unexpected.length === 0 && v.errors.length === 0;
  console.log(`\n## ${v.runtime}`);
  for (const n of v.notes) console.log(`  ${n}`);
  // Grouped by reason, so a reason shared by many tests is printed once, under their names.
  const byReason = new Map<Expectation, Outcome[]>();
  for (const { outcome, expectation } of v.expected) {
    byReason.set(expectation, [...(byReason.get(expectation) ?? []), outcome]);
  }
  for (const [expectation, outcomes] of byReason) {
    for (const o of outcomes) console.log(`  expected failure [${expectation.cause}] ${o.name}`);
    console.log(`      why: ${expectation.reason}`);
  }
  for (const { outcome, expectation } of v.nowPassing) {
    console.log(
      `  NOW PASSES (remove it from test/runtimes/expected.ts) [${expectation.cause}] ${outcome.name}`,
    );
  }
  for (const o of v.todo)
    console.log(`  todo (marked in the test): ${o.name}${o.message ? ` (${o.message})` : ''}`);
  for (const o of v.unexpected) {
    console.log(
      `  UNEXPECTED ${o.status === 'skip' ? 'SKIP' : 'FAILURE'}: ${o.name}\n${indent(o.message)}`,
    );
  }
  for (const e of v.errors) console.log(`  ERROR: ${e}`);
  console.log(
    `  ${v.runtime}: ${v.passed} passed, ${v.expected.length} expected failures, ${v.todo.length} todo, ` +
      `${v.unexpected.length} unexpected (${ok ? 'ok' : 'FAILED'}); full output: ${v.log}`,
  );
  return ok;
}

async function runJUnit(rt: Runtime): Promise<Verdict> {
  const label = `${rt.id} ${version(rt.version)}`;
  const junit = join(LOGS, `${rt.id}.xml`);
  const log = join(LOGS, `${rt.id}.log`);
  const [cmd, args] = rt.command(junit);
  const started = Date.now();
  const code = await runLogged(cmd, args, log);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const outcomes = existsSync(junit)
    ? parseJUnit(readFileSync(junit, 'utf8'), rt.dropSuites, rt.bareSkipIsTodo)
    : [];
  const v = judge(rt.id, `${label} (${seconds} s)`, log, outcomes);
  // A non-zero exit with every failure accounted for is the runner's own verdict on the
  // listed failures; a zero exit with failures, or a crash without results, is not.
  if (!existsSync(junit)) v.errors.push(`no JUnit report (exit code ${code})`);
  else if (code === 0 && v.expected.length + v.unexpected.length > 0) {
    v.errors.push('the runner exited 0 although tests failed');
  } else if (code !== 0 && v.expected.length + v.unexpected.length === 0) {
    v.errors.push(`the runner exited ${code} although every test passed`);
  }
  return v;
}

async function runBrowser(): Promise<Verdict> {
  const { runChromium } = await import('../browser/run.js');
  const started = Date.now();
  const r = await runChromium(ROOT, join(LOGS, 'chromium.log'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const v = judge('chromium', `${r.label} (${seconds} s)`, r.log, r.outcomes);
  v.notes.push(...r.nodeOnly.map((file) => `not run in the browser, Node-only: ${file}`));
  v.errors.push(...r.errors);
  return v;
}

async function main(ids: RuntimeId[]): Promise<number> {
  let green = true;
  let passed = 0;
  let expected = 0;
  let unexpected = 0;
  for (const id of ids) {
    const v = id === 'chromium' ? await runBrowser() : await runJUnit(RUNTIMES[id]);
    green = report(v) && green;
    passed += v.passed;
    expected += v.expected.length;
    unexpected += v.unexpected.length + v.errors.length;
  }
  console.log(
    `\nruntimes (${ids.join(', ')}): ${passed} passed, ${expected} expected failures (listed above), ` +
      `${unexpected} unexpected: ${green ? 'ok' : 'FAILED'}`,
  );
  return green ? 0 : 1;
}

const ALL: RuntimeId[] = ['node', 'node-latest', 'deno', 'bun', 'chromium'];
const asked = process.argv.slice(2) as RuntimeId[];
for (const id of asked) {
  if (!ALL.includes(id)) throw new Error(`unknown runtime ${id}; known: ${ALL.join(', ')}`);
}
process.exitCode = await main(asked.length > 0 ? asked : ALL);
