/**
 * The internal slots of TypedArrays, read through the intrinsic accessors.
 * A subclass or an own property may override `length`, `buffer`, `byteOffset` or
 * `byteLength` with user code, and a Proxy answers `instanceof` through a trap; these
 * accessors run no user code and cannot be lied to.
 */

type Getter = (this: unknown) => unknown;

function getterOf(prototype: object, key: PropertyKey): Getter {
  return Object.getOwnPropertyDescriptor(prototype, key)!.get as Getter;
}

const typedArrayPrototype: object = /* @__PURE__ */ (() =>
  Object.getPrototypeOf(Uint8Array.prototype))();
const taTag = /* @__PURE__ */ getterOf(typedArrayPrototype, Symbol.toStringTag);
const taLength = /* @__PURE__ */ getterOf(typedArrayPrototype, 'length');
const taBuffer = /* @__PURE__ */ getterOf(typedArrayPrototype, 'buffer');
const taByteOffset = /* @__PURE__ */ getterOf(typedArrayPrototype, 'byteOffset');

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

/**
 * True when reading `array.length` calls the intrinsic getter: no own `length` and none
 * on a prototype before %TypedArray%.prototype. Such an array's `length` may be read as
 * a property, which V8 inlines (the intrinsic called through `call` is not).
 */
export function hasIntrinsicLength(array: ArrayBufferView): boolean {
  for (let o: object | null = array; o !== null; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, 'length');
    if (descriptor !== undefined) return descriptor.get === taLength;
  }
  return false;
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
