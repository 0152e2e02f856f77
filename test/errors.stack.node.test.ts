/**
 * Stack traces start at the call into memview for `memview/node` too: a bad argument
 * (thrown before the first `await`), a failure of the OS call (after it), and a misuse
 * of `connectInto`'s chunk iterator.
 */

import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ValueError } from '../src/index.js';
import { connectInto, OSError, readInto, sendFile, writev } from '../src/node/index.js';
import { expectFromUser, expectFromUserAsync } from './helpers/stack.js';

/** A file descriptor that was closed: any read or write on it fails with EBADF. */
function closedFd(): number {
  const path = join(fs.mkdtempSync(join(tmpdir(), 'memview-stack-')), 'data');
  fs.writeFileSync(path, new Uint8Array(8));
  const fd = fs.openSync(path, 'r');
  fs.closeSync(fd);
  return fd;
}

describe('stack traces start at the call into memview/node', () => {
  test('readInto, writev and sendFile: bad arguments and failed OS calls', async () => {
    await expectFromUserAsync(
      () => readInto('x' as never, new Uint8Array(4)),
      TypeError,
      "readInto: file must be a FileHandle or a file descriptor (a non-negative integer), not 'str'",
    );
    await expectFromUserAsync(
      () => writev('x' as never, []),
      TypeError,
      "writev: target must be a stream.Writable (a net.Socket), a FileHandle or a file descriptor, not 'str'",
    );
    await expectFromUserAsync(
      () => sendFile('x' as never, 0),
      TypeError,
      "sendFile: socket must be a stream.Writable (a net.Socket), not 'str'",
    );
    // The runtime's own words follow the prefix (Node's 'EBADF', Deno's 'Bad file descriptor').
    await expectFromUserAsync(
      () => readInto(closedFd(), new Uint8Array(4)),
      OSError,
      /^readInto: (EBADF|Bad file descriptor)/,
    );
    await expectFromUserAsync(
      () => writev(closedFd(), [new Uint8Array(4)]),
      OSError,
      /^writev: (EBADF|Bad file descriptor)/,
    );
  });

  test('connectInto and its chunks', async () => {
    expectFromUser(
      () => connectInto({ port: 1, onread: {} } as never, new Uint8Array(4)),
      ValueError,
      'connectInto: options.onread is set by connectInto; do not pass one',
    );
    const server = net.createServer((peer) => peer.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const { chunks } = connectInto({ port, host: '127.0.0.1' }, new Uint8Array(16));
    const pending = chunks.next();
    await expectFromUserAsync(
      () => chunks.next(),
      ValueError,
      'connectInto: next() was called before the previous call settled',
    );
    await pending;
    await chunks.return?.();
    server.close();
  });
});
