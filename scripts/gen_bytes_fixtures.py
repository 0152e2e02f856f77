#!/usr/bin/env python3
"""Fixtures for the methods of memview's `Bytes` and `ByteArray` that are Python's `bytes`
and `bytearray` methods (find, rfind, index, rindex, count, startswith, endswith,
partition, rpartition, split, rsplit, join, strip, lstrip, rstrip), for
`intFromBytes` / `intToBytes` (`int.from_bytes`, `int.to_bytes`), and for
`Bytes.fromLatin1` (`str.encode('latin-1')`).

Run with CPython 3.13 from the repository root:

    PYENV_VERSION=3.13.0 python3 scripts/gen_bytes_fixtures.py

It writes test/fixtures/bytes/methods.json. Every method case runs on `bytes` and on
`bytearray` receivers here, and the two must agree (up to the type of the bytes returned);
the tests run each case on Bytes, ByteArray and (search methods) MemoryView.

Encoding of values (arguments and results):
- int: a JSON number when |n| < 2**53, else {"int": "digits"}; bool: JSON true/false;
- None: null; float: {"float": x}; str: {"str": text};
- bytes: {"bytes": hex}; bytearray: {"bytearray": hex}; a non-contiguous memoryview
  (every other byte of a longer buffer): {"strided": hex of its bytes};
- tuple: {"tuple": [...]} (a JavaScript array); list: {"list": [...]} (an array too, so
  lists are only used where Python takes any iterable);
- an exception: {"error": class name, "message": str(exc)}.
"""

import os
import random

from fixturejson import grouped_fixture, write_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 3118


class Strided:
    """A memoryview that is not C-contiguous: every other byte of a buffer."""

    def __init__(self, data):
        self.data = bytes(data)

    def make(self):
        buf = bytearray(2 * len(self.data))
        buf[::2] = self.data
        buf[1::2] = b"\xee" * len(self.data)
        return memoryview(bytes(buf))[::2]


def enc(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else {"int": str(v)}
    if v is None:
        return None
    if isinstance(v, float):
        return {"float": v}
    if isinstance(v, str):
        return {"str": v}
    if isinstance(v, bytearray):
        return {"bytearray": v.hex()}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, Strided):
        return {"strided": v.data.hex()}
    if isinstance(v, tuple):
        return {"tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return {"list": [enc(x) for x in v]}
    raise TypeError(repr(v))


def live(v):
    """The Python argument an encoded-able value stands for."""
    if isinstance(v, Strided):
        return v.make()
    if isinstance(v, tuple):
        return tuple(live(x) for x in v)
    if isinstance(v, list):
        return [live(x) for x in v]
    return v


def result(v):
    """A result, bytearrays reported as bytes (the test checks the receiver's type)."""
    if isinstance(v, (bytes, bytearray)):
        return {"bytes": bytes(v).hex()}
    if isinstance(v, tuple):
        return {"tuple": [result(x) for x in v]}
    if isinstance(v, list):
        return {"list": [result(x) for x in v]}
    return enc(v)


def outcome(fn):
    try:
        return result(fn())
    except Exception as e:  # noqa: BLE001 - every exception is an expected outcome
        return {"error": type(e).__name__, "message": str(e)}


def method_case(recv, method, args):
    out = []
    for kind in (bytes, bytearray):
        r = kind(recv)
        out.append(outcome(lambda: getattr(r, method)(*[live(a) for a in args])))
    assert out[0] == out[1], (recv, method, args, out)
    return {"recv": recv.hex(), "method": method, "args": [enc(a) for a in args],
            "expect": out[0]}


BOUNDS = [None, 0, 1, 2, 3, 5, -1, -2, -3, -5, -100, 100, 2**63 - 1, -(2**63), 2**80, -(2**80)]
ALPHABET = b"ab \t\n\x00\xff"


def rand_bytes(rng, lo, hi, alphabet=ALPHABET):
    return bytes(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def search_cases(rng):
    cases = []
    recvs = [b"", b"a", b"abc", b"abcabc", b"aaaa", b"abababa", b"hello world", b"\x00\xff\x00",
             b"aaab", b"baaa"]
    subs = [b"", b"a", b"b", b"ab", b"ba", b"abc", b"aa", b"aaa", b"d", b"\x00", b"\xff",
            bytearray(b"ab"), Strided(b"ab"), 97, 0, 255, True, 256, -1, 2**70, 1.5, "a",
            None, [97]]
    methods = ["find", "rfind", "index", "rindex", "count"]
    for recv in recvs:
        for sub in subs:
            for m in methods:
                cases.append(method_case(recv, m, [sub]))
    for _ in range(1000):
        recv = rand_bytes(rng, 0, 12, b"ab\x00")
        sub = rand_bytes(rng, 0, 3, b"ab\x00")
        m = rng.choice(methods)
        args = [sub if rng.random() < 0.85 else rng.choice([97, 98, 0])]
        n = rng.choice([0, 1, 1, 2, 2])
        args += [rng.choice(BOUNDS) for _ in range(n)]
        cases.append(method_case(recv, m, args))
    # Argument errors, and which is reported first.
    for m in methods:
        for args in ([b"a", 1.5], [b"a", "x"], [b"a", 0, 1.5], ["a", 1.5], [1.5, 0, "x"],
                     [256, 1.5], [b"a", None, None], [b"a", True], [Strided(b"a"), 1.5]):
            cases.append(method_case(b"abcabc", m, args))
    return cases


def affix_cases(rng):
    cases = []
    recvs = [b"", b"a", b"abc", b"abcabc", b"hello world"]
    affixes = [b"", b"a", b"ab", b"abc", b"c", b"bc", b"abcd", b"x", bytearray(b"ab"),
               Strided(b"ab"), (), (b"x",), (b"x", b"a"), (b"c", b"a"), (b"x", "a"),
               (b"a", "a"), (b"x", 97), (b"x", Strided(b"a")), "a", 97, None, 1.5]
    for recv in recvs:
        for affix in affixes:
            for m in ("startswith", "endswith"):
                cases.append(method_case(recv, m, [affix]))
    for _ in range(500):
        recv = rand_bytes(rng, 0, 8, b"ab")
        affix = rand_bytes(rng, 0, 3, b"ab")
        if rng.random() < 0.2:
            affix = tuple(rand_bytes(rng, 0, 2, b"ab") for _ in range(rng.randint(0, 3)))
        args = [affix] + [rng.choice(BOUNDS) for _ in range(rng.choice([0, 1, 2, 2]))]
        cases.append(method_case(recv, rng.choice(["startswith", "endswith"]), args))
    for m in ("startswith", "endswith"):
        for args in ([b"a", 1.5], ["a", 1.5], [b"a", 0, "x"], [(b"a", "x"), 1.5]):
            cases.append(method_case(b"abc", m, args))
    return cases


def split_cases(rng):
    cases = []
    recvs = [b"", b" ", b"a", b"a b", b"  a  b  ", b"a,b,,c,", b",a,", b"a\tb\nc\x0bd\x0ce\rf",
             b"a\x1cb\x85c\xa0d", b"abcabcab", b"aaaa", b"  leading", b"trailing  "]
    seps = [None, b",", b" ", b"ab", b"aa", b"abc", b"x", bytearray(b","), b"", "x", 44,
            Strided(b","), 1.5]
    for recv in recvs:
        for sep in seps:
            for m in ("split", "rsplit"):
                cases.append(method_case(recv, m, [sep]))
                for maxsplit in (0, 1, 2, -5):
                    cases.append(method_case(recv, m, [sep, maxsplit]))
            # (bytearray.partition copies a non-contiguous separator that bytes refuses.)
            for m in ("partition", "rpartition"):
                if not isinstance(sep, Strided):
                    cases.append(method_case(recv, m, [sep]))
    for m in ("split", "rsplit"):
        for args in ([None, 1.5], [None, None], [None, "x"], [None, 2**70], [None, -(2**70)],
                     ["x", 1.5], [b"", 1.5], [b"", 2**70], [None, 2**63 - 1], [None, True]):
            cases.append(method_case(b"a b c", m, args))
    for _ in range(400):
        recv = rand_bytes(rng, 0, 12, b"ab ,\t")
        m = rng.choice(["split", "rsplit", "partition", "rpartition"])
        sep = rng.choice([None, b",", b" ", b"a", b"ab", b", "])
        if m in ("partition", "rpartition"):
            args = [sep if sep is not None else b"a"]
        else:
            args = [sep] + ([rng.randint(-1, 4)] if rng.random() < 0.6 else [])
        cases.append(method_case(recv, m, args))
    return cases


def strip_cases(rng):
    cases = []
    recvs = [b"", b"   ", b"  a b  ", b"\t\n\x0b\x0c\r a \x1c\x85\xa0", b"xxaxx", b"abcba",
             b"\x00a\x00"]
    chars = [None, b"", b"x", b"ab", b"a", b"\x00", b" ", bytearray(b"x"), Strided(b"x"), "x",
             120, 1.5]
    for recv in recvs:
        for c in chars:
            for m in ("strip", "lstrip", "rstrip"):
                cases.append(method_case(recv, m, [c]))
                if c is None:
                    cases.append(method_case(recv, m, []))
    for _ in range(200):
        recv = rand_bytes(rng, 0, 10, b"ab \n")
        m = rng.choice(["strip", "lstrip", "rstrip"])
        cases.append(method_case(recv, m, [rng.choice([None, b"a", b"ab", b" ", b"b \n"])]))
    return cases


def join_cases():
    cases = []
    for sep in (b"", b"-", b", "):
        for items in ([], [b"a"], [b"a", b"b"], [b"", b""], [b"a", bytearray(b"b"), b"c"],
                      [b"a", 1], [b"a", "b"], ["a"], [b"a", Strided(b"b")], [b"a", None],
                      (b"x", b"y"), [b"a", [98]]):
            cases.append(method_case(sep, "join", [items]))
        for bad in (1, None, 1.5):
            cases.append(method_case(sep, "join", [bad]))
    return cases


def int_cases(rng):
    from_cases = []
    datas = [b"", b"\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\x01\x02", b"\xff\xfe",
             b"\x00\x80", b"\x80\x00", b"\xff" * 7, b"\xff" * 8, b"\x80" + b"\x00" * 7,
             b"\x7f" + b"\xff" * 7, b"\x01" * 9, bytes(range(1, 20)), b"\xff" * 3,
             b"\x12\x34\x56"]
    for _ in range(20):
        datas.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 17))))
    for d in datas:
        for order in ("little", "big"):
            for signed in (False, True):
                from_cases.append({
                    "source": enc(d), "order": order, "signed": signed,
                    "expect": outcome(lambda: int.from_bytes(d, order, signed=signed)),
                })
    bad_sources = [bytearray(b"\x01\x02"), [1, 2], [1, 256], [1, -1], (1, 2), "ab", 5, None,
                   Strided(b"\x01\x02"), [1.5], ["a"], [True, False]]
    for src in bad_sources:
        from_cases.append({
            "source": enc(src), "order": "big", "signed": False,
            "expect": outcome(lambda: int.from_bytes(live(src), "big")),
        })
    for order in ("middle", "", "Little", 5, None):
        from_cases.append({
            "source": enc(b"\x01"), "order": enc(order), "signed": False,
            "expect": outcome(lambda: int.from_bytes(b"\x01", order)),
        })

    to_cases = []
    ns = [0, 1, -1, 127, 128, -128, -129, 255, 256, -256, 65535, 65536, -32768, -32769,
          2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64 - 1, 2**64, 2**53, 2**53 + 1,
          -(2**53) - 1, 0x123456, -0x123456, 2**100]
    for _ in range(16):
        bits = rng.randint(1, 80)
        ns.append(rng.randrange(-(2**bits), 2**bits))
    for n in ns:
        for length in (0, 1, 2, 3, 8, 9):
            for order in ("little", "big"):
                for signed in (False, True):
                    to_cases.append({
                        "n": enc(n), "length": length, "order": order, "signed": signed,
                        "expect": outcome(lambda: n.to_bytes(length, order, signed=signed)),
                    })
    for length in (-1, 1.5, "1", None, 2**70, -(2**70)):
        to_cases.append({
            "n": 1, "length": enc(length), "order": "big", "signed": False,
            "expect": outcome(lambda: (1).to_bytes(length, "big")),
        })
    for order in ("middle", "", 5, None):
        to_cases.append({
            "n": 1, "length": 1, "order": enc(order), "signed": False,
            "expect": outcome(lambda: (1).to_bytes(1, order)),
        })
    for n in (1.5, "1", None):
        to_cases.append({
            "n": enc(n), "length": 1, "order": "big", "signed": False,
            "expect": outcome(lambda: int.to_bytes(n, 1, "big")),
        })
    return from_cases, to_cases


def latin1_cases():
    texts = ["", "abc", "\x89PNG\r\n\x1a\n", "caf\xe9", "\xff", "\u0100", "\u20ac", "a\u20acb",
             "a\u20ac\u20acb\u20ac", "\U0001f600", "x\U0001f600\u20acy", "\ud800", "ab\udfff",
             "\xe9\u0100\xe9", "RIFF", "\x7fELF"]
    cases = []
    for t in texts:
        cases.append({"text": t, "expect": outcome(lambda: t.encode("latin-1"))})
    return cases


def main():
    rng = random.Random(SEED)
    from_cases, to_cases = int_cases(rng)
    groups = {
        "search": search_cases(rng),
        "affix": affix_cases(rng),
        "split": split_cases(rng),
        "strip": strip_cases(rng),
        "join": join_cases(),
        "latin1": latin1_cases(),
        "from_bytes": from_cases,
        "to_bytes": to_cases,
    }
    about = ("CPython's bytes/bytearray methods and int.from_bytes/int.to_bytes: results and "
             "exact errors; the encoding is described in the generator.")
    text = grouped_fixture(about, "scripts/gen_bytes_fixtures.py", groups, SEED)
    out = os.path.join(ROOT, "test", "fixtures", "bytes")
    os.makedirs(out, exist_ok=True)
    write_text(os.path.join(out, "methods.json"), text)
    print("%d cases" % sum(len(g) for g in groups.values()))


if __name__ == "__main__":
    main()
