/**
 * Golden tests: memview's MemoryView against the answers CPython 3.13 gave, recorded in
 * test/fixtures/view/{chains,ports,getbuf,extensions}.json by
 * scripts/gen_view_fixtures.py (its opening comment defines the cases and their encoding).
 *
 * A case builds its exporters (the counterparts of bytes, bytearray and
 * `_testbuffer.ndarray`, test/helpers/ndarray.ts), then runs its steps in order against a
 * table of registers, mapping each Python operation to the MemoryView API
 * (`m[i]` → `get(i)`, `m[a:b:c] = src` → `slice(a, b, c).assign(src)`, `tolist` →
 * `toList`, …). A step either throws exactly CPython's exception (class and message) or
 * returns exactly CPython's value: bigint vs number, NaN, -0 and bytes are told apart.
 * Mutating steps also check the exporter's whole memory afterwards. A case stops at its
 * first failing step; each test covers one fixture group and lists every failing case.
 *
 * Cases marked "extension" hold memview's sanctioned extensions (ARCHITECTURE.md, "Beyond
 * CPython"), whose expectations come from `struct` and `_testbuffer.ndarray` instead of a
 * memoryview.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type BufferInfo, getBuffer, MemoryView, memoryview, releaseBuffer } from '../src/index.js';
import { FailureLog, fromHex, sameValue, show, toHex } from './helpers/fixtures.js';
import { NDArray, pyBytearray } from './helpers/ndarray.js';
import {
  decodeView,
  type ExpectedInfo,
  type ExporterSpec,
  isViewError,
  matchesError,
  type Step,
  showError,
  stepFailure,
  type ViewAttributes,
  type ViewCase,
  type ViewEncoded,
  type ViewErrorSpec,
  type ViewFixture,
} from './helpers/viewfixtures.js';

// Compiled to dist/test/, so the sources' fixtures are two levels up (never read from dist).
const FIXTURES = new URL('../../test/fixtures/view/', import.meta.url);
const FILES: Record<string, number> = {
  'chains.json': 300,
  'ports.json': 300,
  'getbuf.json': 60,
  'extensions.json': 80,
};

// Loosely typed views of the API: the fixtures pass any values, in any number.
type Loose<R> = (...args: unknown[]) => R;
interface LooseView {
  get: Loose<unknown>;
  set: Loose<void>;
  slice: Loose<MemoryView>;
  cast: Loose<MemoryView>;
  toBytes: Loose<Uint8Array>;
  hex: Loose<string>;
  equals: Loose<boolean>;
}
const loose = (m: MemoryView): LooseView => m as unknown as LooseView;

/** The registers of one running case: exporters, views, buffer infos. */
class Registers {
  readonly values = new Map<string, unknown>();
  readonly memories = new Map<string, Uint8Array>();

  constructor(exporters: Record<string, ExporterSpec>) {
    for (const [name, spec] of Object.entries(exporters)) {
      const data = fromHex(spec.data);
      let exporter: unknown;
      let memory: Uint8Array;
      if (spec.kind === 'bytearray' && !spec.track) {
        memory = pyBytearray(data);
        exporter = memory;
      } else {
        const nd =
          spec.kind === 'ndarray'
            ? new NDArray({
                data,
                shape: spec.shape,
                strides: spec.strides,
                offset: spec.offset,
                format: spec.format,
                itemsize: spec.itemsize,
                readonly: spec.readonly,
              })
            : new NDArray({ data, readonly: spec.kind === 'bytes' });
        memory = nd.memory;
        exporter = nd;
      }
      this.values.set(name, exporter);
      this.memories.set(name, memory);
    }
  }

  get(name: string | undefined): unknown {
    if (name === undefined || !this.values.has(name)) {
      throw new Error(`fixture error: no register ${String(name)}`);
    }
    return this.values.get(name);
  }

  view(name: string | undefined): MemoryView {
    const v = this.get(name);
    if (!(v instanceof MemoryView)) throw new Error(`fixture error: ${name} is not a view`);
    return v;
  }

  decode(value: ViewEncoded): unknown {
    return decodeView(value, (name) => this.get(name));
  }

  args(step: Step): unknown[] {
    return (step.args ?? []).map((a) => this.decode(a));
  }
}

/** Runs one step's operation and returns its result (steps with "out" store it). */
function perform(regs: Registers, step: Step): unknown {
  switch (step.op) {
    case 'view': {
      const source = step.value !== undefined ? regs.decode(step.value) : regs.get(step.of);
      return memoryview(source as MemoryView);
    }
    case 'slice':
      return loose(regs.view(step.in)).slice(...regs.args(step));
    case 'cast':
      return loose(regs.view(step.in)).cast(...regs.args(step));
    case 'toreadonly':
      return regs.view(step.in).toReadonly();
    case 'attrs':
      return attributes(regs, regs.view(step.in), step.expect as ViewAttributes);
    case 'attr': {
      const value = (regs.view(step.in) as unknown as Record<string, unknown>)[step.name!];
      return Array.isArray(value) ? [...value] : value;
    }
    case 'tolist':
      return regs.view(step.in).toList();
    case 'tobytes':
      return loose(regs.view(step.in)).toBytes(...regs.args(step));
    case 'hex':
      return loose(regs.view(step.in)).hex(...regs.args(step));
    case 'iter':
      return [...regs.view(step.in)];
    case 'get':
      return loose(regs.view(step.in)).get(...regs.args(step));
    case 'set':
      return loose(regs.view(step.in)).set(...regs.args(step));
    case 'assign': {
      const target = loose(regs.view(step.in)).slice(...regs.args(step));
      return target.assign(regs.decode(step.src!) as MemoryView);
    }
    case 'equals':
      return regs.view(step.in).equals(regs.decode(step.other!));
    case 'release':
      return regs.view(step.in).release();
    case 'dispose':
      return regs.view(step.in)[Symbol.dispose]();
    case 'getbuf': {
      const m = regs.view(step.in);
      const info = getBuffer(m, step.flags);
      const got = describeInfo(regs, m, info, step.expect as ExpectedInfo);
      if (step.out === undefined) releaseBuffer(info);
      else regs.values.set(step.out, info);
      return got;
    }
    case 'releasebuf':
      return releaseBuffer(regs.get(step.in) as BufferInfo);
    case 'locked': {
      const exporter = regs.get(step.of);
      if (!(exporter instanceof NDArray)) throw new Error('fixture error: untracked exporter');
      return exporter.exports > 0;
    }
  }
}

/** Every attribute of `m`, in the shape of the expectation (the exporter by its name). */
function attributes(regs: Registers, m: MemoryView, expect: ViewAttributes): ViewAttributes {
  let len: number | ViewErrorSpec;
  try {
    len = m.length;
  } catch (err) {
    len = { error: (err as Error).name, message: (err as Error).message } as ViewErrorSpec;
  }
  return {
    obj: m.obj === regs.get(expect.obj) ? expect.obj : `<not ${expect.obj}: ${show(m.obj)}>`,
    nbytes: m.nbytes,
    readonly: m.readonly,
    itemsize: m.itemsize,
    format: m.format,
    ndim: m.ndim,
    shape: [...m.shape],
    strides: [...m.strides],
    suboffsets: [...m.suboffsets],
    c: m.cContiguous,
    f: m.fContiguous,
    contiguous: m.contiguous,
    len,
  };
}

/**
 * What the consumer got, in the shape of the expectation. CPython leaves out the format,
 * the shape or the strides a consumer did not ask for (null); memview's BufferInfo always
 * carries the whole layout, which must then be the view's own.
 */
function describeInfo(
  regs: Registers,
  m: MemoryView,
  info: BufferInfo,
  expect: ExpectedInfo,
): ExpectedInfo {
  const base = regs.memories.get(rootOf(regs, m));
  const start = base === undefined ? 0 : base.byteOffset;
  const got: ExpectedInfo = {
    len: info.len,
    readonly: info.readonly,
    itemsize: info.itemsize,
    format: info.format,
    ndim: info.ndim,
    shape: [...info.shape],
    strides: [...info.strides],
    offset: info.offset - start,
  };
  const whole = { format: m.format, ndim: m.ndim, shape: [...m.shape], strides: [...m.strides] };
  if (expect.format === null && sameValue(got.format, whole.format)) got.format = null;
  if (expect.shape === null && got.ndim === whole.ndim && sameValue(got.shape, whole.shape)) {
    got.shape = null;
    got.ndim = expect.ndim;
  }
  if (expect.strides === null && sameValue(got.strides, whole.strides)) got.strides = null;
  return got;
}

/** The name of the exporter a view was made from. */
function rootOf(regs: Registers, m: MemoryView): string {
  for (const [name, value] of regs.values) if (value === m.obj) return name;
  return '<unknown>';
}

function sameJson(actual: unknown, expected: unknown): boolean {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** Checks a successful step's result against its expectation; throws on a mismatch. */
function checkResult(regs: Registers, step: Step, result: unknown, context: string): void {
  if (step.out !== undefined && step.op !== 'getbuf') regs.values.set(step.out, result);
  if (!('expect' in step)) return;
  const expect = step.expect;
  switch (step.op) {
    case 'attrs':
    case 'getbuf': {
      const want = expect as Record<string, unknown>;
      const got = result as Record<string, unknown>;
      const diffs = Object.keys(want)
        .filter((k) => !sameJson(got[k], want[k]))
        .map((k) => `${k}: expected ${JSON.stringify(want[k])}, got ${JSON.stringify(got[k])}`);
      if (diffs.length > 0) throw stepFailure(context, 'the recorded fields', diffs.join('; '));
      return;
    }
    case 'tobytes': {
      const want = toHex(regs.decode(expect as ViewEncoded) as Uint8Array);
      const ok = result instanceof Uint8Array && toHex(result) === want;
      if (!ok) throw stepFailure(context, `Uint8Array<${want}>`, show(result));
      return;
    }
    case 'attr':
    case 'hex':
    case 'equals':
    case 'locked':
      if (!sameJson(result, expect) || typeof result !== typeof expect) {
        throw stepFailure(context, JSON.stringify(expect), show(result));
      }
      return;
    default: {
      const want = regs.decode(expect as ViewEncoded);
      if (!sameValue(result, want)) throw stepFailure(context, show(want), show(result));
    }
  }
}

function describeStep(step: Step, index: number): string {
  const target = step.in ?? step.of ?? '';
  const args = step.args ? step.args.map((a) => JSON.stringify(a)).join(', ') : '';
  let text = `step ${index} ${target}.${step.op}(${args})`;
  if (step.src !== undefined) text += ` src=${JSON.stringify(step.src)}`;
  if (step.other !== undefined) text += ` other=${JSON.stringify(step.other)}`;
  if (step.flags !== undefined) text += ` flags=${step.flags}`;
  if (step.name !== undefined) text += ` .${step.name}`;
  return text;
}

/** Runs one step: the outcome (exception or value), then the memory it leaves. */
function runStep(regs: Registers, step: Step, context: string): void {
  if (step.error !== undefined) {
    let result: unknown;
    try {
      result = perform(regs, step);
    } catch (err) {
      if (!matchesError(err, step.error)) {
        throw stepFailure(context, showError(step.error), showError(err));
      }
      checkMemory(regs, step, context);
      return;
    }
    throw stepFailure(context, showError(step.error), `a return of ${show(result)}`);
  }
  let result: unknown;
  try {
    result = perform(regs, step);
  } catch (err) {
    const want = 'expect' in step ? JSON.stringify(step.expect) : 'no exception';
    throw stepFailure(context, want, showError(err));
  }
  checkResult(regs, step, result, context);
  checkMemory(regs, step, context);
}

function checkMemory(regs: Registers, step: Step, context: string): void {
  for (const [name, hex] of Object.entries(step.mem ?? {})) {
    const got = toHex(regs.memories.get(name)!);
    if (got !== hex) throw stepFailure(`${context} memory of ${name}`, hex, got);
  }
}

/** Runs a case to its end or its first failure; returns the number of steps run. */
function runCase(c: ViewCase, where: string): number {
  const regs = new Registers(c.exporters);
  c.steps.forEach((step, i) => {
    runStep(regs, step, `${where} [${c.label}] ${describeStep(step, i)}`);
  });
  return c.steps.length;
}

function load(file: string): ViewFixture {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as ViewFixture;
}

for (const [file, minimum] of Object.entries(FILES)) {
  const fixture = load(file);
  describe(`view golden ${file}`, () => {
    it('was generated by CPython 3.13 and holds the expected number of cases', () => {
      assert.match(fixture.python, /^3\.13\./);
      assert.equal(fixture.generator, 'scripts/gen_view_fixtures.py');
      const cases = Object.values(fixture.groups).flat();
      assert.ok(cases.length >= minimum, `${cases.length} cases, expected >= ${minimum}`);
      for (const c of cases) assert.ok(c.steps.length > 0, `${c.label} has no steps`);
    });
    for (const [group, cases] of Object.entries(fixture.groups)) {
      it(group, () => {
        const log = new FailureLog();
        let steps = 0;
        for (const c of cases) {
          log.run(() => {
            steps += runCase(c, file.replace('.json', ''));
          });
        }
        log.assertClean();
        assert.equal(
          steps,
          cases.reduce((n, c) => n + c.steps.length, 0),
          'every step ran',
        );
        for (const c of cases) {
          if (group.startsWith('extension')) assert.ok(c.extension, `${c.label} is marked`);
          else assert.equal(c.extension, undefined, `${c.label} is not an extension case`);
        }
      });
    }
  });
}

describe('view golden fixture helpers', () => {
  it('tell errors apart by class, name and message', () => {
    const spec = { error: 'IndexError', message: 'index out of bounds on dimension 1' } as const;
    const m = memoryview(pyBytearray([1, 2, 3]));
    let thrown: unknown;
    try {
      m.get(3);
    } catch (err) {
      thrown = err;
    }
    assert.ok(matchesError(thrown, spec));
    assert.ok(!matchesError(new RangeError(spec.message), spec));
    assert.ok(!matchesError(new TypeError(spec.message), spec));
    assert.ok(isViewError(spec));
  });

  it('fail a step whose value differs', () => {
    const regs = new Registers({ x: { kind: 'bytes', data: '0102' } });
    regs.values.set('m', memoryview(regs.get('x') as MemoryView));
    const step: Step = { op: 'get', in: 'm', args: [0], expect: 2 };
    assert.throws(() => runStep(regs, step, 'probe'), /expected 2, got 1/);
    const typed: Step = { op: 'get', in: 'm', args: [0], expect: { int: '1' } };
    assert.throws(() => runStep(regs, typed, 'probe'), /expected 1n, got 1/);
    const error: Step = {
      op: 'get',
      in: 'm',
      args: [0],
      error: { error: 'IndexError', message: 'x' },
    };
    assert.throws(() => runStep(regs, error, 'probe'), /a return of 1/);
  });
});
