"""The CPython twin of elf.ts: the same reading with struct and memoryview.

Run: python3 examples/elf.py FILE
"""

import json
import struct
import sys

SYMTAB, DYNSYM = 2, 11


def parse_elf(data):
    magic, elf_class, order = struct.unpack_from("4sBB", data, 0)
    if magic != b"\x7fELF":
        raise ValueError("not an ELF file")
    e = "<" if order == 1 else ">"
    a = "Q" if elf_class == 2 else "I"
    header = struct.Struct(f"{e}HHI{a}{a}{a}IHHHHHH")
    type_, machine, _, entry, _, shoff, _, _, _, _, shentsize, shnum, shstrndx = (
        header.unpack_from(data, 16)
    )
    section_header = struct.Struct(f"{e}II{a}{a}{a}{a}II{a}{a}")
    raw = [section_header.unpack_from(data, shoff + i * shentsize) for i in range(shnum)]

    def name(table, index):
        start = raw[table][4] + index
        end = data.index(b"\0", start)
        return bytes(data[start:end]).decode("utf-8", "replace")

    sections = [
        {"name": name(shstrndx, r[0]), "type": r[1], "offset": r[4], "size": r[5]} for r in raw
    ]
    symbol = struct.Struct(f"{e}IBBH{a}{a}" if elf_class == 2 else f"{e}I{a}{a}BBH")
    NAME, VALUE, SIZE, INFO, SHNDX = (0, 4, 5, 1, 3) if elf_class == 2 else (0, 1, 2, 3, 5)
    symbols = []
    for i, (_, kind, _, _, offset, size, link, _, _, _) in enumerate(raw):
        if kind not in (SYMTAB, DYNSYM):
            continue
        for s in symbol.iter_unpack(memoryview(data)[offset : offset + size]):
            symbols.append({
                "table": sections[i]["name"], "name": name(link, s[NAME]), "value": s[VALUE],
                "size": s[SIZE], "info": s[INFO], "shndx": s[SHNDX],
            })
    return {
        "class": 64 if elf_class == 2 else 32, "byteOrder": "little" if e == "<" else "big",
        "type": type_, "machine": machine, "entry": entry, "sections": sections,
        "symbols": symbols,
    }


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(json.dumps(parse_elf(f.read())))
