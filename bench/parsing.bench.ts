/**
 * Zero-copy parsing: `BufferReader`, `MemoryView.field(k)` and `FrameDecoder`, against
 * copying and hand-written code. The CPython side is `parsing_bench.py` (the same pipeline
 * with `struct.unpack_from` and `memoryview` slices; column sums of a cast memoryview; and,
 * for information, NumPy's `arr['f3'].sum()` under the default python3, which has NumPy).
 *
 * Cases, in this order (one process):
 * 4. `field(k)` sums over 1,048,576 `'<IHHd'` records (16 MiB): `col = records.field(3)`
 *    (a strided `'<d'` view) and `records.field(1)` (`'<H'`), then `sum += col.get(i)`, in M
 *    fields/s, the column taken inside the function that loops (as user code does); against
 *    a DataView loop (its DataView also made in the pass). For information, the same loop
 *    with `col.release()` after it, and over a column made once outside, which V8 treats
 *    as a constant and folds into the loop. Runs first: it is the case whose figure
 *    depends most on `get` staying monomorphic.
 * 3. the pipeline: 1,048,576 messages of an 8-byte header `'<II'` (type, length) and a
 *    1024-byte payload, in one 1,082,130,432-byte buffer (≈ 1.08 GB; the machine has the
 *    memory). Split with `BufferReader` — `reader.unpack('<II')` then `reader.readBytes(n)`
 *    (a Uint8Array view) or `reader.read(n)` (a MemoryView) — against a copying parser
 *    (DataView header, `u8.slice(p, p + n)` per payload: `u8` is a plain Uint8Array, whose
 *    `slice` copies; for information also `Buffer.from(u8.subarray(…))`, which copies into
 *    Node's shared 8 KiB pool) and raw code (DataView header, `u8.subarray`), in M
 *    messages/s. Each parser sums type + length + the payload's first and last byte of
 *    every message.
 *    Allocations, after timing: ArrayBuffer bytes and V8 heap bytes per message over a
 *    window of 10,000 messages with no GC in it (`process.memoryUsage().arrayBuffers`,
 *    `v8.getHeapStatistics().used_heap_size`, the cost of reading them subtracted), and the
 *    GCs of one full pass (PerformanceObserver 'gc' entries, by kind).
 * 5. `FrameDecoder({ header: '>I' })` over 65,280 frames of 1024 bytes (67,107,840 bytes,
 *    64 MiB less 24 B), in MB/s (1 MB = 10⁶ B, headers included):
 *    (a) in memory: pushed in 64 KiB chunks (views of the stream), so ~1 frame in 64 is
 *        split across two chunks and assembled;
 *    (b) over loopback TCP: a child process (this file run with `--frames-sender`) writes
 *        the stream 8 times (512 MiB) through a `net` socket; the parent decodes with
 *        `for (const f of decoder.push(chunk))` in 'data' events. A run is timed from the
 *        accepted connection to 'end'; 1 untimed run, then 5 of each variant, alternating,
 *        with a 'data' handler that only counts bytes as the ceiling of the transport.
 *    Every frame adds its length and its payload's first and last byte to the check; the
 *    untimed runs also compare the CRC-32 of every payload byte with the expected one.
 *
 * Units: the harness knows rates and times per operation, so rates are `M rec/s` with a
 * record = one field (4), one message (3) or one byte (5: = MB/s).
 */

import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { crc32 } from 'node:zlib';
import { measure } from 'mitata';
import { BufferReader, FrameDecoder, type MemoryView, memoryview } from '../src/index.js';
import {
  type Comparison,
  type Figure,
  type Figures,
  median,
  mitataTimes,
  rateFigure,
  type Suite,
} from './harness.js';

type Log = (line: string) => void;

// ---------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------

/** The payload pattern: byte j is `(j·131 + (j >> 8)) & 0xff`, 1024 of them, doubled so that
 * a payload can start anywhere in the first 1024 (payload i starts at `i & 1023`). */
const PAT = 1024;
const BLOCK = (() => {
  const b = new Uint8Array(2 * PAT);
  for (let j = 0; j < 2 * PAT; j++) b[j] = ((j & (PAT - 1)) * 131 + ((j & (PAT - 1)) >>> 8)) & 0xff;
  return b;
})();
const payloadOf = (i: number) => BLOCK.subarray(i & (PAT - 1), (i & (PAT - 1)) + PAT);
const firstOf = (i: number) => BLOCK[i & (PAT - 1)];
const lastOf = (i: number) => BLOCK[(i & (PAT - 1)) + PAT - 1];

// Case 3
const MESSAGES = 1 << 20;
const HEADER = 8;
const PAYLOAD = 1024;
const MESSAGE = HEADER + PAYLOAD;
const typeOf = (i: number) => (i % 5) + 1;
/** Messages per allocation window (small enough that no GC runs inside it). */
const WINDOW = 10_000;

// Case 4
const RECORDS = 1 << 20;
const RECORD = 16;

// Case 5
const FRAMES = 65_280;
const FRAME = 4 + PAYLOAD;
const STREAM = FRAMES * FRAME;
const CHUNK = 64 << 10;
const TCP_REPEATS = 8;
const TCP_RUNS = 5;
const SENDER_FLAG = '--frames-sender';

/** The messages of case 3: `'<II'` (type, 1024) and payload i. */
function makeMessages(): Uint8Array {
  const u8 = new Uint8Array(MESSAGES * MESSAGE);
  const dv = new DataView(u8.buffer);
  for (let i = 0, p = 0; i < MESSAGES; i++, p += MESSAGE) {
    dv.setUint32(p, typeOf(i), true);
    dv.setUint32(p + 4, PAYLOAD, true);
    u8.set(payloadOf(i), p + HEADER);
  }
  return u8;
}

function pipelineCheck(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += typeOf(i) + PAYLOAD + firstOf(i) + lastOf(i);
  return sum;
}

/** The stream of case 5: `'>I'` 1024, then payload i, for every frame. */
function makeStream(): Uint8Array {
  const u8 = new Uint8Array(STREAM);
  const dv = new DataView(u8.buffer);
  for (let i = 0, p = 0; i < FRAMES; i++, p += FRAME) {
    dv.setUint32(p, PAYLOAD, false);
    u8.set(payloadOf(i), p + 4);
  }
  return u8;
}

/** The check of `repeats` streams: length, first and last byte of every payload. */
function framesCheck(repeats: number): number {
  let sum = 0;
  for (let i = 0; i < FRAMES; i++) sum += PAYLOAD + firstOf(i) + lastOf(i);
  return sum * repeats;
}

/** CRC-32 of every payload byte of `repeats` streams, in order. */
function payloadCrc(repeats: number): number {
  let crc = 0;
  for (let r = 0; r < repeats; r++) for (let i = 0; i < FRAMES; i++) crc = crc32(payloadOf(i), crc);
  return crc;
}

/** The records of case 4 (as in the struct suite): `(i·2654435761 mod 2³², i & 0xffff,
 * (i >> 4) & 0xffff, i + 0.25)`. */
function makeRecords(): Uint8Array {
  const u8 = new Uint8Array(RECORDS * RECORD);
  const dv = new DataView(u8.buffer);
  for (let i = 0; i < RECORDS; i++) {
    const p = i * RECORD;
    dv.setUint32(p, Math.imul(i, 2654435761) >>> 0, true);
    dv.setUint16(p + 4, i & 0xffff, true);
    dv.setUint16(p + 6, (i >> 4) & 0xffff, true);
    dv.setFloat64(p + 8, i + 0.25, true);
  }
  return u8;
}

// ---------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------

/** A pass over `count` items (messages, records, …) returning its check. */
type Pass = (count: number) => number;

async function measureRate(
  id: string,
  pass: Pass,
  count: number,
  figures: Figures,
  log: Log,
): Promise<Figure> {
  let check = 0;
  for (let i = 0; i < 3; i++) check = pass(count);
  const stats = await measure(
    () => {
      check = pass(count);
    },
    { min_samples: 7, min_cpu_time: 500e6 },
  );
  const figure = rateFigure('M rec/s', count, mitataTimes(stats), check);
  figures[id] = figure;
  log(`  ${id}: ${figure.value.toFixed(2)} M/s (check ${check})`);
  return figure;
}

// GC entries, as PerformanceObserver delivers them (asynchronously).
interface GcEntry {
  readonly start: number;
  readonly duration: number;
  readonly kind: number;
}
const gcEntries: GcEntry[] = [];
const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

function observeGc(): PerformanceObserver {
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      gcEntries.push({ start: e.startTime, duration: e.duration, kind: e.detail?.kind ?? 0 });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return observer;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

function gcsBetween(t0: number, t1: number): GcEntry[] {
  return gcEntries.filter((e) => e.start >= t0 && e.start <= t1);
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('bench: the parsing suite needs node --expose-gc');
  gc();
  gc();
}

/** Allocation figures of a parser, attached to its figure in the results file. */
interface Allocations {
  /** ArrayBuffer bytes per message, over a GC-free window. */
  readonly arrayBufferBytesPerMessage: number;
  /** V8 heap bytes per message, over the same window. */
  readonly heapBytesPerMessage: number;
  readonly windowMessages: number;
  /** One full pass: growth of `arrayBuffers`, and the GCs that ran, by kind. */
  readonly fullPass: {
    readonly messages: number;
    readonly arrayBuffersGrowth: number;
    readonly gcs: Record<string, number>;
    readonly gcMs: number;
  };
}

async function allocations(pass: Pass): Promise<Allocations | string> {
  const sample = (count: number) => {
    const ab0 = process.memoryUsage().arrayBuffers;
    const h0 = getHeapStatistics().used_heap_size;
    pass(count);
    const h1 = getHeapStatistics().used_heap_size;
    const ab1 = process.memoryUsage().arrayBuffers;
    return { ab: ab1 - ab0, heap: h1 - h0 };
  };
  let window: { ab: number; heap: number } | undefined;
  for (let attempt = 0; attempt < 5 && window === undefined; attempt++) {
    collect();
    await settle();
    const t0 = performance.now();
    const empty = sample(0);
    const full = sample(WINDOW);
    const t1 = performance.now();
    await settle();
    if (gcsBetween(t0, t1).length === 0) {
      window = { ab: full.ab - empty.ab, heap: full.heap - empty.heap };
    }
  }
  if (window === undefined) return 'a GC ran in every window';
  collect();
  await settle();
  const t0 = performance.now();
  const ab0 = process.memoryUsage().arrayBuffers;
  pass(MESSAGES);
  const ab1 = process.memoryUsage().arrayBuffers;
  const t1 = performance.now();
  await settle();
  const gcs: Record<string, number> = {};
  let gcMs = 0;
  for (const e of gcsBetween(t0, t1)) {
    const kind = GC_KINDS[e.kind] ?? String(e.kind);
    gcs[kind] = (gcs[kind] ?? 0) + 1;
    gcMs += e.duration;
  }
  return {
    arrayBufferBytesPerMessage: window.ab / WINDOW,
    heapBytesPerMessage: window.heap / WINDOW,
    windowMessages: WINDOW,
    fullPass: { messages: MESSAGES, arrayBuffersGrowth: ab1 - ab0, gcs, gcMs },
  };
}

// ---------------------------------------------------------------------------------------
// Case 4: field(k)
// ---------------------------------------------------------------------------------------

async function measureFields(figures: Figures, log: Log): Promise<void> {
  const u8 = makeRecords();
  const records = memoryview(u8).cast('<IHHd');
  const f3 = records.field(3);
  const f1 = records.field(1);
  // The targeted cases take the column where user code does, in the function that loops:
  // V8 then knows nothing of the view. The "constant" cases read a view made once outside
  // the pass (a constant of the closure), which V8 folds into the loop: an upper bound.
  const passes: Record<string, Pass> = {
    'field3.memview': (n) => {
      const col = records.field(3);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.get(i) as number;
      return sum;
    },
    'field1.memview': (n) => {
      const col = records.field(1);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.get(i) as number;
      return sum;
    },
    'field3.DataView': (n) => {
      const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += dv.getFloat64(i * RECORD + 8, true);
      return sum;
    },
    'field1.DataView': (n) => {
      const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += dv.getUint16(i * RECORD + 4, true);
      return sum;
    },
    // The same, releasing the column after the loop, in the same function (as `using` does).
    'field3.memview.release': (n) => {
      const col = records.field(3);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.get(i) as number;
      col.release();
      return sum;
    },
    'field3.memview.constant': (n) => {
      const col = f3;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.get(i) as number;
      return sum;
    },
    'field1.memview.constant': (n) => {
      const col = f1;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col.get(i) as number;
      return sum;
    },
  };
  for (const [id, pass] of Object.entries(passes)) {
    await measureRate(id, pass, RECORDS, figures, log);
  }
}

// ---------------------------------------------------------------------------------------
// Case 3: the pipeline
// ---------------------------------------------------------------------------------------

async function measurePipeline(figures: Figures, log: Log): Promise<void> {
  log(`  building ${MESSAGES} messages (${((MESSAGES * MESSAGE) / 1e9).toFixed(2)} GB)`);
  const u8 = makeMessages();
  const dv = new DataView(u8.buffer);
  const passes: Record<string, Pass> = {
    'pipeline.memview.readBytes': (n) => {
      const reader = new BufferReader(u8);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const [type, length] = reader.unpack('<II');
        const payload = reader.readBytes(length);
        sum += type + length + payload[0] + payload[length - 1];
      }
      reader.release();
      return sum;
    },
    'pipeline.memview.read': (n) => {
      const reader = new BufferReader(u8);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const [type, length] = reader.unpack('<II');
        const payload = reader.read(length);
        sum += type + length + (payload.get(0) as number) + (payload.get(length - 1) as number);
      }
      reader.release();
      return sum;
    },
    'pipeline.raw.subarray': (n) => {
      let sum = 0;
      for (let i = 0, p = 0; i < n; i++) {
        const type = dv.getUint32(p, true);
        const length = dv.getUint32(p + 4, true);
        const payload = u8.subarray(p + HEADER, p + HEADER + length);
        p += HEADER + length;
        sum += type + length + payload[0] + payload[length - 1];
      }
      return sum;
    },
    'pipeline.copy.slice': (n) => {
      let sum = 0;
      for (let i = 0, p = 0; i < n; i++) {
        const type = dv.getUint32(p, true);
        const length = dv.getUint32(p + 4, true);
        const payload = u8.slice(p + HEADER, p + HEADER + length);
        p += HEADER + length;
        sum += type + length + payload[0] + payload[length - 1];
      }
      return sum;
    },
    // The same copy through Node's Buffer pool (Buffer.from of a view under 4 KiB copies into
    // a shared 8 KiB slab): one ArrayBuffer per ~8 messages instead of one per message.
    'pipeline.copy.bufferFrom': (n) => {
      let sum = 0;
      for (let i = 0, p = 0; i < n; i++) {
        const type = dv.getUint32(p, true);
        const length = dv.getUint32(p + 4, true);
        const payload = Buffer.from(u8.subarray(p + HEADER, p + HEADER + length));
        p += HEADER + length;
        sum += type + length + payload[0] + payload[length - 1];
      }
      return sum;
    },
  };
  const expected = pipelineCheck(MESSAGES);
  const observer = observeGc();
  for (const [id, pass] of Object.entries(passes)) {
    const figure = await measureRate(id, pass, MESSAGES, figures, log);
    if (figure.check !== expected) log(`  ${id}: check ${figure.check} ≠ expected ${expected}`);
    const alloc = await allocations(pass);
    figures[id] = { ...figure, alloc } as Figure;
    log(`    allocations: ${JSON.stringify(alloc)}`);
  }
  observer.disconnect();
}

// ---------------------------------------------------------------------------------------
// Case 5: FrameDecoder
// ---------------------------------------------------------------------------------------

/** Decodes every frame of `chunks`; the check, and (when asked) the payloads' CRC-32. */
function decodeAll(
  decoder: FrameDecoder,
  chunk: Uint8Array,
  state: { sum: number; frames: number; crc: number; verify: boolean },
): void {
  for (const f of decoder.push(chunk)) {
    const n = f.header[0] as number;
    const payload: MemoryView = f.payload;
    state.sum += n + (payload.get(0) as number) + (payload.get(n - 1) as number);
    state.frames++;
    if (state.verify) state.crc = crc32(payload.toBytes(), state.crc);
  }
}

async function measureFramesInMemory(figures: Figures, log: Log): Promise<void> {
  const stream = makeStream();
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < STREAM; at += CHUNK) chunks.push(stream.subarray(at, at + CHUNK));
  const split = chunks.length - 1; // every 64 KiB boundary falls inside a frame
  log(
    `  in memory: ${STREAM} bytes, ${FRAMES} frames, ${chunks.length} chunks (${split} split frames)`,
  );
  // Untimed: every payload byte checked.
  const verify = { sum: 0, frames: 0, crc: 0, verify: true };
  const d = new FrameDecoder({ header: '>I' });
  for (const c of chunks) decodeAll(d, c, verify);
  const crcOk = verify.frames === FRAMES && verify.crc === payloadCrc(1);
  log(`  in memory: payload CRC-32 ${crcOk ? 'matches' : 'DIFFERS'} (${verify.frames} frames)`);
  const pass: Pass = () => {
    const decoder = new FrameDecoder({ header: '>I' });
    const state = { sum: 0, frames: 0, crc: 0, verify: false };
    for (let k = 0; k < chunks.length; k++) decodeAll(decoder, chunks[k], state);
    return crcOk && state.frames === FRAMES ? state.sum : -1;
  };
  const figure = await measureRate('frames.memory.memview', pass, STREAM, figures, log);
  if (figure.check !== framesCheck(1)) log(`  frames: check ≠ expected ${framesCheck(1)}`);
}

/** The sender child: builds the stream, connects, writes it `repeats` times, ends. */
async function senderMain(port: number, repeats: number): Promise<void> {
  const stream = makeStream();
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  for (let r = 0; r < repeats; r++) {
    if (!socket.write(stream)) await once(socket, 'drain');
  }
  socket.end();
  await once(socket, 'close');
}

interface TcpRun {
  readonly seconds: number;
  readonly bytes: number;
  readonly check: number;
  readonly crcOk: boolean | null;
}

async function tcpRun(mode: 'decode' | 'count', verify: boolean): Promise<TcpRun> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [script, SENDER_FLAG, String(port), String(TCP_REPEATS)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [socket] = (await once(server, 'connection')) as [net.Socket];
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  const state = { sum: 0, frames: 0, crc: 0, verify };
  if (mode === 'decode') {
    const decoder = new FrameDecoder({ header: '>I' });
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      decodeAll(decoder, chunk, state);
    });
  } else {
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
  }
  await once(socket, 'end');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  socket.destroy();
  server.close();
  await exited;
  const framesOk = state.frames === FRAMES * TCP_REPEATS;
  return {
    seconds,
    bytes,
    check: mode === 'decode' ? (framesOk ? state.sum : -1) : bytes,
    crcOk: verify ? state.crc === payloadCrc(TCP_REPEATS) : null,
  };
}

async function measureFramesTcp(figures: Figures, log: Log): Promise<void> {
  const total = STREAM * TCP_REPEATS;
  const warm = await tcpRun('decode', true);
  log(
    `  tcp: untimed run ${(warm.bytes / warm.seconds / 1e6).toFixed(0)} MB/s, payload CRC-32 ${warm.crcOk ? 'matches' : 'DIFFERS'}`,
  );
  await tcpRun('count', false);
  const runs: Record<string, TcpRun[]> = { decode: [], count: [] };
  for (let k = 0; k < TCP_RUNS; k++) {
    for (const mode of ['decode', 'count'] as const) {
      const r = await tcpRun(mode, false);
      if (r.bytes !== total) log(`  tcp ${mode}: received ${r.bytes} of ${total} bytes`);
      runs[mode].push(r);
      log(`  tcp ${mode} run ${k + 1}: ${(r.bytes / r.seconds / 1e6).toFixed(0)} MB/s`);
    }
  }
  for (const [mode, list] of Object.entries(runs)) {
    const rates = list.map((r) => r.bytes / r.seconds / 1e6);
    const checks = new Set(list.map((r) => r.check));
    const id = mode === 'decode' ? 'frames.tcp.memview' : 'frames.tcp.countOnly';
    figures[id] = {
      value: median(rates),
      unit: 'M rec/s',
      n: list.length,
      min: Math.min(...rates),
      max: Math.max(...rates),
      ...(mode === 'decode' ? { check: checks.size === 1 && warm.crcOk ? list[0].check : -1 } : {}),
    };
    log(`  ${id}: ${median(rates).toFixed(0)} MB/s`);
  }
  if (figures['frames.tcp.memview'].check !== framesCheck(TCP_REPEATS)) {
    log(`  tcp: check ≠ expected ${framesCheck(TCP_REPEATS)}`);
  }
}

async function measureAll(log: Log): Promise<Figures> {
  const figures: Figures = {};
  log('case 4, field(k):');
  await measureFields(figures, log);
  log('case 3, the pipeline:');
  await measurePipeline(figures, log);
  log('case 5, FrameDecoder:');
  await measureFramesInMemory(figures, log);
  await measureFramesTcp(figures, log);
  return figures;
}

const comparisons: Comparison[] = [
  {
    label:
      "4. `col = records.field(3)`, `sum += col.get(i)`, 1M `'<IHHd'` ('<d' column), M fields/s",
    memview: 'field3.memview',
    cpython: 'field3.cast.sum',
    against: 'none',
    absolute: 300,
  },
  {
    label: '… vs a DataView loop `getFloat64(i·16 + 8, true)`',
    memview: 'field3.memview',
    peer: { name: 'DataView', id: 'field3.DataView' },
    against: 'peer',
  },
  {
    label: "… vs CPython `sum(mv.cast('d')[1::2])`",
    memview: 'field3.memview',
    cpython: 'field3.cast.sum',
    against: 'cpython',
  },
  {
    label: "… vs NumPy `arr['f3'].sum()` (default python3)",
    memview: 'field3.memview',
    cpython: 'numpy.field3.sum',
    against: 'cpython',
  },
  {
    label: '… with `col.release()` after the loop, in the same function',
    memview: 'field3.memview.release',
    peer: { name: 'no release', id: 'field3.memview' },
    against: 'peer',
  },
  {
    label: '… the column made once outside the loop function (a constant to V8)',
    memview: 'field3.memview.constant',
    peer: { name: 'made in the loop function', id: 'field3.memview' },
    against: 'peer',
  },
  {
    label: "4. `col = records.field(1)`, `sum += col.get(i)` ('<H' column), M fields/s",
    memview: 'field1.memview',
    cpython: 'field1.cast.sum',
    against: 'none',
    absolute: 300,
  },
  {
    label: '… vs a DataView loop `getUint16(i·16 + 4, true)`',
    memview: 'field1.memview',
    peer: { name: 'DataView', id: 'field1.DataView' },
    against: 'peer',
  },
  {
    label: "… vs CPython `sum(mv.cast('H')[2::8])`",
    memview: 'field1.memview',
    cpython: 'field1.cast.sum',
    against: 'cpython',
  },
  {
    label: "… vs NumPy `arr['f1'].sum()` (default python3)",
    memview: 'field1.memview',
    cpython: 'numpy.field1.sum',
    against: 'cpython',
  },
  {
    label: '… the column made once outside the loop function (a constant to V8)',
    memview: 'field1.memview.constant',
    peer: { name: 'made in the loop function', id: 'field1.memview' },
    against: 'peer',
  },
  {
    label:
      "3. pipeline, 1M × ('<II' + 1 KB): `unpack` + `readBytes(n)` vs copying `u8.slice`, M msg/s",
    memview: 'pipeline.memview.readBytes',
    cpython: 'pipeline.memoryview',
    peer: { name: 'copy', id: 'pipeline.copy.slice' },
    against: 'peer',
    target: 20,
  },
  {
    label: '… vs raw `dv.getUint32` + `u8.subarray` (≤ 1.3× its time)',
    memview: 'pipeline.memview.readBytes',
    peer: { name: 'raw', id: 'pipeline.raw.subarray' },
    against: 'peer',
    target: 0.769, // ≤ 1.3× raw's time
  },
  {
    label: '… vs CPython `unpack_from` + `mv[p:p+n]`',
    memview: 'pipeline.memview.readBytes',
    cpython: 'pipeline.memoryview',
    against: 'cpython',
  },
  {
    label: "… vs copying with `Buffer.from(u8.subarray(…))` (Node's 8 KiB pool)",
    memview: 'pipeline.memview.readBytes',
    peer: { name: 'pooled copy', id: 'pipeline.copy.bufferFrom' },
    against: 'peer',
  },
  {
    label: '3. … with `read(n)` (a MemoryView per payload) vs raw',
    memview: 'pipeline.memview.read',
    peer: { name: 'raw', id: 'pipeline.raw.subarray' },
    against: 'peer',
  },
  {
    label: '… `read(n)` vs copying `u8.slice`',
    memview: 'pipeline.memview.read',
    peer: { name: 'copy', id: 'pipeline.copy.slice' },
    against: 'peer',
  },
  {
    label: '… CPython: `mv[p:p+n]` vs `b[p:p+n]` (copy)',
    memview: 'pipeline.memoryview',
    peer: { name: 'CPython copy', id: 'pipeline.bytes.slice' },
    against: 'peer',
    side: 'cpython',
  },
  {
    label: '5a. `FrameDecoder` in memory, 64 MiB in 64 KiB chunks, 1 KB frames, MB/s',
    memview: 'frames.memory.memview',
    against: 'none',
    absolute: 1000,
  },
  {
    label: "5b. `FrameDecoder` over loopback TCP, 512 MiB, 'data' events, MB/s",
    memview: 'frames.tcp.memview',
    against: 'none',
    absolute: 1000,
  },
  {
    label: "… vs a 'data' handler that only counts bytes (transport ceiling)",
    memview: 'frames.tcp.memview',
    peer: { name: 'count only', id: 'frames.tcp.countOnly' },
    against: 'peer',
  },
];

export const parsingSuite: Suite = {
  name: 'parsing',
  title: 'Zero-copy parsing: BufferReader, field(k), FrameDecoder vs copying and hand-written code',
  python: 'bench/parsing_bench.py',
  measure: measureAll,
  comparisons,
};

if (process.argv[2] === SENDER_FLAG && process.argv[1] === fileURLToPath(import.meta.url)) {
  await senderMain(Number(process.argv[3]), Number(process.argv[4]));
}
