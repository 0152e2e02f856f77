/**
 * The example parsers of `examples/` against their CPython twins: each parser reads files
 * this test writes (by hand, byte by byte, so both sides see the same input) and system
 * files where they exist, and its result must equal, as JSON, what the `.py` twin prints.
 * CPython is `$PYTHON` when set, else `PYENV_VERSION=3.13.0 python3`; without a 3.13 the
 * memview side still runs and the comparison is skipped with a visible notice.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { generatedElf } from '../bench/peers-elf.js';
import { parseElf } from '../examples/elf.js';
import { parsePng } from '../examples/png.js';
import { parseWav } from '../examples/wav.js';
import { parseZip } from '../examples/zip.js';
import { BufferWriter } from '../src/index.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'memview-examples-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Python {
  command: string;
  env: NodeJS.ProcessEnv;
}

function findPython(): Python | undefined {
  const candidate: Python = process.env.PYTHON
    ? { command: process.env.PYTHON, env: process.env }
    : { command: 'python3', env: { ...process.env, PYENV_VERSION: '3.13.0' } };
  const probe = spawnSync(
    candidate.command,
    ['-c', 'import sys; print(sys.version_info[:2] == (3, 13))'],
    { env: candidate.env, encoding: 'utf8', timeout: 10_000 },
  );
  return probe.status === 0 && probe.stdout.trim() === 'True' ? candidate : undefined;
}

const python = findPython();
if (python === undefined) {
  console.log('# examples: CPython 3.13 not found; the parsers run without their twins');
}

/** Parses `file` with the memview example and, when CPython is there, compares with its twin. */
function check(example: string, parse: (data: Uint8Array) => unknown, file: string): void {
  const mine: unknown = JSON.parse(JSON.stringify(parse(readFileSync(file))));
  if (python === undefined) return;
  const run = spawnSync(python.command, [join(EXAMPLES, `${example}.py`), file], {
    env: python.env,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 26,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(mine, JSON.parse(run.stdout));
}

/** Writes `bytes` to a new file in the test's folder and returns its path. */
function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A system file when it exists; otherwise undefined, and a notice saying it was skipped. */
function systemFile(path: string): string | undefined {
  if (existsSync(path)) return path;
  console.log(`# examples: ${path} is absent here; that case is skipped`);
  return undefined;
}

const ascii = (text: string) => new TextEncoder().encode(text);

// ---------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------

/** A PNG chunk: length, type, body, CRC of type + body (`badCrc` flips the CRC). */
function chunk(w: BufferWriter, type: string, body: Uint8Array, badCrc = false): void {
  const typed = new Uint8Array([...ascii(type), ...body]);
  w.pack('>I', body.length);
  w.write(typed);
  w.pack('>I', (crc32(typed) ^ (badCrc ? 1 : 0)) >>> 0);
}

/** A `width × height` PNG whose scanlines carry the given filter bytes; IDAT in `parts`. */
function png(width: number, height: number, depth: number, color: number, parts: number) {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[color] ?? 1;
  const stride = Math.ceil((width * channels * depth) / 8);
  const raw = new Uint8Array(height * (1 + stride));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + stride)] = y % 5;
    for (let x = 0; x < stride; x++) raw[y * (1 + stride) + 1 + x] = (x * 7 + y * 13) & 0xff;
  }
  const z = deflateSync(raw);
  const w = new BufferWriter();
  w.write(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const header = new BufferWriter();
  header.pack('>IIBBBBB', width, height, depth, color, 0, 0, 0);
  chunk(w, 'IHDR', header.target.toUint8Array());
  chunk(w, 'tEXt', ascii('Comment\0made by hand'), true);
  const step = Math.ceil(z.length / parts);
  for (let i = 0; i < z.length; i += step) chunk(w, 'IDAT', z.subarray(i, i + step));
  chunk(w, 'IEND', new Uint8Array(0));
  return w.target.toUint8Array();
}

describe('examples/png', () => {
  test('an RGB image, IDAT in three chunks, a chunk with a bad CRC', () => {
    const file = save('rgb.png', png(7, 5, 8, 2, 3));
    const result = parsePng(readFileSync(file));
    assert.deepEqual(result.filters, [0, 1, 2, 3, 4]);
    assert.deepEqual(
      result.chunks.map((c) => [c.type, c.crcOk]),
      [
        ['IHDR', true],
        ['tEXt', false],
        ['IDAT', true],
        ['IDAT', true],
        ['IDAT', true],
        ['IEND', true],
      ],
    );
    check('png', parsePng, file);
  });

  test('a 1-bit grey image (rows of a partial byte) and a 16-bit RGBA one', () => {
    check('png', parsePng, save('grey.png', png(13, 4, 1, 0, 1)));
    check('png', parsePng, save('rgba16.png', png(3, 9, 16, 6, 2)));
  });
});

// ---------------------------------------------------------------------------------------
// WAV
// ---------------------------------------------------------------------------------------

/** A PCM WAV of `frames` frames: sample k of channel c is a pattern signed by `bits`. */
function wav(channels: number, bits: number, frames: number, fmtSize = 16): Uint8Array {
  const code = { 8: 'B', 16: '<h', 32: '<i' }[bits] ?? 'B';
  const w = new BufferWriter();
  const riff = w.reserve('<4sI4s');
  w.pack('<4sI', ascii('fmt '), fmtSize);
  w.pack('<HHIIHH', 1, channels, 8000, (8000 * channels * bits) / 8, (channels * bits) / 8, bits);
  w.write(new Uint8Array(fmtSize - 16));
  // An odd-sized chunk before the samples: its pad byte must be skipped.
  w.pack('<4sI', ascii('LIST'), 5);
  w.write(ascii('INFOx'));
  w.align(2);
  w.pack('<4sI', ascii('data'), (frames * channels * bits) / 8);
  const half = 2 ** (bits - 1);
  for (let k = 0; k < frames; k++) {
    for (let c = 0; c < channels; c++) {
      const v = ((k * 2654435761 + c * 40503) % (2 * half)) - half;
      w.pack(code, bits === 8 ? v + half : v);
    }
  }
  riff.fill(ascii('RIFF'), w.length - 8, ascii('WAVE'));
  return w.target.toUint8Array();
}

describe('examples/wav', () => {
  test('16-bit stereo with an odd LIST chunk before the samples', () => {
    const file = save('stereo.wav', wav(2, 16, 1000));
    const result = parseWav(readFileSync(file));
    assert.deepEqual(result.chunks, ['fmt ', 'LIST', 'data']);
    assert.equal(result.frames, 1000);
    assert.equal(result.columns?.length, 2);
    check('wav', parseWav, file);
  });

  test('8-bit mono, 32-bit three channels with an 18-byte fmt chunk', () => {
    check('wav', parseWav, save('mono8.wav', wav(1, 8, 333)));
    check('wav', parseWav, save('three32.wav', wav(3, 32, 257, 18)));
  });
});

// ---------------------------------------------------------------------------------------
// ZIP
// ---------------------------------------------------------------------------------------

/** A stored (uncompressed) ZIP archive of `files`, with an archive comment. */
function zip(files: [name: string, body: string, utf8: boolean][], comment: string): Uint8Array {
  const w = new BufferWriter();
  const directory = new BufferWriter();
  files.forEach(([name, text, utf8], i) => {
    const body = ascii(text);
    const nameBytes = ascii(name);
    const flags = utf8 ? 0x800 : 0;
    const time = ((10 + i) << 11) | (i << 5) | 7; // 10+i:i:14
    const date = ((2020 + i - 1980) << 9) | (((i % 12) + 1) << 5) | (i + 1);
    const offset = w.length;
    w.pack(
      '<4sHHHHHIIIHH',
      ascii('PK\x03\x04'),
      20,
      flags,
      0,
      time,
      date,
      crc32(body),
      body.length,
      body.length,
      nameBytes.length,
      0,
    );
    w.write(nameBytes);
    w.write(body);
    const note = ascii(i === 1 ? 'an entry comment' : '');
    directory.pack(
      '<4sHHHHHHIIIHHHHHII',
      ascii('PK\x01\x02'),
      20,
      20,
      flags,
      0,
      time,
      date,
      crc32(body),
      body.length,
      body.length,
      nameBytes.length,
      4,
      note.length,
      0,
      0,
      0,
      offset,
    );
    directory.write(nameBytes);
    directory.write(new Uint8Array([0xfe, 0xca, 0, 0])); // an extra field, skipped
    directory.write(note);
  });
  const start = w.length;
  w.write(directory.target.toUint8Array());
  const note = ascii(comment);
  w.pack(
    '<4sHHHHIIH',
    ascii('PK\x05\x06'),
    0,
    0,
    files.length,
    files.length,
    directory.length,
    start,
    note.length,
  );
  w.write(note);
  return w.target.toUint8Array();
}

/** The wheel CPython bundles for ensurepip: a real archive on any machine with CPython. */
function bundledWheel(): string | undefined {
  if (python === undefined) return undefined;
  const run = spawnSync(
    python.command,
    [
      '-c',
      'import ensurepip, glob, os; print(*glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "*.whl"))[:1])',
    ],
    { env: python.env, encoding: 'utf8' },
  );
  const path = run.stdout.trim();
  if (path === '')
    console.log("# examples: CPython's bundled pip wheel is absent here; that case is skipped");
  return path === '' ? undefined : path;
}

describe('examples/zip', () => {
  test('names in UTF-8 and not, extra fields, entry and archive comments', () => {
    const file = save(
      'archive.zip',
      zip(
        [
          ['README.txt', 'hello', false],
          ['données/été.txt', 'bonjour', true],
          ['empty/', '', false],
        ],
        'the archive comment',
      ),
    );
    const result = parseZip(readFileSync(file));
    assert.deepEqual(
      result.entries.map((e) => e.name),
      ['README.txt', 'données/été.txt', 'empty/'],
    );
    assert.equal(result.entries[0].modified, '2020-01-01 10:00:14');
    assert.equal(result.comment, 'the archive comment');
    check('zip', parseZip, file);
  });

  test("CPython's bundled pip wheel", (t) => {
    const wheel = bundledWheel();
    if (wheel === undefined) return t.skip('no CPython or no bundled wheel');
    check('zip', parseZip, wheel);
  });
});

// ---------------------------------------------------------------------------------------
// ELF
// ---------------------------------------------------------------------------------------

/** A big-endian ELF32 object: section-name table, symbol table (3 symbols), string table. */
function elf32(): Uint8Array {
  const w = new BufferWriter();
  w.write(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  const header = w.reserve('>HHIIIIIHHHHHH');
  const shstrtab = w.length;
  w.write(ascii('\0.shstrtab\0.symtab\0.strtab\0'));
  const strtab = w.length;
  w.write(ascii('\0main\0data\0'));
  w.align(4);
  const symtab = w.length;
  w.pack('>IIIBBH', 0, 0, 0, 0, 0, 0);
  w.pack('>IIIBBH', 1, 0x400100, 64, 0x12, 0, 3);
  w.pack('>IIIBBH', 6, 0x410000, 4, 0x11, 0, 3);
  w.align(4);
  const shoff = w.length;
  const section = (name: number, type: number, offset: number, size: number, link = 0) =>
    w.pack('>IIIIIIIIII', name, type, 0, 0, offset, size, link, 0, 1, type === 2 ? 16 : 0);
  section(0, 0, 0, 0);
  section(1, 3, shstrtab, strtab - shstrtab);
  section(11, 2, symtab, 48, 3);
  section(19, 3, strtab, 11);
  header.fill(1, 8, 1, 0x400100, 0, shoff, 0, 52, 0, 0, 40, 4, 1);
  return w.target.toUint8Array();
}

describe('examples/elf', () => {
  test('a big-endian ELF32 object written by hand', () => {
    const file = save('object32.o', elf32());
    const result = parseElf(readFileSync(file));
    assert.deepEqual([result.class, result.byteOrder, result.entry], [32, 'big', 0x400100]);
    assert.deepEqual(
      result.sections.map((s) => s.name),
      ['', '.shstrtab', '.symtab', '.strtab'],
    );
    assert.deepEqual(
      result.symbols.map((s) => [s.name, s.value, s.size]),
      [
        ['', 0, 0],
        ['main', 0x400100, 64],
        ['data', 0x410000, 4],
      ],
    );
    check('elf', parseElf, file);
  });

  test("a little-endian ELF64 with 20,000 symbols (the bench's generated file)", () => {
    check('elf', parseElf, save('generated64', generatedElf()));
  });

  test('system executables', (t) => {
    for (const path of ['/bin/ls', '/bin/sh']) {
      const found = systemFile(path);
      if (found === undefined) t.diagnostic(`${path} absent: skipped`);
      else check('elf', parseElf, found);
    }
  });
});
