/**
 * The exporter/consumer handshake of PEP 3118 and PEP 688 in JavaScript: `BufferInfo` is
 * CPython's `Py_buffer`, `BUFFER` is `__buffer__` and `RELEASE` is `__release_buffer__`.
 *
 * Invariants of a `BufferInfo` handed out by `getBuffer` (checked there, on a frozen copy
 * read once from what an exporter written in JavaScript returned, so consumers may rely on
 * them; `obj` is always the object `getBuffer` was asked):
 * - `shape.length === strides.length === ndim <= 64`; `suboffsets` is empty (JavaScript
 *   memory has no indirection);
 * - `len === product(shape) * itemsize`;
 * - every byte of every element lies in `[0, buffer.byteLength)` at the time of export;
 *   afterwards the memory may be detached or shrunk, which consumers check on access;
 * - `offset` is the byte offset of the element at index (0, …, 0), as `Py_buffer.buf`.
 */

/** The symbol of the export method: `obj[BUFFER](flags)` is Python's `obj.__buffer__(flags)`. */
export const BUFFER: unique symbol = Symbol.for('memview.buffer');

/** The symbol of the release method: `obj[RELEASE](view)` is `obj.__release_buffer__(view)`. */
export const RELEASE: unique symbol = Symbol.for('memview.release');

/** The `suboffsets` of every export: JavaScript memory has no indirection. */
export const NO_SUBOFFSETS: readonly number[] = /* @__PURE__ */ Object.freeze([]);

/** A description of exported memory: CPython's `Py_buffer`. */
export interface BufferInfo {
  /** The exporter. */
  readonly obj: unknown;
  /** The memory the elements live in. */
  readonly buffer: ArrayBufferLike;
  /** Byte offset in `buffer` of the element at index (0, …, 0) (`Py_buffer.buf`). */
  readonly offset: number;
  /** Logical size in bytes: `product(shape) * itemsize`. */
  readonly len: number;
  /** True when consumers may not write. */
  readonly readonly: boolean;
  /** The struct format of one element. */
  readonly format: string;
  /** Size of one element in bytes. */
  readonly itemsize: number;
  /** Number of dimensions. */
  readonly ndim: number;
  /** Elements along each dimension. */
  readonly shape: readonly number[];
  /** Bytes between neighbouring elements along each dimension (may be negative or 0). */
  readonly strides: readonly number[];
  /** Always empty: JavaScript memory has no PIL-style indirection. */
  readonly suboffsets: readonly number[];
}

/**
 * An object that exports memory (PEP 688): `[BUFFER](flags)` returns a `BufferInfo`, or
 * memory memview exports by itself (a `MemoryView`, `Bytes`, `ByteArray` or JavaScript
 * binary value) whose export is passed on — never another exporter written in
 * JavaScript, itself included (TypeError "[BUFFER]() returned non-memoryview object").
 * `flags` is always a number. `[RELEASE]`, if present, is called exactly once with that
 * same return value: when the consumer releases, or when the export fails after
 * `[BUFFER]` returned.
 */
export interface Exporter {
  /** Exports the memory for a request of `flags` (`PyBUF`), or throws BufferError. */
  [BUFFER](flags: number): BufferInfo | Exporter;
  /** Ends the export `[BUFFER]` returned; the exporter may resize again once none is left. */
  [RELEASE]?(view: BufferInfo | Exporter): void;
}
