"""The CPython/NumPy side of memview's tour (`npm start`).

Reads a JSON list of requests -- from argv[1], or from stdin when there is no argument --
each {"scenario": name, "runtime": "cpython" | "numpy", "params": {...}}, measures the
Python equivalent of that scenario on the same synthetic data the Node side builds, and
prints a JSON list of answers:

    {"scenario": name, "ok": true, "by": "CPython 3.13.0", "figures": {...}, "check": {...}}
    {"scenario": name, "ok": false, "reason": "..."}

`check` holds values computed from the data (sums, checksums) that the tour compares with
its own, to show both sides did the same work. Timings come from the benchmarks' shared
`bench/pybench.py`: time.perf_counter with the cyclic GC off while timing, as timeit does.

    PYENV_VERSION=3.13.0 python3 tour/tour_python.py '[{"scenario": "slice", "runtime": "cpython", "params": {"total": 1000000, "tail": 10000}}]'
"""

import gc
import json
import os
import statistics
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from pybench import interpreter, timed  # noqa: E402  (found through the line above)


def per_op_ns(fn, batch_ms, samples):
    """Median ns per call of fn: batches sized to at least batch_ms, `samples` of them."""

    def batch(number):
        for _ in range(number):
            fn()

    number = 1
    while True:
        elapsed, _ = timed(batch, number)
        if elapsed * 1000 >= batch_ms or number >= 1 << 30:
            break
        number *= 16 if elapsed <= 0 else min(16, max(2, int(batch_ms / 1000 / elapsed) + 1))
    return statistics.median([timed(batch, number)[0] * 1e9 / number for _ in range(samples)])


def median_seconds(fn, runs):
    """Median wall time of `runs` calls of fn (each after a collection); also fn's result."""
    times = []
    result = None
    for _ in range(runs):
        gc.collect()
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), result


# --- slice -------------------------------------------------------------------------------

SLICE_PERIOD = 65_521


def slice_buffer(total):
    """Byte i is ((j * 131 + (j >> 7)) & 255) for j = i % SLICE_PERIOD, as the tour's."""
    head = bytes(((j * 131 + (j >> 7)) & 255) for j in range(min(total, SLICE_PERIOD)))
    return (head * (total // SLICE_PERIOD + 1))[:total]


def scenario_slice(params):
    total, tail = int(params["total"]), int(params["tail"])
    quick = bool(params.get("quick"))
    data = slice_buffer(total)
    mv = memoryview(data)
    batch_ms, samples = (2, 5) if quick else (40, 15)
    view_ns = per_op_ns(lambda: mv[-tail:], batch_ms, samples)
    copy_ns = per_op_ns(lambda: data[-tail:], batch_ms, samples)
    return {
        "figures": {"viewNs": view_ns, "copyNs": copy_ns, "copyOverView": copy_ns / view_ns},
        "check": {"tailSum": sum(mv[-tail:])},
    }


# --- parser ------------------------------------------------------------------------------

MAX_PAYLOAD = 2048


def message_blob(total):
    """The tour's blob: '>II' (type, length) + payload, while whole messages fit."""
    source = bytes(((k * 7 + 3) & 255) for k in range(256 + MAX_PAYLOAD))
    parts = []
    state = 1
    position = 0
    i = 0
    while True:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        length = state % (MAX_PAYLOAD + 1)
        if position + 8 + length > total:
            break
        start = i & 255
        parts.append(struct.pack(">II", 1 + ((state >> 12) & 7), length))
        parts.append(source[start : start + length])
        position += 8 + length
        i += 1
    return b"".join(parts)


class ZeroCopyParser:
    """The seed article's parser: memoryview slices and struct.unpack_from."""

    def __init__(self, data):
        self._view = memoryview(data)
        self._pos = 0

    def read_bytes(self, n):
        result = self._view[self._pos : self._pos + n]
        self._pos += n
        return result

    def read_uint32(self):
        result = struct.unpack_from(">I", self._view, self._pos)[0]
        self._pos += 4
        return result

    def remaining(self):
        return len(self._view) - self._pos


class CopyingParser:
    """The same parser slicing bytes: every read is a copy."""

    def __init__(self, data):
        self._data = data
        self._pos = 0

    def read_bytes(self, n):
        result = self._data[self._pos : self._pos + n]
        self._pos += n
        return result

    def read_uint32(self):
        return struct.unpack(">I", self.read_bytes(4))[0]

    def remaining(self):
        return len(self._data) - self._pos


def parse(parser):
    """The seed's loop, with process_message tallying what the tour tallies."""
    messages = payload_bytes = type_sum = checksum = 0
    while parser.remaining() > 0:
        msg_type = parser.read_uint32()
        payload_len = parser.read_uint32()
        payload = parser.read_bytes(payload_len)
        n = len(payload)
        first = payload[0] if n else 0
        last = payload[n - 1] if n else 0
        messages += 1
        payload_bytes += n
        type_sum += msg_type
        checksum = (checksum * 31 + msg_type * 65536 + first * 256 + last) & 0xFFFFFFFF
    return {
        "messages": messages,
        "payloadBytes": payload_bytes,
        "typeSum": type_sum,
        "checksum": checksum,
    }


def scenario_parser(params):
    total = int(params["total"])
    runs = 2 if params.get("quick") else 3
    blob = message_blob(total)
    view_s, tally = median_seconds(lambda: parse(ZeroCopyParser(blob)), runs)
    copy_s, copied = median_seconds(lambda: parse(CopyingParser(blob)), runs)
    if copied != tally:
        raise AssertionError("the copying parser disagrees with the zero-copy one")
    return {
        "figures": {
            "viewRate": tally["messages"] / view_s,
            "copyRate": tally["messages"] / copy_s,
        },
        "check": {**tally, "bytes": len(blob)},
    }


# --- pipeline ----------------------------------------------------------------------------

HEADER, PAYLOAD = 8, 1024
MESSAGE = HEADER + PAYLOAD


def pipeline_block(messages):
    """Message i: '<II' (i, 1024), then payload byte j = ((i & 255) + 3j) & 255."""
    payloads = [bytes((((r + 3 * j) & 255) for j in range(PAYLOAD))) for r in range(256)]
    return b"".join(
        struct.pack("<II", i, PAYLOAD) + payloads[i & 255] for i in range(messages)
    )


def process(header, payload):
    return header[0] + payload[0] * 3 + payload[PAYLOAD - 1] * 5


def split_views(block, count, passes):
    """The seed's zero-copy pipeline: memoryview slices for header and payload."""
    total = 0
    view = memoryview(block)
    for _ in range(passes):
        for at in range(0, count * MESSAGE, MESSAGE):
            header = view[at : at + HEADER]
            payload = view[at + HEADER : at + MESSAGE]
            total += process(header, payload)
    return total


def split_copies(block, count, passes):
    """The seed's copy-based pipeline: bytes slices (copies) for header and payload."""
    total = 0
    for _ in range(passes):
        for at in range(0, count * MESSAGE, MESSAGE):
            header = block[at : at + HEADER]
            payload = block[at + HEADER : at + MESSAGE]
            total += process(header, payload)
    return total


def scenario_pipeline(params):
    count, passes = int(params["blockMessages"]), int(params["passes"])
    runs = 1 if params.get("quick") else 3
    block = pipeline_block(count)
    view_s, total = median_seconds(lambda: split_views(block, count, passes), runs)
    copy_s, copied = median_seconds(lambda: split_copies(block, count, passes), runs)
    if copied != total:
        raise AssertionError("the copying pipeline disagrees with the zero-copy one")
    return {
        "figures": {"viewSeconds": view_s, "copySeconds": copy_s},
        "check": {"total": total, "messages": count * passes},
    }


# --- video (NumPy) -----------------------------------------------------------------------

WIDTH, HEIGHT, BOX, BOX_LUMA, BINS = 1920, 1080, 240, 235, 16
ROI_SIZES = [
    (640, 480), (720, 540), (800, 600), (960, 720), (640, 360),
    (768, 576), (512, 512), (864, 486), (704, 528), (600, 600),
]


def rois_for(frame):
    return [
        (
            ((k * 173 + frame * (4 + k)) % (WIDTH - w)) & ~1,
            ((k * 97 + frame * (2 + k)) % (HEIGHT - h)) & ~1,
            w,
            h,
        )
        for k, (w, h) in enumerate(ROI_SIZES)
    ]


def scenario_video(params):
    import numpy as np

    frames = int(params["frames"])
    y = np.empty((HEIGHT, WIDTH), dtype=np.uint8)
    u = np.empty((HEIGHT // 2, WIDTH // 2), dtype=np.uint8)
    v = np.empty((HEIGHT // 2, WIDTH // 2), dtype=np.uint8)
    cols, ccols = np.arange(WIDTH), np.arange(WIDTH // 2)
    rows, crows = np.arange(HEIGHT), np.arange(HEIGHT // 2)

    def write_frame(f):
        y[:] = (cols[None, :] + ((3 * rows + 5 * f) & 255)[:, None]) & 255
        bx, by = (16 * f) % (WIDTH - BOX), (8 * f) % (HEIGHT - BOX)
        y[by : by + BOX, bx : bx + BOX] = BOX_LUMA
        u[:] = (2 * (ccols[None, :] + ((crows + 2 * f) & 255)[:, None])) & 255
        v[:] = (3 * (ccols[None, :] + ((crows + 7 * f) & 255)[:, None])) & 255

    def analyse(f, copy):
        """Per ROI: luma sum and 16 bins, U and V sums. Returns (ySum, uSum, vSum, weight)."""
        y_sum = u_sum = v_sum = weight = 0
        for x0, y0, w, h in rois_for(f):
            yr = y[y0 : y0 + h, x0 : x0 + w]
            ur = u[y0 // 2 : (y0 + h) // 2, x0 // 2 : (x0 + w) // 2]
            vr = v[y0 // 2 : (y0 + h) // 2, x0 // 2 : (x0 + w) // 2]
            if copy:
                yr, ur, vr = yr.copy(), ur.copy(), vr.copy()
            # bincount needs a 1-D array: ravel() copies a strided view, not a copied one.
            counts = np.bincount(yr.ravel(), minlength=256)
            hist = counts.reshape(BINS, 16).sum(axis=1)
            y_sum += int(counts @ np.arange(256))
            u_sum += int(ur.sum(dtype=np.uint64))
            v_sum += int(vr.sum(dtype=np.uint64))
            weight += int(hist @ np.arange(1, BINS + 1))
        return y_sum, u_sum, v_sum, weight

    def run(copy):
        totals = [0, 0, 0, 0]
        seconds = 0.0
        for f in range(frames):
            write_frame(f)
            t0 = time.perf_counter()
            result = analyse(f, copy)
            seconds += time.perf_counter() - t0
            totals = [a + b for a, b in zip(totals, result)]
        return frames / seconds, totals

    write_frame(0)
    analyse(0, False)
    view_fps, totals = run(False)
    copy_fps, copied = run(True)
    if copied != totals:
        raise AssertionError("copies and views disagree")
    return {
        "figures": {"viewFps": view_fps, "copyFps": copy_fps},
        "check": {
            "ySum": totals[0],
            "uSum": totals[1],
            "vSum": totals[2],
            "histWeight": totals[3],
            "frames": frames,
        },
        "by": f"NumPy {np.__version__} on {interpreter()}",
    }


# --- io ----------------------------------------------------------------------------------


def scenario_io(params):
    import socket
    import threading

    path = params["path"]
    messages, payload = int(params["messages"]), int(params["payload"])
    source_bytes, sample = int(params["sourceBytes"]), int(params["sample"])
    runs = 1 if params.get("quick") else 3
    with open(path, "rb") as f:
        source = memoryview(f.read(source_bytes))
    server = socket.create_server(("127.0.0.1", 0))
    address = server.getsockname()

    def receive(sock, result):
        """recv_into one reused buffer; count bytes and sum every sample-th byte."""
        buf = bytearray(1 << 20)
        view = memoryview(buf)
        total = checksum = 0
        while True:
            n = sock.recv_into(buf)
            if n == 0:
                break
            first = (-total) % sample
            checksum += sum(view[first:n:sample])
            total += n
        result["bytes"], result["sample"] = total, checksum

    def transfer(send):
        client = socket.create_connection(address)
        conn, _ = server.accept()
        result = {}
        receiver = threading.Thread(target=receive, args=(client, result))
        receiver.start()
        t0 = time.perf_counter()
        send(conn)
        conn.shutdown(socket.SHUT_WR)
        receiver.join()
        seconds = time.perf_counter() - t0
        conn.close()
        client.close()
        return seconds, result

    def via_sendfile(conn):
        with open(path, "rb") as f:
            conn.sendfile(f)

    def via_read_sendall(conn):
        with open(path, "rb") as f:
            while chunk := f.read(65536):
                conn.sendall(chunk)

    def header(m):
        return struct.pack("<IIII", m, payload, 0xFEEDFACE, m ^ 0xA5A5A5A5)

    def offset(m):
        return (m * 4099) % (source_bytes - payload)

    def via_sendmsg(conn):
        for m in range(messages):
            at = offset(m)
            parts = [header(m), source[at : at + payload]]
            sent = conn.sendmsg(parts)
            if sent < HEADER_BYTES + payload:  # a short send: the rest, without joining
                rest = memoryview(parts[0])[sent:] if sent < HEADER_BYTES else None
                if rest is not None:
                    conn.sendall(rest)
                conn.sendall(parts[1][max(0, sent - HEADER_BYTES) :])

    def via_concat(conn):
        for m in range(messages):
            at = offset(m)
            conn.sendall(header(m) + source[at : at + payload])

    def measure(send):
        outcomes = sorted((transfer(send) for _ in range(runs)), key=lambda o: o[0])
        return outcomes[len(outcomes) // 2]

    try:
        file_figures = {}
        checks = {}
        for name, send in (("sendfileRate", via_sendfile), ("readSendallRate", via_read_sendall)):
            seconds, result = measure(send)
            file_figures[name] = result["bytes"] / 1e6 / seconds
            checks.setdefault("file", result)
            if result != checks["file"]:
                raise AssertionError("the two file transfers delivered different streams")
        for name, send in (("sendmsgRate", via_sendmsg), ("concatRate", via_concat)):
            seconds, result = measure(send)
            file_figures[name] = result["bytes"] / 1e6 / seconds
            checks.setdefault("messages", result)
            if result != checks["messages"]:
                raise AssertionError("the two message transfers delivered different streams")
    finally:
        server.close()
    return {
        "figures": file_figures,
        "check": {
            "fileBytes": checks["file"]["bytes"],
            "fileSample": checks["file"]["sample"],
            "messageBytes": checks["messages"]["bytes"],
            "messageSample": checks["messages"]["sample"],
        },
    }


HEADER_BYTES = 16

SCENARIOS = {
    "slice": scenario_slice,
    "parser": scenario_parser,
    "pipeline": scenario_pipeline,
    "video": scenario_video,
    "io": scenario_io,
}


def answer(request):
    name = request.get("scenario")
    measure = SCENARIOS.get(name)
    if measure is None:
        return {"scenario": name, "ok": False, "reason": f"no Python side for {name!r}"}
    try:
        result = measure(request.get("params", {}))
    except ImportError as error:
        return {"scenario": name, "ok": False, "reason": f"{error.name or error} not installed"}
    except Exception as error:  # report, never crash: the tour prints "not measured"
        return {"scenario": name, "ok": False, "reason": f"{type(error).__name__}: {error}"}
    return {
        "scenario": name,
        "ok": True,
        "by": result.get("by", interpreter()),
        "figures": result["figures"],
        "check": result["check"],
    }


def main():
    text = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    requests = json.loads(text)
    print(json.dumps([answer(request) for request in requests]))


if __name__ == "__main__":
    main()
