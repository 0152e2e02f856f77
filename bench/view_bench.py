"""CPython side of bench/view.bench.ts: the same buffers, the same memoryview operations.

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
where a Figure is {"value": median, "unit", "n", "min", "max", "check"?} as in
bench/harness.ts. Every figure is in ns per operation; the element loops (mv[i] over 1M
doubles) in ns per element.

Timing: time.perf_counter around each sample, the cyclic GC off while timing (as timeit
does). An operation runs in batches sized to at least 50 ms (one untimed batch first), 15
of them, in a `for _ in itertools.repeat(None, n)` loop with everything it reads a local;
an element loop is one pass per sample, 7 of them after one untimed pass. The checksum is
taken from the last result: CRC-32 of its bytes, or the loop's sum, as on the Node side.
Run with `PYENV_VERSION=3.13.0 python3`.
"""

import sys
import zlib
from array import array
from itertools import repeat
from pybench import figure, print_report, timed

BLOCK = 65536
SMALL = 1 << 20
A = 1000
B = A + 4096
DOUBLES = 1 << 20
STEP = 10
WIDTH, HEIGHT = 1920, 1080
ROW0, COL0, SIDE = 100, 640, 200
CONTIGUOUS = 16 << 20
BIG = 100_000_000
TAIL = 1_000_000
LIVE = 100_000

CALL_REPEATS = 15
CALL_SAMPLE_SECONDS = 0.05
LOOP_REPEATS = 7


def pattern_bytes(n):
    """Byte i is (i * 131 + (i >> 8)) & 0xff: a 64 KiB block, tiled (as patternBytes in Node)."""
    block = bytes(((i * 131 + (i >> 8)) & 0xFF) for i in range(BLOCK))
    return (block * -(-n // BLOCK))[:n]


def crc(result):
    return zlib.crc32(result)


def crc_doubles(result):
    return zlib.crc32(array("d", result).tobytes())






def per_call(run):
    """run(n) performs the operation n times and returns the last result."""
    n = 1
    while timed(run, n)[0] < CALL_SAMPLE_SECONDS:
        n *= 2
    times = []
    result = None
    for _ in range(CALL_REPEATS):
        seconds, result = timed(run, n)
        times.append(seconds / n * 1e9)
    return times, result


def per_element(loop, elements):
    loop()
    times = []
    result = None
    for _ in range(LOOP_REPEATS):
        seconds, result = timed(loop)
        times.append(seconds / elements * 1e9)
    return times, result


# Each operation is a function of n running it n times, every name it reads a local
# (a default argument), as in a timeit statement; it returns its last result.

def slice_cases():
    mv = memoryview(bytearray(pattern_bytes(SMALL)))

    def slice_(n, mv=mv, a=A, b=B):
        for _ in repeat(None, n):
            r = mv[a:b]
        return r

    return [("slice", slice_, crc)]


def get_cases():
    mv = memoryview(array("d", [i + 0.25 for i in range(DOUBLES)]))
    strided = mv[::STEP]

    def contiguous(mv=mv):
        total = 0.0
        for i in range(len(mv)):
            total += mv[i]
        return total

    def strided_loop(s=strided):
        total = 0.0
        for i in range(len(s)):
            total += s[i]
        return total

    def tolist(n, mv=mv):
        for _ in repeat(None, n):
            r = mv.tolist()
        return r

    return [
        ("get.contiguous", contiguous, DOUBLES),
        ("get.strided", strided_loop, len(strided)),
        ("tolist", tolist, crc_doubles),
    ]


def to_bytes_cases():
    plane = memoryview(pattern_bytes(WIDTH * HEIGHT)).cast("B", (HEIGHT, WIDTH))
    cases = []
    try:
        from _testbuffer import PyBUF_FULL_RO, ndarray
    except ImportError:
        print("  roi.bytes: no _testbuffer, not measured", file=sys.stderr)
    else:
        # memoryview cannot slice in 2-D; _testbuffer's ndarray re-exports the 2-D view and can.
        roi = ndarray(plane, getbuf=PyBUF_FULL_RO)[ROW0:ROW0 + SIDE, COL0:COL0 + SIDE]

        def roi_bytes(n, roi=roi):
            for _ in repeat(None, n):
                r = bytes(roi)
            return r

        cases.append(("roi.bytes", roi_bytes, crc))
    whole = memoryview(bytearray(pattern_bytes(CONTIGUOUS)))

    def contiguous_tobytes(n, mv=whole):
        for _ in repeat(None, n):
            r = mv.tobytes()
        return r

    cases.append(("contiguous.tobytes", contiguous_tobytes, crc))
    return cases


def tail_cases():
    b = pattern_bytes(BIG)

    def view(n, b=b, mv=memoryview, t=-TAIL):
        for _ in repeat(None, n):
            r = mv(b)[t:]
        return r

    def copy(n, b=b, t=-TAIL):
        for _ in repeat(None, n):
            r = bytes(b[t:])
        return r

    return [("tail.view", view, crc), ("tail.copy", copy, crc)]


def export_cases():
    ba = bytearray(pattern_bytes(SMALL))
    mv = memoryview(ba)
    crowded = memoryview(bytearray(pattern_bytes(SMALL)))
    live = [crowded[i:i + 16] for i in range(LIVE)]

    def of_bytearray(n, ba=ba, mv=memoryview):
        for _ in repeat(None, n):
            r = mv(ba)
        return r

    def of_view(n, m=mv, mv=memoryview):
        for _ in repeat(None, n):
            r = mv(m)
        return r

    def slice_release(n, mv=mv, a=A, b=B):
        for _ in repeat(None, n):
            r = mv[a:b]
            r.release()
        return r

    def slice_live(n, mv=crowded, a=A, b=B, live=live):
        for _ in repeat(None, n):
            r = mv[a:b]
        return r

    return [
        ("export.memoryview", of_bytearray, crc),
        ("export.memoryview_of_view", of_view, crc),
        ("export.slice_release", slice_release, lambda r: 1 if "released" in repr(r) else 0),
        ("export.slice_live", slice_live, lambda r: crc(r) if len(live) == LIVE else -1),
    ]


def main():
    figures = {}
    if sys.version_info[:2] != (3, 13):
        # Not the interpreter the targets are set against: report the version, measure nothing.
        print_report(figures)
        return
    for group in (slice_cases, get_cases, to_bytes_cases, tail_cases, export_cases):
        for name, run, how in group():
            if isinstance(how, int):  # an element loop; `how` is its element count
                times, result = per_element(run, how)
                figures[name] = figure(times, check=result)
                each = "element"
            else:
                times, result = per_call(run)
                figures[name] = figure(times, check=how(result))
                each = "op"
            del result
            print(f"  {name}: {figures[name]['value']:.2f} ns/{each} "
                  f"(check {figures[name].get('check')})", file=sys.stderr)
    print_report(figures)


if __name__ == "__main__":
    main()
