/**
 * How one call is judged: it returns what the model expects, or it raises a named error
 * where the model expects one (or allows one), and the memory afterwards is the model's.
 */

import {
  BufferError,
  EOFError,
  IndexError,
  MemoryError,
  NotImplementedError,
  OverflowError,
  StructError,
  ValueError,
} from '../../src/index.js';
import type { World } from './world.js';

/** The counts a run reports. */
export interface Counts {
  ops: number;
  matches: number;
  named: number;
  unnamed: number;
  wrong: number;
  held: number;
}

/** A failed check: what kind, in which operation class, and why. */
export interface Failure {
  readonly kind: 'unnamed error' | 'wrong result' | 'export left held';
  readonly opClass: string;
  readonly detail: string;
}

/** What the model expects of a call, computed after it ran (user code may have run). */
export interface Expectation {
  /** The model says the call succeeds. */
  readonly ok: boolean;
  /** A named error is acceptable even though `ok` (the model is in doubt). */
  readonly errorOk?: boolean;
  /** Checks the returned value; a message when it is wrong. */
  readonly check?: (result: unknown) => string | undefined;
  /** The model's writes, applied when the call succeeds. */
  readonly apply?: () => void;
  /** After an error, bytes in [lo, hi) may also hold 0 or `partial[i - lo]` (CPython's partial write). */
  readonly partial?: { readonly lo: number; readonly bytes: Uint8Array };
}

/** The failures seen by the current case (reset by the runner). */
export const failures: Failure[] = [];

/** A named error: one of memview's classes, or a TypeError with memview's own wording. */
export function isNamed(e: unknown): boolean {
  if (
    e instanceof BufferError ||
    e instanceof StructError ||
    e instanceof ValueError ||
    e instanceof IndexError ||
    e instanceof OverflowError ||
    e instanceof MemoryError ||
    e instanceof NotImplementedError ||
    e instanceof EOFError
  ) {
    return true;
  }
  if (e instanceof TypeError) {
    // V8's own TypeErrors are not memview's: they mean a check was missed.
    return !/detached|out of bounds|Cannot read prop|is not a function|Cannot mix BigInt|Cannot convert|is not iterable|Invalid|called on|Cannot perform|of undefined|of null/.test(
      e.message,
    );
  }
  return false;
}

/** An error's class and message, for the reports. */
export function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.slice(0, 200)}`;
  return `thrown ${String(e)}`;
}

/** Runs one call and judges it. */
export function attempt(
  w: World,
  counts: Counts,
  opClass: string,
  line: string,
  run: () => unknown,
  expect: (result: unknown) => Expectation,
): { ok: boolean; result: unknown; error: unknown } {
  w.log.push(line);
  counts.ops++;
  const ba = w.mem.byteArray;
  let result: unknown;
  let error: unknown;
  let threw = false;
  try {
    result = run();
  } catch (e) {
    threw = true;
    error = e;
  }
  let exp: Expectation;
  try {
    exp = expect(result);
  } catch (e) {
    // The model itself failed: report it rather than hide it.
    fail(counts, 'wrong result', opClass, `model error: ${describe(e)}`);
    return { ok: false, result, error };
  }
  if (threw) {
    if (!isNamed(error)) {
      counts.unnamed++;
      failures.push({
        kind: 'unnamed error',
        opClass,
        detail: `${line} raised ${describe(error)}`,
      });
      return { ok: false, result, error };
    }
    if (exp.ok && !exp.errorOk) {
      fail(
        counts,
        'wrong result',
        opClass,
        `${line} raised ${describe(error)}; the model expects success`,
      );
      return { ok: false, result, error };
    }
    counts.named++;
    memoryCheck(w, counts, opClass, line, exp.partial);
    return { ok: false, result, error };
  }
  if (!exp.ok) {
    fail(
      counts,
      'wrong result',
      opClass,
      `${line} succeeded (returned ${brief(result)}); the model expects an error`,
    );
    return { ok: true, result, error };
  }
  const why = exp.check?.(result);
  if (why !== undefined) {
    fail(counts, 'wrong result', opClass, `${line}: ${why}`);
    return { ok: true, result, error };
  }
  exp.apply?.();
  if (memoryCheck(w, counts, opClass, line, undefined)) counts.matches++;
  void ba;
  return { ok: true, result, error };
}

function brief(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'bigint') return `${v}n`;
  return typeof v === 'object' && v !== null ? `<${v.constructor?.name}>` : String(v);
}

/** Records a failure. */
export function fail(counts: Counts, kind: Failure['kind'], opClass: string, detail: string): void {
  if (kind === 'wrong result') counts.wrong++;
  else if (kind === 'unnamed error') counts.unnamed++;
  else counts.held++;
  failures.push({ kind, opClass, detail });
}

/** The real memory equals the model (bytes and length); a failure otherwise. */
export function memoryCheck(
  w: World,
  counts: Counts,
  opClass: string,
  line: string,
  partial: Expectation['partial'],
): boolean {
  const real = w.mem.real();
  if (real === undefined) return true;
  const model = w.mem.model;
  if (
    real.length === model.length &&
    Buffer.from(real.buffer, real.byteOffset, real.length).equals(
      Buffer.from(model.buffer, model.byteOffset, model.length),
    )
  ) {
    return true;
  }
  if (real.length !== model.length) {
    fail(
      counts,
      'wrong result',
      opClass,
      `after ${line}: memory is ${real.length} bytes, the model ${model.length}`,
    );
    return false;
  }
  for (let i = 0; i < real.length; i++) {
    if (real[i] === model[i]) continue;
    if (partial !== undefined) {
      const k = i - partial.lo;
      if (k >= 0 && k < partial.bytes.length && (real[i] === 0 || real[i] === partial.bytes[k])) {
        model[i] = real[i];
        continue;
      }
    }
    fail(
      counts,
      'wrong result',
      opClass,
      `after ${line}: byte ${i} is ${real[i]}, the model's ${model[i]}`,
    );
    return false;
  }
  return true;
}
