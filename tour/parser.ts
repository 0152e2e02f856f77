/**
 * Scenario `parser`: the article's zero-copy parser over a 100 MB blob of typed messages.
 * Each message is a big-endian header `>II` (type, payload length) and its payload, as in
 * the seed's `ZeroCopyParser` (`read_uint32`, `read_uint32`, `read_bytes(payload_len)`).
 *
 * memview's way: a `BufferReader` — `unpack('>II')` for the header, `read(n)` for the
 * payload, a view. The copying way: the same loop with `Uint8Array.prototype.slice` for the
 * header and the payload. Both tally the same figures from every message, so their results
 * must agree with each other and with the CPython side.
 */

import { BufferReader, type MemoryView, Struct } from '../src/index.js';
import { consume, probeAllocations, settle, trackGc } from './measure.js';
import { makeRow, pythonAgrees, pythonCheckValues, pythonFigure } from './rows.js';
import { mb } from './slice.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** Header of a message: type and payload length, big-endian. */
export const MESSAGE_HEADER = '>II';
const HEADER_SIZE = 8;
/** Longest payload of the synthetic blob; lengths are spread evenly over 0…MAX. */
export const MAX_PAYLOAD = 2048;

/** What a parse computes from every message; both ways must give the same. */
export interface ParseTally {
  readonly messages: number;
  readonly payloadBytes: number;
  /** Sum of the message types. */
  readonly typeSum: number;
  /** An order-sensitive 32-bit hash of each message's type, first and last payload byte. */
  readonly checksum: number;
}

/** The 256 + MAX_PAYLOAD bytes payloads are cut from: byte `k` is `(k * 7 + 3) & 255`. */
function payloadSource(): Uint8Array {
  const source = new Uint8Array(256 + MAX_PAYLOAD);
  for (let k = 0; k < source.length; k++) source[k] = (k * 7 + 3) & 255;
  return source;
}

/** The next state of the generator: a 31-bit LCG, `(s * 1103515245 + 12345) & 0x7fffffff`. */
export function nextState(state: number): number {
  return (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
}

/**
 * The synthetic blob: messages while they fit in `total` bytes. Message `i` draws a state
 * `s` (from 1); its payload length is `s % (MAX_PAYLOAD + 1)`, its type `1 + ((s >> 12) & 7)`
 * and its payload the source bytes from offset `i & 255`. The blob ends after the last
 * whole message. The Python side builds the same bytes.
 */
export function makeMessageBlob(total: number): Uint8Array {
  const blob = new Uint8Array(total);
  const view = new DataView(blob.buffer);
  const source = payloadSource();
  let state = 1;
  let position = 0;
  for (let i = 0; ; i++) {
    state = nextState(state);
    const length = state % (MAX_PAYLOAD + 1);
    if (position + HEADER_SIZE + length > total) break;
    view.setUint32(position, 1 + ((state >> 12) & 7));
    view.setUint32(position + 4, length);
    const from = i & 255;
    blob.set(source.subarray(from, from + length), position + HEADER_SIZE);
    position += HEADER_SIZE + length;
  }
  return blob.subarray(0, position);
}

/** Running state of a tally (mutable while a parse goes). */
class Tally {
  messages = 0;
  payloadBytes = 0;
  typeSum = 0;
  checksum = 0;

  add(type: number, length: number, first: number, last: number): void {
    this.messages++;
    this.payloadBytes += length;
    this.typeSum += type;
    this.checksum = (Math.imul(this.checksum, 31) + type * 65536 + first * 256 + last) >>> 0;
  }

  result(): ParseTally {
    const { messages, payloadBytes, typeSum, checksum } = this;
    return { messages, payloadBytes, typeSum, checksum };
  }
}

/** The article's `process_message`, reading the payload through its view. */
function processView(tally: Tally, type: number, payload: MemoryView): void {
  const n = payload.length;
  tally.add(
    type,
    n,
    n > 0 ? (payload.get(0) as number) : 0,
    n > 0 ? (payload.get(n - 1) as number) : 0,
  );
}

/** memview's parser: header values and payload views from a `BufferReader`; no byte copied. */
export function parseWithViews(blob: Uint8Array, limit = Number.POSITIVE_INFINITY): ParseTally {
  const tally = new Tally();
  const reader = new BufferReader(blob);
  while (reader.remaining > 0 && tally.messages < limit) {
    const [type, length] = reader.unpack(MESSAGE_HEADER);
    processView(tally, type, reader.read(length));
  }
  reader.release();
  return tally.result();
}

/** The same parser with `readBytes` (a Uint8Array over the blob) for the payload. */
export function parseWithByteViews(blob: Uint8Array, limit = Number.POSITIVE_INFINITY): ParseTally {
  const tally = new Tally();
  const reader = new BufferReader(blob);
  while (reader.remaining > 0 && tally.messages < limit) {
    const [type, length] = reader.unpack(MESSAGE_HEADER);
    const payload = reader.readBytes(length);
    tally.add(type, length, length > 0 ? payload[0] : 0, length > 0 ? payload[length - 1] : 0);
  }
  reader.release();
  return tally.result();
}

const header = new Struct(MESSAGE_HEADER);

/** The copying parser: header and payload copied out with `slice`, as `bytes` slicing does. */
export function parseWithCopies(blob: Uint8Array, limit = Number.POSITIVE_INFINITY): ParseTally {
  const tally = new Tally();
  let position = 0;
  while (position < blob.length && tally.messages < limit) {
    const [type, length] = header.unpack(blob.slice(position, position + HEADER_SIZE));
    const start = position + HEADER_SIZE;
    const payload = blob.slice(start, start + length);
    tally.add(type, length, length > 0 ? payload[0] : 0, length > 0 ? payload[length - 1] : 0);
    position = start + length;
  }
  return tally.result();
}

/** The parser scenario. */
export const parserScenario: Scenario = {
  name: 'parser',
  title: 'the article’s zero-copy parser over a 100 MB blob of typed messages',
  run: runParser,
};

type Parse = (blob: Uint8Array, limit?: number) => ParseTally;

/** Median messages/s of `runs` full parses, with the collections of the last one. */
function timeParse(parse: Parse, blob: Uint8Array, runs: number) {
  const rates: number[] = [];
  let last = trackGc(() => parse(blob));
  rates.push(last.result.messages / (last.gc.elapsedMs / 1000));
  for (let i = 1; i < runs; i++) {
    last = trackGc(() => parse(blob));
    rates.push(last.result.messages / (last.gc.elapsedMs / 1000));
  }
  rates.sort((a, b) => a - b);
  consume(last.result.checksum);
  return { rate: rates[rates.length >> 1], tally: last.result, gc: last.gc };
}

async function runParser(context: ScenarioContext): Promise<ScenarioResult> {
  const total = context.quick ? 2_000_000 : 100_000_000;
  const runs = context.quick ? 2 : 5;
  context.log(`parser: building a ${mb(total)} blob of messages`);
  const blob = makeMessageBlob(total);
  await settle();

  context.log('parser: BufferReader (views)');
  const views = timeParse(parseWithViews, blob, runs);
  await settle();
  const byteViews = timeParse(parseWithByteViews, blob, runs);
  await settle();
  context.log('parser: the copying parser (slice)');
  const copies = timeParse(parseWithCopies, blob, runs);
  await settle();

  const probeCount = context.quick ? 500 : 5000;
  const viewAlloc = await probeAllocations(
    (n) => consume(parseWithViews(blob, n).checksum),
    probeCount,
  );
  const copyAlloc = await probeAllocations(
    (n) => consume(parseWithCopies(blob, n).checksum),
    probeCount,
  );
  await settle();

  context.log('parser: CPython 3.13 ZeroCopyParser and a bytes-slicing parser');
  const python = await context.python({
    scenario: 'parser',
    runtime: 'cpython',
    params: { total, quick: context.quick },
  });

  const reference = views.tally;
  const same = (t: ParseTally) =>
    t.messages === reference.messages &&
    t.payloadBytes === reference.payloadBytes &&
    t.typeSum === reference.typeSum &&
    t.checksum === reference.checksum;
  const wellFormed = reference.payloadBytes + reference.messages * HEADER_SIZE === blob.length;
  const ok =
    same(byteViews.tally) &&
    same(copies.tally) &&
    wellFormed &&
    pythonAgrees(python, { ...reference, bytes: blob.length });

  const perMessage = (p: { heapBytes: number; arrayBufferBytes: number }) =>
    p.heapBytes + p.arrayBufferBytes;
  const rows = [
    makeRow({
      scenario: 'parser',
      label: `messages/s, ${mb(blob.length)} blob (${reference.messages.toLocaleString('en-US')} messages)`,
      unit: 'msg/s',
      better: 'higher',
      memview: views.rate,
      baseline: copies.rate,
      python: pythonFigure(python, 'viewRate', 'copyRate'),
      claim: 'payloads are views: “gigabytes with minimal RAM”',
      note: `BufferReader.readBytes (Uint8Array views): ${Math.round(byteViews.rate).toLocaleString('en-US')} msg/s`,
    }),
    makeRow({
      scenario: 'parser',
      label: 'bytes allocated per message (JS heap + ArrayBuffers)',
      unit: 'B/msg',
      better: 'lower',
      memview: perMessage(viewAlloc),
      baseline: perMessage(copyAlloc),
      python: null,
      claim: 'no payload copied',
      target: '0 ArrayBuffer B',
      met: viewAlloc.arrayBufferBytes === 0,
      note: `ArrayBuffer bytes: ${fixed(viewAlloc.arrayBufferBytes)} vs ${fixed(copyAlloc.arrayBufferBytes)}; JS heap: ${fixed(viewAlloc.heapBytes)} vs ${fixed(copyAlloc.heapBytes)}`,
    }),
  ];
  return {
    name: 'parser',
    title: parserScenario.title,
    available: true,
    rows,
    check: {
      ok,
      description:
        'views, byte views, copies (and CPython) tally the same messages, payload bytes, type sum and checksum, and the messages tile the blob exactly',
      values: {
        bytes: blob.length,
        messages: reference.messages,
        payloadBytes: reference.payloadBytes,
        typeSum: reference.typeSum,
        checksum: reference.checksum,
        copiesAgree: same(copies.tally),
        byteViewsAgree: same(byteViews.tally),
        ...pythonCheckValues(python, 'python'),
      },
    },
    details: {
      blobBytes: blob.length,
      viewRate: views.rate,
      byteViewRate: byteViews.rate,
      copyRate: copies.rate,
      viewHeapBytesPerMessage: viewAlloc.heapBytes,
      viewArrayBufferBytesPerMessage: viewAlloc.arrayBufferBytes,
      copyHeapBytesPerMessage: copyAlloc.heapBytes,
      copyArrayBufferBytesPerMessage: copyAlloc.arrayBufferBytes,
      viewGcs: views.gc.minorGcs + views.gc.majorGcs,
      copyGcs: copies.gc.minorGcs + copies.gc.majorGcs,
      viewGcMs: views.gc.gcMs,
      copyGcMs: copies.gc.gcMs,
    },
  };
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '?';
}
