/** Loopback servers, temp files and async error assertions for the Node I/O tests. */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A loopback TCP server on an ephemeral port. */
export interface Loopback {
  readonly port: number;
  /** Connection options for `net.connect`/`connectInto`. */
  readonly address: { readonly port: number; readonly host: string };
  /** The sockets the server accepted, in order. */
  readonly accepted: net.Socket[];
  /** Destroys every accepted socket and closes the server. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0, calling `onConnection` for each accepted socket. */
export async function loopback(onConnection: (socket: net.Socket) => void): Promise<Loopback> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    address: { port, host: '127.0.0.1' },
    accepted,
    async close() {
      for (const s of accepted) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every byte a socket receives until its end, as one Buffer (resolves on 'end' or 'close'). */
export function collect(socket: net.Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  socket.on('data', (b: Buffer) => parts.push(b));
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) resolve(Buffer.concat(parts));
      done = true;
    };
    socket.on('end', finish);
    socket.on('close', finish);
  });
}

/** A connected client socket (with an error listener, so a test's failure is not a crash). */
export async function connect(port: number, options: net.SocketConstructorOpts = {}) {
  const socket = net.connect({ port, host: '127.0.0.1', ...options });
  await once(socket, 'connect');
  return socket;
}

/** A temp folder under os.tmpdir(), removed by `cleanup`. */
export async function tempDir(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'memview-node-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** `n` bytes of a repeatable pattern (byte i is a mix of i, so no period is short). */
export function pattern(n: number, seed = 0): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Writes `data` to a new file `name` in `dir` and returns its path. */
export async function fileWith(dir: string, name: string, data: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

/**
 * Asserts that `promise` rejects with an instance of `type` (named after its class) whose message
 * is `message` exactly, or matches it when a RegExp; returns the error for further checks.
 */
export async function expectReject<E extends Error>(
  promise: Promise<unknown> | (() => Promise<unknown>),
  type: new (...args: never[]) => E,
  message: string | RegExp,
): Promise<E> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected ${type.name}, but it resolved`);
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  // The error's own class names it (a subclass of `type` keeps its own name).
  assert.equal((caught as Error).name, (caught as Error).constructor.name);
  if (typeof message === 'string') assert.equal((caught as Error).message, message);
  else assert.match((caught as Error).message, message);
  return caught as E;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Records every 'uncaughtException' and 'unhandledRejection' of the process until `stop()`,
 * which returns what it saw: an I/O call must let no error escape it.
 */
export function watchUnhandled(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const record = (err: unknown) => seen.push(err);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
      return seen;
    },
  };
}
