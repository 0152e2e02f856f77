/**
 * The struct item codes and their sizes: standard sizes for the `= < > !` prefixes, and
 * the host C ABI's sizes and alignments for native mode (`@` or no prefix).
 *
 * Invariants: every JavaScript host memview runs on is 64-bit; the data model is LP64
 * everywhere but Windows, which is LLP64 (`long` is 4 bytes there).
 */

/** Every code the struct grammar knows. */
export type Code =
  | 'x'
  | 'c'
  | 'b'
  | 'B'
  | '?'
  | 'h'
  | 'H'
  | 'i'
  | 'I'
  | 'l'
  | 'L'
  | 'q'
  | 'Q'
  | 'n'
  | 'N'
  | 'e'
  | 'f'
  | 'd'
  | 's'
  | 'p'
  | 'P';

/** What kind of value a code packs and unpacks. */
export type CodeKind =
  | 'pad'
  | 'char'
  | 'bool'
  | 'int'
  | 'uint'
  | 'pointer'
  | 'float'
  | 'bytes'
  | 'pascal';

/** Size facts of one code; a standard size of 0 means the code is native-only. */
export interface CodeInfo {
  readonly kind: CodeKind;
  readonly standardSize: number;
  readonly nativeSize: number;
  readonly nativeAlign: number;
}

/** The host's C data model: `long` is 8 bytes under LP64 and 4 under LLP64 (Windows). */
export const DATA_MODEL: 'LP64' | 'LLP64' = /* @__PURE__ */ (() =>
  (globalThis as { process?: { platform?: string } }).process?.platform === 'win32'
    ? 'LLP64'
    : 'LP64')();

/** True when the host stores multi-byte numbers least significant byte first. */
export const NATIVE_LITTLE_ENDIAN: boolean = /* @__PURE__ */ (() =>
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)();

const LONG = DATA_MODEL === 'LP64' ? 8 : 4;

function info(kind: CodeKind, standardSize: number, nativeSize: number): CodeInfo {
  return { kind, standardSize, nativeSize, nativeAlign: nativeSize };
}

/** The code table; alignment equals size for every native code with an alignment. */
export const CODES: Readonly<Record<Code, CodeInfo>> = {
  x: /* @__PURE__ */ info('pad', 1, 1),
  c: /* @__PURE__ */ info('char', 1, 1),
  b: /* @__PURE__ */ info('int', 1, 1),
  B: /* @__PURE__ */ info('uint', 1, 1),
  '?': /* @__PURE__ */ info('bool', 1, 1),
  h: /* @__PURE__ */ info('int', 2, 2),
  H: /* @__PURE__ */ info('uint', 2, 2),
  i: /* @__PURE__ */ info('int', 4, 4),
  I: /* @__PURE__ */ info('uint', 4, 4),
  l: /* @__PURE__ */ info('int', 4, LONG),
  L: /* @__PURE__ */ info('uint', 4, LONG),
  q: /* @__PURE__ */ info('int', 8, 8),
  Q: /* @__PURE__ */ info('uint', 8, 8),
  n: /* @__PURE__ */ info('int', 0, 8),
  N: /* @__PURE__ */ info('uint', 0, 8),
  e: /* @__PURE__ */ info('float', 2, 2),
  f: /* @__PURE__ */ info('float', 4, 4),
  d: /* @__PURE__ */ info('float', 8, 8),
  s: /* @__PURE__ */ info('bytes', 1, 1),
  p: /* @__PURE__ */ info('pascal', 1, 1),
  P: /* @__PURE__ */ info('pointer', 0, 8),
};

/** Whether `ch` is one of the struct codes. */
export function isCode(ch: string): ch is Code {
  return Object.hasOwn(CODES, ch);
}
