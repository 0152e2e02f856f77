/**
 * The help texts of the command line. Kept apart from the commands so that `--help`,
 * `--version` and usage errors load none of the library.
 */

import {
  DEFAULT_LIMIT,
  DEFAULT_WINDOW_BYTES,
  MAX_RECORD_BYTES,
  MAX_WINDOW_BYTES,
  TRACE_ENV,
  WINDOW_ENV,
} from './defaults.js';

/** `memview --help`. */
export const MAIN_HELP = `Usage: memview COMMAND [options]

Python's buffer protocol, memoryview and struct for TypeScript, from the command line.

Commands:
  inspect FILE --format FMT   print the records of a binary file through a view (shape,
                              slice, hex, JSON), reading only what it prints
  help [COMMAND]              show this help, or a command's

Options:
  -h, --help                  show this help ('memview COMMAND --help' for a command's)
  -V, --version               print memview's version

Errors print one line 'memview: error: …' on standard error and exit with status 2.

Examples:
  memview inspect a.out --format '<16sHHIQQQIHHHHHH'     # an ELF64 header: one record
  memview inspect data.bin --format '<IHHd' --slice ::-1 --limit 5
`;

/** `memview inspect --help`. */
export const INSPECT_HELP = `Usage: memview inspect FILE --format FMT [options]

Prints the records of a binary file through a view: FILE's bytes from --offset on, seen
as records of the struct format FMT (calcsize(FMT) bytes each), shaped by --shape and
indexed by --slice. A record format (several values, such as a header '<16sHHI') with
none of --shape, --slice, --limit or --all prints its first record only, and says how
many fit; a one-value format ('<d', 'B') lists its elements. Only the records printed
are read (with the gaps between them when under 4 KiB), through one reused window of
1 MiB, so a file of any size costs constant memory.

Options:
  -f, --format FMT   any struct format: a record ('<IHHd' prints a tuple per record) or
                     one code ('<d', '>I', '8s' print one value per element); byte order
                     and alignment prefixes as in Python's struct module; records of at
                     most ${MAX_RECORD_BYTES} bytes
      --offset N     byte offset of the first record (default 0)
      --shape A,B,…  view the records as an N-D array in C order (default: 1-D over every
                     whole record after the offset); may use fewer records than the file
                     holds, not more
      --slice SPEC   Python slicing per dimension, comma-separated, NumPy basic indexing
                     as MemoryView.sub: '10:20', '::-1', '-5:', '5' (an integer takes one
                     index and drops that dimension), '2:8:2,0:3'; missing trailing
                     dimensions are taken whole
  -n, --limit N      print at most N elements (default ${DEFAULT_LIMIT}; 0 prints only the summary);
                     the output says how many were left out
      --all          list every record of a record format (up to --limit), not only
                     the first
      --hex          print each record's raw bytes in hex instead of its values
      --json         print JSON instead of text (schema below)
  -h, --help         show this help

Text output: a summary, then one line per element: its index in the selection, '@' and
its byte offset in the file, and its value as Python prints it ((1, 2, 3.5), b'ab',
True, -1, 1e+16).

JSON output: one object (records one per line):
  {
    "file": string,          the path as given
    "fileSize": number,      bytes in the file
    "format": string,        FMT
    "itemsize": number,      calcsize(FMT)
    "offset": number,        byte offset in the file of the selection's first element
                             (index 0,…,0)
    "shape": number[],       the selection's shape ([] when every dimension was indexed)
    "strides": number[],     bytes between neighbours along each dimension (negative for
                             a reversed slice); element i,j,… lies at
                             offset + i*strides[0] + j*strides[1] + …
    "count": number,         elements in the selection
    "fits": number,          whole records from the offset to the end of the file
    "limit": number,         the --limit in force
    "omitted": number,       count minus the records printed
    "hex": boolean,          whether records are raw bytes
    "records": [...]         the first min(count, limit) elements in C order
  }
  Each record is, for a one-value format, a value, for a record format, an array of
  values; with --hex, a hex string of its bytes. Values: integers and floats as JSON
  numbers, except 8-byte integers (q Q n N P, native l L), which are decimal strings;
  nan/inf/-inf as the strings "nan", "inf", "-inf"; booleans (?) as JSON booleans; bytes
  (s, p, c) as hex strings.

Errors (a bad format, shape, slice, offset or limit, a missing or unreadable file) print
one line 'memview: error: …' on standard error and exit with status 2.

Environment:
  ${WINDOW_ENV}=N   the read window in bytes (default ${DEFAULT_WINDOW_BYTES}, at most
                           ${MAX_WINDOW_BYTES}; never more than the file)
  ${TRACE_ENV}=1    report each read ('memview: read N bytes at OFFSET') on stderr

Examples:
  memview inspect a.out --format '<16sHHIQQQIHHHHHH'     # an ELF64 header: one record
  memview inspect frames.bin --format B --shape 100,1080,1920 --slice '-1,::270,::480'
  memview inspect log.bin --format '<IHHd' --slice ::-1 --limit 5
  memview inspect data.bin --format '<q' --offset 64 --json --limit 1000
`;
