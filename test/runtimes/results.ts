/**
 * One shape for every runtime's results: JUnit XML from Node, Deno and Bun, and the
 * browser page's own report, become a list of leaf tests named "suite > … > test".
 */

/** The outcome of one test on one runtime. */
export interface Outcome {
  name: string;
  /** `todo`: marked so in the test itself (Node and Bun say so; Deno reports todo and skip alike). */
  status: 'pass' | 'fail' | 'skip' | 'todo';
  message: string;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

function attribute(attrs: string, key: string): string | undefined {
  const m = new RegExp(`\\s${key}="([^"]*)"`).exec(attrs);
  return m === null ? undefined : unescapeXml(m[1]);
}

/**
 * Reads JUnit XML. `dropSuites` is how many outer <testsuite> levels name files rather
 * than describe blocks (Bun and Deno: 1; Node: 0). Deno writes a describe's steps as
 * "describe > test" test cases beside a test case for the describe itself; those parents
 * (and their "N test steps failed" summaries) are dropped so each test counts once.
 */
export function parseJUnit(xml: string, dropSuites: number, bareSkipIsTodo = false): Outcome[] {
  const tag =
    /<(\/?)(testsuites|testsuite|testcase|failure|error|skipped)\b((?:[^>"]|"[^"]*")*?)(\/?)>/g;
  const suites: string[] = [];
  const out: Outcome[] = [];
  let current: Outcome | null = null;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const [, closing, kind, attrs, selfClosing] = m;
    if (kind === 'testsuite') {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attribute(attrs, 'name') ?? '');
    } else if (kind === 'testcase') {
      if (closing) {
        current = null;
        continue;
      }
      const path = [...suites.slice(dropSuites), attribute(attrs, 'name') ?? ''];
      current = { name: path.join(' > '), status: 'pass', message: '' };
      out.push(current);
      if (selfClosing) current = null;
    } else if ((kind === 'failure' || kind === 'error') && !closing && current !== null) {
      // A todo test may fail; the runner does not count that against the run.
      if (current.status === 'todo') continue;
      current.status = 'fail';
      const rest = xml.slice(tag.lastIndex);
      const body = selfClosing ? '' : rest.slice(0, rest.indexOf(`</${kind}>`));
      current.message = attribute(attrs, 'message') ?? unescapeXml(body);
    } else if (kind === 'skipped' && !closing && current !== null) {
      const message = attribute(attrs, 'message');
      const todo =
        attribute(attrs, 'type') === 'todo' ||
        message === 'TODO' ||
        (bareSkipIsTodo && message === undefined);
      current.status = todo ? 'todo' : current.status === 'fail' ? 'fail' : 'skip';
      if (todo || current.status === 'skip') current.message = message ?? '';
    }
  }
  return leaves(out);
}

/** Keeps the tests that are not parents of others (two tests may share a name). */
export function leaves(all: Outcome[]): Outcome[] {
  const parents = new Set<string>();
  for (const { name } of all) {
    const parts = name.split(' > ');
    for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join(' > '));
  }
  return all.filter((o) => !parents.has(o.name));
}
