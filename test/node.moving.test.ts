/**
 * memview/node under hostile timing: memory that goes away while the OS call waits
 * (detached, a resizable buffer shrunk, a WebAssembly.Memory grown), exports given back
 * exactly once on every path (errors, iterators left early), and streams that fail the
 * way other runtimes make them fail (Deno emits 'error' after `closed` is true, Bun emits
 * 'end' when a socket is destroyed) — with no error escaping an I/O call unhandled.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type * as net from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  BufferError,
  ByteArray,
  getBuffer,
  type MemoryView,
  memoryview,
  PyBUF,
  releaseBuffer,
} from '../src/index.js';
import {
  BrokenPipeError,
  ConnectionAbortedError,
  connectInto,
  OSError,
  readInto,
  writev,
} from '../src/node/index.js';
import {
  connect,
  expectReject,
  fileWith,
  loopback,
  pattern,
  sleep,
  tempDir,
  watchUnhandled,
} from './helpers/net.js';
import { wasm } from './helpers/wasm.js';

const DETACHED =
  'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used';
const GREW =
  'WebAssembly.Memory grew and detached the buffer this view was made over; make a new view of memory.buffer';
const shrank = (length: number, reach: number) =>
  `the underlying ArrayBuffer shrank to ${length} bytes; this view reaches byte ${reach}`;

/** Detaches `buffer` (what `ArrayBuffer.prototype.transfer` does, also on Node 20). */
function detach(buffer: ArrayBuffer): ArrayBuffer {
  return structuredClone(buffer, { transfer: [buffer] });
}

let dir: { path: string; cleanup(): Promise<void> };
const DATA = pattern(10_000, 31);
let dataFile: string;

before(async () => {
  dir = await tempDir();
  dataFile = await fileWith(dir.path, 'data.bin', DATA);
});
after(async () => {
  await dir.cleanup();
});

describe('memory that goes away while the OS call waits', () => {
  test('readInto: detached during the read is a BufferError, not a byte count', async () => {
    const fd = fs.openSync(dataFile, 'r');
    try {
      const ab = new ArrayBuffer(100);
      const view = memoryview(new Uint8Array(ab));
      const pending = readInto(fd, view);
      const moved = detach(ab);
      await expectReject(pending, BufferError, DETACHED);
      // The export was given back; the read happened (into the memory that moved), and
      // the file position moved past it.
      view.release();
      assert.deepEqual(new Uint8Array(moved), new Uint8Array(DATA.subarray(0, 100)));
      const next = new Uint8Array(4);
      assert.equal(await readInto(fd, next), 4);
      assert.deepEqual(next, new Uint8Array(DATA.subarray(100, 104)));
    } finally {
      fs.closeSync(fd);
    }
  });

  test('readInto: a resizable buffer shrunk during the read', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const rab = new ArrayBuffer(64, { maxByteLength: 128 });
      const view = memoryview(new Uint8Array(rab, 0, 64));
      const pending = readInto(fh, view, 0);
      rab.resize(10);
      await expectReject(pending, BufferError, shrank(10, 63));
      view.release();
      assert.equal(rab.byteLength, 10);
    } finally {
      await fh.close();
    }
  });

  test('readInto: a WebAssembly.Memory grown during the read', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const memory = new wasm.Memory({ initial: 1, maximum: 2 });
      const pending = readInto(fh, memory, 0);
      memory.grow(1);
      await expectReject(pending, BufferError, GREW);
      assert.equal(memory.buffer.byteLength, 2 * 65_536);
    } finally {
      await fh.close();
    }
  });

  test('readInto: detached between two readv batches is not a short read', async () => {
    const fd = fs.openSync(dataFile, 'r');
    try {
      const ab = new ArrayBuffer(6000);
      const everyOther = memoryview(new Uint8Array(ab)).slice(null, null, 2); // 3 batches
      const pending = readInto(fd, everyOther, 0);
      detach(ab);
      await expectReject(pending, BufferError, DETACHED);
      everyOther.release(); // no export left
    } finally {
      fs.closeSync(fd);
    }
  });

  test('writev to a file: detached during the write; the other views are released', async () => {
    const path = join(dir.path, 'moving-w.bin');
    const fd = fs.openSync(path, 'w');
    try {
      const ba = new ByteArray([1, 2, 3]);
      const ab = new ArrayBuffer(8);
      const pending = writev(fd, [ba, new Uint8Array(ab)]);
      detach(ab);
      await expectReject(pending, BufferError, DETACHED);
      assert.equal(ba.exports, 0);
      ba.append(4);
      // Strided views past IOV_MAX: detached between batches.
      const backing = new ArrayBuffer(6000);
      const strided = memoryview(new Uint8Array(backing)).slice(null, null, 2);
      const batches = writev(fd, [strided], 0);
      detach(backing);
      await expectReject(batches, BufferError, DETACHED);
      strided.release();
    } finally {
      fs.closeSync(fd);
    }
  });

  test('writev to a socket: detached before the write completed', async () => {
    const server = await loopback((s) => s.resume());
    try {
      const socket = await connect(server.port);
      const ba = new ByteArray([1, 2]);
      const ab = new ArrayBuffer(1 << 16);
      const pending = writev(socket, [ba, new Uint8Array(ab)]);
      detach(ab);
      await expectReject(pending, BufferError, DETACHED);
      assert.equal(ba.exports, 0);
      assert.equal(socket.listenerCount('error'), 0);
      socket.destroy();
    } finally {
      await server.close();
    }
  });

  test('connectInto: the buffer shrunk while a chunk is held ends the connection', async () => {
    const server = await loopback((s) => s.write('first'));
    try {
      const rab = new ArrayBuffer(16, { maxByteLength: 32 });
      const { socket, chunks } = connectInto(server.address, new Uint8Array(rab));
      const first = (await chunks.next()).value as MemoryView;
      assert.equal(Buffer.from(first.toBytes()).toString(), 'first');
      rab.resize(4);
      await expectReject(chunks.next(), BufferError, shrank(4, 15));
      assert.equal(first.released, true);
      assert.equal(socket.destroyed, true);
      assert.deepEqual(await chunks.next(), { value: undefined, done: true });
    } finally {
      await server.close();
    }
  });

  test('connectInto: detached while the socket waits for data', async () => {
    let peer: net.Socket | undefined;
    const server = await loopback((s) => {
      peer = s;
    });
    try {
      const ab = new ArrayBuffer(16);
      const view = memoryview(new Uint8Array(ab));
      const { socket, chunks } = connectInto(server.address, view);
      await once(socket, 'connect');
      const pending = chunks.next();
      detach(ab);
      (peer as net.Socket).write('late');
      await expectReject(pending, BufferError, DETACHED);
      assert.equal(socket.destroyed, true);
      view.release(); // the export was given back
    } finally {
      await server.close();
    }
  });
});

describe('exports given back exactly once', () => {
  test('writev: an iterable that fails part-way releases what it exported, and is closed', async () => {
    const fd = fs.openSync(join(dir.path, 'moving-it.bin'), 'w');
    try {
      const ba = new ByteArray([1]);
      let closed = false;
      function* views(): Generator<unknown> {
        try {
          yield ba;
          yield 'abc';
        } finally {
          closed = true;
        }
      }
      await expectReject(
        writev(fd, views() as never),
        TypeError,
        "a bytes-like object is required, not 'str'",
      );
      assert.equal(closed, true);
      assert.equal(ba.exports, 0);
      function* throwing(): Generator<unknown> {
        yield ba;
        throw new RangeError('from the iterable');
      }
      await expectReject(writev(fd, throwing() as never), RangeError, 'from the iterable');
      assert.equal(ba.exports, 0);
      assert.equal(fs.fstatSync(fd).size, 0);
    } finally {
      fs.closeSync(fd);
    }
  });

  test('writev: a Writable whose write throws is destroyed, the views are released', async () => {
    const broken = new Writable({
      write() {
        throw new RangeError('broken Writable');
      },
    });
    broken.on('error', () => {});
    const ba = new ByteArray([1, 2, 3]);
    await expectReject(writev(broken, [ba]), RangeError, 'broken Writable');
    assert.equal(ba.exports, 0);
    assert.equal(broken.destroyed, true);
  });

  test('connectInto: leaving the loop with a chunk still exported', async () => {
    const server = await loopback((s) => s.write('held'));
    try {
      const ba = new ByteArray(8);
      const { socket, chunks } = connectInto(server.address, ba);
      let chunk: MemoryView | undefined;
      let info: ReturnType<typeof getBuffer> | undefined;
      await expectReject(
        async () => {
          for await (const c of chunks) {
            chunk = c;
            info = getBuffer(c, PyBUF.SIMPLE);
            break;
          }
        },
        BufferError,
        'connectInto: the previous chunk cannot be released (memoryview has 1 exported buffer); the connection was closed; the chunk stays valid until you release its exports, then the chunk',
      );
      // Everything else was given back; the chunk is still readable, and is the
      // consumer's to release.
      assert.equal(socket.destroyed, true);
      assert.equal(ba.exports, 1);
      assert.equal(Buffer.from((chunk as MemoryView).toBytes()).toString(), 'held');
      assert.deepEqual(await chunks.next(), { value: undefined, done: true });
      releaseBuffer(info as ReturnType<typeof getBuffer>);
      (chunk as MemoryView).release();
      assert.equal(ba.exports, 0);
    } finally {
      await server.close();
    }
  });

  test('connectInto: return() while a next() waits answers it with done', async () => {
    const server = await loopback(() => {});
    try {
      const ba = new ByteArray(8);
      const { socket, chunks } = connectInto(server.address, ba);
      const pending = chunks.next();
      assert.deepEqual(await chunks.return?.(), { value: undefined, done: true });
      assert.deepEqual(await pending, { value: undefined, done: true });
      assert.equal(socket.destroyed, true);
      assert.equal(ba.exports, 0);
    } finally {
      await server.close();
    }
  });
});

describe('no error escapes an I/O call (the failures of other runtimes)', () => {
  test('connectInto: a socket destroyed before it connected aborts', async () => {
    const server = await loopback(() => {});
    const unhandled = watchUnhandled();
    try {
      const ba = new ByteArray(8);
      const { socket, chunks } = connectInto(server.address, ba);
      socket.destroy();
      await expectReject(
        chunks.next(),
        ConnectionAbortedError,
        'connectInto: the socket was closed before the end of the stream',
      );
      assert.equal(ba.exports, 0);
      await sleep(20);
    } finally {
      assert.deepEqual(unhandled.stop(), []);
      await server.close();
    }
  });

  test("connectInto: an 'end' emitted by destroy() (as Bun does) is no end of stream", async () => {
    const server = await loopback((s) => s.write('one'));
    try {
      const ba = new ByteArray(8);
      const { socket, chunks } = connectInto(server.address, ba);
      assert.equal(
        Buffer.from(((await chunks.next()).value as MemoryView).toBytes()).toString(),
        'one',
      );
      const pending = chunks.next();
      socket.destroy();
      socket.emit('end');
      await expectReject(
        pending,
        ConnectionAbortedError,
        'connectInto: the socket was closed before the end of the stream',
      );
      assert.equal(ba.exports, 0);
    } finally {
      await server.close();
    }
  });

  test('writev to a peer that closed: no error escapes, the listeners go away', async () => {
    const server = await loopback((s) => s.destroy());
    const unhandled = watchUnhandled();
    try {
      const socket = await connect(server.port, { allowHalfOpen: true });
      socket.resume();
      await once(socket, 'end');
      const listeners = socket.listenerCount('error');
      const ba = new ByteArray(Buffer.alloc(8 << 20, 1));
      await expectReject(
        writev(socket, [ba, new Uint8Array(8 << 20)]),
        BrokenPipeError,
        `writev: the peer closed the connection (write EPIPE); the write of ${16 << 20} bytes did not complete`,
      );
      assert.equal(ba.exports, 0);
      if (!socket.closed) await once(socket, 'close');
      await sleep(20);
      assert.equal(socket.listenerCount('error'), listeners);
      assert.equal(socket.listenerCount('close'), 0);
    } finally {
      assert.deepEqual(unhandled.stop(), []);
      await server.close();
    }
  });

  test("writev: a stream that is closed before it emits 'error' (as Deno's sockets are)", async () => {
    const epipe = Object.assign(new Error('write EPIPE'), {
      code: 'EPIPE',
      errno: -32,
      syscall: 'write',
    });
    /** Fails every write; says it is closed once destroyed, and emits 'error' later. */
    class LateError extends Writable {
      constructor() {
        super();
        Object.defineProperty(this, 'closed', { get: () => this.destroyed });
      }
      override _write(_chunk: unknown, _encoding: string, callback: (e?: Error) => void) {
        setImmediate(() => callback(epipe));
      }
      override _destroy(err: Error | null, callback: (e?: Error | null) => void) {
        setTimeout(() => callback(err), 10);
      }
    }
    const unhandled = watchUnhandled();
    try {
      const stream = new LateError();
      const ba = new ByteArray([1, 2, 3]);
      const err = await expectReject(
        writev(stream, [ba, new Uint8Array([4])]),
        BrokenPipeError,
        'writev: the peer closed the connection (write EPIPE); the write of 4 bytes did not complete',
      );
      assert.equal(err.cause, epipe);
      assert.equal(ba.exports, 0);
      assert.equal(stream.closed, true); // closed, but 'error' is still to come
      await new Promise((resolve) => stream.once('close', resolve));
      await sleep(10);
      assert.equal(stream.listenerCount('error'), 0);
    } finally {
      assert.deepEqual(unhandled.stop(), []);
    }
  });

  test('readInto and writev of files: a failed call leaves no rejection behind', async () => {
    const unhandled = watchUnhandled();
    try {
      const fd = fs.openSync(dataFile, 'r');
      fs.closeSync(fd);
      const ba = new ByteArray(4);
      await expectReject(readInto(fd, ba), OSError, /^readInto: EBADF/);
      await expectReject(writev(fd, [ba]), OSError, /^writev: EBADF/);
      assert.equal(ba.exports, 0);
      await sleep(10);
      assert.deepEqual([...(await readFile(dataFile)).subarray(0, 2)], [...DATA.subarray(0, 2)]);
    } finally {
      assert.deepEqual(unhandled.stop(), []);
    }
  });
});
