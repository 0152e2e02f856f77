/**
 * Equality of views, as CPython's `memory_richcompare`: equivalent shapes, then every
 * element equal, each side's elements read with its own format and compared as Python's
 * `==` compares the values.
 *
 * Invariants: NaN is unequal to everything, itself included, so a view holding NaN is
 * unequal even to itself; a format struct cannot read makes the views unequal; views
 * without elements are equal whatever their formats.
 */

import type { Layout } from '../layout/index.js';

/** CPython's `equiv_shape`: the same ndim, and equal dimensions up to the first 0. */
export function equivalentShapes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) {
    if (a[d] !== b[d]) return false;
    if (a[d] === 0) break;
  }
  return true;
}

/** Python's `a == b` for two element values as memview hands them out. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'boolean') a = a ? 1 : 0;
  if (typeof b === 'boolean') b = b ? 1 : 0;
  if (typeof a === 'number' || typeof a === 'bigint') {
    if (typeof b === 'number' || typeof b === 'bigint') return numbersEqual(a, b);
    return false;
  }
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  return false;
}

function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === typeof b) return a === b;
  // An int and a float are equal when the float is integral and has the same value.
  const [n, big] = typeof a === 'number' ? [a, b as bigint] : [b as number, a as bigint];
  return Number.isInteger(n) && BigInt(n) === big;
}

/** Reads an element of a view at a byte offset of its memory. */
export type ElementReader = (offset: number) => unknown;

/**
 * True when every element of `a` equals the element of `b` at the same index. Assumes
 * equivalent shapes; walks both layouts in C order with one odometer.
 */
export function elementsEqual(
  a: Layout,
  readA: ElementReader,
  b: Layout,
  readB: ElementReader,
): boolean {
  const shape = a.shape;
  const ndim = shape.length;
  for (let d = 0; d < ndim; d++) if (shape[d] === 0) return true;
  const index = new Array<number>(ndim).fill(0);
  let pa = a.offset;
  let pb = b.offset;
  for (;;) {
    if (!valuesEqual(readA(pa), readB(pb))) return false;
    let d = ndim - 1;
    for (; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        pa += a.strides[d];
        pb += b.strides[d];
        break;
      }
      index[d] = 0;
      pa -= a.strides[d] * (shape[d] - 1);
      pb -= b.strides[d] * (shape[d] - 1);
    }
    if (d < 0) return true;
  }
}
