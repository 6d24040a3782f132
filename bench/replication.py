#!/usr/bin/env python3
"""Read replicas: how long a commit on the writer takes to be searchable on a replica, and
what it sends.

The writer's database holds half the prepared corpus (two of the parts bench/shards.py splits
it into); its indexer keeps changesets (`indexer.changesets`). xapian-replicate-server
serves it; a first xapian-replicate run copies it whole to the replica, where a
clippings-server searches. Then articles of another quarter are added in batches (`--batches`):
each batch is indexed by one run of clippings-indexer, replicated by one xapian-replicate run, and a probe query
for the batch's first article is polled on the replica's server until it is found. Writes
bench/results/replication.json and the figures into docs/BENCHMARKS.md between
<!-- replication:begin --> and <!-- replication:end -->.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import dir_bytes, free_port, loadavg, update_doc, wait_for_port  # noqa: E402
from shards import PARTS, split_articles  # noqa: E402


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode not in (0, 1):  # the indexer's 1: some articles rejected, each reported
        sys.exit(f"replication: {' '.join(cmd[:2])} failed: {done.stderr[-800:]}")
    return done


def changesets(db):
    """{changeset file name: bytes} of the database `db`."""
    return {name: os.path.getsize(os.path.join(db, name)) for name in os.listdir(db) if name.startswith("changes")}


def write_config(path, batch_size):
    """The indexer's configuration: changesets kept, and articles per commit."""
    with open(path, "w") as f:
        f.write(f"indexer:\n  changesets: 100\n  batch_size: {batch_size}\n")


def found(port, article_id):
    url = f"http://127.0.0.1:{port}/api/articles/{urllib.parse.quote(article_id, safe='')}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def render(r):
    rows = [f"| {b['articles']:,} | {b['batch_size']:,} | {b['index_s']} s | {b['replicate_s']} s | {b['searchable_s']} s | "
            f"{b['changeset_bytes'] / 2**20:.1f} MiB ({b['commits']}) | "
            f"{b['changeset_bytes'] / b['articles'] / 1024:.0f} KiB | {'full copy' if b['full_copy'] else 'changesets'} |"
            for b in r["batches"]]
    return "\n".join([
        f"Run on {r['date']} ({r['cpus']} cores, load average {r['load_at_start'][0]} at the start), "
        f"`bench/run.sh --replication`: a writer holding {r['writer_articles']:,} articles, a replica on the "
        f"same machine (loopback).",
        "",
        f"The first replication copies the whole database: {r['full_copy_bytes'] / 2**20:,.0f} MiB in "
        f"{r['full_copy_s']} s. Then each batch is one run of the indexer on the writer (its commits, one a changeset), "
        f"replicated by one run of "
        f"`xapian-replicate`:",
        "",
        "| articles added | `batch_size` | indexing | replication | commit to searchable | changesets (files) | per article | sent as |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Commit to searchable counts from the end of the commit to the first answer of the replica's "
        "server that has the batch's first article (polled every 0.1 s).",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexer", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--data", default=os.path.join(HERE, "work", "data-full"))
    parser.add_argument("--work", default=os.path.join(HERE, "work", "replication"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--doc", default=os.path.join(os.path.dirname(HERE), "docs", "BENCHMARKS.md"))
    parser.add_argument("--batches", default="1000,1000,1000,10000,10000/10000",
                        help="articles added by each run of the indexer, comma-separated; N/B runs "
                             "it with indexer.batch_size B (default 2000)")
    args = parser.parse_args()
    for tool in ("indexer", "server"):  # the server runs in the work folder
        setattr(args, tool, os.path.abspath(getattr(args, tool)))
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    os.makedirs(args.results, exist_ok=True)
    parts = split_articles(os.path.join(args.data, "articles.jsonl"), os.path.join(os.path.dirname(args.work), "shards"))
    master_root, replica = os.path.join(args.work, "master"), os.path.join(args.work, "replica")
    master = os.path.join(master_root, "clippings.db")
    config = os.path.join(args.work, "config.yaml")
    write_config(config, 2000)
    result = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "load_at_start": loadavg(),
              "batches": []}
    os.makedirs(master_root)
    # Half the corpus, loaded at once (a bulk load into an empty database).
    writer_articles = os.path.join(args.work, "writer.jsonl")
    with open(writer_articles, "w") as out:
        for part in parts[:PARTS // 2]:
            with open(part) as f:
                shutil.copyfileobj(f, out)
    start = time.monotonic()
    run([args.indexer, "--config", config, "--db", master, "--quiet", writer_articles])
    result["writer_load_s"] = round(time.monotonic() - start, 1)
    repl_port, port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIPPINGS_")}
    env["CLIPPINGS_SERVER_ACCESS_LOG"] = "false"
    with open(os.path.join(args.work, "processes.log"), "w") as log:
        # Its own session: on SIGTERM it signals its whole process group (Xapian's TcpServer).
        repl_server = subprocess.Popen(["xapian-replicate-server", "-I", "127.0.0.1", "-p", str(repl_port), master_root],
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        server = None
        try:
            wait_for_port(repl_port, proc=repl_server)
            replicate = ["xapian-replicate", "-h", "127.0.0.1", "-p", str(repl_port), "-m", "clippings.db",
                         "-r", "0", "-o", "-v", replica]
            start = time.monotonic()
            run(replicate)
            result["full_copy_s"] = round(time.monotonic() - start, 1)
            result["full_copy_bytes"] = dir_bytes(replica)
            server = subprocess.Popen([args.server, "--db", replica, "--host", "127.0.0.1", "--port", str(port)],
                                      stdout=log, stderr=subprocess.STDOUT, env=env, cwd=args.work)
            wait_for_port(port, proc=server)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=30) as response:
                result["writer_articles"] = json.load(response)["articles"]
            with open(parts[PARTS - 1]) as f:
                held = [line for line in f if line.strip()]
            batches = [(int(spec.split("/")[0]), int(spec.split("/")[1]) if "/" in spec else 2000)
                       for spec in args.batches.split(",")]
            first = 0
            for n, (size, batch_size) in enumerate(batches):
                lines = held[first:first + size]
                first += size
                write_config(config, batch_size)
                batch_file = os.path.join(args.work, f"batch-{n}.jsonl")
                with open(batch_file, "w") as f:
                    f.writelines(lines)
                probe = json.loads(lines[0])["id"]
                before = changesets(master)
                start = time.monotonic()
                run([args.indexer, "--config", config, "--db", master, "--quiet", batch_file])
                committed = time.monotonic()
                replicated_run = run(replicate)
                report = replicated_run.stdout + replicated_run.stderr
                replicated = time.monotonic()
                for _ in range(600):  # at most a minute
                    if found(port, probe):
                        break
                    time.sleep(0.1)
                else:
                    sys.exit(f"replication: {probe} is not searchable on the replica a minute after its commit")
                searchable = time.monotonic()
                written = {name: size for name, size in changesets(master).items() if name not in before}
                result["batches"].append({
                    "articles": len(lines), "batch_size": batch_size, "commits": len(written),
                    "index_s": round(committed - start, 2), "replicate_s": round(replicated - committed, 2),
                    "searchable_s": round(searchable - committed, 2),
                    "changeset_bytes": sum(written.values()),
                    "full_copy": " 0 copies" not in report,
                })
        finally:
            for process in (server, repl_server):
                if process:
                    process.terminate()
                    process.wait()
    result["load_at_end"] = loadavg()
    with open(os.path.join(args.results, "replication.json"), "w") as f:
        json.dump(result, f, indent=2)
    update_doc(args.doc, render(result), "replication", "Read replicas")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
