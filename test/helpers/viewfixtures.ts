/**
 * Types and decoding for the golden MemoryView fixtures written by
 * scripts/gen_view_fixtures.py (its opening comment defines the cases, the steps and the
 * JSON encoding; values are encoded as in test/helpers/fixtures.ts, plus plain JSON arrays
 * and null, register references, empty objects and omitted arguments).
 */

import { AssertionError } from 'node:assert/strict';
import {
  BufferError,
  IndexError,
  NotImplementedError,
  OverflowError,
  ValueError,
} from '../../src/index.js';
import { decode, type Encoded, show } from './fixtures.js';

/** An expected exception: CPython's class name and exact message. */
export interface ViewErrorSpec {
  error: ViewErrorName;
  message: string;
}

export type ViewErrorName =
  | 'TypeError'
  | 'ValueError'
  | 'IndexError'
  | 'BufferError'
  | 'NotImplementedError'
  | 'OverflowError';

/** A value as the view fixtures encode it. */
export type ViewEncoded =
  | Encoded
  | null
  | ViewEncoded[]
  | { reg: string }
  | { object: true }
  | { undefined: true };

/** One exporter of a case. */
export interface ExporterSpec {
  kind: 'bytes' | 'bytearray' | 'ndarray';
  data: string;
  track?: boolean;
  shape?: number[];
  strides?: number[];
  offset?: number;
  format?: string;
  itemsize?: number;
  readonly?: boolean;
}

/** Every attribute of a view, as `attrs` steps expect them. */
export interface ViewAttributes {
  obj: string;
  nbytes: number;
  readonly: boolean;
  itemsize: number;
  format: string;
  ndim: number;
  shape: number[];
  strides: number[];
  suboffsets: number[];
  c: boolean;
  f: boolean;
  contiguous: boolean;
  len: number | ViewErrorSpec;
}

/** What a consumer's `getBuffer(m, flags)` receives (null: CPython leaves it out). */
export interface ExpectedInfo {
  len: number;
  readonly: boolean;
  itemsize: number;
  format: string | null;
  ndim: number;
  shape: number[] | null;
  strides: number[] | null;
  offset: number;
}

/** One step of a case; which fields are present depends on `op`. */
export interface Step {
  op:
    | 'view'
    | 'slice'
    | 'cast'
    | 'toreadonly'
    | 'attrs'
    | 'attr'
    | 'tolist'
    | 'tobytes'
    | 'hex'
    | 'iter'
    | 'get'
    | 'set'
    | 'assign'
    | 'equals'
    | 'release'
    | 'dispose'
    | 'getbuf'
    | 'releasebuf'
    | 'locked';
  in?: string;
  of?: string;
  out?: string;
  name?: string;
  args?: ViewEncoded[];
  src?: ViewEncoded;
  other?: ViewEncoded;
  value?: ViewEncoded;
  flags?: number;
  expect?: unknown;
  error?: ViewErrorSpec;
  mem?: Record<string, string>;
  alt?: boolean;
}

/** One case: exporters, then steps run in order against named registers. */
export interface ViewCase {
  label: string;
  extension?: string;
  exporters: Record<string, ExporterSpec>;
  steps: Step[];
}

/** A fixture file. */
export interface ViewFixture {
  about: string;
  generator: string;
  python: string;
  seed: number;
  groups: Record<string, ViewCase[]>;
}

const ERROR_CLASSES: Record<ViewErrorName, abstract new (...args: never[]) => Error> = {
  TypeError,
  ValueError,
  IndexError,
  BufferError,
  NotImplementedError,
  OverflowError,
};

/** True for an encoded error expectation. */
export function isViewError(value: unknown): value is ViewErrorSpec {
  return typeof value === 'object' && value !== null && 'error' in value && 'message' in value;
}

/**
 * The JavaScript value an encoded value stands for (fresh objects each call); `lookup`
 * resolves register references.
 */
export function decodeView(value: ViewEncoded, lookup: (name: string) => unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => decodeView(v, lookup));
  if (typeof value === 'object') {
    if ('reg' in value) return lookup(value.reg);
    if ('object' in value) return {};
    if ('undefined' in value) return undefined;
  }
  return decode(value as Encoded);
}

/** Whether `err` is exactly the expected error (class, `name` and message). */
export function matchesError(err: unknown, spec: ViewErrorSpec): boolean {
  const cls = ERROR_CLASSES[spec.error];
  return (
    err instanceof cls &&
    (err as Error).name === spec.error &&
    (err as Error).message === spec.message
  );
}

/** A short rendering of an error spec or a thrown value. */
export function showError(err: unknown): string {
  if (isViewError(err)) return `${err.error}(${JSON.stringify(err.message)})`;
  if (err instanceof Error) return `${err.name}(${JSON.stringify(err.message)})`;
  return `throw ${show(err)}`;
}

/** A failed check of one step. */
export function stepFailure(context: string, expected: string, actual: string): AssertionError {
  return new AssertionError({ message: `${context}: expected ${expected}, got ${actual}` });
}
