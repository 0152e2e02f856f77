/**
 * Scenario `io`: zero-copy I/O over a loopback TCP connection, with `memview/node`.
 *
 * - a file sent to a socket: `sendFile(socket, file)` (two reused 1 MiB buffers) against
 *   `fs.createReadStream(path).pipe(socket)` (a new 64 KiB buffer per read);
 * - messages of a 16-byte header and a 64 KiB payload (a view of a larger buffer):
 *   `writev(socket, [header, payload])` (one vectored write, nothing concatenated)
 *   against `socket.write(Buffer.concat([header, payload]))` (a copy per message).
 *
 * Both ways write into the same kind of connection, received by memview's `connectInto`
 * (reads go into one reused buffer through `onread`, Python's `recv_into`), which counts
 * the bytes and sums a sample of them — so the two ways are checked to deliver the same
 * stream. The CPython side does the same with `socket.sendfile` against read + `sendall`,
 * and `socket.sendmsg` against `sendall(header + payload)`.
 *
 * The article: "sendfile … never entering the Python process's memory"; "sendmsg() passes
 * an array of buffer pointers to the kernel's writev() … without user-space concatenation".
 */

import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MemoryView, memoryview, packInto } from '../src/index.js';
import { type GcReport, settle, trackGcAsync } from './measure.js';
import { makeRow, pythonAgrees, pythonCheckValues, pythonFigure } from './rows.js';
import { mb } from './slice.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** Every SAMPLE-th byte of a stream is summed by the receiver (the check). */
export const SAMPLE = 61;
/** Message header: `<IIII` (sequence, payload length, 0xfeedface, sequence ^ 0xa5a5a5a5). */
export const IO_HEADER = '<IIII';
const HEADER_BYTES = 16;

/** Sizes of the scenario. */
export interface IoSizes {
  /** Bytes of the file sent. */
  readonly fileBytes: number;
  /** Messages written, and the payload bytes of each. */
  readonly messages: number;
  readonly payload: number;
  /** The payloads are cut from the first `sourceBytes` of the file's content. */
  readonly sourceBytes: number;
}

/** 128 MB of file and 2,000 messages of 64 KiB; 2 MB and 32 messages in quick mode. */
export function ioSizes(quick: boolean): IoSizes {
  return quick
    ? { fileBytes: 2_000_000, messages: 32, payload: 65_536, sourceBytes: 1_000_000 }
    : { fileBytes: 128_000_000, messages: 2_000, payload: 65_536, sourceBytes: 8_000_000 };
}

/** Byte `i` of the file: `(i * 7 + (i >> 12)) & 255`. */
export function fileContent(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 7 + (i >> 12)) & 255;
  return data;
}

/** Where message `m`'s payload starts in the source. */
export function payloadOffset(m: number, sizes: IoSizes): number {
  return (m * 4099) % (sizes.sourceBytes - sizes.payload);
}

/** Packs message `m`'s header into `header` (16 bytes). */
export function packHeader(header: Uint8Array, m: number, payload: number): void {
  packInto(IO_HEADER, header, 0, m, payload, 0xfeedface, (m ^ 0xa5a5a5a5) >>> 0);
}

/** A running sample sum of a byte stream: every SAMPLE-th byte, by stream position. */
export class StreamSample {
  bytes = 0;
  sum = 0;

  add(data: Uint8Array): void {
    const first = (SAMPLE - (this.bytes % SAMPLE)) % SAMPLE;
    let sum = 0;
    for (let i = first; i < data.length; i += SAMPLE) sum += data[i];
    this.sum += sum;
    this.bytes += data.length;
  }
}

/** The sample a receiver must see for the message stream, computed from the source. */
export function expectedMessageSample(source: Uint8Array, sizes: IoSizes): StreamSample {
  const sample = new StreamSample();
  const header = new Uint8Array(HEADER_BYTES);
  for (let m = 0; m < sizes.messages; m++) {
    packHeader(header, m, sizes.payload);
    sample.add(header);
    const at = payloadOffset(m, sizes);
    sample.add(source.subarray(at, at + sizes.payload));
  }
  return sample;
}

/** The I/O functions the scenario uses, from `memview/node`. */
type NodeIo = typeof import('../src/node/index.js');

/** A loopback server whose next accepted socket a transfer takes. */
class Loopback {
  readonly #server: net.Server;
  readonly port: number;

  private constructor(server: net.Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(): Promise<Loopback> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new Loopback(server, (server.address() as net.AddressInfo).port);
  }

  /** The next socket the server accepts. */
  accept(): Promise<net.Socket> {
    return new Promise((resolve) => this.#server.once('connection', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** What one transfer delivered, and how long it took (from accept to the receiver's EOF). */
interface Transfer {
  readonly seconds: number;
  readonly sample: StreamSample;
  readonly gc: GcReport;
}

/**
 * Connects a `connectInto` receiver to the loopback server, lets `send` write into the
 * accepted socket (it must end it), and waits until the receiver saw the end.
 */
async function transfer(
  io: NodeIo,
  loopback: Loopback,
  receiveBuffer: Uint8Array,
  send: (socket: net.Socket) => Promise<void>,
): Promise<Transfer> {
  const accepted = loopback.accept();
  const { socket: client, chunks } = io.connectInto(
    { port: loopback.port, host: '127.0.0.1' },
    receiveBuffer,
  );
  const sender = await accepted;
  sender.on('error', () => {});
  const sample = new StreamSample();
  try {
    const { gc } = await trackGcAsync(async () => {
      const receiving = (async () => {
        for await (const chunk of chunks) sample.add(chunk.toTypedArray() as Uint8Array);
      })();
      await send(sender);
      await receiving;
    });
    return { seconds: gc.elapsedMs / 1000, sample, gc };
  } finally {
    client.destroy();
    sender.destroy();
  }
}

/** Writes `data` to a socket and resolves once the socket took it (its write callback). */
function write(socket: net.Socket, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

/** Ends a socket and resolves once everything written was flushed to the kernel. */
function end(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => socket.end(resolve));
}

/** The io scenario. */
export const ioScenario: Scenario = {
  name: 'io',
  title: 'a file and header+payload messages to a loopback socket: sendFile and writev',
  run: runIo,
};

async function loadNodeIo(): Promise<NodeIo | string> {
  try {
    const io = await import('../src/node/index.js');
    if (
      typeof io.sendFile !== 'function' ||
      typeof io.writev !== 'function' ||
      typeof io.connectInto !== 'function'
    ) {
      return 'memview/node lacks sendFile, writev or connectInto';
    }
    return io;
  } catch (error) {
    return `memview/node could not be loaded: ${(error as Error).message}`;
  }
}

/** The median-time transfer of several. */
function medianTransfer(transfers: readonly Transfer[]): Transfer {
  const sorted = [...transfers].sort((a, b) => a.seconds - b.seconds);
  return sorted[sorted.length >> 1];
}

async function runIo(context: ScenarioContext): Promise<ScenarioResult> {
  const io = await loadNodeIo();
  if (typeof io === 'string') return unavailable(io);
  const sizes = ioSizes(context.quick);
  const runs = context.quick ? 1 : 3;
  const dir = await mkdtemp(join(tmpdir(), 'memview-tour-'));
  const path = join(dir, 'payload.bin');
  const loopback = await Loopback.start();
  try {
    context.log(`io: writing a ${mb(sizes.fileBytes)} file`);
    const content = fileContent(sizes.fileBytes);
    await writeFile(path, content);
    const fileSample = new StreamSample();
    fileSample.add(content);
    const source = content.slice(0, sizes.sourceBytes);
    const sourceView = memoryview(source);
    const messageSample = expectedMessageSample(source, sizes);
    const receiveBuffer = new Uint8Array(1 << 20);
    const file = await open(path, 'r');
    const header = new Uint8Array(HEADER_BYTES);
    await settle();

    const viaSendFile = (socket: net.Socket) => io.sendFile(socket, file).then(() => end(socket));
    const viaPipe = (socket: net.Socket) =>
      new Promise<void>((resolve, reject) => {
        const stream = createReadStream(path);
        stream.on('error', reject);
        socket.once('finish', resolve);
        stream.pipe(socket);
      });
    const viaWritev = async (socket: net.Socket) => {
      for (let m = 0; m < sizes.messages; m++) {
        packHeader(header, m, sizes.payload);
        const at = payloadOffset(m, sizes);
        const payload: MemoryView = sourceView.slice(at, at + sizes.payload);
        await io.writev(socket, [header, payload]);
        payload.release();
      }
      await end(socket);
    };
    const viaConcat = async (socket: net.Socket) => {
      for (let m = 0; m < sizes.messages; m++) {
        packHeader(header, m, sizes.payload);
        const at = payloadOffset(m, sizes);
        await write(socket, Buffer.concat([header, source.subarray(at, at + sizes.payload)]));
      }
      await end(socket);
    };

    context.log(`io: ${mb(sizes.fileBytes)} file → socket, sendFile and createReadStream().pipe()`);
    const sendFiles: Transfer[] = [];
    const pipes: Transfer[] = [];
    for (let i = 0; i < runs; i++) {
      sendFiles.push(await transfer(io, loopback, receiveBuffer, viaSendFile));
      await settle();
      pipes.push(await transfer(io, loopback, receiveBuffer, viaPipe));
      await settle();
    }
    context.log(`io: ${sizes.messages} header + payload messages, writev and Buffer.concat`);
    const writevs: Transfer[] = [];
    const concats: Transfer[] = [];
    for (let i = 0; i < runs; i++) {
      writevs.push(await transfer(io, loopback, receiveBuffer, viaWritev));
      await settle();
      concats.push(await transfer(io, loopback, receiveBuffer, viaConcat));
      await settle();
    }
    await file.close();
    sourceView.release();

    context.log('io: CPython 3.13 socket.sendfile and socket.sendmsg');
    const python = await context.python({
      scenario: 'io',
      runtime: 'cpython',
      params: {
        path,
        fileBytes: sizes.fileBytes,
        messages: sizes.messages,
        payload: sizes.payload,
        sourceBytes: sizes.sourceBytes,
        sample: SAMPLE,
        quick: context.quick,
      },
    });

    const same = (t: Transfer, expected: StreamSample) =>
      t.sample.bytes === expected.bytes && t.sample.sum === expected.sum;
    const fileOk = [...sendFiles, ...pipes].every((t) => same(t, fileSample));
    const messagesOk = [...writevs, ...concats].every((t) => same(t, messageSample));
    const ok =
      fileOk &&
      messagesOk &&
      pythonAgrees(python, {
        fileBytes: fileSample.bytes,
        fileSample: fileSample.sum,
        messageBytes: messageSample.bytes,
        messageSample: messageSample.sum,
      });
    const sendFile = medianTransfer(sendFiles);
    const pipe = medianTransfer(pipes);
    const writev = medianTransfer(writevs);
    const concat = medianTransfer(concats);
    const rate = (t: Transfer, bytes: number) => bytes / 1e6 / t.seconds;
    const externalMB = (t: Transfer) => (t.gc.externalAllocated / 1e6).toFixed(0);
    const rows = [
      makeRow({
        scenario: 'io',
        label: `${mb(sizes.fileBytes)} file → loopback socket: sendFile | ReadStream.pipe`,
        unit: 'MB/s',
        better: 'higher',
        memview: rate(sendFile, sizes.fileBytes),
        baseline: rate(pipe, sizes.fileBytes),
        python: pythonFigure(python, 'sendfileRate', 'readSendallRate'),
        claim: 'sendfile: data stays in the kernel',
        note: `ArrayBuffer MB allocated (sender + receiver): ${externalMB(sendFile)} vs ${externalMB(pipe)}; sendFile reads through two reused 1 MiB buffers (Node has no sendfile(2))`,
      }),
      makeRow({
        scenario: 'io',
        label: `${sizes.messages.toLocaleString('en-US')} × 16 B header + 64 KiB payload: writev | concat+write`,
        unit: 'MB/s',
        better: 'higher',
        memview: rate(writev, messageSample.bytes),
        baseline: rate(concat, messageSample.bytes),
        python: pythonFigure(python, 'sendmsgRate', 'concatRate'),
        claim: 'sendmsg: no concatenation',
        note: `ArrayBuffer MB allocated: ${externalMB(writev)} vs ${externalMB(concat)}`,
      }),
    ];
    return {
      name: 'io',
      title: ioScenario.title,
      available: true,
      rows,
      check: {
        ok,
        description:
          'every transfer (and CPython’s) delivered the whole stream: the receiver’s byte count and sample sum match those computed from the data sent',
        values: {
          fileBytes: fileSample.bytes,
          fileSample: fileSample.sum,
          messageBytes: messageSample.bytes,
          messageSample: messageSample.sum,
          fileTransfersAgree: fileOk,
          messageTransfersAgree: messagesOk,
          ...pythonCheckValues(python, 'python'),
        },
      },
      details: {
        fileBytes: sizes.fileBytes,
        messageBytes: messageSample.bytes,
        sendFileSeconds: sendFile.seconds,
        pipeSeconds: pipe.seconds,
        writevSeconds: writev.seconds,
        concatSeconds: concat.seconds,
        sendFileExternalMB: sendFile.gc.externalAllocated / 1e6,
        pipeExternalMB: pipe.gc.externalAllocated / 1e6,
        writevExternalMB: writev.gc.externalAllocated / 1e6,
        concatExternalMB: concat.gc.externalAllocated / 1e6,
        sendFileGcs: sendFile.gc.minorGcs + sendFile.gc.majorGcs,
        pipeGcs: pipe.gc.minorGcs + pipe.gc.majorGcs,
        writevGcs: writev.gc.minorGcs + writev.gc.majorGcs,
        concatGcs: concat.gc.minorGcs + concat.gc.majorGcs,
      },
    };
  } finally {
    await loopback.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The result when `memview/node` is missing: one row saying why. */
function unavailable(reason: string): ScenarioResult {
  return {
    name: 'io',
    title: ioScenario.title,
    available: false,
    rows: [
      makeRow({
        scenario: 'io',
        label: 'file and messages → loopback socket',
        unit: 'MB/s',
        better: 'higher',
        memview: null,
        baseline: null,
        python: null,
        claim: 'sendfile and sendmsg: no copy through user space',
        note: `not available: ${reason}`,
      }),
    ],
    check: { ok: true, description: `not run: ${reason}`, values: {} },
    details: { reason },
  };
}
