/**
 * Browser-only checks: the page's CSP really forbids code from strings, the page is
 * cross-origin isolated (so SharedArrayBuffer tests run), and memview memory goes into
 * ImageData and through window.postMessage without a copy being needed first.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ByteArray, memoryview } from '../../src/index.js';

interface ImageDataLike {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

const page = globalThis as unknown as {
  ImageData: new (data: Uint8ClampedArray, width: number, height: number) => ImageDataLike;
  crossOriginIsolated: boolean;
  location: { origin: string };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
};

describe('the page', () => {
  test("runs under a CSP without 'unsafe-eval': code from strings is refused", () => {
    assert.throws(() => Reflect.construct(Function, ['return 1']), EvalError);
  });

  test('is cross-origin isolated, so SharedArrayBuffer exists', () => {
    assert.equal(page.crossOriginIsolated, true);
    assert.equal(typeof SharedArrayBuffer, 'function');
  });
});

const W = 4;
const H = 2;

const SOURCES: Record<string, () => Uint8Array | ByteArray> = {
  'a Uint8Array': () => new Uint8Array(W * H * 4),
  'a ByteArray': () => new ByteArray(W * H * 4),
};

for (const [name, make] of Object.entries(SOURCES)) {
  describe(`memview memory of ${name} in the DOM`, () => {
    test('ImageData wraps it without a copy', () => {
      const m = memoryview(make());
      try {
        const t = m.toTypedArray();
        const image = new page.ImageData(
          new Uint8ClampedArray(t.buffer, t.byteOffset, t.byteLength),
          W,
          H,
        );
        assert.equal(image.width, W);
        assert.equal(image.data.buffer, t.buffer);
        image.data[5] = 200;
        assert.equal(m.get(5), 200);
      } finally {
        m.release();
      }
    });

    test('window.postMessage clones it', async () => {
      const m = memoryview(make());
      try {
        m.set(3, 42);
        const bytes = m.toTypedArray();
        const got = await new Promise<unknown>((resolve) => {
          const listener = (event: MessageEvent) => {
            page.removeEventListener('message', listener);
            resolve(event.data);
          };
          page.addEventListener('message', listener);
          page.postMessage(bytes, page.location.origin);
        });
        assert.ok(got instanceof Uint8Array);
        assert.equal(got.length, W * H * 4);
        assert.equal(got[3], 42);
        assert.equal(m.get(3), 42);
      } finally {
        m.release();
      }
    });
  });
}
