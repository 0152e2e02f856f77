/**
 * The internal slots of TypedArrays and DataViews, read through the intrinsic accessors.
 * A subclass or an own property may override `length`, `buffer`, `byteOffset` or
 * `byteLength` with user code, and a Proxy answers `instanceof` through a trap; these
 * accessors run no user code and cannot be lied to.
 */

type Getter = (this: unknown) => unknown;

function getterOf(prototype: object, key: PropertyKey): Getter {
  return Object.getOwnPropertyDescriptor(prototype, key)!.get as Getter;
}

const typedArrayPrototype: object = Object.getPrototypeOf(Uint8Array.prototype);
const taTag = getterOf(typedArrayPrototype, Symbol.toStringTag);
const taLength = getterOf(typedArrayPrototype, 'length');
const taBuffer = getterOf(typedArrayPrototype, 'buffer');
const taByteOffset = getterOf(typedArrayPrototype, 'byteOffset');
const taByteLength = getterOf(typedArrayPrototype, 'byteLength');
const dvBuffer = getterOf(DataView.prototype, 'buffer');
const dvByteOffset = getterOf(DataView.prototype, 'byteOffset');
const dvByteLength = getterOf(DataView.prototype, 'byteLength');

/** The element type's name of a TypedArray (`'Uint8Array'`), or undefined for any other value. */
export function typedArrayName(value: unknown): string | undefined {
  return taTag.call(value) as string | undefined;
}

/** True for a real Uint8Array (Node's Buffer is one), by its internal slots. */
export function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && taTag.call(value) === 'Uint8Array';
}

/** A TypedArray's element count (0 once detached or out of bounds). */
export function typedLength(array: ArrayBufferView): number {
  return taLength.call(array) as number;
}

/** The memory, byte offset and byte length of a TypedArray or DataView, from its slots. */
export function viewSlots(view: ArrayBufferView): {
  buffer: ArrayBufferLike;
  byteOffset: number;
  byteLength: number;
} {
  if (taTag.call(view) !== undefined) {
    return {
      buffer: taBuffer.call(view) as ArrayBufferLike,
      byteOffset: taByteOffset.call(view) as number,
      byteLength: taByteLength.call(view) as number,
    };
  }
  const buffer = dvBuffer.call(view) as ArrayBufferLike;
  // A DataView that is detached or out of bounds throws on byteOffset; it reaches nothing.
  let byteOffset = 0;
  let byteLength = 0;
  try {
    byteOffset = dvByteOffset.call(view) as number;
    byteLength = dvByteLength.call(view) as number;
  } catch {}
  return { buffer, byteOffset, byteLength };
}

/**
 * The first `n` bytes of a Uint8Array (`n <= typedLength(bytes)`) as a plain Uint8Array
 * over the same memory: no `subarray`, no species lookup.
 */
export function leadingBytes(bytes: Uint8Array, n: number): Uint8Array {
  return new Uint8Array(
    taBuffer.call(bytes) as ArrayBufferLike,
    taByteOffset.call(bytes) as number,
    n,
  );
}
