"""The CPython twin of zip.ts: the same reading with struct and memoryview.

Run: python3 examples/zip.py FILE.zip
"""

import json
import struct
import sys

END_OF_DIRECTORY = b"PK\x05\x06"
DIRECTORY_ENTRY = b"PK\x01\x02"
END_SIZE = 22
ENTRY = struct.Struct("<4sHHHHHHIIIHHHHHII")


def parse_zip(data):
    at = data.rfind(END_OF_DIRECTORY, max(0, len(data) - END_SIZE - 0xFFFF))
    if at < 0:
        raise ValueError("not a ZIP file (no end of central directory)")
    count, _, directory, comment_length = struct.unpack_from("<HIIH", data, at + 10)
    comment = bytes(data[at + END_SIZE : at + END_SIZE + comment_length]).decode("utf-8")
    pos = directory
    entries = []
    for _ in range(count):
        if data[pos : pos + 4] != DIRECTORY_ENTRY:
            raise ValueError("bad directory entry")
        (_, _, _, flags, method, time, date, crc, compressed_size, size, name_length,
         extra_length, entry_comment_length, _, _, _, offset) = ENTRY.unpack_from(data, pos)
        pos += ENTRY.size
        raw = bytes(data[pos : pos + name_length])
        name = raw.decode("utf-8" if flags & 0x800 else "latin-1")
        pos += name_length + extra_length + entry_comment_length
        modified = "%04d-%02d-%02d %02d:%02d:%02d" % (
            (date >> 9) + 1980, (date >> 5) & 15, date & 31,
            time >> 11, (time >> 5) & 63, (time & 31) * 2,
        )
        entries.append({
            "name": name, "method": method, "crc": crc, "compressedSize": compressed_size,
            "size": size, "offset": offset, "modified": modified,
        })
    return {"comment": comment, "entries": entries}


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(json.dumps(parse_zip(f.read())))
