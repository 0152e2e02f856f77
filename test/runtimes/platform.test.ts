/**
 * memview memory handed to the platform's own APIs — TextDecoder, Blob,
 * crypto.subtle.digest, postMessage — on every runtime the suite runs on (Node, Deno, Bun,
 * Chromium). Each zero-copy way of getting at memview memory is tried with each API, and
 * the result is compared with the same API given a plain copy of the bytes.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BufferReader, BufferWriter, ByteArray, Bytes, memoryview } from '../../src/index.js';

const TEXT = 'memview: ünïcödé ✓ 0123456789';
const BYTES = new TextEncoder().encode(TEXT);

/** A zero-copy Uint8Array over memview memory, and what to release afterwards. */
interface Handle {
  bytes: Uint8Array;
  release(): void;
}

const SOURCES: Record<string, () => Handle> = {
  'a memoryview of a Uint8Array (toTypedArray)': () => {
    const m = memoryview(BYTES.slice());
    return { bytes: m.toTypedArray() as Uint8Array, release: () => m.release() };
  },
  'a memoryview of a ByteArray (toTypedArray)': () => {
    const ba = new ByteArray(BYTES);
    const m = memoryview(ba);
    return { bytes: m.toTypedArray() as Uint8Array, release: () => m.release() };
  },
  'BufferWriter.finish() (toTypedArray)': () => {
    const w = new BufferWriter();
    w.write(BYTES);
    const m = w.finish();
    return { bytes: m.toTypedArray() as Uint8Array, release: () => m.release() };
  },
  'BufferReader.readBytes over BufferWriter output': () => {
    const w = new BufferWriter();
    w.write(BYTES);
    const m = w.finish();
    const r = new BufferReader(m);
    return {
      bytes: r.readBytes(BYTES.length),
      release: () => {
        r.release();
        m.release();
      },
    };
  },
};

async function withSource(make: () => Handle, use: (bytes: Uint8Array) => Promise<void> | void) {
  const h = make();
  try {
    assert.equal(h.bytes.length, BYTES.length);
    await use(h.bytes);
    // The API must neither detach nor change memview's memory.
    assert.deepEqual(Array.from(h.bytes), Array.from(BYTES));
  } finally {
    h.release();
  }
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function received(bytes: Uint8Array): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  // The DOM's MessagePort: an EventTarget that delivers once started (Node's is one too).
  const target = port2 as unknown as EventTarget & { start(): void };
  return new Promise<unknown>((resolve) => {
    target.addEventListener('message', (event) => resolve((event as MessageEvent).data));
    target.start();
    port1.postMessage(bytes);
  }).finally(() => {
    port1.close();
    port2.close();
  });
}

for (const [name, make] of Object.entries(SOURCES)) {
  describe(`platform APIs take ${name}`, () => {
    test('TextDecoder.decode', () =>
      withSource(make, (bytes) => {
        assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(bytes), TEXT);
      }));

    test('new Blob([...])', () =>
      withSource(make, async (bytes) => {
        const blob = new Blob([bytes]);
        assert.equal(blob.size, BYTES.length);
        assert.equal(await blob.text(), TEXT);
      }));

    test('crypto.subtle.digest', () =>
      withSource(make, async (bytes) => {
        const want = hex(await crypto.subtle.digest('SHA-256', BYTES.slice()));
        assert.equal(hex(await crypto.subtle.digest('SHA-256', bytes)), want);
      }));

    test('postMessage (structured clone)', () =>
      withSource(make, async (bytes) => {
        const got = await received(bytes);
        assert.ok(got instanceof Uint8Array, `received ${Object.prototype.toString.call(got)}`);
        assert.deepEqual(Array.from(got), Array.from(BYTES));
      }));
  });
}

describe("memview's own decoding uses the platform's TextDecoder", () => {
  test('Bytes.decode()', () => {
    assert.equal(new Bytes(BYTES).decode(), TEXT);
  });

  test('ByteArray.decode()', () => {
    assert.equal(new ByteArray(BYTES).decode(), TEXT);
  });

  test('BufferReader.readString over BufferWriter output', () => {
    const w = new BufferWriter();
    w.write(BYTES);
    const m = w.finish();
    const r = new BufferReader(m);
    try {
      assert.equal(r.readString(BYTES.length), TEXT);
      assert.equal(r.remaining, 0);
    } finally {
      r.release();
      m.release();
    }
  });
});
