"""How each system answers a judged query with its top DEPTH articles and their scores.

The systems index the same data with the speed benchmark's loading code (bench/peer_*.py):
the same schema, tokenizer and title weighting. Each engine is asked twice where its query
language lets the words of a query be joined either way: OR (any word matches) and AND (every
word). A query's words for the peers are its runs of letters and digits, which is how FTS5's
unicode61 tokenizer, PostgreSQL's parser and Sphinx's default character table split text.

Every `search` returns [(article id, score)], higher scores better.
"""

import http.client
import json
import re
import subprocess
import tempfile
import urllib.parse

import relevance_metrics

DEPTH = relevance_metrics.DEPTH
WORD = re.compile(r"[^\W_]+")


def words(query):
    return WORD.findall(query.lower())


class ClippingsHttp:
    """Clippings' /api/search as a client sees it: `q` as typed, size=DEPTH, and any extra
    parameters, ranked and matched as the server is configured."""

    def __init__(self, base_url, params=()):
        url = urllib.parse.urlsplit(base_url if "//" in base_url else "http://" + base_url)
        if url.scheme != "http" or not url.hostname:
            raise ValueError(f"expected a server address like http://127.0.0.1:8080, "
                             f"got {base_url!r}")
        self.base_url = base_url
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=120)
        self.params = list(params)
        self.totals = {}

    def get(self, path, params):
        try:
            self.conn.request("GET", path + "?" + urllib.parse.urlencode(params))
            response = self.conn.getresponse()
        except OSError as error:
            raise RuntimeError(f"{self.base_url}: {error}") from error
        body = json.loads(response.read())
        if response.status != 200:
            error = body.get("error", {})
            raise RuntimeError(f"{path} answered {response.status} {error.get('code')}: "
                               f"{error.get('message')}")
        return body

    def article_count(self):
        return self.get("/api/stats", [])["articles"]

    def search(self, query):
        body = self.get("/api/search", [("q", query), ("size", DEPTH)] + self.params)
        self.totals[query] = body["total"]
        return [(hit["id"], hit["score"]) for hit in body["hits"]]

    def close(self):
        self.conn.close()


class XapianInProcess:
    """bench/relevance_xapian.cpp over the database Clippings built: Xapian's BM25 with the
    words joined by `op`, parsed with Clippings' stemmer and prefixes."""

    def __init__(self, program, db, op):
        self.program, self.db, self.op = program, db, op

    def search_all(self, queries):
        """{query: hits} for a list of queries, in one run of the program."""
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as f:
            for n, query in enumerate(queries):
                f.write(f"{n}\t{query}\n")
            f.flush()
            proc = subprocess.run([self.program, "--db", self.db, "--queries", f.name,
                                   "--op", self.op, "--depth", str(DEPTH), "--tag", "xapian"],
                                  capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{self.program} failed: {proc.stderr.strip()[-2000:]}")
        hits = {query: [] for query in queries}
        for line in proc.stdout.splitlines():
            n, _, doc, _, score, _ = line.split(" ")
            hits[queries[int(n)]].append((doc, float(score)))
        return hits


class Sqlite:
    """FTS5's bm25() with the speed benchmark's weights (title 3, body 1), negated so that
    higher is better. AND is FTS5's implicit AND of the quoted words."""

    SQL = ("SELECT id, -bm25(docs, 0.0, 3.0, 0.0, 0.0, 1.0) FROM docs WHERE docs MATCH ? "
           "ORDER BY bm25(docs, 0.0, 3.0, 0.0, 0.0, 1.0) LIMIT ?")

    def __init__(self, conn, op):
        self.conn, self.op = conn, op

    def search(self, query):
        joined = (" OR " if self.op == "or" else " ").join(f'"{w}"' for w in words(query))
        return self.conn.execute(self.SQL, (joined, DEPTH)).fetchall()


class Postgres:
    """ts_rank_cd (cover density; title weight A, body D; no length normalisation) over the
    'english' configuration. OR is to_tsquery of the words joined by '|', AND is
    plainto_tsquery of the query as typed."""

    SQL = ("SELECT id, ts_rank_cd(tsv, q) AS rank FROM docs, {q} AS q WHERE tsv @@ q "
           "ORDER BY rank DESC LIMIT %s")

    def __init__(self, cursor, op):
        self.cur, self.op = cursor, op

    def search(self, query):
        if self.op == "or":
            text, q = " | ".join(words(query)), "to_tsquery('english', %s)"
        else:
            text, q = query, "plainto_tsquery('english', %s)"
        self.cur.execute(self.SQL.format(q=q), (text, DEPTH))
        return self.cur.fetchall()


class Sphinx:
    """SphinxQL MATCH with the default proximity_bm25 ranker and the speed benchmark's field
    weights (title 3, body 1). Its documents are numbered rows of the data: `ids` maps them
    back to article ids. OR is words joined by '|', AND the words side by side."""

    SQL = ("SELECT id, WEIGHT() FROM articles WHERE MATCH(%s) ORDER BY WEIGHT() DESC, id ASC "
           "LIMIT {depth} OPTION field_weights=(title=3, body=1), max_matches={depth}")

    def __init__(self, cursor, ids, op):
        self.cur, self.ids, self.op = cursor, ids, op

    def search(self, query):
        self.cur.execute(self.SQL.format(depth=DEPTH),
                         ((" | " if self.op == "or" else " ").join(words(query)),))
        return [(self.ids[row], weight) for row, weight in self.cur.fetchall()]
