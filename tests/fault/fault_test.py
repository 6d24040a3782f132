#!/usr/bin/env python3
"""Fault tests of clippings-server and clippings-indexer against the real binaries.

Scenarios, each measured while normal searches keep probing the server:
  slow      slow clients sending one request-header byte every few seconds
  expensive maximal queries in parallel: two-letter wildcards OR-ed up to the q limit (over the
            term budget) and the costliest query the budget accepts
  attack    both at once: 64 slow header senders and 8 maximal-query clients
  soak      keep-alive clients with pauses between requests while the indexer adds articles
  kill      kill -9 loops of the indexer (xapian-check after each, then a rerun: no article lost
            or duplicated) and of the server with requests in flight (it restarts healthy)

Figures (p50/p99 of the probes, errors, RSS at start and end, articles lost) are printed as
JSON and, with --report, written as a Markdown section into that file between the markers
<!-- fault-test:begin --> and <!-- fault-test:end -->. Exit status 1 when a check fails.
Every loop is bounded by the scenario's duration or a count.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

WEB_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web")
PROBE_TIMEOUT = 30.0  # seconds a probe waits: past it, it counts as an error (a timeout)


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def get(port, path, timeout=PROBE_TIMEOUT):
    """(status, seconds, body) of one GET on a new connection; status None on failure."""
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        res = conn.getresponse()
        body = res.read()
        conn.close()
        return res.status, time.monotonic() - start, body
    except (OSError, http.client.HTTPException):
        return None, time.monotonic() - start, b""


class Server:
    def __init__(self, binary, db, work, env=None):
        self.port = free_port()
        self.log = open(os.path.join(work, f"server-{self.port}.log"), "w")
        environment = dict(os.environ, **(env or {}))
        environment["CLIPPINGS_SERVER_ACCESS_LOG"] = "false"
        self.proc = subprocess.Popen(
            [binary, "--db", db, "--port", str(self.port), "--web", WEB_ROOT],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)
        for _ in range(600):
            status, _, _ = get(self.port, "/readyz", timeout=1)
            if status == 200:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the server did not become ready (log: {self.log.name})")

    def rss(self):
        return rss_mb(self.proc.pid)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Background:
    """`run(i)` on `threads` threads from entering the `with` block until leaving it, which sets
    `self.stop` and joins them."""

    def __init__(self, threads=1):
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, i):
        raise NotImplementedError

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


class Prober(Background):
    """Normal searches, one after another, from a fresh connection each, until stopped."""

    QUERIES = ["harbour", "council budget", "strike", "election", "water", "port"]

    def __init__(self, port, paths=None):
        self.port = port
        self.paths = paths or [f"/api/search?q={q.replace(' ', '+')}" for q in self.QUERIES]
        self.latencies, self.errors, self.statuses = [], 0, {}
        super().__init__()

    def run(self, _):
        i = 0
        while not self.stop.is_set():
            status, seconds, _ = get(self.port, self.paths[i % len(self.paths)])
            i += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.latencies.append(seconds)
            else:
                self.errors += 1
            self.stop.wait(0.05)

    def figures(self):
        return {
            "probes": len(self.latencies) + self.errors,
            "errors": self.errors,
            "p50_ms": ms(percentile(self.latencies, 0.5)),
            "p99_ms": ms(percentile(self.latencies, 0.99)),
            "max_ms": ms(max(self.latencies) if self.latencies else None),
            "statuses": {str(k): v for k, v in self.statuses.items()},
        }


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


class SlowSenders(Background):
    """`clients` connections each sending a request head one byte every `interval` seconds, from
    one thread, until stopped."""

    def __init__(self, port, clients, interval):
        self.sockets = []
        for _ in range(clients):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /api/search?q=harbour HTTP/1.1\r\nHost: x\r\n")
            self.sockets.append(s)
        self.interval, self.closed_by_server = interval, 0
        super().__init__()

    def run(self, _):
        while not self.stop.is_set():
            for s in list(self.sockets):
                try:
                    s.sendall(b"X")
                except OSError:
                    self.closed_by_server += 1
                    self.sockets.remove(s)
            self.stop.wait(self.interval)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        for s in self.sockets:
            s.close()


def slow_clients(server, clients, duration, interval):
    """Slow header senders while normal searches probe."""
    rss_start = server.rss()
    with SlowSenders(server.port, clients, interval) as slow, Prober(server.port) as prober:
        time.sleep(duration)
    result = prober.figures()
    result.update(clients=clients, seconds=duration, rss_start_mb=rss_start, rss_end_mb=server.rss(),
                  slow_connections_closed=slow.closed_by_server)
    return result


def maximal_query(limit_bytes):
    """Two-letter wildcards OR-ed up to `limit_bytes`: far past the term budget (a 400)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [a + b + "*" for a in letters for b in letters]
    random.Random(7).shuffle(words)
    q = ""
    for word in words:
        candidate = word if not q else q + " OR " + word
        if len(candidate.encode()) > limit_bytes:
            break
        q = candidate
    return q


# The costliest query the default budget accepts: five one-letter wildcards, each expanding to
# server.max_wildcard_expansion (200) of the most frequent words, 1,000 terms in all
# (server.max_query_terms), matching nearly every article. It is an expensive search (more than
# server.expensive_query_terms), and its counting pass meets server.match_time_limit_ms.
COSTLIEST_ACCEPTED = "s* OR c* OR p* OR t* OR m*"


class Hammer(Background):
    """`clients` threads sending `paths` in turn, back to back, until stopped; counts statuses and
    answers marked timed_out."""

    def __init__(self, port, clients, paths):
        self.port, self.paths = port, paths
        self.statuses, self.timed_out, self.lock = {}, 0, threading.Lock()
        super().__init__(clients)

    def run(self, first):
        i = first
        while not self.stop.is_set():
            status, _, body = get(self.port, self.paths[i % len(self.paths)], timeout=120)
            i += 1
            timed_out = status == 200 and b'"timed_out":true' in body
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.timed_out += timed_out
            if status in (429, 503):
                self.stop.wait(0.05)

    def figures(self):
        return {"statuses": {str(k): v for k, v in self.statuses.items()}, "timed_out": self.timed_out}


def expensive_queries(server, clients, duration, limit_bytes, slow_clients=0):
    """`clients` threads send maximal queries (over the budget, and the costliest accepted one)
    back to back, with `slow_clients` slow header senders at the same time; normal searches and
    /healthz probe meanwhile."""
    from urllib.parse import quote
    q = maximal_query(limit_bytes)
    paths = ["/api/search?q=" + quote(q), "/api/search?q=" + quote(COSTLIEST_ACCEPTED)]
    rss_start = server.rss()
    health = Prober(server.port, ["/healthz"])
    with SlowSenders(server.port, slow_clients, 3.0), Hammer(server.port, clients, paths) as hammer:
        with Prober(server.port) as prober, health:
            time.sleep(duration)
    result = prober.figures()
    result.update(clients=clients, slow_clients=slow_clients, seconds=duration, query_bytes=len(q.encode()),
                  expensive_statuses=hammer.figures()["statuses"], timed_out=hammer.timed_out,
                  healthz=health.figures(), rss_start_mb=rss_start, rss_end_mb=server.rss())
    return result


def soak(server, clients, duration, indexer, db, source, work):
    """Keep-alive clients with pauses while the indexer adds articles."""
    latencies, errors, timeouts, lock, stop = [], [0], [0], threading.Lock(), threading.Event()
    retried = [0]

    def client(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=PROBE_TIMEOUT)
        while not stop.is_set():
            path = "/api/search?q=" + rng.choice(Prober.QUERIES).replace(" ", "+")
            start = time.monotonic()
            status = None
            for attempt in range(2):
                try:
                    conn.request("GET", path)
                    res = conn.getresponse()
                    res.read()
                    status = res.status
                    break
                except socket.timeout:
                    with lock:
                        timeouts[0] += 1
                    conn.close()
                    break
                except (OSError, http.client.HTTPException):
                    # A keep-alive connection the server closed while idle: like any HTTP
                    # client library, send the request again once on a new connection.
                    conn.close()
                    if attempt == 0:
                        with lock:
                            retried[0] += 1
            seconds = time.monotonic() - start
            with lock:
                if status == 200:
                    latencies.append(seconds)
                else:
                    errors[0] += 1
            stop.wait(rng.uniform(0.0, 1.0))
        conn.close()

    rss_start = server.rss()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    index_log = open(os.path.join(work, "soak-indexer.log"), "w")
    indexing = subprocess.Popen([indexer, "--db", db, "--quiet", "--batch-size", "500", source],
                                stdout=index_log, stderr=subprocess.STDOUT)
    time.sleep(duration)
    stop.set()
    for t in threads:
        t.join()
    indexing.wait()
    index_log.close()
    return {
        "clients": clients, "seconds": duration, "requests": len(latencies) + errors[0],
        "errors": errors[0], "timeouts": timeouts[0], "retried_on_closed_idle_connection": retried[0],
        "p50_ms": ms(percentile(latencies, 0.5)), "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(max(latencies) if latencies else None),
        "indexer_exit": indexing.returncode, "rss_start_mb": rss_start, "rss_end_mb": server.rss(),
    }


def count_ids(source):
    ids = set()
    with open(source) as f:
        for line in f:
            if line.strip():
                ids.add(json.loads(line)["id"])
    return len(ids)


def doc_count(db):
    out = subprocess.run(["xapian-delve", db], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("number of documents"):
            return int(line.split("=")[1])
    return None


def kill_loops(server_bin, indexer, source, work, rounds, rng):
    """kill -9 of the indexer mid-run `rounds` times, then a complete rerun; kill -9 of the
    server with requests in flight `rounds` times, each restart checked."""
    db = os.path.join(work, "kill-db")
    shutil.rmtree(db, ignore_errors=True)
    checks_failed, kills = [], 0
    for i in range(rounds):
        proc = subprocess.Popen([indexer, "--db", db, "--quiet", "--batch-size", "200", source],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        if os.path.exists(db):
            check = subprocess.run(["xapian-check", db], capture_output=True, text=True)
            if check.returncode != 0:
                checks_failed.append(f"after kill {i}: {check.stdout[-300:]}{check.stderr[-300:]}")
    rerun = subprocess.run([indexer, "--db", db, "--quiet", source], capture_output=True, text=True)
    final_check = subprocess.run(["xapian-check", db], capture_output=True, text=True)
    expected, found = count_ids(source), doc_count(db)
    result = {
        "indexer_kills": kills, "indexer_rounds": rounds, "rerun_exit": rerun.returncode,
        "xapian_check_failures": len(checks_failed) + (final_check.returncode != 0),
        "articles_expected": expected, "articles_found": found,
        "articles_lost": None if found is None else max(0, expected - found),
        "duplicates": None if found is None else max(0, found - expected),
        "check_details": checks_failed[:3],
    }
    restarts_ok, server_kills = 0, 0
    for _ in range(rounds):
        server = Server(server_bin, db, work)
        inflight = [threading.Thread(target=get, args=(server.port, "/api/search?q=harbour+OR+port", 10))
                    for _ in range(8)]
        for t in inflight:
            t.start()
        time.sleep(rng.uniform(0.0, 0.2))
        server.stop(signal.SIGKILL)
        server_kills += 1
        for t in inflight:
            t.join()
        again = Server(server_bin, db, work)
        status, _, _ = get(again.port, "/api/search?q=harbour")
        restarts_ok += status == 200
        again.stop()
    result.update(server_kills=server_kills, server_restarts_ok=restarts_ok)
    return result


def write_jsonl(path, articles):
    with open(path, "w") as f:
        for article in articles:
            f.write(json.dumps(article) + "\n")


def synthetic_articles(count, prefix, seed):
    """Fictional articles over a vocabulary of common words and 5,000 made-up ones (so that
    two-letter wildcards expand as they would on real text); ids unique per prefix."""
    rng = random.Random(seed)
    common = ("harbour council budget strike election water port tram library storm mayor "
              "fares drought reservoir ferry bridge school hospital market festival").split()
    made_up_rng = random.Random(0)
    made_up = ["".join(made_up_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(made_up_rng.randrange(4, 9)))
               for _ in range(5000)]
    outlets = ["Gazette Alpha", "Valley Wire", "Harbor Ledger", "Northfield Gazette"]
    articles = []
    for i in range(count):
        words = [rng.choice(common) for _ in range(80)] + [rng.choice(made_up) for _ in range(80)]
        rng.shuffle(words)
        articles.append({
            "id": f"{prefix}-{i}", "title": " ".join(words[:6]).capitalize(),
            "outlet": rng.choice(outlets),
            "date": "20%02d-%02d-%02d" % (rng.randrange(6, 24), rng.randrange(1, 13), rng.randrange(1, 29)),
            "text": " ".join(words)})
    return articles


def render(figures):
    slow, exp, attack, soak_, kill = (figures.get(k, {}) for k in ("slow", "expensive", "attack", "soak", "kill"))
    lines = [
        f"Run of `{figures['command']}` on {figures['date']} ({figures['articles']} articles, "
        f"{os.cpu_count()} cores, load average {figures['load']} at the start).",
        "",
        "| scenario | normal searches | p50 | p99 | max | errors | RSS start → end |",
        "|---|---|---|---|---|---|---|",
    ]
    if slow:
        lines.append(f"| {slow['clients']} slow header senders, {slow['seconds']} s | {slow['probes']} | "
                     f"{slow['p50_ms']} ms | {slow['p99_ms']} ms | {slow['max_ms']} ms | {slow['errors']} | "
                     f"{slow['rss_start_mb']} → {slow['rss_end_mb']} MB |")
    for figs, what in ((exp, "maximal queries in parallel"),
                       (attack, "maximal queries in parallel + 64 slow header senders")):
        if figs:
            lines.append(f"| {figs['clients']} {what}, {figs['seconds']} s | {figs['probes']} | "
                         f"{figs['p50_ms']} ms | {figs['p99_ms']} ms | {figs['max_ms']} ms | {figs['errors']} | "
                         f"{figs['rss_start_mb']} → {figs['rss_end_mb']} MB |")
    if soak_:
        lines.append(f"| {soak_['clients']} keep-alive clients + indexing, {soak_['seconds']} s | "
                     f"{soak_['requests']} | {soak_['p50_ms']} ms | {soak_['p99_ms']} ms | {soak_['max_ms']} ms | "
                     f"{soak_['errors']} ({soak_['timeouts']} timeouts) | "
                     f"{soak_['rss_start_mb']} → {soak_['rss_end_mb']} MB |")
    lines.append("")
    for figs, name in ((exp, "Maximal queries"), (attack, "Under attack")):
        if figs:
            lines.append(f"{name}: the {figs['query_bytes']}-byte wildcard query and `{COSTLIEST_ACCEPTED}` "
                         f"(1,000 terms, the most the budget accepts) were answered "
                         f"{json.dumps(figs['expensive_statuses'])} (status: count), "
                         f"{figs['timed_out']} of the 200s marked `timed_out`; `/healthz` meanwhile: "
                         f"{figs['healthz']['probes']} probes, p99 {figs['healthz']['p99_ms']} ms, "
                         f"{figs['healthz']['errors']} errors.")
    if soak_:
        lines.append(f"Soak: {soak_['retried_on_closed_idle_connection']} requests were sent again once on a "
                     f"new connection after the server had closed an idle one; the indexer exited "
                     f"{soak_['indexer_exit']}.")
    if kill:
        lines.append(f"kill -9: the indexer {kill['indexer_kills']} times mid-run, `xapian-check` failures "
                     f"{kill['xapian_check_failures']}, after a rerun {kill['articles_found']} of "
                     f"{kill['articles_expected']} articles (**lost: {kill['articles_lost']}**, duplicates: "
                     f"{kill['duplicates']}); the server {kill['server_kills']} times with 8 searches in "
                     f"flight, restarted and answered {kill['server_restarts_ok']} times.")
    return "\n".join(lines)


def failures(figures):
    found = []
    for name in ("slow", "expensive", "attack"):
        if figures.get(name, {}).get("errors"):
            found.append(f"{name}: {figures[name]['errors']} normal searches failed")
    for name in ("expensive", "attack"):
        figs = figures.get(name, {})
        if figs and figs["healthz"]["errors"]:
            found.append(f"{name}: /healthz failed")

    soak_ = figures.get("soak", {})
    if soak_ and (soak_["errors"] or soak_["timeouts"]):
        found.append(f"soak: {soak_['errors']} errors, {soak_['timeouts']} timeouts")
    kill = figures.get("kill", {})
    if kill:
        if kill["xapian_check_failures"]:
            found.append(f"kill: xapian-check failed {kill['check_details']}")
        if kill["articles_lost"] != 0 or kill["duplicates"] != 0:
            found.append(f"kill: lost {kill['articles_lost']}, duplicates {kill['duplicates']}")
        if kill["server_restarts_ok"] != kill["server_kills"]:
            found.append("kill: a restarted server did not answer")
    return found


def update_report(path, section):
    text = open(path).read() if os.path.exists(path) else ""
    begin, end = "<!-- fault-test:begin -->", "<!-- fault-test:end -->"
    block = f"{begin}\n{section}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text += "\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True)
    parser.add_argument("--indexer", required=True)
    parser.add_argument("--source", action="append", default=[],
                        help="articles to index first (files or directories; default: synthetic ones)")
    parser.add_argument("--db", help="a database to start from (copied; instead of --source)")
    parser.add_argument("--work", help="work directory (default: a temporary one, removed)")
    parser.add_argument("--short", action="store_true", help="about a minute, for CI")
    parser.add_argument("--report", help="Markdown file to write the figures into")
    parser.add_argument("--scenarios", default="slow,expensive,attack,soak,kill")
    args = parser.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="clippings-fault-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(11)
    seconds = ({"slow": 10, "expensive": 10, "attack": 10, "soak": 20} if args.short
               else {"slow": 60, "expensive": 60, "attack": 60, "soak": 300})
    rounds = 3 if args.short else 10
    try:
        db = os.path.join(work, "db")
        shutil.rmtree(db, ignore_errors=True)
        sources = args.source
        if args.db:
            shutil.copytree(args.db, db)
        elif not sources:
            base = os.path.join(work, "base.jsonl")
            write_jsonl(base, synthetic_articles(2000 if args.short else 20000, "base", 1))
            sources = [base]
        for source in sources:
            done = subprocess.run([args.indexer, "--db", db, "--quiet", source], capture_output=True, text=True)
            if done.returncode not in (0, 1):
                sys.exit(f"fault-test: indexing {source} failed: {done.stderr[-500:]}")
        live = os.path.join(work, "live.jsonl")
        write_jsonl(live, synthetic_articles(2000 if args.short else 10000, "live", 2))
        kill_source = os.path.join(work, "kill.jsonl")
        write_jsonl(kill_source, synthetic_articles(3000 if args.short else 5000, "kill", 3))

        figures = {"command": "scripts/fault-test.sh" + (" --short" if args.short else ""),
                   "date": time.strftime("%Y-%m-%d"), "articles": doc_count(db),
                   "load": round(os.getloadavg()[0], 1)}
        scenarios = args.scenarios.split(",")
        server = Server(args.server, db, work)
        try:
            if "slow" in scenarios:
                figures["slow"] = slow_clients(server, 64, seconds["slow"], 3.0)
            if "expensive" in scenarios:
                figures["expensive"] = expensive_queries(server, 8, seconds["expensive"], 2048)
            if "attack" in scenarios:
                figures["attack"] = expensive_queries(server, 8, seconds["attack"], 2048, slow_clients=64)
            if "soak" in scenarios:
                figures["soak"] = soak(server, 64, seconds["soak"], args.indexer, db, live, work)
        finally:
            figures["server_exit"] = server.stop()
        if "kill" in scenarios:
            figures["kill"] = kill_loops(args.server, args.indexer, kill_source, work, rounds, rng)
        print(json.dumps(figures, indent=2))
        if args.report:
            update_report(args.report, render(figures))
        failed = failures(figures)
        if figures["server_exit"] != 0:
            failed.append(f"the server exited {figures['server_exit']} on SIGTERM")
        for failure in failed:
            print("FAILED:", failure, file=sys.stderr)
        print(f"fault-test: {len(scenarios)} scenarios run, {len(failed)} checks failed")
        return 1 if failed else 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
