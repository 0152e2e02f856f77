/**
 * Where the CLI writes: standard output through a buffer that is flushed in large chunks
 * and waits for the stream to drain (so a million-line listing piped into a slow reader
 * costs constant memory), standard error directly, and the environment it reads.
 */

/** The streams and environment a command runs with. */
export interface CliContext {
  /** Buffered standard output. */
  readonly out: Output;
  /** Writes one line (a newline is added) to standard error. */
  readonly errorLine: (line: string) => void;
  /** The environment variables (`process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The subset of a Node writable stream that `Output` uses. */
export interface TextSink {
  /** Writes a chunk; false when the caller should wait for `'drain'`. */
  write(chunk: string): boolean;
  /** Registers a one-time listener (for `'drain'`). */
  once(event: 'drain', listener: () => void): unknown;
}

/** Chunks flushed to the sink once this many characters are buffered. */
const FLUSH_AT = 1 << 16;

/** Buffered line output over a `TextSink`. */
export class Output {
  readonly #sink: TextSink;
  #pending: string[] = [];
  #pendingLength = 0;
  #mustDrain = false;

  /** Writes to `sink` (usually `process.stdout`). */
  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  /** Appends `text` followed by a newline. */
  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** Appends `text` as is. */
  write(text: string): void {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= FLUSH_AT) this.#flush();
  }

  /** Flushes what is buffered and waits until the sink can take more. */
  async drain(): Promise<void> {
    this.#flush();
    if (this.#mustDrain) {
      this.#mustDrain = false;
      await new Promise<void>((resolve) => this.#sink.once('drain', resolve));
    }
  }

  #flush(): void {
    if (this.#pendingLength === 0) return;
    const chunk = this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    if (!this.#sink.write(chunk)) this.#mustDrain = true;
  }
}
