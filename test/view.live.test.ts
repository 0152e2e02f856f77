/**
 * Live differential test of `memoryview` against CPython 3.13: random bytes, formats,
 * 1-D and N-D views (via cast), slices with negative steps, casts, get/set, toList,
 * toBytes orders, hex, slice assignment (overlapping sources included), equality and
 * release, made from a fixed seed in JavaScript, sent in one batch to CPython, and
 * replayed through memview. Every step's value, or error class and message, must agree.
 *
 * Each case is a list of steps on a "current view", which starts as memoryview(bytearray)
 * (Uint8Array here); the first error ends the case on both sides. Only CPython's own
 * behaviour is exercised: no sanctioned extension (non-native formats, N-D assignment,
 * sub, transpose, toTypedArray) is generated.
 *
 * CPython is `$MEMVIEW_PYTHON` when set, else `PYENV_VERSION=3.13.0 python3`; without a
 * 3.13 the test is skipped with a notice.
 */

import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  BufferError,
  IndexError,
  type MemoryView,
  memoryview,
  NotImplementedError,
  OverflowError,
  ValueError,
} from '../src/index.js';
import { assertSame, FailureLog, fromHex, show, toHex } from './helpers/fixtures.js';
import { doubleFromBits, doubleHex, seeded } from './helpers/random.js';

// MEMVIEW_LIVE_SEED and MEMVIEW_LIVE_CASES explore beyond the fixed run.
const SEED = Number(process.env.MEMVIEW_LIVE_SEED ?? 0x3118_0688);
const CASES = Number(process.env.MEMVIEW_LIVE_CASES ?? 300);

// ---------------------------------------------------------------------------------------
// Finding CPython 3.13
// ---------------------------------------------------------------------------------------

interface Python {
  command: string;
  env: NodeJS.ProcessEnv;
}

const VERSION_CHECK = 'import sys; print(sys.version_info[:2] == (3, 13))';

function findPython(): { python?: Python; why: string } {
  const candidate: Python = process.env.MEMVIEW_PYTHON
    ? { command: process.env.MEMVIEW_PYTHON, env: process.env }
    : { command: 'python3', env: { ...process.env, PYENV_VERSION: '3.13.0' } };
  const name = process.env.MEMVIEW_PYTHON ?? 'PYENV_VERSION=3.13.0 python3';
  const probe = spawnSync(candidate.command, ['-c', VERSION_CHECK], {
    env: candidate.env,
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.error) return { why: `${name}: ${probe.error.message}` };
  if (probe.status !== 0) return { why: `${name} exited with ${probe.status}` };
  if (probe.stdout.trim() !== 'True') return { why: `${name} is not CPython 3.13` };
  return { python: candidate, why: '' };
}

// ---------------------------------------------------------------------------------------
// The CPython side: one batch of cases as JSON on stdin, one list of step results each.
// Values are tagged: ["i", decimal] int, ["q", decimal] int of an 8-byte format (a bigint
// in memview), ["f", hex of the little-endian double] float, ["b", bool], ["y", hex]
// bytes, ["s", text] str, ["n"] None, ["l", [...]] list or tuple. A step gives
// {"ok": value} or {"err": [class name, message]}.
// ---------------------------------------------------------------------------------------

const PY_SCRIPT = `
import json, struct, sys

def dec(v):
    if isinstance(v, dict):
        return v
    t = v[0]
    if t in ("i", "q"): return int(v[1])
    if t == "f": return struct.unpack("<d", bytes.fromhex(v[1]))[0]
    if t == "b": return v[1]
    if t == "y": return bytes.fromhex(v[1])
    if t == "s": return v[1]
    if t == "n": return None
    if t == "l": return [dec(x) for x in v[1]]
    raise ValueError(t)

def enc(x, wide=False):
    if isinstance(x, bool): return ["b", x]
    if isinstance(x, int): return ["q" if wide else "i", str(x)]
    if isinstance(x, float): return ["f", struct.pack("<d", x).hex()]
    if isinstance(x, bytes): return ["y", x.hex()]
    if isinstance(x, str): return ["s", x]
    if x is None: return ["n"]
    if isinstance(x, (list, tuple)): return ["l", [enc(y, wide) for y in x]]
    raise TypeError(type(x).__name__)

def wide(m):
    return m.format.lstrip("@") in ("q", "Q", "l", "L", "n", "N", "P")

PROPS = ["shape", "strides", "suboffsets", "nbytes", "itemsize", "format", "ndim",
         "readonly", "c_contiguous", "f_contiguous", "contiguous"]

def props(m):
    out = {}
    for name in PROPS + ["len"]:
        try:
            out[name] = enc(len(m) if name == "len" else getattr(m, name))
        except Exception as e:
            out[name] = ["e", type(e).__name__, str(e)]
    return out

def build(spec, base):
    kind = spec["kind"]
    if kind == "raw":
        return bytes.fromhex(spec["hex"])
    v = memoryview(base if kind == "base" else bytearray.fromhex(spec["hex"]))
    for op in spec["ops"]:
        v, _ = step(op, v, base)
    return v

def key(idx):
    return idx[0] if len(idx) == 1 else tuple(idx)

def step(op, m, base):
    name, args = op[0], [dec(a) for a in op[1:]]
    if name == "cast":
        return (m.cast(args[0]) if len(args) == 1 else m.cast(args[0], args[1])), None
    if name == "slice":
        return m[args[0]:args[1]:args[2]], None
    if name == "toreadonly":
        return m.toreadonly(), None
    if name == "memoryview":
        return memoryview(m), None
    if name == "release":
        m.release()
        return m, None
    if name == "props":
        return m, props(m)
    if name == "tolist":
        return m, enc(m.tolist(), wide(m))
    if name == "iter":
        return m, enc(list(m), wide(m))
    if name == "tobytes":
        return m, enc(m.tobytes(*args))
    if name == "hex":
        return m, enc(m.hex(*args))
    if name == "get":
        return m, enc(m[key(args[0])], wide(m))
    if name == "set":
        m[key(args[0])] = args[1]
        return m, enc(bytes(base))
    if name == "assign":
        m[args[0]:args[1]:args[2]] = build(args[3], base)
        return m, enc(bytes(base))
    if name == "equals":
        other = m if args[0]["kind"] == "self" else build(args[0], base)
        return m, enc(m == other)
    raise ValueError(name)

def run(case):
    base = bytearray.fromhex(case["base"])
    m = memoryview(base)
    out = []
    for op in case["ops"]:
        try:
            m, r = step(op, m, base)
            out.append({"ok": r})
        except Exception as e:
            out.append({"err": [type(e).__name__, str(e)]})
            break
    return out

json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
`;

// ---------------------------------------------------------------------------------------
// Random cases
// ---------------------------------------------------------------------------------------

const random = seeded(SEED);
const chance = random.chance;
const intBelow = random.intBelow;
const intIn = random.intIn;
const pick = random.pick;

const randomBigBits = random.bigBits;

const randomBytes = random.bytes;

/** Native codes with their sizes on an LP64 host. */
const SIZES: Record<string, number> = {
  B: 1,
  b: 1,
  c: 1,
  '?': 1,
  h: 2,
  H: 2,
  e: 2,
  i: 4,
  I: 4,
  f: 4,
  l: 8,
  L: 8,
  q: 8,
  Q: 8,
  d: 8,
};
const CODES = Object.keys(SIZES);
/** Codes of one size that compare by value across formats ('?' is left out: undefined in C). */
const SAME_SIZE: Record<number, string[]> = {
  1: ['B', 'b', 'c'],
  2: ['h', 'H', 'e'],
  4: ['i', 'I', 'f'],
  8: ['l', 'L', 'q', 'Q', 'd'],
};
const WIDE = new Set(['l', 'L', 'q', 'Q']);

const code = (fmt: string) => fmt.replace(/^@/, '');

/** What the test believes the current view is, to generate sensible next steps. */
interface Model {
  fmt: string;
  shape: number[];
  readonly: boolean;
  released: boolean;
}

type Spec =
  | { kind: 'self' }
  | { kind: 'raw'; hex: string }
  | { kind: 'base'; ops: Step[] }
  | { kind: 'bytes'; hex: string; ops: Step[] };

type Step = [string, ...unknown[]];

interface LiveCase {
  base: Uint8Array;
  ops: Step[];
}

/** PySlice_AdjustIndices' slice length. */
function sliceLength(n: number, start: unknown, stop: unknown, step: unknown): number {
  const s = step === null ? 1 : Number(step);
  if (s === 0) return 0;
  const clamp = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    let x = Number(v);
    if (x < 0) x += n;
    return x < lo ? lo : x > hi ? hi : x;
  };
  if (s > 0) {
    const a = clamp(start, 0, 0, n);
    const b = clamp(stop, n, 0, n);
    return b > a ? Math.ceil((b - a) / s) : 0;
  }
  const a = clamp(start, n - 1, -1, n - 1);
  const b = clamp(stop, -1, -1, n - 1);
  return a > b ? Math.ceil((a - b) / -s) : 0;
}

function randomBound(n: number): unknown {
  const r = random.next();
  if (r < 0.02) return pick([2n ** 70n, -(2n ** 70n), 2n ** 63n - 1n]);
  if (r < 0.3) return null;
  return intIn(-n - 3, n + 3);
}

function randomStep(): unknown {
  if (chance(0.02)) return 0;
  return pick([null, null, 1, 1, -1, -1, 2, -2, 3, -3]);
}

function randomSlice(n: number): [unknown, unknown, unknown] {
  for (let tries = 0; ; tries++) {
    const key: [unknown, unknown, unknown] = [randomBound(n), randomBound(n), randomStep()];
    if (tries > 4 || key[2] === 0 || sliceLength(n, ...key) > 0 || chance(0.15)) return key;
  }
}

/** Splits `count` into 2 or 3 factors (a shape for cast). */
function randomShape(count: number): number[] {
  const dims = pick([2, 2, 3]);
  const shape: number[] = [];
  let rest = count;
  for (let d = 0; d < dims - 1; d++) {
    const divisors = [];
    for (let k = 1; k <= rest; k++) if (rest % k === 0) divisors.push(k);
    const f = pick(divisors);
    shape.push(f);
    rest /= f;
  }
  shape.push(rest);
  return shape;
}

function randomInt(c: string): unknown {
  const bits = 8 * SIZES[c];
  const signed = c === c.toLowerCase();
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  let v: bigint;
  const r = random.next();
  if (r < 0.25) v = pick([lo, hi, 0n, 1n, -1n]);
  else if (r < 0.33) v = pick([lo - 1n, hi + 1n, -(1n << 70n), 1n << 64n]);
  else v = lo + (randomBigBits(bits) % (hi - lo + 1n));
  const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
  if (chance(0.03)) return pick([true, false]);
  if (WIDE.has(c)) return safe && chance(0.2) ? Number(v) : v;
  return safe && !chance(0.1) ? Number(v) : v;
}

function randomFloat(): unknown {
  const r = random.next();
  if (r < 0.3) return doubleFromBits(randomBigBits(64));
  if (r < 0.6) return (random.next() - 0.5) * 10 ** (intBelow(60) - 30);
  if (r < 0.85) {
    return pick([
      0,
      -0,
      1,
      -2.5,
      0.1,
      65504,
      65519.99,
      65520,
      2 ** -24,
      1e300,
      -1e300,
      3.5e38,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      5e-324,
    ]);
  }
  return pick([1n, -7n, 65520n, 2n ** 64n + 1n, 10n ** 400n, true]);
}

function randomValue(fmt: string): unknown {
  if (chance(0.03)) return pick<unknown>(['x', null, 1.5, [], Uint8Array.of(1)]);
  const c = code(fmt);
  switch (c) {
    case '?':
      return pick<unknown>([true, false, 0, 1, -3, '', 'a', null, [], [0], 0.5, Number.NaN]);
    case 'c':
      return chance(0.9)
        ? randomBytes(1)
        : pick<unknown>([randomBytes(0), randomBytes(2), 'a', 65]);
    case 'e':
    case 'f':
    case 'd':
      return randomFloat();
    default:
      return randomInt(c);
  }
}

function randomIndices(m: Model): unknown[] {
  const nd = m.shape.length;
  let count = nd;
  if (chance(0.12)) count = pick([0, 1, nd + 1, Math.max(0, nd - 1)]);
  const out: unknown[] = [];
  for (let d = 0; d < count; d++) {
    const n = d < nd ? m.shape[d] : 1;
    // an index beyond ssize: often with a wrong count too, where the order of checks shows
    if (chance(count === nd ? 0.02 : 0.5)) out.push(pick([2n ** 64n, -(2n ** 63n) - 1n]));
    else if (chance(0.1)) out.push(pick([n, n + 1, -n - 1]));
    else out.push(n === 0 ? 0 : intIn(-n, n - 1));
  }
  return out;
}

function randomFormat(): string {
  const c = pick(CODES);
  return chance(0.1) ? `@${c}` : c;
}

/** Steps that make a view of `count` items of `fmt` out of `n` bytes, updating `model`. */
function castSteps(fmt: string, n: number, model: Model): Step[] {
  const size = SIZES[code(fmt)];
  const count = Math.floor(n / size);
  const r = random.next();
  if (r < 0.05 && count === 1) {
    model.shape = [];
    model.fmt = fmt;
    return [['cast', fmt, []]];
  }
  if (r < 0.35 && count > 0) {
    let shape = randomShape(count);
    if (chance(0.08)) shape = pick([[...shape, 2], [0, ...shape], [count + 1]]);
    model.shape = shape;
    model.fmt = fmt;
    return [['cast', fmt, shape]];
  }
  model.shape = [count];
  model.fmt = fmt;
  return [['cast', fmt]];
}

function sliceStep(model: Model): Step {
  const n = model.shape[0];
  const key = randomSlice(n);
  model.shape = [sliceLength(n, ...key), ...model.shape.slice(1)];
  return ['slice', ...key];
}

/** A source view for `m[start:stop:step] = source` with `length` items of `fmt`. */
function assignSource(fmt: string, length: number, baseLength: number): Spec {
  const size = SIZES[code(fmt)];
  if (chance(0.45)) {
    // a view of the same buffer: overlapping the destination more often than not
    const count = Math.floor(baseLength / size);
    for (let tries = 0; tries < 40; tries++) {
      const key = randomSlice(count);
      if (key[2] !== 0 && sliceLength(count, ...key) === length) {
        const ops: Step[] = code(fmt) === 'B' && chance(0.5) ? [] : [['cast', fmt]];
        if (count * size !== baseLength) ops.unshift(['slice', 0, count * size, null]);
        return { kind: 'base', ops: [...ops, ['slice', ...key]] };
      }
    }
  }
  if (chance(0.1) && code(fmt) === 'B') return { kind: 'raw', hex: toHex(randomBytes(length)) };
  let n = length;
  if (chance(0.08)) n += pick([1, -1]);
  n = Math.max(0, n);
  let srcFmt = fmt;
  const which = random.next();
  if (which < 0.1) srcFmt = pick(SAME_SIZE[size]);
  else if (which < 0.2) srcFmt = fmt.startsWith('@') ? code(fmt) : `@${fmt}`;
  const bytes = randomBytes(n * size);
  if (code(fmt) === '?') for (let i = 0; i < bytes.length; i++) bytes[i] &= 1;
  return { kind: 'bytes', hex: toHex(bytes), ops: [['cast', srcFmt]] };
}

/** Another view to compare with: the same one, a changed copy, another format, raw bytes. */
function equalsOther(viewOps: Step[], base: Uint8Array, model: Model): Spec {
  const r = random.next();
  if (r < 0.1) return { kind: 'self' };
  if (r < 0.35) return { kind: 'base', ops: viewOps };
  if (r < 0.45) return { kind: 'raw', hex: toHex(base.slice(0, intBelow(base.length + 1))) };
  const copy = base.slice();
  // '?' bytes other than 0 and 1 are undefined behaviour in CPython: flip only bit 0 there.
  const bools = viewOps.some((s) => s[0] === 'cast' && code(s[1] as string) === '?');
  if (r < 0.7 && copy.length > 0) copy[intBelow(copy.length)] ^= bools ? 1 : 1 << intBelow(8);
  let ops = viewOps;
  if (r >= 0.7) {
    const size = SIZES[code(model.fmt)];
    const other = pick(SAME_SIZE[size]);
    ops = viewOps.map((s) =>
      s[0] === 'cast' && s[1] !== 'B' ? ['cast', other, ...s.slice(2)] : s,
    );
  }
  return { kind: 'bytes', hex: toHex(copy), ops };
}

function makeCase(): LiveCase {
  const fmt = randomFormat();
  const size = SIZES[code(fmt)];
  let n = intBelow(13) * size;
  if (chance(0.06) && size > 1) n += intIn(1, size - 1);
  const base = randomBytes(n);
  if (code(fmt) === '?') for (let i = 0; i < n; i++) base[i] &= 1;
  const model: Model = { fmt: 'B', shape: [n], readonly: false, released: false };
  const ops: Step[] = [];
  if (chance(0.12)) {
    ops.push(['toreadonly']);
    model.readonly = true;
  }
  const viewOps: Step[] = [];
  if (code(fmt) !== 'B' || chance(0.5)) viewOps.push(...castSteps(fmt, n, model));
  for (let k = pick([0, 0, 1, 1, 1, 2]); k > 0 && model.shape.length > 0; k--) {
    viewOps.push(sliceStep(model));
  }
  if (chance(0.12)) {
    // a second cast, through 'B' (fails for a view that is no longer C-contiguous)
    const nbytes = model.shape.reduce((a, b) => a * b, 1) * SIZES[code(model.fmt)];
    const f2 = randomFormat();
    viewOps.push(['cast', 'B']);
    model.shape = [nbytes];
    model.fmt = 'B';
    if (code(f2) !== '?') viewOps.push(...castSteps(f2, nbytes, model));
  }
  ops.push(...viewOps);
  for (let k = intIn(2, 5); k > 0; k--) {
    const nd = model.shape.length;
    const r = random.next();
    if (model.released) {
      ops.push(pick<Step>([['tolist'], ['props'], ['tobytes'], ['get', [0]], ['release']]));
    } else if (r < 0.12) ops.push(['props']);
    else if (r < 0.24) ops.push(['tolist']);
    else if (r < 0.3) ops.push(['iter']);
    else if (r < 0.4) {
      const order = random.next();
      if (order < 0.2) ops.push(['tobytes']);
      else ops.push(['tobytes', chance(0.1) ? pick(['c', 'X', '']) : pick(['C', 'F', 'A', null])]);
    } else if (r < 0.47) {
      const sep = pick<unknown>([':', '-', ' ', Uint8Array.of(0x2e), '', 'ab', '\u00e9']);
      const form = random.next();
      if (form < 0.3) ops.push(['hex']);
      else if (form < 0.5) ops.push(['hex', sep]);
      else
        ops.push([
          'hex',
          sep,
          pick<unknown>([1, 2, 3, -1, -2, 0, 5, 100, 2n ** 31n, -(2n ** 63n)]),
        ]);
    } else if (r < 0.6) ops.push(['get', randomIndices(model)]);
    else if (r < 0.72) ops.push(['set', randomIndices(model), randomValue(model.fmt)]);
    else if (r < 0.85 && nd === 1) {
      let key = randomSlice(model.shape[0]);
      // CPython checks readonly before the key; m.slice(...).assign() has to slice first.
      while (model.readonly && key[2] === 0) key = randomSlice(model.shape[0]);
      const length = sliceLength(model.shape[0], ...key);
      ops.push(['assign', ...key, assignSource(model.fmt, length, n)]);
    } else if (r < 0.92) ops.push(['equals', equalsOther(viewOps, base, model)]);
    else if (r < 0.95) ops.push(['memoryview']);
    else {
      ops.push(['release']);
      model.released = true;
    }
  }
  return { base, ops };
}

/** Fixed cases for orders of checks that random cases reach too rarely. */
const EDGE_CASES: LiveCase[] = (() => {
  const b = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 5) & 0xff);
  const huge = 2n ** 64n;
  const nd: Step = ['cast', 'B', [2, 3]];
  const steps: [Uint8Array, Step[]][] = [
    [b(6), [nd, ['set', [huge], 1]]],
    [b(6), [nd, ['set', [-(2n ** 63n) - 1n], 1]]],
    [b(6), [nd, ['get', [huge]]]],
    [b(6), [nd, ['set', [0], 'x']]],
    [b(6), [nd, ['set', [huge, 0, 0], 1]]],
    [b(6), [nd, ['get', [huge, 0, 0]]]],
    [b(6), [['toreadonly'], nd, ['set', [huge], 'x']]],
    [b(6), [['toreadonly'], ['set', [huge], 1]]],
    [b(6), [['set', [huge], 'x']]],
    [b(6), [['get', [huge]]]],
    [
      b(4),
      [
        ['cast', 'i', []],
        ['get', []],
        ['set', [], 7],
        ['get', [0]],
      ],
    ],
    [
      b(4),
      [
        ['cast', 'i', []],
        ['set', [huge], 7],
      ],
    ],
    [b(4), [['cast', 'i', []], ['props'], ['tolist'], ['iter']]],
    [b(6), [['release'], ['set', [huge], 'x']]],
    [b(6), [nd, ['release'], ['get', [huge]]]],
    [b(8), [['cast', 'f'], ['set', [0], 1e300], ['set', [1], -3.5e38], ['tolist']]],
    [b(8), [['cast', 'e'], ['set', [0], 65520], ['set', [1], 65519.99], ['tolist']]],
  ];
  return steps.map(([base, ops]) => ({ base, ops }));
})();

// ---------------------------------------------------------------------------------------
// Python encoding of the steps
// ---------------------------------------------------------------------------------------

/** The CPython-side encoding of an argument; `floatCode` makes every number a float. */
function toPy(value: unknown, floatCode = false): unknown {
  if (typeof value === 'bigint') return ['i', value.toString()];
  if (typeof value === 'number') {
    // -0 is an integral number: the int 0 (JS has no other meaning for it)
    if (!floatCode && Number.isInteger(value)) {
      return ['i', BigInt(value).toString()];
    }
    return ['f', doubleHex(value)];
  }
  if (typeof value === 'boolean') return ['b', value];
  if (typeof value === 'string') return ['s', value];
  if (value === null) return ['n'];
  if (value instanceof Uint8Array) return ['y', toHex(value)];
  if (Array.isArray(value)) return ['l', value.map((v) => toPy(v))];
  const spec = value as Spec;
  if ('ops' in spec) return { ...spec, ops: spec.ops.map((s) => pyStep(s, 'B')) };
  return spec;
}

function pyStep(s: Step, fmt: string): unknown[] {
  const floatCode = 'efd'.includes(code(fmt));
  return [s[0], ...s.slice(1).map((a, i) => toPy(a, s[0] === 'set' && i === 1 && floatCode))];
}

/** Steps in the Python encoding: a set's value is a float when the view's code is e/f/d. */
function pyCase(c: LiveCase): unknown {
  let fmt = 'B';
  const ops = c.ops.map((s) => {
    if (s[0] === 'cast') fmt = s[1] as string;
    return pyStep(s, fmt);
  });
  return { base: toHex(c.base), ops };
}

// ---------------------------------------------------------------------------------------
// The memview side
// ---------------------------------------------------------------------------------------

type Outcome = { ok: unknown } | { err: unknown };
type Loose = (...args: unknown[]) => unknown;

const PROPS = [
  'shape',
  'strides',
  'suboffsets',
  'nbytes',
  'itemsize',
  'format',
  'ndim',
  'readonly',
  'c_contiguous',
  'f_contiguous',
  'contiguous',
  'len',
] as const;

function prop(m: MemoryView, name: (typeof PROPS)[number]): unknown {
  switch (name) {
    case 'shape':
      return [...m.shape];
    case 'strides':
      return [...m.strides];
    case 'suboffsets':
      return [...m.suboffsets];
    case 'c_contiguous':
      return m.cContiguous;
    case 'f_contiguous':
      return m.fContiguous;
    case 'len':
      return m.length;
    default:
      return m[name];
  }
}

/** A memview value in the Python tagging (props only: ints, bools, strs, lists). */
function tag(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? ['i', String(value)] : value;
  if (typeof value === 'boolean') return ['b', value];
  if (typeof value === 'string') return ['s', value];
  if (Array.isArray(value)) return ['l', value.map(tag)];
  return ['?', show(value)];
}

function buildSpec(spec: Spec, base: Uint8Array): unknown {
  if (spec.kind === 'raw') return fromHex(spec.hex);
  if (spec.kind === 'self') throw new Error('self is not built');
  let v: MemoryView = memoryview(spec.kind === 'base' ? base : fromHex(spec.hex));
  for (const s of spec.ops) v = step(s, v, base)[0];
  return v;
}

function step(s: Step, m: MemoryView, base: Uint8Array): [MemoryView, unknown] {
  const args = s.slice(1);
  switch (s[0]) {
    case 'cast':
      return [
        args.length === 1 ? m.cast(args[0] as string) : ((m.cast as Loose)(...args) as MemoryView),
        null,
      ];
    case 'slice':
      return [(m.slice as Loose)(...args) as MemoryView, null];
    case 'toreadonly':
      return [m.toReadonly(), null];
    case 'memoryview':
      return [memoryview(m), null];
    case 'release':
      m.release();
      return [m, null];
    case 'props': {
      const out: Record<string, unknown> = {};
      for (const name of PROPS) {
        try {
          out[name] = tag(prop(m, name));
        } catch (err) {
          out[name] = ['e', (err as Error).name, (err as Error).message];
        }
      }
      return [m, out];
    }
    case 'tolist':
      return [m, m.toList()];
    case 'iter':
      return [m, [...m]];
    case 'tobytes':
      return [m, (m.toBytes as Loose)(...args)];
    case 'hex':
      return [m, (m.hex as Loose)(...args)];
    case 'get':
      return [m, (m.get as Loose)(...(args[0] as unknown[]))];
    case 'set':
      (m.set as Loose)(...(args[0] as unknown[]), args[1]);
      return [m, base.slice()];
    case 'assign': {
      const target = (m.slice as Loose)(args[0], args[1], args[2]) as MemoryView;
      target.assign(buildSpec(args[3] as Spec, base) as MemoryView);
      return [m, base.slice()];
    }
    case 'equals': {
      const spec = args[0] as Spec;
      return [m, m.equals(spec.kind === 'self' ? m : buildSpec(spec, base))];
    }
    default:
      throw new Error(`unknown step ${s[0]}`);
  }
}

function runCase(c: LiveCase): Outcome[] {
  const base = c.base.slice();
  let m: MemoryView = memoryview(base);
  const out: Outcome[] = [];
  for (const s of c.ops) {
    try {
      const [next, result] = step(s, m, base);
      m = next;
      out.push({ ok: result });
    } catch (err) {
      out.push({ err });
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

type PyOutcome = { ok: unknown; err?: undefined } | { err: [string, string] };

function fromPy(value: unknown): unknown {
  const [t, payload] = value as [string, unknown];
  switch (t) {
    case 'i':
      return Number(payload as string);
    case 'q':
      return BigInt(payload as string);
    case 'f':
      return new DataView(fromHex(payload as string).buffer).getFloat64(0, true);
    case 'b':
    case 's':
      return payload;
    case 'y':
      return fromHex(payload as string);
    case 'n':
      return null;
    case 'l':
      return (payload as unknown[]).map(fromPy);
    default:
      throw new Error(`unexpected tag ${t}`);
  }
}

const CLASSES: Record<string, new (...args: never[]) => Error> = {
  TypeError,
  ValueError,
  IndexError,
  NotImplementedError,
  BufferError,
  OverflowError,
};

function showStep(s: Step): string {
  const arg = (a: unknown): string => {
    if (a !== null && typeof a === 'object' && 'kind' in a) {
      const spec = a as Spec;
      if (spec.kind === 'self' || spec.kind === 'raw') return JSON.stringify(spec);
      const src = spec.kind === 'base' ? 'base' : `bytes(${spec.hex})`;
      return `memoryview(${src})${spec.ops.map(showStep).join('')}`;
    }
    if (Array.isArray(a)) return `[${a.map(arg).join(', ')}]`;
    return a === null ? 'null' : show(a);
  };
  return `.${s[0]}(${s.slice(1).map(arg).join(', ')})`;
}

function compare(c: LiveCase, py: PyOutcome[], js: Outcome[], log: FailureLog): void {
  const prefix = `memoryview(${toHex(c.base) || "b''"})`;
  log.run(() => {
    for (let i = 0; i < py.length; i++) {
      const ctx = `${prefix}${c.ops
        .slice(0, i + 1)
        .map(showStep)
        .join('')}`;
      const want = py[i];
      const got = js[i];
      if (got === undefined) throw new Error(`${ctx}: memview stopped early`);
      if (want.err !== undefined) {
        const [name, message] = want.err;
        const cls = CLASSES[name];
        if (cls === undefined) throw new Error(`${ctx}: CPython raised ${name}: ${message}`);
        if (!('err' in got)) {
          throw new Error(
            `${ctx}: expected ${name}(${JSON.stringify(message)}), got ${show((got as { ok: unknown }).ok)}`,
          );
        }
        const e = got.err;
        if (!(e instanceof cls) || (e as Error).name !== name || (e as Error).message !== message) {
          const desc =
            e instanceof Error ? `${e.constructor.name}(${JSON.stringify(e.message)})` : show(e);
          throw new Error(`${ctx}: expected ${name}(${JSON.stringify(message)}), got ${desc}`);
        }
        continue;
      }
      if ('err' in got)
        throw new Error(
          `${ctx}: CPython gave ${JSON.stringify(want.ok)}, memview threw ${show(got.err)}`,
        );
      const s = c.ops[i][0];
      if (s === 'props') {
        const a = got.ok as Record<string, unknown>;
        const b = want.ok as Record<string, unknown>;
        for (const name of PROPS) {
          if (JSON.stringify(a[name]) !== JSON.stringify(b[name])) {
            throw new Error(
              `${ctx}: ${name}: expected ${JSON.stringify(b[name])}, got ${JSON.stringify(a[name])}`,
            );
          }
        }
      } else {
        assertSame(got.ok, want.ok === null ? null : fromPy(want.ok), ctx);
      }
    }
    if (js.length > py.length) throw new Error(`${prefix}: memview ran past CPython's error`);
  });
}

describe('memoryview live differential test against CPython 3.13', () => {
  it(`agrees with CPython on ${CASES} random cases (seed ${SEED.toString(16)}) and ${EDGE_CASES.length} fixed ones`, (t) => {
    const { python, why } = findPython();
    if (python === undefined) {
      t.skip(`CPython 3.13 not found: ${why}; live differential test skipped`);
      return;
    }
    const cases = [...Array.from({ length: CASES }, makeCase), ...EDGE_CASES];
    const run = spawnSync(python.command, ['-c', PY_SCRIPT], {
      env: python.env,
      input: JSON.stringify(cases.map(pyCase)),
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`CPython failed: ${run.stderr || run.error}`);
    const results = JSON.parse(run.stdout) as PyOutcome[][];
    const log = new FailureLog();
    const tally = new Map<string, number>();
    for (let i = 0; i < cases.length; i++) {
      compare(cases[i], results[i], runCase(cases[i]), log);
      results[i].forEach((r, k) => {
        const key = `${cases[i].ops[k][0]} ${r.err === undefined ? 'ok' : r.err[0]}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      });
    }
    t.diagnostic(
      `steps compared: ${[...tally]
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    log.assertClean();
  });
});
