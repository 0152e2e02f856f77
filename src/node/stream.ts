/**
 * Writing to sockets (any `stream.Writable`): the socket half of `writev` — Python's
 * `socket.sendmsg` — and `sendFile` — Python's `socket.sendfile` — which moves a file
 * range to a socket through two reused 1 MiB buffers.
 *
 * Invariants:
 * - a Writable is written with `cork()`, one `write()` per contiguous run, `uncork()`:
 *   Node hands the whole batch to libuv as one `writev` (no concatenation);
 * - memory given to `write()` is in use until that write's callback (Node keeps a
 *   reference, not a copy), so exports are released and buffers reused only after it;
 * - while an operation runs, a `'error'` listener catches the stream's error, which the
 *   operation reports (wrapped, see errors.ts) instead of it crashing the process as an
 *   unhandled `'error'` event; after a failure the listener stays until `'close'` was
 *   emitted, since runtimes emit `'error'` after they called the write callbacks (Node a
 *   tick later, Deno even after `stream.closed` became true);
 * - the views' memory is checked again once the write completed: memory that went away
 *   meanwhile (detached, shrunk, grown) is a BufferError, not a count of bytes written.
 */

import { Writable } from 'node:stream';
import { fromCall, pyTypeName, ValueError } from '../errors.js';
import { BrokenPipeError, ConnectionAbortedError, EOFError, ioError } from './errors.js';
import { assertAllLive, type BytesLike, exportAll, pushRuns, releaseAll } from './exports.js';
import {
  checkFile,
  checkOffset,
  checkPosition,
  type FileLike,
  type FilePosition,
  fileSize,
  isFileLike,
  readAt,
  writeRuns,
} from './file.js';

/** Where `writev` writes: a socket (any `stream.Writable`), a `FileHandle` or a descriptor. */
export type WritevTarget = Writable | FileLike;

/** Options of `sendFile`. */
export interface SendFileOptions {
  /** Byte offset in the file of the first byte sent (default 0). */
  readonly offset?: number | bigint;
  /**
   * Bytes to send (default: to the end of the file). A file that ends before
   * `offset + length` is an `EOFError`.
   */
  readonly length?: number | bigint;
  /** Size of each of the two reused buffers, in bytes (default 1 MiB). */
  readonly chunkSize?: number;
}

/** The default size of each of `sendFile`'s two buffers. */
export const SEND_FILE_CHUNK = 0x10_0000; // 1 MiB

/**
 * Catches a Writable's `'error'` while an operation runs (see the module invariants) and
 * tells whether the stream failed: its error, or a ConnectionAbortedError when it was
 * destroyed without one (Node then calls pending write callbacks without an error).
 */
class StreamWatch {
  readonly #stream: Writable;
  readonly #caller: string;
  #error: Error | null = null;
  /** `'close'` was emitted while watching: no `'error'` can follow. */
  #closeEmitted = false;
  readonly #onError = (err: Error): void => {
    this.#error ??= err;
  };
  readonly #onClose = (): void => {
    this.#closeEmitted = true;
  };

  constructor(stream: Writable, caller: string) {
    if (stream.destroyed) {
      throw new ConnectionAbortedError(`${caller}: the stream was destroyed`, {
        code: 'ERR_STREAM_DESTROYED',
      });
    }
    if (stream.writableEnded) {
      throw new BrokenPipeError(`${caller}: the stream was ended (write after end)`, {
        code: 'ERR_STREAM_WRITE_AFTER_END',
      });
    }
    this.#stream = stream;
    this.#caller = caller;
    stream.on('error', this.#onError);
    stream.on('close', this.#onClose);
  }

  /**
   * The error to report for a write callback that got `err`, or null when the write
   * succeeded: the stream's first error is preferred to the generic one of a later write.
   */
  failure(err?: Error | null): Error | null {
    const stream = this.#stream;
    const first = this.#error ?? (stream.errored as Error | null) ?? err ?? null;
    if (first !== null) return first;
    if (stream.destroyed) {
      return new ConnectionAbortedError(
        `${this.#caller}: the stream was destroyed before the write completed`,
        { code: 'ERR_STREAM_DESTROYED' },
      );
    }
    return null;
  }

  /**
   * Stops catching errors: now, or, when the stream failed or was destroyed, once it
   * emitted `'close'`. A failing stream emits `'error'` after the write callbacks ran, and
   * `stream.closed` may already be true by then (Deno sets it before emitting), so only
   * the `'close'` event itself says that no `'error'` is left to come.
   */
  dispose(): void {
    const stream = this.#stream;
    const failing = this.#error !== null || (stream.errored ?? null) !== null || stream.destroyed;
    if (failing && !this.#closeEmitted) {
      stream.off('close', this.#onClose);
      stream.once('close', () => stream.off('error', this.#onError));
    } else {
      stream.off('error', this.#onError);
      stream.off('close', this.#onClose);
    }
  }
}

/**
 * Writes `chunks` to `stream` as one batch (`cork`, `write`…, `uncork`: one `writev` on a
 * socket) and resolves with null when the last write's callback reports success, or with
 * the failure. Never rejects: a `write` that throws (a broken custom Writable) destroys
 * the stream, so that nothing queued before it goes on using the memory.
 */
function writeBatch(
  stream: Writable,
  chunks: readonly Uint8Array[],
  watch: StreamWatch,
): Promise<Error | null> {
  return new Promise((resolve) => {
    const last = chunks.length - 1;
    const done = (err?: Error | null): void => resolve(watch.failure(err));
    if (last > 0) stream.cork();
    try {
      for (let i = 0; i < last; i++) stream.write(chunks[i]);
      stream.write(chunks[last], done);
    } catch (err) {
      stream.destroy(err as Error);
      resolve(err as Error);
    } finally {
      if (last > 0) stream.uncork();
    }
  });
}

/**
 * Writes the bytes of `views`, in order, with one vectored write, and resolves with the
 * number of bytes written — Python's `socket.sendmsg(buffers)` / `os.writev` /
 * `os.pwritev`. Each view may be any exporter (read-only is fine) of any layout: a strided
 * view contributes one iovec per contiguous run (a 2-D window is one iovec per row), so
 * nothing is concatenated or copied.
 *
 * - a socket (any `stream.Writable`): `cork()`, one `write()` per run, `uncork()` — one
 *   `writev` system call for the batch; resolves once the last write's callback ran, that
 *   is once the kernel took every byte; `position` must not be given;
 * - a file (`FileHandle` or descriptor): `writev`/`pwritev`, 1024 iovecs per call, at
 *   `position` when given (else at, and advancing, the current position); resolves with
 *   the bytes written, fewer than asked only after a short write.
 *
 * The views are exported until the write completes (a ByteArray cannot resize, a
 * MemoryView cannot be released), then released, also on failure. No bytes: 0 without a
 * system call.
 *
 * Errors: TypeError "a bytes-like object is required, not 'str'" for a non-exporter;
 * ValueError for a released view; BufferError naming the cause for memory that is
 * detached, shrunk or replaced by a grown WebAssembly.Memory, before the write or once it
 * completed (the bytes written from it may not be the view's);
 * `BrokenPipeError`/`ConnectionResetError` when the peer closed or reset the connection,
 * `ConnectionAbortedError` when the socket was destroyed before the write completed,
 * `OSError` for other failures (Node's error as `cause`).
 *
 * @throws {TypeError} "a bytes-like object is required, not 'str'" for a non-exporter.
 * @throws {BrokenPipeError} when the peer closed the connection (`ConnectionResetError`
 * when it reset it, `OSError` for other failures).
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { memoryview } from 'memview';
 * import { writev } from 'memview/node';
 * const out = createWriteStream('/dev/null');
 * const plane = memoryview(new Uint8Array(64 * 64)).cast('B', [64, 64]);
 * await writev(out, [new Uint8Array([0, 32]), plane.sub([0, 32], [0, 32])]); // 1026
 * out.end();
 * ```
 */
export async function writev(
  target: WritevTarget,
  views: Iterable<BytesLike>,
  position?: FilePosition,
): Promise<number> {
  try {
    const socket = target instanceof Writable;
    if (!socket && !isFileLike(target)) {
      throw new TypeError(
        `writev: target must be a stream.Writable (a net.Socket), a FileHandle or a file descriptor, not '${pyTypeName(target)}'`,
      );
    }
    if (socket && position !== undefined && position !== null) {
      throw new TypeError('writev: position applies to files, not to streams');
    }
    const at = socket ? null : checkPosition(position, 'writev');
    if (
      typeof views !== 'object' ||
      views === null ||
      typeof (views as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function' ||
      ArrayBuffer.isView(views)
    ) {
      throw new TypeError(
        `writev: views must be an iterable of bytes-like objects, not '${pyTypeName(views)}'`,
      );
    }
    const infos = exportAll(views);
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (const info of infos) total += pushRuns(info, chunks);
      if (total === 0) return 0;
      const check = (): void => assertAllLive(infos);
      if (!socket) return await writeRuns(target as FileLike, chunks, at, check);
      const watch = new StreamWatch(target, 'writev');
      const failure = await writeBatch(target, chunks, watch);
      watch.dispose();
      if (failure !== null)
        throw ioError('writev', failure, `; the write of ${total} bytes did not complete`);
      check();
      return total;
    } catch (err) {
      throw ioError('writev', err);
    } finally {
      releaseAll(infos);
    }
  } catch (error) {
    throw fromCall(error, writev);
  }
}

/**
 * Sends `length` bytes of `file` starting at `offset` to `socket` (any `stream.Writable`)
 * and resolves with the number of bytes sent — Python's `socket.sendfile(file, offset,
 * count)`. The bytes go through two buffers of `chunkSize` (1 MiB) allocated once per
 * call and reused: while one is being written, the next range is read into the other;
 * a buffer is refilled only after its write callback ran (the kernel took its bytes), so
 * at most two buffers of data are in flight and a slow peer slows the reads down.
 *
 * Reads of a regular file are positional (`pread`): its own position is neither used nor
 * moved. Any other file (a pipe, a device) is read from its current position, and
 * `offset` must be 0. `length` defaults to the rest of the file. The socket must not be written to by
 * anyone else until the promise settles.
 *
 * Errors: `EOFError` when the file ends before `offset + length` (checked before sending
 * anything for a regular file; a file that shrinks during the transfer, or a pipe, fails
 * when its read comes up short, after the bytes before it were sent);
 * `BrokenPipeError`/`ConnectionResetError` when the peer closes mid-transfer, with the
 * bytes the kernel had taken in the message; `OSError` for a failed read;
 * TypeError/ValueError for bad arguments.
 *
 * @throws {EOFError} when the file ends before `offset + length`.
 * @throws {BrokenPipeError} when the peer closes mid-transfer (`ConnectionResetError`,
 * `OSError` for other failures).
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { open } from 'node:fs/promises';
 * import { sendFile } from 'memview/node';
 * const file = await open(process.execPath);
 * const out = createWriteStream('/dev/null');
 * await sendFile(out, file, { offset: 0, length: 8192 }); // 8192
 * out.end();
 * await file.close();
 * ```
 */
export async function sendFile(
  socket: Writable,
  file: FileLike,
  options: SendFileOptions = {},
): Promise<number> {
  try {
    if (!(socket instanceof Writable)) {
      throw new TypeError(
        `sendFile: socket must be a stream.Writable (a net.Socket), not '${pyTypeName(socket)}'`,
      );
    }
    const source = checkFile(file, 'sendFile');
    const offset = checkOffset(options.offset ?? 0, 'sendFile', 'offset');
    let length =
      options.length === undefined ? -1 : checkOffset(options.length, 'sendFile', 'length');
    const chunkSize = checkOffset(options.chunkSize ?? SEND_FILE_CHUNK, 'sendFile', 'chunkSize');
    if (chunkSize === 0) throw new TypeError('sendFile: chunkSize must be positive');
    const watch = new StreamWatch(socket, 'sendFile');
    try {
      const { size, regular } = await fileSize(source);
      if (!regular && offset !== 0) {
        throw new ValueError(
          'sendFile: offset must be 0 for a file that is not a regular file (a pipe, a socket, a device)',
        );
      }
      if (regular) {
        if (length < 0) length = Math.max(0, size - offset);
        else if (offset + length > size) {
          throw new EOFError(
            `sendFile: the file has ${size} bytes, fewer than offset + length = ${offset + length}; nothing was sent`,
          );
        }
      }
      return await pump(socket, source, regular ? offset : null, length, chunkSize, watch);
    } catch (err) {
      throw ioError('sendFile', err);
    } finally {
      watch.dispose();
    }
  } catch (error) {
    throw fromCall(error, sendFile);
  }
}

/**
 * The double-buffered loop of `sendFile`: `length` bytes (-1: to the end of the file)
 * from `offset` (null: sequential reads from the current position, for pipes). Waits for
 * every write it started before it returns or throws.
 */
async function pump(
  socket: Writable,
  file: FileLike,
  offset: number | null,
  length: number,
  chunkSize: number,
  watch: StreamWatch,
): Promise<number> {
  if (length === 0) return 0;
  const size = length < 0 ? chunkSize : Math.min(chunkSize, length);
  const buffers: (Uint8Array | null)[] = [new Uint8Array(size), null];
  const writes: (Promise<Error | null> | null)[] = [null, null];
  let sent = 0;
  let position = offset ?? 0;
  let remaining = length < 0 ? Number.POSITIVE_INFINITY : length;
  let failure: Error | null = null;
  let eof = false;
  try {
    for (let i = 0; remaining > 0; i ^= 1) {
      const pending = writes[i];
      if (pending !== null) {
        writes[i] = null;
        failure = await pending;
        if (failure !== null) break;
      }
      failure = watch.failure();
      if (failure !== null) break;
      let buffer = buffers[i];
      if (buffer === null) buffer = buffers[i] = new Uint8Array(size);
      const want = Math.min(size, remaining);
      const target = want === size ? buffer : buffer.subarray(0, want);
      const n = await readAt(file, target, offset === null ? null : position);
      if (n === 0) {
        eof = length >= 0;
        break;
      }
      position += n;
      remaining -= n;
      writes[i] = writeBatch(socket, [n === size ? buffer : buffer.subarray(0, n)], watch).then(
        (err) => {
          if (err === null) sent += n;
          return err;
        },
      );
    }
  } catch (err) {
    failure = err as Error;
  }
  for (const pending of writes) {
    if (pending === null) continue;
    const err = await pending;
    failure ??= err;
  }
  const total = length < 0 ? '' : ` of ${length}`;
  if (failure !== null) throw ioError('sendFile', failure, `; ${sent}${total} bytes were sent`);
  if (eof) {
    throw new EOFError(
      `sendFile: the file ended at byte ${position}, before offset + length = ${(offset ?? 0) + length}; ${sent}${total} bytes were sent`,
    );
  }
  return sent;
}
