/**
 * Type-level parsing of literal struct formats, so that `unpack('<IHd', b)` is typed
 * `[number, number, number]` and `pack('<q', …)` asks for a bigint. A format that is not
 * a literal, or that the type parser cannot follow (a count over 64, a bad character),
 * gives the general array types; the runtime parser still has the last word.
 */

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Space = ' ' | '\t' | '\n' | '\v' | '\f' | '\r';
type Prefix = '@' | '=' | '<' | '>' | '!';

/** Native `long` is 8 bytes (bigint) under LP64 and 4 bytes (number) under Windows' LLP64. */
type NativeLong = number | bigint;

/** The value one item unpacks to. */
type OutValue<C extends string, Native extends boolean> = C extends
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
      ? NativeLong
      : number
    : C extends 'q' | 'Q' | 'n' | 'N' | 'P'
      ? bigint
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
> = F extends `${infer H}${infer R}`
  ? H extends Digit
    ? Walk<R, Mode, Native, `${Count}${H}`, Acc>
    : H extends Space
      ? Count extends ''
        ? Walk<R, Mode, Native, '', Acc>
        : Fallback<Mode>
      : H extends 'x'
        ? Walk<R, Mode, Native, '', Acc>
        : H extends 's' | 'p'
          ? Walk<R, Mode, Native, '', [...Acc, Item<H, Mode, Native>]>
          : [Item<H, Mode, Native>] extends [never]
            ? Fallback<Mode>
            : Small<CountOf<Count>> extends true
              ? Walk<
                  R,
                  Mode,
                  Native,
                  '',
                  [...Acc, ...Repeat<Item<H, Mode, Native>, CountOf<Count>>]
                >
              : Fallback<Mode>
  : Count extends ''
    ? Acc
    : Fallback<Mode>;

type Item<C extends string, Mode extends 'out' | 'in', Native extends boolean> = Mode extends 'out'
  ? OutValue<C, Native>
  : [OutValue<C, Native>] extends [never]
    ? never
    : InValue<C>;

type Fallback<Mode extends 'out' | 'in'> = Mode extends 'out' ? AnyOutValue[] : unknown[];

/**
 * The values of format `F` read (`out`) or written (`in`); inlined in the API reference.
 * @inline
 */
type Parse<F extends string, Mode extends 'out' | 'in'> = string extends F
  ? Fallback<Mode>
  : F extends `${infer P extends Prefix}${infer R}`
    ? Walk<R, Mode, P extends '@' ? true : false, '', []>
    : Walk<F, Mode, true, '', []>;

/** What `unpack(F, …)` returns: a tuple for a literal format, else `AnyOutValue[]`. */
export type Unpacked<F extends string> = Parse<F, 'out'>;

/** What `pack(F, …values)` takes: a tuple for a literal format, else `unknown[]`. */
export type PackValues<F extends string> = Parse<F, 'in'>;
