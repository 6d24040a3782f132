#!/usr/bin/python3
"""Judged relevance benchmark: the AllSides topics of bench/relevance/topics.tsv asked of
every system over the same articles, scored with P@10, nDCG@10, AP@100 and recall@100.

Writes, under --results (bench/results/relevance):
  qrels.txt             the judgements as a TREC qrels file
  runs/SYSTEM.run       each system's top 100 per topic as a TREC run file
  run-STAMP.json        this run: settings, per-topic figures and means per split
  latest.json           (a full run, or --report) the figures docs/BENCHMARKS.md shows: each
                        system of this run replaces its entry, the others stay
and prints the means per split, with each system's difference from the baseline (Clippings
unless --baseline says otherwise) and its paired randomisation test on the same topics.
"""

import argparse
import datetime
import fcntl
import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import relevance_metrics as metrics
import relevance_systems as systems
import relevance_topics as topics
import render_relevance
from peer_clippings import ClippingsPeer

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_FILE = "allsides.jsonl.zst"
ENGINES = ("clippings", "xapian", "variants", "sqlite", "postgres", "sphinx")
LABELS = {
    "clippings": "Clippings (HTTP API, as configured)",
    "xapian-or": "Xapian BM25, OR (in-process, Clippings' database)",
    "xapian-and": "Xapian BM25, AND (in-process, Clippings' database)",
    "sqlite-or": "SQLite FTS5 bm25, OR",
    "sqlite-and": "SQLite FTS5 bm25, AND",
    "postgres-or": "PostgreSQL ts_rank_cd, OR (to_tsquery with |)",
    "postgres-and": "PostgreSQL ts_rank_cd, AND (plainto_tsquery)",
    "sphinx-or": "Sphinx proximity_bm25, OR",
    "sphinx-and": "Sphinx proximity_bm25, AND",
}


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def commit():
    head = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("-dirty" if dirty else "")


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_data(args):
    data_dir = os.path.join(args.work, "data-allsides")
    subprocess.run([sys.executable, os.path.join(HERE, "prepare_data.py"), "--corpus",
                    args.corpus, "--out", data_dir, "--only", CORPUS_FILE], check=True)
    with open(os.path.join(data_dir, "meta.json")) as f:
        return data_dir, json.load(f)


def clippings_database(args, data_dir, meta):
    """A ClippingsPeer whose database holds the data: reused when the same indexer binary
    built it from the same data, else indexed afresh."""
    peer = ClippingsPeer(os.path.join(args.work, "relevance"), data_dir,
                         {"indexer": args.indexer, "server": args.server_bin})
    stamp_path = os.path.join(peer.work, "stamp.json")
    stamp = {"data": meta["made_with"], "articles": meta["articles"],
             "indexer": file_digest(args.indexer)}
    if os.path.exists(stamp_path):
        with open(stamp_path) as f:
            if json.load(f) == stamp and os.path.isdir(peer.db):
                log(f"clippings: reusing {peer.db}")
                return peer
    log("clippings: indexing ...")
    figures = peer.index()
    log(f"clippings: indexed {figures['added']} articles in {figures['seconds']:.0f} s")
    with open(stamp_path, "w") as f:
        json.dump(stamp, f)
    return peer


def ask(name, search, rows):
    log(f"{name}: {len(rows)} queries ...")
    return {row["topic"]: search(row["query"]) for row in rows}


def start_server(peer):
    """peer.start(), with the end of the server's log when it does not come up."""
    try:
        peer.start()
    except RuntimeError as error:
        with open(os.path.join(peer.work, "server.log"), errors="replace") as f:
            tail = "".join(f.readlines()[-5:])
        raise RuntimeError(f"clippings-server did not start ({error}); its log ends:\n{tail}") \
            from error


def run_clippings(args, rows, data):
    """{topic: hits} from Clippings' HTTP API, and how it was run."""
    settings = {"params": args.param, "server": args.server, "config": args.config}
    if args.label:
        settings["label"] = args.label
    peer = None
    if args.server:
        url = args.server
    else:
        peer = clippings_database(args, *data())
        if args.config:
            peer.server_args = ["--config", os.path.abspath(args.config)]
    try:
        if peer:
            start_server(peer)
            url = f"http://127.0.0.1:{peer.port}"
        client = systems.ClippingsHttp(url, [tuple(p.split("=", 1)) for p in args.param])
        settings["articles_in_index"] = client.article_count()
        if settings["articles_in_index"] != args.judged_articles:
            log(f"warning: the server's index holds {settings['articles_in_index']:,} articles, "
                f"the judged set was made from {args.judged_articles:,}: the figures do not "
                "compare with the other systems'")
        hits = ask(args.tag, client.search, rows)
        settings["matches"] = {row["topic"]: client.totals[row["query"]] for row in rows}
        client.close()
    finally:
        if peer:
            peer.stop()
    return {args.tag: (hits, settings)}


def run_xapian(args, rows, data):
    peer = clippings_database(args, *data())
    out = {}
    queries = [row["query"] for row in rows]
    for op in ("or", "and"):
        log(f"xapian-{op}: {len(rows)} queries ...")
        by_query = systems.XapianInProcess(args.relevance_xapian, peer.db, op).search_all(queries)
        out[f"xapian-{op}"] = ({row["topic"]: by_query[row["query"]] for row in rows}, {})
    return out


def run_sqlite(args, rows, data):
    from peer_sqlite import SqlitePeer
    peer = SqlitePeer(os.path.join(args.work, "relevance"), data()[0])
    log("sqlite: loading ...")
    peer.index()
    conn = sqlite3.connect(f"file:{peer.db}?mode=ro", uri=True)
    try:
        return {f"sqlite-{op}": (ask(f"sqlite-{op}", systems.Sqlite(conn, op).search, rows), {})
                for op in ("or", "and")}
    finally:
        conn.close()


def run_postgres(args, rows, data):
    import psycopg2
    from peer_postgres import PostgresPeer
    peer = PostgresPeer(os.path.join(args.work, "relevance"), data()[0])
    log("postgres: loading ...")
    try:
        peer.index()
        conn = psycopg2.connect(host="127.0.0.1", port=peer.port, user="postgres", dbname="bench")
        conn.autocommit = True
        cur = conn.cursor()
        out = {f"postgres-{op}": (ask(f"postgres-{op}", systems.Postgres(cur, op).search, rows),
                                  {}) for op in ("or", "and")}
        conn.close()
        return out
    finally:
        peer.stop()


def run_sphinx(args, rows, data):
    import pymysql
    from peer_sphinx import SphinxPeer
    data_dir = data()[0]
    peer = SphinxPeer(os.path.join(args.work, "relevance"), data_dir)
    log("sphinx: indexing ...")
    peer.index()
    ids = {}  # Sphinx numbers the rows of articles.tsv from 1 (peer_sphinx.convert)
    with open(os.path.join(data_dir, "articles.tsv"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            ids[number] = line.split("\t", 1)[0]
    try:
        peer.start()
        conn = pymysql.connect(host="127.0.0.1", port=peer.port, user="", autocommit=True)
        cur = conn.cursor()
        out = {f"sphinx-{op}": (ask(f"sphinx-{op}", systems.Sphinx(cur, ids, op).search, rows), {})
               for op in ("or", "and")}
        conn.close()
        return out
    finally:
        peer.stop()


def run_variants(args, rows, data):
    """Ranking variants Clippings does not offer, in-process over its database."""
    import relevance_variants as variants
    peer = clippings_database(args, *data())
    lab = variants.InProcess(peer.db)
    queries = [row["query"] for row in rows]
    out = {}
    for name, variant in variants.VARIANTS.items():
        log(f"variant-{name}: {len(rows)} queries ...")
        by_query = lab.search_all(name, queries)
        out[f"variant-{name}"] = ({row["topic"]: by_query[row["query"]] for row in rows},
                                  {"label": f"Variant (in-process): {variant.label}"})
    return out


RUNNERS = {"clippings": run_clippings, "xapian": run_xapian, "variants": run_variants,
           "sqlite": run_sqlite,
           "postgres": run_postgres, "sphinx": run_sphinx}


def score_system(hits, qrels, rows):
    """Per-topic figures (with how many results came back) and their means per split."""
    per_query = {}
    for row in rows:
        ranked = [doc for doc, _ in metrics.trec_order(hits[row["topic"]])]
        per_query[row["topic"]] = dict(metrics.score_query(ranked, qrels[row["topic"]]),
                                       returned=len(ranked))
    means, no_result = {}, {}
    for split in topics.SPLITS:
        qids = [row["topic"] for row in rows if row["split"] == split]
        means[split] = metrics.mean_scores(per_query, qids)
        no_result[split] = sum(1 for q in qids if per_query[q]["returned"] == 0)
    return {"per_query": per_query, "means": means, "no_result": no_result}


def ideal(qrels, rows):
    per_query = {row["topic"]: metrics.ideal_scores(qrels[row["topic"]]) for row in rows}
    return {split: metrics.mean_scores(per_query, [r["topic"] for r in rows
                                                   if r["split"] == split])
            for split in topics.SPLITS}


def merge_latest(path, run):
    """latest.json with this run's systems put in; the others stay if they were measured on
    the same judged set."""
    latest = None
    if os.path.exists(path):
        with open(path) as f:
            latest = json.load(f)
        if latest.get("topics") != run["topics"] or latest.get("articles") != run["articles"]:
            log("latest.json was measured on other topics or articles: its systems are dropped")
            latest = None
    if latest is None:
        latest = dict(run, systems={})
    for key in ("started", "finished", "commit", "ideal", "corpus", "articles"):
        latest[key] = run[key]
    latest["systems"].update(run["systems"])
    return latest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated engines (default: all of "
                        f"{','.join(ENGINES)})")
    parser.add_argument("--server", help="score this running Clippings server (http://HOST:PORT)"
                        " instead of starting one; its database must hold the AllSides articles")
    parser.add_argument("--config", help="config file for the clippings-server the run starts")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="extra /api/search parameter, repeatable")
    parser.add_argument("--tag", default="clippings",
                        help="name of this Clippings variant in the results (default: clippings)")
    parser.add_argument("--label", help="how the report names this Clippings variant (default: "
                        "from --tag)")
    parser.add_argument("--baseline", default="clippings",
                        help="system the others are compared with (this run's, else latest.json's)")
    parser.add_argument("--report", action="store_true",
                        help="put this run into latest.json and docs/BENCHMARKS.md (a full run "
                        "always does)")
    parser.add_argument("--topics", default=os.path.join(HERE, "relevance", "topics.tsv"))
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--results", default=os.path.join(HERE, "results", "relevance"))
    parser.add_argument("--doc", default=os.path.join(os.path.dirname(HERE), "docs",
                                                      "BENCHMARKS.md"))
    parser.add_argument("--indexer")
    parser.add_argument("--server-bin")
    parser.add_argument("--relevance-xapian")
    args = parser.parse_args()
    engines = args.only.split(",") if args.only else list(ENGINES)
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine {', '.join(unknown)}; expected some of {','.join(ENGINES)}")
    if any("=" not in p for p in args.param):
        parser.error("--param takes NAME=VALUE")
    clippings_started = "clippings" in engines and not args.server
    needs = {"indexer": clippings_started or "xapian" in engines or "variants" in engines,
             "server_bin": clippings_started,
             "relevance_xapian": "xapian" in engines}
    for tool, needed in needs.items():
        if needed and not (getattr(args, tool) and os.access(getattr(args, tool), os.X_OK)):
            parser.error(f"--{tool.replace('_', '-')} must name the built program")
    for tool in ("indexer", "server_bin", "relevance_xapian"):
        if getattr(args, tool):
            setattr(args, tool, os.path.abspath(getattr(args, tool)))
    full = not args.only and not args.server

    os.makedirs(os.path.join(args.work, "relevance"), exist_ok=True)
    lock = open(os.path.join(args.work, "relevance", "lock"), "w")
    try:  # two runs in one work directory would index over each other's databases
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"run_relevance.py: another run is using {args.work}; wait for it, or "
                         "give this one another --work (BENCH_WORK)") from None
    rows = topics.load_topics(args.topics)
    qrels, articles = topics.cached_judgements(
        rows, os.path.join(args.corpus, CORPUS_FILE),
        os.path.join(args.work, "relevance", "judgements.json"))
    args.judged_articles = articles
    os.makedirs(os.path.join(args.results, "runs"), exist_ok=True)
    metrics.write_qrels(os.path.join(args.results, "qrels.txt"), qrels)

    prepared = []

    def data():  # prepared once, and only for a system that indexes
        if not prepared:
            prepared.extend(prepare_data(args))
        return prepared

    started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    run = {"started": started, "commit": commit(), "corpus": CORPUS_FILE, "articles": articles,
           "topics": rows, "ideal": ideal(qrels, rows), "systems": {}}
    for engine in engines:
        for name, (hits, settings) in RUNNERS[engine](args, rows, data).items():
            metrics.write_run(os.path.join(args.results, "runs", f"{name}.run"), name, hits)
            label = LABELS.get(name) or settings.pop("label", None) or \
                f"Clippings variant '{name}' (HTTP API)"
            run["systems"][name] = dict(score_system(hits, qrels, rows), label=label,
                                        settings=settings, measured=started,
                                        commit=run["commit"])
    run["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(args.results, f"run-{stamp}.json"), "w") as f:
        json.dump(run, f, indent=1)
    latest_path = os.path.join(args.results, "latest.json")
    shown = run
    if full or args.report:
        shown = merge_latest(latest_path, run)
        with open(latest_path, "w") as f:
            json.dump(shown, f, indent=1)
        render_relevance.update_doc(args.doc, shown)
        log(f"figures written to {args.doc}")
    elif os.path.exists(latest_path):
        shown = merge_latest(latest_path, run)  # for the comparison only: not written
    print(render_relevance.console_table(shown, list(run["systems"]), args.baseline))
    log(f"results: {os.path.join(args.results, f'run-{stamp}.json')}")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, ValueError, OSError) as error:  # a system or the data is at fault
        raise SystemExit(f"run_relevance.py: {error}") from error
