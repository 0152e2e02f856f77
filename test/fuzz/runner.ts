/**
 * memview's seeded differential fuzzer: `npm run fuzz -- --seed N --ops M [--exclude a,b]`.
 *
 * Each case draws a memory (an exporter of some kind) and a list of steps (operations,
 * mutations, re-entrant calls), runs them against memview and checks each against the
 * model. A failing case is shrunk to the fewest steps that still fail, and printed as a
 * reproduction with its seed.
 */

import { seeded } from '../helpers/random.js';
import { type Counts, type Failure, failures } from './check.js';
import { finish, OP_CLASSES, type OpClass, step } from './ops.js';
import { HOOKED } from './values.js';
import { MEMORY_KINDS, type MemoryKind, makeMemory, World } from './world.js';

/** What a run is asked to do. */
export interface FuzzOptions {
  readonly seed: number;
  readonly ops: number;
  /** Operation classes and memory kinds (`memory:<kind>`) left out. */
  readonly exclude?: readonly string[];
  /** Called with each line of the report (console.log by default). */
  readonly print?: (line: string) => void;
}

/** A failing case, shrunk. */
export interface FoundFailure extends Failure {
  readonly seed: number;
  readonly caseIndex: number;
  readonly repro: readonly string[];
}

/** A run's outcome. */
export interface FuzzResult {
  readonly counts: Counts;
  readonly failures: readonly FoundFailure[];
  readonly excluded: readonly string[];
  readonly cases: number;
}

function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

interface CaseRun {
  counts: Counts;
  failure: Failure | undefined;
  log: string[];
}

function zero(): Counts {
  return { ops: 0, matches: 0, named: 0, unnamed: 0, wrong: 0, held: 0 };
}

/** Runs case `index`, with only the steps in `keep` (all when undefined). */
function runCase(
  seed: number,
  index: number,
  kinds: readonly MemoryKind[],
  enabled: ReadonlySet<OpClass>,
  keep: ReadonlySet<number> | undefined,
): CaseRun & { steps: number } {
  const s = caseSeed(seed, index);
  const rng = seeded(s);
  const kind = rng.pick(kinds);
  const steps = rng.intIn(3, 24);
  const w = new World(makeMemory(rng, kind));
  const counts = zero();
  failures.length = 0;
  let failure: Failure | undefined;
  for (let i = 0; i < steps && failure === undefined; i++) {
    if (keep !== undefined && !keep.has(i)) continue;
    HOOKED.length = 0;
    try {
      step(w, seeded(caseSeed(s, i)), counts, enabled);
    } catch (e) {
      // A throw out of the harness is a fuzzer bug or an error escaping a hook: report it.
      failures.push({
        kind: 'unnamed error',
        opClass: 'harness',
        detail: `step ${i} escaped: ${e instanceof Error ? e.stack : String(e)}`,
      });
      counts.unnamed++;
    }
    failure = failures[0];
  }
  if (failure === undefined) {
    finish(w, counts);
    failure = failures[0];
  }
  return { counts, failure, log: w.log, steps };
}

/** Shrinks a failing case to the fewest steps that still fail the same way. */
function shrink(
  seed: number,
  index: number,
  kinds: readonly MemoryKind[],
  enabled: ReadonlySet<OpClass>,
  steps: number,
  f: Failure,
): string[] {
  const keep = new Set<number>();
  for (let i = 0; i < steps; i++) keep.add(i);
  const sameFailure = (k: Set<number>) => {
    const r = runCase(seed, index, kinds, enabled, k);
    return r.failure !== undefined && r.failure.kind === f.kind && r.failure.opClass === f.opClass;
  };
  for (let i = steps - 1; i >= 0; i--) {
    keep.delete(i);
    if (!sameFailure(keep)) keep.add(i);
  }
  return runCase(seed, index, kinds, enabled, keep).log;
}

/** Runs the fuzzer and prints its report. */
export function runFuzz(options: FuzzOptions): FuzzResult {
  const print = options.print ?? console.log;
  const exclude = new Set(options.exclude ?? []);
  const enabled = new Set<OpClass>(OP_CLASSES.filter((k) => !exclude.has(k)));
  const kinds = MEMORY_KINDS.filter((k) => !exclude.has(`memory:${k}`));
  const excluded = [...exclude];
  const total = zero();
  const found: FoundFailure[] = [];
  const seenKinds = new Set<string>();
  let cases = 0;
  const started = Date.now();
  if (excluded.length > 0) print(`excluded (known open defects): ${excluded.join(', ')}`);
  for (let index = 0; total.ops < options.ops; index++) {
    cases++;
    const r = runCase(options.seed, index, kinds, enabled, undefined);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += r.counts[k];
    if (r.failure !== undefined) {
      // One reproduction per kind of failure: the error raised, or the model's complaint.
      const d = r.failure.detail;
      const why = d.match(/raised ([A-Za-z]+: [^;]*)/)?.[1] ?? d.replace(/^.*?(; |: )/, '');
      const key = `${r.failure.kind}|${r.failure.opClass}|${why.replace(/[0-9]+/g, '#').slice(0, 50)}`;
      if (!seenKinds.has(key) && found.length < 20) {
        seenKinds.add(key);
        const repro = shrink(options.seed, index, kinds, enabled, r.steps, r.failure);
        found.push({ ...r.failure, seed: options.seed, caseIndex: index, repro });
      }
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  print(
    `seed ${options.seed}: ${total.ops} ops in ${cases} cases, ${secs} s — matches ${total.matches}, named errors ${total.named}, unnamed errors ${total.unnamed}, wrong results ${total.wrong}, exports left held ${total.held}`,
  );
  for (const f of found) {
    print('');
    print(`FAIL [${f.kind}] ${f.opClass} — seed ${f.seed}, case ${f.caseIndex}`);
    print(`  ${f.detail}`);
    print(
      '  reproduction (memview imports: BUFFER, RELEASE, ByteArray, Bytes, memoryview, pack, packInto, unpack, unpackFrom, iterUnpack, BufferReader, BufferWriter, FrameDecoder):',
    );
    for (const line of f.repro) for (const l of line.split('\n')) print(`    ${l}`);
  }
  return { counts: total, failures: found, excluded, cases };
}

function parseArgs(argv: readonly string[]): FuzzOptions {
  let seed = 1;
  let ops = 100_000;
  let exclude: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') seed = Number(next());
    else if (a === '--ops') ops = Number(next());
    else if (a === '--exclude')
      exclude = next()
        .split(',')
        .filter((x) => x !== '');
    else if (a === '--help') {
      console.log('npm run fuzz -- [--seed N] [--ops M] [--exclude class,memory:kind,...]');
      console.log(`operation classes: ${OP_CLASSES.join(', ')}`);
      console.log(`memory kinds: ${MEMORY_KINDS.map((k) => `memory:${k}`).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(ops) || ops < 0) {
    throw new Error('--seed and --ops take integers');
  }
  return { seed, ops, exclude };
}

if (process.argv[1]?.endsWith('runner.js')) {
  const result = runFuzz(parseArgs(process.argv.slice(2)));
  const bad = result.counts.unnamed + result.counts.wrong + result.counts.held;
  process.exitCode = bad === 0 ? 0 : 1;
}
