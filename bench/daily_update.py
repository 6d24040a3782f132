#!/usr/bin/env python3
"""The daily path: adding 10,000 articles to a database that already holds the full corpus,
beside the bulk rate, and what searches see while it runs.

Builds (or reuses) a database of the whole corpus but its last `--daily` articles, timing the
bulk load; starts clippings-server on it; measures search latency with `--clients` clients for
`--baseline` seconds; then runs clippings-indexer on the held-back articles while the clients go
on, and measures both. Writes bench/results/daily.json and the figures into docs/BENCHMARKS.md
between <!-- daily-update:begin --> and <!-- daily-update:end -->.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import free_port, loadavg, update_doc, wait_for_port  # noqa: E402

CORPUS_FILES = ("allsides.jsonl.zst", "reuters-2006-2013.jsonl.zst")
QUERIES = ["oil prices", "election", "central bank", "china trade", "merger", "earthquake",
           "government debt", "football", "climate", "interest rates", "apple", "strike",
           "\"stock market\"", "president OR minister", "inflation -food", "title:bank"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else None


def split_corpus(corpus, daily, out_dir):
    """bulk.jsonl: every article but the last `daily` of the last corpus file; daily.jsonl: those."""
    bulk, held = os.path.join(out_dir, "bulk.jsonl"), os.path.join(out_dir, "daily.jsonl")
    if os.path.exists(bulk) and os.path.exists(held):
        return bulk, held
    with open(bulk, "w") as out:
        for name in CORPUS_FILES[:-1]:
            subprocess.run(["zstd", "-dc", os.path.join(corpus, name)], stdout=out, check=True)
    lines = subprocess.run(["zstd", "-dc", os.path.join(corpus, CORPUS_FILES[-1])],
                           capture_output=True, check=True).stdout.splitlines(keepends=True)
    with open(bulk, "ab") as out:
        out.writelines(lines[:-daily])
    with open(held, "wb") as out:
        out.writelines(lines[-daily:])
    return bulk, held


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def index(indexer, db, source):
    start = time.monotonic()
    done = subprocess.run([indexer, "--db", db, "--quiet", source], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"daily_update: indexing {source} failed: {done.stderr[-500:]}")
    return time.monotonic() - start


class Load:
    """`clients` threads searching back to back on keep-alive connections."""

    def __init__(self, port, clients):
        self.port, self.samples, self.errors = port, [], 0
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(clients)]

    def client(self, n):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = n
        while not self.stop.is_set():
            path = "/api/search?q=" + quote(QUERIES[i % len(QUERIES)])
            i += 1
            start = time.monotonic()
            try:
                conn.request("GET", path)
                res = conn.getresponse()
                res.read()
                ok = res.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            with self.lock:
                if ok:
                    self.samples.append((time.monotonic(), time.monotonic() - start))
                else:
                    self.errors += 1

    def window(self, start, end):
        with self.lock:
            return [s for t, s in self.samples if start <= t < end]


def figures(latencies, seconds):
    return {"searches": len(latencies), "per_second": round(len(latencies) / seconds, 1) if seconds else None,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None}


def render(r):
    b, d = r["baseline"], r["during"]
    return "\n".join([
        f"Run on {r['date']} ({r['cpus']} cores, load average {r['load_at_start'][0]} at the start), "
        f"`bench/run.sh --daily`.",
        "",
        "| | articles | seconds | articles/s |",
        "|---|---|---|---|",
        f"| bulk load into an empty database | {r['bulk_articles']:,} | {r['bulk_seconds']} | {r['bulk_rate']} |",
        f"| daily: added to the full database | {r['daily_articles']:,} | {r['daily_seconds']} | {r['daily_rate']} |",
        "",
        f"Searches by {r['clients']} clients back to back (keep-alive), the same query mix:",
        "",
        "| | searches | per second | p50 | p99 |",
        "|---|---|---|---|---|",
        f"| before the update ({r['baseline_seconds']} s) | {b['searches']} | {b['per_second']} | {b['p50_ms']} ms | {b['p99_ms']} ms |",
        f"| while the 10,000 are added | {d['searches']} | {d['per_second']} | {d['p50_ms']} ms | {d['p99_ms']} ms |",
        "",
        f"Errors during the run: {r['errors']}.",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexer", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--doc", default=os.path.join(os.path.dirname(HERE), "docs", "BENCHMARKS.md"))
    parser.add_argument("--daily", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--baseline", type=int, default=60, help="seconds of searches before the update")
    args = parser.parse_args()
    work = os.path.join(args.work, "daily")
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.results, exist_ok=True)
    result = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "load_at_start": loadavg(),
              "clients": args.clients, "baseline_seconds": args.baseline}
    bulk, held = split_corpus(args.corpus, args.daily, work)
    base_db, db = os.path.join(work, "full.db"), os.path.join(work, "updated.db")
    result["bulk_articles"] = count_lines(bulk)
    timing = os.path.join(work, "bulk-seconds.json")
    if not os.path.exists(timing):
        subprocess.run(["rm", "-rf", base_db], check=True)
        with open(timing, "w") as f:
            json.dump(index(args.indexer, base_db, bulk), f)
    with open(timing) as f:
        result["bulk_seconds"] = round(json.load(f), 1)
    result["bulk_rate"] = round(result["bulk_articles"] / result["bulk_seconds"])
    # Each run adds to a fresh copy, so the daily figure is always 10,000 new articles.
    subprocess.run(["rm", "-rf", db], check=True)
    subprocess.run(["cp", "-a", base_db, db], check=True)

    port = free_port()
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([args.server, "--db", db, "--port", str(port)], stdout=log,
                              stderr=subprocess.STDOUT, env=dict(os.environ, CLIPPINGS_SERVER_ACCESS_LOG="false"))
    try:
        wait_for_port(port, proc=server)
        load = Load(port, args.clients)
        for t in load.threads:
            t.start()
        start = time.monotonic()
        time.sleep(args.baseline)
        update_start = time.monotonic()
        seconds = index(args.indexer, db, held)
        update_end = time.monotonic()
        load.stop.set()
        for t in load.threads:
            t.join()
    finally:
        server.terminate()
        server.wait()
        log.close()
    result["daily_articles"] = count_lines(held)
    result["daily_seconds"] = round(seconds, 1)
    result["daily_rate"] = round(result["daily_articles"] / seconds)
    result["baseline"] = figures(load.window(start, update_start), update_start - start)
    result["during"] = figures(load.window(update_start, update_end), update_end - update_start)
    result["errors"] = load.errors
    with open(os.path.join(args.results, "daily.json"), "w") as f:
        json.dump(result, f, indent=2)
    update_doc(args.doc, render(result), "daily-update", "The daily update")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
