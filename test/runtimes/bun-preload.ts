/**
 * Preloaded by `bun test`: the suite's garbage-collection tests call `globalThis.gc()`,
 * which Node and Deno provide under --expose-gc; Bun's equivalent is `Bun.gc(true)`.
 */
const runtime = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
const bun = runtime.Bun;
if (bun !== undefined && runtime.gc === undefined) runtime.gc = () => bun.gc(true);
