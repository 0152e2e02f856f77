/**
 * An ELF reader written with memview: the file header, the section headers (named from
 * the section-name table) and the symbol tables. ELF32 and ELF64, either byte order, go
 * through one code path: the formats are built from the byte order and the address size,
 * and `int64: 'number'` makes 8-byte fields plain numbers (OverflowError, never a rounded
 * value, beyond 2**53 - 1). Its CPython twin is elf.py.
 *
 * Run: `node dist/examples/elf.js FILE` prints the result as JSON.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BufferReader, Bytes, memoryview, Struct } from '../src/index.js';

const MAGIC = Bytes.fromHex('7f454c46'); // "\x7fELF"
const SYMTAB = 2;
const DYNSYM = 11;

export function parseElf(data: Uint8Array) {
  using reader = new BufferReader(data);
  const [magic, elfClass, order] = reader.unpack('4sBB');
  if (!memoryview(magic).equals(MAGIC)) throw new Error('not an ELF file');
  const E = order === 1 ? '<' : '>'; // byte order
  const A = elfClass === 2 ? 'Q' : 'I'; // address and size fields
  const numbers = { int64: 'number' } as const;
  const header = new Struct(`${E}HHI${A}${A}${A}IHHHHHH`, numbers);
  const [type, machine, , entry, , shoff, , , , , shentsize, shnum, shstrndx] = header.unpackFrom(
    data,
    16,
  );

  const sectionHeader = new Struct(`${E}II${A}${A}${A}${A}II${A}${A}`, numbers);
  const raw = Array.from({ length: shnum }, (_, i) =>
    sectionHeader.unpackFrom(data, shoff + i * shentsize),
  );
  /** The NUL-terminated name at `index` in the string table of section `table`. */
  const name = (table: number, index: number) => {
    reader.seek(raw[table][4] + index);
    return new TextDecoder().decode(reader.readCString());
  };
  const sections = raw.map(([nameIndex, kind, , , offset, size]) => ({
    name: name(shstrndx, nameIndex),
    type: kind,
    offset,
    size,
  }));

  // ELF32 and ELF64 order a symbol's fields differently: read each by its position.
  const symbol = new Struct(elfClass === 2 ? `${E}IBBH${A}${A}` : `${E}I${A}${A}BBH`, numbers);
  const [NAME, VALUE, SIZE, INFO, SHNDX] = elfClass === 2 ? [0, 4, 5, 1, 3] : [0, 1, 2, 3, 5];
  const symbols = [];
  for (const [i, [, kind, , , offset, size, link]] of raw.entries()) {
    if (kind !== SYMTAB && kind !== DYNSYM) continue;
    for (const s of symbol.iterUnpack(data.subarray(offset, offset + size))) {
      symbols.push({
        table: sections[i].name,
        name: name(link, s[NAME]),
        value: s[VALUE],
        size: s[SIZE],
        info: s[INFO],
        shndx: s[SHNDX],
      });
    }
  }
  const byteOrder = E === '<' ? 'little' : 'big';
  return { class: elfClass === 2 ? 64 : 32, byteOrder, type, machine, entry, sections, symbols };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(parseElf(readFileSync(process.argv[2]))));
}
