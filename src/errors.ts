/**
 * Error classes named after Python's, so that a Python-fluent user recognises every
 * failure. Each message is CPython 3.13's text, word for word; `name` is set so that
 * `String(err)` reads like a Python traceback's last line.
 *
 * Python's `TypeError` is JavaScript's own `TypeError` and has no class here.
 */

/** Python's `BufferError`: a buffer could not be exported, released or resized. */
export class BufferError extends Error {
  /** `'BufferError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'BufferError';
}

/** Python's `struct.error`: a bad format, a wrong value count, a value out of range. */
export class StructError extends Error {
  /** `'StructError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'StructError';
}

/** Python's `ValueError`. */
export class ValueError extends Error {
  /** `'ValueError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'ValueError';
}

/** Python's `UnicodeEncodeError` (a `ValueError`): a non-ASCII character in a format string. */
export class UnicodeEncodeError extends ValueError {
  /** `'UnicodeEncodeError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'UnicodeEncodeError';
}

/** Python's `IndexError`; a `RangeError` in JavaScript terms. */
export class IndexError extends RangeError {
  /** `'IndexError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'IndexError';

  // An own constructor: JavaScriptCore (Bun, Safari) otherwise reports the implicit one of a
  // RangeError subclass as the stack's first frame, from no file, which `fromCall` could
  // not tell for memview's and would leave untrimmed.
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Python's `OverflowError`; a `RangeError` in JavaScript terms. */
export class OverflowError extends RangeError {
  /** `'OverflowError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'OverflowError';

  // An own constructor: JavaScriptCore (Bun, Safari) otherwise reports the implicit one of a
  // RangeError subclass as the stack's first frame, from no file, which `fromCall` could
  // not tell for memview's and would leave untrimmed.
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Python's `MemoryError`: a size beyond what the engine can allocate (a format of
 * `1000000000000x`, a ByteArray of 1e15 bytes), raised before anything is allocated.
 */
export class MemoryError extends Error {
  /** `'MemoryError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'MemoryError';
}

/**
 * Python's `UnicodeDecodeError` (a `ValueError`): bytes that are not valid text in the
 * codec asked for. Made as Python makes it, `new UnicodeDecodeError(encoding, object,
 * start, end, reason)`, with CPython's attributes and its message (`str(e)`).
 */
export class UnicodeDecodeError extends ValueError {
  /** `'UnicodeDecodeError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'UnicodeDecodeError';
  /** The codec's name as CPython reports it: `'utf-8'`, `'utf-16-le'`, `'charmap'`… */
  readonly encoding: string;
  /** The bytes being decoded (a copy, as Python's `bytes`). */
  readonly object: Uint8Array;
  /** Where the bad bytes start in `object`. */
  readonly start: number;
  /** Where they end (exclusive). */
  readonly end: number;
  /** What is wrong with them: `'invalid start byte'`, `'unexpected end of data'`… */
  readonly reason: string;

  constructor(encoding: string, object: Uint8Array, start: number, end: number, reason: string) {
    const bytes = new Uint8Array(object);
    // CPython names the byte only when [start, end) is one byte inside the object.
    super(
      start >= 0 && start < bytes.length && end === start + 1
        ? `'${encoding}' codec can't decode byte 0x${bytes[start].toString(16).padStart(2, '0')} in position ${start}: ${reason}`
        : `'${encoding}' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`,
    );
    this.encoding = encoding;
    this.object = bytes;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

/**
 * Python's `LookupError`: a codec name Python does not know ("unknown encoding: X"), or
 * one memview cannot decode.
 */
export class LookupError extends Error {
  /** `'LookupError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'LookupError';
}

/** Python's `NotImplementedError`. */
export class NotImplementedError extends Error {
  /** `'NotImplementedError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'NotImplementedError';
}

/**
 * Python's `EOFError`: a read past the end of the data (`BufferReader`), which consumes
 * nothing.
 */
export class EOFError extends Error {
  /** `'EOFError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'EOFError';
}

/**
 * A length-prefixed frame longer than its decoder's maximum (`FrameDecoder`); a
 * `ValueError`. The decoder skips that frame's bytes and stays usable.
 */
export class FrameTooLongError extends ValueError {
  /** `'FrameTooLongError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'FrameTooLongError';
}

/**
 * The Python type name a JavaScript value stands for in CPython's messages
 * ("a bytes-like object is required, not 'str'"): numbers are `int` or `float`,
 * `null` and `undefined` are `NoneType`, arrays are `list`, Uint8Arrays `bytes` (the
 * type memview hands out for Python's bytes), plain objects `dict`, memview's own classes
 * by their static `'memview.pyTypeName'` (`MemoryView` is `memoryview`: bundlers and
 * minifiers rename classes, and a string key, unlike a symbol, keeps the class
 * tree-shakable), other classes by their name.
 */
export function pyTypeName(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'NoneType';
    case 'symbol':
      return 'symbol';
    case 'function':
      return 'function';
  }
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return 'dict';
  const ctor = (value as { constructor?: { name?: unknown; 'memview.pyTypeName'?: unknown } })
    .constructor;
  // Own, not inherited: a user's subclass of Bytes is named as the user named it.
  if (typeof ctor === 'function' && Object.hasOwn(ctor, 'memview.pyTypeName')) {
    const name = ctor['memview.pyTypeName'];
    if (typeof name === 'string') return name;
  }
  if (typeof ctor?.name !== 'string' || ctor.name === '') return 'object';
  return ctor.name;
}

/** A public function or class whose caller a trimmed stack starts at. */
export type Entry = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

// The folders of memview's modules, as stack frames name them: URLs (Node, Deno, browsers)
// or paths (Bun); found on the first error, so that importing memview runs no code. Deno
// maps frames through the source maps, to the TypeScript sources the package ships in
// `src/` beside `dist/src/`, so those count too. Empty when memview was bundled (this
// module is not `errors.js`): its folder then holds the user's code too, and no frame can
// be told for memview's by its file.
let home: readonly string[] | undefined;

/**
 * `error` with its stack trace starting at the user's call of `entry`, memview's own
 * frames left out, when memview threw it; an error from user code (an exporter, a value's
 * `valueOf`) keeps its stack, whose top frames are the user's. Public entry points call
 * this in a `catch`, so the success path pays nothing; the message is never changed.
 *
 * `delegatedBy`: `entry` is an internal function that public methods of that name
 * delegate to (bytes' methods), so the capture starts at the delegating method, whose
 * frame is then cut.
 */
export function fromCall<E>(error: E, entry: Entry, delegatedBy?: string): E {
  // V8's and JavaScriptCore's (absent in older SpiderMonkey, where stacks stay as they were).
  const capture = (Error as { captureStackTrace?: (error: object, entry: Entry) => void })
    .captureStackTrace;
  if (capture === undefined || !(error instanceof Error)) return error;
  const stack = error.stack;
  if (typeof stack !== 'string' || !thrownHere(stack)) return error;
  capture(error, entry);
  const captured = error.stack;
  if (typeof captured !== 'string') return error;
  if (frameAt(captured, 0) === '') {
    // No frame at all: `entry` was not on the stack. JavaScriptCore makes proper tail
    // calls in strict code, so a public method that ends in `return helper(...)` has left
    // the stack when `helper` catches; memview's frames are then cut from the stack as
    // thrown.
    error.stack = withoutOwnFrames(stack);
  } else if (delegatedBy !== undefined) {
    // The delegating method's frame, unless a proper tail call took it away already (the
    // first frame is then the user's). Where files cannot tell (memview bundled), its
    // name does: a minifier keeps method names.
    const first = frameAt(captured, 0);
    const second = frameAt(captured, 1);
    const delegating =
      homeFolders().length > 0
        ? ours(first) && second !== '' && !ours(second)
        : first.startsWith('\n    at ') && first.includes(`.${delegatedBy} (`);
    if (delegating) {
      const at = captured.indexOf(first);
      error.stack = captured.slice(0, at) + captured.slice(at + first.length);
    }
  }
  return error;
}

/**
 * `fromCall` for an error raised in a generator the user iterates (`FrameDecoder.push`):
 * the trace starts at the user's loop or `next()` call, the generator's frames left out.
 */
export function fromNext<E>(error: E): E {
  // The generators' shared `next`, looked up here so that loading memview runs no code.
  const next = (Object.getPrototypeOf(function* () {}) as { prototype: Generator }).prototype.next;
  return fromCall(error, next);
}

/** The `n`-th frame line of a V8-style stack (`\n    at …`), or `''`. */
function frameAt(stack: string, n: number): string {
  let start = stack.indexOf('\n    at ');
  for (; start >= 0 && n > 0; n--) start = stack.indexOf('\n    at ', start + 1);
  if (start < 0) return '';
  const end = stack.indexOf('\n', start + 1);
  return end < 0 ? stack.slice(start) : stack.slice(start, end);
}

/**
 * `stack` without the frames in memview's modules above the first frame that is not; as
 * it is when all its frames are memview's (the engine kept none of the caller's, as
 * JavaScriptCore after an `await` in an async generator): those still say where it failed.
 */
function withoutOwnFrames(stack: string): string {
  const start = stack.indexOf('\n    at ');
  if (start < 0) return stack;
  let at = start;
  while (at < stack.length) {
    const end = stack.indexOf('\n', at + 1);
    const frame = end < 0 ? stack.slice(at) : stack.slice(at, end);
    if (!frame.startsWith('\n    at ') || !ours(frame)) break;
    at = end < 0 ? stack.length : end;
  }
  return at === start || at === stack.length ? stack : stack.slice(0, start) + stack.slice(at);
}

/**
 * True when memview threw `stack`'s error: its first frame is in memview's modules, or,
 * memview being bundled, in the bundle (a user's error has the user's frame first only
 * where the files tell them apart).
 */
function thrownHere(stack: string): boolean {
  const frame = frameAt(stack, 0);
  return frame !== '' && (ours(frame) || homeFolders().length === 0);
}

/** True when `frame` (a stack line) is in one of memview's modules (never when bundled). */
function ours(frame: string): boolean {
  return frame !== '' && homeFolders().some((folder) => frame.includes(folder));
}

function homeFolders(): readonly string[] {
  if (home === undefined) {
    const module = new URL(import.meta.url);
    const url = new URL('.', module);
    const folders = url.pathname.endsWith('/dist/src/') ? [url, new URL('../../src/', url)] : [url];
    home = /\/errors\.[jt]s$/.test(module.pathname)
      ? folders.flatMap((u) => [u.href, decodeURIComponent(u.pathname)])
      : [];
  }
  return home;
}
