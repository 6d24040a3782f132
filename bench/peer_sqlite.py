"""SQLite FTS5 (Debian's libsqlite3 through Python's sqlite3 module).

One FTS5 table holds every column; id, outlet and date are UNINDEXED. A query is two
statements: the top 10 by bm25 (title weighted 3) with snippet(), then one GROUP BY outlet,
month over all matches, folded into the exact total and both facets on the client.
"""

import os
import sqlite3
import sys

from common import run_clients, run_timed

SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, outlet UNINDEXED, "
          "date UNINDEXED, body, tokenize = 'porter unicode61')")
TOP_SQL = ("SELECT id, title, outlet, date, "
           "snippet(docs, 4, '<mark>', '</mark>', '…', 32) "
           "FROM docs WHERE docs MATCH ?{filters} "
           "ORDER BY bm25(docs, 0.0, 3.0, 0.0, 0.0, 1.0) LIMIT 10")
FACET_SQL = ("SELECT outlet, substr(date, 1, 7), count(*) FROM docs "
             "WHERE docs MATCH ?{filters} GROUP BY 1, 2")


def fts_query(query):
    terms = query["terms"]
    if query["class"] == "and":
        return f'"{terms[0]}" AND "{terms[1]}"'
    if query["class"] == "or":
        return f'"{terms[0]}" OR "{terms[1]}"'
    return '"' + " ".join(terms) + '"'


def sql_with_filters(template, query):
    filters, params = "", [fts_query(query)]
    if query["outlet"]:
        filters += " AND outlet = ?"
        params.append(query["outlet"])
    if query["from"]:
        filters += " AND date BETWEEN ? AND ?"
        params += [query["from"], query["to"]]
    return template.format(filters=filters), params


def fold_facets(rows):
    outlets, months, total = {}, {}, 0
    for outlet, month, count in rows:
        total += count
        outlets[outlet] = outlets.get(outlet, 0) + count
        if month:
            months[month] = months.get(month, 0) + count
    top_outlets = sorted(outlets.items(), key=lambda kv: -kv[1])[:20]
    return total, top_outlets, sorted(months.items())


class Session:
    def __init__(self, path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache
        self.conn.execute("PRAGMA mmap_size = 4294967296")

    def search(self, query):
        sql, params = sql_with_filters(TOP_SQL, query)
        hits = self.conn.execute(sql, params).fetchall()
        sql, params = sql_with_filters(FACET_SQL, query)
        total, _, _ = fold_facets(self.conn.execute(sql, params).fetchall())
        assert len(hits) == min(10, total)
        return total

    def close(self):
        self.conn.close()


class SqlitePeer:
    name = "sqlite"
    label = "SQLite FTS5"
    memory_how = "max RSS of the loading process (Python + libsqlite3), /usr/bin/time -v"

    def __init__(self, work, data_dir):
        self.work = os.path.join(work, "sqlite")
        self.data_dir = data_dir
        self.db = os.path.join(self.work, "docs.db")

    def index(self):
        os.makedirs(self.work, exist_ok=True)
        if os.path.exists(self.db):
            os.remove(self.db)
        tsv = os.path.join(self.data_dir, "articles.tsv")
        wall, rss = run_timed([sys.executable, os.path.abspath(__file__), "load", self.db, tsv],
                              log_path=os.path.join(self.work, "load.log"))
        return {"seconds": wall, "peak_memory_kib": rss, "index_bytes": os.path.getsize(self.db)}

    def start(self):
        pass

    def stop(self):
        pass

    def server_pid(self):
        return None

    def session(self):
        return Session(self.db)

    def run(self, queries, clients):
        return run_clients(self.session, queries, clients)


def load(db, tsv):
    """Bulk load in one transaction, then merge the FTS segments (what a tuned import does)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(SCHEMA)

    def rows():
        with open(tsv, encoding="utf-8") as f:
            for line in f:
                id_, title, outlet, date, body = line.rstrip("\n").split("\t")
                yield id_, title, outlet, None if date == "\\N" else date, body

    with conn:
        conn.executemany("INSERT INTO docs (id, title, outlet, date, body) VALUES (?, ?, ?, ?, ?)",
                         rows())
    conn.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    conn.commit()
    conn.close()


if __name__ == "__main__" and sys.argv[1] == "load":
    load(sys.argv[2], sys.argv[3])
