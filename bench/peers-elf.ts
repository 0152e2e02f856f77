/**
 * The peers suite's real-format parser: every section header and every symbol (`.symtab`
 * and `.dynsym`, with the length of each symbol's name) of a set of ELF64 little-endian
 * files, written as one would write it with memview's `Struct`. `peers_bench.py` has the
 * same parser with CPython's `struct`, and picks the same files by the same rule.
 *
 * The files: the first `ELF_FILES` regular files (symlinks skipped) of `/usr/bin` in name
 * order whose size is 64 KiB – 8 MiB and whose first bytes are `\x7fELF`, class 64-bit,
 * little-endian. Where there are none, one generated ELF file stands in (`generatedElf`).
 */

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Struct } from '../src/index.js';

export const ELF_DIR = '/usr/bin';
export const ELF_FILES = 48;
const MIN_SIZE = 64 * 1024;
const MAX_SIZE = 16 * 1024 * 1024;
const MAGIC = [0x7f, 0x45, 0x4c, 0x46, 2, 1];

/** The ELF files the parser reads, by the rule above; `[]` when none qualify. */
export function findElfFiles(dir = ELF_DIR): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const found: string[] = [];
  const head = new Uint8Array(MAGIC.length);
  for (const name of names) {
    if (found.length === ELF_FILES) break;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isFile() || st.size < MIN_SIZE || st.size > MAX_SIZE) continue;
      const fd = openSync(path, 'r');
      try {
        if (readSync(fd, head, 0, head.length, 0) !== head.length) continue;
      } finally {
        closeSync(fd);
      }
      if (MAGIC.every((b, i) => head[i] === b)) found.push(path);
    } catch {}
  }
  return found;
}

/** Symbols in the generated stand-in file. */
export const GENERATED_SYMBOLS = 20_000;

/**
 * A small but complete ELF64 file: header, `.shstrtab`, `.strtab` (names `sym_<k>`),
 * `.symtab` with `GENERATED_SYMBOLS` symbols, and the section header table at the end.
 * Written with DataView; `peers_bench.py` builds the same bytes.
 */
export function generatedElf(): Uint8Array {
  const shstr = new TextEncoder().encode('\0.shstrtab\0.strtab\0.symtab\0');
  const names: number[] = [];
  const strParts: string[] = ['\0'];
  let strLen = 1;
  for (let k = 0; k < GENERATED_SYMBOLS; k++) {
    const s = `sym_${k}\0`;
    names.push(strLen);
    strParts.push(s);
    strLen += s.length;
  }
  const strtab = new TextEncoder().encode(strParts.join(''));
  const shstrOff = 64;
  const strOff = shstrOff + shstr.length;
  const symOff = (strOff + strtab.length + 7) & ~7;
  const symSize = 24 * GENERATED_SYMBOLS;
  const shOff = symOff + symSize;
  const out = new Uint8Array(shOff + 4 * 64);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 62, true); // EM_X86_64
  dv.setUint32(20, 1, true);
  dv.setBigUint64(40, BigInt(shOff), true);
  dv.setUint16(52, 64, true);
  dv.setUint16(58, 64, true);
  dv.setUint16(60, 4, true);
  dv.setUint16(62, 1, true);
  out.set(shstr, shstrOff);
  out.set(strtab, strOff);
  for (let k = 0; k < GENERATED_SYMBOLS; k++) {
    const o = symOff + 24 * k;
    dv.setUint32(o, names[k], true);
    dv.setUint8(o + 4, k % 3 === 0 ? 0x12 : 0x11);
    dv.setUint16(o + 6, 1, true);
    dv.setBigUint64(o + 8, BigInt(0x401000 + 16 * k), true);
    dv.setBigUint64(o + 16, BigInt(k % 97), true);
  }
  // [null, .shstrtab, .strtab, .symtab]: name, type, offset, size, link, entsize.
  const sections: [number, number, number, number, number, number][] = [
    [0, 0, 0, 0, 0, 0],
    [1, 3, shstrOff, shstr.length, 0, 0],
    [11, 3, strOff, strtab.length, 0, 0],
    [19, 2, symOff, symSize, 2, 24],
  ];
  sections.forEach(([name, type, offset, size, link, entsize], i) => {
    const o = shOff + 64 * i;
    dv.setUint32(o, name, true);
    dv.setUint32(o + 4, type, true);
    dv.setBigUint64(o + 24, BigInt(offset), true);
    dv.setBigUint64(o + 32, BigInt(size), true);
    dv.setUint32(o + 40, link, true);
    dv.setBigUint64(o + 56, BigInt(entsize), true);
  });
  return out;
}

/** The files' bytes (read once, untimed), or the generated file; and where they came from. */
export function elfInputs(): { files: Uint8Array[]; source: string } {
  const paths = findElfFiles();
  if (paths.length === 0) return { files: [generatedElf()], source: 'generated' };
  return { files: paths.map((p) => new Uint8Array(readFileSync(p))), source: paths.join(' ') };
}

const EHDR = new Struct('<HHIQQQIHHHHHH');
const SHDR = new Struct('<IIQQQQIIQQ');
const SYM = new Struct('<IBBHQQ');
const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;

interface Section {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly entsize: number;
}

/**
 * Parses one file: the header, every section header, every symbol. Adds to `acc[0]` a
 * checksum of what it read and to `acc[1]` the records read (section headers + symbols).
 */
export function parseElf(data: Uint8Array, acc: [number, number]): void {
  const [, , , , , shoff, , , , , shentsize, shnum] = EHDR.unpackFrom(data, 16);
  const sections: Section[] = [];
  let sum = 0;
  for (let i = 0; i < shnum; i++) {
    const [name, type, , , offset, size, link, info, , entsize] = SHDR.unpackFrom(
      data,
      Number(shoff) + i * shentsize,
    );
    sum += name + type + link + info + Number(size);
    sections.push({
      type,
      offset: Number(offset),
      size: Number(size),
      link,
      entsize: Number(entsize),
    });
  }
  let records = shnum;
  for (const sec of sections) {
    if ((sec.type !== SHT_SYMTAB && sec.type !== SHT_DYNSYM) || sec.entsize === 0) continue;
    const strings = sections[sec.link].offset;
    const end = sec.offset + sec.size;
    for (let off = sec.offset; off < end; off += sec.entsize) {
      const [name, info, other, shndx, value, size] = SYM.unpackFrom(data, off);
      const start = strings + name;
      const nameLength = data.indexOf(0, start) - start;
      sum += name + info + other + shndx + Number(size) + nameLength + (value !== 0n ? 1 : 0);
      records++;
    }
  }
  acc[0] += sum;
  acc[1] += records;
}
