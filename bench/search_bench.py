"""CPython side of bench/search.bench.ts: bytes.find, bytes.rfind and bytes.count on the
same 64 MiB haystack (a 64 KiB block of LCG bytes in 0..253, repeated, with the needles
00 fe..fe in its first 16 bytes and 00 ff..ff in its last 16).

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
a Figure being {"value": median, "unit": "GB/s", "n", "min", "max", "check"} as in
bench/harness.ts; the check is the result (an index or a count). Timing: one untimed call,
then 7 timed ones, the cyclic GC off. Run with `PYENV_VERSION=3.13.0 python3`.
"""

from pybench import figure, print_report, timed

BLOCK = 1 << 16
SIZE = 64 << 20
REPEATS = 7


def haystack():
    block = bytearray(BLOCK)
    x = 2024
    for i in range(BLOCK):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        block[i] = (x >> 16) % 254
    data = bytearray(bytes(block) * (SIZE // BLOCK))
    data[:16] = b"\x00" + b"\xfe" * 15
    data[-16:] = b"\x00" + b"\xff" * 15
    return bytes(data)


def rate(run, size=SIZE):
    run()
    values = []
    result = None
    for _ in range(REPEATS):
        seconds, result = timed(run)
        values.append(size / seconds / 1e9)
    return figure(values, unit="GB/s", check=result)


def main():
    data = haystack()
    end = b"\x00" + b"\xff" * 15
    start = b"\x00" + b"\xfe" * 15
    figures = {
        "search.find16.bytes": rate(lambda: data.find(end)),
        "search.rfind16.bytes": rate(lambda: data.rfind(start)),
        "search.count1.bytes": rate(lambda: data.count(0x41)),
    }
    print_report(figures)


if __name__ == "__main__":
    main()
