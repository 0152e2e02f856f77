/**
 * WebAssembly for the tests, typed here: the TypeScript libraries this project compiles
 * against carry no WebAssembly declarations (they live in the DOM library).
 */

/** A `WebAssembly.Memory`, as far as the tests use it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmNamespace {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports?: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}

/** The global `WebAssembly` namespace. */
export const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
