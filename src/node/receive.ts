/**
 * Receiving into the caller's memory: `connectInto` opens a TCP (or IPC) connection whose
 * reads go straight into one caller-owned buffer, through `net.Socket`'s `onread` option
 * — Python's `socket.recv_into` — and hands out each read as a MemoryView over those bytes.
 *
 * The buffer is split into two slots, its two halves (a 1-byte buffer is one slot), used in
 * turn: while the consumer holds the chunk in one slot, Node reads the next one into the
 * other, so reading and consuming overlap (`onread`'s `buffer` is a function that names the
 * slot to read into next).
 *
 * Lifetime rule: a chunk is the bytes of one read, at the start of a slot, and is valid
 * until the next chunk is requested. Then the chunk is released (any use raises ValueError
 * "operation forbidden on released memoryview object") and its slot may be read into
 * again. The socket never writes into a slot under a chunk the consumer holds, nor under
 * one received and not handed out yet.
 *
 * Invariants:
 * - slots are read into in ring order and freed in the same order (chunks are handed out
 *   and released in order), so the slots in use are always the ones just before the slot
 *   Node reads into next (`#fill`); that slot is free unless every slot is in use;
 * - the `onread` callback returns true (keep reading) while a slot is free after the read,
 *   false (Node stops reading) when every slot holds a chunk — held, or waiting to be
 *   handed out; reading resumes only in `next()`, once releasing the held chunk freed a
 *   slot, which is then `#fill`. A chunk that cannot be released (it is exported) keeps its
 *   slot, so its memory is never read into;
 * - the buffer is exported (a ByteArray cannot resize) from the call until the iteration
 *   ended and the last chunk was released, or the socket closed with no chunk waiting;
 *   the socket never reads into it after that (EOF, or the socket was destroyed);
 * - the socket's `'error'` is caught for the lifetime of the connection and reported by
 *   the next `next()`, after the chunks received before it;
 * - the buffer's memory is checked after every read and before every chunk is handed
 *   out: memory that went away (detached, shrunk, grown) ends the connection with the
 *   BufferError naming the cause, and the chunks not handed out yet are dropped;
 * - the end of the stream is the `'end'` of a socket that is not destroyed (Bun emits
 *   `'end'` on `destroy()`): a socket closed before it is a ConnectionAbortedError.
 */

import * as net from 'node:net';
import { BufferError, fromCall, ValueError } from '../errors.js';
import { assertLive, type BufferInfo, liveError, PyBUF, releaseBuffer } from '../protocol/index.js';
import { type MemoryView, memoryview } from '../view/index.js';
import { ConnectionAbortedError, ioError } from './errors.js';
import { type BytesLike, bytesOf, exportWritable } from './exports.js';

/** What `connectInto` returns: the socket, and the chunks it receives into the buffer. */
export interface ConnectionInto {
  /**
   * The socket: write to it, end or destroy it as usual. Its readable side belongs to
   * `chunks`: it emits no `'data'`; do not `pause()`/`resume()` it.
   */
  readonly socket: net.Socket;
  /**
   * The received bytes, one MemoryView (format 'B', 1-D, `obj` is the caller's buffer) per
   * read, at the start of one of the buffer's two halves, used in turn; done at the end of
   * the stream. Each view is released when the next is requested; the socket reads the next
   * chunk into the other half meanwhile, never into the half under a chunk that is held or
   * not handed out yet. Errors (ECONNREFUSED, ECONNRESET…) reject `next()`, after the
   * chunks received before them, wrapped (`ConnectionRefusedError`,
   * `ConnectionResetError`…); memory that went away (detached, shrunk, grown) rejects with
   * the BufferError naming the cause and closes the socket. Leaving a `for await` loop
   * early (`return()`) releases the last chunk, drops the chunks not handed out and
   * destroys the socket (a last chunk the consumer still exports stays valid, is the
   * consumer's to release, and `return()` rejects with a BufferError); call `next()`
   * directly to read part of a stream and keep the connection.
   */
  readonly chunks: AsyncIterableIterator<MemoryView, undefined, undefined>;
}

/** No chunk is held. */
const NONE = -1;

/** The chunk iterator of one connection (see the module invariants). */
class Chunks implements AsyncIterableIterator<MemoryView, undefined, undefined> {
  #socket: net.Socket | null = null;
  /** A 'B' view of the whole buffer; chunks are its slices. Null once released. */
  #base: MemoryView | null;
  /** The export that locks the caller's buffer while Node may read into it. */
  #info: BufferInfo | null;
  /** The slots, as Uint8Arrays over the buffer's memory (what Node reads into). */
  readonly #slots: Uint8Array[];
  /** Where each slot starts in the buffer. */
  readonly #starts: number[];
  /** Bytes received into each slot (meaningful while it holds a chunk). */
  readonly #lengths: number[];
  /** The slot Node reads into next. */
  #fill = 0;
  /** The slot of the oldest chunk received and not handed out yet. */
  #head = 0;
  /** Chunks received and not handed out yet (in slots `#head`, `#head + 1`…). */
  #queued = 0;
  /** The slot of the chunk handed out last, until the next request releases it. */
  #heldSlot = NONE;
  /** The chunk handed out last, until the next request releases it. */
  #held: MemoryView | null = null;
  /** The `onread` callback returned false: Node reads nothing until `resume()`. */
  #stopped = false;
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
    const memory = bytesOf(info);
    const n = memory.length;
    const bounds = n >= 2 ? [0, Math.ceil(n / 2), n] : [0, n];
    this.#starts = bounds.slice(0, -1);
    this.#slots = this.#starts.map((start, i) => memory.subarray(start, bounds[i + 1]));
    this.#lengths = this.#starts.map(() => 0);
  }

  /** Connects the iterator to its socket's events. */
  attach(socket: net.Socket): void {
    this.#socket = socket;
    socket.on('end', () => {
      // Bun emits 'end' when the socket is destroyed: that is no end of the stream.
      if (socket.destroyed) return;
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
      if (this.#queued === 0) this.#releaseMemory();
      this.#settle();
    });
  }

  /**
   * `onread`'s `buffer` function, called at setup and after every read: the slot to read
   * into next. Free unless every slot is in use — then it is the slot freed first, and
   * Node is stopped until it is.
   */
  readonly nextBuffer = (): Uint8Array => this.#slots[this.#fill];

  /**
   * The `onread` callback: `nread` bytes are in slot `#fill`; go on while a slot is free.
   * Memory that went away while the socket read into it ends the connection.
   */
  readonly onRead = (nread: number): boolean => {
    if (this.#memoryGone()) {
      this.#stopped = true;
      this.#settle();
      return false;
    }
    const slot = this.#fill;
    this.#lengths[slot] = nread;
    this.#queued++;
    this.#fill = slot + 1 === this.#slots.length ? 0 : slot + 1;
    this.#settle();
    const reading = this.#inUse() < this.#slots.length;
    this.#stopped = !reading;
    return reading;
  };

  next(): Promise<IteratorResult<MemoryView, undefined>> {
    if (this.#waiter !== null) {
      return Promise.reject(
        fromCall(
          new ValueError('connectInto: next() was called before the previous call settled'),
          Chunks.prototype.next,
        ),
      );
    }
    if (this.#finished) return Promise.resolve({ value: undefined, done: true });
    try {
      this.#releaseHeld('release its exports before asking for the next chunk');
    } catch (err) {
      return Promise.reject(fromCall(err, Chunks.prototype.next));
    }
    if (this.#stopped && this.#inUse() < this.#slots.length) {
      // The slot just freed is `#fill` (slots are freed in the order they were filled).
      this.#stopped = false;
      const socket = this.#socket;
      if (socket !== null && !socket.destroyed) socket.resume();
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#settle();
    });
  }

  /**
   * Ends the iteration: destroys the socket, releases the last chunk and the buffer, and
   * answers a `next()` still waiting with done. A last chunk that cannot be released (the
   * consumer holds an export of it) stays valid and becomes the consumer's to release;
   * everything else is given back all the same, then the BufferError is reported.
   */
  return(): Promise<IteratorResult<MemoryView, undefined>> {
    let failure: unknown = null;
    try {
      this.#releaseHeld(
        'the connection was closed; the chunk stays valid until you release its exports, then the chunk',
      );
    } catch (err) {
      failure = fromCall(err, Chunks.prototype.return);
    }
    this.#socket?.destroy();
    this.#finish();
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.resolve({ value: undefined, done: true });
    return failure === null
      ? Promise.resolve({ value: undefined, done: true })
      : Promise.reject(failure);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Slots holding a chunk: the one held, and those waiting to be handed out. */
  #inUse(): number {
    return this.#queued + (this.#heldSlot === NONE ? 0 : 1);
  }

  /**
   * True when the buffer's memory went away (detached, shrunk, grown) while it was
   * exported: then the chunks not handed out are lost, the failure is the BufferError
   * naming the cause, and the socket is destroyed so that it reads no more.
   */
  #memoryGone(): boolean {
    const info = this.#info;
    const dead = info === null ? undefined : liveError(info);
    if (dead === undefined) return false;
    this.#failure = dead;
    this.#queued = 0;
    this.#socket?.destroy();
    return true;
  }

  /** Answers a waiting `next()` when there is something to answer with. */
  #settle(): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    this.#memoryGone();
    if (this.#queued > 0) {
      const base = this.#base as MemoryView;
      const slot = this.#head;
      const start = this.#starts[slot];
      this.#waiter = null;
      let chunk: MemoryView;
      try {
        chunk = base.slice(start, start + this.#lengths[slot]);
      } catch (err) {
        waiter.reject(err);
        return;
      }
      this.#queued--;
      this.#head = slot + 1 === this.#slots.length ? 0 : slot + 1;
      this.#heldSlot = slot;
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
   * Releases the chunk handed out last, which frees its slot. BufferError while a consumer
   * still holds an export of it (`advice` says what to do): the chunk is kept, and its
   * slot is not read into.
   */
  #releaseHeld(advice: string): void {
    const held = this.#held;
    if (held === null) return;
    try {
      held.release();
    } catch (err) {
      throw new BufferError(
        `connectInto: the previous chunk cannot be released (${(err as Error).message}); ${advice}`,
        { cause: err },
      );
    }
    this.#held = null;
    this.#heldSlot = NONE;
  }

  #finish(): void {
    this.#finished = true;
    this.#queued = 0;
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
 * over the bytes received.
 *
 * The buffer is split into two halves (slots), read into in turn, so that the socket
 * reads the next chunk while the consumer works on the current one. A chunk is the bytes
 * of one read (at most half the buffer), at the start of a half.
 *
 * Lifetime rule: a chunk is valid only until the next chunk is requested: `next()`
 * releases it (any later use raises ValueError "operation forbidden on released
 * memoryview object"), and its half of the buffer may then be read into again. The
 * socket never writes into a half under a chunk you hold or one not handed out yet. Copy
 * what must outlive the chunk (`chunk.toBytes()`); views derived from a chunk (`slice`,
 * `cast`) are not released with it, but their bytes may be overwritten once it is.
 * Backpressure is built in: the socket stops reading while both halves hold a chunk (one
 * in your hands, one waiting to be requested), so a consumer that does not ask for more
 * blocks the sender.
 *
 * The buffer is exported (locked) until the iteration ends and the last chunk is
 * released, or the socket closes with nothing left to hand out.
 *
 * Errors (thrown here): TypeError "connectInto() argument 'buffer' must be read-write
 * bytes-like object, not bytes" for a read-only or non-exporting buffer; BufferError for a
 * buffer that is not C-contiguous ("memoryview: underlying buffer is not C-contiguous") or
 * whose memory is gone; ValueError for an empty buffer, a released view, or options that
 * set `onread`.
 *
 * @throws {TypeError} "connectInto() argument 'buffer' must be read-write bytes-like object,
 * not bytes" for read-only memory.
 * @example
 * ```ts
 * import { createServer } from 'node:net';
 * import { connectInto } from 'memview/node';
 * const server = createServer((peer) => peer.end(new Uint8Array(100)));
 * await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
 * const { port } = server.address() as { port: number };
 * let received = 0;
 * const { chunks } = connectInto({ port, host: '127.0.0.1' }, new Uint8Array(16 * 1024));
 * for await (const chunk of chunks) received += chunk.nbytes; // each valid until the next
 * server.close(); // received is 100
 * ```
 */
export function connectInto(options: net.NetConnectOpts, buffer: BytesLike): ConnectionInto {
  try {
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
        onread: { buffer: chunks.nextBuffer, callback: chunks.onRead },
      });
      chunks.attach(socket);
      return { socket, chunks };
    } catch (err) {
      base?.release();
      releaseBuffer(info);
      throw err;
    }
  } catch (error) {
    throw fromCall(error, connectInto);
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
