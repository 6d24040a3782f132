#!/usr/bin/env python3
"""Search over shards: the full corpus as one database, as 2 and as 4 shards, local and served by
xapian-tcpsrv on loopback, through HTTP with the full work (10 hits, snippets, exact total, outlet
and month facets).

Splits the prepared articles (bench/work/data-full, made by run_bench.py's preparation) into 4
parts by a stable hash of the id and indexes each with clippings-indexer. The 2-shard and the
one-database layouts are the same articles merged by xapian-compact (pairs, and all four), and
each of the 4 shards is compacted too, so that the three layouts are databases of one kind.
The remote layouts are the same shards, each served by an xapian-tcpsrv on 127.0.0.1.
A clippings-server is started for each layout (`--db`, or `--shard` per shard) and warmed with
one pass of the query mix; then the layouts take turns, pass by pass: one client over the mix
(`--rounds` passes each), then 8 clients (two passes each). Writes
bench/results/BLOCK.json and the figures into docs/BENCHMARKS.md between
<!-- BLOCK:begin --> and <!-- BLOCK:end -->, BLOCK being `shards` (the full corpus) or
`shards-scale` (the 1,000,000 articles of the scale mode).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import dir_bytes, free_port, loadavg, percentile, pss_kib, update_doc, wait_for_port  # noqa: E402

PARTS = 4


def split_articles(articles, out_dir):
    """part-0.jsonl ... part-3.jsonl: each article in the part its id's CRC-32 names."""
    paths = [os.path.join(out_dir, f"part-{i}.jsonl") for i in range(PARTS)]
    if all(os.path.exists(p) for p in paths):
        return paths
    outs = [open(p + ".tmp", "w") for p in paths]
    with open(articles) as f:
        for line in f:
            if line.strip():
                outs[zlib.crc32(json.loads(line)["id"].encode()) % PARTS].write(line)
    for out, path in zip(outs, paths):
        out.close()
        os.replace(path + ".tmp", path)
    return paths


def build_layouts(indexer, parts, work):
    """{shard count: [database paths]} for 1, 2 and 4 shards, built once and reused."""
    indexed = [os.path.join(work, f"indexed-{i}") for i in range(PARTS)]
    for part, db in zip(parts, indexed):
        if not os.path.exists(db):
            done = subprocess.run([indexer, "--db", db + ".tmp", "--quiet", part], capture_output=True, text=True)
            if done.returncode not in (0, 1):  # 1: some articles rejected, each reported
                sys.exit(f"shards: indexing {part} failed: {done.stderr[-500:]}")
            os.replace(db + ".tmp", db)
    layouts = {4: [os.path.join(work, f"4-{i}") for i in range(PARTS)],
               2: [os.path.join(work, f"2-{i}") for i in range(2)],
               1: [os.path.join(work, "1-0")]}
    sources = {4: [[db] for db in indexed], 2: [indexed[:2], indexed[2:]], 1: [indexed]}
    for count, dbs in layouts.items():
        for db, source in zip(dbs, sources[count]):
            if not os.path.exists(db):
                subprocess.run(["xapian-compact", *source, db + ".tmp"], check=True, capture_output=True)
                os.replace(db + ".tmp", db)
    return layouts


def run_load(http_load, port, queries, clients, rounds):
    """Latencies (ms) of `rounds` passes over the mix by `clients` clients, and the wall time."""
    latencies, wall = [], 0.0
    for _ in range(rounds):
        out = subprocess.run([http_load, "--port", str(port), "--queries", queries, "--clients", str(clients)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"clippings-bench-http failed: {out.stderr[-1000:]}")
        result = json.loads(out.stdout)
        latencies += [record[1] for record in result["records"]]
        wall += result["wall_s"]
    return latencies, wall


def figures(latencies, wall):
    return {"searches": len(latencies), "per_second": round(len(latencies) / wall, 1),
            "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2)}


def serve_remotely(work, dbs):
    """An xapian-tcpsrv for each of `dbs`, in a session of its own (it forks a child for each
    connection: stopping the session stops them); the processes and their HOST:PORT."""
    servers, addresses = [], []
    with open(os.path.join(work, "tcpsrv.log"), "a") as log:
        for db in dbs:
            port = free_port()
            servers.append(subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                                             "--quiet", db], stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True))
            wait_for_port(port, proc=servers[-1])
            addresses.append(f"127.0.0.1:{port}")
    return servers, addresses


def stop_session(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def start_server(args, dbs):
    """A clippings-server over `dbs` (one database, or shards) and its port."""
    port = free_port()
    where = ["--db", dbs[0]] if len(dbs) == 1 else [a for db in dbs for a in ("--shard", db)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIPPINGS_")}
    env["CLIPPINGS_SERVER_ACCESS_LOG"] = "false"
    with open(os.path.join(args.work, "server.log"), "a") as log:
        server = subprocess.Popen([args.server, *where, "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=args.work)
    wait_for_port(port, proc=server)
    return server, port


def read_into_cache(dbs):
    """Reads every file of `dbs` once, so that the first layout measured does not pay for the
    disk."""
    for db in dbs:
        for root, _, files in os.walk(db):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    while f.read(1 << 24):
                        pass


def measure(args, layouts):
    """Figures of each layout, by name. All servers run at once and take turns, round by round,
    so that a change in the machine's load falls on every layout alike."""
    read_into_cache({db for dbs, _ in layouts.values() for db in dbs})
    remote = []
    served = {}
    for name, (dbs, is_remote) in layouts.items():
        if is_remote:
            processes, addresses = serve_remotely(args.work, dbs)
            remote += processes
            served[name] = addresses
        else:
            served[name] = dbs
    servers = {name: start_server(args, dbs) for name, dbs in served.items()}
    single = {name: ([], 0.0) for name in layouts}
    many = {name: ([], 0.0) for name in layouts}
    try:
        for _, port in servers.values():
            run_load(args.http_load, port, args.queries, 1, 1)  # warm-up: caches and columns
        for _ in range(args.rounds):
            for name, (_, port) in servers.items():
                latencies, wall = run_load(args.http_load, port, args.queries, 1, 1)
                single[name] = (single[name][0] + latencies, single[name][1] + wall)
        for _ in range(2):
            for name, (_, port) in servers.items():
                latencies, wall = run_load(args.http_load, port, args.queries, args.clients, 1)
                many[name] = (many[name][0] + latencies, many[name][1] + wall)
        memory = {name: pss_kib(server.pid) for name, (server, _) in servers.items()}
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
        for process in remote:
            stop_session(process)
    return [{"layout": name, "shards": len(dbs), "remote": is_remote,
             "index_bytes": sum(dir_bytes(db) for db in dbs), "server_pss_kib": memory[name],
             "one_client": figures(*single[name]), f"{args.clients}_clients": figures(*many[name])}
            for name, (dbs, is_remote) in layouts.items()]


def render(r):
    clients = r["clients"]
    base = r["layouts"][0]
    turns = ("the layouts taking turns" if r["block"] == "shards" else
             "one set of files at a time, the local and remote layouts over it taking turns")
    rows = []
    for layout in r["layouts"]:
        one, many = layout["one_client"], layout[f"{clients}_clients"]
        rows.append(f"| {layout['layout']} | {layout['index_bytes'] / 2**20:,.0f} | "
                    f"{layout['server_pss_kib'] / 1024:,.0f} | "
                    f"{one['p50_ms']} ms ({one['p50_ms'] / base['one_client']['p50_ms']:.2f}x) | "
                    f"{one['p99_ms']} ms ({one['p99_ms'] / base['one_client']['p99_ms']:.2f}x) | "
                    f"{many['p50_ms']} ms | {many['p99_ms']} ms | "
                    f"{many['per_second']} ({many['per_second'] / base[f'{clients}_clients']['per_second']:.2f}x) |")
    return "\n".join([
        f"Run on {r['date']} ({r['cpus']} cores, load average {r['load_at_start'][0]} at the start), "
        f"`bench/run.sh --{r['block']}`: {r['articles']:,} articles, {r['queries']} queries of the mix "
        f"({r['rounds']} passes by one client, two by {r['clients']} clients, {turns}), "
        f"each layout compacted.",
        "",
        f"| layout | index MiB | server PSS MiB | p50, 1 client | p99, 1 client | p50, {clients} clients | "
        f"p99, {clients} clients | searches/s, {clients} clients |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Ratios divide by the one-database figure of the same run. Remote shards are served by "
        "xapian-tcpsrv on 127.0.0.1, on the same 2 cores. The server's memory is its "
        "proportional set size after the runs (the page cache holding the index is the kernel's, "
        "not counted; neither are the xapian-tcpsrv processes).",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexer", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--http-load", required=True)
    parser.add_argument("--data", default=os.path.join(HERE, "work", "data-full"),
                        help="prepared articles (articles.jsonl), as run_bench.py makes them")
    parser.add_argument("--queries", default=os.path.join(HERE, "work", "queries-full.tsv"))
    parser.add_argument("--work", default=os.path.join(HERE, "work", "shards"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--doc", default=os.path.join(os.path.dirname(HERE), "docs", "BENCHMARKS.md"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="single-client passes over the mix")
    parser.add_argument("--block", choices=("shards", "shards-scale"), default="shards",
                        help="where the figures go: the results file and the block of --doc")
    args = parser.parse_args()
    for path in ("indexer", "server", "http_load", "work", "data", "queries"):  # the server runs in the work folder
        setattr(args, path, os.path.abspath(getattr(args, path)))
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.results, exist_ok=True)
    with open(args.queries) as f:
        query_count = sum(1 for line in f if line.strip())
    result = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "load_at_start": loadavg(),
              "clients": args.clients, "rounds": args.rounds, "queries": query_count, "block": args.block}
    parts = split_articles(os.path.join(args.data, "articles.jsonl"), args.work)
    with open(os.path.join(args.data, "meta.json")) as f:
        result["articles"] = json.load(f).get("articles", 0)
    layouts = build_layouts(args.indexer, parts, args.work)
    named = {"1 database": (layouts[1], False), "2 local shards": (layouts[2], False),
             "4 local shards": (layouts[4], False), "2 remote shards": (layouts[2], True),
             "4 remote shards": (layouts[4], True)}
    if args.block == "shards":
        result["layouts"] = measure(args, named)
    else:
        # Three copies of a million articles (27 GiB) outgrow the page cache: each set of files
        # is measured on its own, local and remote taking turns over the same files.
        result["layouts"] = [layout for group in (("1 database",), ("2 local shards", "2 remote shards"),
                                                  ("4 local shards", "4 remote shards"))
                             for layout in measure(args, {name: named[name] for name in group})]
    result["load_at_end"] = loadavg()
    with open(os.path.join(args.results, f"{args.block}.json"), "w") as f:
        json.dump(result, f, indent=2)
    update_doc(args.doc, render(result), args.block,
               "Shards" if args.block == "shards" else "Shards at 1,000,000 articles")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
