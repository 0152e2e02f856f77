/**
 * `memview inspect FILE --format FMT …`: prints the records (or elements) of a binary file
 * through views, reading only the windows the output needs, so a file of any size costs
 * constant memory.
 *
 * The file's bytes from `--offset` on are viewed as records of FMT (`calcsize(FMT)` bytes
 * each), shaped by `--shape` (C order) or 1-D over every whole record, then indexed with
 * `--slice` as `MemoryView.sub` indexes (NumPy basic indexing). A format of several values
 * (a record: a file header, say) with none of `--shape`, `--slice`, `--limit` or `--all`
 * selects only the first record, as `struct.unpack_from` would read a header, and says
 * how many fit. The selection's layout —
 * offset, shape, strides in bytes of the file — says exactly which bytes each printed
 * element occupies; `visitSelection` reads those through one reused window.
 */

import { parseFormat } from '../format/index.js';
import { cStrides, type Layout, product, type SubKey, subLayout } from '../layout/index.js';
import { calcsize } from '../struct/index.js';
import {
  flag,
  type OptionSpec,
  optionValue,
  parseArguments,
  parseCount,
  parseInteger,
  UsageError,
} from './args.js';
import {
  DEFAULT_LIMIT,
  DEFAULT_WINDOW_BYTES,
  MAX_RECORD_BYTES,
  MAX_WINDOW_BYTES,
  TRACE_ENV,
  WINDOW_ENV,
} from './defaults.js';
import type { CliContext } from './output.js';
import { parseShape, parseSlice } from './specs.js';
import { ElementPrinter } from './values.js';
import { visitSelection, WindowedFile } from './window.js';

/** The options of `memview inspect`. */
export const INSPECT_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', short: 'f', takesValue: true },
  { name: 'offset', takesValue: true },
  { name: 'shape', takesValue: true },
  { name: 'slice', takesValue: true },
  { name: 'limit', short: 'n', takesValue: true },
  { name: 'all', takesValue: false },
  { name: 'hex', takesValue: false },
  { name: 'json', takesValue: false },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `memview inspect` with the arguments after the subcommand; returns the exit status. */
export async function inspectCommand(
  argv: readonly string[],
  context: CliContext,
): Promise<number> {
  const parsed = parseArguments(argv, INSPECT_OPTIONS, 'memview inspect');
  if (parsed.positionals.length === 0) {
    throw new UsageError("'memview inspect' needs a FILE (see 'memview inspect --help')");
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`unexpected argument '${parsed.positionals[1]}' for 'memview inspect'`);
  }
  const path = parsed.positionals[0];
  const format = optionValue(parsed, 'format');
  if (format === undefined) {
    throw new UsageError("'memview inspect' needs --format FMT (see 'memview inspect --help')");
  }
  const itemsize = formatSize(format);
  const shapeText = optionValue(parsed, 'shape');
  const shape = shapeText === undefined ? undefined : parseShape(shapeText);
  const sliceText = optionValue(parsed, 'slice');
  const keys = sliceText === undefined ? undefined : parseSlice(sliceText);
  const limitText = optionValue(parsed, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : parseCount(limitText, '--limit');
  const offsetText = optionValue(parsed, 'offset') ?? '0';
  const windowBytes = windowSize(context.env[WINDOW_ENV]);
  const trace =
    context.env[TRACE_ENV] === '1'
      ? (start: number, length: number) =>
          context.errorLine(`memview: read ${length} bytes at ${start}`)
      : undefined;

  const file = new WindowedFile(path, windowBytes, itemsize, trace);
  try {
    const offset = fileOffset(offsetText, file.size);
    const available = file.size - offset;
    const records = Math.floor(available / itemsize);
    if (shape !== undefined) checkShapeFits(shapeText ?? '', shape, itemsize, offset, available);
    const viewShape = shape ?? [records];
    const view: Layout = {
      offset,
      itemsize,
      shape: viewShape,
      strides: cStrides(viewShape, itemsize),
    };
    // A record format alone reads as a header: its first record (see the module's doc).
    const firstOnly =
      keys === undefined &&
      shape === undefined &&
      limitText === undefined &&
      !flag(parsed, 'all') &&
      parseFormat(format).valueCount > 1;
    const selection =
      keys !== undefined
        ? selectSlice(view, keys, sliceText ?? '')
        : firstOnly
          ? { ...view, shape: [Math.min(records, 1)] }
          : view;
    const count = product(selection.shape);
    const shown = Math.min(count, limit);
    const report: Report = {
      path,
      fileSize: file.size,
      format,
      view,
      selection,
      sliceText,
      trailing: shape === undefined ? available - records * itemsize : 0,
      fits: records,
      firstOnly,
      count,
      shown,
      limit,
      hex: flag(parsed, 'hex'),
    };
    const print = flag(parsed, 'json')
      ? jsonPrinter(report, context)
      : textPrinter(report, context);
    await visitSelection(
      file,
      selection,
      format,
      shown,
      (memory, index, ordinal, at) => {
        if (report.hex) {
          const record = memory.slice(index, index + 1);
          try {
            print.element(record.hex(), ordinal, at);
          } finally {
            record.release();
          }
        } else {
          print.element(memory.get(index), ordinal, at);
        }
      },
      () => context.out.drain(),
    );
    print.end();
    await context.out.drain();
  } finally {
    file.close();
  }
  return 0;
}

/** Everything the printers need to know about one inspection. */
interface Report {
  readonly path: string;
  readonly fileSize: number;
  readonly format: string;
  /** The records as shaped, before `--slice`. */
  readonly view: Layout;
  /** The records selected by `--slice`. */
  readonly selection: Layout;
  readonly sliceText: string | undefined;
  /** Bytes after the last whole record (reported when no `--shape` was given). */
  readonly trailing: number;
  /** Whole records from the offset to the end of the file. */
  readonly fits: number;
  /** Only the first record was selected (a record format without a selection). */
  readonly firstOnly: boolean;
  readonly count: number;
  readonly shown: number;
  readonly limit: number;
  readonly hex: boolean;
}

/** Prints elements as they are read, then a closing line. */
interface Printer {
  /** One element: its value (or hex string), C-order ordinal and byte offset in the file. */
  element(value: unknown, ordinal: number, fileOffset: number): void;
  /** After the last element. */
  end(): void;
}

function textPrinter(report: Report, context: CliContext): Printer {
  const { out } = context;
  const { view, selection, format } = report;
  const values = new ElementPrinter(format);
  const noun = values.isRecord ? 'record' : 'element';
  const trailing = report.trailing > 0 ? `; ${report.trailing} trailing bytes ignored` : '';
  out.line(
    `${report.path}: ${report.fileSize} bytes; format '${format}' (itemsize ${view.itemsize}), offset ${view.offset}${trailing}`,
  );
  out.line(`view: shape ${list(view.shape)}, strides ${list(view.strides)}`);
  if (report.sliceText !== undefined) {
    out.line(
      `slice ${report.sliceText}: shape ${list(selection.shape)}, strides ${list(selection.strides)}`,
    );
  }
  if (report.firstOnly && report.fits > 1) {
    out.line(
      `the first of ${report.fits} records (--all lists them; --shape, --slice or --limit select some)`,
    );
  } else {
    out.line(`${report.count} ${noun}${report.count === 1 ? '' : 's'}`);
  }
  const shape = selection.shape;
  const widths = shape.map((n) => String(Math.max(n - 1, 0)).length);
  const offsetWidth = String(report.fileSize).length;
  const index = new Array<number>(shape.length);
  return {
    element(value, ordinal, at) {
      let rest = ordinal;
      for (let d = shape.length - 1; d >= 0; d--) {
        index[d] = rest % shape[d];
        rest = Math.floor(rest / shape[d]);
      }
      const label = index.map((i, d) => String(i).padStart(widths[d])).join(', ');
      const shown = report.hex ? String(value) : values.repr(value);
      out.line(`[${label}] @${String(at).padEnd(offsetWidth)}  ${shown}`);
    },
    end() {
      const omitted = report.count - report.shown;
      if (omitted > 0) {
        out.line(
          `... ${omitted} more ${noun}${omitted === 1 ? '' : 's'} not shown (--limit ${report.limit})`,
        );
      }
    },
  };
}

function jsonPrinter(report: Report, context: CliContext): Printer {
  const { out } = context;
  const values = new ElementPrinter(report.format);
  const { selection } = report;
  const head = {
    file: report.path,
    fileSize: report.fileSize,
    format: report.format,
    itemsize: selection.itemsize,
    offset: selection.offset,
    shape: selection.shape,
    strides: selection.strides,
    count: report.count,
    fits: report.fits,
    limit: report.limit,
    omitted: report.count - report.shown,
    hex: report.hex,
  };
  const opening = JSON.stringify(head);
  out.write(`${opening.slice(0, -1)},"records":[`);
  let first = true;
  return {
    element(value) {
      const json = report.hex ? String(value) : values.json(value);
      out.write(`${first ? '\n' : ',\n'}${JSON.stringify(json)}`);
      first = false;
    },
    end() {
      out.write(first ? ']}\n' : '\n]}\n');
    },
  };
}

/**
 * `calcsize(format)`, with a bad or empty format, or records larger than
 * `MAX_RECORD_BYTES`, as a `UsageError`.
 */
function formatSize(format: string): number {
  let size: number;
  try {
    size = calcsize(format);
  } catch (error) {
    throw new UsageError(`bad format '${format}': ${messageOf(error)}`);
  }
  if (size === 0) {
    throw new UsageError(`bad format '${format}': its records are 0 bytes long`);
  }
  if (size > MAX_RECORD_BYTES) {
    throw new UsageError(
      `bad format '${format}': its records are ${size} bytes long; memview inspect reads records of at most ${MAX_RECORD_BYTES} bytes`,
    );
  }
  return size;
}

function fileOffset(text: string, fileSize: number): number {
  const value = parseInteger(text);
  if (value === undefined) {
    throw new UsageError(`bad --offset '${text}': expected a non-negative integer`);
  }
  if (value < 0) throw new UsageError(`bad --offset '${text}': it is negative`);
  if (value > fileSize) {
    throw new UsageError(`bad --offset '${text}': beyond the end of the file (${fileSize} bytes)`);
  }
  return Number(value);
}

function checkShapeFits(
  text: string,
  shape: readonly number[],
  itemsize: number,
  offset: number,
  available: number,
): void {
  let needed = BigInt(itemsize);
  for (const n of shape) needed *= BigInt(n);
  if (needed > BigInt(available)) {
    throw new UsageError(
      `bad --shape '${text}': needs ${needed} bytes (itemsize ${itemsize}) from offset ${offset}, but the file has ${available}`,
    );
  }
}

function selectSlice(view: Layout, keys: readonly SubKey[], text: string): Layout {
  try {
    return subLayout(
      view,
      keys.map((key, d) => exactStep(key, view, d)),
    );
  } catch (error) {
    throw new UsageError(`bad --slice '${text}': ${messageOf(error)}`);
  }
}

/**
 * `key` for dimension `d` of `view`, with a step so large that the stride it makes is no
 * exact number (`::99999999999999999999`) brought down to the dimension's length: either
 * step takes the same one element, and the stride printed is then a true integer.
 */
function exactStep(key: SubKey, view: Layout, d: number): SubKey {
  if (!Array.isArray(key) || d >= view.shape.length) return key;
  const step = key[2];
  if (step === null || step === undefined) return key;
  const stride = BigInt(Math.abs(view.strides[d]));
  const magnitude = BigInt(step) < 0n ? -BigInt(step) : BigInt(step);
  if (magnitude * stride <= BigInt(Number.MAX_SAFE_INTEGER)) return key;
  const length = Math.max(view.shape[d], 1);
  return [key[0], key[1], BigInt(step) < 0n ? -length : length];
}

function windowSize(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_WINDOW_BYTES;
  const value = parseInteger(text);
  if (value === undefined || value <= 0) {
    throw new UsageError(`bad ${WINDOW_ENV} '${text}': expected a positive integer`);
  }
  if (value > MAX_WINDOW_BYTES) {
    throw new UsageError(
      `bad ${WINDOW_ENV} '${text}': larger than the largest window, ${MAX_WINDOW_BYTES} bytes`,
    );
  }
  return Number(value);
}

function list(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
