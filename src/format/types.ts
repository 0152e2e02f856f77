/**
 * Type-level parsing of literal struct formats, so that `unpack('<IHd', b)` is typed
 * `[number, number, number]` and `pack('<q', …)` asks for a bigint. A format that is not
 * a literal, or that the type parser cannot follow (a count over 64, a bad character),
 * gives the general array types; the runtime parser still has the last word.
 */

import type { Code } from './codes.js';

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Space = ' ' | '\t' | '\n' | '\v' | '\f' | '\r';
type Prefix = '@' | '=' | '<' | '>' | '!';

/**
 * How 8-byte integers (`q Q n N P`, native `l L` under LP64) unpack: `'bigint'`, CPython's
 * exact int (the default), or `'number'`, exact too, with an OverflowError for a value
 * beyond ±(2**53 - 1) instead of a rounded one.
 */
export type Int64Mode = 'bigint' | 'number';

/** An 8-byte integer's value in a mode. */
type Wide<M extends Int64Mode> = M extends 'number' ? number : bigint;

/** The value one item unpacks to. Native `long` is 8 bytes under LP64, 4 under LLP64. */
type OutValue<C extends string, Native extends boolean, M extends Int64Mode> = C extends
  | 'b'
  | 'B'
  | 'h'
  | 'H'
  | 'i'
  | 'I'
  | 'e'
  | 'f'
  | 'd'
  ? number
  : C extends 'l' | 'L'
    ? Native extends true
      ? number | Wide<M>
      : number
    : C extends 'q' | 'Q' | 'n' | 'N' | 'P'
      ? Wide<M>
      : C extends '?'
        ? boolean
        : C extends 'c' | 's' | 'p'
          ? Uint8Array
          : never;

/** Integer values memview packs: numbers, bigints and booleans (Python's bool is an int). */
export type IntInput = number | bigint | boolean;

/** The value one item packs from. */
type InValue<C extends string> = C extends 'e' | 'f' | 'd'
  ? number | bigint | boolean
  : C extends 'c' | 's' | 'p'
    ? Uint8Array
    : C extends '?'
      ? unknown
      : IntInput;

/** Any value one item unpacks to. */
export type AnyOutValue = number | bigint | boolean | Uint8Array;

type Repeat<T, N extends number, Acc extends unknown[] = []> = Acc['length'] extends N
  ? Acc
  : Repeat<T, N, [...Acc, T]>;

type CountOf<S extends string> = S extends ''
  ? 1
  : S extends `${infer N extends number}`
    ? N
    : never;

type Upto<N extends number, Acc extends number[] = []> = Acc['length'] extends N
  ? Acc[number]
  : Upto<N, [...Acc, Acc['length']]>;

/** True when a count is small enough to spell out as a tuple (at most 64). */
type Small<N extends number> = [N] extends [never] ? false : [N] extends [Upto<65>] ? true : false;

type Walk<
  F extends string,
  Mode extends 'out' | 'in',
  Native extends boolean,
  Count extends string,
  Acc extends unknown[],
  M extends Int64Mode,
> = F extends `${infer H}${infer R}`
  ? H extends Digit
    ? Walk<R, Mode, Native, `${Count}${H}`, Acc, M>
    : H extends Space
      ? Count extends ''
        ? Walk<R, Mode, Native, '', Acc, M>
        : Fallback<Mode>
      : H extends 'x'
        ? Walk<R, Mode, Native, '', Acc, M>
        : H extends 's' | 'p'
          ? Walk<R, Mode, Native, '', [...Acc, Item<H, Mode, Native, M>], M>
          : [Item<H, Mode, Native, M>] extends [never]
            ? Fallback<Mode>
            : Small<CountOf<Count>> extends true
              ? Walk<
                  R,
                  Mode,
                  Native,
                  '',
                  [...Acc, ...Repeat<Item<H, Mode, Native, M>, CountOf<Count>>],
                  M
                >
              : Fallback<Mode>
  : Count extends ''
    ? Acc
    : Fallback<Mode>;

type Item<
  C extends string,
  Mode extends 'out' | 'in',
  Native extends boolean,
  M extends Int64Mode,
> = Mode extends 'out'
  ? OutValue<C, Native, M>
  : [OutValue<C, Native, M>] extends [never]
    ? never
    : InValue<C>;

type Fallback<Mode extends 'out' | 'in'> = Mode extends 'out' ? AnyOutValue[] : unknown[];

/**
 * The values of format `F` read (`out`) or written (`in`); inlined in the API reference.
 * @inline
 */
type Parse<F extends string, Mode extends 'out' | 'in', M extends Int64Mode> = string extends F
  ? Fallback<Mode>
  : F extends `${infer P extends Prefix}${infer R}`
    ? Walk<R, Mode, P extends '@' ? true : false, '', [], M>
    : Walk<F, Mode, true, '', [], M>;

/**
 * What `unpack(F, …)` returns: a tuple for a literal format, else `AnyOutValue[]`; with
 * `M = 'number'`, 8-byte integers are numbers.
 */
export type Unpacked<F extends string, M extends Int64Mode = 'bigint'> = Parse<F, 'out', M>;

/** What `pack(F, …values)` takes: a tuple for a literal format, else `unknown[]`. */
export type PackValues<F extends string> = Parse<F, 'in', 'bigint'>;

/** True when every character of `F` may appear in a format after its prefix. */
type KnownChars<F extends string> = F extends `${infer H}${infer R}`
  ? H extends Digit | Space | Code
    ? KnownChars<R>
    : false
  : true;

/**
 * `F` itself when it is a string (not a literal) or a literal made of format characters
 * only; otherwise a message type, so that a literal such as `'<Z'` fails to compile
 * where a format is due. Character by character, and no more: the runtime parser still
 * checks the grammar.
 */
export type FormatCheck<F extends string> = string extends F
  ? F
  : (F extends `${Prefix}${infer R}` ? KnownChars<R> : KnownChars<F>) extends true
    ? F
    : `bad char in struct format: ${F}`;
