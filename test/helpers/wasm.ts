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

// The instructions the module uses (WebAssembly binary opcodes).
const I32 = 0x7f;
const VOID = 0x40;
const BLOCK = 0x02;
const LOOP = 0x03;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const LOAD8_U = 0x2d;
const STORE8 = 0x3a;
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];

/**
 * `while (n != 0) { body; p += 1; n -= 1; }` over the parameters p (local 0) and n
 * (local 1): the loop both functions of the module share.
 */
function byteLoop(body: readonly number[]): number[] {
  return [
    ...[BLOCK, VOID, LOOP, VOID],
    ...[...get(1), I32_EQZ, BR_IF, 1], // leave when n == 0
    ...body,
    ...[...get(0), I32_CONST, 1, I32_ADD, ...set(0)], // p += 1
    ...[...get(1), I32_CONST, 1, I32_SUB, ...set(1)], // n -= 1
    ...[BR, 0, END, END],
  ];
}

/**
 * A tiny module that imports its memory as `env.memory` and exports
 *   sum(p, n) -> i32   the sum of the n bytes at p
 *   fill(p, n, v)      sets the n bytes at p to v
 * written out instruction by instruction.
 */
export function sumAndFillModule(): Uint8Array {
  // (local $s i32): s += load8_u(p) in the loop, then return s.
  const sumBody = [
    ...[1, 1, I32],
    ...byteLoop([...get(2), ...get(0), LOAD8_U, 0, 0, I32_ADD, ...set(2)]),
    ...get(2),
    END,
  ];
  // No locals: store8(p, v) in the loop.
  const fillBody = [0, ...byteLoop([...get(0), ...get(2), STORE8, 0, 0]), END];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
    ...section(1, [2, 0x60, 2, I32, I32, 1, I32, 0x60, 3, I32, I32, I32, 0]), // types
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import
    ...section(3, [2, 0, 1]), // functions: sum has type 0, fill type 1
    ...section(7, [2, ...name('sum'), 0x00, 0x00, ...name('fill'), 0x00, 0x01]), // exports
    ...section(10, [2, sumBody.length, ...sumBody, fillBody.length, ...fillBody]), // code
  ]);
}
