/**
 * Every test that may fail on a runtime other than the one `npm test` uses, each with its
 * reason. Nothing else is tolerated: a failure or a skip that is not listed here fails the
 * run, and a listed one must fail with the message given (so a different failure in the
 * same test is still caught). The runner prints each of these by name on every run.
 */

/** A runtime the suite runs on besides `npm test`'s Node. */
export type RuntimeId = 'node' | 'node-latest' | 'deno' | 'bun' | 'chromium';

/**
 * Why a test fails there: `engine`, the engine cannot do what CPython does; `runtime`, the
 * runtime's Node-compatible API words or orders things differently from Node, which the
 * test pins; `defect`, memview itself misbehaves there (to be fixed in memview).
 */
export type Cause = 'engine' | 'runtime' | 'defect';

/** One tolerated failure. */
export interface Expectation {
  runtimes: readonly RuntimeId[];
  /** The full test name ("describe > test"), or a pattern over it. */
  test: string | RegExp;
  cause: Cause;
  reason: string;
  /** The failure message must match this. */
  message: RegExp;
  /**
   * For fixture tests that report "N of M checks failed:" and one line per failed check:
   * every one of those lines must match this, so only the named difference is tolerated.
   */
  eachCheck?: RegExp;
}

const NAN_SIGN =
  'JavaScriptCore erases the sign and payload bits of NaN: struct.pack of -nan gives +nan ' +
  'bytes, where CPython keeps the sign';

/** The list itself. */
export const EXPECTED: readonly Expectation[] = [
  {
    runtimes: ['bun'],
    test: 'stack traces start at the call into memview > frames() of memview/web: errors raised in its async generator',
    cause: 'engine',
    reason:
      'JavaScriptCore keeps no frame of the caller of an async generator once it has resumed ' +
      "after an await (an async function's callers it keeps, as 'at async f'): an error raised " +
      "there has only memview's frames, which are kept, as they are all that says where it failed",
    message: /^EOFError: frames: the stream ended inside a frame\n\s+at frames \(/,
  },
  {
    runtimes: ['bun'],
    test: /^memory that goes away while the OS call waits > (readInto: detached during the read is a BufferError, not a byte count|readInto: detached between two readv batches is not a short read|writev to a file: detached during the write; the other views are released)$/,
    cause: 'runtime',
    reason:
      'Bun pins an ArrayBuffer while an fs read/readv/writev uses it: transferring it then (structuredClone ' +
      'or ArrayBuffer#transfer) copies it and leaves it attached, so the memory never goes away, the read ' +
      'lands in it and the count memview resolves with is right; on Node the transfer detaches it',
    message: /expected BufferError, but it resolved/,
  },
  {
    runtimes: ['chromium'],
    test: 'how a view shows itself > util.inspect shows format, shape, strides and access',
    cause: 'runtime',
    reason: 'util.inspect is a Node API; a browser has none',
    message: /util\.inspect is a Node API; a browser has none/,
  },
  {
    runtimes: ['chromium'],
    test: 'dist/test/fuzz.test.js loads',
    cause: 'runtime',
    reason:
      'test/fuzz/runner.ts reads process.argv when it is loaded, and a browser has no process',
    message: /process is not defined/,
  },
  {
    runtimes: ['bun'],
    test: /^struct golden floats\.json: .* > (float \S+ \(\d+ cases\)|half test_half_float \(\d+ cases\))$/,
    cause: 'engine',
    reason: NAN_SIGN,
    message: /^\d+ of \d+ checks failed:/,
    eachCheck: /^pack(_into)? fmt="[^"]*" args=\[[^\]]*"-nan"/,
  },
  {
    runtimes: ['deno', 'bun'],
    test: 'the tour (quick mode) > memview copies nothing: no ArrayBuffer bytes per message or per ROI',
    cause: 'runtime',
    reason:
      "the tour's copy baseline counts the ArrayBuffer bytes Node's structuredClone copies; " +
      'this runtime reports none, so the baseline is 0 instead of the payload size',
    message: /0 !== 1024/,
  },
  {
    runtimes: ['deno', 'bun'],
    test: 'connectInto > read-only, non-exporting, non-contiguous, empty and released buffers',
    cause: 'runtime',
    reason:
      "the test pins Node's own wording of net.connect's port RangeError; this runtime words it differently",
    message: /Port should be >= 0 and < 65536\. Received -1/,
  },
  {
    runtimes: ['deno'],
    test: /^(writev to files > a failed write is an OSError and releases the views|no error escapes an I\/O call \(the failures of other runtimes\) > readInto and writev of files: a failed call leaves no rejection behind)$/,
    cause: 'runtime',
    reason:
      "the OSError message embeds the runtime's error text: Deno says 'Bad file descriptor (os error 9)' where Node says 'EBADF'",
    message: /writev: Bad file descriptor \(os error 9\)/,
  },
  {
    runtimes: ['bun'],
    test: /^(EPIPE and peers that go away > writev to a peer that closed: BrokenPipeError \(EPIPE\), views released|no error escapes an I\/O call \(the failures of other runtimes\) > writev to a peer that closed: no error escapes, the listeners go away)$/,
    cause: 'runtime',
    reason:
      "the BrokenPipeError message embeds the runtime's error text: Bun says 'EPIPE: broken pipe, read' where Node says 'write EPIPE'",
    message: /\(EPIPE: broken pipe, read\)/,
  },
  {
    runtimes: ['bun'],
    test: 'sendFile > to a peer that closed: BrokenPipeError (EPIPE)',
    cause: 'runtime',
    reason:
      "the BrokenPipeError message embeds the runtime's error text: Bun says 'EPIPE: broken pipe, read' where Node says 'write EPIPE'",
    message: /\(EPIPE: broken pipe, read\)/,
  },
];
