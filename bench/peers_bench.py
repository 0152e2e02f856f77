"""CPython side of bench/peers.bench.ts: the same 24-format record stream, pack of '<IHHd'
and a 13-value ELF header per call, pack_into of the same formats in a loop of 64 Ki records
(as bench/peers-pack.ts), memoryview.tolist() of 1M doubles, and the same ELF parser written
with `struct`. Prints the figures as JSON (see pybench.py); checksums match the Node
side's. Run with `PYENV_VERSION=3.13.0 python3`.

Loop cases: 1 untimed pass, then 7 timed passes (M rec/s); per-call cases: 15 batches of at
least 50 ms (ns per call); the cyclic GC off while timing.
"""

import os
import re
import stat
import struct
import sys
import zlib
from array import array
from itertools import repeat
from pybench import figure, print_report, timed

FORMATS = [
    "<IHHiIII", "<IIII", ">BBHHHBBHII", ">HHHH", ">HHIIBBHHH", "<HHIIIIIHHHHHH", "<10I", "<8I",
    "<IIIBBH", "<IBBHQQ", "<IIi", "<iI", "<IIIHHd", "<fffhhBBB?", "<HHbB", "<8h", "<IHHd",
    "<HHIIHH", "<IiiHHIIiiII", ">IIBBBBB", "<IHHHHHIIIHH", "<HHBBB", "<3d", "<hh",
]
STREAM_RECORDS = 1 << 17
IHHD_VALUES = (305419896, 513, 1027, 3.25)
ELF_HEADER = "<HHIIIIIHHHHHH"
ELF_VALUES = (2, 62, 1, 0x401000, 52, 123456, 0, 52, 32, 9, 40, 31, 30)
PACK_RECORDS = 1 << 16
DOUBLES = 1 << 20

LOOP_REPEATS = 7
CALL_REPEATS = 15
CALL_SAMPLE_SECONDS = 0.05


def codes_of(fmt):
    out = []
    for count, code in re.findall(r"(\d*)([a-zA-Z?])", fmt[1:]):
        out.extend(code * (int(count) if count else 1))
    return out


def field_value(code, k, j):
    """As fieldValue in bench/peers-formats.ts."""
    base = k * 131 + j * 17
    u32 = (k * 2654435761 + j) & 0xFFFFFFFF
    if code == "B":
        return base & 0xFF
    if code == "b":
        return (base & 0xFF) - 128
    if code == "H":
        return base & 0xFFFF
    if code == "h":
        return (base & 0xFFFF) - 32768
    if code == "I":
        return u32
    if code == "i":
        return u32 - (1 << 32) if u32 >= 1 << 31 else u32
    if code == "Q":
        return k * 1000003 + j
    if code == "f":
        return ((k + j) & 1023) + 0.5
    if code == "d":
        return k + j + 0.25
    if code == "?":
        return (k + j) & 1 == 1
    raise ValueError(code)


def stream_kinds():
    kinds = []
    state = 1
    for _ in range(STREAM_RECORDS):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        kinds.append((state >> 16) % len(FORMATS))
    return kinds


def make_stream():
    structs = [struct.Struct(f) for f in FORMATS]
    codes = [codes_of(f) for f in FORMATS]
    kinds = stream_kinds()
    values = [tuple(field_value(c, k, j) for j, c in enumerate(codes[kind]))
              for k, kind in enumerate(kinds)]
    size = sum(structs[kind].size for kind in kinds)
    out = bytearray(size)
    off = 0
    for kind, v in zip(kinds, values):
        structs[kind].pack_into(out, off, *v)
        off += structs[kind].size
    return kinds, values, bytes(out), structs, size


def stream_unpack(data, kinds, structs):
    unpackers = [(s.unpack_from, s.size) for s in structs]
    total = 0
    off = 0
    for kind in kinds:
        uf, size = unpackers[kind]
        r = uf(data, off)
        total += r[0] + r[-1]
        off += size
    return total


def stream_pack_into(kinds, values, structs, size):
    packers = [(s.pack_into, s.size) for s in structs]
    out = bytearray(size)
    off = 0
    for kind, v in zip(kinds, values):
        pi, n = packers[kind]
        pi(out, off, *v)
        off += n
    return out


def pack_columns(fmt):
    """As packColumns in bench/peers-pack.ts: one list per value, field_value(code, k, j)."""
    return [[field_value(c, k, j) for k in range(PACK_RECORDS)]
            for j, c in enumerate(codes_of(fmt))]


def pack_into_ihhd(s, buf, cols):
    """As memviewPackIHHd: PACK_RECORDS records from columns at advancing offsets."""
    pack_into = s.pack_into
    off = 0
    for a, b, c, d in zip(*cols):
        pack_into(buf, off, a, b, c, d)
        off += 16


def pack_into_elf(s, buf, cols):
    """As memviewPackElf: 13 values per record."""
    pack_into = s.pack_into
    off = 0
    for a, b, c, d, e, f, g, h, i, j, k, l, m in zip(*cols):
        pack_into(buf, off, a, b, c, d, e, f, g, h, i, j, k, l, m)
        off += 36


# --- the ELF parser (as parseElf in bench/peers-elf.ts) ---------------------------------

ELF_DIR = "/usr/bin"
ELF_FILES = 48
MIN_SIZE = 64 * 1024
MAX_SIZE = 16 * 1024 * 1024
MAGIC = b"\x7fELF\x02\x01"
GENERATED_SYMBOLS = 20_000


def find_elf_files():
    try:
        names = sorted(os.listdir(ELF_DIR))
    except OSError:
        return []
    found = []
    for name in names:
        if len(found) == ELF_FILES:
            break
        path = os.path.join(ELF_DIR, name)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or not MIN_SIZE <= st.st_size <= MAX_SIZE:
                continue
            with open(path, "rb") as f:
                if f.read(len(MAGIC)) == MAGIC:
                    found.append(path)
        except OSError:
            pass
    return found


def generated_elf():
    shstr = b"\0.shstrtab\0.strtab\0.symtab\0"
    names = []
    parts = [b"\0"]
    length = 1
    for k in range(GENERATED_SYMBOLS):
        s = b"sym_%d\0" % k
        names.append(length)
        parts.append(s)
        length += len(s)
    strtab = b"".join(parts)
    shstr_off = 64
    str_off = shstr_off + len(shstr)
    sym_off = (str_off + len(strtab) + 7) & ~7
    sym_size = 24 * GENERATED_SYMBOLS
    sh_off = sym_off + sym_size
    out = bytearray(sh_off + 4 * 64)
    out[0:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HHI", out, 16, 2, 62, 1)
    struct.pack_into("<Q", out, 40, sh_off)
    struct.pack_into("<H", out, 52, 64)
    struct.pack_into("<HHH", out, 58, 64, 4, 1)
    out[shstr_off:shstr_off + len(shstr)] = shstr
    out[str_off:str_off + len(strtab)] = strtab
    for k in range(GENERATED_SYMBOLS):
        struct.pack_into("<IBBHQQ", out, sym_off + 24 * k, names[k], 0x12 if k % 3 == 0 else 0x11,
                         0, 1, 0x401000 + 16 * k, k % 97)
    sections = [(0, 0, 0, 0, 0, 0), (1, 3, shstr_off, len(shstr), 0, 0),
                (11, 3, str_off, len(strtab), 0, 0), (19, 2, sym_off, sym_size, 2, 24)]
    for i, (name, typ, offset, size, link, entsize) in enumerate(sections):
        o = sh_off + 64 * i
        struct.pack_into("<II", out, o, name, typ)
        struct.pack_into("<QQI", out, o + 24, offset, size, link)
        struct.pack_into("<Q", out, o + 56, entsize)
    return bytes(out)


EHDR = struct.Struct("<HHIQQQIHHHHHH")
SHDR = struct.Struct("<IIQQQQIIQQ")
SYM = struct.Struct("<IBBHQQ")
SHT_SYMTAB = 2
SHT_DYNSYM = 11


def parse_elf(data):
    """(checksum, records) of one file: every section header and every symbol."""
    _, _, _, _, _, shoff, _, _, _, _, shentsize, shnum, _ = EHDR.unpack_from(data, 16)
    sections = []
    total = 0
    for i in range(shnum):
        name, typ, _, _, offset, size, link, info, _, entsize = SHDR.unpack_from(
            data, shoff + i * shentsize)
        total += name + typ + link + info + size
        sections.append((typ, offset, size, link, entsize))
    records = shnum
    for typ, offset, size, link, entsize in sections:
        if typ not in (SHT_SYMTAB, SHT_DYNSYM) or entsize == 0:
            continue
        strings = sections[link][1]
        for off in range(offset, offset + size, entsize):
            name, info, other, shndx, value, sym_size = SYM.unpack_from(data, off)
            start = strings + name
            name_length = data.index(b"\0", start) - start
            total += name + info + other + shndx + sym_size + name_length + (value != 0)
            records += 1
    return total, records


def parse_all(files):
    total = 0
    for data in files:
        total += parse_elf(data)[0]
    return total


def loop_figure(figures, name, fn, records, *args):
    fn(*args)
    rates = []
    check = None
    for _ in range(LOOP_REPEATS):
        seconds, check = timed(fn, *args)
        rates.append(records / seconds / 1e6)
    figures[name] = figure(rates, "M rec/s", check)
    print(f"  {name}: {figures[name]['value']:.2f} M rec/s", file=sys.stderr)


def call_figure(figures, name, run, check=None):
    n = 1000
    while timed(run, n)[0] < CALL_SAMPLE_SECONDS:
        n *= 2
    times = [timed(run, n)[0] / n * 1e9 for _ in range(CALL_REPEATS)]
    figures[name] = figure(times, "ns/op", check)
    print(f"  {name}: {figures[name]['value']:.1f} ns/op", file=sys.stderr)


def main():
    figures = {}
    if sys.version_info[:2] != (3, 13):
        print_report(figures)
        return
    kinds, values, data, structs, size = make_stream()
    loop_figure(figures, "stream.unpack_from", stream_unpack, STREAM_RECORDS, data, kinds,
                structs)
    out = stream_pack_into(kinds, values, structs, size)
    assert bytes(out) == data
    loop_figure(figures, "writer.pack_into",
                lambda: len(stream_pack_into(kinds, values, structs, size)), STREAM_RECORDS)
    # The check is the CRC-32 of the bytes written, as on the Node side.
    figures["writer.pack_into"]["check"] = zlib.crc32(out)

    small = struct.Struct("<IHHd")
    elf = struct.Struct(ELF_HEADER)

    def pack_small(n, pack=small.pack, v=IHHD_VALUES):
        a, b, c, d = v
        for _ in repeat(None, n):
            pack(a, b, c, d)

    def pack_elf(n, pack=elf.pack, v=ELF_VALUES):
        a, b, c, d, e, f, g, h, i, j, k, l, m = v
        for _ in repeat(None, n):
            pack(a, b, c, d, e, f, g, h, i, j, k, l, m)

    call_figure(figures, "pack.IHHd", pack_small)
    call_figure(figures, "pack.elf", pack_elf)
    for name, s, loop in (("IHHd", small, pack_into_ihhd), ("elf", elf, pack_into_elf)):
        cols = pack_columns(s.format)
        buf = bytearray(s.size * PACK_RECORDS)
        loop_figure(figures, f"pack_into.{name}", loop, PACK_RECORDS, s, buf, cols)
        # The check is the CRC-32 of the bytes written, as on the Node side.
        figures[f"pack_into.{name}"]["check"] = zlib.crc32(buf)

    mv = memoryview(array("d", [i + 0.25 for i in range(DOUBLES)]))
    lst = mv.tolist()

    def tolist(n, tl=mv.tolist):
        for _ in repeat(None, n):
            tl()

    times = []
    for _ in range(CALL_REPEATS):
        times.append(timed(tolist, 1)[0] * 1e9)
    figures["tolist"] = figure(times, "ns/op", sum(lst))
    print(f"  tolist: {figures['tolist']['value'] / 1e6:.2f} ms", file=sys.stderr)

    paths = find_elf_files()
    files = [open(p, "rb").read() for p in paths] if paths else [generated_elf()]
    print(f"  ELF input: {' '.join(paths) if paths else 'generated'}", file=sys.stderr)
    records = sum(parse_elf(f)[1] for f in files)
    loop_figure(figures, "elf.struct", parse_all, records, files)
    print_report(figures)


if __name__ == "__main__":
    main()
