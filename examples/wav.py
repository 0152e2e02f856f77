"""The CPython twin of wav.ts: the same reading with struct and memoryview.

Run: python3 examples/wav.py FILE.wav
"""

import json
import struct
import sys

# CPython casts to native formats only: 'h' and 'i' read little-endian WAV samples on a
# little-endian host (the machines this runs on).
SAMPLE = {8: "B", 16: "h", 32: "i"}


def parse_wav(data):
    riff, _, wave = struct.unpack_from("<4sI4s", data, 0)
    if riff + wave != b"RIFFWAVE":
        raise ValueError("not a WAV file")
    pos = 12
    chunks, fmt, samples = [], (), None
    while len(data) - pos >= 8:
        id_, size = struct.unpack_from("<4sI", data, pos)
        pos += 8
        name = id_.decode("latin-1")
        chunks.append(name)
        if name == "fmt ":
            fmt = struct.unpack_from("<HHIIHH", data, pos)
        elif name == "data":
            samples = memoryview(data)[pos : pos + size]
        pos += size
        if pos > len(data):
            raise EOFError("chunk passes the end of the file")
        if pos < len(data):
            pos += pos & 1
    format_, channels, rate, _, _, bits = fmt
    frames = len(samples) // (channels * bits // 8)
    columns = None
    code = SAMPLE.get(bits)
    if code is not None:
        flat = samples[: frames * channels * bits // 8].cast(code)
        columns = []
        for c in range(channels):
            column = flat[c::channels]  # a strided 1-D view: channel c
            values = column.tolist()
            columns.append(
                {"min": min(values), "max": max(values), "sum": sum(values), "first": values[:4]}
            )
    return {
        "chunks": chunks,
        "format": format_,
        "channels": channels,
        "rate": rate,
        "bits": bits,
        "frames": frames,
        "columns": columns,
    }


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(json.dumps(parse_wav(f.read())))
