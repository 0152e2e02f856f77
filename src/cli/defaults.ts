/** The defaults and environment variables of the command line, shared by its help texts. */

/** The elements printed when `--limit` is not given. */
export const DEFAULT_LIMIT = 20;

/** The environment variable that sets the read window's size in bytes (tests use it). */
export const WINDOW_ENV = 'MEMVIEW_WINDOW_BYTES';

/** The environment variable that, set to 1, reports every read on standard error. */
export const TRACE_ENV = 'MEMVIEW_TRACE_READS';

/** The default size of the read window: 1 MiB. */
export const DEFAULT_WINDOW_BYTES = 1 << 20;

/** The largest read window `MEMVIEW_WINDOW_BYTES` may ask for: 1 GiB. */
export const MAX_WINDOW_BYTES = 1 << 30;

/**
 * The largest record `inspect` reads: 16 MiB. One record is read whole and printed on one
 * line, which for a larger one would be beyond what the engine can hold as one string.
 */
export const MAX_RECORD_BYTES = 1 << 24;
