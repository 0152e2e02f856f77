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

/** A section of a WebAssembly binary: its id, then its size (one LEB128 byte here). */
function section(id: number, content: number[]): number[] {
  if (content.length > 127) throw new Error('section too long for a one-byte size');
  return [id, content.length, ...content];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * A tiny module that imports its memory as `env.memory` and exports
 *   sum(p, n) -> i32   the sum of the n bytes at p
 *   fill(p, n, v)      sets the n bytes at p to v
 * written out instruction by instruction (WAT in the comments).
 */
export function sumAndFillModule(): Uint8Array {
  const I32 = 0x7f;
  const sumBody = [
    0x01,
    0x01,
    I32, // (local $s i32)
    0x02,
    0x40,
    0x03,
    0x40, // block loop
    0x20,
    0x01,
    0x45,
    0x0d,
    0x01, // br_if 1 (i32.eqz n)
    0x20,
    0x02,
    0x20,
    0x00,
    0x2d,
    0x00,
    0x00,
    0x6a,
    0x21,
    0x02, // s += load8_u(p)
    0x20,
    0x00,
    0x41,
    0x01,
    0x6a,
    0x21,
    0x00, // p += 1
    0x20,
    0x01,
    0x41,
    0x01,
    0x6b,
    0x21,
    0x01, // n -= 1
    0x0c,
    0x00,
    0x0b,
    0x0b, // br 0, end loop, end block
    0x20,
    0x02,
    0x0b, // s
  ];
  const fillBody = [
    0x00, // no locals
    0x02,
    0x40,
    0x03,
    0x40, // block loop
    0x20,
    0x01,
    0x45,
    0x0d,
    0x01, // br_if 1 (i32.eqz n)
    0x20,
    0x00,
    0x20,
    0x02,
    0x3a,
    0x00,
    0x00, // store8(p, v)
    0x20,
    0x00,
    0x41,
    0x01,
    0x6a,
    0x21,
    0x00, // p += 1
    0x20,
    0x01,
    0x41,
    0x01,
    0x6b,
    0x21,
    0x01, // n -= 1
    0x0c,
    0x00,
    0x0b,
    0x0b,
    0x0b, // br 0, end loop, end block, end
  ];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // \0asm, version 1
    ...section(1, [0x02, 0x60, 0x02, I32, I32, 0x01, I32, 0x60, 0x03, I32, I32, I32, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(7, [0x02, ...name('sum'), 0x00, 0x00, ...name('fill'), 0x00, 0x01]),
    ...section(10, [0x02, sumBody.length, ...sumBody, fillBody.length, ...fillBody]),
  ]);
}
