/**
 * memview/web: views of the web platform's binary objects — canvas pixels (`ImageData`),
 * byte streams (Web Streams BYOB readers, `FrameDecoder` over a `ReadableStream`) and
 * WebCodecs `VideoFrame` planes. It uses platform APIs only (no library) and describes
 * them by small structural interfaces, so it type-checks with or without the DOM types.
 *
 * What is copied where:
 * - `fromImageData` / `toImageData`: nothing; the view and the ImageData share memory.
 * - `readInto` / `readFull`: nothing by this module — the stream writes into the memory
 *   handed to it. A BYOB read *transfers* that memory: the ArrayBuffer passed in is
 *   detached and the bytes come back in a new ArrayBuffer object (the same memory), which
 *   the returned view is over.
 * - `frames`: what `FrameDecoder` copies — nothing for a frame inside one chunk, one copy
 *   for a frame split across chunks.
 * - `videoFramePlanes`: one copy (`VideoFrame.copyTo`), since a frame's memory (often on
 *   the GPU) cannot be viewed directly.
 *
 * @module memview/web
 */

import { fromCall } from '../../errors.js';
import {
  BufferError,
  EOFError,
  type Frame,
  FrameDecoder,
  type FrameDecoderOptions,
  MemoryView,
  NotImplementedError,
  ValueError,
} from '../../index.js';
import { LayoutExporter } from '../../view/layout.js';

/** Canvas pixels: `ImageData` as far as this module reads one. */
export interface ImageDataLike {
  /** The pixels, 4 bytes (R, G, B, A) each, row after row. */
  readonly data: Uint8ClampedArray;
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
}

/** The `ImageData` constructor (or one that makes the same objects). */
export type ImageDataConstructor<T extends ImageDataLike = ImageDataLike> = new (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => T;

/**
 * A `'B'` view of shape `[height, width, 4]` over the ImageData's own pixels (no copy):
 * writing through the view draws when the ImageData is put on a canvas.
 *
 * @example
 * ```js
 * const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
 * const px = fromImageData(img);
 * px.set(0, 0, 3, 128); // pixel (0, 0) half transparent
 * ctx.putImageData(img, 0, 0);
 * ```
 * @throws {ValueError} when `data` does not hold exactly `width * height * 4` bytes
 */
export function fromImageData(img: ImageDataLike): MemoryView {
  try {
    const { data, width, height } = img;
    if (!(data instanceof Uint8ClampedArray)) {
      throw new TypeError('fromImageData: the image data must be a Uint8ClampedArray');
    }
    if (data.length !== width * height * 4) {
      throw new ValueError(
        `fromImageData: ${width} × ${height} pixels need ${width * height * 4} bytes, the data has ${data.length}`,
      );
    }
    return MemoryView.fromLayout({
      buffer: data.buffer,
      byteOffset: data.byteOffset,
      format: 'B',
      shape: [height, width, 4],
      strides: [width * 4, 4, 1],
      readonly: false,
    });
  } catch (error) {
    throw fromCall(error, fromImageData);
  }
}

/**
 * An `ImageData` over the view's memory (no copy): the view must be a writable,
 * C-contiguous `'B'` view of shape `[height, width, 4]` on a plain ArrayBuffer (ImageData
 * takes a `Uint8ClampedArray`, which cannot be over shared or resizable memory there).
 * Keep the view unreleased while the ImageData is in use: its export is what keeps an
 * exporter such as a `ByteArray` from moving its memory.
 *
 * @example
 * ```js
 * const px = memoryview(new Uint8Array(480 * 640 * 4)).cast('B', [480, 640, 4]);
 * ctx.putImageData(toImageData(px), 0, 0);
 * ```
 * @param Ctor the constructor to call; default the platform's `ImageData`
 * @throws {ValueError} for another format or shape
 * @throws {BufferError} for a read-only or non-contiguous view, or shared or resizable memory
 * @throws {NotImplementedError} where the platform has no `ImageData` and none is given
 */
export function toImageData<T extends ImageDataLike = ImageDataLike>(
  view: MemoryView,
  Ctor?: ImageDataConstructor<T>,
): T {
  try {
    if (view.format !== 'B') {
      throw new ValueError(`toImageData: the view's format must be 'B', not '${view.format}'`);
    }
    const shape = view.shape;
    if (shape.length !== 3 || shape[2] !== 4) {
      throw new ValueError(
        `toImageData: the view's shape must be [height, width, 4], not [${shape.join(', ')}]`,
      );
    }
    if (view.readonly) {
      throw new BufferError(
        'toImageData: the view is read-only and ImageData cannot refuse writes',
      );
    }
    if (!view.cContiguous) {
      throw new BufferError('toImageData: the view is not C-contiguous');
    }
    const { buffer, byteOffset } = view.toLayout();
    if (!(buffer instanceof ArrayBuffer)) {
      throw new BufferError(
        'toImageData: the view is over a SharedArrayBuffer, which ImageData refuses',
      );
    }
    if ((buffer as ArrayBuffer & { resizable?: boolean }).resizable === true) {
      throw new BufferError(
        'toImageData: the view is over a resizable ArrayBuffer, which ImageData refuses',
      );
    }
    const C = Ctor ?? (globalThis as { ImageData?: ImageDataConstructor<T> }).ImageData;
    if (C === undefined) {
      throw new NotImplementedError('toImageData: this runtime has no ImageData');
    }
    return new C(new Uint8ClampedArray(buffer, byteOffset, view.nbytes), shape[1], shape[0]);
  } catch (error) {
    throw fromCall(error, toImageData);
  }
}

/** One result of a BYOB read, as `ReadableStreamBYOBReader.read` gives it. */
export interface BYOBReadResult {
  /** True when the stream has ended. */
  readonly done: boolean;
  /** The bytes read, over the transferred memory (undefined when the stream was cancelled). */
  readonly value?: Uint8Array | undefined;
}

/** A Web Streams BYOB reader, as far as this module uses one. */
export interface BYOBReaderLike {
  /** Reads into `view`'s memory, transferring its ArrayBuffer. */
  read(view: Uint8Array): Promise<BYOBReadResult>;
  /** Lets go of the stream. */
  releaseLock(): void;
}

/** A readable byte stream (`new ReadableStream({ type: 'bytes', … })`). */
export interface ByteStreamLike {
  /** A BYOB reader of the stream. */
  getReader(options: { mode: 'byob' }): BYOBReaderLike;
}

/** What `readInto` gives back. */
export interface ReadIntoResult {
  /** The view given, rebuilt over the memory the read gave back (same layout, new ArrayBuffer). */
  readonly view: MemoryView;
  /** Bytes written at the start of the view's memory. */
  readonly bytesRead: number;
  /** True when the stream has ended (`bytesRead` is then 0). */
  readonly done: boolean;
}

/**
 * The web's `recv_into`: one BYOB read straight into the view's memory (no copy by
 * memview). A BYOB read transfers the memory it is given, so the view's ArrayBuffer is
 * detached — the view passed in, and every TypedArray or view over that ArrayBuffer,
 * stop working — and the returned view, of the same layout, is over the ArrayBuffer the
 * stream hands back. Pass that view to the next call.
 *
 * @example
 * ```js
 * let view = memoryview(new Uint8Array(4096));
 * const reader = stream.getReader({ mode: 'byob' });
 * const r = await readInto(reader, view);
 * view = r.view; // the first r.bytesRead bytes are the stream's
 * ```
 * @throws {BufferError} for a read-only or non-contiguous view, a view of shared memory
 *   (a BYOB read cannot transfer it) or of an exporter such as a `ByteArray` (which
 *   would be broken by the transfer), or a cancelled stream
 */
export async function readInto(reader: BYOBReaderLike, view: MemoryView): Promise<ReadIntoResult> {
  try {
    const layout = transferable('readInto', view);
    const result = await reader.read(new Uint8Array(layout.buffer, layout.byteOffset, view.nbytes));
    view.release();
    if (result.value === undefined) {
      throw new BufferError('readInto: the stream was cancelled and kept the memory');
    }
    const back = result.value;
    return {
      view: MemoryView.fromLayout({ ...layout, buffer: back.buffer }),
      bytesRead: back.byteLength,
      done: result.done,
    };
  } catch (error) {
    throw fromCall(error, readInto);
  }
}

/** The layout of a view whose memory a BYOB read may take, or a BufferError naming why not. */
function transferable(caller: string, view: MemoryView) {
  if (view.readonly) throw new BufferError(`${caller}: the view is read-only`);
  if (!view.cContiguous) throw new BufferError(`${caller}: the view is not C-contiguous`);
  const layout = view.toLayout();
  if (!(layout.buffer instanceof ArrayBuffer)) {
    throw new BufferError(
      `${caller}: the view is over a SharedArrayBuffer, which a BYOB read cannot take`,
    );
  }
  const obj = view.obj;
  // Plain memory, or a layout (what an earlier `readInto` returned): nothing else holds it.
  if (!(obj instanceof ArrayBuffer || ArrayBuffer.isView(obj) || obj instanceof LayoutExporter)) {
    throw new BufferError(
      `${caller}: the view's memory belongs to a ${typeName(obj)}, which a BYOB read would break by taking it`,
    );
  }
  return layout;
}

function typeName(obj: unknown): string {
  return (obj as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof obj;
}

/**
 * Exactly `byteLength` bytes of a byte stream, read by BYOB reads into one ArrayBuffer
 * (handed back and forth with the stream, never copied by memview): a `'B'` view of them.
 * The reader's lock is released when it returns or throws.
 *
 * @example
 * ```ts
 * import { readFull } from 'memview/web';
 * const stream = new ReadableStream({
 *   type: 'bytes',
 *   start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.enqueue(new Uint8Array([4, 5])); c.close(); },
 * });
 * const head = await readFull(stream, 4);
 * console.log(head.toList()); // [1, 2, 3, 4]
 * ```
 * @throws {EOFError} when the stream ends first
 */
export async function readFull(stream: ByteStreamLike, byteLength: number): Promise<MemoryView> {
  try {
    if (!(Number.isSafeInteger(byteLength) && byteLength >= 0)) {
      throw new ValueError(
        `readFull: byteLength must be an integer from 0 to 2**53 - 1, not ${byteLength}`,
      );
    }
    const reader = stream.getReader({ mode: 'byob' });
    try {
      let buffer = new ArrayBuffer(byteLength);
      let filled = 0;
      while (filled < byteLength) {
        const { done, value } = await reader.read(
          new Uint8Array(buffer, filled, byteLength - filled),
        );
        if (value === undefined) throw new BufferError('readFull: the stream was cancelled');
        buffer = value.buffer as ArrayBuffer;
        filled += value.byteLength;
        if (done && filled < byteLength) {
          throw new EOFError(`readFull: the stream ended after ${filled} of ${byteLength} bytes`);
        }
      }
      return MemoryView.fromLayout({
        buffer,
        byteOffset: 0,
        format: 'B',
        shape: [byteLength],
        strides: [1],
        readonly: false,
      });
    } finally {
      reader.releaseLock();
    }
  } catch (error) {
    throw fromCall(error, readFull);
  }
}

/** One result of a default reader's `read`. */
export interface ChunkReadResult {
  /** True when the stream has ended. */
  readonly done: boolean;
  /** The chunk (undefined at the end). */
  readonly value?: Uint8Array | undefined;
}

/** A stream of byte chunks, as far as `frames` reads one. */
export interface ChunkStreamLike {
  /** A default reader of the stream. */
  getReader(): {
    /** The next chunk. */
    read(): Promise<ChunkReadResult>;
    /** Stops the stream (the consumer left early). */
    cancel(reason?: unknown): Promise<void>;
    /** Lets go of the stream. */
    releaseLock(): void;
  };
}

/**
 * The frames of a stream of length-prefixed messages, as `FrameDecoder` splits them
 * (a frame inside one chunk is a view of it; a frame split across chunks is copied
 * once). Leaving the loop early cancels the stream; the reader's lock is released however
 * the loop ends, and the decoder's own views are released.
 *
 * @example
 * ```ts
 * import { pack } from 'memview';
 * import { frames } from 'memview/web';
 * const wire = new Uint8Array([...pack('>I', 2), 104, 105, ...pack('>I', 1), 33]);
 * const stream = new ReadableStream({
 *   start(c) { c.enqueue(wire.subarray(0, 5)); c.enqueue(wire.subarray(5)); c.close(); },
 * });
 * for await (const { payload } of frames(stream)) console.log(payload.toList());
 * ```
 * @throws {EOFError} when the stream ends inside a frame
 */
export async function* frames(
  stream: ChunkStreamLike,
  options?: FrameDecoderOptions,
): AsyncGenerator<Frame, void, undefined> {
  try {
    const decoder = new FrameDecoder(options);
    const reader = stream.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        // A loop, not `yield*`: an async generator's `yield*` of a sync one goes through the
        // engine's Async-from-Sync iterator, whose frame would top the stack of an error.
        if (value !== undefined) for (const frame of decoder.push(value)) yield frame;
      }
      finished = true;
      if (decoder.partial) throw new EOFError('frames: the stream ended inside a frame');
    } finally {
      // A push with no chunk ends any push still running and releases the decoder's
      // assembled payload.
      try {
        decoder.push().next();
      } catch {
        // The decoder already raised its loss to the consumer.
      }
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } catch (error) {
    throw fromCall(error, frames);
  }
}

/** Where one plane lies in the buffer `VideoFrame.copyTo` fills (WebCodecs' PlaneLayout). */
export interface PlaneLayout {
  /** Byte offset of the plane's first row. */
  offset: number;
  /** Bytes from one row to the next. */
  stride: number;
}

/** A WebCodecs `VideoFrame`, as far as `videoFramePlanes` reads one. */
export interface VideoFrameLike {
  /** The pixel format (`'I420'`, `'NV12'`, `'RGBA'`, …); null when it is opaque. */
  readonly format: string | null;
  /** The rectangle `copyTo` copies by default. */
  readonly visibleRect: {
    /** Pixels per row. */
    readonly width: number;
    /** Rows. */
    readonly height: number;
  } | null;
  /** Bytes `copyTo` needs with these options. */
  allocationSize(options?: { layout?: PlaneLayout[] }): number;
  /** Copies the planes into `destination`, resolving to the layout used. */
  copyTo(
    destination: Uint8Array,
    options?: { layout?: PlaneLayout[] },
  ): Promise<readonly PlaneLayout[]>;
}

/** A frame's planes copied into one ArrayBuffer, with a view of each. */
export interface VideoFramePlanes {
  /** The pixel format the planes are in. */
  readonly format: string;
  /** The memory every plane view is over. */
  readonly buffer: ArrayBuffer;
  /** Where each plane lies in `buffer`, as `copyTo` reported it. */
  readonly layout: readonly PlaneLayout[];
  /**
   * One `'B'` view per plane, rows first, with the layout's row stride: `[rows, columns]`
   * for a Y, U or V plane, `[rows, columns, 2]` for NV12's interleaved UV plane, and
   * `[rows, columns, 4]` for an RGBA/RGBX/BGRA/BGRX frame.
   */
  readonly planes: readonly MemoryView[];
}

/** [rows, columns, samples] of each plane of a `width × height` frame in `format`. */
function planeShapes(format: string, width: number, height: number): number[][] {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  switch (format) {
    case 'I420':
      return [
        [height, width, 1],
        [ch, cw, 1],
        [ch, cw, 1],
      ];
    case 'NV12':
      return [
        [height, width, 1],
        [ch, cw, 2],
      ];
    case 'RGBA':
    case 'RGBX':
    case 'BGRA':
    case 'BGRX':
      return [[height, width, 4]];
    default:
      throw new NotImplementedError(
        `videoFramePlanes: format ${format === null ? 'null (opaque)' : `'${format}'`} is not one of I420, NV12, RGBA, RGBX, BGRA, BGRX`,
      );
  }
}

/**
 * A video frame's planes as views with their real row strides: `frame.copyTo` copies
 * them (the one copy — a VideoFrame's memory cannot be viewed directly) into a new
 * ArrayBuffer, with `layout` when given (e.g. rows padded to a stride a codec wants) or
 * the browser's own layout otherwise.
 *
 * @example
 * ```js
 * const { planes: [y, u, v] } = await videoFramePlanes(frame); // an I420 frame
 * const roi = y.sub([0, 64], [0, 64]); // a 64 × 64 block of luma, no further copy
 * ```
 * @throws {NotImplementedError} for a format other than I420, NV12, RGBA, RGBX, BGRA and BGRX
 * @throws {ValueError} when `layout` does not have one entry per plane
 */
export async function videoFramePlanes(
  frame: VideoFrameLike,
  layout?: readonly PlaneLayout[],
): Promise<VideoFramePlanes> {
  try {
    const format = frame.format as string;
    const rect = frame.visibleRect;
    const shapes = planeShapes(format, rect?.width ?? 0, rect?.height ?? 0);
    if (layout !== undefined && layout.length !== shapes.length) {
      throw new ValueError(
        `videoFramePlanes: a ${format} frame has ${shapes.length} planes, the layout ${layout.length}`,
      );
    }
    const options = layout === undefined ? {} : { layout: layout.map((p) => ({ ...p })) };
    const bytes = new Uint8Array(frame.allocationSize(options));
    const used = await frame.copyTo(bytes, options);
    const planes = shapes.map((shape, i) => {
      const [rows, columns, samples] = shape;
      return MemoryView.fromLayout({
        buffer: bytes.buffer,
        byteOffset: used[i].offset,
        format: 'B',
        shape: samples === 1 ? [rows, columns] : shape,
        strides: samples === 1 ? [used[i].stride, 1] : [used[i].stride, samples, 1],
        readonly: false,
      });
    });
    return {
      format,
      buffer: bytes.buffer,
      layout: used.map((p) => ({ offset: p.offset, stride: p.stride })),
      planes,
    };
  } catch (error) {
    throw fromCall(error, videoFramePlanes);
  }
}
