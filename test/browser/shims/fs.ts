/**
 * `node:fs` for the browser suite: only `readFileSync`, which the golden tests use to read
 * their fixtures. The page reads them from the suite's own server with a synchronous
 * request, so the tests run unchanged.
 */

interface SyncRequest {
  open(method: string, url: string, async: false): void;
  overrideMimeType(mime: string): void;
  send(): void;
  status: number;
  responseText: string;
}

declare const XMLHttpRequest: new () => SyncRequest;

/** Reads a file served beside the page: text with an encoding, bytes without. */
export function readFileSync(
  path: string | URL,
  options?: string | { encoding?: string | null },
): string | Uint8Array {
  const encoding = typeof options === 'string' ? options : (options?.encoding ?? null);
  const request = new XMLHttpRequest();
  request.open('GET', String(path), false);
  if (encoding === null) request.overrideMimeType('text/plain; charset=x-user-defined');
  request.send();
  if (request.status !== 200) {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${String(path)}'`), {
      code: 'ENOENT',
    });
  }
  if (encoding !== null) return request.responseText;
  const text = request.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
