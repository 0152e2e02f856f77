#!/usr/bin/env python3
"""NumPy oracle fixtures for `MemoryView.field(k)`, written to
test/fixtures/view/numpy_fields.json and read by test/reader.test.ts.

Run with the default python3 (3.11 with NumPy 2.x) from the repository root:

    python3 scripts/gen_field_fixtures.py

`field(k)` is NumPy's structured-array column access: for a view of records of a struct
format such as '<IHHd', field k is a strided view of that field across every record. The
oracle is a NumPy structured dtype with the struct format's fields at struct's offsets
(standard sizes, no padding), over the same random bytes. Each case records:

    format, count, bytes     the records: memoryview(bytes).cast(format)
    slice                    [start, stop, step] applied to the record view first, or null
    field                    k
    values                   arr[slice][name].tolist(), in memview's value encoding
    strides, offset          the column's strides and byte offset from NumPy
    assign                   new values for the column, and the whole buffer after NumPy's
                             arr[slice][name] = values

Value encoding (as scripts/gen_view_numpy_fixtures.py): numbers as JSON numbers;
{"$bigint": "<dec>"} for 8-byte integers; {"$float": "nan"|"inf"|"-inf"|"-0"};
{"$bytes": "<hex>"} for s fields; booleans for '?'. Buffers are lowercase hex.
The output is deterministic (fixed seed).
"""

import json
import math
import os
import random
import struct
import sys

import numpy as np

SEED = 688  # PEP 688
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "view", "numpy_fields.json")

FORMATS = ["<IHHd", ">hqf", "<3sBd", "=iHb", "<?Bh", ">dI", "<2H4s", ">Qe", "<bBhHiIqQ"]
NUMPY = {"b": "i1", "B": "u1", "h": "i2", "H": "u2", "i": "i4", "I": "u4", "q": "i8",
         "Q": "u8", "e": "f2", "f": "f4", "d": "f8", "?": "b1"}


def fields_of(fmt):
    """(code, size, offset) of every value of a standard-size struct format."""
    order, body = fmt[0], fmt[1:]
    out, offset, count = [], 0, ""
    for ch in body:
        if ch.isdigit():
            count += ch
            continue
        n = int(count or "1")
        count = ""
        if ch == "s":
            out.append(("s", n, offset))
            offset += n
            continue
        size = struct.calcsize(order + ch)
        for _ in range(n):
            out.append((ch, size, offset))
            offset += size
    assert offset == struct.calcsize(fmt), fmt
    return order, out


def dtype_of(fmt):
    order, fields = fields_of(fmt)
    np_order = {"<": "<", ">": ">", "=": "="}[order]
    formats = [f"S{size}" if code == "s" else np_order + NUMPY[code] for code, size, _ in fields]
    return np.dtype({
        "names": [f"f{i}" for i in range(len(fields))],
        "formats": formats,
        "offsets": [off for _, _, off in fields],
        "itemsize": struct.calcsize(fmt),
    }), fields


def enc(value, code):
    if code == "s":
        return {"$bytes": bytes(value).hex()}
    if code == "?":
        return bool(value)
    if code in "qQ":
        return {"$bigint": str(int(value))}
    if code in "efd":
        x = float(value)
        if math.isnan(x):
            return {"$float": "nan"}
        if math.isinf(x):
            return {"$float": "inf" if x > 0 else "-inf"}
        if x == 0 and math.copysign(1, x) < 0:
            return {"$float": "-0"}
        return x
    return int(value)


def random_value(rng, code, size):
    if code == "s":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(size + 1)))
    if code == "?":
        return rng.random() < 0.5
    if code in "efd":
        return rng.choice([0.5, -2.25, 1e3, 3.0, -0.125])
    bits = 8 * size
    signed = code.islower()
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return rng.randint(lo, hi)


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("run with the default python3 (3.11 with NumPy)")
    rng = random.Random(SEED)
    cases = []
    for fmt in FORMATS:
        dtype, fields = dtype_of(fmt)
        for _ in range(12):
            count = rng.randint(1, 12)
            data = bytes(rng.randrange(256) for _ in range(count * dtype.itemsize))
            if fmt.endswith("?Bh"):
                # '?' must hold 0 or 1 for NumPy and struct to agree on the value.
                data = bytearray(data)
                for r in range(count):
                    data[r * dtype.itemsize] &= 1
                data = bytes(data)
            whole = np.frombuffer(bytearray(data), dtype=dtype)
            sl = None
            if rng.random() < 0.5:
                sl = [rng.choice([None, 0, 1, -2]), rng.choice([None, count, -1]),
                      rng.choice([None, 1, 2, -1])]
            view = whole if sl is None else whole[slice(*sl)]
            k = rng.randrange(len(fields))
            code, size, _ = fields[k]
            column = view[f"f{k}"]
            base = whole.__array_interface__["data"][0]
            offset = column.__array_interface__["data"][0] - base if column.size else None
            new_values = [random_value(rng, code, size) for _ in range(column.size)]
            target = np.frombuffer(bytearray(data), dtype=dtype)
            target_view = target if sl is None else target[slice(*sl)]
            target_view[f"f{k}"] = new_values
            cases.append({
                "format": fmt,
                "count": count,
                "bytes": data.hex(),
                "slice": sl,
                "field": k,
                "values": [enc(v, code) for v in column.tolist()],
                "strides": list(column.strides),
                "offset": offset,
                "assign": {
                    "values": [enc(v, code) for v in new_values],
                    "after": target.tobytes().hex(),
                },
            })
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/gen_field_fixtures.py", "numpy": np.__version__,
                   "seed": SEED, "cases": cases}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
