/**
 * The errors of Node I/O, named after Python's: `OSError` and its connection subclasses
 * (`BrokenPipeError` for EPIPE, `ConnectionResetError` for ECONNRESET, …), and `EOFError`
 * for a file that ends before the bytes asked for.
 *
 * A failure reported by Node (an `ErrnoException` such as "write EPIPE") is wrapped, never
 * passed on bare: the message starts with the memview function that failed and says what
 * happened in words, `code`, `errno` and `syscall` are Node's own, and `cause` is Node's
 * error. memview's own errors (TypeError, ValueError, BufferError…) pass through as they are.
 */

/**
 * The fields of a Node system error (`NodeJS.ErrnoException`) that are kept.
 * @inline
 */
interface SystemErrorFields {
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly cause?: unknown;
}

/**
 * Python's `OSError`: a system call failed. `code` ('EBADF'), `errno` (Node's, negative on
 * POSIX) and `syscall` ('read') are copied from Node's error, which is the `cause`.
 */
export class OSError extends Error {
  /** `'OSError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'OSError';
  /** Node's error code: 'EPIPE', 'ECONNRESET', 'EBADF', … */
  readonly code: string | undefined;
  /** Node's errno (negative on POSIX: -32 for EPIPE). */
  readonly errno: number | undefined;
  /** The system call that failed, as Node names it ('write', 'read', 'connect'). */
  readonly syscall: string | undefined;

  constructor(message: string, fields: SystemErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code;
    this.errno = fields.errno;
    this.syscall = fields.syscall;
  }
}

/** Python's `ConnectionError`: the base of the errors of a connection that broke. */
export class ConnectionError extends OSError {
  /** `'ConnectionError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'ConnectionError';
}

/** Python's `BrokenPipeError`: writing to a connection the peer closed (EPIPE). */
export class BrokenPipeError extends ConnectionError {
  /** `'BrokenPipeError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'BrokenPipeError';
}

/** Python's `ConnectionResetError`: the peer reset the connection (ECONNRESET). */
export class ConnectionResetError extends ConnectionError {
  /** `'ConnectionResetError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'ConnectionResetError';
}

/**
 * Python's `ConnectionAbortedError`: the connection was aborted on this side (ECONNABORTED,
 * or the socket was destroyed before the operation completed).
 */
export class ConnectionAbortedError extends ConnectionError {
  /** `'ConnectionAbortedError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'ConnectionAbortedError';
}

/** Python's `ConnectionRefusedError`: nothing listens at the address (ECONNREFUSED). */
export class ConnectionRefusedError extends ConnectionError {
  /** `'ConnectionRefusedError'`, Python's name for the class: `String(err)` reads as a traceback's last line. */
  override name = 'ConnectionRefusedError';
}

/** Python's `EOFError` (memview's one class): a file ended before the bytes asked for. */
export { EOFError } from '../errors.js';

type OSErrorClass = new (message: string, fields?: SystemErrorFields) => OSError;

/** The class and the words for each error code of a broken connection. */
const CONNECTION_ERRORS: Readonly<Record<string, readonly [OSErrorClass, string]>> = {
  EPIPE: [BrokenPipeError, 'the peer closed the connection'],
  ECONNRESET: [ConnectionResetError, 'the peer reset the connection'],
  ECONNABORTED: [ConnectionAbortedError, 'the connection was aborted'],
  ECONNREFUSED: [ConnectionRefusedError, 'the connection was refused'],
  ERR_STREAM_DESTROYED: [ConnectionAbortedError, 'the stream was destroyed'],
  ERR_STREAM_PREMATURE_CLOSE: [ConnectionAbortedError, 'the stream was closed'],
  ERR_SOCKET_CLOSED: [ConnectionAbortedError, 'the socket is closed'],
  ERR_STREAM_WRITE_AFTER_END: [BrokenPipeError, 'the stream was ended'],
};

/** A system error code ('EPIPE', 'EBADF'), as opposed to Node's own ('ERR_INVALID_ARG_TYPE'). */
const SYSTEM_CODE = /^E[A-Z0-9]+$/;

/**
 * `err` as memview reports it from `context` (the function that failed): Node's system
 * and stream errors become `OSError` (or the matching `ConnectionError`) with a message that
 * says what happened, followed by `detail` ("; 1048576 of 8388608 bytes were sent");
 * every other error (memview's own, Node's argument errors) is returned unchanged.
 */
export function ioError(context: string, err: unknown, detail = ''): Error {
  if (!(err instanceof Error)) {
    return new OSError(`${context}: ${String(err)}${detail}`, { cause: err });
  }
  if (err instanceof OSError) return err;
  const fields = err as Error & SystemErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const known = code === undefined ? undefined : CONNECTION_ERRORS[code];
  if (known === undefined && (code === undefined || !SYSTEM_CODE.test(code))) return err;
  const [Class, words] = known ?? [OSError, undefined];
  const message =
    words === undefined
      ? `${context}: ${err.message}${detail}`
      : `${context}: ${words} (${err.message})${detail}`;
  return new Class(message, {
    code,
    errno: typeof fields.errno === 'number' ? fields.errno : undefined,
    syscall: typeof fields.syscall === 'string' ? fields.syscall : undefined,
    cause: err,
  });
}
