/**
 * The types of a view's elements, from its format and dimension count at the type level:
 * `cast('<d')` gives a view whose `get` gives `number` and whose `toList` gives `number[]`.
 * A format only known at run time gives `unknown`.
 */

import type { Int64Mode, Unpacked } from '../format/index.js';

/** A one-value tuple's value; any other tuple (a record) as it is. */
type Single<U> = U extends readonly [infer V] ? V : U;

/**
 * One element of a view of format `F`: a value for a one-value format (`'d'` → `number`,
 * `'<q'` → `bigint`, or `number` when `M` is the `int64: 'number'` mode), a tuple for a
 * record (`'<IHd'` → `[number, number, number]`), `unknown` when `F` is not a literal.
 */
export type ElementOf<F extends string, M extends Int64Mode = 'bigint'> = string extends F
  ? unknown
  : Single<Unpacked<F, M>>;

/** Arrays of `T` nested to any depth, or `T` itself (a 0-dimensional view's `toList`). */
export type NestedList<T> = T | NestedList<T>[];

/** `toList` of an `N`-dimensional view of `T`: `T` for 0, `T[]` for 1, `T[][]` for 2, … */
export type ListOf<T, N extends number> = number extends N ? NestedList<T> : Nest<T, N, []>;

type Nest<T, N extends number, D extends unknown[]> = D['length'] extends N
  ? T
  : D['length'] extends 64
    ? NestedList<T>
    : Nest<T[], N, [...D, 0]>;
