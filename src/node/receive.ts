/**
 * Receiving into the caller's memory: `connectInto` opens a TCP (or IPC) connection whose
 * reads go straight into one caller-owned buffer, through `net.Socket`'s `onread` option
 * — Python's `socket.recv_into` — and hands out each read as a MemoryView over those bytes.
 *
 * Lifetime rule: a chunk is valid until the next chunk is requested. Then the chunk is
 * released (any use raises ValueError "operation forbidden on released memoryview
 * object") and the socket reads into the same memory again.
 *
 * Invariants:
 * - the socket reads only while no received bytes wait in the buffer: every read ends
 *   with the `onread` callback returning false (Node stops reading), and reading resumes
 *   only in `next()`, after the previous chunk was released — so bytes are never
 *   overwritten before the consumer asked for more, and memory under a chunk that could
 *   not be released (it is exported) is never read into;
 * - the buffer is exported (a ByteArray cannot resize) from the call until the iteration
 *   ended and the last chunk was released, or the socket closed with no bytes waiting;
 *   the socket never reads into it after that (EOF, or the socket was destroyed);
 * - the socket's `'error'` is caught for the lifetime of the connection and reported by
 *   the next `next()`, after any bytes received before it.
 */

import * as net from 'node:net';
import { BufferError, ValueError } from '../errors.js';
import { type BufferInfo, PyBUF, releaseBuffer } from '../protocol/index.js';
import { type MemoryView, memoryview } from '../view/index.js';
import { ConnectionAbortedError, ioError } from './errors.js';
import { assertLive, type BytesLike, bytesOf, exportWritable } from './exports.js';

/** What `connectInto` returns: the socket, and the chunks it receives into the buffer. */
export interface ConnectionInto {
  /**
   * The socket: write to it, end or destroy it as usual. Its readable side belongs to
   * `chunks`: it emits no `'data'`; do not `pause()`/`resume()` it.
   */
  readonly socket: net.Socket;
  /**
   * The received bytes, one MemoryView (format 'B', 1-D, `obj` is the caller's buffer) per
   * read, in the first bytes of the buffer; done at the end of the stream. Each view is
   * released when the next is requested. Errors (ECONNREFUSED, ECONNRESET…) reject
   * `next()`, wrapped (`ConnectionRefusedError`, `ConnectionResetError`…). Leaving a
   * `for await` loop early (`return()`) releases the last chunk and destroys the socket;
   * call `next()` directly to read part of a stream and keep the connection.
   */
  readonly chunks: AsyncIterableIterator<MemoryView, undefined, undefined>;
}

/** The chunk iterator of one connection (see the module invariants). */
class Chunks implements AsyncIterableIterator<MemoryView, undefined, undefined> {
  #socket: net.Socket | null = null;
  /** A 'B' view of the whole buffer; chunks are its prefixes. Null once released. */
  #base: MemoryView | null;
  /** The export that locks the caller's buffer while Node may read into it. */
  #info: BufferInfo | null;
  /** Bytes received into the buffer and not handed out yet. */
  #ready = 0;
  /** The chunk handed out last, until the next request releases it. */
  #held: MemoryView | null = null;
  #waiter: {
    resolve(result: IteratorResult<MemoryView, undefined>): void;
    reject(err: unknown): void;
  } | null = null;
  #ended = false;
  #failure: Error | null = null;
  #finished = false;

  constructor(base: MemoryView, info: BufferInfo) {
    this.#base = base;
    this.#info = info;
  }

  /** Connects the iterator to its socket's events. */
  attach(socket: net.Socket): void {
    this.#socket = socket;
    socket.on('end', () => {
      this.#ended = true;
      this.#settle();
    });
    socket.on('error', (err: Error) => {
      this.#failure ??= ioError('connectInto', err);
      this.#settle();
    });
    socket.on('close', () => {
      if (!this.#ended && this.#failure === null) {
        this.#failure = new ConnectionAbortedError(
          'connectInto: the socket was closed before the end of the stream',
          { code: 'ERR_STREAM_PREMATURE_CLOSE' },
        );
      }
      if (this.#ready === 0) this.#releaseMemory();
      this.#settle();
    });
  }

  /** The `onread` callback: `nread` bytes are in the buffer; stop reading until asked. */
  readonly onRead = (nread: number): false => {
    this.#ready = nread;
    this.#settle();
    return false;
  };

  next(): Promise<IteratorResult<MemoryView, undefined>> {
    if (this.#waiter !== null) {
      return Promise.reject(
        new ValueError('connectInto: next() was called before the previous call settled'),
      );
    }
    if (this.#finished) return Promise.resolve({ value: undefined, done: true });
    try {
      this.#releaseHeld();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#settle();
      if (this.#waiter !== null) this.#socket?.resume();
    });
  }

  /** Ends the iteration: releases the last chunk and the buffer, destroys the socket. */
  return(): Promise<IteratorResult<MemoryView, undefined>> {
    try {
      this.#releaseHeld();
    } catch (err) {
      return Promise.reject(err);
    }
    this.#socket?.destroy();
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Answers a waiting `next()` when there is something to answer with. */
  #settle(): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    if (this.#ready > 0) {
      const base = this.#base as MemoryView;
      const n = this.#ready;
      this.#ready = 0;
      this.#waiter = null;
      let chunk: MemoryView;
      try {
        chunk = base.slice(0, n);
      } catch (err) {
        waiter.reject(err);
        return;
      }
      this.#held = chunk;
      waiter.resolve({ value: chunk, done: false });
    } else if (this.#failure !== null) {
      this.#waiter = null;
      this.#finish();
      waiter.reject(this.#failure);
    } else if (this.#ended) {
      this.#waiter = null;
      this.#finish();
      waiter.resolve({ value: undefined, done: true });
    }
  }

  /**
   * Releases the chunk handed out last. BufferError while a consumer still holds an
   * export of it: the chunk is kept, and the buffer is not read into.
   */
  #releaseHeld(): void {
    const held = this.#held;
    if (held === null) return;
    try {
      held.release();
    } catch (err) {
      throw new BufferError(
        `connectInto: the previous chunk cannot be released (${(err as Error).message}); release its exports before asking for the next chunk`,
        { cause: err },
      );
    }
    this.#held = null;
  }

  #finish(): void {
    this.#finished = true;
    this.#ready = 0;
    this.#releaseMemory();
  }

  /** Gives the caller's buffer back (its views keep it until they are released). */
  #releaseMemory(): void {
    const info = this.#info;
    if (info !== null) {
      this.#info = null;
      releaseBuffer(info);
    }
    const base = this.#base;
    if (base !== null) {
      this.#base = null;
      base.release();
    }
  }
}

/**
 * Connects like `net.connect(options)` and receives into `buffer`, the caller's memory —
 * a ByteArray, a Uint8Array, a writable C-contiguous MemoryView… — with no allocation or
 * copy per read: Node reads into it through the `onread` option (Python's
 * `socket.recv_into`). Returns the socket and `chunks`, an async iterator of MemoryViews
 * over the bytes received, each in the first bytes of `buffer`.
 *
 * Lifetime rule: a chunk is valid only until the next chunk is requested: `next()`
 * releases it (any later use raises ValueError "operation forbidden on released
 * memoryview object"), then lets the socket read into the buffer again. Copy what must
 * outlive it (`chunk.toBytes()`); views derived from a chunk (`slice`, `cast`) are not
 * released with it, but their bytes will be overwritten. Backpressure is built in: the
 * socket does not read while a chunk waits to be requested or is in use.
 *
 * The buffer is exported (locked) until the iteration ends and the last chunk is
 * released, or the socket closes with nothing left to hand out.
 *
 * Errors (thrown here): TypeError "connectInto() argument 'buffer' must be read-write
 * bytes-like object, not bytes" for a read-only or non-exporting buffer; BufferError for a
 * buffer that is not C-contiguous ("memoryview: underlying buffer is not C-contiguous") or
 * whose memory is gone; ValueError for an empty buffer, a released view, or options that
 * set `onread`.
 */
export function connectInto(options: net.NetConnectOpts, buffer: BytesLike): ConnectionInto {
  if ((options as { onread?: unknown }).onread !== undefined) {
    throw new ValueError('connectInto: options.onread is set by connectInto; do not pass one');
  }
  const info = exportWritable(buffer, 'connectInto', 'buffer', PyBUF.C_CONTIGUOUS);
  let base: MemoryView | null = null;
  try {
    if (info.len === 0) {
      throw new ValueError('connectInto: the buffer is empty; it must hold at least one byte');
    }
    assertLive(info);
    base = byteView(buffer);
    const chunks = new Chunks(base, info);
    const socket = net.connect({
      ...options,
      onread: { buffer: bytesOf(info), callback: chunks.onRead },
    });
    chunks.attach(socket);
    return { socket, chunks };
  } catch (err) {
    base?.release();
    releaseBuffer(info);
    throw err;
  }
}

/** A 1-D 'B' view of all the bytes of a C-contiguous exporter. */
function byteView(buffer: BytesLike): MemoryView {
  const view = memoryview(buffer);
  try {
    return view.format === 'B' && view.ndim === 1 ? memoryview(view) : view.cast('B');
  } finally {
    view.release();
  }
}
