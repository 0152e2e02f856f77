"""The CPython twin of png.ts: the same reading with struct and memoryview.

Run: python3 examples/png.py FILE.png
"""

import json
import math
import struct
import sys
import zlib

SIGNATURE = bytes.fromhex("89504e470d0a1a0a")
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def parse_png(data):
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG file")
    pos = 8
    chunks, idat, header = [], [], ()
    while True:
        (length,) = struct.unpack_from(">I", data, pos)
        type_ = data[pos + 4 : pos + 8].decode("ascii")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        ok = zlib.crc32(data[pos + 4 : pos + 8 + length]) == crc
        chunks.append({"type": type_, "length": length, "crcOk": ok})
        pos += 12 + length
        if type_ == "IHDR":
            header = struct.unpack(">IIBBBBB", body)
        if type_ == "IDAT":
            idat.append(body)
        if type_ == "IEND":
            break
    width, height, bit_depth, color_type, _, _, interlace = header
    stride = math.ceil(width * CHANNELS[color_type] * bit_depth / 8)
    filters = first_row = None
    if interlace == 0:
        rows = memoryview(zlib.decompress(b"".join(idat))).cast("B", (height, 1 + stride))
        # CPython indexes a 2-D memoryview by (row, column) but cannot slice it.
        filters = [rows[i, 0] for i in range(height)]
        first_row = bytes(rows[0, j] for j in range(1, 1 + stride)).hex()
    return {
        "chunks": chunks,
        "width": width,
        "height": height,
        "bitDepth": bit_depth,
        "colorType": color_type,
        "interlace": interlace,
        "stride": stride,
        "filters": filters,
        "firstRow": first_row,
    }


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(json.dumps(parse_png(f.read())))
