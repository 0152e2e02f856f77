/**
 * memview/node over real loopback TCP, against what Node offers out of the box:
 *
 * 1. sending a 200 MB file: `sendFile(socket, fh)` (two reused 1 MiB buffers) against
 *    `fs.createReadStream(path).pipe(socket)` — throughput, and the sender's CPU time
 *    (`process.cpuUsage`, user + system) per KB sent;
 * 2. receiving 512 MiB: `connectInto(opts, buffer)` (Node reads into the two halves of one
 *    caller buffer in turn through `onread`, one MemoryView per read) against
 *    `socket.on('data')` (a new 64 KiB Buffer per read), with a 64 KiB buffer and a 1 MiB
 *    one.
 *
 * The other end of every connection is a child process (this file run with `--peer`), so
 * the two ends do not share a thread: for (1) the child receives with `connectInto` and a
 * 1 MiB buffer, and answers the byte count at the end; for (2) it serves the bytes, one
 * reused 1 MiB Buffer written over and over with backpressure — the same sender, serving
 * every connection the same way, for every receiver. Each case runs once untimed, then
 * `RUNS` timed times, the cases alternating in an order that rotates every round (so no
 * case always follows the same one); a figure is the median run, with min/max.
 * A time runs from the accepted (1) or connected (2) socket to the last byte acknowledged
 * (1: the receiver's answer) or received (2: 'end').
 *
 * The CPython side (`node_bench.py`) does the same with `socket.sendfile` (real sendfile(2):
 * no user-space copy) and `recv_into`, shown in the CPython column for reference.
 *
 * Units: the harness knows rates and times per operation, so a throughput is given as
 * M rec/s with a record = 1 byte (= MB/s), and CPU as ns/op with an op = 1 KB sent
 * (CPU ns per 1000 bytes; lower is better). Every figure's `check` is the byte count the
 * receiving side counted, which must equal the bytes sent.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectInto, sendFile } from '../src/node/index.js';
import { type Comparison, type Figures, median, type Suite } from './harness.js';

/** Size of the file sent in case 1 (200 MB, as in the reference measurements). */
const FILE_BYTES = 200_000_000;
/** Bytes served per connection in case 2. */
const RECEIVE_BYTES = 512 << 20;
/** Timed runs per case (the figure is their median). */
const RUNS = 7;
const MiB = 1 << 20;

/** One timed run: wall time, the sender's (or receiver's) CPU time, the bytes counted. */
interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly bytes: number;
}

// ---------------------------------------------------------------------------------------
// The child process: the other end of each connection
// ---------------------------------------------------------------------------------------

/**
 * `--peer sink <port> <connections>`: connects `connections` times, one after the other,
 * receives each stream to its end with connectInto and a 1 MiB buffer, then writes back
 * the byte count and ends.
 * `--peer source <bytes>`: listens on port 0 (printed on stdout), and serves `bytes` bytes
 * to each connection, then ends it.
 */
async function peerMain(args: string[]): Promise<void> {
  if (args[0] === 'sink') {
    const port = Number(args[1]);
    const buffer = new Uint8Array(MiB);
    for (let k = 0; k < Number(args[2]); k++) {
      const { socket, chunks } = connectInto(
        { port, host: '127.0.0.1', allowHalfOpen: true },
        buffer,
      );
      let bytes = 0;
      for await (const chunk of chunks) bytes += chunk.nbytes;
      socket.end(`${bytes}\n`);
      await once(socket, 'close');
    }
    return;
  }
  const total = Number(args[1]);
  const block = Buffer.alloc(MiB, 0x5a);
  const server = net.createServer(async (socket) => {
    socket.on('error', () => {});
    for (let sent = 0; sent < total; sent += MiB) {
      const n = Math.min(MiB, total - sent);
      if (!socket.write(n === MiB ? block : block.subarray(0, n))) await once(socket, 'drain');
    }
    socket.end();
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`);
  });
  process.stdin.on('end', () => server.close());
  process.stdin.resume();
}

function spawnPeer(args: string[]) {
  const script = fileURLToPath(import.meta.url);
  return spawn(process.execPath, [script, '--peer', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** `items` rotated left by `r` places: round `r`'s order of the cases. */
function rotate<T>(items: readonly T[], r: number): T[] {
  const k = r % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

// ---------------------------------------------------------------------------------------
// Case 1: sending a file
// ---------------------------------------------------------------------------------------

type SendMethod = (socket: net.Socket, path: string) => Promise<void>;

const SENDERS: Record<string, SendMethod> = {
  'memview.sendFile': async (socket, path) => {
    const fh = await open(path, 'r');
    try {
      await sendFile(socket, fh);
    } finally {
      await fh.close();
    }
    socket.end();
  },
  'node.pipe': async (socket, path) => {
    createReadStream(path).pipe(socket);
  },
};

/** Reads the receiver's answer: the byte count it got, once it saw the end. */
async function answer(socket: net.Socket): Promise<number> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (s: string) => {
    text += s;
  });
  await once(socket, 'end');
  return Number(text.trim());
}

async function measureSend(log: (line: string) => void, figures: Figures): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'memview-bench-'));
  const path = join(dir, 'send.bin');
  try {
    const fh = await open(path, 'w');
    const block = Buffer.alloc(MiB);
    for (let i = 0; i < MiB; i++) block[i] = (i * 131 + (i >>> 8)) & 0xff;
    for (let at = 0; at < FILE_BYTES; at += MiB) {
      await fh.write(block, 0, Math.min(MiB, FILE_BYTES - at));
    }
    await fh.close();

    const methods = Object.keys(SENDERS);
    const order: string[] = [];
    for (let r = 0; r <= RUNS; r++) order.push(...rotate(methods, r));
    const server = net.createServer({ allowHalfOpen: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const sink = spawnPeer(['sink', String(port), String(order.length)]);
    const runs: Record<string, Run[]> = Object.fromEntries(methods.map((m) => [m, []]));
    for (const [k, method] of order.entries()) {
      const [socket] = (await once(server, 'connection')) as [net.Socket];
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const counted = answer(socket);
      await SENDERS[method](socket, path);
      const bytes = await counted;
      const cpu = process.cpuUsage(cpu0);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      socket.destroy();
      if (bytes !== FILE_BYTES) throw new Error(`${method}: the receiver got ${bytes} bytes`);
      const run = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes };
      if (k >= methods.length) runs[method].push(run);
      log(
        `  ${method}${k < methods.length ? ' (warm-up)' : ''}: ${(FILE_BYTES / seconds / 1e6).toFixed(0)} MB/s, CPU ${run.cpuSeconds.toFixed(3)} s`,
      );
    }
    await once(sink, 'exit');
    server.close();
    for (const method of methods) record(figures, method, runs[method]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Case 2: receiving
// ---------------------------------------------------------------------------------------

type Receiver = (port: number) => Promise<number>;

const RECEIVERS: Record<string, Receiver> = {
  'memview.connectInto.64k': (port) => receiveInto(port, 64 << 10),
  'memview.connectInto.1m': (port) => receiveInto(port, MiB),
  'node.data': async (port) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let bytes = 0;
    let first = 0;
    socket.on('data', (b: Buffer) => {
      bytes += b.length;
      first ^= b[0];
    });
    await once(socket, 'end');
    sinkValue = first;
    return bytes;
  },
};

/** Keeps the consumers' per-chunk reads observable. */
let sinkValue = 0;

async function receiveInto(port: number, size: number): Promise<number> {
  const buffer = new Uint8Array(size);
  const { chunks } = connectInto({ port, host: '127.0.0.1' }, buffer);
  let bytes = 0;
  let first = 0;
  for await (const chunk of chunks) {
    bytes += chunk.nbytes;
    first ^= buffer[chunk.byteOffset];
  }
  sinkValue = first;
  return bytes;
}

async function measureReceive(log: (line: string) => void, figures: Figures): Promise<void> {
  const source = spawnPeer(['source', String(RECEIVE_BYTES)]);
  const [line] = (await once(source.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const methods = Object.keys(RECEIVERS);
  const runs: Record<string, Run[]> = Object.fromEntries(methods.map((m) => [m, []]));
  for (let r = 0; r <= RUNS; r++) {
    for (const method of rotate(methods, r)) {
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const bytes = await RECEIVERS[method](port);
      const cpu = process.cpuUsage(cpu0);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (bytes !== RECEIVE_BYTES) throw new Error(`${method}: received ${bytes} bytes`);
      const run = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes };
      if (r > 0) runs[method].push(run);
      log(
        `  ${method}${r === 0 ? ' (warm-up)' : ''}: ${(bytes / seconds / 1e6).toFixed(0)} MB/s, CPU ${run.cpuSeconds.toFixed(3)} s`,
      );
    }
  }
  source.stdin.end();
  await once(source, 'exit');
  for (const method of methods) record(figures, method, runs[method]);
  void sinkValue;
}

// ---------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------

/** `<id>.throughput` (MB/s as M rec/s) and `<id>.cpu` (CPU ns per KB as ns/op). */
function record(figures: Figures, id: string, runs: readonly Run[]): void {
  const bytes = runs[0].bytes;
  const rates = runs.map((r) => r.bytes / r.seconds / 1e6);
  const cpus = runs.map((r) => (r.cpuSeconds * 1e9) / (r.bytes / 1000));
  figures[`${id}.throughput`] = {
    value: median(rates),
    unit: 'M rec/s',
    n: runs.length,
    min: Math.min(...rates),
    max: Math.max(...rates),
    check: bytes,
  };
  figures[`${id}.cpu`] = {
    value: median(cpus),
    unit: 'ns/op',
    n: runs.length,
    min: Math.min(...cpus),
    max: Math.max(...cpus),
    check: bytes,
  };
}

async function measureAll(log: (line: string) => void): Promise<Figures> {
  const figures: Figures = {};
  log(`sending a ${FILE_BYTES / 1e6} MB file to a child process over loopback:`);
  await measureSend(log, figures);
  log(`receiving ${RECEIVE_BYTES / MiB} MiB from a child process over loopback:`);
  await measureReceive(log, figures);
  return figures;
}

const PIPE = { name: 'createReadStream().pipe()', id: 'node.pipe.throughput' };
const DATA = { name: "on('data')", id: 'node.data.throughput' };

const comparisons: Comparison[] = [
  {
    label: 'sendFile, 200 MB file → loopback, MB/s',
    memview: 'memview.sendFile.throughput',
    cpython: 'sendfile.throughput',
    peer: PIPE,
    against: 'peer',
    target: 2,
  },
  {
    label: '… sender CPU, ns per KB (lower is better)',
    memview: 'memview.sendFile.cpu',
    cpython: 'sendfile.cpu',
    peer: { name: 'createReadStream().pipe()', id: 'node.pipe.cpu' },
    against: 'peer',
    target: 1,
  },
  {
    label: 'connectInto (64 KiB buffer), 512 MiB ← loopback, MB/s',
    memview: 'memview.connectInto.64k.throughput',
    cpython: 'recv_into.64k.throughput',
    peer: DATA,
    against: 'peer',
    target: 1.3,
  },
  {
    label: '… receiver CPU, ns per KB',
    memview: 'memview.connectInto.64k.cpu',
    cpython: 'recv_into.64k.cpu',
    peer: { name: "on('data')", id: 'node.data.cpu' },
    against: 'peer',
  },
  {
    label: 'connectInto (1 MiB buffer), MB/s',
    memview: 'memview.connectInto.1m.throughput',
    cpython: 'recv_into.1m.throughput',
    peer: DATA,
    against: 'peer',
  },
  {
    label: '… receiver CPU, ns per KB',
    memview: 'memview.connectInto.1m.cpu',
    cpython: 'recv_into.1m.cpu',
    peer: { name: "on('data')", id: 'node.data.cpu' },
    against: 'peer',
  },
];

export const nodeSuite: Suite = {
  name: 'node',
  title: 'memview/node: sendFile and connectInto vs Node streams, over loopback TCP',
  python: 'bench/node_bench.py',
  measure: measureAll,
  comparisons,
};

if (process.argv[2] === '--peer' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await peerMain(process.argv.slice(3));
}
