/**
 * memview/node against real files (a temp folder) and real loopback TCP (port 0): byte-exact
 * contents, the exporter locked during each operation and unlocked after (also on failure),
 * strided views as vectored I/O, backpressure, and every error path with its class and
 * message — readonly and non-exporting targets, released views, zero-length views, short
 * reads, files shorter than asked, EPIPE, a peer that resets mid-transfer.
 */

import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import type * as net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BufferError,
  ByteArray,
  Bytes,
  getBuffer,
  type MemoryView,
  memoryview,
  PyBUF,
  releaseBuffer,
  ValueError,
} from '../src/index.js';
import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  connectInto,
  EOFError,
  OSError,
  readInto,
  sendFile,
  writev,
} from '../src/node/index.js';
import { expectError } from './helpers/expect.js';
import {
  collect,
  connect,
  expectReject,
  fileWith,
  type Loopback,
  loopback,
  pattern,
  sleep,
  tempDir,
} from './helpers/net.js';

const LOCKED = 'Existing exports of data: object cannot be re-sized';
const RELEASED = 'operation forbidden on released memoryview object';

let dir: { path: string; cleanup(): Promise<void> };
/** 10,000 bytes of pattern, and the file holding them. */
const DATA = pattern(10_000);
let dataFile: string;

before(async () => {
  dir = await tempDir();
  dataFile = await fileWith(dir.path, 'data.bin', DATA);
});
after(async () => {
  await dir.cleanup();
});

/** A `rows × cols` byte matrix over `bytes` (C order), as a MemoryView. */
function matrix(bytes: Uint8Array, rows: number, cols: number): MemoryView {
  return memoryview(bytes).cast('B', [rows, cols]);
}

/** The bytes a view's elements hold, in C order. */
function contents(view: MemoryView): number[] {
  return [...view.toBytes()];
}

/** An fd that is certainly closed (opened, then closed). */
function closedFd(): number {
  const fd = fs.openSync(dataFile, 'r');
  fs.closeSync(fd);
  return fd;
}

// ---------------------------------------------------------------------------------------
// readInto
// ---------------------------------------------------------------------------------------

describe('readInto', () => {
  test('fills a Uint8Array with one read at the current position, which advances', async () => {
    const fd = fs.openSync(dataFile, 'r');
    try {
      const a = new Uint8Array(100);
      const b = new Uint8Array(50);
      assert.equal(await readInto(fd, a), 100);
      assert.equal(await readInto(fd, b), 50);
      assert.deepEqual(a, new Uint8Array(DATA.subarray(0, 100)));
      assert.deepEqual(b, new Uint8Array(DATA.subarray(100, 150)));
    } finally {
      fs.closeSync(fd);
    }
  });

  test('reads at a position (number or bigint) without moving the file position', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const a = new Uint8Array(16);
      assert.equal(await readInto(fh, a, 5000), 16);
      assert.deepEqual(a, new Uint8Array(DATA.subarray(5000, 5016)));
      assert.equal(await readInto(fh, a, 7n), 16);
      assert.deepEqual(a, new Uint8Array(DATA.subarray(7, 23)));
      assert.equal(await readInto(fh, a), 16);
      assert.deepEqual(a, new Uint8Array(DATA.subarray(0, 16)));
    } finally {
      await fh.close();
    }
  });

  test('any writable exporter: ByteArray, MemoryView, Float64Array, (Shared)ArrayBuffer', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const ba = new ByteArray(24);
      assert.equal(await readInto(fh, ba, 0), 24);
      assert.deepEqual([...ba], [...DATA.subarray(0, 24)]);
      const f64 = new Float64Array(3);
      assert.equal(await readInto(fh, f64, 24), 24);
      assert.deepEqual(new Uint8Array(f64.buffer), new Uint8Array(DATA.subarray(24, 48)));
      const ab = new ArrayBuffer(8);
      assert.equal(await readInto(fh, ab, 48), 8);
      assert.deepEqual(new Uint8Array(ab), new Uint8Array(DATA.subarray(48, 56)));
      const shared = new Uint8Array(new SharedArrayBuffer(8));
      assert.equal(await readInto(fh, shared, 48), 8);
      assert.deepEqual([...shared], [...DATA.subarray(48, 56)]);
      const backing = new Uint8Array(20);
      const mv = memoryview(backing).slice(4, 12);
      assert.equal(await readInto(fh, mv, 56), 8);
      assert.deepEqual(
        [...backing],
        [0, 0, 0, 0, ...DATA.subarray(56, 64), ...new Array(8).fill(0)],
      );
    } finally {
      await fh.close();
    }
  });

  test('a strided 2-D window gets its elements in C order, one iovec per run', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const backing = new Uint8Array(8 * 10).fill(0xee);
      const window = matrix(backing, 8, 10).sub([1, 7], [2, 6]); // 6 runs of 4 bytes
      assert.equal(await readInto(fh, window, 100), 24);
      assert.deepEqual(contents(window), [...DATA.subarray(100, 124)]);
      // Bytes outside the window are untouched.
      let outside = 0;
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 10; c++) {
          const inside = r >= 1 && r < 7 && c >= 2 && c < 6;
          if (!inside && backing[r * 10 + c] !== 0xee) outside++;
        }
      }
      assert.equal(outside, 0);
      // Negative strides: the runs go backwards through memory.
      const reversed = memoryview(new Uint8Array(12)).slice(null, null, -3);
      assert.equal(await readInto(fh, reversed, 0), 4);
      assert.deepEqual(contents(reversed), [...DATA.subarray(0, 4)]);
    } finally {
      await fh.close();
    }
  });

  test('more than IOV_MAX runs are read 1024 iovecs at a time', async () => {
    const fd = fs.openSync(dataFile, 'r');
    try {
      const backing = new Uint8Array(6000).fill(0xee);
      const everyOther = memoryview(backing).slice(null, null, 2); // 3000 runs of 1 byte
      assert.equal(await readInto(fd, everyOther, 10), 3000);
      assert.deepEqual(contents(everyOther), [...DATA.subarray(10, 3010)]);
      assert.ok(backing.filter((_, i) => i % 2 === 1).every((b) => b === 0xee));
    } finally {
      fs.closeSync(fd);
    }
  });

  test('short reads: fewer bytes near the end, 0 at the end; the rest is untouched', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const a = new Uint8Array(100).fill(0xee);
      assert.equal(await readInto(fh, a, DATA.length - 30), 30);
      assert.deepEqual([...a.subarray(0, 30)], [...DATA.subarray(DATA.length - 30)]);
      assert.ok(a.subarray(30).every((b) => b === 0xee));
      assert.equal(await readInto(fh, a, DATA.length), 0);
      assert.equal(await readInto(fh, a, DATA.length + 100), 0);
      // A strided target: the runs after the end of the file stay as they were.
      const backing = new Uint8Array(4000).fill(0xee);
      const strided = memoryview(backing).slice(null, null, 2); // 2000 runs
      assert.equal(await readInto(fh, strided, DATA.length - 1500), 1500);
      const got = contents(strided);
      assert.deepEqual(got.slice(0, 1500), [...DATA.subarray(DATA.length - 1500)]);
      assert.ok(got.slice(1500).every((b) => b === 0xee));
    } finally {
      await fh.close();
    }
  });

  test('the exporter is locked until the read completes, then released', async () => {
    const fh = await open(dataFile, 'r');
    try {
      const ba = new ByteArray(64);
      const pending = readInto(fh, ba, 0);
      assert.equal(ba.exports, 1);
      expectError(() => ba.append(1), BufferError, LOCKED);
      assert.equal(await pending, 64);
      assert.equal(ba.exports, 0);
      ba.append(1);
      assert.equal(ba.length, 65);

      const m = memoryview(new Uint8Array(8));
      const pendingView = readInto(fh, m, 0);
      expectError(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
      await pendingView;
      m.release();
      assert.equal(m.released, true);
    } finally {
      await fh.close();
    }
  });

  test('a zero-length view resolves with 0 without a system call', async () => {
    const fd = closedFd(); // any read would fail with EBADF
    assert.equal(await readInto(fd, new Uint8Array(0)), 0);
    assert.equal(await readInto(fd, new ByteArray()), 0);
    assert.equal(await readInto(fd, memoryview(new Uint8Array(10)).slice(5, 5)), 0);
    assert.equal(await readInto(fd, matrix(new Uint8Array(10), 2, 5).sub(null, [3, 3])), 0);
  });

  test('read-only, non-exporting and released targets', async () => {
    const fh = await open(dataFile, 'r');
    try {
      await expectReject(
        readInto(fh, new Bytes([1, 2, 3])),
        TypeError,
        "readInto() argument 'view' must be read-write bytes-like object, not bytes",
      );
      const ro = memoryview(new Uint8Array(4)).toReadonly();
      await expectReject(
        readInto(fh, ro),
        TypeError,
        "readInto() argument 'view' must be read-write bytes-like object, not memoryview",
      );
      assert.equal(ro.release(), undefined); // no export left behind
      await expectReject(
        readInto(fh, 'abc' as never),
        TypeError,
        "readInto() argument 'view' must be read-write bytes-like object, not str",
      );
      const released = memoryview(new Uint8Array(4));
      released.release();
      await expectReject(readInto(fh, released), ValueError, RELEASED);
    } finally {
      await fh.close();
    }
  });

  test('bad files and positions; a failed read leaves the buffer as it was, unlocked', async () => {
    const ba = new ByteArray([7, 7, 7, 7]);
    await expectReject(
      readInto('data.bin' as never, ba),
      TypeError,
      "readInto: file must be a FileHandle or a file descriptor (a non-negative integer), not 'str'",
    );
    await expectReject(
      readInto(-1, ba),
      TypeError,
      "readInto: file must be a FileHandle or a file descriptor (a non-negative integer), not 'int'",
    );
    await expectReject(
      readInto(0, ba, -1),
      ValueError,
      'readInto: position must be non-negative, not -1',
    );
    await expectReject(
      readInto(0, ba, 1.5),
      TypeError,
      "readInto: position must be an integer, not 'float'",
    );
    const err = await expectReject(readInto(closedFd(), ba), OSError, /^readInto: EBADF/);
    assert.equal(err.code, 'EBADF');
    assert.equal(err.syscall, 'read');
    const fh = await open(dataFile, 'r');
    await fh.close();
    const closed = await expectReject(readInto(fh, ba, 0), OSError, /^readInto: /);
    assert.equal(closed.code, 'EBADF');
    assert.deepEqual([...ba], [7, 7, 7, 7]);
    assert.equal(ba.exports, 0);
  });

  test('memory that was detached is a BufferError, not a silent 0', async () => {
    const ab = new ArrayBuffer(8);
    const view = new Uint8Array(ab);
    structuredClone(ab, { transfer: [ab] });
    await expectReject(
      readInto(0, view),
      BufferError,
      'the underlying ArrayBuffer was detached (transferred or freed); the view can no longer be used',
    );
  });
});

// ---------------------------------------------------------------------------------------
// writev to files
// ---------------------------------------------------------------------------------------

describe('writev to files', () => {
  /** Views of every kind, and the bytes they hold in order. */
  function mixedViews(): { views: unknown[]; expected: Buffer } {
    const plain = new Uint8Array([1, 2, 3]);
    const ba = new ByteArray([4, 5]);
    const ro = new Bytes([6, 7, 8]);
    const grid = new Uint8Array(40);
    for (let i = 0; i < 40; i++) grid[i] = 100 + i;
    const column = matrix(grid, 4, 10).sub(null, [2, 5]); // 4 runs of 3
    const f32 = new Float32Array([1.5]);
    const shared = new SharedArrayBuffer(2);
    new Uint8Array(shared).set([9, 10]);
    const views = [plain, ba, ro, column, f32, new Uint8Array(0), shared];
    const expected = Buffer.concat([
      plain,
      Buffer.from([4, 5]),
      Buffer.from([6, 7, 8]),
      Buffer.from(column.toBytes()),
      Buffer.from(f32.buffer),
      Buffer.from([9, 10]),
    ]);
    return { views, expected };
  }

  test('writes every view in order through a descriptor', async () => {
    const path = join(dir.path, 'w1.bin');
    const fd = fs.openSync(path, 'w');
    try {
      const { views, expected } = mixedViews();
      assert.equal(await writev(fd, views as never), expected.length);
      assert.equal(await writev(fd, [new Uint8Array([9])]), 1); // appends at the position
      assert.deepEqual(await readFile(path), Buffer.concat([expected, Buffer.from([9])]));
    } finally {
      fs.closeSync(fd);
    }
  });

  test('writes at a position through a FileHandle without moving the position', async () => {
    const path = await fileWith(dir.path, 'w2.bin', new Uint8Array(20));
    const fh = await open(path, 'r+');
    try {
      assert.equal(await writev(fh, [new Uint8Array([1, 2]), new Uint8Array([3])], 10), 3);
      assert.equal(await writev(fh, [new Uint8Array([5])]), 1); // position 0 still
      const want = new Uint8Array(20);
      want.set([1, 2, 3], 10);
      want[0] = 5;
      assert.deepEqual(new Uint8Array(await readFile(path)), want);
    } finally {
      await fh.close();
    }
  });

  test('more than IOV_MAX runs are written 1024 iovecs at a time', async () => {
    const path = join(dir.path, 'w3.bin');
    const fh = await open(path, 'w');
    try {
      const source = pattern(6000, 3);
      const everyOther = memoryview(source).slice(null, null, 2); // 3000 runs
      assert.equal(await writev(fh, [everyOther, everyOther]), 6000);
      const half = Buffer.from(everyOther.toBytes());
      assert.deepEqual(await readFile(path), Buffer.concat([half, half]));
    } finally {
      await fh.close();
    }
  });

  test('the views are locked until the write completes, and released after', async () => {
    const fd = fs.openSync(join(dir.path, 'w4.bin'), 'w');
    try {
      const ba = new ByteArray([1, 2, 3]);
      const m = memoryview(new Uint8Array([4]));
      const pending = writev(fd, [ba, m]);
      assert.equal(ba.exports, 1);
      expectError(() => ba.append(0), BufferError, LOCKED);
      expectError(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
      assert.equal(await pending, 4);
      assert.equal(ba.exports, 0);
      m.release();
    } finally {
      fs.closeSync(fd);
    }
  });

  test('no bytes: 0 without a system call', async () => {
    const fd = closedFd();
    assert.equal(await writev(fd, []), 0);
    assert.equal(await writev(fd, [new Uint8Array(0), new ByteArray()]), 0);
  });

  test('a non-exporter or a released view fails before writing and releases the others', async () => {
    const path = join(dir.path, 'w5.bin');
    const fd = fs.openSync(path, 'w');
    try {
      const ba = new ByteArray([1, 2, 3]);
      await expectReject(
        writev(fd, [ba, 'abc' as never]),
        TypeError,
        "a bytes-like object is required, not 'str'",
      );
      assert.equal(ba.exports, 0);
      const released = memoryview(new Uint8Array(2));
      released.release();
      await expectReject(writev(fd, [ba, released]), ValueError, RELEASED);
      assert.equal(ba.exports, 0);
      assert.equal(fs.fstatSync(fd).size, 0);
      await expectReject(
        writev(fd, new Uint8Array(3) as never),
        TypeError,
        "writev: views must be an iterable of bytes-like objects, not 'bytes'",
      );
      await expectReject(
        writev('f' as never, []),
        TypeError,
        "writev: target must be a stream.Writable (a net.Socket), a FileHandle or a file descriptor, not 'str'",
      );
    } finally {
      fs.closeSync(fd);
    }
  });

  test('a failed write is an OSError and releases the views', async () => {
    const ba = new ByteArray([1]);
    const err = await expectReject(writev(closedFd(), [ba]), OSError, /^writev: EBADF/);
    assert.equal(err.code, 'EBADF');
    assert.equal(ba.exports, 0);
    const fd = fs.openSync(dataFile, 'r'); // read-only descriptor
    try {
      await expectReject(writev(fd, [ba], 0), OSError, /^writev: EBADF/);
    } finally {
      fs.closeSync(fd);
    }
  });
});

// ---------------------------------------------------------------------------------------
// writev to sockets
// ---------------------------------------------------------------------------------------

/** Counts `_writev` batches (chunks per batch) on a socket. */
function spyWritev(socket: net.Socket): number[] {
  const batches: number[] = [];
  const s = socket as unknown as {
    _writev(chunks: { chunk: unknown }[], cb: (err?: Error | null) => void): void;
  };
  const original = s._writev;
  s._writev = function (this: unknown, chunks, cb) {
    batches.push(chunks.length);
    return original.call(this, chunks, cb);
  };
  return batches;
}

describe('writev to sockets', () => {
  let server: Loopback;
  let received: Promise<Buffer>[];
  before(async () => {
    received = [];
    server = await loopback((s) => received.push(collect(s)));
  });
  after(() => server.close());

  test('one writev of one chunk per contiguous run, byte-exact, views locked until done', async () => {
    const socket = await connect(server.port);
    const batches = spyWritev(socket);
    const header = new Bytes([0xca, 0xfe]);
    const image = pattern(1920 * 20, 5);
    const window = matrix(image, 20, 1920).sub([2, 12], [100, 300]); // 10 rows of 200 bytes
    const ba = new ByteArray(pattern(100_000, 6));
    const pending = writev(socket, [header, window, ba]);
    assert.equal(ba.exports, 1);
    expectError(() => ba.append(0), BufferError, LOCKED);
    assert.equal(await pending, 2 + 2000 + 100_000);
    assert.equal(ba.exports, 0);
    assert.deepEqual(batches, [1 + 10 + 1]);
    socket.end();
    const got = await received[received.length - 1];
    assert.deepEqual(
      got,
      Buffer.concat([
        Buffer.from([0xca, 0xfe]),
        Buffer.from(window.toBytes()),
        Buffer.from(pattern(100_000, 6)),
      ]),
    );
  });

  test('a single run is a plain write; no bytes is no write', async () => {
    const socket = await connect(server.port);
    assert.equal(await writev(socket, [new Uint8Array([1, 2, 3])]), 3);
    assert.equal(await writev(socket, [new Uint8Array(0)]), 0);
    socket.end();
    assert.deepEqual(await received[received.length - 1], Buffer.from([1, 2, 3]));
  });

  test('a destroyed or ended socket, and a position, are clear errors', async () => {
    const socket = await connect(server.port);
    await expectReject(
      writev(socket, [new Uint8Array(1)], 0),
      TypeError,
      'writev: position applies to files, not to streams',
    );
    socket.end();
    const ba = new ByteArray([1]);
    await expectReject(
      writev(socket, [ba]),
      BrokenPipeError,
      'writev: the stream was ended (write after end)',
    );
    socket.destroy();
    await expectReject(
      writev(socket, [ba]),
      ConnectionAbortedError,
      'writev: the stream was destroyed',
    );
    assert.equal(ba.exports, 0);
  });
});

describe('EPIPE and peers that go away', () => {
  test('writev to a peer that closed: BrokenPipeError (EPIPE), views released', async () => {
    const server = await loopback((s) => s.destroy());
    try {
      const socket = await connect(server.port, { allowHalfOpen: true });
      socket.resume();
      await once(socket, 'end'); // the peer's socket is closed; what we send gets an RST
      const ba = new ByteArray(Buffer.alloc(32 << 20, 9));
      const err = await expectReject(
        writev(socket, [ba]),
        BrokenPipeError,
        `writev: the peer closed the connection (write EPIPE); the write of ${32 << 20} bytes did not complete`,
      );
      assert.equal(err.code, 'EPIPE');
      assert.ok(err.cause instanceof Error);
      assert.equal(ba.exports, 0);
      // Not events.once: it rejects on the 'error' still to come (Deno emits it now).
      await new Promise((resolve) => socket.once('close', resolve));
    } finally {
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------
// sendFile
// ---------------------------------------------------------------------------------------

describe('sendFile', () => {
  const BIG = pattern(3_500_000, 11); // 3 full 1 MiB chunks and a partial one
  let bigFile: string;
  let server: Loopback;
  let received: Promise<Buffer>[];
  before(async () => {
    bigFile = await fileWith(dir.path, 'big.bin', BIG);
    received = [];
    server = await loopback((s) => received.push(collect(s)));
  });
  after(() => server.close());

  async function send(
    file: (fh: FileHandle) => FileHandle | number,
    options?: Parameters<typeof sendFile>[2],
  ) {
    const socket = await connect(server.port);
    const fh = await open(bigFile, 'r');
    try {
      const n = await sendFile(socket, file(fh), options);
      socket.end();
      return { n, got: await received[received.length - 1] };
    } finally {
      await fh.close();
    }
  }

  test('sends a whole file byte-exact', async () => {
    const { n, got } = await send((fh) => fh);
    assert.equal(n, BIG.length);
    assert.ok(got.equals(BIG));
  });

  test('sends a range of a descriptor, in small chunks', async () => {
    const { n, got } = await send((fh) => fh.fd, {
      offset: 12_345,
      length: 100_000,
      chunkSize: 4096,
    });
    assert.equal(n, 100_000);
    assert.ok(got.equals(BIG.subarray(12_345, 112_345)));
    const rest = await send((fh) => fh, { offset: 3_000_000n });
    assert.equal(rest.n, 500_000);
    assert.ok(rest.got.equals(BIG.subarray(3_000_000)));
    const none = await send((fh) => fh, { offset: 10, length: 0 });
    assert.equal(none.n, 0);
    assert.equal(none.got.length, 0);
  });

  test('reuses two buffers: no allocation per chunk', async () => {
    const socket = await connect(server.port);
    const seen = new Set<ArrayBufferLike>();
    const write = socket.write.bind(socket) as (chunk: Uint8Array, cb?: () => void) => boolean;
    (socket as unknown as { write: typeof write }).write = (chunk, cb) => {
      seen.add(chunk.buffer);
      return write(chunk, cb);
    };
    const fh = await open(bigFile, 'r');
    try {
      assert.equal(await sendFile(socket, fh, { chunkSize: 65_536 }), BIG.length); // 54 chunks
    } finally {
      await fh.close();
    }
    assert.equal(seen.size, 2);
    socket.end();
    assert.ok((await received[received.length - 1]).equals(BIG));
  });

  test('backpressure: at most two buffers in flight while the peer does not read', async () => {
    let peer: net.Socket | undefined;
    const slow = await loopback((s) => {
      peer = s;
      s.pause();
    });
    try {
      const socket = await connect(slow.port);
      const path = await fileWith(dir.path, 'huge.bin', Buffer.alloc(48 << 20, 12));
      const fh = await open(path, 'r');
      let settled = false;
      const sending = sendFile(socket, fh, { chunkSize: 1 << 16 }).finally(() => {
        settled = true;
      });
      let maxQueued = 0;
      for (let i = 0; i < 20; i++) {
        await sleep(5);
        maxQueued = Math.max(maxQueued, socket.writableLength);
      }
      assert.equal(settled, false);
      assert.ok(maxQueued <= 2 << 16, `queued ${maxQueued} bytes`);
      const got = collect(peer as net.Socket);
      (peer as net.Socket).resume();
      assert.equal(await sending, 48 << 20);
      socket.end();
      assert.equal((await got).length, 48 << 20);
      await fh.close();
    } finally {
      await slow.close();
    }
  });

  test('a file shorter than offset + length is an EOFError, and nothing is sent', async () => {
    const socket = await connect(server.port);
    const fh = await open(bigFile, 'r');
    try {
      await expectReject(
        sendFile(socket, fh, { offset: 3_000_000, length: 600_000 }),
        EOFError,
        'sendFile: the file has 3500000 bytes, fewer than offset + length = 3600000; nothing was sent',
      );
    } finally {
      await fh.close();
    }
    socket.end();
    assert.equal((await received[received.length - 1]).length, 0);
  });

  test('a pipe that ends early is an EOFError after the bytes it had', async () => {
    const socket = await connect(server.port);
    // A pipe has no size: write 1000 bytes into one, close it, and ask for 5000.
    const { readable, writable } = await pipePair();
    fs.writeSync(writable, DATA.subarray(0, 1000));
    fs.closeSync(writable);
    try {
      await expectReject(
        sendFile(socket, readable, { length: 5000, chunkSize: 256 }),
        EOFError,
        'sendFile: the file ended at byte 1000, before offset + length = 5000; 1000 of 5000 bytes were sent',
      );
      await expectReject(
        sendFile(socket, readable, { offset: 10 }),
        ValueError,
        'sendFile: offset must be 0 for a file that is not a regular file (a pipe, a socket, a device)',
      );
    } finally {
      fs.closeSync(readable);
    }
    socket.end();
    assert.ok((await received[received.length - 1]).equals(DATA.subarray(0, 1000)));
  });

  test('a peer that resets mid-transfer is a ConnectionError naming the bytes sent', async () => {
    const path = await fileWith(dir.path, 'reset.bin', Buffer.alloc(64 << 20, 13));
    const rude = await loopback((s) => s.once('data', () => s.destroy()));
    try {
      const socket = await connect(rude.port);
      const fh = await open(path, 'r');
      try {
        const err = await expectReject(
          sendFile(socket, fh),
          ConnectionError,
          /^sendFile: the peer (reset|closed) the connection \((read|write) (ECONNRESET|EPIPE)\); \d+ of 67108864 bytes were sent$/,
        );
        assert.ok(err instanceof ConnectionResetError || err instanceof BrokenPipeError);
      } finally {
        await fh.close();
      }
    } finally {
      await rude.close();
    }
  });

  test('to a peer that closed: BrokenPipeError (EPIPE)', async () => {
    const path = await fileWith(dir.path, 'epipe.bin', Buffer.alloc(32 << 20, 14));
    const gone = await loopback((s) => s.destroy());
    try {
      const socket = await connect(gone.port, { allowHalfOpen: true });
      socket.resume();
      await once(socket, 'end');
      const err = await expectReject(
        sendFile(socket, fs.openSync(path, 'r')),
        BrokenPipeError,
        /^sendFile: the peer closed the connection \(write EPIPE\); \d+ of 33554432 bytes were sent$/,
      );
      assert.equal(err.code, 'EPIPE');
    } finally {
      await gone.close();
    }
  });

  test('bad arguments', async () => {
    const socket = await connect(server.port);
    await expectReject(
      sendFile('s' as never, 0),
      TypeError,
      "sendFile: socket must be a stream.Writable (a net.Socket), not 'str'",
    );
    await expectReject(
      sendFile(socket, 'f' as never),
      TypeError,
      "sendFile: file must be a FileHandle or a file descriptor (a non-negative integer), not 'str'",
    );
    await expectReject(
      sendFile(socket, 0, { offset: -5 }),
      ValueError,
      'sendFile: offset must be non-negative, not -5',
    );
    await expectReject(
      sendFile(socket, closedFd()),
      OSError,
      /^sendFile: EBADF: bad file descriptor, fstat/,
    );
    socket.destroy();
    await expectReject(
      sendFile(socket, 0),
      ConnectionAbortedError,
      'sendFile: the stream was destroyed',
    );
  });
});

/** The two ends of a pipe, as descriptors (made with a FIFO in the temp folder). */
async function pipePair(): Promise<{ readable: number; writable: number }> {
  const { execFileSync } = await import('node:child_process');
  const path = join(dir.path, `fifo-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [path]);
  const readable = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writable = fs.openSync(path, 'w');
  return { readable, writable };
}

// ---------------------------------------------------------------------------------------
// connectInto
// ---------------------------------------------------------------------------------------

/** Resolves once `condition()` holds (checked every 10 ms); fails after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    assert.ok(waited < 5_000, 'timed out waiting for a condition');
    await sleep(10);
  }
}

describe('connectInto', () => {
  test('receives byte-exact into the caller buffer, which stays locked until the end', async () => {
    const payload = pattern(3_000_000, 21);
    const server = await loopback((s) => s.end(payload));
    try {
      const ba = new ByteArray(65_536);
      const { socket, chunks } = connectInto(server.address, ba);
      assert.equal(ba.exports, 2); // our lock and the chunks' view
      const parts: Buffer[] = [];
      let count = 0;
      for await (const chunk of chunks) {
        assert.equal(chunk.obj, ba);
        assert.equal(chunk.format, 'B');
        assert.ok(chunk.nbytes > 0 && chunk.nbytes <= 32_768); // at most half the buffer
        assert.equal(chunk.byteOffset, count % 2 === 0 ? 0 : 32_768); // the halves in turn
        assert.ok(ba.exports > 0);
        parts.push(Buffer.from(chunk.toBytes()));
        count++;
      }
      assert.ok(Buffer.concat(parts).equals(payload));
      assert.ok(count >= Math.ceil(payload.length / 65_536));
      assert.equal(ba.exports, 0);
      ba.append(1); // unlocked
      await once(socket, 'close');
    } finally {
      await server.close();
    }
  });

  test('a chunk is released when the next one is requested', async () => {
    const server = await loopback((s) => {
      s.write('abc', () => setTimeout(() => s.end('def'), 20));
    });
    try {
      const buffer = new Uint8Array(16);
      const { chunks } = connectInto(server.address, buffer);
      const first = await chunks.next();
      assert.equal(first.done, false);
      const chunk = first.value as MemoryView;
      assert.equal(Buffer.from(chunk.toBytes()).toString(), 'abc');
      buffer[0] = 0x41; // the chunk is the caller's memory
      assert.equal(chunk.get(0), 0x41);
      const second = await chunks.next();
      assert.equal(chunk.released, true);
      expectError(() => chunk.toBytes(), ValueError, RELEASED);
      expectError(() => chunk.get(0), ValueError, RELEASED);
      assert.equal(Buffer.from((second.value as MemoryView).toBytes()).toString(), 'def');
      assert.equal((second.value as MemoryView).byteOffset, 8); // the other half
      assert.deepEqual(await chunks.next(), { value: undefined, done: true });
      assert.equal((second.value as MemoryView).released, true);
      assert.deepEqual(await chunks.next(), { value: undefined, done: true });
    } finally {
      await server.close();
    }
  });

  test('pipelining: the next chunk is read into the other half while one is held', async () => {
    const size = 48 << 20;
    const payload = pattern(size, 22);
    let written = false;
    const server = await loopback((s) => {
      s.write(payload, () => {
        written = true;
        s.end();
      });
    });
    try {
      const buffer = new Uint8Array(1 << 16);
      const half = 1 << 15;
      const { chunks } = connectInto(server.address, buffer);
      const first = (await chunks.next()).value as MemoryView;
      assert.equal(first.byteOffset, 0);
      const a = first.nbytes;
      const snapshot = Buffer.from(first.toBytes());
      assert.ok(snapshot.equals(payload.subarray(0, a)));
      // The socket goes on reading, into the other half (still zero until then)…
      await until(() => buffer.subarray(half, half + 16).some((x) => x !== 0));
      await sleep(150);
      // …then both halves hold a chunk (one held, one received): reading stopped, the
      // sender is blocked, and neither half was overwritten.
      assert.equal(written, false);
      assert.ok(Buffer.from(first.toBytes()).equals(snapshot));
      const queued = Buffer.from(buffer.subarray(half));
      const second = (await chunks.next()).value as MemoryView;
      assert.equal(first.released, true); // released on next
      assert.equal(second.byteOffset, half);
      const b = second.nbytes;
      // It was received before it was requested, while the first chunk was held.
      assert.ok(queued.subarray(0, b).equals(payload.subarray(a, a + b)));
      assert.ok(Buffer.from(second.toBytes()).equals(payload.subarray(a, a + b)));
      // The first half was freed: the next read goes there; the held second one is intact.
      await until(() => !Buffer.from(buffer.subarray(0, a)).equals(snapshot));
      await sleep(50);
      assert.equal(written, false);
      assert.ok(Buffer.from(second.toBytes()).equals(payload.subarray(a, a + b)));
      const third = Buffer.from(buffer.subarray(0, half));
      let offset = a + b;
      let k = 0;
      for await (const chunk of chunks) {
        const n = chunk.nbytes;
        assert.equal(chunk.byteOffset, k++ % 2 === 0 ? 0 : half);
        const expected = payload.subarray(offset, offset + n);
        if (k === 1) assert.ok(third.subarray(0, n).equals(expected));
        assert.ok(Buffer.from(chunk.toBytes()).equals(expected));
        offset += n;
      }
      assert.equal(offset, size);
      assert.equal(written, true);
    } finally {
      await server.close();
    }
  });

  test('pipelining: byte-exact over many chunks of random sizes, held chunks intact', async () => {
    /** A seeded generator in [0, 1), one per side, so that the sizes are repeatable. */
    const generator = (seed: number) => () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const bufferSize of [1, 2, 7, 1000, 65_536]) {
      const size = Math.min(8 << 20, bufferSize * 1_000);
      const payload = pattern(size, bufferSize);
      // The sender writes pieces of random sizes, sometimes pausing in between.
      const server = await loopback(async (s) => {
        const random = generator(bufferSize);
        for (let at = 0; at < size; ) {
          const n = Math.min(size - at, 1 + Math.floor(random() * random() * 3 * bufferSize));
          if (!s.write(payload.subarray(at, at + n))) await once(s, 'drain');
          at += n;
          if (random() < 0.05) await new Promise((resolve) => setImmediate(resolve));
        }
        s.end();
      });
      try {
        const buffer = new Uint8Array(bufferSize);
        const { chunks } = connectInto(server.address, buffer);
        const random = generator(~bufferSize);
        const second = Math.ceil(bufferSize / 2);
        let offset = 0;
        let count = 0;
        for await (const chunk of chunks) {
          const n = chunk.nbytes;
          assert.ok(n >= 1 && n <= Math.max(1, second));
          assert.equal(chunk.byteOffset, count % 2 === 0 || bufferSize === 1 ? 0 : second);
          const expected = payload.subarray(offset, offset + n);
          assert.ok(Buffer.from(chunk.toBytes()).equals(expected), `chunk ${count}`);
          // The consumer sometimes lags (the socket goes on reading into the other half);
          // what it holds is never overwritten.
          const lag = random();
          if (lag < 0.02) await sleep(1);
          else if (lag < 0.3) await new Promise((resolve) => setImmediate(resolve));
          assert.ok(Buffer.from(chunk.toBytes()).equals(expected), `chunk ${count} held`);
          offset += n;
          count++;
        }
        assert.equal(offset, size);
        assert.ok(count >= Math.ceil(size / Math.max(1, second)));
      } finally {
        await server.close();
      }
    }
  });

  test('any C-contiguous writable exporter: a 2-D MemoryView, a Float64Array', async () => {
    const server = await loopback((s) => s.end(Buffer.from('hello world')));
    try {
      const m = memoryview(new Uint8Array(32)).cast('B', [4, 8]);
      const { chunks } = connectInto(server.address, m);
      expectError(() => m.release(), BufferError, 'memoryview has 1 exported buffer');
      let text = '';
      for await (const chunk of chunks) {
        assert.equal(chunk.ndim, 1);
        text += Buffer.from(chunk.toBytes()).toString();
      }
      assert.equal(text, 'hello world');
      m.release();
      const f64 = new Float64Array(2);
      const again = connectInto(server.address, f64);
      let n = 0;
      for await (const chunk of again.chunks) n += chunk.nbytes;
      assert.equal(n, 11);
      assert.equal(Buffer.from(f64.buffer, 0, 11).toString(), 'hello world');
    } finally {
      await server.close();
    }
  });

  test('read-only, non-exporting, non-contiguous, empty and released buffers', () => {
    const address = { port: 9, host: '127.0.0.1' };
    expectError(
      () => connectInto(address, new Bytes([1])),
      TypeError,
      "connectInto() argument 'buffer' must be read-write bytes-like object, not bytes",
    );
    expectError(
      () => connectInto(address, memoryview(new Uint8Array(4)).toReadonly()),
      TypeError,
      "connectInto() argument 'buffer' must be read-write bytes-like object, not memoryview",
    );
    expectError(
      () => connectInto(address, 'abc' as never),
      TypeError,
      "connectInto() argument 'buffer' must be read-write bytes-like object, not str",
    );
    const strided = memoryview(new Uint8Array(8)).slice(null, null, 2);
    expectError(
      () => connectInto(address, strided),
      BufferError,
      'memoryview: underlying buffer is not C-contiguous',
    );
    strided.release(); // nothing left exported
    const ba = new ByteArray();
    expectError(
      () => connectInto(address, ba),
      ValueError,
      'connectInto: the buffer is empty; it must hold at least one byte',
    );
    assert.equal(ba.exports, 0);
    const released = memoryview(new Uint8Array(4));
    released.release();
    expectError(() => connectInto(address, released), ValueError, RELEASED);
    const full = new ByteArray(4);
    expectError(
      () =>
        connectInto(
          { ...address, onread: { buffer: new Uint8Array(1), callback: () => true } },
          full,
        ),
      ValueError,
      'connectInto: options.onread is set by connectInto; do not pass one',
    );
    expectError(
      () => connectInto({ port: -1 }, full),
      RangeError,
      /* Node's own validation */ 'Port should be >= 0 and < 65536. Received type number (-1).',
    );
    assert.equal(full.exports, 0);
  });

  test('a refused connection rejects next() with ConnectionRefusedError and unlocks', async () => {
    const closed = await loopback(() => {});
    const port = closed.port;
    await closed.close();
    const ba = new ByteArray(16);
    const { chunks } = connectInto({ port, host: '127.0.0.1' }, ba);
    const err = await expectReject(
      chunks.next(),
      ConnectionRefusedError,
      `connectInto: the connection was refused (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    assert.equal(err.code, 'ECONNREFUSED');
    assert.equal(ba.exports, 0);
    assert.deepEqual(await chunks.next(), { value: undefined, done: true });
  });

  test('a peer reset after some data: the data first, then ConnectionResetError', async () => {
    let peer: net.Socket | undefined;
    const server = await loopback((s) => {
      peer = s;
      s.write('partial');
    });
    try {
      const ba = new ByteArray(64);
      const { chunks } = connectInto(server.address, ba);
      const first = (await chunks.next()).value as MemoryView;
      assert.equal(Buffer.from(first.toBytes()).toString(), 'partial');
      (peer as net.Socket).resetAndDestroy();
      await expectReject(
        chunks.next(),
        ConnectionResetError,
        'connectInto: the peer reset the connection (read ECONNRESET)',
      );
      assert.equal(first.released, true);
      assert.equal(ba.exports, 0);
    } finally {
      await server.close();
    }
  });

  test('leaving the loop early releases the chunk, destroys the socket, unlocks', async () => {
    const server = await loopback((s) => s.write(pattern(1 << 20, 23)));
    try {
      const ba = new ByteArray(1024);
      const { socket, chunks } = connectInto(server.address, ba);
      let kept: MemoryView | undefined;
      for await (const chunk of chunks) {
        kept = chunk;
        break;
      }
      assert.equal(kept?.released, true);
      assert.equal(socket.destroyed, true);
      assert.equal(ba.exports, 0);
      assert.deepEqual(await chunks.next(), { value: undefined, done: true });
    } finally {
      await server.close();
    }
  });

  test('a chunk still exported blocks the next read; a socket destroyed early aborts', async () => {
    const server = await loopback((s) => s.write('one'));
    try {
      const ba = new ByteArray(8);
      const { socket, chunks } = connectInto(server.address, ba);
      const chunk = (await chunks.next()).value as MemoryView;
      const info = getBuffer(chunk, PyBUF.SIMPLE);
      await expectReject(
        chunks.next(),
        BufferError,
        'connectInto: the previous chunk cannot be released (memoryview has 1 exported buffer); release its exports before asking for the next chunk',
      );
      assert.equal(chunk.released, false);
      releaseBuffer(info);
      const pending = chunks.next();
      await expectReject(
        chunks.next(),
        ValueError,
        'connectInto: next() was called before the previous call settled',
      );
      socket.destroy();
      await expectReject(
        pending,
        ConnectionAbortedError,
        'connectInto: the socket was closed before the end of the stream',
      );
      assert.equal(chunk.released, true);
      assert.equal(ba.exports, 0);
    } finally {
      await server.close();
    }
  });
});
