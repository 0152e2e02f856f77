#!/usr/bin/env python3
"""Golden fixtures for memview's `struct`, computed by CPython 3.13.

Run:  PYENV_VERSION=3.13.0 python3 scripts/gen_struct_fixtures.py     (or `npm run fixtures`)

Writes test/fixtures/struct/*.json. Every expected answer in those files is what CPython
3.13 itself returned for the call; nothing is typed in by hand except the *inputs* (and the
one documented deviation below). The output is deterministic: fixed random seeds, sorted
keys, one case per line, so a regeneration diff shows exactly what changed.

The generator refuses to run on any Python but 3.13, and on a host that is not LP64 and
little-endian (native sizes, alignment and byte order are baked into the native cases).

JSON value encoding (test/helpers/fixtures.ts decodes it)
---------------------------------------------------------
Each encoded value says exactly which JavaScript value to pass, or to expect:

    42, -7, 1.5, 1e+300       a JS number. JS cannot tell 1 from 1.0, so: a number taken
                              by a float code (e f d) stands for a Python float; anywhere
                              else an integral number stands for a Python int and a
                              non-integral one (or NaN, +-inf) for a Python float. The
                              difference shows only in one CPython quirk: an OverflowError
                              raised while packing an *int* becomes struct.error 'int too
                              large to convert' (pack('<e', 65520) vs pack('<e', 65520.0)),
                              so the JS number 65520 gets the float's answer and the JS
                              bigint 65520n the int's.
    {"int": "<decimal>"}      a JS bigint (a Python int).
    {"float": "nan"|"-nan"|"inf"|"-inf"|"-0"}
                              a special JS number. "-nan" is the NaN whose sign bit is set
                              (bits 0xfff8000000000000), Python's -float('nan').
    true, false               a JS boolean (Python bool).
    {"bytes": "<hex>"}        a fresh Uint8Array (Python bytes, or bytearray).
    {"str": "..."}            a JS string (Python str).
    {"none": true}            null (Python None).
    {"list": [...]}           a JS array (Python list when passed; the result tuple when
                              expected).
    {"size": "<decimal>"}     only as a calcsize/size result: the exact Python int. A JS
                              number cannot hold every size above 2**53, so a size there
                              is checked against the nearest double.
    {"error": "<class>", "message": "..."}
                              only as an expectation: the call raises that class with that
                              exact message. Classes: StructError (struct.error), TypeError,
                              OverflowError, IndexError, ValueError, UnicodeEncodeError,
                              BufferError.

Which JS type an integer argument takes is decided per case: values consumed by an 8-byte
integer code (q Q n N P, and native l L under LP64) are bigints, all other integers are
numbers (a bigint when the value is not a safe integer). Integer cases also carry "alt"
variants that pass the other representation (a number to an 8-byte code when the value is
an exact double, a bigint to a smaller code), since memview accepts both and CPython sees
one Python int either way. Unpacked 8-byte integers are expected as bigints, every other
integer as a number.

Case shapes (in "groups" of each file; "fmt" is an encoded value: a string, {"bytes"} for a
Python bytes format, or another value for the format-type errors; absent = no format
argument at all):

    {"op": "calcsize",    "fmt", "expect"}
    {"op": "struct",      "fmt", "expect": {"format", "size", "repr"} | error}
                          (Struct attributes: .format, .size, toString())
    {"op": "pack",        "fmt", "args": [...], "expect", "unpacked"?}
                          "unpacked": what unpack(fmt, expect bytes) gives back.
    {"op": "unpack",      "fmt", "buffer", "expect"}
    {"op": "unpack_from", "fmt", "args": [buffer, offset?], "expect"}
    {"op": "pack_into",   "fmt", "args": [buffer?, offset?, ...values], "expect", "after"?}
                          "expect" is {"none": true} on success; "after" is the buffer's
                          bytes after the call, on success *and* on failure (partial writes).
    {"op": "iter_unpack", "fmt", "buffer", "expect": {"list": [records]} | error,
                          "hints"?: [lengthHint() before each next(), ..., after the end]}
    {"op": "unpack_each", "fmt", "buffer", "expect": {"list": [values]}, "repack": bool}
                          the buffer is a run of single-value records; each unpacks to the
                          matching value; with repack, pack(fmt, value) gives the record
                          back for every non-NaN value.

Optional case fields: "alt": true marks the other-representation integer variants;
"deviation" and "cpython" mark the gh-145633 cases below.

Every module-level call was also made through a Struct object (Struct(fmt).pack(...),
.unpack, ...), and the generator checks the two agree; tests run both.

Deliberate deviation (gh-145633)
--------------------------------
CPython 3.13.0 packs a finite double that overflows float32 as +-inf in NATIVE mode
('f', '@f'), while standard mode raises OverflowError. memview raises in native mode too,
as gh-145633 makes CPython do (3.13.x/3.14.x backport). Those cases sit in the group
"deviation native f overflow": "expect" is memview's answer, stated in the generator
(native_f_deviation): OverflowError 'float too large to pack with f format' for a number,
struct.error 'int too large to convert' for a bigint, i.e. standard mode's answer; and
"cpython" records what this CPython actually did (+-inf bytes).

Python-only cases with no JS counterpart, left out
--------------------------------------------------
- objects with __index__, __int__, __float__, __bool__ (incl. one that raises), complex,
  Decimal, Fraction as values;
- integral Python floats (1.0) and -0.0 given to integer codes or as offsets: a JS number
  1 is Python's int 1, so `pack('b', 1.0)` (struct.error in Python) is not expressible;
- bytearray given to 'c' (struct.error in Python; a JS Uint8Array is bytes), memoryview
  given to 's'/'p', strided/readonly memoryviews (BufferError / TypeError);
- bytes (read-only) as pack_into's buffer: every JS Uint8Array is writable;
- keyword arguments (unpack_from(buffer=, offset=), Struct(format=), pack_into kwargs);
- bytearray or list as a format to the module functions (TypeError: unhashable type:
  'bytearray', from the cache lookup); str subclasses;
- missing required arguments that TypeScript rejects at compile time (unpack_from(fmt)
  without a buffer, unpack(fmt), extra positional arguments);
- Struct identity/equality, re-initialisation (__init__), subclassing, pickling, sizeof,
  the uninstantiable unpack_iterator type, the struct cache;
- pack('%dx' % sys.maxsize) and the like (MemoryError: whether an allocation fails
  depends on the machine; test/struct.hostile.test.ts checks the JS side by hand).
"""

import json
import math
import operator
import os
import random
import struct
import sys

from fixturejson import grouped_fixture, write_text
from structfmt import value_codes

# ---------------------------------------------------------------------------------------
# Host checks
# ---------------------------------------------------------------------------------------


def check_host():
    if sys.version_info[:2] != (3, 13):
        sys.exit(
            "gen_struct_fixtures.py needs CPython 3.13 (try PYENV_VERSION=3.13.0), "
            "not %s" % sys.version.split()[0]
        )
    if sys.implementation.name != "cpython":
        sys.exit("gen_struct_fixtures.py needs CPython, not %s" % sys.implementation.name)
    if not (
        sys.maxsize == 2**63 - 1
        and sys.byteorder == "little"
        and struct.calcsize("P") == 8
        and struct.calcsize("l") == 8
        and struct.calcsize("n") == 8
    ):
        sys.exit("gen_struct_fixtures.py needs an LP64 little-endian host")


MAXSIZE = 2**63 - 1
INT_CODES = "bBhHiIlLqQnN"
ALL_CODES = "xcbB?hHiIlLqQnNefdspP"
PREFIXES = ["", "@", "=", "<", ">", "!"]
NATIVE_ONLY = "nNP"

# ---------------------------------------------------------------------------------------
# Arguments: a Python value together with the exact JS value that stands for it
# ---------------------------------------------------------------------------------------


class Arg:
    """A value passed to struct: `py` for CPython, `js` its JSON encoding for memview."""

    __slots__ = ("py", "js", "number")

    def __init__(self, py, js, number=False):
        self.py = py
        self.js = js
        # A JS number: a Python float when a float code (e f d) takes it, else see N().
        self.number = number


def exact_double(x):
    try:
        return int(float(x)) == x
    except OverflowError:
        return False


def enc_float(x):
    if math.isnan(x):
        return {"float": "-nan" if math.copysign(1.0, x) < 0 else "nan"}
    if math.isinf(x):
        return {"float": "inf" if x > 0 else "-inf"}
    if x == 0 and math.copysign(1.0, x) < 0:
        return {"float": "-0"}
    return x


def N(x):
    """A JS number. JS cannot tell 1 from 1.0, so an integral number stands for a Python
    int, except where a float code (e f d) takes it: there every number is a Python float
    (see as_python)."""
    if isinstance(x, bool):
        raise ValueError("use the bool itself")
    if isinstance(x, int):
        if not exact_double(x):
            raise ValueError("%d is not an exact double" % x)
        # Beyond 2**53, written as the double's repr (1e+300, not 301 digits).
        return Arg(x, x if abs(x) <= 2**53 else float(x), number=True)
    assert isinstance(x, float)
    if math.isfinite(x) and x == int(x) and not (x == 0 and math.copysign(1.0, x) < 0):
        return N(int(x))
    return Arg(x, enc_float(x), number=True)


def B(x):
    """A JS bigint."""
    assert isinstance(x, int) and not isinstance(x, bool)
    return Arg(x, {"int": str(x)})


def BOOL(x):
    return Arg(bool(x), bool(x))


def BY(b):
    return Arg(bytes(b), {"bytes": bytes(b).hex()})


def BA(b):
    """A Python bytearray; in JS a Uint8Array, like bytes."""
    return Arg(bytearray(b), {"bytes": bytes(b).hex()})


def S(s):
    return Arg(s, {"str": s})


NONE = Arg(None, {"none": True})


def L(items):
    return Arg([a.py for a in items], {"list": [a.js for a in items]})


def FMT(fmt):
    """A format: a str, or bytes (Python bytes format, a Uint8Array in JS)."""
    if isinstance(fmt, bytes):
        return BY(fmt)
    return S(fmt)


def fmt_js(arg):
    # Formats that are strings are written as bare JSON strings, the common case.
    if isinstance(arg.py, str):
        return arg.py
    return arg.js


def IA(x, wide, alt=False):
    """An integer argument for a code: bigint for 8-byte codes, else a number (or a bigint
    when the value is no safe integer). `alt` asks for the other representation; None
    when there is none."""
    safe = abs(x) <= 2**53
    if not alt:
        return B(x) if (wide or not safe) else N(x)
    if wide:
        return N(x) if exact_double(x) else None
    return B(x) if safe else (N(x) if exact_double(x) else None)


def as_python(fmt, values):
    """The Python values of `values` packed by `fmt`: a JS number taken by a float code is
    a Python float (this only matters for overflow: CPython turns an OverflowError packing
    an *int* into struct.error 'int too large to convert')."""
    py = [a.py for a in values]
    try:
        struct.calcsize(fmt)
        codes = value_codes(fmt)
    except Exception:  # noqa: BLE001 - a bad format packs nothing
        return py
    for i, (code, _) in enumerate(codes[: len(values)]):
        if code in "efd" and values[i].number and isinstance(py[i], int):
            py[i] = float(py[i])
    return py


def enc_out(value, wide=False):
    """The JS value CPython's result stands for (see the encoding above)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if wide or abs(value) > 2**53:
            return {"int": str(value)}
        return value
    if isinstance(value, float):
        return enc_float(value)
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).hex()}
    if value is None:
        return {"none": True}
    raise TypeError("cannot encode %r" % (value,))


# ---------------------------------------------------------------------------------------
# Format helpers
# ---------------------------------------------------------------------------------------




def int_range(prefix, code):
    size = struct.calcsize(prefix + code)
    bits = 8 * size
    if code.islower():
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1, size
    return 0, 2**bits - 1, size


# ---------------------------------------------------------------------------------------
# Running CPython
# ---------------------------------------------------------------------------------------

ERROR_NAMES = {
    struct.error: "StructError",
    TypeError: "TypeError",
    OverflowError: "OverflowError",
    IndexError: "IndexError",
    ValueError: "ValueError",
    UnicodeEncodeError: "UnicodeEncodeError",
    BufferError: "BufferError",
}


def call(fn, *args):
    """('ok', result) or ('err', {"error", "message"}); an unexpected class stops the run."""
    try:
        return "ok", fn(*args)
    except Exception as e:  # noqa: BLE001 - classified below
        name = ERROR_NAMES.get(type(e))
        if name is None:
            raise RuntimeError("unexpected %s from %r%r" % (type(e).__name__, fn, args)) from e
        return "err", {"error": name, "message": str(e)}


def same(a, b):
    """Outcome equality that treats NaN as NaN and bytes by content."""
    if a[0] != b[0]:
        return False
    if a[0] == "err":
        return a[1] == b[1]
    return repr(a[1]) == repr(b[1])


def both(module_fn, struct_fn):
    """Runs the module function and the Struct method; they must agree."""
    m = module_fn()
    s = struct_fn()
    if not same(m, s):
        raise RuntimeError("module and Struct disagree: %r vs %r" % (m, s))
    return m


def encode_tuple(values, fmt):
    codes = value_codes(fmt)
    assert len(codes) == len(values), (fmt, values)
    return {"list": [enc_out(v, wide) for v, (_, wide) in zip(values, codes)]}


# ---------------------------------------------------------------------------------------
# Case builders
# ---------------------------------------------------------------------------------------


def c_calcsize(fmt):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    kind, res = both(
        lambda: call(struct.calcsize, f.py),
        lambda: call(lambda: struct.Struct(f.py).size),
    )
    if kind == "ok":
        expect = res if res <= 2**53 else {"size": str(res)}
    else:
        expect = res
    return {"op": "calcsize", "fmt": fmt_js(f), "expect": expect}


def c_struct(fmt):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    kind, res = call(struct.Struct, f.py)
    if kind == "ok":
        size = res.size
        expect = {
            "format": res.format,
            "size": size if size <= 2**53 else {"size": str(size)},
            "repr": repr(res),
        }
    else:
        expect = res
    return {"op": "struct", "fmt": fmt_js(f), "expect": expect}


def c_pack(fmt, args, roundtrip=True):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    py = as_python(f.py, args)
    kind, res = both(
        lambda: call(struct.pack, f.py, *py),
        lambda: call(lambda: struct.Struct(f.py).pack(*py)),
    )
    case = {"op": "pack", "fmt": fmt_js(f), "args": [a.js for a in args]}
    if kind == "ok":
        case["expect"] = {"bytes": res.hex()}
        if roundtrip:
            back = struct.unpack(f.py, res)
            case["unpacked"] = encode_tuple(back, f.py)
    else:
        case["expect"] = res
    return case


def c_pack_nofmt(args):
    kind, res = call(struct.pack, *[a.py for a in args])
    assert kind == "err"
    return {"op": "pack", "args": [a.js for a in args], "expect": res}


def c_unpack(fmt, buf):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    b = BY(buf) if isinstance(buf, (bytes, bytearray)) else buf
    kind, res = both(
        lambda: call(struct.unpack, f.py, b.py),
        lambda: call(lambda: struct.Struct(f.py).unpack(b.py)),
    )
    expect = encode_tuple(res, f.py) if kind == "ok" else res
    return {"op": "unpack", "fmt": fmt_js(f), "buffer": b.js, "expect": expect}


def c_unpack_from(fmt, args):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    py = [a.py for a in args]
    kind, res = both(
        lambda: call(struct.unpack_from, f.py, *py),
        lambda: call(lambda: struct.Struct(f.py).unpack_from(*py)),
    )
    expect = encode_tuple(res, f.py) if kind == "ok" else res
    return {"op": "unpack_from", "fmt": fmt_js(f), "args": [a.js for a in args], "expect": expect}


def c_pack_into(fmt, args):
    """args[0], when it is a bytes-like Arg, is copied before each call (bytearray)."""
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt

    def fresh():
        py = [a.py for a in args[:2]] + as_python(f.py, args[2:])
        if py and isinstance(py[0], (bytes, bytearray)):
            py[0] = bytearray(py[0])
        return py

    py_m = fresh()
    m = call(struct.pack_into, f.py, *py_m)
    py_s = fresh()
    s = call(lambda: struct.Struct(f.py).pack_into(*py_s))
    if not same(m, s) or (py_m and py_m[:1] != py_s[:1]):
        raise RuntimeError("module and Struct pack_into disagree for %r" % (fmt,))
    kind, res = m
    case = {"op": "pack_into", "fmt": fmt_js(f), "args": [a.js for a in args]}
    case["expect"] = {"none": True} if kind == "ok" else res
    if py_m and isinstance(py_m[0], bytearray):
        case["after"] = {"bytes": bytes(py_m[0]).hex()}
    return case


def c_pack_into_nofmt():
    kind, res = call(struct.pack_into)
    assert kind == "err"
    return {"op": "pack_into", "args": [], "expect": res}


def c_iter_unpack(fmt, buf):
    f = FMT(fmt) if isinstance(fmt, (str, bytes)) else fmt
    b = BY(buf) if isinstance(buf, (bytes, bytearray)) else buf

    def run(make):
        kind, it = call(make)
        if kind == "err":
            return ("err", it), None
        hints = [operator.length_hint(it)]
        records = []
        for rec in it:
            records.append(rec)
            hints.append(operator.length_hint(it))
        # Exhausted: next() stops again, and the hint stays 0.
        assert next(it, None) is None
        hints.append(operator.length_hint(it))
        return ("ok", records), hints

    m, hints = run(lambda: struct.iter_unpack(f.py, b.py))
    s, hints_s = run(lambda: struct.Struct(f.py).iter_unpack(b.py))
    if not same(m, s) or hints != hints_s:
        raise RuntimeError("module and Struct iter_unpack disagree for %r" % (fmt,))
    case = {"op": "iter_unpack", "fmt": fmt_js(f), "buffer": b.js}
    if m[0] == "ok":
        case["expect"] = {"list": [encode_tuple(r, f.py) for r in m[1]]}
        case["hints"] = hints
    else:
        case["expect"] = m[1]
    return case


def c_unpack_each(fmt, buf, repack):
    size = struct.calcsize(fmt)
    (code, wide), = value_codes(fmt)
    values = []
    for i in range(0, len(buf), size):
        record = buf[i : i + size]
        (v,) = struct.unpack(fmt, record)
        values.append(enc_out(v, wide))
        if repack and not (isinstance(v, float) and math.isnan(v)):
            assert struct.pack(fmt, v) == record, (fmt, record)
    return {
        "op": "unpack_each",
        "fmt": fmt,
        "buffer": {"bytes": bytes(buf).hex()},
        "expect": {"list": values},
        "repack": repack,
    }


def sample_value(code, wide, rng, prefix=""):
    """A valid random value for one item of `code`."""
    if code in INT_CODES:
        lo, hi, _ = int_range(prefix, code)
        return IA(rng.randint(lo, hi), wide)
    if code == "P":
        return B(rng.randint(0, 2**64 - 1))
    if code == "?":
        return BOOL(rng.random() < 0.5)
    if code == "c":
        return BY(bytes([rng.randrange(256)]))
    if code in "sp":
        return BY(bytes(rng.randrange(256) for _ in range(rng.randrange(6))))
    if code == "e":
        return N(struct.unpack("<e", struct.pack("<H", rng.randrange(0x7C00)))[0] * rng.choice((1, -1)))
    if code == "f":
        return N(struct.unpack("<f", struct.pack("<I", rng.randrange(0x7F800000)))[0] * rng.choice((1, -1)))
    if code == "d":
        return N(rng.uniform(-1e6, 1e6))
    raise ValueError(code)


def sample_args(fmt, rng):
    prefix = fmt[0] if fmt[:1] in "@=<>!" and fmt else ""
    return [sample_value(c, w, rng, prefix) for c, w in value_codes(fmt)]


# ---------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------


def grammar_groups():
    g = {}
    ms = MAXSIZE

    sizes = [
        "", "<", "@", "=", ">", "!", "ci", "ic", "cq", "b3i", "bd", "be", "b?", "bP", "hxi",
        "<hxi", "c0q", "c0i", "llh0l", "b0s", "bs", "b5s", "ci3s", "c3si", "@hhl", "=hhl",
        "<hhl", " i ", "i\n\ti", "\x0bi\x0c\r", "0i", "0s", "0p", "0x", "3x", "0c", "s", "p",
        "cbxxxxxxhhhhiillffd?", "3c3b18x12h6i6l6f3d3?", "BHILfdspP", "100H", "187s", "20p",
        "xxxxxxxxxxxxxx", "iii", "=i2H", "c0n", "c0P", "c0e", "c0f", "c0d", "c0h", "b0?",
        "ci0c", "hq", "qh", "eq", "fe", "?d", "3?q", "i2h", "< i", "@ q",
        "b7x0q", "b8x0q", "bc0l", "bc0L", "c0N", "e0f", "xd", "5p2s0i", "b 0l b", "lb0l",
        "=llh0l", "<c0q", ">bQ", "!bd", "10000000s", "1000000000q",
        "@1000000000q", "ddddddddbq",
    ]
    for code in ALL_CODES:
        for prefix in PREFIXES:
            sizes.append(prefix + code)
            sizes.append(prefix + "3" + code)
            sizes.append(prefix + "b" + code)
            sizes.append(prefix + code + "b")
            sizes.append(prefix + "c0" + code)
    sizes += [
        "%dx" % ms, "%dx" % (ms - 1), "%db" % ms, "%dxb" % (ms - 1), "%dh" % (ms // 2),
        "%dq" % (ms // 8), "c%dx" % (ms - 1), "%dx" % (2**53 + 1), "%dB" % (2**53),
        "%ds" % ms, "%dp" % ms, "%d?" % ms, "%dc" % ms, "b%dx" % (ms - 1),
        "%di" % (ms // 4), "=%di" % (ms // 4), "%dd" % (ms // 8),
        # too long
        "99999999999999999999i", "%di" % (ms // 4 + 1), "%dxb" % ms, "%db" % (ms + 1),
        "%db%dH" % (ms // 2, ms // 2), "%dxi" % (ms - 2), "%dxi" % (ms - 3), "b%dx" % ms,
        "%dq" % (ms // 8 + 1), "=%dq" % (ms // 8 + 1), "%dx%dx" % (ms, 1),
        "%dx" % (ms + 1), "%dx" % (10 * ms), "%ds" % (ms + 1), "1%di" % ms,
        "%dxc0q" % (ms - 3), "%dxc0q" % (ms - 9), "<%dxh" % (ms - 1), "<%dxh" % (ms - 2),
    ]
    grammar_errors = [
        " <i", "<<i", "i<", "<>i", "!@", "2 i", "2\ti", "3", "i3", "<h2", "c12345", "14s42",
        "12345", "3 ", " 3", "<3", "z", "T", "Z", "w", "u", "g", "O", "&", "{", "(", ":",
        "T{i}", "(2,3)i", ":name:i", "Zf", "a", "i\x7f", "?!", "ij", "#", "-1i", "+1i",
        "1.5i", "i,", "\0", "2\0i", "i\0", "\0\0", "< \0",
    ]
    for code in NATIVE_ONLY:
        for prefix in "=<>!":
            grammar_errors += [prefix + code, prefix + "0" + code, prefix + "b" + code, prefix + "3" + code]
    grammar_bytes = [b"\0", b"\xff", b"i\x80", b"<i", b"=i2H", b"", b"@hhl", b"3", b"2\0i", b"ci\xc3\xa9"]
    non_ascii = ["é", "iéi", "éé", "éié", "\u20ac", "\U0001f600", "i\U0001f600\U0001f601",
                 "\ud800", "\0é", "<é", "3é", "ié\0"]
    g["calcsize"] = [c_calcsize(f) for f in sizes]
    g["calcsize grammar errors"] = [c_calcsize(f) for f in grammar_errors]
    g["calcsize bytes formats"] = [c_calcsize(f) for f in grammar_bytes]
    g["calcsize non-ascii formats"] = [c_calcsize(f) for f in non_ascii]
    g["calcsize format types"] = [
        c_calcsize(a) for a in (N(5), N(1.5), NONE, BOOL(True), N(0))
    ]
    struct_fmts = [
        "<hi", "=i2H", "", "@", "i\n\ti", "\x0bi\x0c\r", " i ", "100H", "\t", "llh0l",
        "%dx" % ms, "c0q", "<Q", "5p", "3s",
    ]
    g["struct attributes"] = (
        [c_struct(f) for f in struct_fmts]
        + [c_struct(f) for f in (b"<hi", b"=i2H", b"", b"\x0bi\r")]
        + [c_struct(f) for f in ("z", "3", "\0", "é", b"\xff", "<n")]
        + [c_struct(a) for a in (N(5), NONE)]
    )
    # Every operation checks the format first.
    ops = []
    for fmt in ("z", "3", "\0", "é", "<P", "99999999999999999999i", b"\xff"):
        ops.append(c_pack(fmt, [N(1)]))
        ops.append(c_pack(fmt, []))
        ops.append(c_unpack(fmt, b"\0\0\0\0"))
        ops.append(c_unpack(fmt, S("abc")))
        ops.append(c_unpack_from(fmt, [BY(b"\0\0\0\0"), N(99)]))
        ops.append(c_pack_into(fmt, [BA(b"\0" * 4), N(99), N(1)]))
        ops.append(c_pack_into(fmt, [S("abc")]))
        ops.append(c_iter_unpack(fmt, b"\0\0\0"))
    for bad in (N(5), NONE):
        ops.append(c_pack(bad, [N(1)]))
        ops.append(c_unpack(bad, b"\0"))
    ops.append(c_pack_nofmt([]))
    ops.append(c_pack_into_nofmt())
    g["format errors in every operation"] = ops
    # Trailing counters (test_trailing_counter).
    trailing = []
    for fmt in ("12345", "c12345", "14s42"):
        trailing.append(c_pack(fmt, [S("x")]))
        trailing.append(c_unpack(fmt, b"x"))
        trailing.append(c_pack_into(fmt, [BA(b" " * 100), N(0), S("x")]))
        trailing.append(c_unpack_from(fmt, [BA(b" " * 100), N(0)]))
    g["trailing counter"] = trailing
    return g


def int_groups():
    g = {}
    rng = random.Random(1913)
    for code in INT_CODES:
        for prefix in PREFIXES:
            if code in "nN" and prefix not in ("", "@"):
                continue
            fmt = prefix + code
            lo, hi, size = int_range(prefix, code)
            bits = 8 * size
            wide = size == 8
            values = {0, 1, -1, lo, hi, lo - 1, hi + 1, 2 * hi, lo * 2 - 1, 300, 700000, -300,
                      -700000, MAXSIZE * 4, -MAXSIZE * 4, int(1e50), int(-1e50), 2**64,
                      -(2**64), 2**53, 2**53 + 1, -(2**53) - 1, 10**30}
            for exp in sorted({0, 1, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 52, 53, 54, 62, 63,
                               64, 65} & set(range(bits + 3))):
                for base in (1 << exp, -(1 << exp)):
                    for inc in (-1, 0, 1):
                        values.add(base + inc)
            for _ in range(8):
                values.add(rng.randrange(lo, hi + 1))
            cases = []
            for x in sorted(values):
                main = IA(x, wide)
                cases.append(c_pack(fmt, [main]))
                alt = IA(x, wide, alt=True)
                if alt is not None and (x in (0, 1, -1, lo, hi, lo - 1, hi + 1, 2**53, 2**64)
                                        or abs(x) >= 2**53):
                    case = c_pack(fmt, [alt])
                    case["alt"] = True
                    cases.append(case)
            for v in (N(1.5), N(-0.5), N(1e-300), N(float("nan")), N(float("inf")),
                      N(float("-inf")), S(""), S("1"), S("a string"), NONE, BY(b"a"), BY(b""),
                      L([N(1)]), L([])):
                cases.append(c_pack(fmt, [v]))
            for v in (True, False):
                cases.append(c_pack(fmt, [BOOL(v)]))
            # Adding a byte (or dropping one) is an unpack size error.
            packed = struct.pack(fmt, hi)
            cases.append(c_unpack(fmt, b"\x01" + packed))
            cases.append(c_unpack(fmt, packed[1:]))
            g["int " + (fmt if prefix else "(none)" + code)] = cases
    # P: pointer-sized, native only, -2**63 .. 2**64-1, negative wraps.
    for prefix in ("", "@"):
        fmt = prefix + "P"
        cases = []
        for x in (0, 1, -1, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64 - 1, 2**64, 2**63,
                  -(2**64), 2**100, -(2**100), 0x1234567890ABCDEF, 2**53 + 1, 2**32):
            cases.append(c_pack(fmt, [B(x)]))
            alt = IA(x, True, alt=True)
            if alt is not None:
                case = c_pack(fmt, [alt])
                case["alt"] = True
                cases.append(case)
        for v in (N(1.5), N(float("nan")), S("foo"), NONE, BY(b"a"), L([]), BOOL(True),
                  BOOL(False)):
            cases.append(c_pack(fmt, [v]))
        g["int " + (fmt if prefix else "(none)P")] = cases
    # test_issue98248: the message is the same for every prefix and code in 3.13.
    issue = []
    for prefix in "@=<>":
        for code in "BHILQbhilq":
            lo, hi, size = int_range(prefix, code)
            for x in (int(-1e50), lo - 1, hi + 1, int(1e50)):
                issue.append(c_pack(prefix + code, [IA(x, size == 8)]))
            issue.append(c_pack(prefix + code, [S("")]))
    for code in "nN":
        lo, hi, size = int_range("@", code)
        for x in (int(-1e50), lo - 1, hi + 1, int(1e50)):
            issue.append(c_pack("@" + code, [B(x)]))
        issue.append(c_pack("@" + code, [S("")]))
    g["int issue98248 messages"] = issue
    return g


def float_groups():
    g = {}
    rng = random.Random(705836)
    flt_max = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
    specials = [
        0.0, -0.0, 1.0, -2.0, 0.1, -0.1, 1 / 3, math.pi, 1e-8, 1e-40, -1e-45, 5e-324,
        -5e-324, 2.2250738585072014e-308, 65504.0, 65519.0, 65519.99, 65520.0, -65520.0,
        2**-24, 2**-25, 3 * 2**-26, 2**-14, 6e-8, flt_max, -flt_max,
        3.4028235677973366e38, 3.4028235677973362e38, -3.4028235677973366e38, 1e38, 1e39,
        -1e39, 1e300, -1e300, sys.float_info.max, -sys.float_info.max, float("inf"),
        float("-inf"), float("nan"), -float("nan"), 16777217.0, 2.0**127 * (2 - 2**-24),
        1.5, 0.5, 2.5, 1e16, 123456789.123,
    ]
    for _ in range(16):
        specials.append(rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
    for base in range(1, 33):  # test_705836
        delta = 0.5
        while base - delta / 2.0 != base:
            delta /= 2.0
        specials.append(base - delta)
    specials.append(math.ldexp((1 << 24) - 1, 127 - 23))
    specials.append(math.ldexp((1 << 25) - 1, 127 - 24))
    # Numbers are Python floats for float codes; bigints are Python ints, whose overflow
    # CPython reports as struct.error 'int too large to convert'.
    int_values = [N(0), N(1), N(-7), N(65504), N(65520), N(2**53), B(2**53 + 1), B(-(2**53) - 1),
                  B(10**30), B(2**128), B(-(2**128)), B(10**39), B(2**1023), B(2**1024),
                  B(-(2**1024)), B(10**400), B(-(10**400)), N(2**64), N(2**128), B(0), B(1),
                  B(-7), B(65504), B(65519), B(65520), B(-65520), B(2**24 + 1)]
    bad = [S("a"), S(""), S("1.0"), NONE, BY(b"x"), BY(b""), L([N(1.5)]), L([])]
    deviation = []
    for code in "efd":
        for prefix in PREFIXES:
            fmt = prefix + code
            cases = []
            for arg in [N(x) for x in specials] + int_values + [BOOL(True), BOOL(False)]:
                case = c_pack(fmt, [arg])
                if code == "f" and prefix in ("", "@"):
                    standard = c_pack("=f", [arg])["expect"]
                    if "error" in standard and standard != case["expect"]:
                        deviation.append(native_f_deviation(fmt, arg, case))
                        continue
                cases.append(case)
            for arg in bad:
                cases.append(c_pack(fmt, [arg]))
            size = struct.calcsize(fmt)
            cases.append(c_unpack(fmt, b"\0" * (size + 1)))
            cases.append(c_unpack(fmt, b"\0" * (size - 1)))
            g["float " + (fmt if prefix else "(none)" + code)] = cases
    g["deviation native f overflow"] = deviation
    g["half test_half_float"] = half_float_cases()
    # Ties between consecutive halves: the midpoint rounds to even, a hair either side
    # rounds to the nearer neighbour.
    ties = []
    for i in sorted(rng.sample(range(0x7BFF), 600)):
        a = struct.unpack("<e", struct.pack("<H", i))[0]
        b = struct.unpack("<e", struct.pack("<H", i + 1))[0]
        mid = (a + b) / 2
        for x in (mid, math.nextafter(mid, 0), math.nextafter(mid, math.inf)):
            fmt = rng.choice(("<e", ">e", "e"))
            ties.append(c_pack(fmt, [N(x * rng.choice((1, -1)))]))
    g["half rounding ties"] = ties
    # float32: random bit patterns unpack (NaNs included) and repack.
    bits = [rng.getrandbits(32) for _ in range(1500)]
    bits += [0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x00000001,
             0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x80000000, 0]
    for fmt, order in (("<f", "<"), (">f", ">")):
        buf = b"".join(struct.pack(order + "I", b) for b in bits)
        g["float32 bit patterns " + fmt] = [c_unpack_each(fmt, buf, True)]
    dbits = [rng.getrandbits(64) for _ in range(800)]
    dbits += [0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0x7FF0000000000001,
              0xFFFFFFFFFFFFFFFF, 1, 0x8000000000000000, 0x000FFFFFFFFFFFFF]
    for fmt, order in (("<d", "<"), (">d", ">")):
        buf = b"".join(struct.pack(order + "Q", b) for b in dbits)
        g["float64 bit patterns " + fmt] = [c_unpack_each(fmt, buf, True)]
    return g


FLOAT_OVERFLOW = {"error": "OverflowError", "message": "float too large to pack with f format"}
INT_OVERFLOW = {"error": "StructError", "message": "int too large to convert"}


def native_f_deviation(fmt, arg, cpython_case):
    """gh-145633: memview's native 'f' raises on overflow, as standard mode does (and as
    CPython does once the fix is backported); CPython 3.13.0 packs +-inf there.

    memview's expectation, stated here rather than computed: OverflowError 'float too large
    to pack with f format' for a number, and struct.error 'int too large to convert' for a
    bigint (a Python int: CPython turns an OverflowError raised while packing an int into
    that struct.error). Standard-mode CPython gives exactly that; the asserts check it."""
    cp = cpython_case["expect"]
    assert cp.get("bytes") in ("0000807f", "000080ff"), cp
    expect = INT_OVERFLOW if isinstance(arg.js, dict) and "int" in arg.js else FLOAT_OVERFLOW
    assert c_pack("<f", [arg])["expect"] == expect
    return {
        "op": "pack",
        "fmt": fmt,
        "args": [arg.js],
        "expect": expect,
        "deviation": "gh-145633",
        "cpython": cp,
    }


def half_float_cases():
    """test_half_float's tables (inputs copied from CPython's Lib/test/test_struct.py);
    CPython computes every output."""
    cases = []
    clean_roundtrip = [  # (little-endian bits, value)
        (b"\x00\x3c", 1.0), (b"\x00\xc0", -2.0), (b"\xff\x7b", 65504.0),
        (b"\x00\x04", 2**-14), (b"\x01\x00", 2**-24), (b"\x00\x00", 0.0),
        (b"\x00\x80", -0.0), (b"\x00\x7c", float("+inf")), (b"\x00\xfc", float("-inf")),
        (b"\x55\x35", 0.333251953125),
    ]
    for le_bits, f in clean_roundtrip:
        for fmt, bits in (("<e", le_bits), (">e", le_bits[::-1]), ("e", le_bits)):
            cases.append(c_pack(fmt, [N(f)]))
            cases.append(c_unpack(fmt, bits))
    nan_list = [b"\x01\xfc", b"\x00\xfe", b"\xff\xff", b"\x01\x7c", b"\x00\x7e", b"\xff\x7f"]
    for bits in nan_list:
        cases.append(c_unpack("<e", bits))
        cases.append(c_unpack(">e", bits[::-1]))
    for fmt in ("<e", ">e", "e", "=e", "!e"):
        cases.append(c_pack(fmt, [N(math.nan)]))
        cases.append(c_pack(fmt, [N(-math.nan)]))
    rounding = [
        ("e", 2.0**-25 + 2.0**-35), ("e", 2.0**-25), ("e", 2.0**-26),
        ("e", 2.0**-14 - 2.0**-24), ("e", 2.0**-14 - 2.0**-25 - 2.0**-65),
        ("e", 2.0**-14 - 2.0**-25), ("e", 2.0**-14), ("e", 1.0 + 2.0**-11 + 2.0**-16),
        ("e", 1.0 + 2.0**-11), ("e", 1.0 + 2.0**-12), ("e", 65504), ("e", 65519),
        ("e", -(2.0**-25) - 2.0**-35), ("e", -(2.0**-25)), ("e", -(2.0**-26)),
        ("e", -1.0 - 2.0**-11 - 2.0**-16), ("e", -1.0 - 2.0**-11), ("e", -1.0 - 2.0**-12),
        ("e", -65519),
    ]
    for _, f in rounding:
        for fmt in (">e", "<e"):
            cases.append(c_pack(fmt, [N(f)]))
    rounding_error = [65520.0, 65536.0, 1e300, -65520.0, -65536.0, -1e300]
    for f in rounding_error:
        for fmt in (">e", "<e", "e", "@e", "=e", "!e"):
            cases.append(c_pack(fmt, [N(f)]))
    double_rounding = [0x1FFDFFFFFF * 2**-26]
    for f in double_rounding:
        for fmt in (">e", "<e"):
            cases.append(c_pack(fmt, [N(f)]))
    return cases


def half_exhaustive_groups():
    le = b"".join(struct.pack("<H", i) for i in range(65536))
    # Big-endian: a seeded sample, to keep the file small; byte order is checked elsewhere.
    sample = sorted(random.Random(754).sample(range(65536), 3000))
    be = b"".join(struct.pack(">H", i) for i in sample)
    return {
        "half exhaustive <e": [c_unpack_each("<e", le, True)],
        "half sample >e": [c_unpack_each(">e", be, True)],
    }


def value_groups():
    g = {}
    rng = random.Random(3118)
    # test_new_features: (format, argument) pairs; CPython gives the bytes.
    new_features = [
        ("c", BY(b"a")), ("xc", BY(b"a")), ("cx", BY(b"a")), ("s", BY(b"a")),
        ("0s", BY(b"helloworld")), ("1s", BY(b"helloworld")), ("9s", BY(b"helloworld")),
        ("10s", BY(b"helloworld")), ("11s", BY(b"helloworld")), ("20s", BY(b"helloworld")),
        ("0p", BY(b"helloworld")), ("1p", BY(b"helloworld")), ("2p", BY(b"helloworld")),
        ("10p", BY(b"helloworld")), ("11p", BY(b"helloworld")), ("12p", BY(b"helloworld")),
        ("20p", BY(b"helloworld")), ("b", N(7)), ("b", N(-7)), ("B", N(7)), ("B", N(249)),
        ("h", N(700)), ("h", N(-700)), ("H", N(700)), ("H", N(0x10000 - 700)),
        ("i", N(70000000)), ("i", N(-70000000)), ("I", N(70000000)),
        ("I", N(0x100000000 - 70000000)), ("l", N(70000000)), ("l", N(-70000000)),
        ("L", N(70000000)), ("L", N(0x100000000 - 70000000)), ("f", N(2.0)), ("d", N(2.0)),
        ("f", N(-2.0)), ("d", N(-2.0)), ("?", N(0)), ("?", N(3)), ("?", BOOL(True)),
        ("?", L([])), ("?", L([N(1)])),
    ]
    cases = []
    for fmt, arg in new_features:
        for prefix in PREFIXES:
            f = prefix + fmt
            wide = value_codes(f)[0][1] if value_codes(f) else False
            a = arg
            if wide and isinstance(arg.py, int) and not isinstance(arg.py, bool):
                a = B(arg.py)
            cases.append(c_pack(f, [a]))
    g["test_new_features"] = cases
    # test_p_code, and the s/p/x rules.
    sp = []
    for code, data in [("0p", b"abc"), ("p", b"abc"), ("1p", b"abc"), ("2p", b"abc"),
                       ("3p", b"abc"), ("4p", b"abc"), ("5p", b"abc"), ("6p", b"abc"),
                       ("1000p", b"x" * 1000), ("5p", b"abcdefg"), ("300p", b"a" * 300),
                       ("256p", b"a" * 300), ("257p", b"b" * 300), ("255p", b"c" * 300),
                       ("5s", b"abc"), ("2s", b"abc"), ("s", b"abc"), ("0s", b"abc"),
                       ("3s", b""), ("3p", b""), ("1s", b""), ("5s", b"a\0b"), ("5p", b"\0\0")]:
        sp.append(c_pack(code, [BY(data)]))
        sp.append(c_pack(code, [BA(data)]))
    for code in ("s", "3s", "0s", "p", "3p", "0p"):
        for arg in (S("abc"), S(""), N(97), N(1.5), NONE, L([N(97)]), BOOL(True), B(1)):
            sp.append(c_pack(code, [arg]))
    for fmt, data in [("5p", b"\x09abcd"), ("5p", b"\x03abcd"), ("5p", b"\x00abcd"),
                      ("5p", b"\xffabcd"), ("1p", b"\x05"), ("0p", b""), ("0s", b""),
                      ("3x", b"abc"), ("x", b"\xff"), ("300p", b"\xff" + b"z" * 299),
                      ("5s", b"a\0\0\0\0"), ("2p", b"\x01a"), ("2p", b"\x02a"),
                      ("x3sx", b"\x01abc\x02"), ("2x2s2x", b"\x01\x02ab\x03\x04")]:
        sp.append(c_unpack(fmt, data))
    for fmt, args in [("x", []), ("3x", []), ("0x", []), ("x3sx", [BY(b"ab")]),
                      ("2x2s2x", [BY(b"abcdef")]), ("5x", [N(1)]), ("3s2p", [BY(b"x"), BY(b"yz")])]:
        sp.append(c_pack(fmt, args))
    g["s p x"] = sp
    # c: bytes of length exactly 1.
    cc = []
    for prefix in ("", "<", ">"):
        for arg in (BY(b"a"), BY(b"\0"), BY(b"\xff"), BY(b""), BY(b"ab"), S("a"), S(""),
                    N(97), N(0), NONE, BOOL(True), L([BY(b"a")]), B(97), N(1.5)):
            cc.append(c_pack(prefix + "c", [arg]))
    cc.append(c_pack("3c", [BY(b"a"), BY(b"b"), BY(b"c")]))
    cc.append(c_pack("3c", [BY(b"abc")]))
    cc.append(c_pack("2c", [BY(b"a"), BY(b"bc")]))
    cc.append(c_pack("0c", []))
    for b in range(0, 256, 17):
        cc.append(c_unpack("c", bytes([b])))
    cc.append(c_unpack("3c", b"xyz"))
    g["c"] = cc
    # ?: truth values (test_bool), and every byte unpacks (nonzero is True).
    bb = []
    truthy_falsy = [N(0), N(1), N(-1), N(2), N(5), N(0xFFFFFFFF + 1), N(0xFFFFFFFF / 2), N(0.0),
                    N(0.5), N(-0.0), N(float("nan")), N(float("inf")), N(1e-300), S(""), S("a"),
                    S("test"), S("0"), NONE, L([]), L([N(1)]), L([N(0)]), L([L([])]), BY(b""),
                    BY(b"\0"), BA(b""), BA(b"x"), BOOL(True), BOOL(False), B(0), B(1), B(-1),
                    B(2**64), B(-(2**100))]
    for prefix in PREFIXES:
        for arg in truthy_falsy:
            bb.append(c_pack(prefix + "?", [arg]))
        false = [L([]), L([]), S(""), N(0)]
        true = [L([N(1)]), S("test"), N(5), N(-1), N(0xFFFFFFFF + 1), N(0xFFFFFFFF / 2)]
        bb.append(c_pack(prefix + "?" * len(false), false))
        bb.append(c_pack(prefix + "?" * len(true), true))
    for prefix in ("", ">", "<"):
        for b in range(256):
            bb.append(c_unpack(prefix + "?", bytes([b])))
    g["bool"] = bb
    # Argument counts.
    counts = []
    for fmt, n in [("iii", 1), ("i", 3), ("i", 0), ("", 1), ("x", 1), ("3x", 2), ("5s", 0),
                   ("5s", 2), ("3c", 1), ("3c", 4), ("2x2s2p", 1), ("2x2s2p", 3), ("0c", 1),
                   ("0s", 0), ("0p", 2), ("<hxi", 3), ("3?", 2), ("2q", 1), ("cbxxxxxxhhhhiillffd?", 16)]:
        counts.append(c_pack(fmt, [N(0)] * n))
    # The count is checked before any value.
    counts.append(c_pack("ii", [S("a")]))
    counts.append(c_pack("b", [N(1000), N(1000)]))
    g["argument counts"] = counts
    # Mixed formats, native alignment and padding, all prefixes (test_transitiveness too).
    mixed = []
    for prefix in PREFIXES:
        for fmt in ("xcbhilfd?", "xcBHILfd?"):
            args = [BY(b"a"), N(1), N(255), N(65535), N(65536), N(3.1415), N(3.1415), BOOL(True)]
            if value_codes(prefix + fmt)[4][1]:
                args[4] = B(65536)
            mixed.append(c_pack(prefix + fmt, args))
        for fmt in ("hhl", "ci", "ic", "cq", "b3i", "bd", "be", "b?", "hxi", "c0q", "c0i",
                    "llh0l", "b0s", "bs", "b5s", "ci3s", "c3si", "qh", "eq", "?d", "3?q",
                    "b7x0q", "5p2s0i", "cbxxxxxxhhhhiillffd?", "3c3b18x12h6i6l6f3d3?",
                    "BHILfdsp", "ddddddddbq", "bhbibqbebfbd", "20B", "7h", "3e2f", "iq2s?"):
            f = prefix + fmt
            for _ in range(2):
                mixed.append(c_pack(f, sample_args(f, rng)))
        for fmt in ("bP", "bn", "bN", "cPc", "nNP"):
            if prefix in ("", "@"):
                mixed.append(c_pack(prefix + fmt, sample_args(prefix + fmt, rng)))
    # A bad value in the middle of a longer format: the first bad value is reported.
    for fmt, args in [("bhi", [N(1), N(1 << 20), N(1 << 40)]),
                      ("bhi", [N(1), N(2), S("x")]),
                      ("ccc", [BY(b"a"), BY(b"bb"), N(1)]),
                      ("<5h", [N(1), N(2), N(3), N(4), N(70000)]),
                      ("<q2s", [B(1 << 63), S("x")]), ("!IsI", [N(1), S("x"), N(-1)]),
                      ("efd", [N(1e300), N(1e300), N(1e300)]),
                      ("<efd", [N(1.0), N(1e300), N(1e300)])]:
        mixed.append(c_pack(fmt, args))
    g["mixed formats"] = mixed
    return g


def unpack_groups():
    g = {}
    rng = random.Random(8080)
    for code in ALL_CODES:
        cases = []
        for prefix in PREFIXES:
            if code in NATIVE_ONLY and prefix not in ("", "@"):
                cases.append(c_unpack(prefix + code, b""))
                continue
            for count in ("", "2"):
                fmt = prefix + count + code
                size = struct.calcsize(fmt)
                patterns = {b"\0" * size, b"\xff" * size, bytes(range(1, size + 1))}
                if size:
                    patterns.add(b"\x80" + b"\0" * (size - 1))
                    patterns.add(b"\0" * (size - 1) + b"\x80")
                    patterns.add(b"\x7f" + b"\xff" * (size - 1))
                    patterns.add(b"\xff" * (size - 1) + b"\x7f")
                for _ in range(6):
                    patterns.add(bytes(rng.randrange(256) for _ in range(size)))
                for p in sorted(patterns):
                    cases.append(c_unpack(fmt, p))
                cases.append(c_unpack(fmt, b"\0" * (size + 1)))
                if size:
                    cases.append(c_unpack(fmt, b"\0" * (size - 1)))
        g["unpack " + code] = cases
    # Mixed formats with native padding: pad bytes are ignored on unpack.
    mixed = []
    for fmt in ("@bq", "bd", "ci3s", "hxi", "<hxi", "llh0l", "c0q", "xcbhilfd?", ">xcBHILfd?",
                "5p2s0i", "=hhl", "@hhl", "!bhilq", "<bhilq", "bhilqnNP", "3?q", "c0i"):
        size = struct.calcsize(fmt)
        for _ in range(3):
            mixed.append(c_unpack(fmt, bytes(rng.randrange(256) for _ in range(size))))
        mixed.append(c_unpack(fmt, b"\xff" * size))
    # Sizes: exact bytes, whatever the format.
    for fmt, n in [("", 1), ("", 0), ("i", 0), ("d", 4), ("ii", 4), ("ii", 12), ("3x", 2),
                   ("0s", 1), ("iii", 8)]:
        mixed.append(c_unpack(fmt, b"\1" * n))
    for buf in (S("abcd"), S(""), L([N(1), N(2), N(3), N(4)]), N(5), N(1.5), NONE, BOOL(True), B(5)):
        mixed.append(c_unpack("i", buf))
        mixed.append(c_unpack("", buf))
    mixed.append(c_unpack("b", N(0)))  # test_issue29802
    mixed.append(c_unpack("b", b"a"))
    mixed.append(c_unpack(">I", b"\x12\x34\x56\x78"))  # test_unpack_with_buffer
    g["unpack mixed"] = mixed
    return g


def buffer_groups():
    g = {}
    ms = MAXSIZE
    rng = random.Random(30245)
    # unpack_from: every offset around the edges, and the huge ones.
    uf = []
    data = b"abcd01234"
    for fmt in ("4s", "<I", "b", "", "<B", "ii", "<hxi", "3x", "<d", "2s"):
        size = struct.calcsize(fmt)
        for buf in (data, b"", b"\x01", bytes(range(10)), bytes(range(16))):
            n = len(buf)
            offsets = sorted(set(range(-n - 2, n + 3)) | {-size, -size - 1, n - size,
                                                             n - size + 1})
            for off in offsets:
                uf.append(c_unpack_from(fmt, [BY(buf), N(off)]))
            uf.append(c_unpack_from(fmt, [BY(buf)]))
    for fmt in ("<I", "b", ""):
        buf = BY(bytes(10))
        for off in (B(ms), B(ms - 1), B(-ms), B(-ms - 1), B(2**63), B(-(2**63) - 1), B(2**64),
                    B(-(2**64)), B(10**30), N(2**63), N(-(2**63)), N(2**64), N(-(2**64)),
                    N(1e300), B(5), B(-4), B(0), N(2**53), B(2**53 + 1), N(-(2**53)),
                    N(1.5), N(-0.5), N(float("nan")), N(float("inf")), NONE, S("0"),
                    BY(b"\0"), L([]), BOOL(True), BOOL(False)):
            uf.append(c_unpack_from(fmt, [buf, off]))
    uf.append(c_unpack_from("b", [BA(bytes(1)), N(5)]))  # test_boundary_error_message
    uf.append(c_unpack_from("<I", [BA(bytes(10)), N(-2)]))
    uf.append(c_unpack_from("<B", [BA(bytes(10)), N(-11)]))
    uf.append(c_unpack_from("<I", [BA(bytes(10)), B(ms)]))
    for buf in (S("abc"), NONE, L([N(1)]), N(5)):
        uf.append(c_unpack_from("b", [buf, N(0)]))
        uf.append(c_unpack_from("b", [buf, N(1.5)]))
    g["unpack_from"] = uf

    # pack_into: offsets, partial writes, argument counts, check order.
    pi = []
    fill = b"\xaa"
    for fmt, args in (("b", [N(1)]), ("<I", [N(0x01020304)]), ("<B", [N(123)]), ("", []),
                      ("3x", []), ("<hxi", [N(-2), N(7)]), ("21s", [BY(b"Reykjavik rocks, eow!")]),
                      ("4s", [BY(b"ab")]), ("ii", [N(1), N(2)]), (">qd", [B(-5), N(0.5)]),
                      ("c?", [BY(b"z"), BOOL(True)])):
        size = struct.calcsize(fmt)
        for n in (0, 1, 3, 10, 21):
            buf = fill * n
            offsets = sorted(set(range(-n - 2, n + 3)) | {-size, -size - 1, n - size,
                                                             n - size + 1})
            for off in offsets:
                pi.append(c_pack_into(fmt, [BA(buf), N(off)] + args))
    for fmt, args in (("<I", [N(1)]), ("b", [N(1)]), ("", [])):
        for off in (B(ms), B(ms - 1), B(-ms), B(-ms - 1), B(2**63), B(-(2**63) - 1), B(2**64),
                    B(10**30), N(2**63), N(-(2**63)), N(2**64), N(1e300), B(5), B(-4),
                    N(1.5), N(float("nan")), NONE, S("0"), L([]), BOOL(True), BOOL(False)):
            pi.append(c_pack_into(fmt, [BA(fill * 10), off] + args))
    pi.append(c_pack_into("b", [BA(bytes(1)), N(5), N(1)]))  # test_boundary_error_message
    pi.append(c_pack_into("<I", [BA(bytes(10)), N(-2), N(123)]))
    pi.append(c_pack_into("<B", [BA(bytes(10)), N(-11), N(123)]))
    pi.append(c_pack_into("<I", [BA(bytes(10)), B(ms), N(1)]))
    # test_pack_into: two writes into one buffer are two calls; here, each from a fresh copy.
    pi.append(c_pack_into("21s", [BA(b" " * 100), N(0), BY(b"Reykjavik rocks, eow!")]))
    pi.append(c_pack_into("21s", [BA(b" " * 100), N(10), BY(b"Reykjavik rocks, eow!")]))
    pi.append(c_pack_into("21s", [BA(b" " * 10), N(0), BY(b"Reykjavik rocks, eow!")]))
    pi.append(c_pack_into("21s", [BA(b" " * 10), N(2), BY(b"Reykjavik rocks, eow!")]))
    g["pack_into offsets"] = pi

    partial = []
    for fmt, args in (("ii", [N(1), N(2**40)]), ("ii", [N(2**40), N(1)]), ("<hxi", [N(1), S("x")]),
                      ("<ihi", [N(1), N(2), S("bad")]), ("cc", [BY(b"a"), BY(b"ab")]),
                      ("<he", [N(1), N(65520.0)]), ("<hf", [N(1), N(1e300)]),
                      (">3sq", [BY(b"abcdef"), B(2**64)]), ("?b", [BOOL(True), N(128)]),
                      ("<5p3sI", [BY(b"abcdef"), BY(b"x"), N(-1)]), ("bq", [N(5), N(1.5)]),
                      ("b0qd", [N(1), S("x")]), ("<4B", [N(1), N(2), N(3), N(256)]),
                      ("<8B", [N(1), N(2), N(3), N(4), N(5), N(6), N(7), N(-1)]),
                      ("ii", [N(1), N(2)]), (">q", [B(2**64 + 0x1122)]),
                      ("!q", [B(-(2**64) - 5)]), (">Q", [B(2**70 + 0x0102030405060708)]),
                      (">Q", [B(-5)]), (">bQ", [N(1), B(2**64 + 7)]),
                      # runs of one code, failing inside: the interpreter writes a run at a time
                      ("<HHIII", [N(1), N(2), N(3), N(-1), N(5)]),
                      (">5H", [N(1), N(2), N(70000), N(4), N(5)]),
                      (">2b3Q", [N(1), N(2), B(3), B(4), B(2**64 + 9)]),
                      ("<2h3B", [N(1), N(2), N(3), N(300), N(5)])):
        for off in (0, 3, -struct.calcsize(fmt)):
            partial.append(c_pack_into(fmt, [BA(b"\xaa" * 24), N(off)] + args))
    g["pack_into partial writes"] = partial

    pc = []
    pc.append(c_pack_into("i", []))
    pc.append(c_pack_into("i", [BA(bytes(4))]))
    pc.append(c_pack_into("i", [BA(bytes(4)), N(0)]))
    pc.append(c_pack_into("ii", [BA(bytes(8)), N(0), N(1), N(2), N(3)]))
    pc.append(c_pack_into("x", [BA(bytes(4)), N(0), N(1)]))
    pc.append(c_pack_into("3c", [BA(bytes(4)), N(0), BY(b"a")]))
    pc.append(c_pack_into("5s", [BA(bytes(8)), N(0)]))
    pc.append(c_pack_into("", [BA(bytes(4)), N(0)]))
    pc.append(c_pack_into("", []))
    pc.append(c_pack_into("", [S("abc")]))
    pc.append(c_pack_into_nofmt())
    for buf in (S("abc"), S(""), NONE, L([N(1), N(2), N(3), N(4)]), N(5), N(1.5), BOOL(True), B(1)):
        pc.append(c_pack_into("i", [buf, N(0), N(1)]))
        pc.append(c_pack_into("i", [buf, N(1.5), S("x")]))  # buffer checked before offset
        pc.append(c_pack_into("i", [buf]))  # count checked before buffer
    pc.append(c_pack_into("i", [BA(bytes(4)), N(1.5), S("x")]))  # offset before value
    pc.append(c_pack_into("i", [BA(bytes(4)), N(100), S("x")]))
    pc.append(c_pack_into("i", [BA(bytes(4)), NONE, N(1)]))
    pc.append(c_pack_into("i", [BA(bytes(4)), S("0"), N(1)]))
    pc.append(c_pack_into("i", [BA(bytes(8)), BOOL(True), N(1)]))
    pc.append(c_pack_into("z", [BA(bytes(4))]))  # format before count
    g["pack_into arguments"] = pc

    # iter_unpack.
    it = []
    for fmt, buf in (
        (">IB", bytes(range(1, 16))), (">IB", bytes(range(1, 11))), (">IB", b""),
        (">ibcp", b""), (">ibcp", b"1234567"), (">ibcp", b"123456"), (">ibcp", b"12345678"),
        (">", b""), (">", b"12"), ("", b""), ("0s", b""), ("x", b"abc"), ("3x", b"abcdef"),
        ("<h", bytes(range(6))), ("<h", bytes(range(5))), ("?", b"\0\1\2\0"),
        ("q", bytes(range(16))), ("<Q", b"\xff" * 16), ("2s", b"abcdef"), ("p", b"\0\1"),
        ("3p", b"\x02ab\x05cd"), ("<e", b"\0<\0|\0~"), ("@bq", bytes(range(32))),
        ("c", b"xyz"), ("<d", bytes(8)), ("i", b"abc"),
    ):
        it.append(c_iter_unpack(fmt, buf))
    for buf in (S("abc"), NONE, L([N(1)]), N(5), BOOL(False)):
        it.append(c_iter_unpack("b", buf))
        it.append(c_iter_unpack("", buf))  # size 0 is checked first
    for _ in range(10):
        fmt = rng.choice(("<hI", "bd", ">q?", "3B", "<e", "=l", "@l"))
        size = struct.calcsize(fmt)
        it.append(c_iter_unpack(fmt, bytes(rng.randrange(256) for _ in range(size * rng.randrange(6)))))
    g["iter_unpack"] = it
    return g


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------


def dump(path, about, groups):
    text = grouped_fixture(about, "scripts/gen_struct_fixtures.py", groups)
    write_text(path, text)
    count = sum(len(c) for c in groups.values())
    print("%-42s %6d cases %9d bytes" % (os.path.relpath(path), count, len(text)))


def main():
    check_host()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "test", "fixtures", "struct")
    os.makedirs(out, exist_ok=True)
    files = [
        ("grammar.json", "calcsize, the format grammar and its errors, Struct attributes",
         grammar_groups),
        ("ints.json", "integer codes x prefixes: boundaries, ranges, non-integers", int_groups),
        ("floats.json", "e f d: rounding, overflow, specials, test_half_float, bit patterns",
         float_groups),
        ("half.json", "every binary16 bit pattern, unpacked and repacked",
         half_exhaustive_groups),
        ("values.json", "c ? s p x, argument counts, mixed and aligned formats", value_groups),
        ("unpack.json", "unpack of byte patterns for every code and prefix, sizes, non-buffers",
         unpack_groups),
        ("buffers.json", "unpack_from, pack_into (offsets, partial writes), iter_unpack",
         buffer_groups),
    ]
    for name, about, build in files:
        dump(os.path.join(out, name), "CPython 3.13 golden struct fixtures: " + about, build())


if __name__ == "__main__":
    main()
