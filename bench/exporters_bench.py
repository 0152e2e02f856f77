"""CPython side of bench/exporters.bench.ts: appending records to a bytearray, for reference.

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
a Figure being {"value": median, "unit": "ns/op", "n", "min", "max", "check"?} as in
bench/harness.ts; an append case is in ns per append.

- append.bytearray.iadd: `ba += pool[i & 1023]` 1,048,576 times into a new bytearray (the
  same 1024 distinct 16-byte records as the Node side, as `bytes`);
- append.struct.pack.iadd: `ba += pack(v0[k], v1[k], v2[k], v3[k])` with a bound
  `Struct('<IHHd').pack`;
- export.memoryview.release: `memoryview(ba).release()`.

Timing: time.perf_counter around each pass (one untimed pass, then 7), the cyclic GC off
while timing; the per-call case in batches of at least 50 ms, 15 of them. A check is the
CRC-32 of the first 20,000 records of the result, or -1 when the whole result is not the
expected bytes. Run with `PYENV_VERSION=3.13.0 python3`.
"""

import struct
import zlib
from itertools import repeat
from pybench import figure, print_report, timed

RECORD = 16
APPENDS = 1 << 20
POOL = 1024
PREFIX = 20_000 * RECORD
LOOP_REPEATS = 7
CALL_REPEATS = 15
CALL_SAMPLE_SECONDS = 0.05

S = struct.Struct("<IHHd")
V0 = [(k * 2654435761) % (1 << 32) for k in range(POOL)]
V1 = [k & 0xFFFF for k in range(POOL)]
V2 = [(k >> 4) & 0xFFFF for k in range(POOL)]
V3 = [k + 0.25 for k in range(POOL)]
RECORDS = [S.pack(V0[k], V1[k], V2[k], V3[k]) for k in range(POOL)]
EXPECTED = b"".join(RECORDS) * (APPENDS // POOL)
EXPECTED_CRC = zlib.crc32(EXPECTED)






def check_of(result):
    ok = len(result) == len(EXPECTED) and zlib.crc32(result) == EXPECTED_CRC
    return zlib.crc32(bytes(result[:PREFIX])) if ok else -1


def iadd(pool=RECORDS, n=APPENDS, m=POOL - 1):
    ba = bytearray()
    for i in range(n):
        ba += pool[i & m]
    return ba


def pack_iadd(pack=S.pack, v0=V0, v1=V1, v2=V2, v3=V3, n=APPENDS, m=POOL - 1):
    ba = bytearray()
    for i in range(n):
        k = i & m
        ba += pack(v0[k], v1[k], v2[k], v3[k])
    return ba


def per_append(loop):
    loop()
    times = []
    result = None
    for _ in range(LOOP_REPEATS):
        seconds, result = timed(loop)
        times.append(seconds / APPENDS * 1e9)
    return figure(times, check=check_of(result))


def memoryview_release(n, ba=bytearray(EXPECTED[:1 << 20]), mv=memoryview):
    for _ in repeat(None, n):
        r = mv(ba)
        r.release()
    return r


def per_call(run):
    n = 1
    while timed(run, n)[0] < CALL_SAMPLE_SECONDS:
        n *= 2
    times = []
    for _ in range(CALL_REPEATS):
        seconds, _r = timed(run, n)
        times.append(seconds / n * 1e9)
    return figure(times)


def main():
    figures = {
        "append.bytearray.iadd": per_append(iadd),
        "append.struct.pack.iadd": per_append(pack_iadd),
        "export.memoryview.release": per_call(memoryview_release),
    }
    print_report(figures)


if __name__ == "__main__":
    main()
