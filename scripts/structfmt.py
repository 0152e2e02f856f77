"""Reading struct formats the way the fixture generators need: which values a format
packs, and which of them memview hands out as bigints."""

import struct

# Integer codes, and P (a pointer, unpacked as an int).
INT_CODES = "bBhHiIlLqQnNP"


def value_codes(fmt):
    """For a valid format: one (code, wide) per value it packs, in order. `wide` is true
    for 8-byte integer codes (bigint in JS)."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("ascii")
    prefix = ""
    if fmt[:1] in "@=<>!" and fmt:
        prefix, fmt = fmt[0], fmt[1:]
    out = []
    count = ""
    for ch in fmt:
        if ch.isdigit():
            count += ch
            continue
        if ch in " \t\n\r\x0b\x0c":
            continue
        n = int(count) if count else 1
        count = ""
        if ch == "x":
            continue
        wide = ch in INT_CODES and struct.calcsize(prefix + ch) == 8
        if ch in "sp":
            out.append((ch, False))
        else:
            out.extend([(ch, wide)] * n)
    return out
