/**
 * `FrameDecoder`: splits a byte stream of length-prefixed messages into frames.
 *
 * A frame is a header (a struct format such as `'>I'`, or a record with a length field)
 * and a payload of the length the header states. Chunks arrive as the transport delivers
 * them; `push(chunk)` yields each frame completed by it.
 *
 * Invariants:
 * - a frame that lies inside one chunk is a view of that chunk: no byte is copied;
 * - a frame split across chunks is copied once, into one buffer the decoder reuses; its
 *   payload view is released at the next `push` (or when the next split frame begins),
 *   so using it afterwards raises "operation forbidden on released memoryview object"
 *   instead of showing other bytes;
 * - a header announcing more than `maxLength` bytes raises FrameTooLongError; the decoder
 *   then skips exactly that frame's payload and carries on, so no byte of the frames
 *   around it is lost;
 * - bytes a `push` did not get to (the consumer stopped iterating, or an error was
 *   raised) are kept, copied, and decoded first by the next `push`.
 */

import type { StructValue } from '../codec/index.js';
import { FrameTooLongError, ValueError } from '../errors.js';
import { getBuffer, PyBUF, releaseBuffer } from '../protocol/index.js';
import type { Struct } from '../struct/index.js';
import { cachedStruct } from '../struct/index.js';
import { type MemoryView, memoryview, type ViewSource } from '../view/index.js';

/** How frames are delimited. */
export interface FrameDecoderOptions {
  /** The header's struct format (default `'>I'`: a 4-byte big-endian length). */
  readonly header?: string;
  /** Which value of the header is the length (default 0). */
  readonly lengthField?: number;
  /** True when the length counts the header's bytes too (default false). */
  readonly lengthIncludesHeader?: boolean;
  /** The longest payload accepted, in bytes (default 16 MiB). */
  readonly maxLength?: number;
}

/** One decoded frame. */
export interface Frame {
  /** The header's values, as `unpack` gives them. */
  readonly header: readonly StructValue[];
  /** The payload, as bytes (format `'B'`). */
  readonly payload: MemoryView;
}

const DEFAULT_MAX = 16 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

/** Splits a stream of length-prefixed frames. */
export class FrameDecoder {
  readonly #struct: Struct;
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

  constructor(options: FrameDecoderOptions = {}) {
    this.#struct = cachedStruct(options.header ?? '>I');
    this.#headerSize = this.#struct.size;
    this.#lengthField = options.lengthField ?? 0;
    this.#includesHeader = options.lengthIncludesHeader ?? false;
    this.#max = options.maxLength ?? DEFAULT_MAX;
    this.#headerBytes = new Uint8Array(this.#headerSize);
    const probe = new Array<number>(this.#headerSize).fill(0);
    const values = this.#struct.unpack(Uint8Array.from(probe)) as StructValue[];
    if (!(this.#lengthField >= 0 && this.#lengthField < values.length)) {
      throw new ValueError(
        `lengthField ${this.#lengthField} is not a value of header format '${this.#struct.format}'`,
      );
    }
    if (this.#headerSize === 0) throw new ValueError('a frame header needs at least one byte');
  }

  /** True while a frame has begun but not ended (bytes are held for it). */
  get partial(): boolean {
    return (
      this.#headerFill > 0 ||
      this.#header !== undefined ||
      this.#skip > 0 ||
      this.#pending.length > 0
    );
  }

  /**
   * Decodes `chunk` (any C-contiguous exporter), after any bytes kept from before, and
   * yields every frame it completes. Call with no chunk to decode only the kept bytes.
   */
  *push(chunk?: ViewSource): Generator<Frame, void, undefined> {
    this.#releaseAssembled();
    const info = chunk === undefined ? undefined : getBuffer(chunk, PyBUF.SIMPLE);
    try {
      const bytes = info === undefined ? EMPTY : new Uint8Array(info.buffer, info.offset, info.len);
      if (this.#pending.length > 0) {
        // Kept bytes come first; the chunk joins them (rare: only after an error or an
        // early stop), so that whatever happens next, nothing is decoded twice or lost.
        this.#keep(bytes);
        const kept = this.#pending;
        this.#pending = EMPTY;
        yield* this.#decode(kept, undefined);
      } else if (bytes.length > 0) {
        yield* this.#decode(bytes, undefined);
      }
    } finally {
      if (info !== undefined) releaseBuffer(info);
    }
  }

  #releaseAssembled(): void {
    this.#assembled?.release();
    this.#assembled = undefined;
  }

  *#decode(bytes: Uint8Array, view: MemoryView | undefined): Generator<Frame, void, undefined> {
    let p = 0;
    const end = bytes.length;
    try {
      while (p < end) {
        if (this.#skip > 0) {
          const n = Math.min(this.#skip, end - p);
          this.#skip -= n;
          p += n;
          continue;
        }
        if (this.#header !== undefined) {
          // Continue a frame split across chunks.
          const n = Math.min(this.#assemblyNeed - this.#assemblyFill, end - p);
          this.#assembly.set(bytes.subarray(p, p + n), this.#assemblyFill);
          this.#assemblyFill += n;
          p += n;
          if (this.#assemblyFill === this.#assemblyNeed) yield this.#finishAssembly();
          continue;
        }
        const size = this.#headerSize;
        let header: StructValue[];
        if (this.#headerFill === 0 && end - p >= size) {
          header = this.#struct.unpackFrom(bytes, p) as StructValue[];
          p += size;
        } else {
          const n = Math.min(size - this.#headerFill, end - p);
          this.#headerBytes.set(bytes.subarray(p, p + n), this.#headerFill);
          this.#headerFill += n;
          p += n;
          if (this.#headerFill < size) continue;
          this.#headerFill = 0;
          header = this.#struct.unpack(this.#headerBytes) as StructValue[];
        }
        const length = this.#payloadLength(header);
        if (length <= end - p) {
          view ??= memoryview(bytes);
          const at = p;
          p += length; // before the yield: a consumer that stops here has taken this frame
          yield { header, payload: view.slice(at, at + length) };
        } else {
          this.#startAssembly(header, length);
        }
      }
    } finally {
      if (p < end) this.#keep(bytes.subarray(p));
    }
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
    if (this.#assembly.length < length) {
      this.#assembly = new Uint8Array(Math.max(length, this.#assembly.length * 2, 1024));
    }
    this.#header = header;
    this.#assemblyNeed = length;
    this.#assemblyFill = 0;
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
