"""Clippings: clippings-indexer reading JSON Lines on stdin, clippings-server over HTTP.

Queries go through the HTTP API with bench's C++ load generator (one keep-alive client per
thread); the same searches in-process through clippings::Searcher give the engine's limit
(XapianInProcess below, sharing the database this peer built).
"""

import json
import os
import re
import subprocess
import tempfile

from common import ServerProcess, dir_bytes, free_port, fresh_dir, run_timed, wait_for_port


def run_tool(cmd):
    """Runs a bench C++ program that writes JSON results.

    Returns (records, wall seconds, {query number: milliseconds the server's search took}); the
    last is empty but for the HTTP load generator.
    """
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        proc = subprocess.run(cmd + ["--out", out.name], stderr=subprocess.PIPE, text=True)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{os.path.basename(cmd[0])} failed: {proc.stderr[-2000:]}")
        with open(out.name) as f:
            result = json.load(f)
    if result["errors"]:
        raise RuntimeError(f"{result['errors']} queries failed: {proc.stderr[-2000:]}")
    records = [tuple(r[:3]) for r in result["records"]]
    return records, result["wall_s"], {r[0]: r[3] for r in result["records"] if len(r) > 3}


class ClippingsPeer(ServerProcess):
    name = "clippings"
    label = "Clippings (HTTP API)"
    memory_how = "max RSS of clippings-indexer, /usr/bin/time -v"

    def __init__(self, work, data_dir, tools):
        self.work = os.path.join(work, "clippings")
        self.data_dir = data_dir
        self.tools = tools
        self.db = os.path.join(self.work, "db")
        self.port = None
        self.proc = None
        self.server_args = []  # extra clippings-server options, e.g. ["--config", path]

    def index(self):
        fresh_dir(self.work)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLIPPINGS_")}
        wall, rss = run_timed([self.tools["indexer"], "--db", self.db, "-"],
                              stdin_path=os.path.join(self.data_dir, "articles.jsonl"),
                              log_path=os.path.join(self.work, "indexer.log"), env=env,
                              cwd=self.work, ok_codes=(0, 1))
        # Exit status 1: some articles were rejected (each logged), e.g. with an empty body.
        with open(os.path.join(self.work, "indexer.log"), encoding="utf-8", errors="replace") as f:
            summary = re.search(r"added (\d+), replaced \d+, (?:unchanged \d+, )?rejected (\d+)", f.read())
        if not summary:
            raise RuntimeError("clippings-indexer printed no summary; see indexer.log")
        return {"seconds": wall, "peak_memory_kib": rss, "index_bytes": dir_bytes(self.db),
                "added": int(summary.group(1)), "rejected": int(summary.group(2))}

    def start(self):
        self.port = free_port()
        log = open(os.path.join(self.work, "server.log"), "ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLIPPINGS_")}
        self.proc = subprocess.Popen([self.tools["server"], "--db", self.db, "--host", "127.0.0.1",
                                      "--port", str(self.port)] + self.server_args, stdout=log,
                                     stderr=subprocess.STDOUT, cwd=self.work, env=env)
        with open(os.path.join(self.work, "server.pid"), "w") as f:  # for run.sh's trap
            f.write(str(self.proc.pid))
        wait_for_port(self.port, proc=self.proc)

    def stop(self):
        if self.proc:
            super().stop()
            os.remove(os.path.join(self.work, "server.pid"))

    def run(self, queries_tsv, clients):
        return self.run_with_search_times(queries_tsv, clients)[:2]

    def run_with_search_times(self, queries_tsv, clients=1):
        """As run(), with each query's search time inside the server (its took_ms) as well."""
        return run_tool([self.tools["http_load"], "--port", str(self.port), "--queries",
                         queries_tsv, "--clients", str(clients)])


class XapianInProcess:
    name = "xapian"
    label = "Xapian in-process (clippings::Searcher, no HTTP)"

    def __init__(self, clippings, tools):
        self.db = clippings.db
        self.tools = tools

    def run(self, queries_tsv, clients, flags=()):
        # A fresh process each run: each client warms its own Searcher with one untimed pass,
        # as the server's workers are warm after the HTTP warm-up pass.
        return run_tool([self.tools["inproc"], "--db", self.db, "--queries", queries_tsv,
                         "--clients", str(clients), "--warmup"] + list(flags))[:2]


class NaiveXapianLoop:
    """The indexing yardstick: bench/naive_index.cpp, a plain single-threaded Xapian loop with
    the library's defaults, on the same rows. It indexes only; it answers no queries."""

    name = "naive"
    label = "Xapian, naive loop (yardstick)"
    memory_how = "max RSS of clippings-bench-naive-index, /usr/bin/time -v"
    index_only = True

    def __init__(self, work, data_dir, tools):
        self.work = os.path.join(work, "naive")
        self.data_dir = data_dir
        self.tools = tools
        self.db = os.path.join(self.work, "db")

    def index(self):
        fresh_dir(self.work)
        wall, rss = run_timed([self.tools["naive_index"], "--db", self.db,
                               os.path.join(self.data_dir, "articles.jsonl")],
                              log_path=os.path.join(self.work, "index.log"))
        return {"seconds": wall, "peak_memory_kib": rss, "index_bytes": dir_bytes(self.db)}
