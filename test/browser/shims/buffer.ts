/**
 * The `Buffer` global for the browser suite. Tests that hand memview a Node Buffer get the
 * npm `buffer` package's Buffer instead, a Uint8Array subclass, as a browser bundle would.
 */
export { Buffer } from 'buffer';
