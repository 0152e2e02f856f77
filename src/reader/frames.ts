/**
 * `FrameDecoder`: splits a byte stream of length-prefixed messages into frames.
 *
 * A frame is a header (a struct format such as `'>I'`, or a record with a length field)
 * and a payload of the length the header states. Chunks arrive as the transport delivers
 * them; `push(chunk)` yields each frame completed by it.
 *
 * Invariants:
 * - a frame that lies inside one chunk is a view of that chunk: no byte is copied; the view
 *   holds the chunk's export until it is released, so a ByteArray chunk cannot resize
 *   under it;
 * - a frame split across chunks is copied once, into one buffer the decoder reuses; its
 *   payload view is released at the next `push` (or when the next split frame begins),
 *   so using it afterwards raises "operation forbidden on released memoryview object"
 *   instead of showing other bytes;
 * - a header announcing more than `maxLength` bytes raises FrameTooLongError; the decoder
 *   then skips exactly that frame's payload and carries on, so no byte of the frames
 *   around it is lost;
 * - bytes a `push` did not get to (the consumer stopped iterating, or an error was
 *   raised) are kept, copied, and decoded first by the next `push`;
 * - a payload is gathered into memory as its bytes arrive, never sized by the header alone;
 * - a chunk whose memory goes away while its frames are consumed (a transferred buffer, a
 *   shrunk resizable one, a grown WebAssembly memory) raises BufferError naming the cause;
 *   its undecoded bytes are lost, so the stream cannot resume: every later `push` raises.
 */

import type { StructValue } from '../codec/index.js';
import {
  BufferError,
  FrameTooLongError,
  fromCall,
  fromNext,
  MemoryError,
  pyTypeName,
  ValueError,
} from '../errors.js';
import { deadMemoryError } from '../protocol/index.js';
import { cachedReading, type Reading, unpackAt, unpackWhole } from '../struct/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';
import { bytesOf, SharedExport } from './shared.js';

/** How frames are delimited. */
export interface FrameDecoderOptions {
  /** The header's struct format (default `'>I'`: a 4-byte big-endian length). */
  readonly header?: string;
  /** Which value of the header is the length (default 0). */
  readonly lengthField?: number;
  /** True when the length counts the header's bytes too (default false). */
  readonly lengthIncludesHeader?: boolean;
  /** The longest payload accepted, in bytes: an integer from 0 to 2**53 - 1 (default 16 MiB). */
  readonly maxLength?: number;
}

/** One decoded frame. */
export interface Frame {
  /** The header's values, as `unpack` gives them. */
  readonly header: readonly StructValue[];
  /** The payload, as bytes (format `'B'`). */
  readonly payload: MemoryView;
}

const DEFAULT_MAX = 0x100_0000; // 16 MiB
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/**
 * Splits a stream of length-prefixed frames.
 *
 * @example
 * ```ts
 * import { FrameDecoder } from 'memview';
 * const decoder = new FrameDecoder({ header: '>I', maxLength: 1 << 20 });
 * for (const chunk of [new Uint8Array([0, 0, 0, 2, 7]), new Uint8Array([8])]) {
 *   for (const frame of decoder.push(chunk)) frame.payload.toList(); // [7, 8]
 * }
 * ```
 */
export class FrameDecoder {
  /** @internal Its name in CPython's messages, whatever a bundler renames the class to. */
  static readonly 'memview.pyTypeName' = 'FrameDecoder';

  readonly #format: Reading;
  readonly #headerSize: number;
  readonly #lengthField: number;
  readonly #includesHeader: boolean;
  readonly #max: number;
  // A header being gathered across chunks.
  readonly #headerBytes: Uint8Array;
  #headerFill = 0;
  // The frame whose payload is being gathered across chunks, if any.
  #header: StructValue[] | undefined;
  #assembly: Uint8Array = EMPTY;
  #assemblyFill = 0;
  #assemblyNeed = 0;
  #assembled: MemoryView | undefined;
  // Payload bytes of a refused frame still to discard.
  #skip = 0;
  // Bytes a push did not get to, decoded first by the next one.
  #pending: Uint8Array = EMPTY;
  // Set when bytes of a chunk were lost (its memory went away): the stream cannot resume.
  #lost: string | undefined;
  // The push being iterated, ended by the next push so that its rest is kept first.
  #active: Generator<Frame, void, undefined> | undefined;

  /**
   * A decoder for `options` (see FrameDecoderOptions); TypeError or ValueError for an
   * option of the wrong type or out of range.
   */
  constructor(options: FrameDecoderOptions = {}) {
    try {
      const { header = '>I', lengthField = 0, lengthIncludesHeader = false } = options;
      const maxLength = options.maxLength ?? DEFAULT_MAX;
      if (typeof header !== 'string') {
        throw new TypeError(`FrameDecoder header must be a str, not '${pyTypeName(header)}'`);
      }
      this.#format = cachedReading(header, undefined);
      this.#headerSize = this.#format.plan.size;
      this.#lengthField = integerOption('lengthField', lengthField);
      if (typeof lengthIncludesHeader !== 'boolean') {
        throw new TypeError(
          `FrameDecoder lengthIncludesHeader must be a bool, not '${pyTypeName(lengthIncludesHeader)}'`,
        );
      }
      this.#includesHeader = lengthIncludesHeader;
      this.#max = integerOption('maxLength', maxLength);
      if (this.#headerSize === 0) throw new ValueError('a frame header needs at least one byte');
      this.#headerBytes = new Uint8Array(this.#headerSize);
      const values = unpackWhole(this.#format, this.#headerBytes);
      if (this.#lengthField >= values.length) {
        throw new ValueError(
          `lengthField ${this.#lengthField} is not a value of header format '${this.#format.parsed.format}'`,
        );
      }
      const kind = typeof values[this.#lengthField];
      if (kind !== 'number' && kind !== 'bigint') {
        throw new ValueError(
          `lengthField ${this.#lengthField} of header format '${this.#format.parsed.format}' is not an integer`,
        );
      }
    } catch (error) {
      throw fromCall(error, FrameDecoder);
    }
  }

  /** True while a frame has begun but not ended (bytes are held for it). */
  get partial(): boolean {
    return (
      this.#headerFill > 0 ||
      this.#header !== undefined ||
      this.#skip > 0 ||
      this.#pending.length > 0 ||
      this.#lost !== undefined
    );
  }

  /**
   * Decodes `chunk` (any C-contiguous exporter), after any bytes kept from before, and
   * yields every frame it completes. Call with no chunk to decode only the kept bytes.
   *
   * @throws {FrameTooLongError} "frame of 9 bytes exceeds the maximum of 4; it is skipped" for
   * a header over `maxLength`; the decoder stays usable (call `push()` to go on).
   */
  push(chunk?: ViewSource): Generator<Frame, void, undefined> {
    const run: { self?: Generator<Frame, void, undefined> } = {};
    const generator = this.#push(chunk, run);
    run.self = generator;
    return generator;
  }

  *#push(
    chunk: ViewSource | undefined,
    run: { self?: Generator<Frame, void, undefined> },
  ): Generator<Frame, void, undefined> {
    try {
      // A push still being iterated (this one started from its loop, or it was left
      // without `return()`) ends first, so that its undecoded bytes are kept and come first.
      this.#active?.return();
      if (this.#lost !== undefined) throw new BufferError(this.#lost);
      this.#active = run.self;
      this.#releaseAssembled();
      const shared = chunk === undefined ? undefined : new SharedExport(chunk);
      try {
        const bytes = shared === undefined ? EMPTY : bytesOf(shared.info);
        if (this.#pending.length > 0) {
          // Kept bytes come first; the chunk joins them (rare: only after an error or an
          // early stop), so that whatever happens next, nothing is decoded twice or lost.
          this.#keep(bytes);
          const kept = this.#pending;
          this.#pending = EMPTY;
          yield* this.#decode(kept, undefined);
        } else if (bytes.length > 0) {
          yield* this.#decode(bytes, shared);
        }
      } finally {
        if (this.#active === run.self) this.#active = undefined;
        shared?.drop();
      }
    } catch (error) {
      throw fromNext(error);
    }
  }

  #releaseAssembled(): void {
    this.#assembled?.release();
    this.#assembled = undefined;
  }

  /**
   * Decodes `bytes`: a chunk's (shared with the payload views) or bytes the decoder owns.
   * User code runs at each `yield`: the chunk's memory is checked again before any read.
   */
  *#decode(bytes: Uint8Array, shared: SharedExport | undefined): Generator<Frame, void, undefined> {
    let p = 0;
    const end = bytes.length;
    let view: MemoryView | undefined;
    try {
      while (p < end) {
        if (bytes.length !== end) {
          const lost = end - p;
          p = end;
          throw this.#lose(shared as SharedExport, lost);
        }
        if (this.#skip > 0) {
          const n = Math.min(this.#skip, end - p);
          this.#skip -= n;
          p += n;
          continue;
        }
        if (this.#header !== undefined) {
          // Continue a frame split across chunks.
          const n = Math.min(this.#assemblyNeed - this.#assemblyFill, end - p);
          this.#reserve(this.#assemblyFill + n);
          this.#assembly.set(bytes.subarray(p, p + n), this.#assemblyFill);
          this.#assemblyFill += n;
          p += n;
          if (this.#assemblyFill === this.#assemblyNeed) yield this.#finishAssembly();
          continue;
        }
        const size = this.#headerSize;
        let header: StructValue[];
        if (this.#headerFill === 0 && end - p >= size) {
          header = unpackAt(this.#format.plan, bytes, p);
          p += size;
        } else {
          const n = Math.min(size - this.#headerFill, end - p);
          this.#headerBytes.set(bytes.subarray(p, p + n), this.#headerFill);
          this.#headerFill += n;
          p += n;
          if (this.#headerFill < size) continue;
          this.#headerFill = 0;
          header = unpackWhole(this.#format, this.#headerBytes);
        }
        const length = this.#payloadLength(header);
        if (length <= end - p) {
          const at = p;
          p += length; // before the yield: a consumer that stops here has taken this frame
          let payload: MemoryView;
          if (shared !== undefined) payload = shared.view(at, at + length);
          else {
            view ??= memoryview(bytes);
            payload = view.slice(at, at + length);
          }
          yield { header, payload };
        } else {
          this.#startAssembly(header, length);
        }
      }
    } finally {
      view?.release();
      if (p < end) {
        // The consumer stopped (or an error was raised): keep the rest, if it is still there.
        // A consumer that leaves early gets no other chance to hear that it was lost.
        // biome-ignore lint/correctness/noUnsafeFinally: the loss must reach the consumer
        if (bytes.length !== end) throw this.#lose(shared as SharedExport, end - p);
        this.#keep(bytes.subarray(p));
      }
    }
  }

  /**
   * `lost` bytes of the chunk went away with its memory under the consumer: the stream
   * cannot resume (every later push says so); the BufferError names the cause.
   */
  #lose(shared: SharedExport, lost: number): BufferError {
    const info = shared.info;
    const error = deadMemoryError(info.obj, info.buffer, info.offset + info.len);
    this.#lost =
      `${lost} bytes of a chunk were lost when its memory went away ` +
      `(${error.message}); this FrameDecoder cannot resume the stream`;
    return error;
  }

  /** The payload length a header announces; FrameTooLongError (skipping it) beyond the max. */
  #payloadLength(header: StructValue[]): number {
    const raw = header[this.#lengthField];
    let length = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : Number.NaN;
    if (this.#includesHeader) length -= this.#headerSize;
    if (!(length >= 0 && Number.isSafeInteger(length))) {
      throw new FrameTooLongError(
        `frame header ${String(raw)} does not give a valid length (header is ${this.#headerSize} bytes)`,
      );
    }
    if (length > this.#max) {
      this.#skip = length;
      throw new FrameTooLongError(
        `frame of ${length} bytes exceeds the maximum of ${this.#max}; it is skipped`,
      );
    }
    return length;
  }

  #startAssembly(header: StructValue[], length: number): void {
    // The buffer is about to be overwritten: the frame assembled in it before is over.
    this.#releaseAssembled();
    this.#header = header;
    this.#assemblyNeed = length;
    this.#assemblyFill = 0;
  }

  /**
   * Room for `size` bytes of the payload being assembled, grown as its bytes arrive (a
   * header alone never makes the decoder allocate what it announces). MemoryError when
   * the engine cannot allocate it: that frame is then skipped, as a frame too long is.
   */
  #reserve(size: number): void {
    const old = this.#assembly;
    if (old.length >= size) return;
    const capacity = Math.min(Math.max(size, old.length * 2, 1024), this.#assemblyNeed);
    let grown: Uint8Array;
    try {
      grown = new Uint8Array(capacity);
    } catch {
      this.#skip = this.#assemblyNeed - this.#assemblyFill;
      this.#header = undefined;
      throw new MemoryError('');
    }
    grown.set(old.subarray(0, this.#assemblyFill));
    this.#assembly = grown;
  }

  #finishAssembly(): Frame {
    const header = this.#header as StructValue[];
    this.#header = undefined;
    const payload = memoryview(this.#assembly).slice(0, this.#assemblyNeed);
    this.#assembled = payload;
    return { header, payload };
  }

  /** Keeps bytes for the next push, copied: the caller may reuse its chunk. */
  #keep(rest: Uint8Array): void {
    const kept = new Uint8Array(this.#pending.length + rest.length);
    kept.set(this.#pending);
    kept.set(rest, this.#pending.length);
    this.#pending = kept;
  }
}

/** An integer option in [0, 2**53 - 1]: TypeError for another type, ValueError outside. */
function integerOption(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`FrameDecoder ${name} must be an int, not '${pyTypeName(value)}'`);
  }
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new ValueError(
      `FrameDecoder ${name} must be an integer from 0 to 2**53 - 1, not ${String(value)}`,
    );
  }
  return value;
}
