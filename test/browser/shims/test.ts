/**
 * `node:test` for the browser suite: describe/it/test with hooks, options and the
 * `t.skip`/`t.diagnostic` context methods, run in order; results are named as Node's JUnit
 * reporter names them ("describe > … > test") so one expected-failure list serves all.
 */

/** The outcome of one test (the same shape test/runtimes/results.ts reads). */
export interface Outcome {
  name: string;
  status: 'pass' | 'fail' | 'skip' | 'todo';
  message: string;
}

type Hook = () => unknown;

interface TestOptions {
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
  concurrency?: number | boolean;
}

/** What a test function receives. */
export interface TestContext {
  name: string;
  skip(message?: string): void;
  todo(message?: string): void;
  diagnostic(message: string): void;
}

type TestFn = (t: TestContext) => unknown;

interface Test {
  kind: 'test';
  name: string;
  options: TestOptions;
  fn: TestFn | undefined;
}

interface Suite {
  kind: 'suite';
  name: string;
  options: TestOptions;
  children: (Test | Suite)[];
  before: Hook[];
  after: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  /** An error thrown while the describe block ran. */
  error?: unknown;
}

function suite(name: string, options: TestOptions = {}): Suite {
  return {
    kind: 'suite',
    name,
    options,
    children: [],
    before: [],
    after: [],
    beforeEach: [],
    afterEach: [],
  };
}

const root = suite('');
let current = root;

function args<F>(
  name: string | F,
  a?: TestOptions | F,
  b?: F,
): [string, TestOptions, F | undefined] {
  if (typeof name !== 'string') return ['<anonymous>', {}, name];
  if (typeof a === 'function') return [name, {}, a as F];
  return [name, (a as TestOptions | undefined) ?? {}, b];
}

/** Registers a suite; its body runs now, registering tests and hooks. */
export function describe(
  name: string | (() => void),
  a?: TestOptions | (() => void),
  b?: () => void,
): void {
  const [n, options, fn] = args(name, a, b);
  const s = suite(n, options);
  current.children.push(s);
  const outer = current;
  current = s;
  try {
    const r = fn?.() as unknown;
    if (r instanceof Promise)
      s.error = new Error('an async describe body is not supported by the browser suite');
  } catch (error) {
    s.error = error;
  } finally {
    current = outer;
  }
}

/** Registers a test. */
export function test(name: string | TestFn, a?: TestOptions | TestFn, b?: TestFn): void {
  const [n, options, fn] = args(name, a, b);
  current.children.push({ kind: 'test', name: n, options, fn });
}

export { describe as suite, test as it };

export function before(fn: Hook): void {
  current.before.push(fn);
}
export function after(fn: Hook): void {
  current.after.push(fn);
}
export function beforeEach(fn: Hook): void {
  current.beforeEach.push(fn);
}
export function afterEach(fn: Hook): void {
  current.afterEach.push(fn);
}

/** Node's runner has no default limit; here a test that never settles must not stall the page. */
const TIMEOUT = 120_000;

function withTimeout(p: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`;
  return String(error);
}

function skipReason(o: TestOptions): string | undefined {
  if (o.skip) return typeof o.skip === 'string' ? o.skip : 'skipped';
  return undefined;
}

function todoReason(o: TestOptions): string | undefined {
  if (o.todo) return typeof o.todo === 'string' ? o.todo : 'todo';
  return undefined;
}

async function runTest(
  t: Test,
  path: string[],
  chain: Suite[],
  out: Outcome[],
  log: (line: string) => void,
) {
  const name = [...path, t.name].join(' > ');
  const skip = skipReason(t.options);
  if (skip !== undefined) {
    out.push({ name, status: 'skip', message: skip });
    return;
  }
  let skipped: string | undefined;
  let todo = todoReason(t.options);
  const context: TestContext = {
    name: t.name,
    skip: (m) => {
      skipped = m ?? 'skipped';
    },
    todo: (m) => {
      todo = m ?? 'todo';
    },
    diagnostic: (m) => log(`# ${name}: ${m}`),
  };
  try {
    for (const s of chain) for (const h of s.beforeEach) await h();
    try {
      await withTimeout(Promise.resolve(t.fn?.(context)), t.options.timeout ?? TIMEOUT);
    } finally {
      for (const s of [...chain].reverse()) for (const h of s.afterEach) await h();
    }
    if (todo !== undefined) out.push({ name, status: 'todo', message: todo });
    else if (skipped !== undefined) out.push({ name, status: 'skip', message: skipped });
    else out.push({ name, status: 'pass', message: '' });
  } catch (error) {
    // As in Node: a todo test may fail without failing the run.
    if (todo !== undefined) out.push({ name, status: 'todo', message: todo });
    else out.push({ name, status: 'fail', message: describeError(error) });
  }
}

async function runSuite(
  s: Suite,
  path: string[],
  chain: Suite[],
  out: Outcome[],
  log: (line: string) => void,
) {
  const here = s === root ? path : [...path, s.name];
  const name = here.join(' > ');
  if (s.error !== undefined) {
    out.push({
      name,
      status: 'fail',
      message: `the describe block threw: ${describeError(s.error)}`,
    });
    return;
  }
  const skip = skipReason(s.options);
  const inner = [...chain, s];
  try {
    if (skip === undefined) for (const h of s.before) await h();
  } catch (error) {
    out.push({ name, status: 'fail', message: `a before hook threw: ${describeError(error)}` });
    return;
  }
  for (const child of s.children) {
    if (skip !== undefined) {
      const childName = [...here, child.name].join(' > ');
      out.push({ name: childName, status: 'skip', message: skip });
    } else if (child.kind === 'suite') await runSuite(child, here, inner, out, log);
    else await runTest(child, here, inner, out, log);
  }
  try {
    if (skip === undefined) for (const h of s.after) await h();
  } catch (error) {
    out.push({ name, status: 'fail', message: `an after hook threw: ${describeError(error)}` });
  }
}

/** Runs everything registered so far, in order. */
export async function run(log: (line: string) => void): Promise<Outcome[]> {
  const out: Outcome[] = [];
  await runSuite(root, [], [], out, log);
  return out;
}
