#!/usr/bin/env python3
"""NumPy oracle fixtures for memview's sanctioned extensions (ARCHITECTURE.md, "Beyond CPython"),
written to test/fixtures/view/numpy_*.json and read by test/view.numpy.test.ts.

Run with the default python3 (3.11 with NumPy 2.x) from the repository root:

    python3 scripts/gen_view_numpy_fixtures.py

CPython 3.13 has no multi-dimensional sub-views, transposes, N-D slice assignment, element
access for non-native formats or TypedArrays, so the oracles are:

- NumPy for layouts: every view is an ndarray of dtype `V<itemsize>` over a uint8 buffer,
  built with `__array_interface__` (any offset and any strides, negative ones included);
  basic indexing `a[keys + (...,)]`, `a.T`, `np.transpose`, `a[start:stop:step]`,
  `a.tobytes('C'|'F')`, `a[...] = src.copy()`, and NumPy's error for a bad key or axis;
- `struct` (3.11, same as 3.13 for every format used here) for the value of an element:
  `struct.unpack(fmt, item_bytes)`, cross-checked against NumPy's own dtype where one
  exists (`<i4`, `>f8`, ...), and `struct.pack` for what an assignment writes;
- CPython's own memoryview for the contiguity flags and `tobytes('A')`: a real memoryview
  with exactly the view's layout is made with `PyMemoryView_FromBuffer` through ctypes
  (its `init_flags` is unchanged from 3.11 to 3.13). CPython's flags are the expectation;
  NumPy's are recorded alongside ("np") and differ on a few edge cases.

memview's own texts replace NumPy's in errors (each expected error also records NumPy's):
an out-of-range integer key is IndexError "index out of bounds on dimension K" (CPython's
words, K = NumPy's axis + 1); too many keys is TypeError "too many indices for memoryview:
memoryview is N-dimensional, but M were indexed"; transpose errors keep NumPy's text as
ValueError (NumPy's AxisError subclasses ValueError).

JSON value encoding (decoded by test/view.numpy.test.ts)
--------------------------------------------------------
    42, -7, 1.5          a JS number (ints of every code but the 8-byte integers, floats);
    {"$bigint": "<dec>"} a JS bigint: every value of an 8-byte integer code (q Q, native
                         l L n N P), and slice bounds beyond 2**53;
    {"$float": "nan"|"inf"|"-inf"|"-0"}  a special JS number;
    true, false          a boolean (format '?');
    {"$bytes": "<hex>"}  a Uint8Array (formats c, s, p);
    [ ... ]              an array: a nested toList() level, or one record of a multi-value
                         format ('<IHHd' -> [I, H, H, d]);
    null                 None (a whole-dimension sub() key, an omitted slice bound).
Buffers and toBytes() results are lowercase hex strings.

Files (each {"generator", "python", "numpy", "seed", "cases": [...]}):
    numpy_sub.json      views with random layouts and formats, and chains of sub / T /
                        transpose / slice applied to them: shape, strides, toList,
                        toBytes C/F/A, flags; or the error of the chain's last step. Strides
                        are CPython's arithmetic (stride * step), which is NumPy's for
                        every view with elements (NumPy resets an empty slice).
    numpy_assign.json   view.assign(src) for N-D views, the source a view of another
                        buffer or of the same one (overlapping): the whole buffer afterwards.
    numpy_formats.json  element access (toList, get, iteration, set) for explicit byte
                        orders, records and counts, views made by cast() or by an exporter.
    numpy_typed.json    toTypedArray(): the TypedArray class and contents, or the condition
                        that fails ("contiguous", "aligned", "byteorder").
The output is deterministic (fixed seed; `--seed N` explores others, not for committing).
"""

import ctypes
import json
import math
import os
import random
import re
import struct
import sys

import numpy as np

from pybuffer import PyBuffer, memoryview_from_buffer

SEED = 0x688  # PEP 688
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "view")
SAFE = 2**53 - 1

assert sys.byteorder == "little" and struct.calcsize("@l") == 8, "fixtures assume LP64 LE"
if "--seed" in sys.argv:  # exploration only: the committed fixtures use SEED
    SEED = int(sys.argv[sys.argv.index("--seed") + 1], 0)
rng = random.Random(SEED)

# ----------------------------------------------------------------------------------------
# Formats and values
# ----------------------------------------------------------------------------------------

TOKEN = re.compile(r"(\d*)([xcbB?hHiIlLqQnNefdspP])")


def items_of(fmt):
    """The codes of the values one element of `fmt` unpacks to, and whether it is native."""
    native = fmt[:1] not in ("<", ">", "=", "!")
    body = fmt[1:] if fmt[:1] in ("@", "<", ">", "=", "!") else fmt
    codes = []
    for count, code in TOKEN.findall(body):
        n = int(count) if count else 1
        if code == "x":
            continue
        codes += [code] if code in "sp" else [code] * n
    return codes, native


def wide(code, native):
    return code in "qQ" or (native and code in "lLnNP")


def enc_value(v, code, native):
    """One unpacked value of `code` in the fixture encoding."""
    if isinstance(v, bool):
        return v
    if isinstance(v, bytes):
        return {"$bytes": v.hex()}
    if isinstance(v, int):
        if wide(code, native) or not -SAFE <= v <= SAFE:
            return {"$bigint": str(v)}
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return {"$float": "nan"}
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        if v == 0 and math.copysign(1, v) < 0:
            return {"$float": "-0"}
        return v
    raise TypeError(f"cannot encode {v!r}")


def enc_key(v):
    """A sub() key, slice bound or axis in the fixture encoding."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if -SAFE <= v <= SAFE else {"$bigint": str(v)}
    if isinstance(v, (list, tuple)):
        return [enc_key(x) for x in v]
    raise TypeError(v)


def element(fmt, data):
    """The encoded value memview's get/toList give for one element's bytes."""
    codes, native = items_of(fmt)
    vals = struct.unpack(fmt, data)
    assert len(vals) == len(codes), (fmt, vals)
    out = [enc_value(v, c, native) for v, c in zip(vals, codes)]
    return out[0] if len(codes) == 1 else out


def nest(flat, shape):
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = math.prod(shape[1:])
    return [nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def values_of(fmt, cbytes, shape):
    """toList() of a view of `fmt` whose C-order bytes are `cbytes`."""
    size = struct.calcsize(fmt)
    flat = [element(fmt, cbytes[k : k + size]) for k in range(0, len(cbytes), size)]
    if not shape:
        return flat[0]
    return nest(flat, list(shape))


NUMPY_DTYPES = {  # struct code -> NumPy kind and size, for the cross-check
    "b": "i1", "B": "u1", "h": "i2", "H": "u2", "i": "i4", "I": "u4", "l": "i4", "L": "u4",
    "q": "i8", "Q": "u8", "e": "f2", "f": "f4", "d": "f8", "?": "b1",
}  # fmt: skip


def numpy_dtype(fmt):
    """NumPy's dtype for a single-value format, or None (records, counts, c s p)."""
    order = {"<": "<", ">": ">", "!": ">", "=": "<", "@": "<"}.get(fmt[:1])
    code = fmt[1:] if order else fmt
    if len(code) != 1 or code not in NUMPY_DTYPES:
        return None
    if order is None or fmt[0] == "@":
        if code in "lL":
            return np.dtype("<i8" if code == "l" else "<u8")
        order = "<"
    return np.dtype(order + NUMPY_DTYPES[code])


def same_encoded(a, b):
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def cross_check(fmt, arr_bytes, shape, listed):
    """NumPy decodes the same bytes to the same values as struct, where it has the dtype."""
    dt = numpy_dtype(fmt)
    if dt is None:
        return
    codes, native = items_of(fmt)
    a = np.frombuffer(arr_bytes, dtype=dt).reshape(shape)
    flat = [enc_value(x, codes[0], native) for x in np.asarray(a).reshape(-1).tolist()]
    assert same_encoded(nest(flat, list(shape)) if shape else flat[0], listed), fmt


def random_element(fmt):
    """Bytes of one element whose value survives a trip through JS and struct.pack."""
    size = struct.calcsize(fmt)
    while True:
        data = bytes(rng.randrange(256) for _ in range(size))
        try:
            vals = struct.unpack(fmt, data)
        except struct.error:
            continue
        if any(isinstance(v, float) and math.isnan(v) for v in vals):
            continue
        return struct.pack(fmt, *vals)  # canonical: pad bytes 0, bools 0/1, pascal lengths


def fill(n, fmt):
    """n random bytes; for '?' formats the bytes are 0 or 1 (others are undefined in C)."""
    if "?" in fmt:
        return bytes(rng.randrange(2) for _ in range(n))
    return bytes(rng.randrange(256) for _ in range(n))


# ----------------------------------------------------------------------------------------
# Layouts: NumPy arrays and real CPython memoryviews of any shape/strides/offset
# ----------------------------------------------------------------------------------------


_keep = []


class Strided:
    """An __array_interface__ holder: NumPy reads the layout from it verbatim."""


def make_array(mem, offset, shape, strides, itemsize):
    """An ndarray of dtype V<itemsize> whose element (0,...,0) is byte `offset` of mem."""
    holder = Strided()
    holder.__array_interface__ = {
        "data": (mem.ctypes.data + offset, False),
        "shape": tuple(shape),
        "strides": tuple(strides),
        "typestr": f"|V{itemsize}",
        "version": 3,
    }
    holder.mem = mem
    return np.asarray(holder)


def cpython_view(a, itemsize, strides):
    """A CPython memoryview with a's shape and data pointer and these strides (ctypes
    PyMemoryView_FromBuffer)."""
    nd = a.ndim
    shape = (ctypes.c_ssize_t * max(nd, 1))(*a.shape)
    strides = (ctypes.c_ssize_t * max(nd, 1))(*strides)
    fmt = ctypes.c_char_p(b"B" if itemsize == 1 else f"{itemsize}s".encode())
    info = PyBuffer()
    info.buf = a.__array_interface__["data"][0]
    info.len = a.size * itemsize
    info.itemsize = itemsize
    info.readonly = 1
    info.ndim = nd
    info.format = fmt
    if nd:
        info.shape = ctypes.cast(shape, ctypes.POINTER(ctypes.c_ssize_t))
        info.strides = ctypes.cast(strides, ctypes.POINTER(ctypes.c_ssize_t))
    _keep.append((shape, strides, fmt, info, a))
    return memoryview_from_buffer(info)


def cpython_rule(shape, strides, itemsize):
    """cpython-semantics.md 2.2, to confirm the ctypes memoryview says the same."""
    nd = len(shape)
    if nd == 0:
        return True, True
    if nd == 1:
        ok = shape[0] == 1 or strides[0] == itemsize
        return ok, ok
    if 0 in shape:
        return True, True

    def back_to_back(dims):
        expected = itemsize
        for d in dims:
            if shape[d] > 1 and strides[d] != expected:
                return False
            expected *= shape[d]
        return True

    return back_to_back(range(nd - 1, -1, -1)), back_to_back(range(nd))


def describe(a, fmt, itemsize, strides):
    """What memview must report for the view NumPy holds as `a`, whose strides by
    CPython's arithmetic are `strides` (NumPy's own, unless the view is empty)."""
    assert a.size == 0 or list(a.strides) == strides, (a.shape, a.strides, strides)
    cb = a.tobytes("C")
    fb = a.tobytes("F")
    mv = cpython_view(a, itemsize, strides)
    flags = [mv.c_contiguous, mv.f_contiguous]
    assert tuple(flags) == cpython_rule(a.shape, strides, itemsize), (a.shape, strides)
    raw = mv.tobytes("A")
    assert raw in (cb, fb) and mv.tobytes("C") == cb and mv.tobytes("F") == fb
    listed = values_of(fmt, cb, a.shape)
    cross_check(fmt, cb, a.shape, listed)
    np_flags = [bool(a.flags.c_contiguous), bool(a.flags.f_contiguous)]
    # NumPy calls every empty array contiguous; CPython not an empty 1-D one whose stride
    # is not the itemsize. They agree everywhere else.
    assert np_flags == flags or (a.ndim == 1 and a.size == 0), (a.shape, strides)
    out = {
        "shape": list(a.shape),
        "strides": list(strides),
        "list": listed,
        "C": cb.hex(),
        "A": "C" if raw == cb else "F",
        "flags": flags,
        "np": np_flags,
    }
    if fb != cb:
        out["F"] = fb.hex()
    return out


def reach(offset, shape, strides, itemsize):
    lo = hi = offset
    for n, s in zip(shape, strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return lo, hi + itemsize


def random_shape(nd):
    pool = [1, 1, 2, 3, 3, 4, 4, 5] + ([0] if rng.random() < 0.3 else [])
    return [rng.choice(pool) for _ in range(nd)]


def random_layout(itemsize, shape=None, max_n=192, unit=None):
    """(offset, shape, strides, n): a random valid layout within n bytes. Strides are C, F,
    permuted, flipped, padded or wild; multiples of the itemsize unless `unit` says else."""
    while True:
        if shape is None:
            nd = rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 4])
            sh = random_shape(nd)
        else:
            sh = list(shape)
            nd = len(sh)
        kind = rng.choice(["C", "C", "F", "perm", "flip", "wild", "pad"])
        c = [itemsize] * nd
        for d in range(nd - 2, -1, -1):
            c[d] = c[d + 1] * max(sh[d + 1], 1)
        if kind == "C":
            strides = c
        elif kind == "F":
            s, strides = itemsize, []
            for d in range(nd):
                strides.append(s)
                s *= max(sh[d], 1)
        elif kind == "perm":
            strides = c[:]
            rng.shuffle(strides)
        elif kind == "flip":
            strides = [s if rng.random() < 0.5 else -s for s in c]
        elif kind == "pad":
            strides = [s * rng.choice([1, 2, 3]) for s in c]
        else:
            u = unit or itemsize
            strides = [u * rng.randint(-6, 6) for _ in range(nd)]
        if unit == 1 and nd and rng.random() < 0.3:
            strides[rng.randrange(nd)] += rng.choice([-1, 1])
        lo, hi = reach(0, sh, strides, itemsize)
        empty = 0 in sh
        span = itemsize if empty else hi - lo
        n = span + rng.choice([0, 0, 1, 3, 8]) * itemsize + rng.choice([0, 0, 1, 3])
        if n > max_n:
            if shape is not None:
                sh = list(shape)
            continue
        offset = rng.randrange(0, n - itemsize + 1) if empty else -lo + rng.randint(0, n - span)
        if unit is None and not empty:
            offset -= (offset + lo) % itemsize
            if offset + lo < 0:
                continue
        return offset, sh, strides, n


# ----------------------------------------------------------------------------------------
# Ops: sub / T / transpose / slice, applied in NumPy, with memview's expected errors
# ----------------------------------------------------------------------------------------


def key_to_py(key):
    if key is None:
        return slice(None)
    if isinstance(key, list):
        return slice(*(key + [None] * (3 - len(key))))
    return key


def cpython_strides(a, strides, op):
    """The strides of apply(a, op) by CPython's slicing arithmetic (stride * step), which
    memview follows; NumPy's differ only for an empty result (it resets such a slice)."""
    kind = op[0]
    if kind == "sub":
        out = []
        for d, s in enumerate(strides):
            key = op[1][d] if d < len(op[1]) else None
            if key is None:
                out.append(s)
            elif isinstance(key, list):
                step = key[2] if len(key) > 2 and key[2] is not None else 1
                out.append(s * step)
        return out
    if kind == "T" or (kind == "transpose" and op[1] is None):
        return strides[::-1]
    if kind == "transpose":
        return [strides[x % a.ndim] for x in op[1]]
    if kind == "slice":
        return [strides[0] * (1 if op[3] is None else op[3])] + strides[1:]
    raise ValueError(kind)


def apply2(pair, op):
    """apply() on (array, CPython strides)."""
    a, strides = pair
    b = apply(a, op)
    return b, cpython_strides(a, strides, op)


def apply(a, op):
    kind = op[0]
    if kind == "sub":
        return a[tuple(key_to_py(k) for k in op[1]) + (Ellipsis,)]
    if kind == "T":
        return a.T
    if kind == "transpose":
        return np.transpose(a, op[1])
    if kind == "slice":
        return a[slice(op[1], op[2], op[3])]
    raise ValueError(kind)


def memview_error(op, ndim, exc):
    """memview's error for NumPy's exception `exc` raised by `op` on an ndim view."""
    numpy = {"type": type(exc).__name__, "message": str(exc)}
    text = str(exc)
    if op[0] == "sub":
        m = re.fullmatch(r"index -?\d+ is out of bounds for axis (\d+) with size \d+", text)
        if m:
            dim = int(m.group(1)) + 1
            mine = {"type": "IndexError", "message": f"index out of bounds on dimension {dim}"}
        elif text.startswith("too many indices"):
            mine = {
                "type": "TypeError",
                "message": f"too many indices for memoryview: memoryview is {ndim}-dimensional,"
                f" but {len(op[1])} were indexed",
            }
        elif text == "slice step cannot be zero":
            mine = {"type": "ValueError", "message": text}
        else:
            raise AssertionError((op, numpy))
    elif op[0] == "transpose":
        assert isinstance(exc, ValueError), (op, numpy)
        mine = {"type": "ValueError", "message": text}
    elif op[0] == "slice":
        assert text == "slice step cannot be zero", (op, numpy)
        mine = {"type": "ValueError", "message": text}
    else:
        raise AssertionError((op, numpy))
    mine["numpy"] = numpy
    return mine


def random_bound(size):
    r = rng.random()
    if r < 0.03:
        return rng.choice([2**63 - 1, -(2**63), 2**70, -(2**70)])
    if r < 0.3:
        return None
    return rng.randint(-size - 2, size + 2)


def random_step():
    if rng.random() < 0.01:
        return 0
    return rng.choice([None, None, 1, 1, -1, -1, 2, -2, 3, -3])


def random_slice(size):
    for _ in range(5):
        key = [random_bound(size), random_bound(size), random_step()]
        if key[2] == 0 or len(range(size)[slice(*key)]) or rng.random() < 0.15:
            break
    while key and key[-1] is None and rng.random() < 0.5:
        key.pop()
    return key


def random_keys(shape, allow_error):
    nd = len(shape)
    count = rng.randint(0, nd) if nd else 0
    if nd and rng.random() < 0.5:
        count = max(count, rng.randint(1, nd))
    if allow_error and rng.random() < 0.04:
        count = nd + 1
    keys = []
    for d in range(count):
        size = shape[d] if d < nd else 1
        r = rng.random()
        if r < 0.3:
            if allow_error and (rng.random() < 0.08 or size == 0):
                keys.append(rng.choice([size, size + 1, -size - 1, -size - 3]))
            elif size:
                keys.append(rng.randint(-size, size - 1))
            else:
                keys.append(None)
        elif r < 0.5:
            keys.append(None)
        else:
            keys.append(random_slice(size))
    return keys


def random_axes(nd, allow_error):
    axes = list(range(nd))
    rng.shuffle(axes)
    axes = [a - nd if rng.random() < 0.3 else a for a in axes]
    if allow_error and rng.random() < 0.15:
        r = rng.random()
        if r < 0.33 and nd:
            axes[rng.randrange(nd)] = rng.choice([nd, -nd - 1, nd + 2])
        elif r < 0.66 and nd >= 2:
            axes[0] = axes[1] % nd
        else:
            # never no axes at all: transpose() with none reverses them (JS cannot tell)
            axes = axes + [0] if rng.random() < 0.5 or len(axes) < 2 else axes[:-1]
    return axes


def random_op(a, allow_error):
    r = rng.random()
    if r < 0.62:
        return ["sub", random_keys(list(a.shape), allow_error)]
    if r < 0.72:
        return ["T"]
    if r < 0.9:
        if rng.random() < 0.1:
            return ["transpose", None]
        return ["transpose", random_axes(a.ndim, allow_error)]
    if a.ndim == 0:
        return ["T"]
    s = random_slice(a.shape[0]) + [None, None, None]
    return ["slice", s[0], s[1], s[2]]


def enc_op(op):
    if op[0] == "sub":
        return ["sub", [enc_key(k) for k in op[1]]]
    if op[0] == "transpose":
        return ["transpose", enc_key(op[1])]
    if op[0] == "slice":
        return ["slice"] + [enc_key(x) for x in op[1:]]
    return op


# ----------------------------------------------------------------------------------------
# numpy_sub.json
# ----------------------------------------------------------------------------------------

SUB_FORMATS = [
    "B", "B", "b", "<H", ">h", "i", ">I", "<q", ">Q", ">d", "f", "<e", ">IHb", "<2h", "3s", "?",
]  # fmt: skip


def gen_sub():
    cases = []
    for _ in range(220):
        fmt = rng.choice(SUB_FORMATS)
        itemsize = struct.calcsize(fmt)
        unit = rng.choice([None, None, 1])  # 1: strides need not be multiples of the itemsize
        offset, shape, strides, n = random_layout(itemsize, max_n=200, unit=unit)
        raw = fill(n, fmt)
        mem = np.frombuffer(bytearray(raw), dtype=np.uint8)
        base = make_array(mem, offset, shape, strides, itemsize)
        case = {
            "format": fmt,
            "buffer": raw.hex(),
            "offset": offset,
            "shape": shape,
            "strides": strides,
            "base": describe(base, fmt, itemsize, strides),
            "probes": [],
        }
        for _ in range(rng.choice([3, 4, 5, 6])):
            a, st, ops = base, strides, []
            for step in range(rng.choice([1, 1, 1, 2, 2, 3])):
                op = random_op(a, allow_error=True)
                ops.append(enc_op(op))
                try:
                    a, st = apply2((a, st), op)
                except (IndexError, ValueError, TypeError) as exc:
                    case["probes"].append({"ops": ops, "error": memview_error(op, a.ndim, exc)})
                    break
            else:
                case["probes"].append({"ops": ops, "result": describe(a, fmt, itemsize, st)})
        cases.append(case)
    return cases


# ----------------------------------------------------------------------------------------
# numpy_assign.json
# ----------------------------------------------------------------------------------------

ASSIGN_FORMATS = ["B", "<H", ">i", "d", "<IHb", "2s", "q"]
# a format of the same itemsize that is not the same structure
OTHER_FORMAT = {"B": "b", "<H": ">H", ">i": "<i", "d": "q", "<IHb": ">IHb", "2s": "2B", "q": "Q"}
STRUCTURE = "memoryview assignment: lvalue and rvalue have different structures"


def self_overlapping(a, itemsize):
    """Whether two elements of the view share a byte."""
    if a.size < 2:
        return False
    offsets = np.zeros(a.shape, dtype=np.int64)
    for d, s in enumerate(a.strides):
        shape = [1] * a.ndim
        shape[d] = a.shape[d]
        offsets = offsets + (np.arange(a.shape[d]) * s).reshape(shape)
    flat = np.sort(offsets.reshape(-1))
    return bool(np.any(np.diff(flat) < itemsize))


def chain(base):
    """A random error-free op chain over base, and its result."""
    for _ in range(50):
        a, ops = base, []
        try:
            for _ in range(rng.choice([1, 1, 2])):
                op = random_op(a, allow_error=False)
                a = apply(a, op)
                ops.append(enc_op(op))
        except (IndexError, ValueError, TypeError):
            continue
        return ops, a
    return [], base


def matching_source(base, dst):
    """An op chain over base whose result has dst's shape (often overlapping dst)."""
    for _ in range(200):
        ops, a = chain(base)
        if a.shape == dst.shape:
            return ops, a
    return None


def gen_assign():
    cases = []
    for _ in range(110):
        fmt = rng.choice(ASSIGN_FORMATS)
        itemsize = struct.calcsize(fmt)
        offset, shape, strides, n = random_layout(itemsize, max_n=200)
        raw = fill(n, fmt)
        case = {"format": fmt, "buffer": raw.hex(), "offset": offset, "shape": shape}
        case.update(strides=strides, assigns=[])
        for _ in range(rng.choice([3, 4, 5])):
            mem = np.frombuffer(bytearray(raw), dtype=np.uint8).copy()
            base = make_array(mem, offset, shape, strides, itemsize)
            dst_ops, dst = chain(base)
            if self_overlapping(dst, itemsize):
                continue  # which write wins is NumPy's (unspecified) iteration order
            entry = {"dst": dst_ops}
            r = rng.random()
            src = None
            if r < 0.12:
                # reversed along every dimension: same shape, same bytes, fully overlapping
                rev = ["sub", [[None, None, -1]] * dst.ndim]
                entry["src"] = {"ops": dst_ops + [rev]}
                src = apply(dst, rev)
            elif r < 0.5:
                found = matching_source(base, dst)
                if found:
                    entry["src"] = {"ops": found[0]}
                    src = found[1]
            if src is None and r < 0.9:
                # a view of a fresh buffer with dst's shape
                so, ssh, sst, sn = random_layout(itemsize, shape=list(dst.shape), max_n=400)
                sraw = fill(sn, fmt)
                smem = np.frombuffer(bytearray(sraw), dtype=np.uint8)
                entry["src"] = {"buffer": sraw.hex(), "offset": so, "shape": ssh, "strides": sst}
                src = make_array(smem, so, ssh, sst, itemsize)
            if src is None:
                # a structure mismatch: another shape or another format
                if dst.ndim and dst.size and rng.random() < 0.6:
                    ssh = list(dst.shape)
                    d = rng.randrange(dst.ndim)
                    ssh[d] += rng.choice([1, -1]) if ssh[d] > 1 else 1
                    sfmt = fmt
                else:
                    ssh = list(dst.shape)
                    sfmt = OTHER_FORMAT[fmt]
                so, ssh, sst, sn = random_layout(itemsize, shape=ssh, max_n=400)
                entry["src"] = {"buffer": fill(sn, sfmt).hex(), "offset": so, "shape": ssh}
                entry["src"].update(strides=sst, format=sfmt)
                if ssh == list(dst.shape) and sfmt == fmt:
                    continue
                entry["error"] = {"type": "ValueError", "message": STRUCTURE}
                case["assigns"].append(entry)
                continue
            dst[...] = src.copy()  # the source snapshotted first
            entry["after"] = mem.tobytes().hex()
            # NumPy's own overlapping assignment agrees with snapshot-first semantics
            mem2 = np.frombuffer(bytearray(raw), dtype=np.uint8).copy()
            b2 = make_array(mem2, offset, shape, strides, itemsize)
            d2 = b2
            for op in dst_ops:
                d2 = apply(d2, dec_op(op))
            if "ops" in entry["src"]:
                s2 = b2
                for op in entry["src"]["ops"]:
                    s2 = apply(s2, dec_op(op))
            else:
                s2 = src
            d2[...] = s2
            assert mem2.tobytes() == mem.tobytes()
            case["assigns"].append(entry)
        cases.append(case)
    return cases


def dec_op(op):
    def dk(v):
        if isinstance(v, dict):
            return int(v["$bigint"])
        if isinstance(v, list):
            return [dk(x) for x in v]
        return v

    if op[0] == "sub":
        return ["sub", [dk(k) for k in op[1]]]
    if op[0] == "transpose":
        return ["transpose", dk(op[1])]
    if op[0] == "slice":
        return ["slice"] + [dk(x) for x in op[1:]]
    return op


# ----------------------------------------------------------------------------------------
# numpy_formats.json
# ----------------------------------------------------------------------------------------

ELEMENT_FORMATS = [
    "<i", ">i", "=i", "!i", "<I", ">I", "<h", ">h", "<H", ">H", ">b", "<B", "=b",
    "<q", ">q", "<Q", ">Q", "=q", "<l", ">L", "!l", "<e", ">e", "=e", "<f", ">f", "=f",
    "!f", "<d", ">d", "=d", "!d", "<?", ">?", "=c", ">c",
    "<IHHd", ">IHHd", "=IHHd", "!hbq", "<bq", ">qb", "@IHHd", "IHHd", "<hxxI", ">3h",
    "2i", "<2d", ">4B", "3s", "<5s", "1s", "4p", ">Ic", "<?h", "<fe", "=IhQd",
]  # fmt: skip


def index_error(dim):
    return {"type": "IndexError", "message": f"index out of bounds on dimension {dim}"}


def gen_formats():
    cases = []
    for fmt in ELEMENT_FORMATS:
        itemsize = struct.calcsize(fmt)
        for build in ["cast", "castnd", "exporter", "exporter"]:
            if build == "cast":
                count = rng.randint(1, 9)
                offset, shape, strides, n = 0, [count], [itemsize], count * itemsize
            elif build == "castnd":
                shape = [rng.randint(1, 3) for _ in range(rng.randint(2, 3))]
                offset, strides, n = 0, [], math.prod(shape) * itemsize
                s = itemsize
                for d in reversed(shape):
                    strides.insert(0, s)
                    s *= d
            else:
                nd = rng.choice([1, 2, 2, 3])
                shape = [rng.randint(1, 4) for _ in range(nd)]
                offset, shape, strides, n = random_layout(itemsize, shape, max_n=400, unit=1)
            raw = bytearray(fill(n, fmt))
            mem = np.frombuffer(raw, dtype=np.uint8)
            a = make_array(mem, offset, shape, strides, itemsize)
            cb = a.tobytes("C")
            listed = values_of(fmt, cb, shape)
            cross_check(fmt, cb, shape, listed)
            case = {"format": fmt, "build": build, "buffer": raw.hex(), "offset": offset}
            case.update(shape=shape, strides=strides, list=listed, gets=[], sets=[])
            for _ in range(4):
                idx = [rng.randint(-s, s - 1) for s in shape]
                if rng.random() < 0.15:
                    d = rng.randrange(len(shape))
                    idx[d] = rng.choice([shape[d], -shape[d] - 1, shape[d] + 5])
                    case["gets"].append({"index": idx, "error": index_error(d + 1)})
                    continue
                pos = tuple(i % s for i, s in zip(idx, shape))
                case["gets"].append({"index": idx, "value": element(fmt, a[pos].tobytes())})
            for _ in range(3):
                idx = [rng.randint(-s, s - 1) for s in shape]
                pos = tuple(i % s for i, s in zip(idx, shape))
                data = random_element(fmt)
                mem2 = np.frombuffer(bytearray(raw), dtype=np.uint8).copy()
                a2 = make_array(mem2, offset, shape, strides, itemsize)
                a2[pos] = np.frombuffer(data, dtype=f"V{itemsize}")[0]
                after = mem2.tobytes().hex()
                case["sets"].append({"index": idx, "value": element(fmt, data), "after": after})
            cases.append(case)
    return cases


# ----------------------------------------------------------------------------------------
# numpy_typed.json
# ----------------------------------------------------------------------------------------

TYPED = {
    "b": "Int8Array", "B": "Uint8Array", "h": "Int16Array", "H": "Uint16Array",
    "i": "Int32Array", "I": "Uint32Array", "l": "BigInt64Array", "L": "BigUint64Array",
    "q": "BigInt64Array", "Q": "BigUint64Array", "f": "Float32Array", "d": "Float64Array",
}  # fmt: skip


def gen_typed():
    cases = []
    natives = [p + c for c in TYPED for p in ("", "@")] + ["<i", "<H", "=d", "<q", "=f", "<Q"]
    for fmt in natives:
        code = fmt[-1]
        itemsize = struct.calcsize(fmt)
        explicit = fmt[0] in "<="
        for kind in ["c1", "cnd", "unaligned", "strided", "reversed", "padded", "bigendian"]:
            if kind == "unaligned" and itemsize == 1:
                continue
            if kind == "bigendian" and (itemsize == 1 or explicit):
                continue
            f = fmt
            if kind == "bigendian":
                f = ">" + {"l": "q", "L": "Q"}.get(code, code)
            isz = struct.calcsize(f)
            count = rng.randint(2, 6)
            if kind == "c1":
                shape, strides, offset = [count], [isz], isz * rng.randint(0, 2)
            elif kind == "cnd":
                shape = [rng.randint(1, 3), rng.randint(2, 3), rng.randint(1, 3)]
                strides = [shape[1] * shape[2] * isz, shape[2] * isz, isz]
                offset = isz * rng.randint(0, 2)
            elif kind == "unaligned":
                offset = rng.randint(1, isz - 1) + isz * rng.randint(0, 1)
                shape, strides = [count], [isz]
            elif kind == "strided":
                shape, strides, offset = [count], [isz * rng.choice([2, 3])], 0
            elif kind == "reversed":
                shape, strides, offset = [count], [-isz], (count - 1) * isz
            elif kind == "padded":
                shape = [rng.randint(2, 3), rng.randint(2, 3)]
                strides, offset = [(shape[1] + 1) * isz, isz], 0
            else:
                shape, strides, offset = [count], [isz], 0
            _, hi = reach(offset, shape, strides, isz)
            n = hi + rng.randint(0, 3)
            raw = bytearray(fill(n, f))
            mem = np.frombuffer(raw, dtype=np.uint8)
            a = make_array(mem, offset, shape, strides, isz)
            case = {"format": f, "kind": kind, "buffer": raw.hex(), "offset": offset}
            case.update(shape=shape, strides=strides)
            if kind in ("c1", "cnd"):
                flat = values_of(f, a.tobytes("C"), [a.size])
                dt = numpy_dtype(f)
                check = np.frombuffer(bytes(raw), dtype=dt, count=a.size, offset=offset).tolist()
                assert same_encoded(flat, [enc_value(x, code, True) for x in check]), f
                case["typed"] = TYPED[f[-1]]
                case["values"] = flat
            else:
                fails = {"unaligned": "aligned", "bigendian": "byteorder"}
                case["fails"] = fails.get(kind, "contiguous")
            cases.append(case)
    return cases


# ----------------------------------------------------------------------------------------


def main():
    fixtures = {
        "numpy_sub": gen_sub(),
        "numpy_assign": gen_assign(),
        "numpy_formats": gen_formats(),
        "numpy_typed": gen_typed(),
    }
    os.makedirs(OUT, exist_ok=True)
    meta = {
        "generator": "scripts/gen_view_numpy_fixtures.py",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "seed": SEED,
    }
    for name, cases in fixtures.items():
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump(dict(meta, cases=cases), f, separators=(",", ":"))
            f.write("\n")
        print(f"{os.path.relpath(path, ROOT)}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
