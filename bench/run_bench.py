#!/usr/bin/python3
"""Runs the whole benchmark: data, query mix, then each system in turn, and writes the results.

For each system, one after another so that they never compete for the cores: index (timed,
peak memory), start its server, answer the whole query mix once to warm up, then time the mix
with 1 client (`--rounds` passes) and with 8 concurrent clients (one pass each), record the
server's memory, stop it. The load average is kept before and after every phase.

The server's overhead is measured on its own, while the Clippings server is up: single-client
passes through HTTP and in-process alternate, and each query's HTTP time is paired with its
in-process time from the pass just before. Separate runs minutes apart would mix the machine's
drift into a difference of a few tenths of a millisecond.
"""

import argparse
import datetime
import functools
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

from common import MemorySampler, loadavg, percentile, summarise
from make_queries import CLASSES
from peer_clippings import ClippingsPeer, NaiveXapianLoop, XapianInProcess
from peer_postgres import PostgresPeer
from peer_sphinx import SphinxPeer
from peer_sqlite import SqlitePeer

HERE = os.path.dirname(os.path.abspath(__file__))
XAPIAN_VARIANTS = {"full": [], "no_snippets": ["--no-snippets"], "no_facets": ["--no-facets"],
                   "bare": ["--no-snippets", "--no-facets"]}


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def command_output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    with open("/proc/cpuinfo") as f:
        models = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    debian = ""
    if os.path.exists("/etc/debian_version"):
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    return {"nproc": os.cpu_count(), "cpu": models[0] if models else platform.processor(),
            "ram_gib": round(mem_kib / 1048576, 1), "kernel": platform.release(),
            "debian": debian}


def versions(tools):
    searchd = command_output(["searchd", "--help"]).splitlines()
    return {
        "sqlite": sqlite3.sqlite_version,
        "postgres": command_output(["/usr/lib/postgresql/15/bin/postgres", "--version"]),
        "sphinx": searchd[0] if searchd else "",
        "xapian": command_output(["xapian-config", "--version"]).split(" ")[-1],
        "clippings": command_output(["git", "-C", os.path.dirname(HERE), "rev-parse", "--short",
                                     "HEAD"]),
        "clippings_server": tools["server"],
    }


class Phases:
    """Runs named phases, keeping their duration and the load average around each."""

    def __init__(self):
        self.log = []

    def run(self, name, fn):
        before = loadavg()
        start = time.monotonic()
        log(f"{name} ...")
        try:
            return fn()
        finally:
            seconds = time.monotonic() - start
            self.log.append({"phase": name, "seconds": round(seconds, 2), "load_before": before,
                             "load_after": loadavg()})
            log(f"{name}: {seconds:.1f} s, load {loadavg()[0]:.2f}")


SLOWEST_SHOWN = 5


def run_summary(records, wall, kinds):
    out = summarise([r[1] for r in records], wall)
    by_class, by_query = {}, {}
    for number, ms, _ in records:
        by_class.setdefault(kinds[number], []).append(ms)
        by_query.setdefault(number, []).append(ms)
    out["p50_ms_by_class"] = {k: percentile(v, 50) for k, v in by_class.items()}
    # The percentiles say how slow the tail is; these say which queries make it.
    medians = sorted(((statistics.median(v), n) for n, v in by_query.items()), reverse=True)
    out["slowest"] = [[n, ms] for ms, n in medians[:SLOWEST_SHOWN]]
    return out


def measure_queries(phases, name, run, kinds, rounds, concurrency, server_pid=None):
    """Warm-up pass, then `rounds` single-client passes, then one pass per concurrent client.

    With `server_pid`, the server's memory is sampled during the concurrent pass.
    """
    phases.run(f"{name} warm-up", lambda: run(1))
    records, wall = [], 0.0
    for round_ in range(rounds):
        r, w = phases.run(f"{name} 1 client, pass {round_ + 1}", lambda: run(1))
        records += r
        wall += w
    totals = {number: total for number, _, total in records}
    result = {"c1": run_summary(records, wall, kinds), "totals": totals}
    if server_pid:
        with MemorySampler(server_pid) as memory:
            r, w = phases.run(f"{name} {concurrency} clients", lambda: run(concurrency))
        result["serving_memory_kib"] = memory.peak_kib
    else:
        r, w = phases.run(f"{name} {concurrency} clients", lambda: run(concurrency))
    result[f"c{concurrency}"] = run_summary(r, w, kinds)
    return result


def measure_overhead(phases, http_run, inprocess_run, rounds):
    """What HTTP adds to the in-process search, in milliseconds per query.

    Each round is an in-process pass then an HTTP pass, and each query's figures are medians
    over the rounds. "median_ms" and "p90_ms" are over queries of HTTP minus in-process. The
    server's own search time (took_ms) splits the median: "search_ms" is the search taking
    longer in the server than in-process, "around_ms" everything around it (parameters, the
    JSON body, headers, the write, the loopback round trip, the client's read).
    """
    total, search, around = {}, {}, {}
    for round_ in range(rounds):
        inprocess, _ = phases.run(f"overhead in-process, pass {round_ + 1}", inprocess_run)
        http, _, took = phases.run(f"overhead HTTP, pass {round_ + 1}", http_run)
        inprocess_ms = {number: ms for number, ms, _ in inprocess}
        for number, ms, _ in http:
            if number in inprocess_ms and number in took:
                total.setdefault(number, []).append(ms - inprocess_ms[number])
                search.setdefault(number, []).append(took[number] - inprocess_ms[number])
                around.setdefault(number, []).append(ms - took[number])
    per_query = sorted(statistics.median(d) for d in total.values())

    def median_of_medians(by_query):
        return statistics.median(statistics.median(d) for d in by_query.values())

    return {"rounds": rounds, "queries": len(per_query), "median_ms": statistics.median(per_query),
            "p90_ms": percentile(per_query, 90), "search_ms": median_of_medians(search),
            "around_ms": median_of_medians(around)}


def index_figures(raw, meta):
    raw["articles_per_s"] = meta["articles"] / raw["seconds"]
    raw["mib_per_s"] = meta["tsv_bytes"] / 1048576 / raw["seconds"]
    return raw


def bench_system(phases, peer, query_input, kinds, meta, args, inprocess=None):
    """Index, then query the peer's server. With `inprocess` (a run function taking a client
    count), the server's overhead over it is measured too."""
    out = {"label": peer.label, "memory_how": peer.memory_how}
    out["index"] = index_figures(phases.run(f"{peer.name} index", peer.index), meta)
    out["index"]["load_after"] = loadavg()
    if getattr(peer, "index_only", False):
        return out
    try:
        peer.start()
        server = peer.server_pid()
        out.update(measure_queries(phases, peer.name, lambda c: peer.run(query_input, c), kinds,
                                   args.rounds, args.clients, server))
        if inprocess:
            try:
                out["overhead"] = measure_overhead(
                    phases, lambda: peer.run_with_search_times(query_input),
                    lambda: inprocess(1), args.overhead_rounds)
            except Exception as error:  # the query figures above stand without it
                log(f"{peer.name} overhead failed: {error}")
                out["overhead"] = {"error": str(error)}
    finally:
        peer.stop()
    return out


def bench_inprocess(phases, xapian, queries_tsv, kinds, args):
    out = {"label": xapian.label}
    out.update(measure_queries(phases, "xapian", lambda c: xapian.run(queries_tsv, c), kinds,
                               args.rounds, args.clients))
    variants = {}
    for variant, flags in XAPIAN_VARIANTS.items():
        records, wall = phases.run(f"xapian {variant}", lambda: xapian.run(queries_tsv, 1, flags))
        variants[variant] = run_summary(records, wall, kinds)
    out["variants"] = variants
    if args.perf and shutil.which("perf"):
        out["perf"] = phases.run("xapian perf", lambda: perf_profile(xapian, queries_tsv, args))
    return out


def perf_profile(xapian, queries_tsv, args):
    """Where the in-process search spends its cycles: perf's flat profile, top symbols."""
    data = os.path.join(args.work, "perf.data")
    cmd = [xapian.tools["inproc"], "--db", xapian.db, "--queries", queries_tsv, "--clients", "1",
           "--warmup", "--out", os.path.join(args.work, "perf-run.json")]
    rec = subprocess.run(["perf", "record", "-F", "999", "-g", "-o", data, "--"] + cmd,
                         capture_output=True, text=True)
    if rec.returncode != 0:
        return {"error": rec.stderr.strip()[-500:]}
    report = command_output(["perf", "report", "-i", data, "--no-children", "--stdio",
                             "--sort", "dso,symbol", "--percent-limit", "1", "-g", "none"])
    rows = []
    for line in report.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0].endswith("%"):
            symbol = re.sub(r"^\[[.k]\]\s+|\s+-\s+-\s*$", "", parts[2].strip())
            rows.append({"percent": float(parts[0].rstrip("%")), "dso": parts[1],
                         "symbol": symbol})
    return {"top": rows[:20]}


def prepare(args, phases):
    data_dir = os.path.join(args.work, f"data-{args.mode}")
    cmd = [sys.executable, os.path.join(HERE, "prepare_data.py"), "--corpus", args.corpus,
           "--out", data_dir]
    if args.mode == "quick":
        cmd += ["--quick", str(args.quick_articles)]
    if args.mode == "scale":
        cmd += ["--scale", str(args.scale_articles)]
    if args.mode == "allsides":
        cmd += ["--only", "allsides.jsonl.zst"]
    phases.run("prepare data", lambda: subprocess.run(cmd, check=True))
    with open(os.path.join(data_dir, "meta.json")) as f:
        meta = json.load(f)
    prefix = os.path.join(args.work, f"queries-{args.mode}")
    phases.run("make queries", lambda: subprocess.run(
        [sys.executable, os.path.join(HERE, "make_queries.py"), "--data",
         os.path.join(data_dir, "articles.tsv"), "--out", prefix,
         "--per-class", str(args.per_class)], check=True))
    with open(prefix + ".json") as f:
        queries = json.load(f)
    return data_dir, meta, queries, prefix + ".tsv"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("quick", "allsides", "full", "scale"), default="quick")
    parser.add_argument("--quick-articles", type=int, default=20000)
    parser.add_argument("--scale-articles", type=int, default=1000000)
    parser.add_argument("--per-class", type=int, default=30)
    parser.add_argument("--rounds", type=int, help="single-client passes (default: 2; 1 at scale)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--overhead-rounds", type=int, default=5,
                        help="alternating in-process and HTTP passes for the server's overhead")
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--systems", help="comma-separated (default: all; at scale, all but "
                        "postgres; the naive Xapian loop only in the AllSides mode)")
    parser.add_argument("--perf", action="store_true", help="profile the in-process search")
    for tool in ("indexer", "server", "http_load", "inproc", "naive_index"):
        parser.add_argument(f"--{tool.replace('_', '-')}", required=True)
    args = parser.parse_args()
    # At 1,000,000 articles the run must still end well within an hour on 2 cores. PostgreSQL
    # is the slowest peer on every figure at 144,000 and would take about half an hour alone
    # to load and query; the best peers (SQLite for loading, Sphinx for queries) stay.
    if args.rounds is None:
        args.rounds = 1 if args.mode == "scale" else 2
    # The naive loop takes about six minutes on AllSides alone, where the indexing target of
    # docs/BENCHMARKS.md is set ("four times the naive loop"): it runs in that mode only.
    if args.systems is None:
        args.systems = {"scale": "clippings,sqlite,sphinx",
                        "allsides": "clippings,sqlite,postgres,sphinx,naive"}.get(
                            args.mode, "clippings,sqlite,postgres,sphinx")
    tools = {t: os.path.abspath(getattr(args, t)) for t in ("indexer", "server", "http_load",
                                                            "inproc", "naive_index")}
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.results, exist_ok=True)

    phases = Phases()
    results = {"mode": args.mode, "started": datetime.datetime.now().astimezone().isoformat(
        timespec="seconds"), "machine": machine(), "versions": versions(tools),
        "load_at_start": loadavg(), "settings": {"rounds": args.rounds, "clients": args.clients}}
    data_dir, meta, queries, queries_tsv = prepare(args, phases)
    kinds = {q["n"]: q["class"] for q in queries}
    results["data"] = meta
    results["queries"] = {"count": len(queries), "per_class": args.per_class,
                          "classes": list(CLASSES), "mix": queries}

    wanted = args.systems.split(",")
    systems = {}
    clippings = ClippingsPeer(args.work, data_dir, tools)
    peers = [SqlitePeer(args.work, data_dir), PostgresPeer(args.work, data_dir),
             SphinxPeer(args.work, data_dir), NaiveXapianLoop(args.work, data_dir, tools)]
    for peer in [clippings] + peers:
        if peer.name not in wanted:
            continue
        query_input = queries_tsv if peer is clippings else queries
        inprocess = None
        if peer is clippings:
            xapian = XapianInProcess(clippings, tools)
            inprocess = functools.partial(xapian.run, queries_tsv)
        try:
            systems[peer.name] = bench_system(phases, peer, query_input, kinds, meta, args,
                                              inprocess)
        except Exception as error:  # one failing system must not lose the others' figures
            log(f"{peer.name} failed: {error}")
            systems[peer.name] = {"label": peer.label, "error": str(error)}
        if peer is clippings and "error" not in systems["clippings"]:
            try:
                systems["xapian"] = bench_inprocess(phases, xapian, queries_tsv, kinds, args)
            except Exception as error:
                log(f"xapian in-process failed: {error}")
                systems["xapian"] = {"label": "Xapian in-process", "error": str(error)}
    results["systems"] = systems
    results["phases"] = phases.log
    results["load_at_end"] = loadavg()
    results["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = os.path.join(args.results, f"{args.mode}-{stamp}.json")
    for target in (path, os.path.join(args.results, f"latest-{args.mode}.json")):
        with open(target, "w") as f:
            json.dump(results, f, indent=1)
    log(f"results: {path}")


if __name__ == "__main__":
    main()
