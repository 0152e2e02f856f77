"""What every CPython side of the benchmarks and of the tour (tour/tour_python.py) shares:
timing with the cyclic GC off (as `timeit` does), a figure as the harness reads it, the
interpreter's name, and the report printed on stdout."""

import gc
import json
import platform
import statistics
from time import perf_counter


def timed(fn, *args):
    """(seconds, result) of one call of fn(*args), with the cyclic GC off."""
    gc.disable()
    try:
        t0 = perf_counter()
        result = fn(*args)
        t1 = perf_counter()
    finally:
        gc.enable()
    return t1 - t0, result


def interpreter():
    """This interpreter, as reports name it: "CPython 3.13.0"."""
    return f"{platform.python_implementation()} {platform.python_version()}"


def figure(values, unit="ns/op", check=None):
    """The median of values and its spread, in `unit`, with an optional checksum."""
    out = {"value": statistics.median(values), "unit": unit, "n": len(values),
           "min": min(values), "max": max(values)}
    if check is not None:
        out["check"] = check
    return out


def print_report(figures):
    """The report the harness reads: this interpreter, and the figures."""
    print(json.dumps({
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "figures": figures,
    }))
