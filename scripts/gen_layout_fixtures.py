#!/usr/bin/env python3
"""Golden fixtures for memview's layout layer (src/layout), written to test/fixtures/layout/.

Run with CPython 3.13 from the repository root:

    PYENV_VERSION=3.13.0 python3 scripts/gen_layout_fixtures.py

The CPython oracles are `_testbuffer.ndarray` (arbitrary shape/strides/offset over a
buffer, multi-dimensional slicing), `memoryview` (slicing, indexing, contiguity flags,
`cast`) and `_testbuffer.slice_indices` (PySlice_Unpack + PySlice_AdjustIndices). Byte
offsets of views are read from the real `Py_buffer.buf` through ctypes, so empty views keep
the offsets CPython gives them. NumPy (for `sub` and `transpose`, which CPython lacks) is
not installed for 3.13: those cases are evaluated by a child process running this same file
with `--numpy-worker` under the default `python3` (3.11 with NumPy 2.x), fed JSON on stdin.

Every buffer holds the bytes 0, 1, ..., n-1 (n <= 256), so an element's value tells where
it is; formats B, H, I read 1, 2 or 4 of those bytes little-endian. Values JSON cannot hold
exactly are tagged: {"$bigint": "<decimal>"} for ints beyond 2**53 - 1, {"$float": "nan"}
(or "inf", "-inf") for non-finite floats. The output is deterministic (fixed seed).
"""

import json
import math
import os
import random
import re
import struct
import subprocess
import sys

from pybuffer import pointer_of

SEED = 3118  # PEP 3118
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "layout")
SAFE = 2**53 - 1
FORMATS = {1: "B", 2: "H", 4: "I"}


# ----------------------------------------------------------------------------------------
# JSON encoding shared by both interpreters
# ----------------------------------------------------------------------------------------


def enc(v):
    """Encodes a Python value for JSON.parse, tagging what JSON cannot carry exactly."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if -SAFE <= v <= SAFE else {"$bigint": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"$float": "nan"}
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        assert not v.is_integer(), "integral floats would read back as JS ints"
        return v
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    raise TypeError(f"cannot encode {v!r}")


def error_of(exc):
    return {"type": type(exc).__name__, "message": str(exc)}


def key_to_py(key):
    """A memview sub() key (int, None, or [start, stop, step]) as a Python index."""
    if key is None:
        return slice(None)  # never NumPy's None, which is np.newaxis
    if isinstance(key, list):
        return slice(*(key + [None] * (3 - len(key))))
    return key


# ----------------------------------------------------------------------------------------
# NumPy worker (default python3)
# ----------------------------------------------------------------------------------------


def numpy_worker():
    import numpy as np

    jobs = json.load(sys.stdin)
    out = []
    for job in jobs:
        n, itemsize = job["bufferLength"], job["itemsize"]
        mem = np.arange(n, dtype=np.uint8)
        base_ptr = mem.__array_interface__["data"][0]

        class Strided:  # what np.lib.stride_tricks.as_strided builds, with any dtype
            pass

        holder = Strided()
        holder.__array_interface__ = {
            "data": (base_ptr + job["offset"], True),
            "shape": tuple(job["shape"]),
            "strides": tuple(job["strides"]),
            "typestr": f"<u{itemsize}",
            "version": 3,
        }
        holder.mem = mem
        arr = np.asarray(holder)

        def describe(a):
            return {
                "shape": list(a.shape),
                "strides": list(a.strides),
                "offset": a.__array_interface__["data"][0] - base_ptr,
                "values": a.tolist(),
            }

        result = {"values": arr.tolist(), "subs": [], "transposes": []}
        for keys in job["subs"]:
            try:
                index = tuple(key_to_py(k) for k in keys) + (Ellipsis,)
                result["subs"].append(describe(arr[index]))
            except (IndexError, OverflowError, TypeError, ValueError) as e:
                axis = re.search(r"for axis (\d+)", str(e))
                err = error_of(e)
                if axis:
                    err["axis"] = int(axis.group(1))
                result["subs"].append({"error": err})
        for axes in job["transposes"]:
            try:
                result["transposes"].append(describe(np.transpose(arr, axes)))
            except (TypeError, ValueError) as e:
                err = error_of(e)
                if type(e).__name__ == "AxisError":  # subclasses ValueError and IndexError
                    err["type"] = "ValueError"
                result["transposes"].append({"error": err})
        out.append(result)
    json.dump(out, sys.stdout)


# ----------------------------------------------------------------------------------------
# CPython 3.13 side
# ----------------------------------------------------------------------------------------


def cpython_main():
    from _testbuffer import ND_FORTRAN, ndarray, slice_indices

    assert sys.version_info[:2] == (3, 13), "run with PYENV_VERSION=3.13.0"
    assert sys.byteorder == "little"
    rng = random.Random(SEED)

    def memory(n, itemsize):
        """The items whose bytes are 0, 1, ..., n-1 in format FORMATS[itemsize]."""
        assert n % itemsize == 0 and 0 < n <= 256
        return list(struct.unpack(f"<{n // itemsize}{FORMATS[itemsize]}", bytes(range(n))))

    def make(layout, n):
        """An ndarray (or, for ndim 0, a memoryview) with exactly this layout over 0..n-1."""
        itemsize, fmt = layout["itemsize"], FORMATS[layout["itemsize"]]
        if not layout["shape"]:
            flat = ndarray(memory(n, itemsize), shape=[n // itemsize], format=fmt)
            k = layout["offset"] // itemsize
            obj = memoryview(flat)[k : k + 1].cast("B").cast(fmt, [])
        else:
            obj = ndarray(
                memory(n, itemsize),
                shape=layout["shape"],
                strides=layout["strides"],
                offset=layout["offset"],
                format=fmt,
            )
        return obj

    def base_pointer_of(obj, layout):
        return pointer_of(obj) - layout["offset"]

    def layout_of(view, base, itemsize):
        return {
            "offset": pointer_of(view) - base,
            "itemsize": itemsize,
            "shape": list(view.shape),
            "strides": list(view.strides),
        }

    def flags_of(obj):
        m = memoryview(obj)
        return {"c": m.c_contiguous, "f": m.f_contiguous, "any": m.contiguous}

    def reach(layout):
        lo = hi = layout["offset"]
        for n, s in zip(layout["shape"], layout["strides"]):
            if s < 0:
                lo += (n - 1) * s
            else:
                hi += (n - 1) * s
        return lo, hi + layout["itemsize"]

    def random_shape(ndim):
        return [rng.choice([0] + [1] * 4 + [2, 3, 3, 4, 4, 5] * 3) for _ in range(ndim)]

    def random_layout(itemsize, multiple=True, max_n=256):
        """A random valid layout and a buffer length: C, F, permuted, flipped, padded or wild
        strides; `multiple` keeps strides and offset multiples of the itemsize (as
        _testbuffer requires), otherwise one stride may be off by one."""
        while True:
            nd = rng.choice([0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4])
            shape = random_shape(nd)
            kind = rng.choice(["C", "F", "perm", "flip", "wild", "wild", "pad"])
            c = [itemsize] * nd
            for d in range(nd - 2, -1, -1):
                c[d] = c[d + 1] * max(shape[d + 1], 1)
            if kind == "C":
                strides = c
            elif kind == "F":
                s = itemsize
                strides = []
                for d in range(nd):
                    strides.append(s)
                    s *= max(shape[d], 1)
            elif kind == "perm":
                strides = c[:]
                rng.shuffle(strides)
            elif kind == "flip":
                strides = [s if rng.random() < 0.5 else -s for s in c]
            elif kind == "pad":
                strides = [s * rng.choice([1, 2, 3]) for s in c]
            else:
                unit = itemsize if multiple else 1
                strides = [unit * rng.randint(-9, 9) for _ in range(nd)]
            if not multiple and rng.random() < 0.3 and nd:
                d = rng.randrange(nd)
                strides[d] += rng.choice([-1, 1])
            layout = {"offset": 0, "itemsize": itemsize, "shape": shape, "strides": strides}
            lo, hi = reach(layout)
            empty = 0 in shape
            span = 1 if empty else hi - lo
            slack = rng.choice([0, 0, 1, 2, 5]) * itemsize
            n = span + slack
            n += -n % itemsize
            n = max(n, itemsize)
            if n > max_n:
                continue
            if empty:
                offset = rng.randrange(0, n)
            else:
                offset = -lo + rng.randint(0, n - span)
            if multiple:
                offset -= offset % itemsize
                if not empty and offset + lo < 0:
                    continue
            layout["offset"] = offset
            lo, hi = reach(layout)
            if not empty and (lo < 0 or hi > n):
                continue
            return layout, n

    def random_bound(size):
        r = rng.random()
        if r < 0.06:
            return rng.choice([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**100, -(2**100)])
        if r < 0.3:
            return None
        if r < 0.4:
            return rng.choice([7, -7, 10, -10])
        return rng.randint(-size - 1, size + 1)

    def random_step():
        if rng.random() < 0.06:
            return rng.choice([2**62, 2**63 - 1, 2**100, -(2**63), -(2**100)])
        return rng.choice([None, None, 1, 1, -1, -1, 2, -2, 3, -3, 4])

    def random_slice(size):
        """A slice key for a dimension of `size` items; empty only about a fifth of the time."""
        for _ in range(5):
            key = [random_bound(size), random_bound(size), random_step()]
            if len(range(size)[slice(*key)]) or rng.random() < 0.2:
                break
        while key and key[-1] is None and rng.random() < 0.5:
            key.pop()
        return key

    fixtures = {}

    # -- adjust_slice: slice_indices = PySlice_Unpack + PySlice_AdjustIndices ------------
    pool = [None, 0, 1, -1, 2, -2, 3, -3, 5, -5, 9, -9, 10, -10, 11, 100, -100]
    huge = [2**53, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 2**100, -(2**100)]
    steps = [None, 1, -1, 2, -2, 3, -3, 4, 7, -7, 100, -100, 2**62, -(2**62)] + huge
    cases = []
    for length in [0, 1, 2, 3, 5, 10]:
        for _ in range(220):
            start = rng.choice(pool + huge[:2] if rng.random() < 0.9 else huge)
            stop = rng.choice(pool + huge[:2] if rng.random() < 0.9 else huge)
            cases.append((length, start, stop, rng.choice(steps)))
    for length in [0, 4]:
        for start in [None, 0, -1, 3, 2**100]:
            for stop in [None, 0, -1, 3, -(2**100)]:
                for step in [None, 1, -1, 2, -3]:
                    cases.append((length, start, stop, step))
    cases.append((2**53 - 1, 0, None, 2**63))
    cases.append((2**53 - 1, -(2**53), 2**53, 1))
    cases.append((2**53 - 1, None, None, -(2**62)))
    for bad in [(1.5, 2, None), (0, 2.5, 1), (0, 2, 0.5), (float("nan"), 1, 1)]:
        cases.append((4,) + bad)
    cases.append((4, float("inf"), None, None))
    cases += [(4, 0, 4, 0), (4, None, None, 0), (4, 1.5, 2, 0), (0, None, None, 0)]
    out = []
    for length, start, stop, step in cases:
        case = {"length": length, "start": start, "stop": stop, "step": step}
        try:
            s, e, st, n = slice_indices(slice(start, stop, step), length)
            case["expected"] = {"start": s, "stop": e, "step": st, "length": n}
        except (TypeError, ValueError) as exc:
            case["error"] = error_of(exc)
        out.append(case)
    fixtures["adjust_slice"] = out

    # -- layouts: contiguity, values, memoryview slicing/indexing, ndarray multi-slicing --
    quirks = [
        # (shape, strides, itemsize, offset, n)
        ([], [], 1, 3, 8),
        ([], [], 2, 4, 8),
        ([0], [2], 1, 0, 4),
        ([0], [1], 1, 0, 4),
        ([0], [-1], 1, 2, 4),
        ([0], [0], 1, 0, 4),
        ([1], [0], 1, 1, 4),
        ([1], [-3], 1, 1, 4),
        ([1], [6], 2, 2, 4),
        ([3], [0], 1, 1, 4),
        ([3], [1], 1, 0, 3),
        ([3], [-1], 1, 2, 3),
        ([2, 1], [0, 0], 1, 0, 2),
        ([1, 1], [0, 0], 1, 0, 2),
        ([1, 1], [20, -12], 4, 4, 8),
        ([2, 3], [3, 1], 1, 0, 6),
        ([2, 3], [1, 2], 1, 0, 6),
        ([2, 3], [-3, 1], 1, 3, 6),
        ([2, 3], [3, -1], 1, 2, 6),
        ([2, 3], [6, 2], 2, 0, 12),
        ([2, 3], [2, 4], 2, 0, 12),
        ([1, 4], [8, 1], 1, 0, 4),
        ([4, 1], [1, 8], 1, 0, 4),
        ([1, 4], [0, 1], 1, 0, 4),
        ([2, 2], [0, 1], 1, 0, 2),
        ([2, 2], [1, 0], 1, 0, 2),
        ([3, 0], [5, -1], 1, 0, 4),
        ([0, 3], [1, 1], 1, 0, 4),
        ([0, 3], [0, 0], 2, 0, 4),
        ([2, 2, 2], [4, 2, 1], 1, 0, 8),
        ([2, 2, 2], [1, 2, 4], 1, 0, 8),
        ([2, 1, 2], [2, 9, 1], 1, 0, 4),
        ([1, 1, 1], [3, 2, 1], 1, 0, 1),
        ([2, 3, 4], [12, 4, 1], 1, 0, 24),
        ([2, 3, 4], [1, 2, 6], 1, 0, 24),
        ([2, 3, 4], [48, 16, 4], 4, 0, 96),
        ([2, 3, 4], [-48, 16, -4], 4, 60, 96),
        ([4, 2, 3], [6, 3, 1], 1, 0, 24),
        ([3, 2], [4, 1], 1, 0, 12),
        ([2, 2, 3], [6, 3, 1], 1, 1, 16),
    ]
    bases = [
        ({"offset": o, "itemsize": i, "shape": sh, "strides": st}, n)
        for sh, st, i, o, n in quirks
    ]
    for _ in range(170):
        bases.append(random_layout(rng.choice([1, 1, 1, 2, 4])))

    layouts = []
    for layout, n in bases:
        obj = make(layout, n)
        base = base_pointer_of(obj, layout)
        itemsize = layout["itemsize"]
        assert layout_of(obj, base, itemsize) == layout, (layout, layout_of(obj, base, itemsize))
        m = memoryview(obj)
        entry = {
            "bufferLength": n,
            "layout": layout,
            "flags": flags_of(obj),
            "nbytes": m.nbytes,
            "tolist": m.tolist(),
            "tobytes": m.tobytes().hex(),
            "slices": [],
            "multislices": [],
            "elements": [],
            "items": [],
        }
        ndim = len(layout["shape"])
        if ndim:
            for _ in range(8):
                key = random_slice(layout["shape"][0])
                s = m[slice(*(key + [None] * (3 - len(key))))]
                entry["slices"].append(
                    {
                        "key": key,
                        "layout": layout_of(s, base, itemsize),
                        "flags": flags_of(s),
                        "tolist": s.tolist(),
                        "tobytes": s.tobytes().hex(),
                    }
                )
            for _ in range(6):
                keys = [random_slice(size) for size in layout["shape"][: rng.randint(1, ndim)]]
                r = obj[tuple(slice(*(k + [None] * (3 - len(k)))) for k in keys)]
                entry["multislices"].append(
                    {
                        "keys": keys,
                        "layout": layout_of(r, base, itemsize),
                        "flags": flags_of(r),
                        "tolist": r.tolist(),
                        "tobytes": memoryview(r).tobytes().hex(),
                    }
                )
        # full-tuple element access, including every error path of memory_item_multi
        index_sets = []
        for _ in range(6):
            spread = rng.choice([0, 0, 0, 1, 2])  # mostly in range, sometimes past either end
            spread = max(spread, 1) if 0 in layout["shape"] else spread
            index_sets.append([rng.randint(-s - spread, s - 1 + spread) for s in layout["shape"]])
        if ndim:
            index_sets.append([rng.choice([2**63, -(2**63) - 1, 2**64])] + [0] * (ndim - 1))
            index_sets.append([0] * (ndim - 1) + [-(2**63)])
            index_sets.append([0] * (ndim + 1))
            index_sets.append([0] * (ndim - 1))
            index_sets.append([0] * (ndim - 1) + [1.5])
            index_sets.append([2**64] + [0] * ndim)
        else:
            index_sets.append([0])
        for indices in index_sets:
            case = {"indices": indices}
            try:
                case["value"] = m[tuple(indices)]
            except (TypeError, IndexError, NotImplementedError) as exc:
                case["error"] = error_of(exc)
            entry["elements"].append(case)
        # ndarray_item: nd[i] on ndim >= 2 is the sub-view without dimension 0
        if ndim >= 2 and layout["shape"][0] > 0:
            for i in sorted({0, layout["shape"][0] - 1, -1, rng.randrange(layout["shape"][0])}):
                r = obj[i]
                entry["items"].append(
                    {"index": i, "layout": layout_of(r, base, itemsize), "tolist": r.tolist()}
                )
        layouts.append(entry)
    fixtures["layouts"] = layouts

    # -- bounds: _testbuffer's verify_structure accepts exactly the layouts in bounds -----
    bounds = []
    for _ in range(700):
        itemsize = rng.choice([1, 1, 2, 4])
        ndim = rng.choice([0, 1, 1, 2, 2, 3])
        shape = random_shape(ndim)
        strides = [itemsize * rng.randint(-6, 6) for _ in range(ndim)]
        n = itemsize * rng.randint(1, 24)
        offset = itemsize * rng.randrange(n // itemsize)
        layout = {"offset": offset, "itemsize": itemsize, "shape": shape, "strides": strides}
        case = {"bufferLength": n, "layout": layout}
        try:
            make(layout, n) if ndim else None
            if not ndim and offset + itemsize > n:
                raise ValueError("invalid combination of buffer, shape and strides")
            case["ok"] = True
        except ValueError as exc:
            assert str(exc) == "invalid combination of buffer, shape and strides", exc
            case["ok"] = False
        bounds.append(case)
    fixtures["bounds"] = bounds

    # -- default strides: ndarray without strides, C and ND_FORTRAN ----------------------
    strides = []
    for _ in range(80):
        itemsize = rng.choice([1, 2, 4, 8])
        shape = random_shape(rng.choice([1, 2, 3, 4, 5]))
        count = max(1, math.prod(shape))
        fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[itemsize]
        c = ndarray([0] * count, shape=shape, format=fmt).strides
        f = ndarray([0] * count, shape=shape, format=fmt, flags=ND_FORTRAN).strides
        strides.append({"shape": shape, "itemsize": itemsize, "c": list(c), "f": list(f)})
    fixtures["strides"] = strides

    # -- cast shapes: memoryview.cast()'s copy_shape, and nothing after it ----------------
    copy_shape_errors = {
        "memoryview.cast(): elements of shape must be integers",
        "memoryview.cast(): elements of shape must be integers > 0",
        "memoryview.cast(): product(shape) > SSIZE_MAX",
        "Python int too large to convert to C ssize_t",
    }
    casts = []
    elements = [1, 2, 3, 4, 6, 0, -1, -(2**64), 2**31, 2**32, 2**40, 2**52, 2**53, 2**61]
    elements += [2**62, 2**63 - 1, 2**63, 2**64, 1.5, float("nan")]
    shapes = [[2, 3, 4], [24], [1, 24], [4, 3, 2, 1], [6, 0], [0, 2**64], [2**63 - 1]]
    shapes += [[2**62, 2], [2**62, 4, 2**64], [2**31, 2**32], [3, 2**62, 2], [2**61], [1.5]]
    shapes += [[2**53 + 1, 3], [2**62, 1.5], [-1, 1.5], [2**63, 0], [2**30, 2**30, 8]]
    for _ in range(150):
        shapes.append([rng.choice(elements) for _ in range(rng.randint(1, 4))])
    for shape in shapes:
        for fmt, itemsize in [("B", 1), ("H", 2), ("I", 4), ("d", 8)]:
            case = {"shape": shape, "itemsize": itemsize}
            try:
                memoryview(bytes(24)).cast(fmt, shape)
                case["nbytes"] = 24
            except (TypeError, ValueError, OverflowError) as exc:
                if str(exc) in copy_shape_errors:
                    case["error"] = error_of(exc)
                else:
                    assert str(exc) == "memoryview: product(shape) * itemsize != buffer size"
                    case["nbytes"] = math.prod(shape) * itemsize
            casts.append(case)
    fixtures["cast_shape"] = casts

    # -- NumPy basic indexing (sub) and transpose ----------------------------------------
    jobs = []
    for _ in range(160):
        layout, n = random_layout(rng.choice([1, 1, 2, 4]), multiple=False)
        if 0 in layout["shape"] and layout["offset"] >= n:
            continue
        ndim = len(layout["shape"])
        subs = []
        for _ in range(8):
            keys = []
            for d in range(rng.randint(0, ndim)):
                r = rng.random()
                size = layout["shape"][d]
                if r < 0.35:
                    keys.append(rng.randint(-size - 1, size))
                elif r < 0.45:
                    keys.append(None)
                else:
                    keys.append(random_slice(size))
            subs.append(keys)
        subs.append([0] * (ndim + 1))
        if ndim:
            subs.append([rng.choice([2**63, -(2**64)])])
        transposes = [None]
        for _ in range(3):
            axes = list(range(ndim))
            rng.shuffle(axes)
            axes = [a - ndim if rng.random() < 0.3 else a for a in axes]
            transposes.append(axes)
        if ndim:
            transposes += [[0] * ndim, list(range(ndim + 1)), list(range(ndim - 1))]
            transposes.append([ndim] + list(range(1, ndim)))
            transposes.append([-ndim - 1] + list(range(1, ndim)))
            transposes.append([0.5] + list(range(1, ndim)))
        if ndim > 1:
            transposes.append([0, 0] + list(range(2, ndim)))
        job = dict(layout, bufferLength=n, subs=subs, transposes=transposes)
        # CPython's own arithmetic for the same keys: _testbuffer slices with every int key
        # i replaced by i:i+1, that dimension then dropped (an int index is that slice).
        job["cpython"] = []
        nd = ndarray(
            list(range(n)),
            shape=layout["shape"],
            strides=layout["strides"],
            offset=layout["offset"],
            format="B",
        ) if ndim else None
        for keys in subs:
            if len(keys) > ndim or any(
                isinstance(k, int) and not -layout["shape"][d] <= k < layout["shape"][d]
                for d, k in enumerate(keys)
            ):
                job["cpython"].append(None)
                continue
            if not keys or not ndim:
                job["cpython"].append(dict(layout))
                continue
            py = []
            for d, k in enumerate(keys):
                if isinstance(k, int):
                    i = k % layout["shape"][d]
                    py.append(slice(i, i + 1))
                else:
                    py.append(key_to_py(k))
            r = nd[tuple(py)]
            got = layout_of(r, base_pointer_of(nd, layout), layout["itemsize"])
            drop = {d for d, k in enumerate(keys) if isinstance(k, int)}
            got["shape"] = [s for d, s in enumerate(got["shape"]) if d not in drop]
            got["strides"] = [s for d, s in enumerate(got["strides"]) if d not in drop]
            job["cpython"].append(got)
        jobs.append(job)

    # The child is NUMPY_PYTHON if set, else the `python3` that PATH finds once this
    # interpreter's own bin directory (which pyenv puts first) is taken out of it.
    def memview_error(keys, shape, numpy_error):
        """The error memview raises where NumPy raised numpy_error: NumPy's condition, in
        memoryview's words (CPython's where CPython has them)."""
        ndim = len(shape)
        if len(keys) > ndim:
            assert numpy_error["message"].startswith("too many indices"), numpy_error
            return {
                "type": "TypeError",
                "message": f"too many indices for memoryview: memoryview is {ndim}-dimensional,"
                f" but {len(keys)} were indexed",
            }
        if "axis" in numpy_error:
            axis = numpy_error["axis"]
            try:
                probe = ndarray([0] * max(1, shape[axis]), shape=[1] * axis + [shape[axis]])
                memoryview(probe)[(0,) * axis + (keys[axis],)]
            except IndexError as exc:
                return error_of(exc)
        # NumPy's OverflowError or "only integers ..." for an int beyond 64 bits: CPython's
        # IndexError for the same int.
        big = [k for k in keys if isinstance(k, int) and not -(2**63) <= k < 2**63]
        assert big, (keys, numpy_error)
        try:
            memoryview(b"x")[big[0]]
        except IndexError as exc:
            return error_of(exc)
        raise AssertionError((keys, numpy_error))

    env = dict(os.environ)
    env.pop("PYENV_VERSION", None)
    own_bin = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != own_bin)
    child = subprocess.run(
        [os.environ.get("NUMPY_PYTHON", "python3"), os.path.abspath(__file__), "--numpy-worker"],
        input=json.dumps([{k: v for k, v in j.items() if k != "cpython"} for j in jobs]),
        capture_output=True,
        text=True,
        env=env,
    )
    if child.returncode != 0:
        sys.exit(f"the NumPy worker failed:\n{child.stderr}")
    results = json.loads(child.stdout)
    numpy_cases = []
    for job, res in zip(jobs, results):
        layout = {k: job[k] for k in ("offset", "itemsize", "shape", "strides")}
        case = {"bufferLength": job["bufferLength"], "layout": layout, "tolist": res["values"]}
        case["subs"] = []
        for keys, cp, npres in zip(job["subs"], job["cpython"], res["subs"]):
            sub = {"keys": keys, "numpy": npres}
            if "error" not in npres:
                assert cp is not None and cp["shape"] == npres["shape"], (layout, keys, cp, npres)
                if math.prod(npres["shape"]):
                    assert (cp["strides"], cp["offset"]) == (npres["strides"], npres["offset"])
                sub["expected"] = cp
            else:
                assert cp is None, (keys, cp, npres)
                sub["error"] = memview_error(keys, layout["shape"], npres["error"])
            case["subs"].append(sub)
        case["transposes"] = [
            {"axes": axes, "numpy": r} for axes, r in zip(job["transposes"], res["transposes"])
        ]
        numpy_cases.append(case)
    fixtures["numpy"] = numpy_cases

    os.makedirs(OUT, exist_ok=True)
    meta = {
        "generator": "scripts/gen_layout_fixtures.py",
        "python": sys.version.split()[0],
        "seed": SEED,
    }
    for name, cases in fixtures.items():
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump(dict(meta, cases=enc(cases)), f, separators=(",", ":"))
            f.write("\n")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    if "--numpy-worker" in sys.argv:
        numpy_worker()
    else:
        cpython_main()
