/**
 * Random formats and values, and the hook objects whose truth test runs user code in the
 * middle of a call (a Map subclass's `size` getter, a Proxy's `length`).
 */

import type { Random } from '../helpers/random.js';
import { HALF, type ModelFormat, parseModel, show } from './model.js';

/** A format for struct calls: any byte order, one to three items, counts included. */
export function structFormat(rng: Random): string {
  const prefix = rng.pick(['', '@', '<', '>', '=', '!']);
  const native = prefix === '' || prefix === '@';
  const codes = native ? 'bBhHiIlLqQnN?efdcsx' : 'bBhHiIlLqQ?efdcsx';
  let out = prefix;
  const items = rng.intIn(1, 3);
  for (let i = 0; i < items; i++) {
    const code = codes[rng.intBelow(codes.length)];
    const count = code === 's' ? rng.intIn(0, 4) : rng.chance(0.8) ? 1 : rng.intIn(0, 3);
    out += (count === 1 && code !== 's' ? '' : String(count)) + code;
  }
  return out;
}

/** A format for view casts: one value per element, or a small record. */
export function viewFormat(rng: Random): string {
  return rng.pick([
    'B',
    'B',
    'b',
    'c',
    'h',
    'H',
    'i',
    'I',
    'l',
    'q',
    'Q',
    'f',
    'd',
    'e',
    '?',
    '<i',
    '>H',
    '>d',
    '<q',
    '2s',
    '<hB',
    '>Bh',
    'B?',
    '<?h',
  ]);
}

/** Whether a cast target or source is one of CPython's byte formats. */
export function isByteFormat(f: string): boolean {
  return f === 'B' || f === 'b' || f === 'c';
}

/** User code a hook runs when memview asks for a value's truth. */
export interface Hook {
  /** Runs the interference once (later calls do nothing). */
  fire(): void;
  fired: boolean;
  readonly text: string;
  readonly truth: boolean;
}

/** A `?` value whose truth test runs `action` (a Map subclass or a Proxy of an array). */
export function hookValue(
  rng: Random,
  action: () => void,
  text: string,
): { value: unknown; hook: Hook } {
  const truth = rng.chance(0.5);
  const hook: Hook = {
    fired: false,
    text,
    truth,
    fire() {
      if (hook.fired) return;
      hook.fired = true;
      action();
    },
  };
  if (rng.chance(0.5)) {
    class Hooked extends Map {
      override get size(): number {
        hook.fire();
        return truth ? 1 : 0;
      }
    }
    return { value: new Hooked(), hook };
  }
  const target = truth ? [1] : [];
  const value = new Proxy(target, {
    get(t, k, r) {
      if (k === 'length') hook.fire();
      return Reflect.get(t, k, r);
    },
  });
  return { value, hook };
}

/** The model's truth value of a drawn value. */
export function truthOf(v: unknown): boolean {
  for (const h of HOOKED) if (h[0] === v) return h[1].truth;
  if (v instanceof Uint8Array) return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.length > 0;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'boolean') return v;
  return true;
}

/** The hook objects of the current call, so the model knows their truth. */
export const HOOKED: [unknown, Hook][] = [];

/** Values for `f`: mostly valid, sometimes one bad, `?` values sometimes hooks. */
export function valuesFor(
  rng: Random,
  f: ModelFormat,
  makeHook: (() => { value: unknown; hook: Hook }) | undefined,
): { values: unknown[]; text: string[] } {
  const values: unknown[] = [];
  const text: string[] = [];
  const bad = rng.chance(0.06);
  for (const it of f.items) {
    if (it.code === 'x') continue;
    const n = it.code === 's' ? 1 : it.count;
    for (let i = 0; i < n; i++) {
      let v: unknown;
      let t: string | undefined;
      switch (it.code) {
        case 's':
          v = rng.bytes(rng.intIn(0, it.count + 2));
          break;
        case 'c':
          v = rng.bytes(1);
          break;
        case '?':
          if (makeHook !== undefined && rng.chance(0.4)) {
            const h = makeHook();
            HOOKED.push([h.value, h.hook]);
            v = h.value;
            t = `hook(${h.hook.truth}, () => { ${h.hook.text} })`;
          } else
            v = rng.pick<unknown>([true, false, 0, 1, 2.5, '', 'x', null, [], [0], Number.NaN]);
          break;
        case 'e':
          v = rng.pick([...HALF.keys()]);
          break;
        case 'f':
          v = Math.fround(rng.chance(0.5) ? rng.next() * 1000 - 500 : rng.intIn(-5, 5));
          break;
        case 'd':
          v = rng.chance(0.5)
            ? rng.next() * 1e6 - 5e5
            : rng.pick([0, -0, 1.5, Infinity, -Infinity, 1e300]);
          break;
        default: {
          const size = f.native
            ? ((
                { h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, n: 8, N: 8 } as Record<
                  string,
                  number
                >
              )[it.code] ?? 1)
            : (({ h: 2, H: 2, i: 4, I: 4, l: 4, L: 4, q: 8, Q: 8 } as Record<string, number>)[
                it.code
              ] ?? 1);
          const signed = 'bhilqn'.includes(it.code);
          const bits = BigInt(size * 8);
          let x = rng.bigBits(size * 8);
          if (signed) x -= 1n << (bits - 1n);
          if (rng.chance(0.3)) x = BigInt(rng.intIn(-2, 3));
          if (signed ? x < -(1n << (bits - 1n)) : x < 0n) x = 0n;
          if (size === 8) v = rng.chance(0.8) ? x : Number(BigInt.asIntN(32, x));
          else v = rng.chance(0.1) ? x : rng.chance(0.05) ? x !== 0n : Number(x);
        }
      }
      values.push(v);
      text.push(t ?? show(v));
    }
  }
  if (bad && values.length > 0) {
    const k = rng.intBelow(values.length);
    const bads: unknown[] = ['x', 0.5, 1n << 70n, -1n << 70n, 1e300, null, {}];
    const codeAt = codeOfValue(f, k);
    if (codeAt !== '?') {
      values[k] = rng.pick(bads);
      text[k] = show(values[k]);
    }
  }
  return { values, text };
}

/** The code of value `k` of `f`. */
export function codeOfValue(f: ModelFormat, k: number): string {
  for (const it of f.items) {
    if (it.code === 'x') continue;
    const n = it.code === 's' ? 1 : it.count;
    if (k < n) return it.code;
    k -= n;
  }
  return '';
}

/** A format parsed once per text. */
const parsed = new Map<string, ModelFormat>();
export function model(text: string): ModelFormat {
  let f = parsed.get(text);
  if (f === undefined) {
    f = parseModel(text);
    parsed.set(text, f);
  }
  return f;
}
