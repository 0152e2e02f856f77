"""CPython side of bench/parsing.bench.ts: the same pipeline and column sums in CPython 3.13.

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
a Figure being {"value": median, "unit": "M rec/s", "n", "min", "max", "check"?} as in
bench/harness.ts (a record is one message or one field).

- pipeline.memoryview: 1,048,576 messages of `'<II'` (type, 1024) + a 1024-byte payload in
  one `bytes` (≈ 1.08 GB, the Node side's bytes); `t, n = unpack_from(b, p)` with a bound
  `Struct('<II').unpack_from`, then `mv[p + 8:p + 8 + n]` (a view); the check adds type,
  length and the payload's first and last byte, as on the Node side.
- pipeline.bytes.slice: the same with `b[p + 8:p + 8 + n]` (a copy).
- field3.cast.sum / field1.cast.sum: 1,048,576 `'<IHHd'` records; `sum(mv.cast('d')[1::2])`
  and `sum(mv.cast('H')[2::8])` (a strided memoryview: CPython's own column; the host is
  little-endian, so native 'd'/'H' are '<d'/'<H').
- numpy.field3.sum / numpy.field1.sum (information): `arr['f3'].sum()` over a structured
  array `np.frombuffer(b, dtype)`, measured by the default python3 (which has NumPy; 3.13
  here has not), run as a subprocess of this script with `--numpy`.

Timing: time.perf_counter around each pass (one untimed pass, then 7; NumPy: 15), the
cyclic GC off while timing. Run with `PYENV_VERSION=3.13.0 python3`.
"""

import json
import os
import platform
import struct
import subprocess
import sys
from pybench import figure, print_report, timed

PAT = 1024
MESSAGES = 1 << 20
HEADER = 8
PAYLOAD = 1024
MESSAGE = HEADER + PAYLOAD
RECORDS = 1 << 20
RECORD = 16
LOOP_REPEATS = 7
NUMPY_REPEATS = 15


def block():
    return bytes(((j & (PAT - 1)) * 131 + ((j & (PAT - 1)) >> 8)) & 0xFF for j in range(2 * PAT))


def type_of(i):
    return i % 5 + 1


def make_messages():
    b = block()
    out = bytearray(MESSAGES * MESSAGE)
    header = struct.Struct("<II")
    p = 0
    for i in range(MESSAGES):
        header.pack_into(out, p, type_of(i), PAYLOAD)
        k = i & (PAT - 1)
        out[p + HEADER:p + MESSAGE] = b[k:k + PAT]
        p += MESSAGE
    return bytes(out)


def make_records():
    s = struct.Struct("<IHHd")
    out = bytearray(RECORDS * RECORD)
    for i in range(RECORDS):
        s.pack_into(out, i * RECORD, (i * 2654435761) % (1 << 32), i & 0xFFFF, (i >> 4) & 0xFFFF,
                    i + 0.25)
    return bytes(out)




def rate_figure(loop, count, repeats=LOOP_REPEATS):
    loop()
    rates = []
    check = None
    for _ in range(repeats):
        seconds, check = timed(loop)
        rates.append(count / seconds / 1e6)
    return figure(rates, "M rec/s", check)


def pipeline_view(b):
    mv = memoryview(b)

    def loop(unpack_from=struct.Struct("<II").unpack_from, mv=mv, n=MESSAGES, h=HEADER):
        total = 0
        p = 0
        for _ in range(n):
            t, size = unpack_from(mv, p)
            payload = mv[p + h:p + h + size]
            p += h + size
            total += t + size + payload[0] + payload[size - 1]
        return total

    return loop


def pipeline_copy(b):
    def loop(unpack_from=struct.Struct("<II").unpack_from, b=b, n=MESSAGES, h=HEADER):
        total = 0
        p = 0
        for _ in range(n):
            t, size = unpack_from(b, p)
            payload = b[p + h:p + h + size]
            p += h + size
            total += t + size + payload[0] + payload[size - 1]
        return total

    return loop


def numpy_main():
    import numpy as np

    records = make_records()
    dtype = np.dtype([("f0", "<u4"), ("f1", "<u2"), ("f2", "<u2"), ("f3", "<f8")])
    arr = np.frombuffer(records, dtype=dtype)
    figures = {
        "numpy.field3.sum": rate_figure(lambda: float(arr["f3"].sum()), RECORDS, NUMPY_REPEATS),
        "numpy.field1.sum": rate_figure(lambda: int(arr["f1"].sum()), RECORDS, NUMPY_REPEATS),
    }
    for f in figures.values():
        f["python"] = platform.python_version()
        f["numpy"] = np.__version__
    print(json.dumps(figures))


def numpy_figures():
    """NumPy's figures from the default python3 (`NUMPY_PYTHON` to choose another), or none."""
    env = {k: v for k, v in os.environ.items() if k != "PYENV_VERSION"}
    # pyenv runs this script with its 3.13 bin folder first on PATH: drop it, so that
    # `python3` is the default interpreter again.
    path = os.environ.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(d for d in path if "/.pyenv/versions/" not in d)
    python = os.environ.get("NUMPY_PYTHON", "python3")
    try:
        done = subprocess.run([python, __file__, "--numpy"], env=env, capture_output=True,
                              text=True, timeout=600, check=True)
        return json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        print(f"  numpy not measured: {error}", file=sys.stderr)
        return {}


def main():
    figures = {}
    records = make_records()
    mv = memoryview(records)
    col3 = mv.cast("d")[1::2]
    col1 = mv.cast("H")[2::8]
    figures["field3.cast.sum"] = rate_figure(lambda: sum(col3), RECORDS)
    figures["field1.cast.sum"] = rate_figure(lambda: sum(col1), RECORDS)
    del col3, col1, mv, records
    b = make_messages()
    figures["pipeline.memoryview"] = rate_figure(pipeline_view(b), MESSAGES)
    figures["pipeline.bytes.slice"] = rate_figure(pipeline_copy(b), MESSAGES)
    del b
    figures.update(numpy_figures())
    print_report(figures)


if __name__ == "__main__":
    if sys.argv[1:] == ["--numpy"]:
        numpy_main()
    else:
        main()
