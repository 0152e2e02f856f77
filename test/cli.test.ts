/**
 * The `memview` command line, run as a child process on files packed with memview's own
 * `pack`: `inspect` (records, single codes, offsets, N-D shapes, slices, limits, hex, JSON,
 * a file larger than the read window, the reads it makes), help and version, and every
 * usage error (one line on stderr, exit status 2).
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ElementPrinter } from '../src/cli/values.js';
import { WindowedFile } from '../src/cli/window.js';
import { pack, Struct } from '../src/index.js';
import { CLI_PATH, type CliRun, memview, memviewClosingStdout } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'memview-cli-'));
const file = (name: string) => join(dir, name);

/** Elements of the 3 MiB file: '<I' values 0, 1, 2, … */
const BIG_COUNT = (3 << 20) / 4;

before(() => {
  const record = new Struct('<IHHd');
  const records = new Uint8Array(10 * record.size);
  for (let i = 0; i < 10; i++) record.packInto(records, i * record.size, i, 2 * i, 7, i / 2);
  writeFileSync(file('records.bin'), records);
  writeFileSync(file('records-tail.bin'), concat(records, new Uint8Array(5)));
  const header = new TextEncoder().encode('MAGIC\x00\x01');
  writeFileSync(file('header.bin'), concat(header, pack('<6h', -3, -2, -1, 0, 1, 2)));
  writeFileSync(
    file('grid.bin'),
    pack(`<${60}H` as string, ...Array.from({ length: 60 }, (_, i) => i)),
  );
  const floats = [0.1, 1, 1e16, 1e-5, Number.NaN, Number.NEGATIVE_INFINITY, -0, 123456.789];
  writeFileSync(file('floats.bin'), pack(`<${floats.length}d` as string, ...floats));
  writeFileSync(
    file('mixed.bin'),
    concat(
      pack('<?3sc', true, bytes("a'b"), bytes('\n')),
      pack('<?3sc', false, new Uint8Array([0, 255, 92]), bytes('"')),
    ),
  );
  writeFileSync(
    file('quads.bin'),
    pack('<5q', -(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n),
  );
  const big = new Uint32Array(BIG_COUNT);
  for (let i = 0; i < BIG_COUNT; i++) big[i] = i;
  writeFileSync(file('big.bin'), big);
  writeFileSync(file('empty.bin'), new Uint8Array(0));
  mkdirSync(file('folder'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Asserts a successful run and returns it. */
function ok(run: CliRun): CliRun {
  assert.equal(run.stderr, '', `unexpected stderr: ${run.stderr}`);
  assert.equal(run.status, 0);
  return run;
}

/** The element lines of text output: `[index] @offset  value` as parts. */
function elements(run: CliRun): { index: string; offset: number; value: string }[] {
  const out: { index: string; offset: number; value: string }[] = [];
  for (const line of ok(run).stdout.split('\n')) {
    const match = /^\[([^\]]*)\] @(\d+) +(.*)$/.exec(line);
    if (match !== null) {
      out.push({
        index: match[1].replace(/ +/g, ' ').trim(),
        offset: Number(match[2]),
        value: match[3],
      });
    }
  }
  return out;
}

/** The value column of text output. */
async function values(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  return elements(await memview(args, env)).map((e) => e.value);
}

/** The JSON document printed by `--json`. */
interface InspectJson {
  file: string;
  fileSize: number;
  format: string;
  itemsize: number;
  offset: number;
  shape: number[];
  strides: number[];
  count: number;
  fits: number;
  limit: number;
  omitted: number;
  hex: boolean;
  records: unknown[];
}

async function json(args: string[], env: Record<string, string> = {}): Promise<InspectJson> {
  return JSON.parse(ok(await memview([...args, '--json'], env)).stdout) as InspectJson;
}

/** `--trace` reads as [offset, length] pairs. */
function reads(stderr: string): [number, number][] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^memview: read (\d+) bytes at (\d+)$/.exec(line);
      assert.ok(match !== null, `not a trace line: ${line}`);
      return [Number(match[2]), Number(match[1])];
    });
}

describe('memview inspect', { concurrency: 8 }, () => {
  test('1-D records print one tuple per record, as Python prints them', async () => {
    const run = ok(await memview(['inspect', file('records.bin'), '--format', '<IHHd', '--all']));
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /records\.bin: 160 bytes; format '<IHHd' \(itemsize 16\), offset 0$/);
    assert.equal(lines[1], 'view: shape [10], strides [16]');
    assert.equal(lines[2], '10 records');
    const shown = elements(run);
    assert.deepEqual(
      shown.map((e) => e.value),
      Array.from({ length: 10 }, (_, i) => `(${i}, ${2 * i}, 7, ${i % 2 ? i / 2 : `${i / 2}.0`})`),
    );
    assert.deepEqual(
      shown.map((e) => e.offset),
      Array.from({ length: 10 }, (_, i) => 16 * i),
    );
    assert.deepEqual(
      shown.map((e) => e.index),
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
  });

  test('a record format alone prints its first record (a header) and says how many fit', async () => {
    const run = ok(await memview(['inspect', file('records-tail.bin'), '-f', '<IHHd']));
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /165 bytes; .*; 5 trailing bytes ignored$/);
    assert.equal(lines[1], 'view: shape [10], strides [16]');
    assert.equal(
      lines[2],
      'the first of 10 records (--all lists them; --shape, --slice or --limit select some)',
    );
    assert.deepEqual(
      elements(run).map((e) => e.value),
      ['(0, 0, 7, 0.0)'],
    );
    assert.doesNotMatch(run.stdout, /not shown/);
    const doc = await json(['inspect', file('records.bin'), '-f', '<IHHd', '--offset', '16']);
    assert.deepEqual(
      [doc.offset, doc.shape, doc.count, doc.fits, doc.omitted, doc.records],
      [16, [1], 1, 9, 0, [[1, 2, 7, 0.5]]],
    );
    // Any of --all, --limit, --shape, --slice lists; a one-value format always does.
    for (const more of [['--all'], ['-n', '3'], ['--shape', '2'], ['--slice', '::5']]) {
      const listed = await json(['inspect', file('records.bin'), '-f', '<IHHd', ...more]);
      assert.ok(listed.records.length >= 2, more.join(' '));
    }
    assert.equal((await json(['inspect', file('records.bin'), '-f', '<I'])).count, 40);
    assert.equal((await json(['inspect', file('records.bin'), '-f', '2I'])).count, 1);
    // One record that fits, or none: the usual count line.
    const one = ok(
      await memview(['inspect', file('records.bin'), '-f', '<IHHd', '--offset', '144']),
    );
    assert.equal(one.stdout.split('\n')[2], '1 record');
    const none = await json(['inspect', file('records.bin'), '-f', '<IHHd', '--offset', '150']);
    assert.deepEqual([none.count, none.fits, none.records], [0, 0, []]);
  });

  test('trailing bytes after the last whole record are reported and ignored', async () => {
    const run = ok(await memview(['inspect', file('records-tail.bin'), '-f', '<IHHd', '--all']));
    assert.match(run.stdout.split('\n')[0], /165 bytes; .*; 5 trailing bytes ignored$/);
    assert.equal(elements(run).length, 10);
  });

  test('single codes print one value per element: ints, floats, bools, bytes', async () => {
    assert.deepEqual(await values(['inspect', file('header.bin'), '-f', '<h', '--offset', '7']), [
      '-3',
      '-2',
      '-1',
      '0',
      '1',
      '2',
    ]);
    assert.deepEqual(await values(['inspect', file('floats.bin'), '-f', '<d']), [
      '0.1',
      '1.0',
      '1e+16',
      '1e-05',
      'nan',
      '-inf',
      '-0.0',
      '123456.789',
    ]);
    assert.deepEqual(await values(['inspect', file('mixed.bin'), '-f', '<?3sc', '--all']), [
      `(True, b"a'b", b'\\n')`,
      `(False, b'\\x00\\xff\\\\', b'"')`,
    ]);
    assert.deepEqual(await values(['inspect', file('mixed.bin'), '-f', '5s', '-n', '1']), [
      `b"\\x01a'b\\n"`,
    ]);
  });

  test('--offset moves the first record; the records are those after it', async () => {
    const doc = await json(['inspect', file('header.bin'), '-f', '<h', '--offset=7']);
    assert.equal(doc.offset, 7);
    assert.deepEqual(doc.shape, [6]);
    assert.deepEqual(doc.records, [-3, -2, -1, 0, 1, 2]);
    const odd = await json(['inspect', file('header.bin'), '-f', '<H', '--offset', '8']);
    assert.equal(odd.count, 5); // 11 bytes: 5 whole records
    const atEnd = await json(['inspect', file('header.bin'), '-f', '<h', '--offset', '19']);
    assert.equal(atEnd.count, 0);
    assert.deepEqual(atEnd.records, []);
  });

  test('--shape 2-D and 3-D view the records in C order', async () => {
    const grid = await json(['inspect', file('grid.bin'), '-f', '<H', '--shape', '6,10']);
    assert.deepEqual(grid.shape, [6, 10]);
    assert.deepEqual(grid.strides, [20, 2]);
    assert.equal(grid.count, 60);
    assert.equal(grid.omitted, 40);
    assert.deepEqual(
      grid.records,
      Array.from({ length: 20 }, (_, i) => i),
    );
    const cube = await memview([
      'inspect',
      file('grid.bin'),
      '-f',
      '<H',
      '--shape',
      '3,4,5',
      '-n',
      '60',
    ]);
    const shown = elements(cube);
    assert.equal(shown.length, 60);
    assert.deepEqual(shown[0], { index: '0, 0, 0', offset: 0, value: '0' });
    assert.deepEqual(shown[27], { index: '1, 1, 2', offset: 54, value: '27' });
    assert.deepEqual(shown[59], { index: '2, 3, 4', offset: 118, value: '59' });
    assert.match(cube.stdout, /^view: shape \[3, 4, 5\], strides \[40, 10, 2\]$/m);
    // A shape may use fewer records than the file holds.
    const part = await json(['inspect', file('grid.bin'), '-f', '<H', '--shape', '2,3']);
    assert.deepEqual(part.records, [0, 1, 2, 3, 4, 5]);
  });

  test('--slice: steps, negative steps, integers, per dimension (NumPy basic indexing)', async () => {
    const base = ['inspect', file('grid.bin'), '-f', '<H', '-n', '100'];
    const cases: [string[], number[], number[], unknown[]][] = [
      // [extra args, shape, strides, records]
      [['--slice', '10:20'], [10], [2], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]],
      [['--slice', '::-7'], [9], [-14], [59, 52, 45, 38, 31, 24, 17, 10, 3]],
      [['--slice', '-3:'], [3], [2], [57, 58, 59]],
      [['--slice', '50:40:-3'], [4], [-6], [50, 47, 44, 41]],
      [['--slice', '5'], [], [], [5]],
      [['--slice', '-1'], [], [], [59]],
      [['--slice', '7:3'], [0], [2], []],
      [
        ['--shape', '6,10', '--slice', '2:8:2,0:3'],
        [2, 3],
        [40, 2],
        [20, 21, 22, 40, 41, 42],
      ],
      [
        ['--shape', '6,10', '--slice', '::-1,::-4'],
        [6, 3],
        [-20, -8],
        [59, 55, 51, 49, 45, 41],
      ],
      [['--shape', '6,10', '--slice', '-1,1::3'], [3], [6], [51, 54, 57]],
      [['--shape', '6,10', '--slice', ':,9'], [6], [20], [9, 19, 29, 39, 49, 59]],
      [
        ['--shape', '6,10', '--slice', '1:3'],
        [2, 10],
        [20, 2],
        Array.from({ length: 20 }, (_, i) => i + 10),
      ],
      [['--shape', '3,4,5', '--slice', '1,::-2,4'], [2], [-20], [39, 29]],
      [['--shape', '3,4,5', '--slice', '2,3,-2'], [], [], [58]],
    ];
    await Promise.all(
      cases.map(async ([extra, shape, strides, records]) => {
        const doc = await json([...base, ...extra]);
        const label = extra.join(' ');
        assert.deepEqual(doc.shape, shape, label);
        assert.deepEqual(doc.strides, strides, label);
        assert.deepEqual(doc.records.slice(0, records.length), records, label);
        assert.equal(
          doc.count,
          shape.reduce((a, b) => a * b, 1),
          label,
        );
      }),
    );
    // Text output names the slice and indexes the selection.
    const run = await memview([...base, '--shape', '6,10', '--slice', '::-1,::-4']);
    assert.match(run.stdout, /^slice ::-1,::-4: shape \[6, 3\], strides \[-20, -8\]$/m);
    const first = elements(run).slice(0, 4);
    assert.deepEqual(first, [
      { index: '0, 0', offset: 118, value: '59' },
      { index: '0, 1', offset: 110, value: '55' },
      { index: '0, 2', offset: 102, value: '51' },
      { index: '1, 0', offset: 98, value: '49' },
    ]);
  });

  test('--limit caps the elements printed and says how many were left out', async () => {
    const run = ok(await memview(['inspect', file('grid.bin'), '-f', '<H', '--limit', '3']));
    assert.deepEqual(
      elements(run).map((e) => e.value),
      ['0', '1', '2'],
    );
    assert.match(run.stdout, /^\.\.\. 57 more elements not shown \(--limit 3\)$/m);
    const byDefault = elements(await memview(['inspect', file('grid.bin'), '-f', '<H']));
    assert.equal(byDefault.length, 20);
    const none = ok(await memview(['inspect', file('grid.bin'), '-f', '<H', '-n', '0']));
    assert.equal(elements(none).length, 0);
    assert.match(none.stdout, /^60 elements$/m);
    assert.match(none.stdout, /^\.\.\. 60 more elements not shown \(--limit 0\)$/m);
    const all = ok(await memview(['inspect', file('grid.bin'), '-f', '<H', '-n', '60']));
    assert.doesNotMatch(all.stdout, /not shown/);
    const doc = await json(['inspect', file('records.bin'), '-f', '<IHHd', '--limit', '4']);
    assert.equal(doc.records.length, 4);
    assert.equal(doc.omitted, 6);
    assert.equal(doc.limit, 4);
  });

  test("--hex prints each record's raw bytes", async () => {
    const hex = (a: number, b: number, c: number, d: number) =>
      Buffer.from(pack('<IHHd', a, b, c, d)).toString('hex');
    assert.deepEqual(
      await values(['inspect', file('records.bin'), '-f', '<IHHd', '--hex', '--slice', '::-4']),
      [hex(9, 18, 7, 4.5), hex(5, 10, 7, 2.5), hex(1, 2, 7, 0.5)],
    );
    const doc = await json(['inspect', file('records.bin'), '-f', '<IHHd', '--hex', '-n', '2']);
    assert.equal(doc.hex, true);
    assert.deepEqual(doc.records, [hex(0, 0, 7, 0), hex(1, 2, 7, 0.5)]);
  });

  test('--json: the schema, value by value, with bigints as strings and bytes as hex', async () => {
    const quads = await json(['inspect', file('quads.bin'), '--format', '<q']);
    assert.deepEqual(quads, {
      file: file('quads.bin'),
      fileSize: 40,
      format: '<q',
      itemsize: 8,
      offset: 0,
      shape: [5],
      strides: [8],
      count: 5,
      fits: 5,
      limit: 20,
      omitted: 0,
      hex: false,
      records: ['-9223372036854775808', '9223372036854775807', '0', '-1', '9007199254740993'],
    });
    const reversed = await json(['inspect', file('quads.bin'), '-f', '<q', '--slice', '::-2']);
    assert.equal(reversed.offset, 32);
    assert.deepEqual(reversed.strides, [-16]);
    assert.deepEqual(reversed.records, ['9007199254740993', '0', '-9223372036854775808']);
    const records = await json(['inspect', file('records.bin'), '-f', '<IHHd', '--slice', '1:4']);
    assert.deepEqual(records.records, [
      [1, 2, 7, 0.5],
      [2, 4, 7, 1],
      [3, 6, 7, 1.5],
    ]);
    const floats = await json(['inspect', file('floats.bin'), '-f', '<d']);
    assert.deepEqual(floats.records, [0.1, 1, 1e16, 1e-5, 'nan', '-inf', 0, 123456.789]);
    const mixed = await json(['inspect', file('mixed.bin'), '-f', '<?3sc', '--all']);
    assert.deepEqual(mixed.records, [
      [true, '612762', '0a'],
      [false, '00ff5c', '22'],
    ]);
    const empty = await json(['inspect', file('empty.bin'), '-f', '<q']);
    assert.deepEqual([empty.count, empty.shape, empty.records], [0, [0], []]);
  });

  test('a file larger than the read window: selections from the end read only what they print', async () => {
    const big = file('big.bin');
    const window = { MEMVIEW_WINDOW_BYTES: String(1 << 20), MEMVIEW_TRACE_READS: '1' };
    const tail = await memview(['inspect', big, '-f', '<I', '--slice', '-5:'], window);
    assert.deepEqual(reads(tail.stderr), [[(3 << 20) - 20, 20]]);
    assert.deepEqual(
      elements({ ...tail, stderr: '' }).map((e) => e.value),
      ['786427', '786428', '786429', '786430', '786431'],
    );
    // Backwards with a step, across all three windows' worth of the file.
    const back = await memview(
      ['inspect', big, '-f', '<I', '--slice', '::-3', '--limit', '200000', '--json'],
      window,
    );
    const doc = JSON.parse(back.stdout) as InspectJson;
    assert.equal(back.status, 0);
    assert.equal(doc.count, BIG_COUNT / 3);
    assert.equal(doc.records.length, 200000);
    for (let i = 0; i < doc.records.length; i++) {
      if (doc.records[i] !== BIG_COUNT - 1 - 3 * i) {
        assert.fail(`record ${i} is ${doc.records[i]}, expected ${BIG_COUNT - 1 - 3 * i}`);
      }
    }
    const backReads = reads(back.stderr);
    assert.ok(backReads.length >= 3, 'more than one window was read');
    for (const [, length] of backReads) assert.ok(length <= 1 << 20);
    const lowest = (BIG_COUNT - 1 - 3 * 199999) * 4;
    assert.equal(Math.min(...backReads.map(([at]) => at)), lowest);
    assert.equal(
      backReads.reduce((n, [, length]) => n + length, 0),
      (3 << 20) - lowest - 8 * (backReads.length - 1),
      'each byte of the span read once, but the 8 bytes between two records at a window edge',
    );
    // The middle of a 2-D view, with a tiny window: values across window boundaries.
    const middle = await json(
      ['inspect', big, '-f', '<I', '--shape', '768,1024', '--slice', '400:402,1000:', '-n', '100'],
      { MEMVIEW_WINDOW_BYTES: '64' },
    );
    assert.deepEqual(middle.shape, [2, 24]);
    assert.deepEqual(middle.records, [
      ...Array.from({ length: 24 }, (_, j) => 400 * 1024 + 1000 + j),
      ...Array.from({ length: 24 }, (_, j) => 401 * 1024 + 1000 + j),
    ]);
  });

  test('a sparse strided selection reads record by record, not the gaps', async () => {
    const run = await memview(
      [
        'inspect',
        file('big.bin'),
        '-f',
        '<I',
        '--shape',
        '768,1024',
        '--slice',
        '::100,::300',
        '-n',
        '100',
      ],
      { MEMVIEW_TRACE_READS: '1' },
    );
    // Each row of 4 elements (1200-byte steps) is one read; rows are 409600 bytes apart.
    assert.deepEqual(
      reads(run.stderr),
      Array.from({ length: 8 }, (_, i) => [i * 409600, 3604]),
    );
    assert.deepEqual(
      elements({ ...run, stderr: '' })
        .slice(0, 5)
        .map((e) => e.value),
      ['0', '300', '600', '900', '102400'],
    );
  });

  test('a closed standard output ends the run quietly', async () => {
    const result = await memviewClosingStdout([
      'inspect',
      file('big.bin'),
      '-f',
      '<I',
      '-n',
      '786432',
    ]);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
  });
});

describe('memview help and version', { concurrency: 8 }, () => {
  test('--help, help, no arguments: the commands', async () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const run = ok(await memview(args));
      assert.match(run.stdout, /^Usage: memview COMMAND/);
      assert.match(run.stdout, /inspect FILE --format FMT/);
      assert.doesNotMatch(run.stdout, /tour/);
    }
  });

  test("each command's help: --help, -h, help COMMAND", async () => {
    for (const args of [
      ['inspect', '--help'],
      ['help', 'inspect'],
      ['inspect', 'x', '-h', '--bogus'],
    ]) {
      const run = ok(await memview(args));
      assert.match(run.stdout, /^Usage: memview inspect FILE --format FMT/);
      assert.match(run.stdout, /"records": \[\.\.\.\]/);
    }
  });

  test('--version prints the version of package.json', async () => {
    const pkgPath = fileURLToPath(new URL('../../package.json', import.meta.url));
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      assert.equal(ok(await memview([flag])).stdout, `${pkg.version}\n`);
    }
  });

  test('the built entry point keeps its shebang', () => {
    assert.ok(readFileSync(CLI_PATH, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });
});

describe('memview errors: one line on stderr, exit status 2', { concurrency: 8 }, () => {
  const records = file('records.bin');
  const cases: [string[], string][] = [
    [['inspect', records, '-f', 'Z'], "bad format 'Z': bad char in struct format"],
    [
      ['inspect', records, '-f', '<3'],
      "bad format '<3': repeat count given without format specifier",
    ],
    [['inspect', records, '-f', '0s'], "bad format '0s': its records are 0 bytes long"],
    [
      ['inspect', records, '-f', 'I', '--shape', '0,3'],
      "bad --shape '0,3': '0' is not a positive integer (expected e.g. 4,3)",
    ],
    [
      ['inspect', records, '-f', 'I', '--shape', '4,x'],
      "bad --shape '4,x': 'x' is not a positive integer (expected e.g. 4,3)",
    ],
    [
      ['inspect', records, '-f', 'I', '--shape', '41'],
      "bad --shape '41': needs 164 bytes (itemsize 4) from offset 0, but the file has 160",
    ],
    [
      ['inspect', records, '-f', 'I', '--offset', '8', '--shape', '2,20'],
      "bad --shape '2,20': needs 160 bytes (itemsize 4) from offset 8, but the file has 152",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', '40'],
      "bad --slice '40': index out of bounds on dimension 1",
    ],
    [
      ['inspect', records, '-f', 'I', '--shape', '4,10', '--slice', '0,-11'],
      "bad --slice '0,-11': index out of bounds on dimension 2",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', '::0'],
      "bad --slice '::0': slice step cannot be zero",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', '1,2'],
      "bad --slice '1,2': too many indices for memoryview: memoryview is 1-dimensional, but 2 were indexed",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', '1:2:3:4'],
      "bad --slice '1:2:3:4': '1:2:3:4' has more than three pieces (start:stop:step)",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', 'a:b'],
      "bad --slice 'a:b': 'a' in 'a:b' is not an integer",
    ],
    [
      ['inspect', records, '-f', 'I', '--slice', 'x'],
      "bad --slice 'x': 'x' is neither an integer nor start:stop:step",
    ],
    [['inspect', records, '-f', 'I', '--offset', '-1'], "bad --offset '-1': it is negative"],
    [
      ['inspect', records, '-f', 'I', '--offset', '161'],
      "bad --offset '161': beyond the end of the file (160 bytes)",
    ],
    [
      ['inspect', records, '-f', 'I', '--offset', '1.5'],
      "bad --offset '1.5': expected a non-negative integer",
    ],
    [
      ['inspect', records, '-f', 'I', '--limit', 'many'],
      "bad --limit 'many': expected a non-negative integer",
    ],
    [
      ['inspect', file('missing.bin'), '-f', 'I'],
      `cannot open '${file('missing.bin')}': no such file or directory`,
    ],
    [['inspect', file('folder'), '-f', 'I'], `cannot read '${file('folder')}': is a directory`],
    [['inspect', records], "'memview inspect' needs --format FMT (see 'memview inspect --help')"],
    [['inspect', '-f', 'I'], "'memview inspect' needs a FILE (see 'memview inspect --help')"],
    [['inspect', records, 'more', '-f', 'I'], "unexpected argument 'more' for 'memview inspect'"],
    [['inspect', records, '-f'], "option '--format' needs a value"],
    [['inspect', records, '-f', 'I', '--json=yes'], "option '--json' takes no value"],
    [
      ['inspect', records, '-f', 'I', '--bogus'],
      "unknown option '--bogus' for 'memview inspect' (see 'memview inspect --help')",
    ],
    [['frobnicate'], "unknown command 'frobnicate' (commands: inspect, help)"],
    [['help', 'frobnicate'], "unknown command 'frobnicate' (commands: inspect, help)"],
    // The tour is the repository's showcase (`npm start`), not part of the package.
    [['tour'], "unknown command 'tour' (commands: inspect, help)"],
    [['help', 'tour'], "unknown command 'tour' (commands: inspect, help)"],
    [['--frobnicate'], "unknown option '--frobnicate' (see 'memview --help')"],
  ];
  for (const [args, message] of cases) {
    test(`${args.slice(2).join(' ') || args.join(' ')}`, async () => {
      const run = await memview(args);
      assert.equal(run.stderr, `memview: error: ${message}\n`);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
    });
  }

  test('absurd records and windows are usage errors, never a crash or a huge allocation', async () => {
    const limit = 'memview inspect reads records of at most 16777216 bytes';
    const cases: [string[], Record<string, string>, string][] = [
      [
        ['-f', '9999999999s'],
        {},
        `bad format '9999999999s': its records are 9999999999 bytes long; ${limit}`,
      ],
      [
        ['-f', '4294967296B'],
        {},
        `bad format '4294967296B': its records are 4294967296 bytes long; ${limit}`,
      ],
      [
        ['-f', '16777217x', '-n', '0'],
        {},
        `bad format '16777217x': its records are 16777217 bytes long; ${limit}`,
      ],
      [
        ['-f', 'I'],
        { MEMVIEW_WINDOW_BYTES: '99999999999999999999' },
        "bad MEMVIEW_WINDOW_BYTES '99999999999999999999': larger than the largest window, 1073741824 bytes",
      ],
    ];
    for (const [args, env, message] of cases) {
      const run = await memview(['inspect', records, ...args], env);
      assert.equal(run.stderr, `memview: error: ${message}\n`);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
    }
  });

  test('the read window is never larger than the file, whatever the record or window', () => {
    for (const [windowBytes, minBytes] of [
      [1 << 30, 1],
      [1, 1 << 24],
      [1 << 20, 16],
    ]) {
      const windowed = new WindowedFile(records, windowBytes, minBytes);
      try {
        assert.equal(windowed.windowLength, Math.min(Math.max(windowBytes, minBytes), 160));
      } finally {
        windowed.close();
      }
    }
  });

  test('counts and steps beyond 2**53: the same selection, exact numbers', async () => {
    const huge = '99999999999999999999';
    const forward = await memview([
      'inspect',
      records,
      '-f',
      '<I',
      '--slice',
      `::${huge}`,
      '--json',
    ]);
    assert.equal(forward.status, 0, forward.stderr);
    const head = JSON.parse(forward.stdout) as Record<string, unknown>;
    assert.deepEqual([head.offset, head.shape, head.strides, head.count], [0, [1], [160], 1]);
    assert.deepEqual(head.records, [0]);
    const backward = await memview([
      'inspect',
      records,
      '-f',
      '<I',
      '--shape',
      '10,4',
      '--slice',
      `::-${huge},-1`,
      '--limit',
      huge,
      '--json',
    ]);
    assert.equal(backward.status, 0, backward.stderr);
    const back = JSON.parse(backward.stdout) as Record<string, unknown>;
    assert.deepEqual(
      [back.offset, back.shape, back.strides, back.count, back.limit],
      [156, [1], [-160], 1, Number.MAX_SAFE_INTEGER],
    );
    assert.deepEqual(back.records, [1074921472]); // the high word of the last record's 4.5
  });

  test('a format of four billion values is described without a value list', () => {
    // One entry per value would exhaust the heap here (V8's fatal out-of-memory error).
    const printer = new ElementPrinter('4294967296B');
    assert.equal(printer.isRecord, true);
    const mixed = new ElementPrinter('d2B?2e');
    assert.equal(mixed.repr([1, 2, 3, true, 0.5, 1]), '(1.0, 2, 3, True, 0.5, 1.0)');
    assert.equal(new ElementPrinter('<3xd').repr(2), '2.0');
  });

  test('a bad read window in the environment', async () => {
    const run = await memview(['inspect', records, '-f', 'I'], { MEMVIEW_WINDOW_BYTES: '0' });
    assert.equal(
      run.stderr,
      "memview: error: bad MEMVIEW_WINDOW_BYTES '0': expected a positive integer\n",
    );
    assert.equal(run.status, 2);
  });
});
