#!/usr/bin/env python3
"""Golden fixtures for memview's MemoryView, computed by CPython 3.13.

Run from the repository root:

    PYENV_VERSION=3.13.0 python3 scripts/gen_view_fixtures.py

Writes test/fixtures/view/*.json, read by test/view.golden.test.ts. Every expected answer is
what CPython 3.13 itself returned (memoryview, with `_testbuffer.ndarray` as the exporter of
arbitrary layouts and ctypes for the raw `Py_buffer` a consumer receives); nothing is typed
in by hand except the *inputs*. The only expectations not taken from a memoryview are the
"extension" cases (see below), computed with `struct` and `_testbuffer.ndarray`. The output
is deterministic (fixed seed, one case per line, sorted keys), so a regeneration diff shows
exactly what changed. The generator refuses any Python but CPython 3.13 on an LP64
little-endian host.

A case is a small program
-------------------------
    {"label": "...", "exporters": {name: exporter}, "steps": [step, ...],
     "extension"?: "<which sanctioned extension>"}

The test builds the exporters, then runs the steps in order against a table of named
registers (exporters, views, buffer infos). Every step either raises or not: a step with
"error": {"error": "<class>", "message": "..."} must throw that class (Python's TypeError
is JavaScript's) with that exact message; a step without "error" must not throw, and
"expect" (when present) is the value it returns. A step that made a new object names it
in "out".

Exporters (the JS counterparts of the Python objects the case was run with):

    {"kind": "bytes", "data": hex}           Python bytes: a read-only exporter, format 'B'
    {"kind": "bytearray", "data": hex}       Python bytearray: a writable Uint8Array, or,
        with "track": true, an ndarray-like writable 'B' exporter that counts its exports
        (so the test can see whether views still hold it, as CPython's resize check does)
    {"kind": "ndarray", "data": hex, "shape", "strides", "offset", "format", "itemsize",
     "readonly"}                              _testbuffer.ndarray: "data" is all of its
        memory, "offset" the byte offset of element (0, ..., 0), strides in bytes

Steps ("in" is the view the step works on; registers are strings):

    view      {"of"}               memoryview(of); {"value"}: memoryview(value) of a non-exporter
    slice     {"in", "args"}       m[a:b:c]        -> m.slice(...args)
    cast      {"in", "args"}       m.cast(fmt[, shape])
    toreadonly{"in"}               m.toreadonly()
    attrs     {"in", "expect"}     every attribute: {"obj": exporter name, "nbytes",
                                   "readonly", "itemsize", "format", "ndim", "shape",
                                   "strides", "suboffsets", "c", "f", "contiguous"
                                   (c_contiguous, f_contiguous, contiguous), "len": the
                                   length or an error spec}
    attr      {"in", "name"}       one property, by its memview name (for released views)
    tolist    {"in"}               m.tolist()      -> m.toList()
    tobytes   {"in", "args"}       m.tobytes(...)  -> m.toBytes(...)
    hex       {"in", "args"}       m.hex(...)
    iter      {"in"}               list(m)         -> [...m]
    get       {"in", "args"}       m[i] (one arg), m[i, j, ...] (several), m[()] (none)
                                   -> m.get(...args)
    set       {"in", "args"}       the same keys, the value last -> m.set(...args)
    assign    {"in", "args", "src"}  m[a:b:c] = src -> m.slice(...args).assign(src)
                                   (when m[a:b:c] itself raises, that is the expected error:
                                   the JS call raises in slice() before assign() is reached)
    equals    {"in", "other"}      m == other (other is an encoded value, often a register)
    release   {"in"}               m.release()
    dispose   {"in"}               m.__exit__()    -> m[Symbol.dispose]()
    getbuf    {"in", "flags"}      PyObject_GetBuffer(m, flags) -> getBuffer(m, flags); the
                                   info is kept in "out" when given, else released at once
                                   (releaseBuffer). "expect": {"len", "readonly", "itemsize",
                                   "format" (null: not requested, the consumer sees 'B'),
                                   "ndim", "shape" / "strides" (null: not requested),
                                   "offset" (bytes from the start of the exporter's memory)}
    releasebuf{"in"}               PyBuffer_Release(info) -> releaseBuffer(info)
    locked    {"of", "expect"}     whether the exporter still has exports (CPython: a
                                   bytearray resize fails with BufferError)
Mutating steps (set, assign) carry "mem": {exporter name: hex}, the exporter's whole memory
after the step, on success and on failure.

Value encoding (as test/helpers/fixtures.ts, scripts/gen_struct_fixtures.py)
---------------------------------------------------------------------------
    42, -7, 1.5, 1.8e+19   a JS number (integral numbers stand for Python ints, except where
                           a float code takes them; an argument beyond 2**53 written as a
                           number is that exact double, the Python int of the same value)
    {"int": "<decimal>"}   a JS bigint: every int of an 8-byte integer code (q Q n N P, and
                           native l L under LP64) and every int beyond 2**53; other ints are
                           numbers. Arguments sometimes use the other representation
                           ("alt": true on the step), which CPython sees as the same int.
    {"float": "nan"|"-nan"|"inf"|"-inf"|"-0"}   special numbers
    true / false           booleans
    {"bytes": hex}         a fresh Uint8Array (Python bytes)
    "text"                 a JS string (Python str)
    null                   JS null (Python None)
    [...]                  a JS array (Python list, or a record's tuple)
    {"reg": name}          the object in that register
    {"object": true}       a fresh empty plain object (a Python dict)
    {"undefined": true}    an omitted argument (only to skip one before a later one)

Extensions (cases with an "extension" field, groups named "extension ...")
-------------------------------------------------------------------------
memview deliberately goes beyond CPython in three places (README, ARCHITECTURE.md): element
access / tolist / set for any struct format ('<i', '>d', records, counts), slice assignment
in any number of dimensions, and cast to any struct format. CPython raises
NotImplementedError or ValueError there; those answers are never recorded. Instead the
expectations are computed with `struct` (unpack_from/pack_into at each element's offset) and
`_testbuffer.ndarray` (its multi-dimensional slice assignment), and the case says so.

Left out (no JavaScript counterpart): pickle, copy, weakref, hash, repr addresses, objects
with __index__/__int__/__float__, integral floats as indices or int values (JS 2.0 is 2),
Ellipsis keys, mixed slice tuples, `del m[i]`, PIL-style suboffsets, ND_REDIRECT exporters,
Python truthiness of empty containers and NaN for '?', bool indices, None as hex's sep (JS
may read null as "omitted"), iter() of a released view (a SystemError in CPython 3.13),
bytearray given where bytes are wanted (JS has one Uint8Array), and '?' views of bytes other
than 0 and 1 (undefined behaviour in CPython's C). Slices whose huge step made a huge stride
are not sliced again: the next stride overflows ssize_t in C (undefined behaviour).
"""

import array
import ctypes
import json
import math
import os
import random
import struct
import sys
import warnings

SEED = 20240913
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "view")

NATIVE = "cbB?hHiIlLqQnNfdeP"
BYTE_FORMATS = "bBc"
WIDE = "qQnNPlL"  # 8-byte integer codes under LP64: bigints in JS
INT_CODES = "bBhHiIlLqQnNP"
ERROR_NAMES = (
    "TypeError",
    "ValueError",
    "IndexError",
    "BufferError",
    "NotImplementedError",
    "OverflowError",
)


def check_host():
    if sys.version_info[:2] != (3, 13) or sys.implementation.name != "cpython":
        sys.exit(
            "gen_view_fixtures.py needs CPython 3.13 (try PYENV_VERSION=3.13.0), not %s %s"
            % (sys.implementation.name, sys.version.split()[0])
        )
    if not (
        sys.maxsize == 2**63 - 1
        and sys.byteorder == "little"
        and struct.calcsize("P") == 8
        and struct.calcsize("l") == 8
    ):
        sys.exit("gen_view_fixtures.py needs an LP64 little-endian host")


check_host()

from _testbuffer import (  # noqa: E402 - after the version check
    ND_FORTRAN,
    ND_WRITABLE,
    PyBUF_ANY_CONTIGUOUS,
    PyBUF_C_CONTIGUOUS,
    PyBUF_CONTIG,
    PyBUF_CONTIG_RO,
    PyBUF_F_CONTIGUOUS,
    PyBUF_FORMAT,
    PyBUF_FULL,
    PyBUF_FULL_RO,
    PyBUF_INDIRECT,
    PyBUF_ND,
    PyBUF_RECORDS,
    PyBUF_RECORDS_RO,
    PyBUF_SIMPLE,
    PyBUF_STRIDED,
    PyBUF_STRIDED_RO,
    PyBUF_STRIDES,
    PyBUF_WRITABLE,
    ndarray,
)

from fixturejson import grouped_fixture, write_text  # noqa: E402
from structfmt import value_codes  # noqa: E402
from pybuffer import PyBuffer, get_buffer, pointer_of, release_buffer  # noqa: E402

# ---------------------------------------------------------------------------------------
# The raw Py_buffer, through ctypes (scripts/pybuffer.py)
# ---------------------------------------------------------------------------------------


def describe_buffer(view, base):
    """The fields of a Py_buffer a consumer got, as the fixtures record them."""
    ndim = view.ndim
    return {
        "len": view.len,
        "readonly": bool(view.readonly),
        "itemsize": view.itemsize,
        "format": None if view.format is None else view.format.decode("ascii"),
        "ndim": ndim,
        "shape": [view.shape[i] for i in range(ndim)] if view.shape else None,
        "strides": [view.strides[i] for i in range(ndim)] if view.strides else None,
        "offset": (view.buf or 0) - base,
    }


# ---------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------


def enc_float(x):
    if math.isnan(x):
        return {"float": "-nan" if math.copysign(1.0, x) < 0 else "nan"}
    if math.isinf(x):
        return {"float": "inf" if x > 0 else "-inf"}
    if x == 0 and math.copysign(1.0, x) < 0:
        return {"float": "-0"}
    return x


class Reg:
    """A register reference used as an argument."""

    def __init__(self, name):
        self.name = name


class Alt:
    """An int argument given in the other JS representation (bigint <-> number)."""

    def __init__(self, value):
        self.value = value


class Obj:
    """A Python dict argument: a fresh plain JS object."""


class Undefined:
    """An omitted JS argument."""


class Num:
    """An int given as a JS number even beyond 2**53 (an exact double)."""

    def __init__(self, value):
        assert int(float(value)) == value
        self.value = value


def arg(x, wide=False):
    """The JSON encoding of a Python argument. Ints: bigint when `wide` or not safe."""
    if isinstance(x, Reg):
        return {"reg": x.name}
    if isinstance(x, Alt):
        v = x.value
        assert isinstance(v, int) and not isinstance(v, bool) and abs(v) <= 2**53
        return v if wide else {"int": str(v)}
    if isinstance(x, Obj):
        return {"object": True}
    if isinstance(x, Num):
        return x.value if abs(x.value) <= 2**53 else float(x.value)
    if isinstance(x, Undefined):
        return {"undefined": True}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return {"int": str(x)} if (wide or abs(x) > 2**53) else x
    if isinstance(x, float):
        return enc_float(x)
    if isinstance(x, bytes):
        return {"bytes": x.hex()}
    if isinstance(x, list):
        return [arg(v, wide) for v in x]
    raise TypeError("cannot encode argument %r" % (x,))


def py_slice(args, regs):
    """The Python slice m.slice(*args) stands for: the arguments are start, stop, step in
    that order (m.slice(1) is m[1:], m.slice() is m[:])."""
    start, stop, step = ([py_arg(a, regs) for a in args] + [None, None, None])[:3]
    return slice(start, stop, step)


def py_arg(x, regs):
    """The Python value of an argument."""
    if isinstance(x, Reg):
        return regs[x.name]
    if isinstance(x, Alt):
        return x.value
    if isinstance(x, Obj):
        return {}
    if isinstance(x, Num):
        return x.value
    if isinstance(x, list):
        return [py_arg(v, regs) for v in x]
    return x


def split_format(fmt):
    prefix = ""
    if fmt[:1] in ("@", "=", "<", ">", "!"):
        prefix, fmt = fmt[0], fmt[1:]
    return prefix, fmt




def is_wide(fmt):
    codes = value_codes(fmt)
    return len(codes) == 1 and codes[0][1]


def result(value, fmt):
    """The JSON encoding of a value a view of format `fmt` returned (nested lists of items,
    an item being a scalar, or a tuple for a multi-value format)."""
    codes = value_codes(fmt)
    wide = len(codes) == 1 and codes[0][1]

    def item(v, w):
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return {"int": str(v)} if (w or abs(v) > 2**53) else v
        if isinstance(v, float):
            return enc_float(v)
        if isinstance(v, bytes):
            return {"bytes": v.hex()}
        raise TypeError("cannot encode %r" % (v,))

    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, tuple):
            assert len(v) == len(codes), (v, fmt)
            return [item(x, c[1]) for x, c in zip(v, codes)]
        return item(v, wide)

    return walk(value)


def error_of(exc):
    name = type(exc).__name__
    if name not in ERROR_NAMES:
        raise RuntimeError("unexpected %s: %s" % (name, exc)) from exc
    return {"error": name, "message": str(exc)}


def run(fn):
    try:
        return True, fn()
    except Exception as e:  # noqa: BLE001 - classified by error_of
        return False, error_of(e)


# ---------------------------------------------------------------------------------------
# Exporters
# ---------------------------------------------------------------------------------------


def dummy_item(fmt):
    vals = []
    for code, _ in value_codes(fmt):
        vals.append(
            b"\0" if code == "c" else b"" if code in "sp" else False if code == "?" else
            0.0 if code in "efd" else 0
        )
    return vals[0] if len(vals) == 1 else tuple(vals)


class Root:
    """An exporter of a case and a way to read all of its memory."""

    def __init__(self, kind, obj, spec, base=None, memlen=None):
        self.kind, self.obj, self.spec, self.base, self.memlen = kind, obj, spec, base, memlen

    def memory(self):
        if self.kind in ("bytes", "bytearray"):
            return bytes(self.obj)
        return ctypes.string_at(self.base, self.memlen)

    def base_pointer(self):
        if self.kind in ("bytes", "bytearray"):
            return pointer_of(self.obj)
        return self.base


def nd_root(nd, memlen):
    base = pointer_of(nd) - nd.offset
    spec = {
        "kind": "ndarray",
        "shape": list(nd.shape),
        "strides": list(nd.strides),
        "offset": nd.offset,
        "format": nd.format,
        "itemsize": nd.itemsize,
        "readonly": bool(nd.readonly),
    }
    root = Root("ndarray", nd, spec, base, memlen)
    return root


def make_nd(raw, shape, strides, offset, fmt, readonly):
    """A _testbuffer.ndarray over exactly the bytes `raw`, with this layout."""
    itemsize = struct.calcsize(fmt)
    assert len(raw) % itemsize == 0 and len(raw) >= itemsize
    n = len(raw) // itemsize
    flags = 0 if readonly else ND_WRITABLE
    if shape:
        nd = ndarray([dummy_item(fmt)] * n, shape=shape, strides=strides, offset=offset,
                     format=fmt, flags=flags)
    else:
        assert n == 1 and offset == 0
        nd = ndarray(dummy_item(fmt), shape=[], format=fmt, flags=flags)
    root = nd_root(nd, len(raw))
    ctypes.memmove(root.base, raw, len(raw))
    return root


def items_nd(items, shape, fmt, flags=0, strides=None, offset=0):
    """A _testbuffer.ndarray from items (like CPython's tests build them)."""
    itemsize = struct.calcsize(fmt)
    n = len(items) if isinstance(items, list) else 1
    if strides is None:
        nd = ndarray(items, shape=shape, format=fmt, flags=flags, offset=offset)
    else:
        nd = ndarray(items, shape=shape, strides=strides, format=fmt, flags=flags,
                     offset=offset)
    return nd_root(nd, n * itemsize)


# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------


class Case:
    """Runs operations under CPython and records them as steps with CPython's answers."""

    def __init__(self, out, label, extension=None):
        self.d = {"label": label, "exporters": {}, "steps": []}
        if extension:
            self.d["extension"] = extension
        out.append(self.d)
        self.regs = {}
        self.roots = {}
        self.root_of = {}
        self.n = 0

    def fresh(self, prefix="m"):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    # -- exporters ----------------------------------------------------------------------

    def add(self, root, name=None):
        name = name or "x%d" % (len(self.roots) + 1)
        spec = dict(root.spec)
        spec["data"] = root.memory().hex()
        self.d["exporters"][name] = spec
        self.roots[name] = root
        self.regs[name] = root.obj
        self.root_of[name] = name
        return name

    def bytes(self, data, name=None):
        data = bytes(data)
        return self.add(Root("bytes", data, {"kind": "bytes"}), name)

    def bytearray(self, data, name=None, track=False):
        spec = {"kind": "bytearray"}
        if track:
            spec["track"] = True
        return self.add(Root("bytearray", bytearray(data), spec), name)

    def ndarray(self, raw, shape, strides, offset, fmt, readonly, name=None):
        return self.add(make_nd(bytes(raw), shape, strides, offset, fmt, readonly), name)

    def foreign(self, obj, name=None):
        """Any C-contiguous exporter (a ctypes structure, an array.array): an ndarray spec
        with its layout over a copy of its memory."""
        view = get_buffer(obj, PyBUF_FULL_RO)
        try:
            ndim = view.ndim
            spec = {
                "kind": "ndarray",
                "shape": [view.shape[i] for i in range(ndim)],
                "strides": [view.strides[i] for i in range(ndim)],
                "offset": 0,
                "format": view.format.decode("ascii"),
                "itemsize": view.itemsize,
                "readonly": bool(view.readonly),
            }
            root = Root("foreign", obj, spec, view.buf, view.len)
        finally:
            release_buffer(view)
        assert memoryview(obj).c_contiguous
        return self.add(root, name)

    def nd_items(self, items, shape, fmt, flags=0, strides=None, offset=0, name=None):
        return self.add(items_nd(items, shape, fmt, flags, strides, offset), name)

    # -- helpers ------------------------------------------------------------------------

    def step(self, op, **fields):
        s = {"op": op}
        for k, v in fields.items():
            s["in" if k == "in_" else k] = v
        self.d["steps"].append(s)
        return s

    def new_view(self, op, src, fn, out=None, **fields):
        ok, res = run(fn)
        s = self.step(op, in_=src, **fields) if op != "view" else self.step(op, of=src, **fields)
        if not ok:
            s["error"] = res
            return None
        out = out or self.fresh()
        s["out"] = out
        self.regs[out] = res
        self.root_of[out] = self.root_of[src]
        return out

    def mem(self, name):
        root = self.root_of[name]
        return {root: self.roots[root].memory().hex()}

    # -- operations ---------------------------------------------------------------------

    def view(self, of, out=None):
        return self.new_view("view", of, lambda: memoryview(self.regs[of]), out)

    def view_of_value(self, value):
        """memoryview(value) of a value that is no register (a non-exporter)."""
        ok, res = run(lambda: memoryview(py_arg(value, self.regs)))
        assert not ok
        self.step("view", value=arg(value), error=res)

    def slice(self, m, *args, out=None):
        key = py_slice(args, self.regs)
        return self.new_view("slice", m, lambda: self.regs[m][key], out,
                             args=[arg(a) for a in args])

    def cast(self, m, *args, out=None):
        pargs = [py_arg(a, self.regs) for a in args]
        return self.new_view("cast", m, lambda: self.regs[m].cast(*pargs), out,
                             args=[arg(a) for a in args])

    def toreadonly(self, m, out=None):
        return self.new_view("toreadonly", m, lambda: self.regs[m].toreadonly(), out)

    def attrs(self, m):
        v = self.regs[m]
        assert v.obj is self.roots[self.root_of[m]].obj
        _, n = run(lambda: len(v))
        expect = {
            "obj": self.root_of[m],
            "nbytes": v.nbytes,
            "readonly": v.readonly,
            "itemsize": v.itemsize,
            "format": v.format,
            "ndim": v.ndim,
            "shape": list(v.shape),
            "strides": list(v.strides),
            "suboffsets": list(v.suboffsets),
            "c": v.c_contiguous,
            "f": v.f_contiguous,
            "contiguous": v.contiguous,
            "len": n,
        }
        self.step("attrs", in_=m, expect=expect)

    def attr(self, m, name, pyname=None):
        v = self.regs[m]
        if name == "length":
            ok, res = run(lambda: len(v))
        else:
            ok, res = run(lambda: getattr(v, pyname or name))
        s = self.step("attr", in_=m, name=name)
        if ok:
            s["expect"] = res if not isinstance(res, tuple) else list(res)
        else:
            s["error"] = res
        return s

    def value_step(self, op, m, fn, fmt=None, **fields):
        ok, res = run(fn)
        s = self.step(op, in_=m, **fields)
        if ok:
            s["expect"] = result(res, fmt if fmt is not None else self.regs[m].format)
        else:
            s["error"] = res
        return ok, res

    def tolist(self, m):
        return self.value_step("tolist", m, lambda: self.regs[m].tolist())

    def iter(self, m):
        return self.value_step("iter", m, lambda: list(self.regs[m]))

    def tobytes(self, m, *args):
        pargs = [py_arg(a, self.regs) for a in args]
        ok, res = run(lambda: self.regs[m].tobytes(*pargs))
        s = self.step("tobytes", in_=m, args=[arg(a) for a in args])
        if ok:
            s["expect"] = {"bytes": res.hex()}
        else:
            s["error"] = res

    def hex(self, m, *args):
        pargs = [py_arg(a, self.regs) for a in args if not isinstance(a, Undefined)]
        kwargs = {}
        if args and isinstance(args[0], Undefined):
            kwargs = {"bytes_per_sep": pargs.pop()}
        ok, res = run(lambda: self.regs[m].hex(*pargs, **kwargs))
        s = self.step("hex", in_=m, args=[arg(a) for a in args])
        if ok:
            s["expect"] = res
        else:
            s["error"] = res

    @staticmethod
    def key(indices):
        if len(indices) == 1:
            return indices[0]
        return tuple(indices)

    def get(self, m, *indices):
        k = self.key([py_arg(i, self.regs) for i in indices])
        return self.value_step("get", m, lambda: self.regs[m][k],
                               args=[arg(i) for i in indices])

    def set(self, m, *args, wide=None):
        """m[indices] = value; `wide` picks the value's int representation (default: the
        view's format)."""
        *indices, value = args
        k = self.key([py_arg(i, self.regs) for i in indices])
        v = py_arg(value, self.regs)
        view = self.regs[m]
        if wide is None:
            ok, wide = run(lambda: is_wide(view.format))
            wide = ok and wide
        if isinstance(v, float) and math.isfinite(v) and v == int(v):
            ok, fmt = run(lambda: split_format(view.format)[1])
            assert not (ok and fmt in INT_CODES), "an integral float is an int in JS"
        ok, res = run(lambda: view.__setitem__(k, v))
        s = self.step("set", in_=m, args=[arg(i) for i in indices] + [arg(value, wide)])
        if isinstance(value, Alt):
            s["alt"] = True
        if not ok:
            s["error"] = res
        s["mem"] = self.mem(m)
        return ok

    def assign(self, m, args, src):
        """m[a:b:c] = src, as m.slice(a, b, c).assign(src)."""
        view = self.regs[m]
        key = py_slice(args, self.regs)
        s = self.step("assign", in_=m, args=[arg(a) for a in args], src=arg(src))
        ok, res = run(lambda: view[key])
        if ok:
            v = py_arg(src, self.regs)
            ok, res = run(lambda: view.__setitem__(key, v))
        if not ok:
            s["error"] = res
        s["mem"] = self.mem(m)
        return ok

    def equals(self, m, other):
        o = py_arg(other, self.regs)
        res = self.regs[m] == o
        assert (self.regs[m] != o) is (not res)
        self.step("equals", in_=m, other=arg(other), expect=res)
        return res

    def release(self, m):
        ok, res = run(lambda: self.regs[m].release())
        s = self.step("release", in_=m)
        if not ok:
            s["error"] = res
        return ok

    def dispose(self, m):
        ok, res = run(lambda: self.regs[m].__exit__(None, None, None))
        s = self.step("dispose", in_=m)
        if not ok:
            s["error"] = res
        return ok

    def getbuf(self, m, flags, keep=False):
        base = self.roots[self.root_of[m]].base_pointer()
        ok, res = run(lambda: get_buffer(self.regs[m], flags))
        s = self.step("getbuf", in_=m, flags=flags)
        if not ok:
            s["error"] = res
            return None
        s["expect"] = describe_buffer(res, base)
        if keep:
            out = self.fresh("b")
            s["out"] = out
            self.regs[out] = res
            return out
        release_buffer(res)
        return None

    def releasebuf(self, b):
        release_buffer(self.regs.pop(b))
        self.step("releasebuf", in_=b)

    def locked(self, of):
        ba = self.regs[of]
        assert isinstance(ba, bytearray)
        try:
            ba.append(0)
        except BufferError as e:
            assert str(e) == "Existing exports of data: object cannot be re-sized"
            res = True
        else:
            ba.pop()
            res = False
        self.step("locked", of=of, expect=res)
        return res


# ---------------------------------------------------------------------------------------
# Random inputs
# ---------------------------------------------------------------------------------------


def int_range(fmt):
    prefix, code = split_format(fmt)
    bits = 8 * struct.calcsize(prefix + code)
    if code in "bhilqn":
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1


def random_raw(rng, n, fmt=None):
    if fmt is not None and split_format(fmt)[1] == "?":
        return bytes(rng.choice((0, 1)) for _ in range(n))
    return bytes(rng.randrange(256) for _ in range(n))


def random_layout(rng, itemsize, max_bytes=96):
    """(shape, strides, offset, memlen): a layout _testbuffer accepts (strides and offset
    multiples of the itemsize), with C, Fortran, flipped, permuted, padded, zero or wild
    strides."""
    while True:
        ndim = rng.choice([0, 1, 1, 1, 2, 2, 2, 3, 3])
        shape = [rng.choice([0] + [1] * 2 + [2, 3, 3, 4, 4, 5] * 3) for _ in range(ndim)]
        if rng.random() < 0.8:
            shape = [s or 2 for s in shape]
        c = [1] * ndim
        for d in range(ndim - 2, -1, -1):
            c[d] = c[d + 1] * max(shape[d + 1], 1)
        kind = rng.choice(["C", "C", "F", "flip", "perm", "pad", "zero", "wild"])
        if kind == "C":
            st = c
        elif kind == "F":
            st, s = [], 1
            for d in range(ndim):
                st.append(s)
                s *= max(shape[d], 1)
        elif kind == "flip":
            st = [s if rng.random() < 0.5 else -s for s in c]
        elif kind == "perm":
            st = c[:]
            rng.shuffle(st)
        elif kind == "pad":
            st = [s * rng.choice([1, 2, 3]) for s in c]
        elif kind == "zero":
            st = [0 if rng.random() < 0.5 else s for s in c]
        else:
            st = [rng.randint(-7, 7) for _ in range(ndim)]
        lo = hi = 0
        for n, s in zip(shape, st):
            if n > 0:
                if s < 0:
                    lo += (n - 1) * s
                else:
                    hi += (n - 1) * s
        slack = rng.choice([0, 0, 1, 2, 3]) if ndim else 0
        n_items = hi - lo + 1 + slack
        if n_items * itemsize > max_bytes:
            continue
        if 0 in shape:
            offset = rng.randrange(n_items)
        else:
            offset = -lo + rng.randint(0, slack)
        return shape, [s * itemsize for s in st], offset * itemsize, n_items * itemsize


def random_bound(rng, n):
    r = rng.random()
    if r < 0.04:
        return rng.choice([2**63, -(2**63) - 1, 2**100, -(2**100), 2**53 + 2])
    if r < 0.3:
        return None
    if r < 0.36:
        return Alt(rng.randint(-n - 1, n + 1))
    return rng.randint(-n - 2, n + 2)


def random_step(rng):
    r = rng.random()
    if r < 0.02:
        return 0
    if r < 0.04:
        return rng.choice([2**62, -(2**63), 2**100])
    return rng.choice([None, None, 1, 1, -1, -1, 2, -2, 3, -3, 4])


def random_slice(rng, n):
    args = [random_bound(rng, n), random_bound(rng, n), random_step(rng)]
    if rng.random() < 0.01:
        args[rng.randrange(3)] = rng.choice([1.5, "1"])
    while args and args[-1] is None and rng.random() < 0.6:
        args.pop()
    return args


def random_index(rng, n):
    r = rng.random()
    if r < 0.03:
        return rng.choice([2**63, 2**64, -(2**63) - 1, -(2**64)])
    if r < 0.05:
        return rng.choice([1.5, "0", None, -0.5])
    if r < 0.1:
        return Alt(rng.randint(-n, max(n - 1, 0)))
    return rng.randint(-n - 1, n)


def int_values(fmt):
    lo, hi = int_range(fmt)
    return [lo, hi, lo - 1, hi + 1, 0, 1, -1, 2**64, -(2**63) - 1, 2**100]


def random_value(rng, fmt, valid=True):
    """A value for m[i] = value on a view of native format `fmt`."""
    code = split_format(fmt)[1]
    if not valid:
        return rng.choice(["x", None, 1.5, b"ab", [1], True, 2**100, -(2**100)])
    if code in INT_CODES:
        lo, hi = int_range(fmt)
        r = rng.random()
        if r < 0.15:
            return rng.choice(int_values(fmt))
        if r < 0.2:
            return rng.choice([True, False])
        if r < 0.3:
            return Alt(rng.randint(max(lo, -(2**53)), min(hi, 2**53)))
        return rng.randint(lo, hi)
    if code in "efd":
        r = rng.random()
        if r < 0.25:
            return rng.choice(
                [float("nan"), float("inf"), -float("inf"), -0.0, 1e300, -1e300, 65520.0,
                 65519.99, 3.4028235677973366e38, 5e-324, 2**-25, 2**1024, -(2**1024), 7,
                 2**60, True]
            )
        return rng.choice([0.5, -1.5, 0.1, 1 / 3, 2.0**-149, 1e-8]) * rng.choice([1, -1, 1e10])
    if code == "c":
        return rng.choice([bytes([rng.randrange(256)])] * 4 + [b"", b"ab", 97, "a"])
    if code == "?":
        return rng.choice([True, False, 0, 1, 7, None, "", "x", 0.5, -0.0, b"a"])
    raise ValueError(fmt)


def c_bytes(view):
    try:
        return view.tobytes()
    except Exception:  # noqa: BLE001
        return None


def factor_shape(rng, n):
    """A random shape with product n (n >= 1)."""
    dims = []
    ndim = rng.choice([1, 2, 2, 3])
    rest = n
    for _ in range(ndim - 1):
        divs = [d for d in range(1, rest + 1) if rest % d == 0]
        d = rng.choice(divs)
        dims.append(d)
        rest //= d
    dims.append(rest)
    rng.shuffle(dims)
    return dims


# ---------------------------------------------------------------------------------------
# 1. Random chains of slices and casts
# ---------------------------------------------------------------------------------------

HEX_ARGS = [
    [],
    [":"],
    ["-", 2],
    ["|", -3],
    [b"_", 1],
    [" ", 4],
    [":", 0],
    [".", -1],
    [Undefined(), 2],
]


def observe(c, rng, m, prev=None):
    """Records what a view shows: attributes, contents, elements; sets one or two."""
    v = c.regs[m]
    c.attrs(m)
    c.tolist(m)
    orders = ["C"] + rng.sample([None, "F", "A"], 2)
    if rng.random() < 0.3:
        orders.append(Undefined())
    for order in orders:
        if isinstance(order, Undefined):
            c.tobytes(m)
        else:
            c.tobytes(m, order)
    for args in rng.sample(HEX_ARGS, 2):
        c.hex(m, *args)
    if v.ndim <= 1 and rng.random() < 0.5:
        c.iter(m)
    elif rng.random() < 0.15:
        c.iter(m)
    shape = v.shape
    for _ in range(3):
        if v.ndim == 0:
            idx = rng.choice([[], [], [0], [0, 0]])
        else:
            r = rng.random()
            if r < 0.75:
                idx = [random_index(rng, n) for n in shape]
            elif r < 0.85:
                idx = [random_index(rng, shape[0])]
            elif r < 0.93:
                idx = [random_index(rng, n) for n in shape] + [0]
            else:
                idx = [0] * rng.randint(0, max(v.ndim - 1, 0))
        c.get(m, *idx)
    nsets = 2 if not v.readonly else rng.choice([0, 1])
    for _ in range(nsets):
        if v.ndim == 0:
            idx = rng.choice([[], [], [0]])
        elif v.nbytes == 0 or rng.random() < 0.1:
            idx = [random_index(rng, n) for n in shape]
        else:
            idx = [rng.randrange(-n, n) if n else 0 for n in shape]
        value = random_value(rng, v.format, valid=rng.random() < 0.9)
        if c.set(m, *idx, value) and idx and all(isinstance(i, int) for i in idx):
            c.get(m, *idx)
    if prev is not None:
        c.equals(m, Reg(prev))
    c.equals(m, Reg(m))
    if rng.random() < 0.3:
        c.equals(m, Reg(c.root_of[m]))


def chain(c, rng, m, steps):
    observe(c, rng, m)
    cur = m
    for _ in range(steps):
        v = c.regs[cur]
        op = rng.choice(["slice", "slice", "slice", "cast", "cast", "cast", "toreadonly",
                         "view", "assign"])
        new = None
        if op == "slice":
            n = v.shape[0] if v.ndim else 3
            new = c.slice(cur, *random_slice(rng, n))
        elif op == "cast":
            new = random_cast(c, rng, cur)
        elif op == "toreadonly":
            new = c.toreadonly(cur)
        elif op == "view":
            new = c.view(cur)
        else:
            random_assign(c, rng, cur)
        if new is not None:
            observe(c, rng, new, prev=cur)
            # A huge step makes a huge stride; slicing that again overflows C's ssize_t
            # (undefined behaviour that happens to wrap), so the chain goes on from cur.
            if all(abs(s) < 2**40 for s in c.regs[new].strides):
                cur = new


def random_cast(c, rng, m):
    v = c.regs[m]
    data = c_bytes(v)
    choices = [ch for ch in NATIVE if ch != "?" or (data is not None and set(data) <= {0, 1})]
    if split_format(v.format)[1] not in BYTE_FORMATS and rng.random() < 0.8:
        choices = [ch for ch in choices if ch in BYTE_FORMATS]
    code = rng.choice(choices)
    fmt = ("@" if rng.random() < 0.15 else "") + code
    size = struct.calcsize(fmt)
    r = rng.random()
    if r < 0.03:
        fmt = rng.choice(["X", "@X", "@XY", "<P", "=n", "Z", "T{i}"])
    if r < 0.5 or v.nbytes % size:
        return c.cast(m, fmt)
    n = v.nbytes // size
    if r < 0.85 and n:
        shape = factor_shape(rng, n)
    elif r < 0.9 and n == 1:
        shape = []
    elif r < 0.95:
        shape = [n + 1]
    else:
        shape = [max(n, 1), 0] if rng.random() < 0.5 else [-1]
    return c.cast(m, fmt, shape)


def random_assign(c, rng, m):
    """m[a:b:c] = src for a 1-D view: from another slice of the same memory (overlap), from
    a fresh exporter of the same format, or a mismatch."""
    v = c.regs[m]
    if v.ndim > 1:
        return  # multi-dimensional slice assignment is an extension (extensions.json)
    n = v.shape[0] if v.ndim else 3
    args = random_slice(rng, n)
    ok, target = run(lambda: v[py_slice(args, c.regs)])
    length = target.shape[0] if ok and target.ndim else 0
    r = rng.random()
    if r < 0.4 and v.ndim == 1:
        k = min(length, n)
        start = rng.randint(0, n - k) if n >= k else 0
        step = rng.choice([1, 1, -1])
        sl = [start, start + k] if step == 1 else [start + k - 1, start - 1 if start else None, -1]
        src = c.slice(m, *sl)
        if src is None:
            return
    elif r < 0.8:
        fmt = v.format
        try:
            size = struct.calcsize(fmt)
        except struct.error:
            return
        k = length if rng.random() < 0.85 else length + 1
        if fmt.startswith("@") and rng.random() < 0.5:
            fmt = fmt[1:]
        elif not fmt.startswith("@") and rng.random() < 0.2:
            fmt = "@" + fmt
        raw = random_raw(rng, max(k, 1) * size, fmt)
        src = c.view(c.ndarray(raw, [k], [size], 0, fmt, True))
    elif r < 0.9:
        src = c.bytes(random_raw(rng, length))
    else:
        c.assign(m, args, [1, 2])
        return
    c.assign(m, args, Reg(src))


def chain_groups():
    rng = random.Random(SEED)
    groups = {}
    g = groups.setdefault("chains over bytes", [])
    for i in range(70):
        c = Case(g, "bytes #%d" % i)
        data = random_raw(rng, rng.choice([0, 1, 2, 6, 8, 12, 16, 24, 24, 32, 48]))
        if rng.random() < 0.2:
            data = bytes(rng.choice((0, 1)) for _ in data)
        chain(c, rng, c.view(c.bytes(data)), rng.randint(2, 5))
    g = groups.setdefault("chains over bytearray", [])
    for i in range(90):
        c = Case(g, "bytearray #%d" % i)
        data = random_raw(rng, rng.choice([0, 1, 3, 6, 8, 12, 16, 24, 24, 32, 48]))
        chain(c, rng, c.view(c.bytearray(data)), rng.randint(2, 5))
    g = groups.setdefault("chains over ndarray", [])
    for i in range(160):
        fmt = ("@" if rng.random() < 0.15 else "") + NATIVE[i % len(NATIVE)]
        size = struct.calcsize(fmt)
        shape, strides, offset, memlen = random_layout(rng, size)
        readonly = rng.random() < 0.3
        c = Case(g, "ndarray %s %s/%s+%d #%d" % (fmt, shape, strides, offset, i))
        x = c.ndarray(random_raw(rng, memlen, fmt), shape, strides, offset, fmt, readonly)
        chain(c, rng, c.view(x), rng.randint(2, 4))
    return groups


# ---------------------------------------------------------------------------------------
# 2. Ports of CPython's tests (test_buffer.py, test_memoryview.py)
# ---------------------------------------------------------------------------------------


def full_observe(c, m):
    """Attributes, tolist, tobytes in every order (nothing when m could not be made)."""
    if m is None:
        return
    c.attrs(m)
    c.tolist(m)
    for order in ("C", "F", "A"):
        c.tobytes(m, order)


def port_groups():
    rng = random.Random(SEED + 1)
    groups = {}

    # -- test_memoryview_cast -----------------------------------------------------------
    g = groups.setdefault("test_memoryview_cast", [])
    c = Case(g, "0-dim I -> B")
    m = c.view(c.nd_items(9, [], "I"))
    full_observe(c, c.cast(m, "B"))
    c = Case(g, "1-D B -> 0-dim I")
    m = c.view(c.nd_items([9] * 4, [4], "B"))
    full_observe(c, c.cast(m, "I", []))
    for code in NATIVE:
        fmt = ("@" if rng.random() < 0.5 else "") + code
        size = struct.calcsize(fmt)
        raw = random_raw(rng, 31 * size, fmt)
        c = Case(g, "roundtrip %s" % fmt)
        m = c.view(c.ndarray(raw, [31], [size], 0, fmt, False))
        for bytefmt in BYTE_FORMATS:
            m2 = c.cast(m, bytefmt)
            full_observe(c, m2)
            m3 = c.cast(m2, fmt)
            full_observe(c, m3)
            c.equals(m3, Reg(m))
            c.equals(m3, Reg("x1"))

    # -- test_memoryview_cast_invalid ---------------------------------------------------
    g = groups.setdefault("test_memoryview_cast_invalid", [])
    non_byte = [ch for ch in NATIVE if ch not in BYTE_FORMATS]
    c = Case(g, "between non-byte formats")
    for sfmt in non_byte:
        sformat = ("@" if rng.random() < 0.5 else "") + sfmt
        ssize = struct.calcsize(sformat)
        x = c.ndarray(bytes(range(32)), [32 // ssize], [ssize], 0, sformat, True)
        m = c.view(x)
        for dfmt in non_byte:
            dsize = struct.calcsize(dfmt)
            c.cast(m, ("@" if rng.random() < 0.5 else "") + dfmt, [32 // dsize])
    c = Case(g, "one item of every format")
    for sfmt in NATIVE:
        size = struct.calcsize(sfmt)
        m = c.view(c.ndarray(bytes(size), [1], [size], 0, sfmt, True))
        for dfmt in NATIVE + "X":
            c.cast(m, dfmt, [32 // struct.calcsize(dfmt) if dfmt != "X" else 1])
    c = Case(g, "invalid shape (2,2,8)h -> (2,2,2)d")
    m = c.view(c.nd_items(list(range(32)), [2, 2, 8], "h"))
    c.cast(m, "d", [2, 2, 2])
    c = Case(g, "invalid formats on (1,2,3,4,5)")
    m = c.view(c.nd_items(list(range(120)), [1, 2, 3, 4, 5], "B"))
    c.cast(m, Obj())
    c.cast(m, b"B")
    c.cast(m, 5)
    for fmt in ("X", "@X", "@XY", "<P", "=n", "Z", "T{i}", "w", "@@B"):
        c.cast(m, fmt)
    c.cast(m, "B", Obj())
    c = Case(g, "invalid shape elements")
    m = c.view(c.nd_items(list(range(120)), [120], "B"))
    for shape in ([2**64], [-1], [2, 3, 4, 5, 6, 7, -1], [2, 3, 4, 5, 6, 7, 0],
                  [2, 3, 4, 5, 6, 7, "x"], [1.5], [0], [None], [2**63 - 1, 2]):
        c.cast(m, "B", shape)
    c = Case(g, "N-D -> N-D")
    m = c.view(c.nd_items([9] * (3 * 5 * 7 * 11), [3, 5, 7, 11], "B"))
    c.cast(m, "I", [2, 3, 4, 5])
    c.cast(m, "B", [5, 3, 7, 11])
    c = Case(g, "ndim > 64")
    m = c.view(c.nd_items(list(range(128)), [128], "I"))
    c.cast(m, "I", [1] * 128)
    c.cast(m, "B", [1] * 64 + [512])
    c = Case(g, "length not a multiple of itemsize, product mismatch")
    m = c.view(c.nd_items([9] * (3 * 5 * 7 * 11), [3 * 5 * 7 * 11], "B"))
    c.cast(m, "I", [2, 3, 4, 5])
    c.cast(m, "I")
    c.cast(m, "B", [2, 3, 4, 5])
    c = Case(g, "product(shape) * itemsize overflow")
    m1 = c.view(c.nd_items(list(range(128)), [128], "I"))
    m2 = c.view(c.nd_items(list(range(128)), [128], "B"))
    c.cast(m1, "B", [7, 7, 73, 127, 337, 92737, 649657])
    c.cast(m1, "B", [2**20, 2**20, 2**10, 2**10, 2**3])
    c.cast(m2, "I", [2**20, 2**20, 2**10, 2**10, 2**1])
    c = Case(g, "0-dim sources")
    m = c.view(c.nd_items(1.5, [], "d"))
    for args in (["B"], ["B", [8]], ["B", [2, 4]], ["d", []], ["B", []], ["q"], ["q", [1]],
                 ["c", [4, 2]], ["B", [1, 8]], ["@B", [8]]):
        full_observe(c, c.cast(m, *args))
    c = Case(g, "source format not implemented ('II')")
    m = c.view(c.nd_items([(1, 2), (3, 4)], [2], "II"))
    full_observe_bytes(c, m)
    c.cast(m, "B")
    c.cast(m, "c", [2, 8])
    c.cast(m, "I")

    # -- test_memoryview_cast_1D_ND -----------------------------------------------------
    g = groups.setdefault("test_memoryview_cast_1D_ND", [])
    shapes = [[n] for n in range(0, 32, 3)] + [[2, 3, 2, 2], [3, 4], [2, 2, 2, 2, 2], [1, 5, 1]]
    shapes += [[rng.randrange(1, 5) for _ in range(rng.randrange(2, 5))] for _ in range(6)]
    chars = [ch for ch in NATIVE if ch != "?"]  # '?' from arbitrary bytes is undefined
    for si, tshape in enumerate(shapes):
        for char in chars[si % 3::3]:
            # n items of a byte format (or of any format, for a byte target) cast to
            # tshape + [size] items of tfmt: the same number of bytes.
            tfmt = ("", "@")[rng.randrange(2)] + char
            tsize = struct.calcsize(tfmt)
            n = math.prod(tshape) * tsize
            if char in BYTE_FORMATS:
                fmt = rng.choice(NATIVE.replace("?", ""))
            else:
                fmt = rng.choice(["B", "b", "c", "@B", "@c"])
            size = struct.calcsize(fmt)
            target = tshape + [size]
            c = Case(g, "%s[%d] -> %s%s" % (fmt, n, tfmt, target))
            if n == 0:
                c.cast(c.view(c.bytes(b"")), tfmt, target)
                continue
            m = c.view(c.ndarray(random_raw(rng, n * size), [n], [size], 0, fmt, True))
            m2 = c.cast(m, tfmt, target)
            full_observe(c, m2)
            if m2 is not None:
                for back in (c.cast(m2, fmt), c.cast(m2, fmt, [n])):
                    c.attrs(back)
                    c.tolist(back)

    # -- test_memoryview_cast_zero_shape, _zero_strides ----------------------------------
    g = groups.setdefault("test_memoryview_cast_zero_shape", [])
    for shape in ([0, 3, 3], [3, 0, 3], [3, 3, 0]):
        c = Case(g, "shape %s" % shape)
        m = c.view(c.nd_items([1, 2, 3], shape, "B"))
        c.attrs(m)
        c.cast(m, "c")
        c.cast(m, "B", [0])
    for code in NATIVE:
        c = Case(g, "empty 1-D -> %s" % code)
        m = c.cast(c.view(c.bytes(b"")), code)
        full_observe(c, m)
        c.cast(c.view("x1"), code, [0])
        c.cast(c.view("x1"), code, [])
    g = groups.setdefault("test_memoryview_cast_zero_strides", [])
    c = Case(g, "strides [0]")
    m = c.view(c.nd_items([1, 2, 3], [3], "B", strides=[0]))
    full_observe(c, m)
    c.cast(m, "c")
    c = Case(g, "empty odd-stride 1-D")
    m = c.slice(c.view(c.bytes(b"abcdef")), 0, 0, 2)
    c.attrs(m)
    c.cast(m, "c")

    # -- test_memoryview_index ----------------------------------------------------------
    g = groups.setdefault("test_memoryview_index", [])
    c = Case(g, "0-dim d")
    m = c.view(c.nd_items(12.5, [], "d"))
    c.get(m)
    c.get(m, 0)
    c.get(m, 0, 0)
    c.attrs(m)
    c.iter(m)
    c = Case(g, "1-D range(7)")
    m = c.view(c.nd_items(list(range(7)), [7], "B", flags=ND_WRITABLE))
    for i in (2**64, -(2**64), 2**63, 1.5, "a", None, -8, 8, 7, -7, 6, -1, 0):
        c.get(m, i)
    c.get(m, Alt(3))
    c.get(m)
    c.get(m, 0, 0)
    c = Case(g, "2-D (3,4)")
    m = c.view(c.nd_items(list(range(12)), [3, 4], "B", flags=ND_WRITABLE))
    for idx in ([0, 0], [2, 0], [2, 3], [-1, -1], [-3, -4], [3, 0], [-4, 0], [0, 4], [0, -5],
                [2**64, 0], [0, 2**64], [0, 0, 0], [1.5, 0], [0], [], [1], [None, 0], ["0", 0]):
        c.get(m, *idx)
    c.iter(m)
    c = Case(g, "3-D (2,2,3)")
    m = c.view(c.nd_items(list(range(12)), [2, 2, 3], "b"))
    for idx in ([1, 1, 2], [0, 0], [0], [], [0, 0, 0, 0], [-2, -2, -3], [1, 2, 0], [0, 0, 3]):
        c.get(m, *idx)
    # AbstractMemoryTests.test_getitem over bytes/bytearray x view/slice/slice-of-slice
    for kind in ("bytes", "bytearray"):
        for how in ("view", "slice", "slice of slice"):
            c = Case(g, "test_getitem %s %s" % (kind, how))
            m = memoryview_tests_view(c, kind, how)
            for i in (0, 5, -1, -6, 6, -7, sys.maxsize, -sys.maxsize, None, "a", 0.5):
                c.get(m, i)
            c.iter(m)
            c.tolist(m)
            c.tobytes(m)
            c.attrs(m)

    # -- test_memoryview_assign ---------------------------------------------------------
    g = groups.setdefault("test_memoryview_assign", [])
    c = Case(g, "0-dim f")
    m = c.view(c.nd_items(12.5, [], "f", flags=ND_WRITABLE))
    c.set(m, 22.5)
    c.get(m)
    c.set(m, 0, 24.7)
    c.set(m, 0, 0, 1.0 + 0.5)
    c.set(m, 1e300)
    c.get(m)
    c = Case(g, "read-only")
    m = c.view(c.nd_items(list(range(7)), [7], "B"))
    c.set(m, 2, 10)
    c.set(m, "x", 10)
    c.set(m, 2**64, 10)
    c.set(m, 2, "x")
    c = Case(g, "range")
    m = c.view(c.nd_items(list(range(7)), [7], "B", flags=ND_WRITABLE))
    for i in (2**64, 1.5, "a", None, -8, 8, -7, 6):
        c.set(m, i, 9)
    for code in NATIVE:
        if code in "c?":
            continue
        c = Case(g, "pack_single %s" % code)
        m = c.view(c.nd_items([1, 2, 3], [3], code, flags=ND_WRITABLE))
        i = rng.randrange(-3, 3)
        c.set(m, i, 8)
        c.get(m, i)
    c = Case(g, "pack_single c")
    m = c.view(c.nd_items([b"1", b"2", b"3"], [3], "c", flags=ND_WRITABLE))
    c.set(m, 2, b"9")
    c.get(m, 2)
    for v in (100, b"", b"ab", "a", None, b"\xff"):
        c.set(m, 0, v)
    c = Case(g, "pack_single ?")
    m = c.view(c.nd_items([True, False, True], [3], "?", flags=ND_WRITABLE))
    c.set(m, 1, True)
    c.get(m, 1)
    c = Case(g, "pack_single range errors")
    x = c.nd_items(list(range(120)), [1, 2, 3, 4, 5], "B", flags=ND_WRITABLE)
    m1 = c.view(x)
    for code in NATIVE:
        if code == "?":
            continue
        m2 = c.cast(m1, code)
        if code == "c":
            c.set(m2, 0, 100)
            c.set(m2, 0, b"\xff\xff")
            continue
        if code in "fd":
            lo, hi = -(2**1024), 2**1024
        elif code == "e":
            lo, hi = -65520, 65520
        else:
            lo, hi = int_range(code)
            hi += 1
        c.set(m2, 0, lo - 1)
        c.set(m2, 0, "xyz")
        c.set(m2, 0, hi)
        c.set(m2, 0, lo)
        c.set(m2, 0, hi - 1)
        c.get(m2, 0)
    c = Case(g, "multi-dimensional (3,4)")
    m = c.view(c.nd_items(list(range(12)), [3, 4], "B", flags=ND_WRITABLE))
    c.set(m, 0, 1, 42)
    c.set(m, -1, -1, 43)
    for idx in ([3, 0], [-4, 0], [0, 4], [0, -5], [2**64, 0], [0, 2**64], [0, 0, 0],
                [1.5, 0], [0], []):
        c.set(m, *idx, 0)
    c.set(m, 0, [2, 3])
    c.tolist(m)
    # AbstractMemoryTests.test_setitem_readonly / _writable
    for how in ("view", "slice", "slice of slice"):
        c = Case(g, "test_setitem_readonly %s" % how)
        m = memoryview_tests_view(c, "bytes", how)
        c.set(m, 0, b"a")
        c.set(m, 0, 65)
        c.set(m, 0, Reg(c.view(c.bytes(b"a"))))
        c.assign(m, [0, 1], Reg(c.bytes(b"a")))
        c = Case(g, "test_setitem_writable %s" % how)
        m = memoryview_tests_view(c, "bytearray", how)
        c.set(m, 0, ord(b"1"))
        c.assign(m, [0, 1], Reg(c.bytes(b"0")))
        c.assign(m, [1, 3], Reg(c.bytes(b"12")))
        c.assign(m, [1, 1], Reg(c.bytes(b"")))
        c.assign(m, [None, None], Reg(c.bytes(b"abcdef")))
        c.assign(m, [0, 3], Reg(c.slice(m, 2, 5)))
        c.assign(m, [None, None], Reg(c.bytes(b"abcdef")))
        c.assign(m, [2, 5], Reg(c.slice(m, 0, 3)))
        for key in (6, -7, sys.maxsize, -sys.maxsize, 1.5, "a"):
            c.set(m, key, b"a")
        c.set(m, b"a")
        c.set(m, 0, b"")
        c.set(m, 0, b"ab")
        c.assign(m, [0, 3], Reg(c.bytearray(b"xyz")))
        c.assign(m, [None, None, -2], Reg(c.bytearray(b"uvw")))
        c.assign(m, [1, 1], Reg(c.bytes(b"a")))
        c.assign(m, [0, 2], Reg(c.bytes(b"a")))
        c.assign(m, [0, 2, 0], Reg(c.bytes(b"ab")))
        c.assign(m, [0, 1], [1])
        c.assign(m, [0, 1], "a")
    # memmove semantics
    for label, dst, src in (
        ("m[1:] = m[:-1]", [1, None], [None, -1]),
        ("m[:-1] = m[1:]", [None, -1], [1, None]),
        ("m[::2] = m[1::2]", [None, None, 2], [1, None, 2]),
        ("m[1::2] = m[::2]", [1, None, 2], [None, None, 2]),
        ("m[::-1] = m", [None, None, -1], [None]),
        ("m = m[::-1]", [None], [None, None, -1]),
        ("m[2:5] = m[4:1:-1]", [2, 5], [4, 1, -1]),
        ("m[0:3] = m[2:5]", [0, 3], [2, 5]),
        ("m[::3] = m[::-3]", [None, None, 3], [None, None, -3]),
    ):
        for fmt in ("B", "h", "@d"):
            c = Case(g, "overlap %s on %s" % (label, fmt))
            size = struct.calcsize(fmt)
            x = c.bytearray(bytes(range(97, 97 + 6 * size)))
            m = c.view(x)
            if fmt != "B":
                m = c.cast(m, fmt)
            c.assign(m, dst, Reg(c.slice(m, *src)))
            c.tolist(m)
    c = Case(g, "strided destination, reversed source (test_memoryview_slice)")
    x1 = c.ndarray(bytes(range(12)), [12], [-1], 11, "B", False)
    x2 = c.ndarray(bytes(range(24)), [12], [2], 0, "B", True)
    m1, m2 = c.view(x1), c.view(x2)
    c.assign(m1, [2, 5], Reg(c.slice(m2, 2, 5)))
    c.assign(c.slice(m1, 1, 3), [None, None, -1], Reg(c.slice(m2, 0, 2)))
    c.assign(c.slice(m1, 4, 1, -2), [None, None, -1], Reg(c.slice(m1, 1, 4, 2)))
    c.tolist(m1)
    c.equals(m2, Reg(x2))
    c = Case(g, "structure mismatches")
    x = c.bytearray(bytes(range(16)))
    m = c.view(x)
    mh = c.cast(m, "h")
    mi = c.cast(m, "i")
    for dst, src in ((m, c.cast(c.view(c.bytes(b"abcd")), "c")),
                     (m, c.cast(c.view(c.bytes(b"abcd")), "b")),
                     (m, c.cast(c.view(c.bytes(b"abcd")), "@B")),
                     (mh, c.cast(c.view(c.bytes(b"abcd")), "@h")),
                     (mi, c.cast(c.view(c.bytes(bytes(8))), "l", [1])),
                     (m, c.cast(c.view(c.bytes(b"abcd")), "B", [1, 4])),
                     (m, c.cast(c.view(c.bytes(b"abcd")), "B", [2, 2]))):
        c.assign(dst, [0, 4] if dst == m else [0, 1], Reg(src))
    c.assign(mi, [0, 0], Reg(c.slice(c.cast(c.view(c.bytes(bytes(8))), "l"), 0, 0)))
    c.assign(mi, [0, 0], Reg(c.slice(c.cast(c.view(c.bytes(bytes(8))), "i"), 0, 0)))
    c.assign(mi, [0, 0], Reg(c.slice(c.cast(c.view(c.bytes(bytes(8))), "h"), 0, 0)))
    c.assign(mi, [0, 1], Reg(c.cast(c.view(c.bytes(bytes(4))), "i", [])))
    c.assign(m, [0, 2], Reg(c.slice(c.cast(c.view(c.bytes(bytes(4))), "B", [2, 2]), 0, 1)))
    c.assign(m, [0, 0], Reg(c.slice(c.cast(c.view(c.bytes(bytes(4))), "B", [2, 2]), 0, 0)))
    c.assign(c.cast(c.view(c.bytearray(bytes(4))), "i", []), [0, 1], Reg(c.bytes(bytes(4))))
    c.tolist(m)
    c.assign(mi, [0, 2], Reg(c.view(c.ndarray(bytes(range(8)), [2], [4], 0, "<i", True))))
    c.assign(mi, [0, 2], Reg(c.view(c.ndarray(bytes(range(8)), [2], [4], 0, "@i", True))))

    # -- test_memoryview_slice ----------------------------------------------------------
    g = groups.setdefault("test_memoryview_slice", [])
    c = Case(g, "range(12)")
    m = c.view(c.nd_items(list(range(12)), [12], "B", flags=ND_WRITABLE))
    c.slice(m, 0, 2, 0)
    c.assign(m, [0, 2, 0], Reg(c.bytes(bytes([1, 2]))))
    c.assign(m, [0, 1, 1], [1])
    for args in ([10, 20], [2**100, None], [None, -(2**100), -1], [2**63, -(2**63) - 1, 2**62],
                 [1.5], [None, "1"], [None, None, 1.5], [-3], [-100, 100, 5]):
        full_observe(c, c.slice(m, *args))
    c = Case(g, "slices of 2-D and 3-D views")
    m = c.view(c.nd_items(list(range(24)), [2, 3, 4], "B"))
    for args in ([None, None, -1], [0, 0], [1], [-1, None, -2], [5, 10]):
        full_observe(c, c.slice(m, *args))
    m = c.view(c.nd_items(12.5, [], "d"))
    c.slice(m, 0, 1)
    c.slice(m)

    # -- test_memoryview_tolist ---------------------------------------------------------
    g = groups.setdefault("test_memoryview_tolist", [])
    c = Case(g, "h range(-6, 6), sliced [2::3]")
    x = c.ndarray(struct.pack("12h", *range(-6, 6)), [12], [2], 0, "h", False)
    m = c.view(x)
    c.tolist(m)
    c.tolist(c.slice(m, 2, None, 3))
    c = Case(g, "L (11,2,7,3,5)")
    m = c.view(c.nd_items(list(range(2 * 3 * 5 * 7 * 11)), [11, 2, 7, 3, 5], "L"))
    c.tolist(m)
    c.tobytes(m, "F")
    c = Case(g, "F-order (2,3) and (3,0)")
    m = c.view(c.nd_items(list(range(6)), [2, 3], "B", flags=ND_FORTRAN))
    full_observe(c, m)
    m = c.view(c.nd_items([1, 2, 3], [3, 0], "q"))
    full_observe(c, m)
    c = Case(g, "half float (test_half_float)")
    mh = c.cast(c.view(c.bytes(struct.pack("eee", 0.0, -1.5, 1.5))), "e")
    mf = c.cast(c.view(c.bytes(struct.pack("fff", 0.0, -1.5, 1.5))), "f")
    c.tolist(mh)
    c.tolist(mf)
    c.attrs(mh)
    c.equals(mh, Reg(mf))

    # -- test_memoryview_tobytes --------------------------------------------------------
    g = groups.setdefault("test_memoryview_tobytes", [])
    t = (-529, 576, -625, 676, -729)
    c = Case(g, "@h (5,)")
    full_observe(c, c.view(c.nd_items(list(t), [5], "@h")))
    for fmt, shape in ((">hQiLl", [1]), ("=hQiLl", [2, 2, 3]), ("<hQiLl", [5, 2, 2, 3, 2])):
        c = Case(g, "%s %s" % (fmt, shape))
        x = c.nd_items([t] * math.prod(shape), shape, fmt)
        m = c.view(x)
        c.attrs(m)
        for order in ("C", "F", "A", None):
            c.tobytes(m, order)
        c.hex(m)
        c.equals(m, Reg(x))
        c.equals(m, Reg(m))
        c.tobytes(c.slice(m, None, None, -1), "A")
    c = Case(g, "orders")
    m = c.view(c.nd_items(list(range(12)), [3, 4], "B"))
    for order in ("C", "F", "A", None, "c", "", "CC", "a", b"C", 0):
        c.tobytes(m, order)
    c.tobytes(m)
    mt = c.view(c.nd_items(list(range(12)), [3, 4], "B", flags=ND_FORTRAN))
    for order in ("C", "F", "A"):
        c.tobytes(mt, order)
    ms = c.slice(c.view(c.nd_items(list(range(12)), [3, 4], "B")), None, None, -1)
    for order in ("C", "F", "A"):
        c.tobytes(ms, order)

    # -- test_memoryview_struct_module --------------------------------------------------
    g = groups.setdefault("test_memoryview_struct_module", [])
    values = [12.2, [1, 2, 3], [9], True, False, None, b"a", b"abc", "a", "abc", 9, -9,
              2**64, -(2**64), 0.5, float("nan"), float("inf"), -0.0]
    for code in NATIVE:
        for prefix in ("", "@"):
            fmt = prefix + code
            c = Case(g, fmt)
            size = struct.calcsize(fmt)
            raw = random_raw(rng, 10 * size, fmt)
            x = c.ndarray(raw, [10], [size], 0, fmt, False)
            nd = c.roots[x].obj
            m = c.view(x)
            for v in values:
                if code == "?" and (v in ([], ()) or (isinstance(v, float) and math.isnan(v))):
                    continue
                if code in INT_CODES and isinstance(v, float) and (
                    math.isinf(v) or math.isnan(v) or v == int(v)
                ):
                    if not (v == 0 and math.copysign(1, v) < 0):
                        continue
                if isinstance(v, float) and v == 0 and code in INT_CODES:
                    continue
                nd_bytes = c.roots[x].memory()
                struct_err = None
                try:
                    struct.pack_into(fmt, nd, size, v)
                except (struct.error, OverflowError) as e:
                    struct_err = e
                ctypes.memmove(c.roots[x].base, nd_bytes, len(nd_bytes))
                ok = c.set(m, 1, v)
                if code != "P":  # the test's own exception for P
                    assert ok == (struct_err is None), (fmt, v, struct_err)
                if ok:
                    c.get(m, 1)

    # -- compare ------------------------------------------------------------------------
    compare_groups(groups, rng)

    # -- test_memoryview_check_released -------------------------------------------------
    g = groups.setdefault("test_memoryview_check_released", [])
    for kind in ("bytes", "bytearray", "ndarray d", "0-dim"):
        c = Case(g, kind)
        if kind == "bytes":
            x = c.bytes(b"abcdef")
        elif kind == "bytearray":
            x = c.bytearray(b"abcdef")
        elif kind == "0-dim":
            x = c.nd_items(1.5, [], "d", flags=ND_WRITABLE)
        else:
            x = c.ndarray(struct.pack("3d", 1.1, 2.2, 3.3), [3], [8], 0, "d", False)
        m = c.view(x)
        other = c.view(x)
        c.equals(m, Reg(other))
        c.release(m)
        c.release(m)
        for name, pyname in (("obj", None), ("nbytes", None), ("readonly", None),
                             ("itemsize", None), ("format", None), ("ndim", None),
                             ("shape", None), ("strides", None), ("suboffsets", None),
                             ("cContiguous", "c_contiguous"), ("fContiguous", "f_contiguous"),
                             ("contiguous", None), ("length", None)):
            c.attr(m, name, pyname)
        c.view(m)
        c.cast(m, "c")
        c.cast(m, "B", [1])
        c.getbuf(m, PyBUF_FULL_RO)
        c.getbuf(m, PyBUF_SIMPLE)
        c.tolist(m)
        c.tobytes(m)
        c.tobytes(m, "F")
        c.hex(m)
        c.hex(m, ":", 2)
        c.toreadonly(m)
        c.get(m, 0)
        c.get(m)
        c.get(m, 0, 0)
        c.set(m, 0, 1)
        c.set(m, 1)
        c.slice(m, 0, 1)
        c.slice(m)
        c.assign(m, [0, 1], Reg(c.bytes(b"x")))
        c.dispose(m)
        c.equals(m, Reg(m))
        c.equals(m, Reg(other))
        c.equals(m, Reg(x))
        c.equals(other, Reg(m))
        c.tolist(other)

    # -- test_memoryview_release --------------------------------------------------------
    release_groups(groups)

    # -- test_toreadonly ----------------------------------------------------------------
    g = groups.setdefault("test_toreadonly", [])
    for kind in ("bytes", "bytearray"):
        for how in ("view", "slice", "slice of slice"):
            c = Case(g, "%s %s" % (kind, how))
            m = memoryview_tests_view(c, kind, how)
            mm = c.toreadonly(m)
            c.attrs(mm)
            c.attrs(c.view(mm))
            c.tolist(mm)
            c.set(mm, 0, 1)
            c.assign(mm, [0, 1], Reg(c.bytes(b"z")))
            c.equals(mm, Reg(m))
            c.release(mm)
            c.tolist(m)
            c.attrs(c.toreadonly(c.toreadonly(m)))
    c = Case(g, "2-D F-order, cast, 0-dim")
    m = c.view(c.nd_items(list(range(6)), [2, 3], "h", flags=ND_FORTRAN | ND_WRITABLE))
    full_observe(c, c.toreadonly(m))
    m0 = c.cast(c.view(c.bytearray(bytes(range(8)))), "d", [])
    full_observe(c, c.toreadonly(m0))

    # -- test_issue22668 ----------------------------------------------------------------
    g = groups.setdefault("test_issue22668", [])
    c = Case(g, "views survive re-casts")
    x = c.bytearray(struct.pack("4H", 256, 256, 256, 256))
    xm = c.view(x)
    xm = c.cast(xm, "H")
    m = c.cast(xm, "B")
    b = c.cast(m, "H")
    cc = c.slice(b, 0, 2)
    d = c.view(b)
    c.release(b)
    c.get(cc, 0)
    c.get(d, 0)
    c.attrs(cc)
    c.attrs(d)
    c.cast(m, "I")
    c.get(cc, 0)
    c.get(d, 0)

    # -- test_memoryview_hex ------------------------------------------------------------
    g = groups.setdefault("test_memoryview_hex", [])
    c = Case(g, "reversed b'0' * 2000")
    m = c.slice(c.view(c.bytes(b"0" * 2000)), None, None, -1)
    c.hex(m)
    c = Case(g, "separators")
    m = c.view(c.bytes(bytes(range(1, 6))))
    for args in ([], [":"], [":", 1], [":", 2], [":", -2], [":", 3], [":", -3], [":", 5],
                 [":", -5], [":", 6], [":", 0], [b"-", 2], ["", 1], ["ab"], ["\xe9"],
                 [b"\xff"], [b""], [b"ab"], [5], [Undefined(), 2], [":", 2**31],
                 [":", -(2**31) - 1], [":", 2**31 - 1], [":", -(2**31)], ["\x7f", 1],
                 [":", 1.5], [":", "2"]):
        c.hex(m, *args)
    for data in (b"", b"\x00", bytes(range(256))):
        c = Case(g, "data of %d bytes" % len(data))
        m = c.view(c.bytes(data))
        for args in ([], [" "], [" ", 4], ["\t", -7], [".", 1000]):
            c.hex(m, *args)
    c = Case(g, "multi-dimensional and strided")
    m = c.view(c.nd_items(list(range(24)), [2, 3, 4], "B", flags=ND_FORTRAN))
    c.hex(m)
    c.hex(m, ":", 4)
    m = c.view(c.ndarray(bytes(range(24)), [3, 2], [-8, 2], 16, "h", True))
    c.hex(m)
    c.hex(m, "_", -2)

    # -- misc: len, iter, equality with non-exporters ------------------------------------
    g = groups.setdefault("len and iter", [])
    c = Case(g, "len")
    for shape in ([], [0], [3], [3, 0], [0, 3], [2, 3, 4]):
        n = max(1, math.prod(shape))
        m = c.view(c.nd_items(list(range(n)) if shape else 1, shape, "B"))
        c.attrs(m)
        c.iter(m)

    g = groups.setdefault("construction", [])
    c = Case(g, "non-exporters")
    for value in ("abc", "", [1, 2], [], 5, 1.5, None, Obj(), True, 2**70):
        c.view_of_value(value)
    c = Case(g, "memoryview of a view keeps its layout")
    m = c.cast(c.slice(c.view(c.bytearray(bytes(range(12)))), 2, 10), "h", [2, 2])
    full_observe(c, c.view(m))
    full_observe(c, c.view(c.view(c.toreadonly(m))))

    # -- JS numbers beyond 2**53 and bigints where CPython has one int type ---------------
    g = groups.setdefault("integers as numbers and bigints", [])
    c = Case(g, "indices, bounds, values, shapes, bytes_per_sep")
    x = c.bytearray(bytes(range(24)))
    m = c.view(x)
    for i in (Num(2**63), Num(2**64), Num(-(2**63)), Num(-(2**64)), Num(2**53), Alt(3),
              Alt(-1), Alt(24), 2**53 + 1):
        c.get(m, i)
        c.set(m, i, 7)
    for args in ([Num(2**64)], [None, Num(-(2**70))], [None, None, Num(2**63)],
                 [Alt(2), Alt(10), Alt(3)], [Num(-(2**53)), Num(2**53), Num(-(2**62))]):
        full_observe(c, c.slice(m, *args))
    mq = c.cast(m, "Q")
    for v in (Num(2**63), Num(2**64), Num(-1), Alt(5), Num(2**53), 2**64 - 1, -1, 2**64):
        c.set(mq, 0, v, wide=True)
        c.get(mq, 0)
    mb = c.cast(m, "b")
    for v in (Alt(-5), Num(2**63), Alt(128), True, False):
        c.set(mb, 1, v, wide=False)
        c.get(mb, 1)
    md = c.cast(m, "d")
    for v in (Alt(5), 2**53 + 1, 2**1023 * 2 - 1, Num(2**70), True):
        c.set(md, 0, v, wide=False)
        c.get(md, 0)
    for shape in ([Alt(2), Alt(12)], [Alt(24)], [Num(2**64)], [Alt(0), Alt(24)]):
        c.cast(m, "B", shape)
    c.hex(m, ":", Alt(4))
    c.hex(m, ":", Alt(-5))
    c.hex(m, ":", Num(2**64))
    return groups


def full_observe_bytes(c, m):
    c.attrs(m)
    for order in ("C", "F", "A"):
        c.tobytes(m, order)
    c.hex(m)


def memoryview_tests_view(c, kind, how):
    """The views of test_memoryview.py's AbstractMemoryTests: memoryview(b"abcdef"), a
    slice memoryview(b"XabcdefY")[1:7], a slice of a slice [:7][1:]."""
    src = b"abcdef" if how == "view" else b"XabcdefY"
    x = c.bytes(src) if kind == "bytes" else c.bytearray(src)
    m = c.view(x)
    if how == "slice":
        m = c.slice(m, 1, 7)
    elif how == "slice of slice":
        m = c.slice(c.slice(m, None, 7), 1)
    return m


def compare_groups(groups, rng):
    def pair(g, label, a, b, fmt_a, fmt_b, shape_a, shape_b=None, flags_a=0, flags_b=0,
             slices=None):
        c = Case(g, label)
        x = c.nd_items(a, shape_a, fmt_a, flags_a)
        y = c.nd_items(b, shape_b if shape_b is not None else shape_a, fmt_b, flags_b)
        v, w = c.view(x), c.view(y)
        c.equals(v, Reg(x))
        c.equals(w, Reg(y))
        c.equals(v, Reg(y))
        c.equals(w, Reg(x))
        c.equals(v, Reg(w))
        c.equals(w, Reg(v))
        c.equals(v, Reg(v))
        for sa, sb in slices or ():
            c.equals(c.slice(v, *sa), Reg(c.slice(w, *sb)))
        return c, v, w

    g = groups.setdefault("test_memoryview_compare_special_cases", [])
    c = Case(g, "released and non-exporters")
    x = c.nd_items([1, 2, 3], [3], "L")
    v, w = c.view(x), c.view(x)
    for other in ([1, 2, 3], "abc", None, 5, Obj(), b"\x01\x00"):
        c.equals(v, other)
    c.release(w)
    c.equals(w, Reg(w))
    c.equals(v, Reg(w))
    c.equals(w, Reg(v))
    c.equals(w, Reg(x))
    c = Case(g, "NaN in 'l x d x'")
    x = c.nd_items([(-1, float("nan"))], [1], "l x d x", ND_WRITABLE)
    v = c.view(x)
    c.equals(v, Reg(x))
    c.equals(v, Reg(v))
    c = Case(g, "NaN in native d and f")
    for fmt in ("d", "f", "e"):
        x = c.nd_items([1.0, float("nan"), 2.0], [3], fmt)
        v = c.view(x)
        c.equals(v, Reg(v))
        c.equals(c.slice(v, 0, 1), Reg(c.slice(v, 0, 1)))
        c.equals(c.slice(v, 1, 2), Reg(c.slice(v, 1, 2)))
    c = Case(g, "formats struct rejects")

    class BEPoint(ctypes.BigEndianStructure):
        _fields_ = [("x", ctypes.c_long), ("y", ctypes.c_long)]

    point = BEPoint(100, 200)
    for obj in (point, array.array("u", "xyz")):
        x = c.foreign(obj)
        v = c.view(x)
        c.attrs(v)
        c.equals(v, Reg(v))
        c.equals(v, Reg(c.view(x)))
        c.equals(v, Reg(x))
        c.tobytes(v)
        c.hex(v)
        c.cast(v, "B")
        c.tolist(v)
        c.iter(v)
        c.slice(v, None, None, -1)
        if c.regs[v].ndim:
            c.get(v, 0)
            c.set(v, 0, b"a")
        else:
            c.get(v)
            c.set(v, b"a")
    c = Case(g, "value comparisons across formats")
    for fa, fb, data in (("i", "l", struct.pack("i", 5)), ("i", "I", b"\xff" * 4),
                         ("B", "c", b"ab"), ("B", "b", b"\x01\x80"), ("B", "b", b"\x01\x7f"),
                         ("?", "B", b"\x00\x01"), (">i", "i", struct.pack(">i", 7)),
                         ("f", "d", struct.pack("f", 0.5)), ("e", "f", struct.pack("e", 1.5)),
                         ("q", "d", struct.pack("q", 3))):
        # b holds a's values packed with fb when they fit, else a's very bytes
        sa, sb = struct.calcsize(fa), struct.calcsize(fb)
        n = len(data) // sa
        vals = [t[0] for t in struct.iter_unpack(fa, data)]
        try:
            packed = b"".join(struct.pack(fb, v) for v in vals)
        except struct.error:
            assert sa == sb
            packed = data
        xa = c.ndarray(data, [n], [sa], 0, fa, True)
        va = c.view(xa)
        xb = c.ndarray(packed, [n], [sb], 0, fb, True)
        c.equals(va, Reg(c.view(xb)))
        c.equals(c.view(xb), Reg(va))
    c = Case(g, "empty views of any format")
    c.equals(c.view(c.bytes(b"")), Reg(c.cast(c.view(c.bytes(b"")), "i")))
    c.equals(c.view(c.bytes(b"")), Reg(c.ndarray(bytes(4), [0], [4], 0, "<i", True)))
    c = Case(g, "bytes-like in both directions")
    x = c.bytes(b"abcdef")
    v = c.view(x)
    for data in (b"abcdef", b"abcde", b"abcde1"):
        c.equals(v, Reg(c.bytes(data)))
        c.equals(v, Reg(c.bytearray(data)))
    c.equals(v, Reg(c.slice(v, None)))
    c.equals(c.slice(v, 0, 6), Reg(c.slice(v, None)))
    c.equals(c.slice(v, 0, 5), Reg(v))

    g = groups.setdefault("test_memoryview_compare_ndim_zero", [])
    c = Case(g, "L 1729")
    x1 = c.nd_items(1729, [], "@L")
    x2 = c.nd_items(1729, [], "L", ND_WRITABLE)
    v, w = c.view(x1), c.view(x2)
    c.equals(v, Reg(w))
    c.equals(w, Reg(v))
    c.equals(v, Reg(x2))
    c.equals(w, Reg(x1))
    c.set(w, 1728)
    c.equals(v, Reg(w))
    c.equals(w, Reg(v))
    c.equals(v, Reg(x2))
    pair(g, "struct module: equal", (1729, 1.2, b"12345"), (1729, 1.2, b"12345"), "Lf5s",
         "hf5s", [])
    pair(g, "struct module: not equal", (1729, 1.2, b"12345"), (-1729, 1.2, b"12345"), "Lf5s",
         "hf5s", [])

    g = groups.setdefault("test_memoryview_compare_ndim_one", [])
    a = [-529, 576, -625, 676, -729]
    b = [-529, 576, -625, 676, 729]
    pair(g, "contiguous", a, b, "@h", "@h", [5])
    pair(g, "contiguous, struct module", a, b, "<i", ">h", [5])
    pair(g, "non-contiguous", [-529, -625, -729], a, "@h", "@h", [3], [5],
         slices=[([None], [None, None, 2]), ([None, None, -1], [None, None, -2])])
    pair(g, "non-contiguous, struct module", [-529, -625, -729], a, "!h", "<l", [3], [5],
         slices=[([None], [None, None, 2]), ([None, None, -1], [None, None, -2])])
    pair(g, "non-contiguous, struct module 2", [-529, -625, -729], a, "h  0c", ">  h", [3], [5],
         slices=[([None], [None, None, 2]), ([None, None, -1], [None, None, -2])])

    g = groups.setdefault("test_memoryview_compare_zero_shape", [])
    pair(g, "zeros in shape", [900, 961], [-900, -961], "@h", "@h", [0])
    pair(g, "zeros in shape, struct module", [900, 961], [-900, -961], "= h0c", "@   i", [0])

    g = groups.setdefault("test_memoryview_compare_zero_strides", [])
    c = Case(g, "zero strides")
    x1 = c.nd_items([900] * 4, [4], "@L")
    x2 = c.nd_items([900], [4], "L", strides=[0])
    v, w = c.view(x1), c.view(x2)
    for p, q in ((v, x1), (w, x2), (v, x2), (w, x1), (v, w)):
        c.equals(p, Reg(q))
    c = Case(g, "zero strides, struct module")
    x1 = c.nd_items([(900, 900)] * 4, [4], "@ Li")
    x2 = c.nd_items([(900, 900)], [4], "!L  h", strides=[0])
    v, w = c.view(x1), c.view(x2)
    for p, q in ((v, x1), (w, x2), (v, x2), (w, x1), (v, w)):
        c.equals(p, Reg(q))

    g = groups.setdefault("test_memoryview_compare_random_formats", [])
    for code in NATIVE:
        c = Case(g, "native %s" % code)
        size = struct.calcsize(code)
        raw = random_raw(rng, 10 * size, code)
        x = c.ndarray(raw, [10], [size], 0, code, True)
        v = c.view(x)
        c.equals(v, Reg(x))
        s = c.slice(v, None, None, -3)
        c.equals(s, Reg(c.ndarray(raw, [4], [-3 * size], 9 * size, code, True)))
    for i in range(40):
        fmt, items = random_struct_format(rng, 10)
        c = Case(g, "random %r #%d" % (fmt, i))
        x = c.nd_items(items, [10], fmt)
        v = c.view(x)
        c.equals(v, Reg(x))
        c.equals(v, Reg(v))
        s = c.slice(v, None, None, -3)
        c.equals(s, Reg(s))
        c.equals(s, Reg(c.nd_items(items[::-3], [4], fmt)))
        c.tobytes(s)

    g = groups.setdefault("test_memoryview_compare_multidim_c", [])
    pair(g, "different values", list(range(-15, 15)), list(range(30)), "@h", "@h", [3, 2, 5])
    pair(g, "different values, struct module", [(0, 1, 2)] * 30, [(-1.2, 1, 2)] * 30,
         "=f q xxL", "< f 2Q", [3, 2, 5])
    pair(g, "different shape", list(range(30)), list(range(30)), "L", "L", [2, 3, 5], [3, 2, 5])
    pair(g, "different shape, struct module", [(0, 1, 2)] * 21, [(0, 1, 2)] * 21, "! b B xL",
         "= Qx l xxL", [3, 7], [7, 3])
    pair(g, "different format, struct module", list(range(30)), list(range(30)), "L", "l",
         [2, 3, 5])

    g = groups.setdefault("test_memoryview_compare_multidim_fortran", [])
    pair(g, "different values", list(range(-15, 15)), list(range(30)), "@h", "@h", [5, 2, 3],
         flags_a=ND_FORTRAN, flags_b=ND_FORTRAN)
    pair(g, "different values, struct module", [(2**64 - 1, -1)] * 6, [(2**64 - 1, -1)] * 6,
         "=Qq", "=Qq", [3, 2], flags_a=ND_FORTRAN, flags_b=ND_FORTRAN)
    pair(g, "different shape", list(range(-15, 15)), list(range(-15, 15)), "l", "l", [2, 3, 5],
         [3, 2, 5], flags_a=ND_FORTRAN, flags_b=ND_FORTRAN)
    pair(g, "different shape, struct module", list(range(30)), list(range(30)), "0ll", "l",
         [2, 3, 5], [3, 2, 5], flags_a=ND_FORTRAN, flags_b=ND_FORTRAN)
    pair(g, "different format, struct module", list(range(30)), list(range(30)), "@h", "h",
         [2, 3, 5], flags_a=ND_FORTRAN, flags_b=ND_FORTRAN)

    g = groups.setdefault("test_memoryview_compare_multidim_mixed", [])
    lst1 = list(range(-15, 15))
    lst2 = transpose(lst1, [3, 2, 5])
    pair(g, "mixed C/Fortran", lst1, lst2, "l", "l", [3, 2, 5], flags_b=ND_FORTRAN)
    pair(g, "mixed C/Fortran, struct module", [(x, x) for x in lst1], [(x, x) for x in lst2],
         "=hh", "=hh", [3, 2, 5], flags_b=ND_FORTRAN)
    c = Case(g, "different values, non-contiguous")
    x1 = c.nd_items(list(range(40)), [5, 8], "I")
    x2 = c.nd_items(list(range(40)), [5, 8], "I", ND_FORTRAN)
    v, w = c.view(x1), c.view(x2)
    c.equals(c.slice(v, None, None, 2), Reg(c.slice(w, None, None, 2)))
    c.equals(c.slice(v, 1, None, 2), Reg(c.slice(v, 1, None, 2)))
    c.equals(c.slice(v, None, None, -1), Reg(c.slice(w, None, None, -1)))
    c = Case(g, "strided byte views, struct module")
    x1 = c.ndarray(bytes(range(60)), [2, 3, 2], [-24, 8, 2], 24, "<h", True)
    x2 = c.ndarray(bytes(range(60)), [2, 3, 2], [-24, 8, 2], 24, "h", True)
    x3 = c.ndarray(bytes(range(60)), [2, 3, 2], [24, 8, 2], 0, ">h", True)
    v1, v2, v3 = c.view(x1), c.view(x2), c.view(x3)
    c.equals(v1, Reg(v2))
    c.equals(v1, Reg(v3))
    c.equals(c.slice(v3, None, None, -1), Reg(v1))

    g = groups.setdefault("test_memoryview_compare_multidim_zero_shape", [])
    pair(g, "zeros in shape", list(range(30)), list(range(30)), "i", "i", [0, 3], [0, 5])
    pair(g, "zeros in shape, struct module", list(range(30)), list(range(30)), "i", "<i",
         [0, 3], [0, 5])
    pair(g, "zeros in shape, different ndim", list(range(30)), list(range(30)), "i", "i",
         [0, 3], [0])
    pair(g, "zeros in shape, (3,0) vs (4,0)", list(range(30)), list(range(30)), "i", "i",
         [3, 0], [4, 0])

    g = groups.setdefault("test_memoryview_compare_multidim_zero_strides", [])
    c = Case(g, "zero strides")
    x1 = c.nd_items([0] * 6, [2, 3], "B")
    x2 = c.nd_items([0], [2, 3], "B", strides=[0, 0])
    v, w = c.view(x1), c.view(x2)
    for p, q in ((v, x1), (w, x2), (v, x2), (w, x1), (v, w)):
        c.equals(p, Reg(q))
    c = Case(g, "zero strides, struct module")
    x1 = c.nd_items([(1, 2)] * 6, [2, 3], "LQ")
    x2 = c.nd_items([(1, 2)], [2, 3], "<LQ", strides=[0, 0])
    v, w = c.view(x1), c.view(x2)
    for p, q in ((v, x1), (w, x2), (v, x2), (w, x1), (v, w)):
        c.equals(p, Reg(q))

    g = groups.setdefault("test_memoryview_compare_not_equal", [])
    for byteorder in ("=", "<", ">", "!"):
        c = Case(g, "%sQ and %sQLH" % (byteorder, byteorder))
        for fmt, item, other in (("Q", 2**63, 1), ("QLH", (2**63, 2**31, 2**15), (1, 1, 1))):
            x = c.nd_items([item] * 120, [3, 5, 2, 2, 2], byteorder + fmt)
            y = c.nd_items([item] * 120, [3, 5, 2, 2, 2], byteorder + fmt,
                           ND_WRITABLE | ND_FORTRAN)
            c.roots[y].obj[2][3][1][1][1] = other
            c.d["exporters"][y]["data"] = c.roots[y].memory().hex()
            a, b = c.view(x), c.view(y)
            for p, q in ((a, x), (b, y), (a, b), (a, y), (b, x)):
                c.equals(p, Reg(q))


def transpose(src, shape):
    """test_buffer.transpose: C-order items of `shape` as Fortran-order items."""
    if not shape:
        return src
    ndim = len(shape)
    sstrides = [1] * ndim
    dstrides = [1] * ndim
    for d in range(ndim - 2, -1, -1):
        sstrides[d] = sstrides[d + 1] * shape[d + 1]
    for d in range(1, ndim):
        dstrides[d] = dstrides[d - 1] * shape[d - 1]
    dest = [0] * len(src)
    for idx in range(len(src)):
        rem, ind = idx, []
        for d in range(ndim):
            ind.append(rem // sstrides[d])
            rem %= sstrides[d]
        dest[sum(i * s for i, s in zip(ind, dstrides))] = src[idx]
    return dest


def random_struct_format(rng, n):
    """A random multi-item struct format (test_buffer's struct_items) and n items."""
    prefix = rng.choice(["", "@", "<", ">", "=", "!"])
    fmt = prefix
    codes = []
    table = "bBhHiIlLqQ?fdec" + ("nNP" if prefix in ("", "@") else "")
    for _ in range(rng.randrange(2, 6)):
        ch = rng.choice(table)
        mult = rng.choice(["", "", "1", "2", "3"])
        fmt += mult + ch
        codes += [ch] * (int(mult) if mult else 1)

    def item():
        vals = []
        for ch in codes:
            if ch in "efd":
                v = rng.choice([0.5, -2.25, 1e-3, 3.0, 100.0])
                vals.append(struct.unpack(ch, struct.pack(ch, v))[0])
            elif ch == "?":
                vals.append(rng.random() < 0.5)
            elif ch == "c":
                vals.append(bytes([rng.randrange(256)]))
            else:
                lo, hi = int_range(prefix + ch)
                vals.append(rng.randint(lo, hi))
        return vals[0] if len(vals) == 1 else tuple(vals)

    return fmt, [item() for _ in range(n)]


def release_groups(groups):
    g = groups.setdefault("test_memoryview_release", [])
    c = Case(g, "re-exporter blocks release")
    x = c.bytearray(bytes([1, 2, 3]), track=True)
    m = c.view(x)
    b1 = c.getbuf(m, PyBUF_FULL_RO, keep=True)
    c.release(m)
    b2 = c.getbuf(m, PyBUF_SIMPLE, keep=True)
    c.release(m)
    c.dispose(m)
    c.get(m, 0)
    c.releasebuf(b1)
    c.release(m)
    c.locked(x)
    c.releasebuf(b2)
    c.release(m)
    c.locked(x)
    c.release(m)
    c = Case(g, "chained views")
    x = c.bytearray(bytes([1, 2, 3]), track=True)
    m1 = c.view(x)
    m2 = c.view(m1)
    b = c.getbuf(m2, PyBUF_FULL_RO, keep=True)
    c.release(m1)
    c.locked(x)
    c.release(m2)
    c.releasebuf(b)
    c.locked(x)
    c.release(m2)
    c.locked(x)
    c = Case(g, "slices, casts and toreadonly keep the exporter locked")
    x = c.bytearray(bytes(range(8)), track=True)
    m = c.view(x)
    s = c.slice(m, 1, None)
    k = c.cast(m, "h")
    r = c.toreadonly(m)
    c.release(m)
    c.locked(x)
    c.get(s, 0)
    c.release(s)
    c.locked(x)
    c.get(k, 1)
    c.release(k)
    c.locked(x)
    c.tolist(r)
    c.release(r)
    c.locked(x)
    c = Case(g, "exports of a slice count on the slice only")
    x = c.bytearray(bytes(range(8)), track=True)
    m = c.view(x)
    s = c.slice(m, None, None, 2)
    b = c.getbuf(s, PyBUF_STRIDED_RO, keep=True)
    c.release(m)
    c.release(s)
    c.locked(x)
    c.releasebuf(b)
    c.release(s)
    c.locked(x)
    c = Case(g, "context manager with an export")
    x = c.bytearray(b"123", track=True)
    m = c.view(x)
    b = c.getbuf(m, PyBUF_FULL_RO, keep=True)
    c.get(m, 0)
    c.dispose(m)
    c.releasebuf(b)
    c.dispose(m)
    c.dispose(m)
    c.get(m, 0)
    c = Case(g, "nested views released in any order")
    x = c.bytearray(b"123", track=True)
    m1 = c.view(x)
    m2 = c.view(m1)
    m3 = c.view(m2)
    c.dispose(m2)
    c.get(m1, 0)
    c.get(m3, 2)
    c.dispose(m3)
    c.locked(x)
    c.dispose(m1)
    c.locked(x)
    c = Case(g, "bytes and ndarray exporters")
    for x in (c.bytes(b"abc"), c.ndarray(bytes(range(12)), [3, 2], [4, 2], 0, "h", True)):
        m = c.view(x)
        b = c.getbuf(m, PyBUF_FULL_RO, keep=True)
        b2 = c.getbuf(m, PyBUF_FULL_RO, keep=True)
        c.release(m)
        c.releasebuf(b2)
        c.release(m)
        c.releasebuf(b)
        c.release(m)


# ---------------------------------------------------------------------------------------
# 3. getbuf: every PyBUF flag combination x layout (memory_getbuf, §2.14)
# ---------------------------------------------------------------------------------------

REQUESTS = (
    PyBUF_INDIRECT, PyBUF_STRIDES, PyBUF_ND, PyBUF_SIMPLE, PyBUF_C_CONTIGUOUS,
    PyBUF_F_CONTIGUOUS, PyBUF_ANY_CONTIGUOUS, PyBUF_FULL, PyBUF_FULL_RO, PyBUF_RECORDS,
    PyBUF_RECORDS_RO, PyBUF_STRIDED, PyBUF_STRIDED_RO, PyBUF_CONTIG, PyBUF_CONTIG_RO,
)
REAL_FLAGS = (0, PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_WRITABLE | PyBUF_FORMAT)


def getbuf_groups():
    groups = {}
    g = groups.setdefault("test_ndarray_getbuf", [])
    flags_list = sorted({req | bits for req in REQUESTS for bits in REAL_FLAGS})
    structure = (
        ([], [], 0), ([1, 3, 1], [], 0), ([12], [], 0), ([12], [-1], 11), ([6], [2], 0),
        ([6], [-2], 11), ([3, 4], [], 0), ([3, 4], [-4, -1], 11), ([2, 2], [4, 1], 4),
        ([2, 2], [-4, -1], 8), ([1, 12, 1], [], 0), ([7, 0, 7], [], 0), ([3], [0], 0),
        ([2, 3], [0, 1], 0),
    )
    items_fmt = (
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "B"),
        ([(2**31 - x) if x % 2 else (-(2**31) + x) for x in range(12)], "l"),
    )
    for items, fmt in items_fmt:
        itemsize = struct.calcsize(fmt)
        for shape, strides, offset in structure:
            for ndflags in (0, ND_WRITABLE, ND_FORTRAN, ND_FORTRAN | ND_WRITABLE):
                if strides and ndflags & ND_FORTRAN:
                    continue
                c = Case(g, "%s shape=%s strides=%s offset=%d flags=%d" % (
                    fmt, shape, strides, offset, ndflags))
                x = c.nd_items(items if shape else items[0], shape, fmt, ndflags,
                               [s * itemsize for s in strides] if strides else None,
                               offset * itemsize)
                views = [c.view(x)]
                if shape:
                    views.append(c.slice(views[0], None, None, -2))
                for m in views:
                    c.attrs(m)
                    for flags in flags_list:
                        c.getbuf(m, flags)
                    c.release(m)
    c = Case(g, "bytes, bytearray, read-only views, casts")
    ms = [c.view(c.bytes(b"abcdef")), c.view(c.bytearray(b"abcdef"))]
    ms.append(c.toreadonly(ms[1]))
    ms.append(c.cast(ms[1], "h", [3]))
    ms.append(c.cast(ms[1], "h", [3, 1]))
    ms.append(c.cast(ms[0], "B", [2, 3]))
    ms.append(c.slice(ms[0], 0, 0, 2))
    ms.append(c.cast(ms[1], "e", [1, 3]))
    for m in ms:
        for flags in flags_list:
            c.getbuf(m, flags)
    return groups


# ---------------------------------------------------------------------------------------
# 4. Extensions: computed with struct and _testbuffer.ndarray, not read from memoryview
# ---------------------------------------------------------------------------------------


class ExtCase(Case):
    """A case whose element values come from struct, not from a memoryview: memview's
    sanctioned extensions. A view is a layout over its exporter's memory ("start" byte,
    shape, strides, format); views CPython can make (memoryview of an exporter of any
    format, its slices) take their layout from CPython, casts CPython refuses are laid out
    here by CPython's cast rules (C order over the same bytes)."""

    def __init__(self, out, label, extension):
        super().__init__(out, label, extension)
        self.virtual = {}

    def lay(self, m):
        if m in self.virtual:
            return self.virtual[m]
        v = self.regs[m]
        root = self.roots[self.root_of[m]]
        return {
            "start": pointer_of(v) - root.base_pointer(),
            "shape": list(v.shape),
            "strides": list(v.strides),
            "format": v.format,
            "readonly": v.readonly,
        }

    def items(self, m):
        """(offset in the exporter's memory, index tuple) of every element, C order."""
        lay = self.lay(m)
        out = []

        def walk(d, off, idx):
            if d == len(lay["shape"]):
                out.append((off, tuple(idx)))
                return
            for i in range(lay["shape"][d]):
                walk(d + 1, off + i * lay["strides"][d], idx + [i])

        walk(0, lay["start"], [])
        return out

    def unpack_at(self, m, off):
        vals = struct.unpack_from(self.lay(m)["format"], self.roots[self.root_of[m]].memory(),
                                  off)
        return vals[0] if len(vals) == 1 else vals

    def offset_of(self, m, idx):
        shape = self.lay(m)["shape"]
        key = tuple(i % shape[d] for d, i in enumerate(idx))
        return dict((i, off) for off, i in self.items(m))[key]

    def ext_get(self, m, *idx):
        self.step("get", in_=m, args=[arg(i) for i in idx],
                  expect=result(self.unpack_at(m, self.offset_of(m, idx)), self.lay(m)["format"]))

    def ext_tolist(self, m):
        lay = self.lay(m)
        flat = iter([self.unpack_at(m, off) for off, _ in self.items(m)])

        def nest(d):
            if d == len(lay["shape"]):
                return next(flat)
            return [nest(d + 1) for _ in range(lay["shape"][d])]

        lst = result(nest(0), lay["format"])
        self.step("tolist", in_=m, expect=lst)
        if len(lay["shape"]) == 1:
            self.step("iter", in_=m, expect=lst)

    def write_root(self, name, data):
        root = self.roots[name]
        if root.kind == "bytearray":
            root.obj[:] = data
        else:
            ctypes.memmove(root.base, bytes(data), len(data))

    def ext_set(self, m, *args):
        *idx, value = args
        fmt = self.lay(m)["format"]
        buf = bytearray(self.roots[self.root_of[m]].memory())
        struct.pack_into(fmt, buf, self.offset_of(m, idx),
                         *(value if isinstance(value, tuple) else (value,)))
        self.write_root(self.root_of[m], buf)
        codes = value_codes(fmt)
        if isinstance(value, tuple):
            enc = [arg(x, w) for x, (_, w) in zip(value, codes)]
        else:
            enc = arg(value, codes[0][1])
        self.step("set", in_=m, args=[arg(i) for i in idx] + [enc], mem=self.mem(m))

    def ext_cast(self, m, fmt, shape=None):
        """m.cast(fmt[, shape]) for a format CPython refuses: C order over m's bytes."""
        src = self.lay(m)
        size = struct.calcsize(fmt)
        nbytes = math.prod(src["shape"]) * struct.calcsize(src["format"])
        if shape is None:
            shape = [nbytes // size]
        assert math.prod(shape) * size == nbytes
        out = self.fresh()
        self.step("cast", in_=m, args=[fmt] if shape is None else [fmt, shape], out=out)
        lay = {"start": src["start"], "shape": shape, "strides": c_strides(shape, size),
               "format": fmt, "readonly": src["readonly"]}
        self.virtual[out] = lay
        self.root_of[out] = self.root_of[m]
        big = [n for n in shape if n != 1]
        self.step("attrs", in_=out, expect={
            "obj": self.root_of[m], "nbytes": nbytes, "readonly": src["readonly"],
            "itemsize": size, "format": fmt, "ndim": len(shape), "shape": shape,
            "strides": lay["strides"], "suboffsets": [], "c": True,
            "f": len(big) <= 1 or nbytes == 0, "contiguous": True,
            "len": shape[0] if shape else {"error": "TypeError",
                                          "message": "0-dim memory has no length"},
        })
        return out


def extension_groups():
    rng = random.Random(SEED + 2)
    groups = {}

    # 1. element access, tolist, iteration and set for any struct format
    g = groups.setdefault("extension: element access for any struct format", [])
    formats = ["<i", ">i", "=h", ">d", "<f", "!H", ">q", "<Q", "<e", ">?", "<IHd", "3s",
               "2i", "l x d x", ">c", "<b", "=?", "ii", "5p", "=L", ">l", "<hQiLl", "@3B",
               "iii", "lh", "s", "2s", "xL", ">Q", "=e", "!d", ">f"]
    for fmt in formats:
        size = struct.calcsize(fmt)
        shape, strides, offset, memlen = random_layout(rng, size, max_bytes=160)
        c = ExtCase(g, "%s %s/%s+%d" % (fmt, shape, strides, offset), "non-native formats")
        x = c.ndarray(ext_raw(rng, fmt, memlen), shape, strides, offset, fmt, False)
        m = c.view(x)
        c.attrs(m)
        c.ext_tolist(m)
        v = c.regs[m]
        if v.nbytes:
            for _ in range(3):
                c.ext_get(m, *[rng.randrange(-n, n) for n in v.shape])
            for _ in range(2):
                idx = [rng.randrange(-n, n) for n in v.shape]
                c.ext_set(m, *idx, ext_value(rng, fmt))
                c.ext_get(m, *idx)
            c.ext_tolist(m)
        if v.ndim >= 1 and v.shape[0] > 1:
            c.ext_tolist(c.slice(m, None, None, -1))
    c = ExtCase(g, "0-dim iii (test_memoryview_index)", "non-native formats")
    m = c.view(c.nd_items((1, 2, 3), [], "iii", ND_WRITABLE))
    c.ext_get(m)
    c.ext_tolist(m)
    c.ext_set(m, (4, -5, 6))
    c.ext_get(m)
    c = ExtCase(g, "xL, s, lh (test_memoryview_assign, test_memoryview_tolist)",
                "non-native formats")
    for items, fmt in (([1], "xL"), ([b"12345"], "s"), ([(2, 5), (7, 11)], "lh"),
                       ([b"a", b"b", b"c", b"d", b"e", b"f"], "s")):
        shape = [2, 3] if len(items) == 6 else [len(items)]
        m = c.view(c.nd_items(items, shape, fmt, ND_WRITABLE))
        c.ext_tolist(m)
        c.ext_set(m, *[0] * len(shape), ext_value(rng, fmt))
        c.ext_tolist(m)

    # 2. slice assignment in any number of dimensions (oracle: _testbuffer.ndarray)
    g = groups.setdefault("extension: multi-dimensional slice assignment", [])
    for i in range(24):
        fmt = rng.choice(["B", "h", "<i", "d", "c", "q"])
        size = struct.calcsize(fmt)
        shape = [rng.randint(1, 4) for _ in range(rng.choice([2, 2, 3]))]
        c = ExtCase(g, "%s %s #%d" % (fmt, shape, i), "multi-dimensional slice assignment")
        n = math.prod(shape)
        x = c.ndarray(random_raw(rng, n * size), shape, c_strides(shape, size), 0, fmt, False)
        m = c.view(x)
        args = random_slice(rng, shape[0])
        if any(isinstance(a, (float, str)) for a in args) or (len(args) == 3 and args[2] == 0):
            args = [None, None, -1]
        key = py_slice(args, c.regs)
        target_shape = [len(range(shape[0])[key])] + shape[1:]
        src_strides = c_strides(target_shape, size)
        src_off = 0
        if rng.random() < 0.5 and all(target_shape):
            src_off = sum((k - 1) * s for k, s in zip(target_shape, src_strides))
            src_strides = [-s for s in src_strides]
        y = c.ndarray(random_raw(rng, max(math.prod(target_shape), 1) * size), target_shape,
                      src_strides, src_off, fmt, True)
        c.roots[x].obj[key] = c.roots[y].obj
        s = c.step("assign", in_=m, args=[arg(a) for a in args], src={"reg": c.view(y)})
        s["mem"] = c.mem(m)
        c.ext_tolist(m)
    c = ExtCase(g, "2-D from a strided 2-D view of another exporter",
                "multi-dimensional slice assignment")
    x = c.ndarray(bytes(range(24)), [4, 6], [6, 1], 0, "B", False)
    y = c.ndarray(bytes(range(100, 124)), [4, 6], [6, 1], 0, "B", True)
    m = c.view(x)
    c.roots[x].obj[1:3] = c.roots[y].obj[::2]
    c.step("assign", in_=m, args=[1, 3], src={"reg": c.slice(c.view(y), None, None, 2)},
           mem=c.mem(m))
    c.ext_tolist(m)

    # 3. cast to any struct format (C-contiguous, a byte format on one side, sizes divide)
    g = groups.setdefault("extension: cast to any struct format", [])
    for fmt in (">I", "<h", "=q", ">d", "<e", "2h", "<IHd", "3s", "!H", ">?", "ii", "5p", "<Q"):
        size = struct.calcsize(fmt)
        for nitems in (1, 2, 3):
            c = ExtCase(g, "B -> %s x%d" % (fmt, nitems), "cast to any struct format")
            x = c.bytearray(ext_raw(rng, fmt, nitems * size))
            m = c.view(x)
            out = c.ext_cast(m, fmt)
            c.ext_tolist(out)
            c.ext_set(out, 0, ext_value(rng, fmt))
            c.ext_get(out, 0)
            c.ext_tolist(out)
            back = c.ext_cast(out, "B")
            c.step("tobytes", in_=back, args=[], expect={"bytes": c.roots[x].memory().hex()})
            c.step("cast", in_=out, args=["<i" if fmt != "<i" else ">i"],
                   error={"error": "TypeError",
                          "message": "memoryview: cannot cast between two non-byte formats"})
            if nitems == 2:
                c.ext_tolist(c.ext_cast(m, fmt, [2, 1]))
                c.ext_tolist(c.ext_cast(c.toreadonly(m), fmt, [1, 2]))
    for fmt, via in ((">I", "I"), ("<h", "h"), ("=q", "q"), ("2h", "i"), ("<d", "d")):
        # Errors under CPython's other rules: CPython's answer for the native format `via`
        # of the same size (the destination format check is the only one that differs).
        size = struct.calcsize(fmt)
        c = Case(g, "errors %s (CPython's answer for %s)" % (fmt, via),
                 "cast to any struct format")
        for data, shape in ((bytes(size + 1), None), (bytes(size * 2), [3]),
                            (bytes(size * 2), [2, 0]), (bytes(size * 2), [-2])):
            m = c.view(c.bytes(data))
            pargs = [via] if shape is None else [via, shape]
            ok, res = run(lambda: c.regs[m].cast(*pargs))
            assert not ok
            c.step("cast", in_=m, args=[fmt] if shape is None else [fmt, shape], error=res)
        for m in (c.slice(c.view(c.bytes(bytes(4 * size))), None, None, 2),
                  c.cast(c.view(c.bytes(bytes(4 * size))), "i" if size != 4 else "h"),
                  c.cast(c.view(c.bytes(bytes(4 * size))), "B", [2, 2, size])):
            ok, res = run(lambda: c.regs[m].cast(via, [2, 2]))
            assert not ok
            c.step("cast", in_=m, args=[fmt, [2, 2]], error=res)
    return groups


def c_strides(shape, itemsize):
    st = [itemsize] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        st[d] = st[d + 1] * max(shape[d + 1], 1)
    return st


def ext_raw(rng, fmt, n):
    """Random memory whose items all unpack: '?' bytes 0/1 (any nonzero is True, but keep
    the repacked bytes equal), NaN-free floats (NaN payloads do not round-trip)."""
    size = struct.calcsize(fmt)
    out = bytearray()
    for _ in range(n // size):
        out += struct.pack(fmt, *ext_item(rng, fmt))
    out += bytes(n - len(out))
    return bytes(out)


def ext_item(rng, fmt):
    prefix, _ = split_format(fmt)
    vals = []
    for code, _ in value_codes(fmt):
        if code in INT_CODES:
            lo, hi = int_range(prefix + code)
            vals.append(rng.randint(lo, hi))
        elif code in "efd":
            vals.append(rng.choice([0.5, -1.25, 3.0, 1e-3, -0.0, float("inf"), 65504.0]))
        elif code == "?":
            vals.append(rng.random() < 0.5)
        elif code == "c":
            vals.append(bytes([rng.randrange(256)]))
        else:
            vals.append(bytes(rng.randrange(256) for _ in range(rng.randrange(6))))
    return tuple(vals)


def ext_value(rng, fmt):
    item = ext_item(rng, fmt)
    return item[0] if len(item) == 1 else item


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------


def prune(groups):
    """Drops steps with a None placeholder (conditional expressions above)."""
    for cases in groups.values():
        for case in cases:
            case["steps"] = [s for s in case["steps"] if s is not None]
    return groups


def dump(path, about, groups):
    text = grouped_fixture(about, "scripts/gen_view_fixtures.py", groups, SEED)
    write_text(path, text)
    cases = sum(len(c) for c in groups.values())
    steps = sum(len(case["steps"]) for c in groups.values() for case in c)
    print("%-40s %5d cases %7d steps %9d bytes" % (os.path.relpath(path), cases, steps,
                                                    len(text)))


def main():
    warnings.simplefilter("ignore", DeprecationWarning)  # array('u')
    os.makedirs(OUT, exist_ok=True)
    files = [
        ("chains.json", "random chains of slices, casts, toreadonly, memoryview(m) and "
         "slice assignments over bytes, bytearray and _testbuffer.ndarray exporters",
         chain_groups),
        ("ports.json", "CPython's test_buffer.py and test_memoryview.py memoryview tests",
         port_groups),
        ("getbuf.json", "PyObject_GetBuffer on memoryviews: every PyBUF flag x layout",
         getbuf_groups),
        ("extensions.json", "memview's sanctioned extensions, computed with struct and "
         "_testbuffer.ndarray", extension_groups),
    ]
    for name, about, build in files:
        dump(os.path.join(OUT, name), "CPython 3.13 golden memoryview fixtures: " + about,
             prune(build()))


if __name__ == "__main__":
    main()
