"""PostgreSQL 15 full-text search on a private cluster (initdb in the work directory).

The table keeps the text and a stored generated tsvector (title weighted A, body D, 'english'
configuration) under a GIN index. A query is two statements: the top 10 by ts_rank_cd with
ts_headline on those 10 only, then one GROUP BY outlet, month over all matches, folded into
the exact total and both facets on the client. The cluster runs as the postgres user (it
refuses root), listens on 127.0.0.1 only and is stopped by stop() (and by run.sh's trap).
"""

import os
import shutil
import subprocess
import time

import psycopg2

from common import (ServerProcess, MemorySampler, free_port, fresh_dir, run_clients,
                    wait_for_port)
from peer_sqlite import fold_facets

PG_BIN = "/usr/lib/postgresql/15/bin"
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "shared_buffers": "'1GB'",
    "work_mem": "'64MB'",
    "maintenance_work_mem": "'1GB'",
    "max_wal_size": "'8GB'",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "jit": "off",
    "fsync": "on",
}
SCHEMA = """
CREATE TABLE docs (
  rid serial PRIMARY KEY, id text NOT NULL, title text NOT NULL, outlet text NOT NULL,
  date date, body text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('english', title), 'A') || to_tsvector('english', body)) STORED)
"""
TOP_SQL = """
SELECT id, title, outlet, date,
       ts_headline('english', body, q,
                   'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=1')
FROM (SELECT id, title, outlet, date, body, ts_rank_cd(tsv, q) AS rank, q
      FROM docs, to_tsquery('english', %s) AS q
      WHERE tsv @@ q{filters} ORDER BY rank DESC LIMIT 10) AS top
ORDER BY rank DESC
"""
FACET_SQL = """
SELECT outlet, to_char(date, 'YYYY-MM'), count(*)
FROM docs WHERE tsv @@ to_tsquery('english', %s){filters} GROUP BY 1, 2
"""


def ts_query(query):
    terms = query["terms"]
    if query["class"] == "and":
        return f"{terms[0]} & {terms[1]}"
    if query["class"] == "or":
        return f"{terms[0]} | {terms[1]}"
    if query["class"] == "phrase":
        return " <-> ".join(terms)
    return terms[0]


def sql_with_filters(template, query):
    filters, params = "", [ts_query(query)]
    if query["outlet"]:
        filters += " AND outlet = %s"
        params.append(query["outlet"])
    if query["from"]:
        filters += " AND date BETWEEN %s AND %s"
        params += [query["from"], query["to"]]
    return template.format(filters=filters), params


class Session:
    def __init__(self, port):
        self.conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="bench")
        self.conn.autocommit = True
        self.cur = self.conn.cursor()

    def search(self, query):
        sql, params = sql_with_filters(TOP_SQL, query)
        self.cur.execute(sql, params)
        hits = self.cur.fetchall()
        sql, params = sql_with_filters(FACET_SQL, query)
        self.cur.execute(sql, params)
        total, _, _ = fold_facets(self.cur.fetchall())
        assert len(hits) == min(10, total)
        return total

    def close(self):
        self.conn.close()


def as_postgres(cmd, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--"] + cmd, check=True, **kwargs)


class PostgresPeer(ServerProcess):
    # stop(): SIGTERM to runuser reaches postgres, a smart shutdown, which may take a while.
    stop_timeout_s = 120
    name = "postgres"
    label = "PostgreSQL 15"
    memory_how = ("peak summed PSS of the postmaster and its backends during the load, "
                  "sampled every 200 ms (shared buffers counted once)")

    def __init__(self, work, data_dir):
        self.work = os.path.join(work, "postgres")
        self.data_dir = data_dir
        self.cluster = os.path.join(self.work, "cluster")
        self.port = None
        self.proc = None

    def _init_cluster(self):
        fresh_dir(self.work)
        shutil.chown(self.work, "postgres", "postgres")
        as_postgres([f"{PG_BIN}/initdb", "-D", self.cluster, "--auth=trust", "-U", "postgres",
                     "--encoding=UTF8", "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
        with open(os.path.join(self.cluster, "postgresql.conf"), "a") as f:
            for key, value in SETTINGS.items():
                f.write(f"{key} = {value}\n")

    def start(self):
        if self.proc:
            return
        self.port = free_port()
        log = open(os.path.join(self.work, "postgres.log"), "ab")
        self.proc = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", f"{PG_BIN}/postgres", "-D", self.cluster,
             "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        for _ in range(100):  # the port opens before the database accepts connections
            try:
                psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres").close()
                return
            except psycopg2.OperationalError:
                time.sleep(0.1)

    def index(self):
        self._init_cluster()
        self.start()
        admin = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE bench")
        admin.close()
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="bench")
        with MemorySampler(self.proc.pid) as memory:
            start = time.monotonic()
            cur = conn.cursor()
            cur.execute(SCHEMA)  # same transaction as COPY: wal_level=minimal skips the WAL
            with open(os.path.join(self.data_dir, "articles.tsv"), encoding="utf-8") as f:
                cur.copy_expert("COPY docs (id, title, outlet, date, body) FROM STDIN "
                                "WITH (FORMAT text)", f)
            conn.commit()
            cur.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
            conn.commit()
            conn.autocommit = True
            cur.execute("VACUUM ANALYZE docs")
            seconds = time.monotonic() - start
        cur.execute("SELECT pg_total_relation_size('docs')")
        size = cur.fetchone()[0]
        conn.close()
        return {"seconds": seconds, "peak_memory_kib": memory.peak_kib, "index_bytes": size}

    def session(self):
        return Session(self.port)

    def run(self, queries, clients):
        return run_clients(self.session, queries, clients)
