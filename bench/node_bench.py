"""CPython side of bench/node.bench.ts: the same transfers over loopback TCP, done the Python way.

1. sending the same 200 MB file with socket.sendfile (os.sendfile: the kernel copies from the
   page cache to the socket, no user-space buffer) to a receiver subprocess;
2. receiving 512 MiB from a sender subprocess with sock.recv_into into one preallocated
   bytearray (64 KiB and 1 MiB), the loop touching one byte per read as the Node side does.

Prints one JSON object on stdout: {"implementation", "version", "figures": {id: Figure}},
where a Figure is {"value": median, "unit", "n", "min", "max", "check"} as in
bench/harness.ts. Throughput is "M rec/s" with a record = 1 byte (MB/s); CPU is "ns/op" with an
op = 1 KB (CPU ns per 1000 bytes, time.process_time: user + system of this process). Each case
runs once untimed, then 3 timed times, the cases alternating; a figure is the median run.
`check` is the byte count the receiving side counted. Run with `PYENV_VERSION=3.13.0 python3`.
"""

import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from pybench import figure, print_report

FILE_BYTES = 200_000_000
RECEIVE_BYTES = 512 << 20
RUNS = 3
MIB = 1 << 20


def pattern_block():
    """1 MiB of (i * 131 + (i >> 8)) & 0xff, as the Node side writes its file."""
    return bytes(((i * 131 + (i >> 8)) & 0xFF) for i in range(MIB))


def peer_sink(port, connections):
    """Connects `connections` times; receives each stream to its end, answers the count."""
    buf = bytearray(MIB)
    for _ in range(connections):
        with socket.create_connection(("127.0.0.1", port)) as s:
            total = 0
            while True:
                n = s.recv_into(buf)
                if n == 0:
                    break
                total += n
            s.sendall(b"%d\n" % total)


def peer_source(total):
    """Serves `total` bytes to each connection; prints its port; stops when stdin closes."""
    block = b"\x5a" * MIB
    with socket.create_server(("127.0.0.1", 0)) as server:
        print(server.getsockname()[1], flush=True)
        while True:
            ready, _, _ = select.select([server, sys.stdin], [], [])
            if sys.stdin in ready and os.read(sys.stdin.fileno(), 1) == b"":
                return
            if server not in ready:
                continue
            conn, _ = server.accept()
            with conn:
                sent = 0
                while sent < total:
                    n = min(MIB, total - sent)
                    conn.sendall(block[:n] if n < MIB else block)
                    sent += n


def spawn_peer(*args):
    return subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--peer", *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def runs_figure(runs, key):
    unit = "M rec/s" if key == "rate" else "ns/op"
    return figure([r[key] for r in runs], unit, runs[0]["bytes"])


def record(figures, name, runs):
    figures[f"{name}.throughput"] = runs_figure(runs, "rate")
    figures[f"{name}.cpu"] = runs_figure(runs, "cpu")


def run_stats(nbytes, seconds, cpu_seconds):
    return {
        "bytes": nbytes,
        "rate": nbytes / seconds / 1e6,
        "cpu": cpu_seconds * 1e9 / (nbytes / 1000),
    }


def measure_send(figures, log):
    with tempfile.TemporaryDirectory(prefix="memview-bench-") as folder:
        path = os.path.join(folder, "send.bin")
        block = pattern_block()
        with open(path, "wb") as f:
            for at in range(0, FILE_BYTES, MIB):
                f.write(block[: min(MIB, FILE_BYTES - at)])
        with socket.create_server(("127.0.0.1", 0)) as server:
            sink = spawn_peer("sink", server.getsockname()[1], RUNS + 1)
            runs = []
            for k in range(RUNS + 1):
                conn, _ = server.accept()
                with conn, open(path, "rb") as f:
                    t0 = time.perf_counter()
                    c0 = time.process_time()
                    conn.sendfile(f)
                    conn.shutdown(socket.SHUT_WR)
                    answer = b""
                    while not answer.endswith(b"\n"):
                        part = conn.recv(64)
                        if not part:
                            break
                        answer += part
                    cpu = time.process_time() - c0
                    seconds = time.perf_counter() - t0
                got = int(answer)
                if got != FILE_BYTES:
                    raise RuntimeError(f"sendfile: the receiver got {got} bytes")
                stats = run_stats(got, seconds, cpu)
                log(f"  socket.sendfile{' (warm-up)' if k == 0 else ''}: {stats['rate']:.0f} MB/s")
                if k > 0:
                    runs.append(stats)
            sink.wait()
    record(figures, "sendfile", runs)


def receive(port, size):
    buf = bytearray(size)
    total = 0
    first = 0
    with socket.create_connection(("127.0.0.1", port)) as s:
        recv_into = s.recv_into
        while True:
            n = recv_into(buf)
            if n == 0:
                break
            total += n
            first ^= buf[0]
    return total


def measure_receive(figures, log):
    source = spawn_peer("source", RECEIVE_BYTES)
    port = int(source.stdout.readline())
    cases = {"recv_into.64k": 64 << 10, "recv_into.1m": MIB}
    runs = {name: [] for name in cases}
    for r in range(RUNS + 1):
        for name, size in cases.items():
            t0 = time.perf_counter()
            c0 = time.process_time()
            got = receive(port, size)
            cpu = time.process_time() - c0
            seconds = time.perf_counter() - t0
            if got != RECEIVE_BYTES:
                raise RuntimeError(f"{name}: received {got} bytes")
            stats = run_stats(got, seconds, cpu)
            log(f"  {name}{' (warm-up)' if r == 0 else ''}: {stats['rate']:.0f} MB/s")
            if r > 0:
                runs[name].append(stats)
    source.stdin.close()
    source.wait()
    for name in cases:
        record(figures, name, runs[name])


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--peer":
        if sys.argv[2] == "sink":
            peer_sink(int(sys.argv[3]), int(sys.argv[4]))
        else:
            peer_source(int(sys.argv[3]))
        return

    def log(line):
        print(line, file=sys.stderr, flush=True)

    figures = {}
    measure_send(figures, log)
    measure_receive(figures, log)
    print_report(figures)


if __name__ == "__main__":
    main()
