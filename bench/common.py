"""Shared helpers of the benchmark driver: processes, memory, timing and client fan-out."""

import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import threading
import time


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=60.0, proc=None):
    """Waits until something listens on the port; gives up early when `proc` (the server that
    should listen) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def fresh_dir(path):
    """Makes `path` an empty directory: a system's work from an earlier run is removed."""
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def process_tree(root_pid):
    """root_pid and all its descendants, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def pss_kib(pid):
    """Proportional set size: shared pages split between the processes that map them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kib(root_pid):
    return sum(pss_kib(pid) for pid in process_tree(root_pid))


class MemorySampler:
    """Samples the summed PSS of a process tree every `interval` seconds; keeps the peak."""

    def __init__(self, root_pid, interval=0.2):
        self.root_pid = root_pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self.root_pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, tree_pss_kib(self.root_pid))


class ServerProcess:
    """A peer's server as a child process: `proc` is set by the peer's start()."""

    proc = None
    stop_timeout_s = 60

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=self.stop_timeout_s)
            self.proc = None

    def server_pid(self):
        return self.proc.pid if self.proc else None


def run_timed(cmd, stdin_path=None, log_path=None, env=None, cwd=None, ok_codes=(0,)):
    """Runs cmd under /usr/bin/time -v; returns wall seconds and max RSS (KiB)."""
    time_out = (log_path or "/tmp/bench-time") + ".time"
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    start = time.monotonic()
    try:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", time_out] + cmd, stdin=stdin,
                              stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    finally:
        if stdin_path:
            stdin.close()
        if log_path:
            log.close()
    wall = time.monotonic() - start
    if proc.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(cmd)} failed with {proc.returncode}; see {log_path}")
    with open(time_out) as f:
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read()).group(1))
    return wall, rss


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def summarise(latencies_ms, wall_s):
    return {
        "queries": len(latencies_ms),
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": sum(latencies_ms) / len(latencies_ms),
        "wall_s": wall_s,
        "qps": len(latencies_ms) / wall_s,
    }


def _client(session_factory, queries, offset, barrier, out):
    session = session_factory()
    order = queries[offset:] + queries[:offset]
    barrier.wait()
    records = []
    for query in order:
        start = time.perf_counter()
        total = session.search(query)
        records.append((query["n"], (time.perf_counter() - start) * 1000.0, total))
    session.close()
    out.put(records)


def run_clients(session_factory, queries, clients):
    """Each of `clients` processes runs every query once, starting at a different offset.

    Returns (records, wall seconds) where records are (query number, ms, total). Processes
    rather than threads, so that the Python client never serialises the peers behind its lock.
    """
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients + 1)
    out = ctx.Queue()
    procs = [ctx.Process(target=_client,
                         args=(session_factory, queries, i * len(queries) // clients, barrier, out))
             for i in range(clients)]
    for proc in procs:
        proc.start()
    barrier.wait()
    start = time.monotonic()
    records = []
    for _ in procs:
        records.extend(out.get())
    wall = time.monotonic() - start
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"a client process failed ({proc.exitcode})")
    return records, wall


def update_doc(path, section, name, title):
    """Replaces the block between <!-- NAME:begin --> and <!-- NAME:end --> of the document at
    `path` with `section`, or adds it at the end under a heading `title`."""
    text = open(path).read()
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{section}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text += f"\n## {title}\n\n{block}\n"
    with open(path, "w") as f:
        f.write(text)
