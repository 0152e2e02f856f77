"""CPython side of bench/struct.bench.ts: the same 16 MiB of '<IHHd' records, the same loops.

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
where a Figure is {"value": median, "unit", "n", "min", "max", "check"?} as in
bench/harness.ts. Loop cases are in million records per second (one sample = one pass
over all records); per-call cases in ns per call (one sample = a batch of calls).

Timing: time.perf_counter around each sample, the cyclic GC off while timing (as timeit
does), one untimed warm-up pass first. Run with `PYENV_VERSION=3.13.0 python3`.
"""

import struct
import sys
from itertools import repeat
from pybench import figure, print_report, timed

FORMAT = "<IHHd"
RECORD_SIZE = 16
RECORDS = 1 << 20
BUFFER_SIZE = RECORD_SIZE * RECORDS
# The values packed by the per-call cases (the same constants on the Node side).
V0, V1, V2, V3 = 305419896, 513, 1027, 3.25
PACK_OFFSET = 64

LOOP_REPEATS = 7
CALL_REPEATS = 15
CALL_SAMPLE_SECONDS = 0.05


def make_records():
    """(i * 2654435761) mod 2**32, i & 0xffff, (i >> 4) & 0xffff, i + 0.25, little-endian."""
    out = bytearray(BUFFER_SIZE)
    pack_into = struct.Struct(FORMAT).pack_into
    for i in range(RECORDS):
        pack_into(out, i * RECORD_SIZE, (i * 2654435761) & 0xFFFFFFFF, i & 0xFFFF,
                  (i >> 4) & 0xFFFF, i + 0.25)
    return bytes(out)


def loops(buf):
    s = struct.Struct(FORMAT)

    def struct_unpack_from():
        uf = s.unpack_from
        total = 0
        for off in range(0, BUFFER_SIZE, RECORD_SIZE):
            total += uf(buf, off)[1]
        return total

    def struct_unpack_from_ring():
        uf = s.unpack_from
        ring = [None] * 1024
        total = 0
        for off in range(0, BUFFER_SIZE, RECORD_SIZE):
            r = uf(buf, off)
            ring[(off >> 4) & 1023] = r
            total += r[1]
        return total

    def module_unpack_from():
        uf = struct.unpack_from
        total = 0
        for off in range(0, BUFFER_SIZE, RECORD_SIZE):
            total += uf(FORMAT, buf, off)[1]
        return total

    def struct_iter_unpack():
        total = 0
        for r in s.iter_unpack(buf):
            total += r[1]
        return total

    return {
        "Struct.unpack_from": struct_unpack_from,
        "Struct.unpack_from.ring": struct_unpack_from_ring,
        "struct.unpack_from": module_unpack_from,
        "Struct.iter_unpack": struct_iter_unpack,
    }


def per_call():
    """Functions running a call n times, the loop as cheap as timeit's."""
    s = struct.Struct(FORMAT)
    target = bytearray(256)

    # Everything the loop body reads is a local (default argument), as in a timeit statement.
    def struct_pack(n, pack=s.pack, v0=V0, v1=V1, v2=V2, v3=V3):
        for _ in repeat(None, n):
            pack(v0, v1, v2, v3)

    def struct_pack_into(n, pack_into=s.pack_into, t=target, at=PACK_OFFSET, v0=V0, v1=V1,
                         v2=V2, v3=V3):
        for _ in repeat(None, n):
            pack_into(t, at, v0, v1, v2, v3)

    return {"Struct.pack": struct_pack, "Struct.pack_into": struct_pack_into}






def main():
    figures = {}
    if sys.version_info[:2] != (3, 13):
        # Not the interpreter the targets are set against: report the version, measure nothing.
        print_report(figures)
        return
    buf = make_records()
    for name, loop in loops(buf).items():
        loop()
        rates = []
        check = None
        for _ in range(LOOP_REPEATS):
            seconds, check = timed(loop)
            rates.append(RECORDS / seconds / 1e6)
        figures[name] = figure(rates, "M rec/s", check)
        print(f"  {name}: {figures[name]['value']:.1f} M rec/s", file=sys.stderr)
    for name, run in per_call().items():
        n = 1000
        while timed(run, n)[0] < CALL_SAMPLE_SECONDS:
            n *= 2
        times = [timed(run, n)[0] / n * 1e9 for _ in range(CALL_REPEATS)]
        figures[name] = figure(times, "ns/op")
        print(f"  {name}: {figures[name]['value']:.1f} ns/op", file=sys.stderr)
    print_report(figures)


if __name__ == "__main__":
    main()
