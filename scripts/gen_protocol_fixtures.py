#!/usr/bin/env python3
"""Golden fixtures for memview's protocol layer (src/protocol), written to
test/fixtures/protocol/pep688.json.

Run with CPython 3.13 from the repository root:

    PYENV_VERSION=3.13.0 python3 scripts/gen_protocol_fixtures.py

Three oracles of PEP 688 as CPython 3.13 implements it:

- flags: `x.__buffer__(flags)` for bytes, bytearray and memoryviews of each, with flags of
  every type and size (`wrap_buffer` converts them: TypeError for a non-int, OverflowError
  beyond `int`, a C cast below it), recording the export's `readonly` or the exception;
- consumers: the flags each consumer passes to a Python class's `__buffer__` (memoryview,
  bytes, bytearray, struct, slice assignment, comparison, extend), and the calls made to
  its `__release_buffer__`;
- buffers: which values are buffers (`collections.abc.Buffer`, which checks `__buffer__`).

Values JSON cannot hold exactly are tagged as in the other generators: {"$bigint": "<dec>"}
for ints beyond 2**53 - 1 and {"$float": "nan"|"inf"} for non-finite floats; other floats
are written as {"$float": "<repr>"} too, so that 1.5 is never read back as an int.
"""

import collections.abc
import os
import struct
import sys

from fixturejson import grouped_fixture, write_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "protocol")
SAFE = 2**53 - 1


def encode(value):
    """A flags value as JSON: ints (tagged beyond 2**53 - 1), bools, floats, str, None."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if -SAFE <= value <= SAFE else {"$bigint": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    raise TypeError(value)


def outcome(fn):
    """The result of fn() as {"value": ...}, or CPython's exception as {"error", "message"}."""
    try:
        return {"value": fn()}
    except Exception as e:  # noqa: BLE001 - every exception is the oracle's answer
        return {"error": type(e).__name__, "message": str(e)}


EXPORTERS = {
    "bytes": lambda: b"abcd",
    "bytearray": lambda: bytearray(b"abcd"),
    "memoryview(bytes)": lambda: memoryview(b"abcd"),
    "memoryview(bytearray)": lambda: memoryview(bytearray(b"abcd")),
}

# PyBUF_READ and PyBUF_WRITE (0x100, 0x200) are left out: they are for
# PyMemoryView_GetContiguous, and bytearray.__buffer__(0x100) trips a CPython 3.13 bug
# ("deallocated bytearray object has exported buffers").
FLAG_VALUES = [
    0, 1, 4, 5, 8, 24, 28, 29, 56, 88, 152, 280, 284, 285,
    -1, -2, -(2**31), -(2**31) - 1, -(2**31) - 4, 2**31 - 1, 2**31, 2**32, 2**53,
    2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**100,
    True, False, 1.5, float("nan"), float("inf"), "x", None, b"",
]


def flags_group():
    cases = []
    for name, make in EXPORTERS.items():
        for flags in FLAG_VALUES:
            def export(make=make, flags=flags):
                with make().__buffer__(flags) as view:
                    return {"readonly": view.readonly}
            cases.append({"exporter": name, "flags": encode(flags), "expect": outcome(export)})
    return cases


class Logged:
    """A Python exporter that logs the flags it is asked with and the releases."""

    def __init__(self, log):
        self.log = log
        self.data = bytearray(b"\x01\x02\x03\x04")

    def __buffer__(self, flags):
        self.log.append(["buffer", flags])
        return memoryview(self.data)

    def __release_buffer__(self, view):
        self.log.append(["release"])
        view.release()


CONSUMERS = {
    "memoryview": lambda x: memoryview(x).release(),
    "bytes": bytes,
    "bytearray": bytearray,
    "struct.unpack": lambda x: struct.unpack("4B", x),
    "struct.unpack_from": lambda x: struct.unpack_from("B", x, 1),
    "struct.pack_into": lambda x: struct.pack_into("B", x, 0, 1),
    "struct.iter_unpack": lambda x: list(struct.iter_unpack("B", x)),
    "memoryview.__eq__": lambda x: memoryview(bytearray(4)) == x,
    "memoryview slice assignment": lambda x: memoryview(bytearray(4)).__setitem__(
        slice(None), x
    ),
    "bytearray.extend": lambda x: bytearray().extend(x),
}


def consumers_group():
    cases = []
    for name, consume in CONSUMERS.items():
        log = []
        result = outcome(lambda: (consume(Logged(log)), None)[1])
        # Releases happen when the last reference goes; CPython's refcounting has run them
        # by now.
        cases.append({"consumer": name, "log": log, "expect": result})
    return cases


class WithBuffer:
    def __buffer__(self, flags):
        return memoryview(b"")


class NoneBuffer:
    __buffer__ = None


BUFFERS = {
    "bytes": b"",
    "bytearray": bytearray(),
    "memoryview": memoryview(b""),
    "str": "",
    "list": [],
    "int": 0,
    "float": 0.5,
    "NoneType": None,
    "dict": {},
    "class with __buffer__": WithBuffer(),
    "class with __buffer__ = None": NoneBuffer(),
}


def buffers_group():
    return [
        {"value": name, "expect": isinstance(value, collections.abc.Buffer)}
        for name, value in BUFFERS.items()
    ]


def main():
    if sys.version_info[:2] != (3, 13):
        sys.exit("run under CPython 3.13: PYENV_VERSION=3.13.0 python3 " + sys.argv[0])
    os.makedirs(OUT, exist_ok=True)
    groups = {"flags": flags_group(), "consumers": consumers_group(), "buffers": buffers_group()}
    text = grouped_fixture(
        "CPython 3.13 golden PEP 688 fixtures: __buffer__ flag conversion, the flags each "
        "consumer asks with, and which values are buffers",
        "scripts/gen_protocol_fixtures.py",
        groups,
    )
    write_text(os.path.join(OUT, "pep688.json"), text)


if __name__ == "__main__":
    main()
