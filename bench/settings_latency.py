#!/usr/bin/python3
"""What a search setting costs: clippings-servers over one database, one per config file,
taken in turn for several rounds (so that the machine's drift falls on all of them alike),
each round a warm-up pass and a timed pass of the queries with one client (bench's HTTP load
generator). Prints, per config, p50/p95/p99 and mean over every timed request and over each
query's fastest round, and writes them as JSON with --out.

  bench/settings_latency.py --db DB --queries QUERIES.tsv --rounds 5 \\
      --build BUILD_DIR off.yaml default.yaml feedback.yaml

An empty config file gives the built-in defaults.
"""

import argparse
import json
import os
import sys
import tempfile

from common import percentile
from peer_clippings import ClippingsPeer, run_tool


def summary(latencies_ms):
    return {"requests": len(latencies_ms), "p50_ms": percentile(latencies_ms, 50),
            "p95_ms": percentile(latencies_ms, 95), "p99_ms": percentile(latencies_ms, 99),
            "mean_ms": sum(latencies_ms) / len(latencies_ms)}


def summarise(rounds):
    """{config: {"every request", "fastest round"}} from {config: [records of each round]},
    a record being (query number, milliseconds, total)."""
    result = {}
    for config, passes in rounds.items():
        fastest = {}
        for records in passes:
            for number, ms, _total in records:
                fastest[number] = min(ms, fastest.get(number, ms))
        result[config] = {"every request": summary([r[1] for p in passes for r in p]),
                          "fastest round": summary(list(fastest.values()))}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a Clippings database")
    parser.add_argument("--queries", required=True, help="queries.tsv, as bench/ writes them")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--build", default="build", help="the build directory")
    parser.add_argument("--out", help="JSON results")
    parser.add_argument("configs", nargs="+", help="clippings-server config files")
    args = parser.parse_args()
    tools = {"server": os.path.join(args.build, "server", "clippings-server")}
    http_load = os.path.join(args.build, "bench", "clippings-bench-http")
    # The servers' logs go to a directory of their own, not beside a database another run uses.
    work = tempfile.mkdtemp(prefix="settings-latency-")
    peer = ClippingsPeer(work, None, tools)
    os.makedirs(peer.work)
    peer.db = os.path.abspath(args.db)
    rounds = {config: [] for config in args.configs}
    for n in range(args.rounds):
        for config in args.configs:
            peer.server_args = ["--config", os.path.abspath(config)]
            peer.start()
            try:
                records, _, _ = run_tool([http_load, "--port", str(peer.port), "--queries",
                                          args.queries, "--clients", "1", "--warmup"])
            finally:
                peer.stop()
            rounds[config].append(records)
            print(f"round {n + 1}: {config}", file=sys.stderr, flush=True)
    print(f"server logs: {peer.work}", file=sys.stderr)
    result = summarise(rounds)
    for config, parts in result.items():
        for part, s in parts.items():
            print(f"{config}, {part}: {s['requests']} requests, p50 {s['p50_ms']:.2f} ms, "
                  f"p95 {s['p95_ms']:.2f}, p99 {s['p99_ms']:.2f}, mean {s['mean_ms']:.2f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
